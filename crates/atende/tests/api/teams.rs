use atende::tenancy::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn teams_have_members_and_supervising_managers() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let agent = app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let manager = app.create_user(&tenant, "max@acme.test", Role::Manager).await;

    let team = app.post("/api/v1/teams", &admin.token, json!({"name": "Vendas", "description": "Sales"})).await;
    assert_eq!(team.status, StatusCode::CREATED, "{:?}", team.body);
    let team_id = team.body["team"]["id"].as_str().unwrap().to_string();
    let dup = app.post("/api/v1/teams", &admin.token, json!({"name": "Vendas"})).await;
    assert_eq!(dup.code(), "team_name_taken");

    let add = app.put(&format!("/api/v1/teams/{team_id}/members/{agent}"), &admin.token, json!({})).await;
    assert_eq!(add.status, StatusCode::OK, "{:?}", add.body);
    let agent_supervisor =
        app.put(&format!("/api/v1/teams/{team_id}/members/{agent}"), &admin.token, json!({"supervisor": true})).await;
    assert_eq!(agent_supervisor.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sup =
        app.put(&format!("/api/v1/teams/{team_id}/members/{manager}"), &admin.token, json!({"supervisor": true})).await;
    assert_eq!(sup.body["member"]["supervisor"], true);

    let members = app.get(&format!("/api/v1/teams/{team_id}/members"), &admin.token).await;
    assert_eq!(members.body["members"].as_array().unwrap().len(), 2);
    let view = app.get(&format!("/api/v1/teams/{team_id}"), &admin.token).await;
    assert_eq!(view.body["team"]["memberCount"], 2);
    assert_eq!(view.body["team"]["supervisorIds"][0], manager.to_string());

    // A manager sees the teams they supervise, an agent their own; an outsider none.
    let other = app.post("/api/v1/teams", &admin.token, json!({"name": "Suporte"})).await;
    let other_id = other.body["team"]["id"].as_str().unwrap().to_string();
    let max = app.session("acme", "max@acme.test").await;
    let seen = app.get("/api/v1/teams", &max.token).await;
    assert_eq!(seen.body["teams"].as_array().unwrap().len(), 1);
    assert_eq!(app.get(&format!("/api/v1/teams/{other_id}"), &max.token).await.status, StatusCode::NOT_FOUND);
    let ana = app.session("acme", "ana@acme.test").await;
    assert_eq!(app.get("/api/v1/teams", &ana.token).await.body["teams"][0]["id"], team_id);
    assert_eq!(
        app.post("/api/v1/teams", &max.token, json!({"name": "Nope"})).await.status,
        StatusCode::FORBIDDEN,
        "managers do not create teams"
    );

    let renamed = app
        .patch(&format!("/api/v1/teams/{team_id}"), &admin.token, json!({"name": "Vendas SP", "description": null}))
        .await;
    assert_eq!(renamed.body["team"]["name"], "Vendas SP");
    assert!(renamed.body["team"]["description"].is_null());
    assert_eq!(
        app.delete(&format!("/api/v1/teams/{team_id}/members/{agent}"), &admin.token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.delete(&format!("/api/v1/teams/{team_id}"), &admin.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/teams/{team_id}"), &admin.token).await.status, StatusCode::NOT_FOUND);
}
