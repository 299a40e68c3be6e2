//! The core loop end to end: signed webhook → contact + conversation + message →
//! socket event; agent reply → signed callback → SENT / retries / FAILED.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

use crate::{core_helpers::*, helpers::*, socket::SocketProbe};

#[tokio::test]
async fn a_signed_webhook_creates_contact_conversation_and_message_and_the_agent_socket_hears_it() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;

    let (mut socket, connected) = SocketProbe::connect(&app.base, Some(&agent.token), None).await;
    assert_eq!(connected["type"], "connect", "{connected:?}");

    let ack = app.inbound(&channel, &inbound_body("ext-1", "cust-42", "Olá, quero um orçamento")).await;
    assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
    assert_eq!(ack.body["status"], "accepted");
    assert_eq!(app.run_jobs().await, 1);

    let created = socket.event("conversation_created").await;
    let message = socket.event("new_message").await;
    assert_eq!(message["content"], "Olá, quero um orçamento");
    assert_eq!(message["senderType"], "CONTACT");
    assert_eq!(message["externalId"], "ext-1");
    assert_eq!(message["conversationId"], created["id"]);
    let contact_event = socket.event("contact_updated").await;
    assert_eq!(contact_event["name"], "Maria Silva");

    // The REST API shows the same ids.
    let list = app.get("/api/v1/conversations", &agent.token).await;
    assert_eq!(list.body["total"], 1);
    let conversation = &list.body["conversations"][0];
    assert_eq!(conversation["id"], created["id"]);
    assert_eq!(conversation["status"], "OPEN");
    assert_eq!(conversation["unreadCount"], 1);
    assert_eq!(conversation["contact"]["name"], "Maria Silva");
    assert_eq!(conversation["contact"]["id"], contact_event["id"]);
    assert_eq!(conversation["channel"]["type"], "API");
    assert_eq!(conversation["lastMessagePreview"], "Olá, quero um orçamento");
    let history =
        app.get(&format!("/api/v1/messages?conversationId={}", created["id"].as_str().unwrap()), &agent.token).await;
    assert_eq!(history.body["messages"][0]["id"], message["id"]);
    // Lead capture: the contact carries the channel identity and phone.
    let identities = contact_event["identities"].as_array().unwrap();
    assert!(identities.iter().any(|i| i["kind"] == "api" && i["value"] == "cust-42"));
    assert!(identities.iter().any(|i| i["kind"] == "phone" && i["value"] == phone_of("cust-42")));
    socket.close().await;
}

