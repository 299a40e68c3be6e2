//! Every admin endpoint refuses another tenant's ids with 404, and two tenants with the
//! same email each sign in to their own workspace.

use atende::tenancy::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_same_email_in_two_tenants_logs_in_to_each_own_workspace() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let ida = app.create_user(&a, "joao@example.com", Role::Agent).await;
    let idb = app.create_user(&b, "joao@example.com", Role::Manager).await;
    let sa = app.session("alpha", "joao@example.com").await;
    let sb = app.session("beta", "joao@example.com").await;
    assert_eq!(sa.user_id, ida);
    assert_eq!(sb.user_id, idb);
    assert_eq!(app.get("/api/v1/auth/me", &sa.token).await.body["tenant"]["slug"], "alpha");
    assert_eq!(app.get("/api/v1/auth/me", &sb.token).await.body["user"]["role"], "MANAGER");
}

#[tokio::test]
async fn every_admin_endpoint_answers_404_for_another_tenants_ids() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;

    // Tenant B's objects.
    let b_user = app.create_user(&b, "bruno@beta.test", Role::Agent).await;
    let b_team = app.post("/api/v1/teams", &admin_b.token, json!({"name": "B team"})).await.body["team"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b_token = app.post("/api/v1/auth/tokens", &admin_b.token, json!({"name": "b"})).await.body["apiToken"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Tenant A's own objects, to mix with B's ids.
    let a_user = app.create_user(&a, "ana@alpha.test", Role::Agent).await;
    let a_team = app.post("/api/v1/teams", &admin_a.token, json!({"name": "A team"})).await.body["team"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let attempts: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (Method::GET, format!("/api/v1/users/{b_user}"), None),
        (Method::PATCH, format!("/api/v1/users/{b_user}"), Some(json!({"name": "hacked"}))),
        (Method::POST, format!("/api/v1/users/{b_user}/deactivate"), Some(json!({}))),
        (Method::GET, format!("/api/v1/teams/{b_team}"), None),
        (Method::PATCH, format!("/api/v1/teams/{b_team}"), Some(json!({"name": "hacked"}))),
        (Method::DELETE, format!("/api/v1/teams/{b_team}"), None),
        (Method::GET, format!("/api/v1/teams/{b_team}/members"), None),
        (Method::PUT, format!("/api/v1/teams/{b_team}/members/{a_user}"), Some(json!({}))),
        (Method::PUT, format!("/api/v1/teams/{a_team}/members/{b_user}"), Some(json!({}))),
        (Method::DELETE, format!("/api/v1/teams/{b_team}/members/{b_user}"), None),
        (Method::DELETE, format!("/api/v1/auth/tokens/{b_token}"), None),
    ];
    for (method, path, body) in attempts {
        let reply = app.request(method.clone(), &path, Some(&admin_a.token), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:?}", reply.body);
        assert_eq!(reply.code(), "not_found");
    }
    // Nothing of B changed.
    let bruno = app.get(&format!("/api/v1/users/{b_user}"), &admin_b.token).await;
    assert_eq!(bruno.body["user"]["name"], "bruno");
    assert_eq!(bruno.body["user"]["active"], true);
    assert_eq!(app.get(&format!("/api/v1/teams/{b_team}"), &admin_b.token).await.body["team"]["name"], "B team");
    let tokens = app.get("/api/v1/auth/tokens", &admin_b.token).await;
    assert_eq!(tokens.body["apiTokens"][0]["revoked"], false);
    // Lists never show the other tenant.
    let users = app.get("/api/v1/users", &admin_a.token).await;
    assert!(users.body["users"].as_array().unwrap().iter().all(|u| u["id"] != b_user.to_string()));
    let teams = app.get("/api/v1/teams", &admin_a.token).await;
    assert_eq!(teams.body["teams"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_tenant_token_cannot_reach_the_platform_api() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let admin = app.admin(&a).await;
    let reply = app.get("/api/v1/platform/tenants", &admin.token).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let platform = app.super_admin().await;
    let me = app.get("/api/v1/auth/me", &platform).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "a platform token is not a tenant session");
}
