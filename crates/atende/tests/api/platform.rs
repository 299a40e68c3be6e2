use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_super_admin_creates_lists_and_suspends_tenants() {
    let app = spawn_app().await;
    let root = app.super_admin().await;
    let created = app
        .post(
            "/api/v1/platform/tenants",
            &root,
            json!({"slug": "clinica-sol", "name": "Clínica Sol", "adminEmail": "dona@sol.test", "adminPassword": "password1"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["tenant"]["slug"], "clinica-sol");
    assert_eq!(created.body["admin"]["role"], "ADMIN");
    let id = created.body["tenant"]["id"].as_str().unwrap().to_string();

    let dup = app
        .post(
            "/api/v1/platform/tenants",
            &root,
            json!({"slug": "clinica-sol", "name": "X", "adminEmail": "x@sol.test", "adminPassword": "password1"}),
        )
        .await;
    assert_eq!(dup.code(), "slug_taken");
    let bad_slug = app
        .post(
            "/api/v1/platform/tenants",
            &root,
            json!({"slug": "Bad Slug", "name": "X", "adminEmail": "x@x.test", "adminPassword": "password1"}),
        )
        .await;
    assert_eq!(bad_slug.status, StatusCode::UNPROCESSABLE_ENTITY);

    let list = app.get("/api/v1/platform/tenants", &root).await;
    assert_eq!(list.body["tenants"].as_array().unwrap().len(), 1);

    let session = app.login("clinica-sol", "dona@sol.test", "password1").await;
    let token = session.body["token"].as_str().unwrap().to_string();

    let suspended = app.post(&format!("/api/v1/platform/tenants/{id}/suspend"), &root, json!({})).await;
    assert_eq!(suspended.body["tenant"]["status"], "suspended");
    let refused = app.login("clinica-sol", "dona@sol.test", "password1").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "tenant_suspended");
    let existing = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(existing.code(), "tenant_suspended");
    // A wrong password on a suspended tenant says nothing about the suspension.
    assert_eq!(app.login("clinica-sol", "dona@sol.test", "wrong").await.code(), "invalid_credentials");

    let back = app.post(&format!("/api/v1/platform/tenants/{id}/reactivate"), &root, json!({})).await;
    assert_eq!(back.body["tenant"]["status"], "active");
    assert_eq!(app.get("/api/v1/auth/me", &token).await.status, StatusCode::OK);

    let missing =
        app.post(&format!("/api/v1/platform/tenants/{}/suspend", uuid::Uuid::now_v7()), &root, json!({})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_platform_api_needs_a_super_admin() {
    let app = spawn_app().await;
    let anonymous = app.request(reqwest::Method::GET, "/api/v1/platform/tenants", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let wrong = app
        .request(
            reqwest::Method::POST,
            "/api/v1/platform/login",
            None,
            Some(json!({"email": "no@x.test", "password": "password1"})),
        )
        .await;
    assert_eq!(wrong.code(), "invalid_credentials");
}