#[tokio::test]
async fn a_duplicate_delivery_makes_no_second_message_and_a_bad_signature_stores_nothing() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let body = inbound_body("ext-1", "cust-1", "oi");

    let raw = serde_json::to_vec(&body).unwrap();
    let forged = app.inbound_raw(&channel, &raw, Some(atende::channels::adapters::api::sign(b"wrong", &raw))).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.code(), "invalid_signature");
    let unsigned = app.inbound_raw(&channel, &raw, None).await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app, "webhook_events").await, 0);
    assert_eq!(count(&app, "jobs").await, 0);

    assert_eq!(app.inbound(&channel, &body).await.body["status"], "accepted");
    let again = app.inbound(&channel, &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["status"], "duplicate");
    app.run_jobs().await;
    assert_eq!(count(&app, "messages").await, 1);
    assert_eq!(count(&app, "contacts").await, 1);

    // A second message from the same person lands in the same conversation and contact.
    app.inbound(&channel, &inbound_body("ext-2", "cust-1", "tudo bem?")).await;
    app.run_jobs().await;
    assert_eq!(count(&app, "messages").await, 2);
    assert_eq!(count(&app, "contacts").await, 1);
    assert_eq!(count(&app, "conversations").await, 1);

    let invalid =
        app.inbound(&channel, &json!({"externalId": "", "contact": {"identifier": "x"}, "content": "a"})).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown =
        app.inbound(&ApiChannel { id: uuid::Uuid::now_v7().to_string(), secret: channel.secret.clone() }, &body).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_agent_reply_reaches_the_callback_signed_and_turns_sent() {
    let app = spawn_app().await;
    let callback = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"externalId": "crm-77"})))
        .mount(&callback)
        .await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, &format!("{}/hook", callback.uri())).await;
    let conversation = app.receive(&channel, "ext-1", "cust-1", "oi").await;

    let sent = app
        .post(
            "/api/v1/messages",
            &admin.token,
            json!({"conversationId": conversation, "content": "Olá! Como posso ajudar?"}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    assert_eq!(sent.body["message"]["status"], "PENDING");
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;

    let requests = callback.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let signature = request.headers.get("x-atende-signature").unwrap().to_str().unwrap();
    assert!(atende::channels::adapters::api::verify(channel.secret.as_bytes(), &request.body, Some(signature)));
    let payload: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(payload["event"], "message.created");
    assert_eq!(payload["message"]["id"], id);
    assert_eq!(payload["message"]["content"], "Olá! Como posso ajudar?");
    assert_eq!(payload["conversation"]["id"], conversation);
    assert!(payload["contact"]["identities"].as_array().unwrap().iter().any(|i| i["value"] == "cust-1"));

    let history = app.get(&format!("/api/v1/messages?conversationId={conversation}"), &admin.token).await;
    let mine = &history.body["messages"][0];
    assert_eq!(mine["id"], id);
    assert_eq!(mine["status"], "SENT");
    assert_eq!(mine["externalId"], "crm-77");
    assert_eq!(mine["sender"]["name"], "Admin");
    // Replying assigned the conversation and recorded the first reply.
    let c = app.get(&format!("/api/v1/conversations/{conversation}"), &admin.token).await;
    assert_eq!(c.body["conversation"]["assignee"]["id"], tenant.admin_id.to_string());
    assert!(c.body["conversation"]["firstReplyAt"].is_string());
}

#[tokio::test]
async fn a_callback_failing_three_times_then_succeeding_still_ends_sent() {
    let app = spawn_app().await;
    let callback = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&callback)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).with_priority(2).mount(&callback).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, &callback.uri()).await;
    let conversation = app.receive(&channel, "ext-1", "cust-1", "oi").await;
    let sent = app
        .post("/api/v1/messages", &admin.token, json!({"conversationId": conversation, "content": "resposta"}))
        .await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    assert_eq!(callback.received_requests().await.unwrap().len(), 4);
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation}"), &admin.token).await;
    assert_eq!(history.body["messages"][0]["id"], id);
    assert_eq!(history.body["messages"][0]["status"], "SENT");
}

