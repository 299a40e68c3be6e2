use reqwest::{StatusCode, header};

use crate::helpers::*;

#[tokio::test]
async fn malformed_json_is_400_and_wrong_types_are_422_naming_the_field() {
    let app = spawn_app().await;
    let send = |body: &'static str, content_type: Option<&'static str>| {
        let mut builder = app.client.post(app.url("/api/v1/auth/login")).body(body);
        if let Some(ct) = content_type {
            builder = builder.header(header::CONTENT_TYPE, ct);
        }
        builder.send()
    };
    let malformed = read(send("{\"workspace\":", Some("application/json")).await.unwrap()).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.code(), "malformed_json");

    let wrong_type =
        read(send(r#"{"workspace":"a","email":42,"password":"x"}"#, Some("application/json")).await.unwrap()).await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.code(), "validation_failed");
    assert!(wrong_type.body["error"]["details"]["email"].is_array(), "{:?}", wrong_type.body);

    let missing = read(send(r#"{"workspace":"a","email":"a@b.co"}"#, Some("application/json")).await.unwrap()).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["error"]["message"].as_str().unwrap().contains("password"), "{:?}", missing.body);

    let no_type = read(send(r#"{"workspace":"a"}"#, None).await.unwrap()).await;
    assert_eq!(no_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(no_type.code(), "unsupported_media_type");
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_413() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let session = app.admin(&tenant).await;
    let big = format!(r#"{{"name":"{}"}}"#, "x".repeat(1024 * 1024 + 10));
    let reply = read(
        app.client
            .post(app.url("/api/v1/teams"))
            .bearer_auth(&session.token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(big)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "payload_too_large");
    // Nothing was stored.
    assert_eq!(app.get("/api/v1/teams", &session.token).await.body["teams"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let h = response.headers();
    assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert!(h.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().contains("frame-ancestors 'none'"));
    assert!(h.get(header::REFERRER_POLICY).is_some());
    assert!(h.get("x-request-id").is_some());
    let given = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(given.headers().get("x-request-id").unwrap(), "abc-123");
}

#[tokio::test]
async fn cors_allows_only_listed_origins() {
    let app = spawn_with(Options { cors_origins: vec!["https://app.example.com".into()], ..Default::default() }).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/auth/login"))
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .send()
    };
    let ok = preflight("https://app.example.com").await.unwrap();
    assert_eq!(ok.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), "https://app.example.com");
    let evil = preflight("https://evil.example").await.unwrap();
    assert!(evil.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn health_readiness_metrics_and_openapi_answer() {
    let app = spawn_app().await;
    assert_eq!(app.client.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let _ = app.login("x", "y@z.co", "whatever").await;
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    let spec: serde_json::Value =
        app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/auth/login",
        "/api/v1/users/{id}",
        "/api/v1/teams/{id}/members/{user_id}",
        "/api/v1/platform/tenants",
        "/api/v1/settings",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} missing from OpenAPI");
    }
    // Generated clients key operations by id: every operationId must be unique.
    let mut ids: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values().filter_map(|op| op["operationId"].as_str()))
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "duplicate operationIds in the OpenAPI document");
    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"), "docs page is served locally");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404_and_other_paths_get_the_spa() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<!doctype html><div id=root>atende-spa</div>").unwrap();
    std::fs::create_dir_all(web.path().join("assets")).unwrap();
    std::fs::write(web.path().join("assets/app.js"), "console.log(1)").unwrap();
    let app = spawn_with(Options { web_dir: Some(web.path().to_path_buf()), ..Default::default() }).await;

    let api = read(app.client.get(app.url("/api/v1/does-not-exist")).send().await.unwrap()).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code(), "not_found");
    let deep = app.client.get(app.url("/inbox/conversations/123")).send().await.unwrap();
    assert_eq!(deep.status(), StatusCode::OK);
    assert!(deep.text().await.unwrap().contains("atende-spa"));
    let asset = app.client.get(app.url("/assets/app.js")).send().await.unwrap();
    assert_eq!(asset.text().await.unwrap(), "console.log(1)");
}
