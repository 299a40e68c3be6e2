use reqwest::{Method, StatusCode, header};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn login_succeeds_with_token_user_tenant_and_an_httponly_cookie() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let reply = app.login("acme", &tenant.admin_email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body["token"].as_str().unwrap().len() > 20);
    assert_eq!(reply.body["user"]["email"], tenant.admin_email);
    assert_eq!(reply.body["user"]["role"], "ADMIN");
    assert_eq!(reply.body["user"]["id"], tenant.admin_id.to_string());
    assert_eq!(reply.body["tenant"]["slug"], "acme");
    assert_eq!(reply.body["tenant"]["id"], tenant.id.to_string());
    assert!(reply.body["user"].get("passwordHash").is_none());
    let cookie = reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("atende_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
}

#[tokio::test]
async fn login_fails_with_one_error_for_wrong_password_unknown_email_or_workspace() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    for (workspace, email, password) in [
        ("acme", tenant.admin_email.as_str(), "wrong-password"),
        ("acme", "nobody@acme.test", PASSWORD),
        ("nope", tenant.admin_email.as_str(), PASSWORD),
    ] {
        let reply = app.login(workspace, email, password).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{workspace} {email}");
        assert_eq!(reply.code(), "invalid_credentials");
        assert!(reply.headers.get(header::SET_COOKIE).is_none());
    }
}

#[tokio::test]
async fn email_match_is_case_insensitive() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let reply = app.login("acme", &tenant.admin_email.to_uppercase(), PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn me_answers_with_bearer_and_with_the_cookie() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let session = app.admin(&tenant).await;
    let me = app.get("/api/v1/auth/me", &session.token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["id"], tenant.admin_id.to_string());
    assert_eq!(me.body["tenant"]["slug"], "acme");

    let by_cookie = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header(header::COOKIE, format!("atende_session={}", session.token))
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), StatusCode::OK);

    let anonymous = app.request(Method::GET, "/api/v1/auth/me", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.code(), "unauthorized");
    let forged = app.get("/api/v1/auth/me", "eyJhbGciOiJIUzI1NiJ9.e30.bad").await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_revokes_the_token_server_side() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let session = app.admin(&tenant).await;
    let other = app.admin(&tenant).await;
    let out = app.post("/api/v1/auth/logout", &session.token, json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("atende_session="));
    let me = app.get("/api/v1/auth/me", &session.token).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    // Only that session ends; the same user's other session lives on.
    assert_eq!(app.get("/api/v1/auth/me", &other.token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn cookie_authenticated_writes_need_an_allowed_origin() {
    let app = spawn_with(Options { cors_origins: vec!["https://app.example.com".into()], ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    let session = app.admin(&tenant).await;
    let cookie = format!("atende_session={}", session.token);
    let post = |origin: Option<&'static str>| {
        let mut builder = app
            .client
            .post(app.url("/api/v1/teams"))
            .header(header::COOKIE, cookie.clone())
            .json(&json!({"name": format!("t-{}", origin.unwrap_or("none"))}));
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        builder.send()
    };
    let none = read(post(None).await.unwrap()).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert_eq!(none.code(), "csrf_origin_mismatch");
    let evil = read(post(Some("https://evil.example")).await.unwrap()).await;
    assert_eq!(evil.code(), "csrf_origin_mismatch");
    let allowed = read(post(Some("https://app.example.com")).await.unwrap()).await;
    assert_eq!(allowed.status, StatusCode::CREATED, "{:?}", allowed.body);
    // Bearer tokens are not ambient credentials: no Origin needed.
    let bearer = app.post("/api/v1/teams", &session.token, json!({"name": "bearer"})).await;
    assert_eq!(bearer.status, StatusCode::CREATED);
}

#[tokio::test]
async fn personal_api_tokens_authenticate_until_revoked() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let session = app.admin(&tenant).await;
    let created = app.post("/api/v1/auth/tokens", &session.token, json!({"name": "CRM sync"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let token = created.body["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("atd_"));
    let id = created.body["apiToken"]["id"].as_str().unwrap().to_string();

    let me = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["id"], tenant.admin_id.to_string());

    let listed = app.get("/api/v1/auth/tokens", &session.token).await;
    assert_eq!(listed.body["apiTokens"].as_array().unwrap().len(), 1);
    assert!(listed.body["apiTokens"][0].get("token").is_none(), "the secret is never listed");
    assert!(listed.body["apiTokens"][0]["lastUsedAt"].is_string());

    assert_eq!(app.delete(&format!("/api/v1/auth/tokens/{id}"), &session.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/auth/me", &token).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.delete(&format!("/api/v1/auth/tokens/{id}"), &session.token).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn login_is_rate_limited_per_account_with_retry_after() {
    let app = spawn_with(Options { login_rate_per_account: Some(3), ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    for _ in 0..3 {
        assert_eq!(app.login("acme", &tenant.admin_email, "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = app.login("acme", &tenant.admin_email, PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.code(), "rate_limited");
    let retry_after: u64 = limited.headers.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "retry after {retry_after}");
    // Another account from the same IP is not blocked by this one's limit.
    app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    assert_eq!(app.login("acme", "ana@acme.test", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_deactivated_user_loses_sessions_and_cannot_log_in() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let agent_id = app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let off = app.post(&format!("/api/v1/users/{agent_id}/deactivate"), &admin.token, json!({})).await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    assert_eq!(off.body["user"]["active"], false);
    assert_eq!(app.get("/api/v1/auth/me", &agent.token).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("acme", "ana@acme.test", PASSWORD).await.code(), "invalid_credentials");
}
