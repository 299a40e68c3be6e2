//! Canned responses: per-workspace short codes that managers maintain and agents use.

use atende::tenancy::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_manager_creates_searches_updates_and_deletes_canned_responses() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    app.create_user(&tenant, "max@acme.test", Role::Manager).await;
    let manager = app.session("acme", "max@acme.test").await;

    let created = app
        .post(
            "/api/v1/canned-responses",
            &manager.token,
            json!({"shortCode": "saudacao", "content": "Olá {{contact.name}}, aqui é {{agent.name}}!"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["cannedResponse"]["id"].as_str().unwrap().to_string();
    assert_eq!(created.body["cannedResponse"]["shortCode"], "saudacao");
    assert!(created.body["cannedResponse"]["createdAt"].is_string());
    app.post("/api/v1/canned-responses", &manager.token, json!({"shortCode": "pix_2", "content": "Chave PIX: X"}))
        .await;

    let all = app.get("/api/v1/canned-responses", &manager.token).await;
    let codes: Vec<&str> =
        all.body["cannedResponses"].as_array().unwrap().iter().filter_map(|c| c["shortCode"].as_str()).collect();
    assert_eq!(codes, ["pix_2", "saudacao"]);
    for (search, expected) in [("SAUDA", "saudacao"), ("chave pix", "pix_2"), ("x_2", "pix_2")] {
        let found = app.get(&format!("/api/v1/canned-responses?search={search}"), &manager.token).await;
        let list = found.body["cannedResponses"].as_array().unwrap();
        assert_eq!(list.len(), 1, "search {search}: {:?}", found.body);
        assert_eq!(list[0]["shortCode"], expected);
    }

    let patched =
        app.patch(&format!("/api/v1/canned-responses/{id}"), &manager.token, json!({"content": "Bom dia!"})).await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.body["cannedResponse"]["content"], "Bom dia!");
    assert_eq!(patched.body["cannedResponse"]["shortCode"], "saudacao");
    let one = app.get(&format!("/api/v1/canned-responses/{id}"), &manager.token).await;
    assert_eq!(one.body["cannedResponse"]["content"], "Bom dia!");

    assert_eq!(
        app.delete(&format!("/api/v1/canned-responses/{id}"), &manager.token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get(&format!("/api/v1/canned-responses/{id}"), &manager.token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/canned-responses", &manager.token).await.body["cannedResponses"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn short_codes_are_unique_per_workspace_and_validated() {
    let app = spawn_app().await;
    let acme = app.create_tenant("acme").await;
    let other = app.create_tenant("other").await;
    let admin = app.admin(&acme).await;
    let body = json!({"shortCode": "ola", "content": "Olá!"});
    assert_eq!(app.post("/api/v1/canned-responses", &admin.token, body.clone()).await.status, StatusCode::CREATED);
    let dup = app.post("/api/v1/canned-responses", &admin.token, body.clone()).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "short_code_taken");
    // Another workspace may use the same code.
    let other_admin = app.admin(&other).await;
    assert_eq!(app.post("/api/v1/canned-responses", &other_admin.token, body).await.status, StatusCode::CREATED);
    // Renaming onto a taken code is a conflict too.
    let second =
        app.post("/api/v1/canned-responses", &admin.token, json!({"shortCode": "tchau", "content": "Tchau"})).await;
    let second_id = second.body["cannedResponse"]["id"].as_str().unwrap();
    let rename =
        app.patch(&format!("/api/v1/canned-responses/{second_id}"), &admin.token, json!({"shortCode": "ola"})).await;
    assert_eq!(rename.status, StatusCode::CONFLICT);
    assert_eq!(rename.code(), "short_code_taken");

    for (body, field) in [
        (json!({"shortCode": "has space", "content": "x"}), "shortCode"),
        (json!({"shortCode": "", "content": "x"}), "shortCode"),
        (json!({"shortCode": "x".repeat(61), "content": "x"}), "shortCode"),
        (json!({"shortCode": "ok", "content": ""}), "content"),
        (json!({"shortCode": "ok", "content": "   "}), "content"),
    ] {
        let reply = app.post("/api/v1/canned-responses", &admin.token, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
        assert!(reply.body["error"]["details"][field].is_array(), "{body}: {:?}", reply.body);
    }
    let bad_patch =
        app.patch(&format!("/api/v1/canned-responses/{second_id}"), &admin.token, json!({"shortCode": "a/b"})).await;
    assert!(bad_patch.body["error"]["details"]["shortCode"].is_array(), "{:?}", bad_patch.body);
}

#[tokio::test]
async fn agents_read_canned_responses_but_cannot_write_them() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let created =
        app.post("/api/v1/canned-responses", &admin.token, json!({"shortCode": "oi", "content": "Oi!"})).await;
    let id = created.body["cannedResponse"]["id"].as_str().unwrap().to_string();

    assert_eq!(app.get("/api/v1/canned-responses", &agent.token).await.body["cannedResponses"][0]["shortCode"], "oi");
    assert_eq!(app.get(&format!("/api/v1/canned-responses/{id}"), &agent.token).await.status, StatusCode::OK);
    let writes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, "/api/v1/canned-responses".into(), Some(json!({"shortCode": "x", "content": "x"}))),
        (Method::PATCH, format!("/api/v1/canned-responses/{id}"), Some(json!({"content": "changed"}))),
        (Method::DELETE, format!("/api/v1/canned-responses/{id}"), None),
    ];
    for (method, path, body) in writes {
        let reply = app.request(method.clone(), &path, Some(&agent.token), body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    assert_eq!(
        app.get(&format!("/api/v1/canned-responses/{id}"), &agent.token).await.body["cannedResponse"]["content"],
        "Oi!"
    );
}

#[tokio::test]
async fn every_canned_response_endpoint_answers_404_for_another_tenants_ids_and_changes_nothing() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    let created = app.post("/api/v1/canned-responses", &admin_b.token, json!({"shortCode": "b", "content": "B"})).await;
    let b_id = created.body["cannedResponse"]["id"].as_str().unwrap().to_string();

    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/canned-responses/{b_id}"), None),
        (Method::PATCH, format!("/api/v1/canned-responses/{b_id}"), Some(json!({"content": "hacked"}))),
        (Method::DELETE, format!("/api/v1/canned-responses/{b_id}"), None),
    ];
    for (method, path, body) in attempts {
        let reply = app.request(method.clone(), &path, Some(&admin_a.token), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:?}", reply.body);
        assert_eq!(reply.code(), "not_found");
    }
    assert!(
        app.get("/api/v1/canned-responses", &admin_a.token).await.body["cannedResponses"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let after = app.get(&format!("/api/v1/canned-responses/{b_id}"), &admin_b.token).await;
    assert_eq!(after.body["cannedResponse"]["content"], "B");
}
