//! Inbox behaviour through the REST API: lists and filters, read markers, statuses,
//! assignment, reopening, history paging, bulk resolve.

use atende::tenancy::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::{core_helpers::*, helpers::*};

#[tokio::test]
async fn conversations_are_listed_filtered_read_assigned_resolved_and_reopened() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let ana_id = app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let ana = app.session("acme", "ana@acme.test").await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let first = app.receive(&channel, "e1", "cust-1", "primeira").await;
    let second = app.receive(&channel, "e2", "cust-2", "segunda").await;

    let all = app.get("/api/v1/conversations", &ana.token).await;
    assert_eq!(all.body["total"], 2);
    assert_eq!(all.body["conversations"][0]["id"], second, "newest activity first");

    let assigned = app.patch(&format!("/api/v1/conversations/{first}"), &admin.token, json!({"agentId": ana_id})).await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(assigned.body["conversation"]["assignee"]["name"], "ana");
    let mine = app.get("/api/v1/conversations?agentId=me", &ana.token).await;
    assert_eq!(mine.body["total"], 1);
    assert_eq!(mine.body["conversations"][0]["id"], first);
    let unassigned = app.get("/api/v1/conversations?agentId=none", &ana.token).await;
    assert_eq!(unassigned.body["conversations"][0]["id"], second);
    let bad_agent = app
        .patch(&format!("/api/v1/conversations/{first}"), &admin.token, json!({"agentId": uuid::Uuid::now_v7()}))
        .await;
    assert_eq!(bad_agent.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Read markers are per agent.
    assert_eq!(app.get("/api/v1/conversations?unread=true", &ana.token).await.body["total"], 2);
    assert_eq!(
        app.post(&format!("/api/v1/conversations/{first}/read"), &ana.token, json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    let unread = app.get("/api/v1/conversations?unread=true", &ana.token).await;
    assert_eq!(unread.body["total"], 1);
    assert_eq!(unread.body["conversations"][0]["id"], second);
    assert_eq!(app.get("/api/v1/conversations?unread=true", &admin.token).await.body["total"], 2);
    let one = app.get(&format!("/api/v1/conversations/{first}"), &ana.token).await;
    assert_eq!(one.body["conversation"]["unreadCount"], 0);

    // Search by contact name and message text.
    assert_eq!(app.get("/api/v1/conversations?q=segun", &ana.token).await.body["total"], 1);
    assert_eq!(app.get("/api/v1/conversations?q=maria", &ana.token).await.body["total"], 2);

    // Resolve, then a new inbound message reopens it.
    let resolved =
        app.patch(&format!("/api/v1/conversations/{first}"), &ana.token, json!({"status": "RESOLVED"})).await;
    assert_eq!(resolved.body["conversation"]["status"], "RESOLVED");
    assert!(resolved.body["conversation"]["resolvedAt"].is_string());
    assert_eq!(app.get("/api/v1/conversations?status=RESOLVED", &ana.token).await.body["total"], 1);
    app.receive(&channel, "e3", "cust-1", "voltei").await;
    let reopened = app.get(&format!("/api/v1/conversations/{first}"), &ana.token).await;
    assert_eq!(reopened.body["conversation"]["status"], "OPEN");
    assert_eq!(reopened.body["conversation"]["reopenedCount"], 1);
    assert!(reopened.body["conversation"]["resolvedAt"].is_null());
    assert_eq!(reopened.body["conversation"]["unreadCount"], 1);

    let bulk =
        app.post("/api/v1/conversations/bulk", &ana.token, json!({"ids": [first, second], "status": "RESOLVED"})).await;
    assert_eq!(bulk.body["updated"], 2);
    assert_eq!(app.get("/api/v1/conversations?status=OPEN", &ana.token).await.body["total"], 0);
    let bad_status =
        app.patch(&format!("/api/v1/conversations/{first}"), &ana.token, json!({"status": "CLOSED"})).await;
    assert_eq!(bad_status.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn message_history_pages_newest_first_with_a_stable_cursor() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let conversation = app.receive(&channel, "m0", "cust-1", "0").await;
    for n in 1..7 {
        app.inbound(&channel, &inbound_body(&format!("m{n}"), "cust-1", &n.to_string())).await;
        app.run_jobs().await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/messages?conversationId={conversation}&limit=3&cursor={c}"),
            None => format!("/api/v1/messages?conversationId={conversation}&limit=3"),
        };
        let page = app.get(&path, &admin.token).await;
        for m in page.body["messages"].as_array().unwrap() {
            seen.push(m["content"].as_str().unwrap().to_string());
        }
        match page.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, vec!["6", "5", "4", "3", "2", "1", "0"]);
}

#[tokio::test]
async fn channels_are_admin_configured_with_write_only_secrets() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let ana = app.session("acme", "ana@acme.test").await;
    let denied = app
        .post("/api/v1/channels", &ana.token, json!({"type": "API", "name": "x", "callbackUrl": "http://x.test"}))
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let created = app
        .post("/api/v1/channels", &admin.token, json!({"type": "API", "name": "CRM", "callbackUrl": "https://crm.test/hook", "credentials": {"apiKey": "k"}}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["channel"]["id"].as_str().unwrap().to_string();
    assert!(created.body["channel"]["webhookUrl"].as_str().unwrap().ends_with(&format!("/webhooks/api/{id}")));
    assert_eq!(created.body["webhookSecret"].as_str().unwrap().len(), 64);
    assert_eq!(created.body["channel"]["hasCredentials"], true);
    let fetched = app.get(&format!("/api/v1/channels/{id}"), &ana.token).await;
    let text = fetched.body.to_string();
    assert!(!text.contains("webhookSecret") && !text.contains("apiKey"), "{text}");
    let bad =
        app.post("/api/v1/channels", &admin.token, json!({"type": "API", "name": "x", "callbackUrl": "ftp://x"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let disabled = app.delete(&format!("/api/v1/channels/{id}"), &admin.token).await;
    assert_eq!(disabled.body["channel"]["enabled"], false);
    assert_eq!(app.get("/api/v1/channels", &ana.token).await.body["channels"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn agents_upload_attachments_and_send_them() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let conversation = app.receive(&channel, "e1", "cust-1", "manda o boleto").await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 fake".to_vec())
            .file_name("boleto.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let uploaded = read(
        app.client.post(app.url("/api/v1/attachments")).bearer_auth(&admin.token).multipart(form).send().await.unwrap(),
    )
    .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{:?}", uploaded.body);
    let attachment_id = uploaded.body["attachment"]["id"].as_str().unwrap().to_string();
    let sent = app
        .post(
            "/api/v1/messages",
            &admin.token,
            json!({"conversationId": conversation, "attachmentIds": [attachment_id]}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    assert_eq!(sent.body["message"]["contentType"], "file");
    assert_eq!(sent.body["message"]["attachments"][0]["fileName"], "boleto.pdf");
    let file = app
        .client
        .get(app.url(&format!("/api/v1/attachments/{attachment_id}")))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"%PDF-1.4 fake");
    let reused = app
        .post(
            "/api/v1/messages",
            &admin.token,
            json!({"conversationId": conversation, "attachmentIds": [attachment_id]}),
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let big = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(vec![0u8; 3 * 1024 * 1024])
            .file_name("foto.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let big = read(
        app.client.post(app.url("/api/v1/attachments")).bearer_auth(&admin.token).multipart(big).send().await.unwrap(),
    )
    .await;
    assert_eq!(big.status, StatusCode::CREATED, "uploads above the 1 MiB JSON limit are fine");
    let exe = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"MZ".to_vec())
            .file_name("x.exe")
            .mime_str("application/x-msdownload")
            .unwrap(),
    );
    let refused = read(
        app.client.post(app.url("/api/v1/attachments")).bearer_auth(&admin.token).multipart(exe).send().await.unwrap(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn another_tenants_conversation_message_channel_contact_and_attachment_ids_are_404() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    let channel_b = app.api_channel(&admin_b, "http://127.0.0.1:9/unused").await;
    let conversation_b = app.receive(&channel_b, "e1", "cust-1", "de B").await;
    let message_b =
        app.get(&format!("/api/v1/messages?conversationId={conversation_b}"), &admin_b.token).await.body["messages"][0]
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let contact_b = app.get(&format!("/api/v1/conversations/{conversation_b}"), &admin_b.token).await.body["conversation"]["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.txt").mime_str("text/plain").unwrap(),
    );
    let attachment_b = read(
        app.client
            .post(app.url("/api/v1/attachments"))
            .bearer_auth(&admin_b.token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
    .body["attachment"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let channel_a = app.api_channel(&admin_a, "http://127.0.0.1:9/unused").await;
    let conversation_a = app.receive(&channel_a, "e1", "cust-1", "de A").await;

    let attempts = vec![
        (reqwest::Method::GET, format!("/api/v1/conversations/{conversation_b}"), None),
        (
            reqwest::Method::PATCH,
            format!("/api/v1/conversations/{conversation_b}"),
            Some(json!({"status": "RESOLVED"})),
        ),
        (reqwest::Method::POST, format!("/api/v1/conversations/{conversation_b}/read"), Some(json!({}))),
        (reqwest::Method::GET, format!("/api/v1/messages?conversationId={conversation_b}"), None),
        (
            reqwest::Method::POST,
            "/api/v1/messages".to_string(),
            Some(json!({"conversationId": conversation_b, "content": "x"})),
        ),
        (reqwest::Method::POST, format!("/api/v1/messages/{message_b}/retry"), Some(json!({}))),
        (reqwest::Method::GET, format!("/api/v1/channels/{}", channel_b.id), None),
        (reqwest::Method::PATCH, format!("/api/v1/channels/{}", channel_b.id), Some(json!({"name": "x"}))),
        (reqwest::Method::DELETE, format!("/api/v1/channels/{}", channel_b.id), None),
        (reqwest::Method::GET, format!("/api/v1/contacts/{contact_b}/conversations"), None),
        (reqwest::Method::GET, format!("/api/v1/attachments/{attachment_b}"), None),
        (reqwest::Method::POST, format!("/api/v1/jobs/{}/retry", uuid::Uuid::now_v7()), Some(json!({}))),
    ];
    for (method, path, body) in attempts {
        let reply = app.request(method.clone(), &path, Some(&admin_a.token), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:?}", reply.body);
    }
    // Attaching B's file to A's message is refused too.
    let steal = app
        .post(
            "/api/v1/messages",
            &admin_a.token,
            json!({"conversationId": conversation_a, "attachmentIds": [attachment_b]}),
        )
        .await;
    assert_eq!(steal.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Bulk ignores ids of other tenants.
    let bulk = app
        .post("/api/v1/conversations/bulk", &admin_a.token, json!({"ids": [conversation_b], "status": "RESOLVED"}))
        .await;
    assert_eq!(bulk.body["updated"], 0);
    let still = app.get(&format!("/api/v1/conversations/{conversation_b}"), &admin_b.token).await;
    assert_eq!(still.body["conversation"]["status"], "OPEN");
    assert_eq!(app.get("/api/v1/conversations", &admin_a.token).await.body["total"], 1);
    assert_eq!(count(&app, "messages").await, 2);
}

#[tokio::test]
async fn a_snoozed_conversation_wakes_up_when_its_time_comes() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let conversation = app.receive(&channel, "e1", "cust-1", "me chama amanhã").await;
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let refused =
        app.patch(&format!("/api/v1/conversations/{conversation}"), &admin.token, json!({"snoozedUntil": past})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "snoozing into the past");
    let until = chrono::Utc::now() + chrono::Duration::hours(1);
    let snoozed =
        app.patch(&format!("/api/v1/conversations/{conversation}"), &admin.token, json!({"snoozedUntil": until})).await;
    assert!(snoozed.body["conversation"]["snoozedUntil"].is_string(), "{:?}", snoozed.body);
    assert!(atende::scheduler::tick(&app.state).await.unwrap());
    let still = app.get(&format!("/api/v1/conversations/{conversation}"), &admin.token).await;
    assert!(still.body["conversation"]["snoozedUntil"].is_string(), "not yet");
    atende::scheduler::tick_at(&app.state, until + chrono::Duration::seconds(1)).await.unwrap();
    let woke = app.get(&format!("/api/v1/conversations/{conversation}"), &admin.token).await;
    assert!(woke.body["conversation"]["snoozedUntil"].is_null());
}

#[tokio::test]
async fn only_one_instance_runs_a_scheduler_tick_on_postgres() {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    let app = spawn_app().await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return; // SQLite is single-node: every tick runs (covered above).
    }
    let other_instance = app.db.begin().await.unwrap();
    other_instance
        .execute_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!("SELECT pg_advisory_xact_lock({})", atende::scheduler::LEADER_KEY),
        ))
        .await
        .unwrap();
    assert!(!atende::scheduler::tick(&app.state).await.unwrap(), "another instance holds leadership");
    other_instance.rollback().await.unwrap();
    assert!(atende::scheduler::tick(&app.state).await.unwrap());
}

/// Issue 15 §1: an API-channel integrator receives files as absolute, signed,
/// expiring links it can download without an Atende login.
#[tokio::test]
async fn api_channel_callbacks_carry_absolute_signed_expiring_file_links() {
    use wiremock::{
        Mock, MockServer, ResponseTemplate,
        matchers::{method, path},
    };
    let app = spawn_app().await;
    let callback = MockServer::start().await;
    Mock::given(method("POST")).and(path("/hook")).respond_with(ResponseTemplate::new(200)).mount(&callback).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, &format!("{}/hook", callback.uri())).await;
    let conversation = app.receive(&channel, "e1", "cust-1", "manda o boleto").await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 boleto".to_vec())
            .file_name("boleto.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let uploaded = read(
        app.client.post(app.url("/api/v1/attachments")).bearer_auth(&admin.token).multipart(form).send().await.unwrap(),
    )
    .await;
    let attachment_id = uploaded.body["attachment"]["id"].as_str().unwrap().to_string();
    let sent = app
        .post(
            "/api/v1/messages",
            &admin.token,
            json!({"conversationId": conversation, "attachmentIds": [attachment_id]}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    app.run_jobs().await;

    let requests = callback.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let payload: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    let link = payload["message"]["attachments"][0]["url"].as_str().unwrap().to_string();
    let parsed = reqwest::Url::parse(&link).expect("an absolute URL");
    assert!(parsed.path().starts_with("/media/"), "{link}");
    // The link names this server's public URL; fetch its path here, with no login.
    let here = app.url(parsed.path());
    let file = app.client.get(&here).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"%PDF-1.4 boleto");
    // Any change to the link, or its expiry, makes it worthless.
    let mut tampered = here.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == '0' { '1' } else { '0' });
    assert_eq!(app.client.get(&tampered).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    app.state.clock.freeze();
    app.state.clock.advance(chrono::Duration::days(8));
    assert_eq!(app.client.get(&here).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}
