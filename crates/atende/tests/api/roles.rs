use atende::tenancy::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_agent_cannot_create_or_list_users() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let create = app
        .post(
            "/api/v1/users",
            &agent.token,
            json!({"email": "x@acme.test", "name": "X", "password": "password1", "role": "AGENT"}),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    assert_eq!(create.code(), "forbidden");
    assert_eq!(app.get("/api/v1/users", &agent.token).await.status, StatusCode::FORBIDDEN);
    // An agent can still read and edit their own profile.
    let own = app.get(&format!("/api/v1/users/{}", agent.user_id), &agent.token).await;
    assert_eq!(own.status, StatusCode::OK);
    let renamed =
        app.patch(&format!("/api/v1/users/{}", agent.user_id), &agent.token, json!({"name": "Ana Souza"})).await;
    assert_eq!(renamed.body["user"]["name"], "Ana Souza");
    let promote = app.patch(&format!("/api/v1/users/{}", agent.user_id), &agent.token, json!({"role": "ADMIN"})).await;
    assert_eq!(promote.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_manager_reads_but_cannot_change_settings() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    app.create_user(&tenant, "max@acme.test", Role::Manager).await;
    let manager = app.session("acme", "max@acme.test").await;
    let read = app.get("/api/v1/settings", &manager.token).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["settings"]["idleTimeoutMinutes"], 10);
    let write = app.put("/api/v1/settings", &manager.token, json!({"idleTimeoutMinutes": 5})).await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/settings", &manager.token).await.body["settings"]["idleTimeoutMinutes"], 10);
    // Managers may list users but not create them.
    assert_eq!(app.get("/api/v1/users", &manager.token).await.status, StatusCode::OK);
    let create = app
        .post(
            "/api/v1/users",
            &manager.token,
            json!({"email": "x@acme.test", "name": "X", "password": "password1", "role": "AGENT"}),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_admin_changes_settings_partially_and_bad_values_are_refused() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let write = app.put("/api/v1/settings", &admin.token, json!({"idleTimeoutMinutes": 5, "autoLogout": true})).await;
    assert_eq!(write.status, StatusCode::OK, "{:?}", write.body);
    assert_eq!(write.body["settings"]["idleTimeoutMinutes"], 5);
    assert_eq!(write.body["settings"]["autoLogout"], true);
    assert_eq!(write.body["settings"]["fcrWindowDays"], 7);
    let bad = app.put("/api/v1/settings", &admin.token, json!({"idleTimeoutMinutes": 0})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["error"]["details"]["idleTimeoutMinutes"].is_array(), "{:?}", bad.body);
    let unknown = app.put("/api/v1/settings", &admin.token, json!({"colour": "blue"})).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/settings", &admin.token).await.body["settings"]["idleTimeoutMinutes"], 5);
}

#[tokio::test]
async fn managers_list_and_read_only_the_people_of_the_teams_they_supervise() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let max = app.create_user(&tenant, "max@acme.test", Role::Manager).await;
    let ana = app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let bia = app.create_user(&tenant, "bia@acme.test", Role::Agent).await;
    let team = app.post("/api/v1/teams", &admin.token, json!({"name": "Suporte"})).await.body["team"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.put(&format!("/api/v1/teams/{team}/members/{max}"), &admin.token, json!({"supervisor": true})).await;
    app.put(&format!("/api/v1/teams/{team}/members/{ana}"), &admin.token, json!({})).await;
    let manager = app.session("acme", "max@acme.test").await;

    let list = app.get("/api/v1/users", &manager.token).await;
    let mut ids: Vec<String> =
        list.body["users"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    let mut expected = vec![max.to_string(), ana.to_string()];
    expected.sort();
    assert_eq!(ids, expected, "the manager and the supervised agent only");
    assert_eq!(list.body["total"], 2);
    assert_eq!(app.get(&format!("/api/v1/users/{ana}"), &manager.token).await.status, StatusCode::OK);
    for path in [format!("/api/v1/users/{bia}"), format!("/api/v1/users/{}", tenant.admin_id)] {
        let reply = app.get(&path, &manager.token).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(app.patch(&path, &manager.token, json!({"name": "x"})).await.status, StatusCode::NOT_FOUND);
    }
    // A supervised agent still cannot be changed by the manager.
    assert_eq!(
        app.patch(&format!("/api/v1/users/{ana}"), &manager.token, json!({"name": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
    // Admins still see everyone.
    assert_eq!(app.get("/api/v1/users", &admin.token).await.body["total"], 4);
}