#[tokio::test]
async fn a_callback_that_always_fails_ends_failed_with_the_reason_and_can_be_retried() {
    let app = spawn_app().await;
    let callback = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down for maintenance"))
        .mount(&callback)
        .await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, &callback.uri()).await;
    let conversation = app.receive(&channel, "ext-1", "cust-1", "oi").await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    let sent = app
        .post("/api/v1/messages", &admin.token, json!({"conversationId": conversation, "content": "resposta"}))
        .await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    assert_eq!(sent.body["message"]["deliveryAttempts"], 0);
    assert_eq!(sent.body["message"]["maxDeliveryAttempts"], 6);
    app.run_jobs().await;
    assert_eq!(callback.received_requests().await.unwrap().len(), 6, "max attempts");
    // While retrying, every attempt is announced still PENDING, with its number and why.
    let retrying = socket
        .wait_for(
            |v| {
                v["name"] == "message_status_update"
                    && v["data"]["status"] == "PENDING"
                    && v["data"]["deliveryAttempts"] == 2
            },
            Duration::from_secs(10),
        )
        .await
        .expect("the second attempt reaches the socket");
    assert_eq!(retrying["data"]["failureCode"], "provider_unavailable");
    assert_eq!(retrying["data"]["maxDeliveryAttempts"], 6);
    let failed = socket
        .wait_for(|v| v["name"] == "message_status_update" && v["data"]["status"] == "FAILED", Duration::from_secs(10))
        .await;
    assert!(failed.is_some(), "the FAILED status reaches the socket");
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation}"), &admin.token).await;
    let message = &history.body["messages"][0];
    assert_eq!(message["status"], "FAILED");
    assert_eq!(message["failureCode"], "provider_unavailable");
    assert_eq!(message["deliveryAttempts"], 6);
    assert!(message["failureReason"].as_str().unwrap().contains("503"), "{message:?}");
    assert!(
        !message["failureReason"].as_str().unwrap().contains("down for maintenance"),
        "the integrator's body is not shown verbatim"
    );
    let dead = app.get("/api/v1/jobs?state=dead", &admin.token).await;
    assert_eq!(dead.body["total"], 1);
    assert_eq!(dead.body["jobs"][0]["kind"], "deliver_message");

    // The provider recovers; a retry delivers it.
    callback.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&callback).await;
    let retried = app.post(&format!("/api/v1/messages/{id}/retry"), &admin.token, json!({})).await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    assert_eq!(retried.body["message"]["status"], "PENDING");
    assert_eq!(retried.body["message"]["deliveryAttempts"], 0, "a manual retry starts counting again");
    assert!(retried.body["message"]["failureCode"].is_null());
    let twice = app.post(&format!("/api/v1/messages/{id}/retry"), &admin.token, json!({})).await;
    assert_eq!(twice.code(), "not_failed");
    app.run_jobs().await;
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation}"), &admin.token).await;
    assert_eq!(history.body["messages"][0]["status"], "SENT");
    assert!(history.body["messages"][0]["failureReason"].is_null());
    socket.close().await;
}

#[tokio::test]
async fn private_notes_are_stored_and_shown_but_never_sent() {
    let app = spawn_app().await;
    let callback = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&callback).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, &callback.uri()).await;
    let conversation = app.receive(&channel, "ext-1", "cust-1", "oi").await;
    let note = app
        .post(
            "/api/v1/messages",
            &admin.token,
            json!({"conversationId": conversation, "content": "cliente VIP", "isPrivate": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED);
    assert_eq!(note.body["message"]["isPrivate"], true);
    app.run_jobs().await;
    assert!(callback.received_requests().await.unwrap().is_empty());
    let c = app.get(&format!("/api/v1/conversations/{conversation}"), &admin.token).await;
    assert_eq!(c.body["conversation"]["lastMessagePreview"], "oi", "notes do not become the preview");
    assert!(c.body["conversation"]["firstReplyAt"].is_null(), "a note is not a reply");
    let empty =
        app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation, "content": "  "})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_worker_dying_mid_job_leaves_it_to_be_picked_up_again_and_a_delivery_applied_twice_stores_once() {
    let app = spawn_with(Options { job_lease_secs: Some(1), ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let ack = app.inbound(&channel, &inbound_body("ext-1", "cust-1", "oi")).await;
    assert_eq!(app.run_jobs().await, 1, "the pipeline applies the stored delivery");
    assert_eq!(count(&app, "messages").await, 1);

    // A lane that applied it but whose 'processed' mark was lost (e.g. two instances
    // overlapping during a lease takeover): applying it again stores nothing new.
    use sea_orm::ConnectionTrait;
    let event_id: uuid::Uuid = ack.body["eventId"].as_str().unwrap().parse().unwrap();
    app.db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            app.db.get_database_backend(),
            match app.db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => "UPDATE webhook_events SET status = 'received' WHERE id = $1",
                _ => "UPDATE webhook_events SET status = 'received' WHERE id = ?",
            },
            [event_id.into()],
        ))
        .await
        .unwrap();
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(count(&app, "messages").await, 1, "no duplicate message");

    // A job worker claims a job and dies before finishing it.
    let job = atende::jobs::JobPayload::ProcessWebhook { event_id };
    atende::jobs::store::enqueue(&app.db, Some(tenant.id), &job, None).await.unwrap();
    let now = chrono::Utc::now();
    atende::jobs::store::claim(&app.db, "doomed-worker", now, now + chrono::Duration::seconds(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.run_jobs().await, 0, "the job is leased to the dead worker");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(app.run_jobs().await, 1, "the expired lease lets another worker take it");
    let done = app.get("/api/v1/jobs?state=done", &admin.token).await;
    assert_eq!(done.body["total"], 1);
    assert_eq!(done.body["jobs"][0]["attempts"], 2);
}

