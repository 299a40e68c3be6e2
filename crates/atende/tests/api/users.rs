use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_admin_creates_lists_updates_users_and_emails_are_unique_per_tenant() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let body = json!({"email": "Bia@Acme.test", "name": "Bia", "password": "password1", "role": "MANAGER"});
    let created = app.post("/api/v1/users", &admin.token, body.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["user"]["email"], "bia@acme.test");
    assert_eq!(created.body["user"]["role"], "MANAGER");
    let id = created.body["user"]["id"].as_str().unwrap().to_string();

    let dup = app.post("/api/v1/users", &admin.token, body).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "email_taken");

    let list = app.get("/api/v1/users?role=MANAGER", &admin.token).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["users"][0]["id"], id);
    let search = app.get("/api/v1/users?q=bi", &admin.token).await;
    assert_eq!(search.body["total"], 1);

    let patched =
        app.patch(&format!("/api/v1/users/{id}"), &admin.token, json!({"role": "AGENT", "name": "Bia S."})).await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.body["user"]["role"], "AGENT");
    assert_eq!(patched.body["user"]["name"], "Bia S.");
    // The new user can log in with the password set by the admin.
    assert_eq!(app.login("acme", "bia@acme.test", "password1").await.status, StatusCode::OK);
}

#[tokio::test]
async fn user_input_is_validated_with_the_field_named() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let bad_email = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "nope", "name": "X", "password": "password1", "role": "AGENT"}),
        )
        .await;
    assert_eq!(bad_email.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_email.body["error"]["details"]["email"].is_array(), "{:?}", bad_email.body);
    let short = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "a@b.co", "name": "X", "password": "short", "role": "AGENT"}),
        )
        .await;
    assert!(short.body["error"]["details"]["password"].is_array(), "{:?}", short.body);
    let role = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "a@b.co", "name": "X", "password": "password1", "role": "GOD"}),
        )
        .await;
    assert_eq!(role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(role.body["error"]["message"].as_str().unwrap().contains("role"), "{:?}", role.body);
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_or_deactivated() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let demote = app.patch(&format!("/api/v1/users/{}", tenant.admin_id), &admin.token, json!({"role": "AGENT"})).await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert_eq!(demote.code(), "last_admin");
    let second = app.create_user(&tenant, "second@acme.test", atende::tenancy::Role::Admin).await;
    let own = app.post(&format!("/api/v1/users/{}/deactivate", tenant.admin_id), &admin.token, json!({})).await;
    assert_eq!(own.code(), "cannot_deactivate_self");
    let other = app.post(&format!("/api/v1/users/{second}/deactivate"), &admin.token, json!({})).await;
    assert_eq!(other.status, StatusCode::OK);
}