#[tokio::test]
async fn background_workers_deliver_without_being_driven() {
    let app = spawn_with(Options { workers: 2, ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    app.inbound(&channel, &inbound_body("ext-1", "cust-1", "oi")).await;
    let message = socket.event("new_message").await;
    assert_eq!(message["content"], "oi");
    socket.close().await;
}

#[tokio::test]
async fn the_same_phone_on_another_channel_is_the_same_contact() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let site = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let shop = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let mut body = inbound_body("e1", "site-user-9", "oi pelo site");
    body["contact"]["phone"] = json!("+5521988887777");
    app.inbound(&site, &body).await;
    let mut body = inbound_body("e1", "shop-user-3", "oi pela loja");
    body["contact"]["phone"] = json!("+5521988887777");
    app.inbound(&shop, &body).await;
    app.run_jobs().await;
    assert_eq!(count(&app, "contacts").await, 1, "matched by phone across channels");
    assert_eq!(count(&app, "conversations").await, 2, "one conversation per channel");
}

#[tokio::test]
async fn concurrent_webhooks_with_parallel_workers_ingest_everything_without_lock_retries() {
    let app = spawn_with(Options { workers: 4, ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = std::sync::Arc::new(app.api_channel(&admin, "http://127.0.0.1:9/unused").await);
    let app = std::sync::Arc::new(app);
    let mut posts = tokio::task::JoinSet::new();
    for n in 0..40 {
        let (app, channel) = (app.clone(), channel.clone());
        posts.spawn(async move {
            let reply = app.inbound(&channel, &inbound_body(&format!("e{n}"), &format!("cust-{}", n % 8), "oi")).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        });
    }
    while let Some(done) = posts.join_next().await {
        done.unwrap();
    }
    for _ in 0..200 {
        if count(&app, "messages").await == 40 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&app, "messages").await, 40);
    assert_eq!(count(&app, "contacts").await, 8);
    assert_eq!(count(&app, "conversations").await, 8);
    let retried = app.get("/api/v1/jobs?state=done&limit=200", &admin.token).await;
    let attempts: Vec<i64> =
        retried.body["jobs"].as_array().unwrap().iter().map(|j| j["attempts"].as_i64().unwrap()).collect();
    assert!(attempts.iter().all(|a| *a == 1), "no job needed a retry: {attempts:?}");
}

#[tokio::test]
async fn erasing_a_contact_also_removes_the_files_sent_in_its_conversations() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let conversation = app.receive(&channel, "e1", "cust-1", "oi").await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF".to_vec()).file_name("a.pdf").mime_str("application/pdf").unwrap(),
    );
    let up = read(
        app.client.post(app.url("/api/v1/attachments")).bearer_auth(&admin.token).multipart(form).send().await.unwrap(),
    )
    .await;
    let attachment = up.body["attachment"]["id"].as_str().unwrap().to_string();
    app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation, "attachmentIds": [attachment]}))
        .await;
    let stored = app.database.as_ref().unwrap().data_dir.join("uploads").join(tenant.id.to_string()).join(&attachment);
    assert!(stored.exists());
    let contact = app.get(&format!("/api/v1/conversations/{conversation}"), &admin.token).await.body["conversation"]["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let erased = app.delete(&format!("/api/v1/contacts/{contact}"), &admin.token).await;
    assert!(erased.status.is_success(), "{:?}", erased.body);
    assert_eq!(count(&app, "attachments").await, 0);
    assert!(!stored.exists(), "the file is gone from disk too");
    assert_eq!(app.get(&format!("/api/v1/attachments/{attachment}"), &admin.token).await.status, StatusCode::NOT_FOUND);
}
