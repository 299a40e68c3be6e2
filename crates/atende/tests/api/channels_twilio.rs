//! WHATSAPP_TWILIO end to end: signed form webhook → contact, conversation, message
//! → socket; agent reply → Twilio Messages API (mock) → status callbacks → socket.

use reqwest::StatusCode;
use serde_json::json;
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{header, method, path},
};

use crate::{channel_helpers::*, core_helpers::count, socket::SocketProbe};

fn messages_path() -> String {
    format!("/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
}

fn created(sid: &str) -> ResponseTemplate {
    let body: serde_json::Value =
        serde_json::from_str(include_str!("../../../providers/tests/fixtures/twilio/send_201.json")).unwrap();
    let mut body = body;
    body["sid"] = json!(sid);
    ResponseTemplate::new(201).set_body_json(body)
}

fn basic_auth() -> String {
    use base64::Engine as _;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{TWILIO_SID}:{TWILIO_TOKEN}")))
}

#[tokio::test]
async fn a_twilio_whatsapp_message_comes_in_is_answered_and_its_receipts_reach_the_socket() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .and(header("authorization", basic_auth().as_str()))
        .respond_with(created("SMfedcba9876543210fedcba9876543210"))
        .mount(&providers.twilio)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    assert_eq!(channel.webhook_url, format!("{PUBLIC_URL}/webhooks/twilio/{}", channel.id));
    let (mut socket, connected) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    assert_eq!(connected["type"], "connect");

    // The reference's inbound text (non-ASCII body), signed for our public URL.
    let params = form(include_str!("../../../providers/tests/fixtures/twilio/inbound_text.form"));
    let reply = app.twilio_post(&format!("/webhooks/twilio/{}", channel.id), &params, TWILIO_TOKEN).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.headers["content-type"], "text/xml");
    assert_eq!(reply.body, json!(r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#));
    assert_eq!(app.run_jobs().await, 1);

    let message = socket.event("new_message").await;
    assert_eq!(message["content"], "Olá, quero agendar");
    assert_eq!(message["senderType"], "CONTACT");
    assert_eq!(message["externalId"], "SM0123456789abcdef0123456789abcdef");
    let contact = socket.event("contact_updated").await;
    assert_eq!(contact["name"], "Maria Silva");
    assert_eq!(contact["phone"], "+5511987654321");
    let identities = contact["identities"].as_array().unwrap();
    assert!(identities.iter().any(|i| i["kind"] == "whatsapp" && i["value"] == "+5511987654321"));
    let conversation = only_conversation(&app, &admin).await;
    assert_eq!(conversation["channel"]["type"], "WHATSAPP_TWILIO");
    let conversation_id = conversation["id"].as_str().unwrap().to_string();

    // The agent answers; Twilio receives the documented form.
    let sent = app
        .post("/api/v1/messages", &admin.token, json!({"conversationId": conversation_id, "content": "Olá! Claro 😊"}))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    let requests = requests_to(&providers.twilio, &messages_path()).await;
    assert_eq!(requests.len(), 1);
    let sent_form = form(std::str::from_utf8(&requests[0].body).unwrap());
    let field = |k: &str| sent_form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(field("To"), Some("whatsapp:+5511987654321"));
    assert_eq!(field("From"), Some("whatsapp:+14155238886"));
    assert_eq!(field("Body"), Some("Olá! Claro 😊"));
    let callback = format!("{PUBLIC_URL}/webhooks/twilio/{}/status", channel.id);
    assert_eq!(field("StatusCallback"), Some(callback.as_str()));
    assert_eq!(requests[0].headers["content-type"], "application/x-www-form-urlencoded");
    let sent_update = socket.event("message_status_update").await;
    assert_eq!(sent_update["status"], "SENT");
    assert_eq!(sent_update["externalId"], "SMfedcba9876543210fedcba9876543210");

    // Status callbacks, signed against the status URL, move it forward only.
    let status_path = format!("/webhooks/twilio/{}/status", channel.id);
    let sid = "SMfedcba9876543210fedcba9876543210";
    let ok = app.twilio_post(&status_path, &twilio_status(sid, "delivered", None), TWILIO_TOKEN).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    app.run_jobs().await;
    assert_eq!(socket.event("message_status_update").await["status"], "DELIVERED");
    app.twilio_post(&status_path, &twilio_status(sid, "read", None), TWILIO_TOKEN).await;
    app.run_jobs().await;
    let read = socket.event("message_status_update").await;
    assert_eq!(read["status"], "READ");
    assert!(read["readAt"].is_string());
    // A late "sent" (out of order) changes nothing.
    app.twilio_post(&status_path, &twilio_status(sid, "sent", None), TWILIO_TOKEN).await;
    app.run_jobs().await;
    socket.no_event("message_status_update", std::time::Duration::from_millis(300)).await;
    assert_eq!(message_status(&app, &admin, &conversation_id, &id).await["status"], "READ");
    socket.close().await;
}

#[tokio::test]
async fn forged_or_missing_twilio_signatures_store_nothing() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let path = format!("/webhooks/twilio/{}", channel.id);
    let params = twilio_inbound("SM00000000000000000000000000000001", "+5511987654321", "oi");

    let wrong_token = app.twilio_post(&path, &params, "ffffffffffffffffffffffffffffffff").await;
    assert_eq!(wrong_token.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_token.code(), "invalid_signature");
    let missing = app.twilio_post_signed(&path, &params, None).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    // Signed for another URL (the status route) or with a tampered body.
    let other_url = providers::twilio::compute_signature(
        TWILIO_TOKEN,
        &format!("{PUBLIC_URL}/webhooks/twilio/{}/status", channel.id),
        &params,
    );
    assert_eq!(app.twilio_post_signed(&path, &params, Some(&other_url)).await.status, StatusCode::UNAUTHORIZED);
    let good = providers::twilio::compute_signature(TWILIO_TOKEN, &format!("{PUBLIC_URL}{path}"), &params);
    let mut tampered = params.clone();
    tampered.push(("Body".into(), "extra".into()));
    assert_eq!(app.twilio_post_signed(&path, &tampered, Some(&good)).await.status, StatusCode::UNAUTHORIZED);
    // Correctly signed, but naming another Twilio account.
    let mut other_account = params.clone();
    for (k, v) in other_account.iter_mut() {
        if k == "AccountSid" {
            *v = "ACffffffffffffffffffffffffffffffff".into();
        }
    }
    assert_eq!(app.twilio_post(&path, &other_account, TWILIO_TOKEN).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app, "webhook_events").await, 0);
    assert_eq!(count(&app, "jobs").await, 0);

    // The port variant Twilio sometimes signs is accepted.
    let with_port =
        providers::twilio::compute_signature(TWILIO_TOKEN, &format!("https://atende.example.com:443{path}"), &params);
    assert_eq!(app.twilio_post_signed(&path, &params, Some(&with_port)).await.status, StatusCode::OK);
    assert_eq!(count(&app, "webhook_events").await, 1);
}

#[tokio::test]
async fn a_duplicate_twilio_delivery_is_processed_once() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let path = format!("/webhooks/twilio/{}", channel.id);
    let params = twilio_inbound("SM00000000000000000000000000000001", "+5511987654321", "oi");
    for _ in 0..3 {
        assert_eq!(app.twilio_post(&path, &params, TWILIO_TOKEN).await.status, StatusCode::OK);
    }
    app.run_jobs().await;
    assert_eq!(count(&app, "webhook_events").await, 1);
    assert_eq!(count(&app, "messages").await, 1);
    assert_eq!(count(&app, "contacts").await, 1);
}

#[tokio::test]
async fn media_and_location_messages_keep_their_files_and_coordinates() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let path = format!("/webhooks/twilio/{}", channel.id);
    let media = form(include_str!("../../../providers/tests/fixtures/twilio/inbound_media.form"));
    assert_eq!(app.twilio_post(&path, &media, TWILIO_TOKEN).await.status, StatusCode::OK);
    let location = form(include_str!("../../../providers/tests/fixtures/twilio/inbound_location.form"));
    assert_eq!(app.twilio_post(&path, &location, TWILIO_TOKEN).await.status, StatusCode::OK);
    app.run_jobs().await;
    let conversation = only_conversation(&app, &admin).await;
    let history = app
        .get(&format!("/api/v1/messages?conversationId={}", conversation["id"].as_str().unwrap()), &admin.token)
        .await;
    let messages = history.body["messages"].as_array().unwrap();
    let image = messages.iter().find(|m| m["contentType"] == "image").expect("image message");
    assert_eq!(image["attachments"][0]["mimeType"], "image/jpeg");
    assert!(image["attachments"][0]["url"].as_str().unwrap().starts_with("https://api.twilio.com/"));
    let place = messages.iter().find(|m| m["contentType"] == "location").expect("location message");
    assert_eq!(place["metadata"]["location"]["lat"], -23.5505);
    assert_eq!(place["metadata"]["location"]["lng"], -46.6333);
}

#[tokio::test]
async fn a_twilio_429_storm_is_retried_until_it_goes_through() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_string(include_str!("../../../providers/tests/fixtures/twilio/error_429.json")),
        )
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&providers.twilio)
        .await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(created("SM11111111111111111111111111111111"))
        .with_priority(2)
        .mount(&providers.twilio)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let params = twilio_inbound("SM00000000000000000000000000000001", "+5511987654321", "oi");
    app.twilio_post(&format!("/webhooks/twilio/{}", channel.id), &params, TWILIO_TOKEN).await;
    app.run_jobs().await;
    let conversation_id = only_conversation(&app, &admin).await["id"].as_str().unwrap().to_string();
    let sent =
        app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation_id, "content": "oi!"})).await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    assert_eq!(requests_to(&providers.twilio, &messages_path()).await.len(), 4);
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["status"], "SENT");
    assert_eq!(message["externalId"], "SM11111111111111111111111111111111");
}

#[tokio::test]
async fn an_undelivered_callback_fails_the_message_with_a_readable_reason() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(created("SM22222222222222222222222222222222"))
        .mount(&providers.twilio)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let params = twilio_inbound("SM00000000000000000000000000000001", "+5511987654321", "oi");
    app.twilio_post(&format!("/webhooks/twilio/{}", channel.id), &params, TWILIO_TOKEN).await;
    app.run_jobs().await;
    let conversation_id = only_conversation(&app, &admin).await["id"].as_str().unwrap().to_string();
    let sent =
        app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation_id, "content": "oi!"})).await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    let status_path = format!("/webhooks/twilio/{}/status", channel.id);
    let failed = twilio_status("SM22222222222222222222222222222222", "undelivered", Some("63016"));
    assert_eq!(app.twilio_post(&status_path, &failed, TWILIO_TOKEN).await.status, StatusCode::OK);
    app.run_jobs().await;
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["status"], "FAILED");
    let reason = message["failureReason"].as_str().unwrap();
    assert!(reason.contains("24-hour window") && reason.contains("63016"), "{reason}");
}

#[tokio::test]
async fn twilio_send_errors_are_reported_with_their_meaning_and_not_retried() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_string(include_str!("../../../providers/tests/fixtures/twilio/error_21211.json")),
        )
        .mount(&providers.twilio)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let params = twilio_inbound("SM00000000000000000000000000000001", "+5511987654321", "oi");
    app.twilio_post(&format!("/webhooks/twilio/{}", channel.id), &params, TWILIO_TOKEN).await;
    app.run_jobs().await;
    let conversation_id = only_conversation(&app, &admin).await["id"].as_str().unwrap().to_string();
    let sent =
        app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation_id, "content": "oi!"})).await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    assert_eq!(requests_to(&providers.twilio, &messages_path()).await.len(), 1, "permanent errors are not retried");
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["status"], "FAILED");
    assert!(message["failureReason"].as_str().unwrap().contains("Invalid 'To' phone number"), "{message:?}");
}

#[tokio::test]
async fn twilio_channels_are_validated_and_never_show_their_token() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let bad_sid = app.post("/api/v1/channels", &admin.token, {
        let mut b = twilio_body();
        b["accountId"] = json!("AC123");
        b
    });
    assert_eq!(bad_sid.await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut no_token = twilio_body();
    no_token["credentials"] = json!({});
    assert_eq!(app.post("/api/v1/channels", &admin.token, no_token).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut bad_phone = twilio_body();
    bad_phone["phoneNumber"] = json!("14155238886");
    let reply = app.post("/api/v1/channels", &admin.token, bad_phone).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["error"]["details"]["phoneNumber"].is_array(), "{:?}", reply.body);

    let channel = app.twilio_channel(&admin).await;
    let shown = app.get(&format!("/api/v1/channels/{}", channel.id), &admin.token).await;
    assert_eq!(shown.body["channel"]["phoneNumber"], TWILIO_NUMBER);
    assert_eq!(shown.body["channel"]["hasCredentials"], true);
    let listed = app.get("/api/v1/channels", &admin.token).await;
    for text in [shown.body.to_string(), listed.body.to_string()] {
        assert!(!text.contains(TWILIO_TOKEN), "the auth token leaked: {text}");
    }
    // A Messaging Service can replace the number.
    let patched = app
        .patch(
            &format!("/api/v1/channels/{}", channel.id),
            &admin.token,
            json!({"messagingServiceSid": "MG0123456789abcdef0123456789abcdef"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert_eq!(patched.body["channel"]["messagingServiceSid"], "MG0123456789abcdef0123456789abcdef");
}

#[tokio::test]
async fn a_suspended_workspace_gets_no_twilio_messages() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let root = app.super_admin().await;
    let suspended = app.post(&format!("/api/v1/platform/tenants/{}/suspend", tenant.id), &root, json!({})).await;
    assert_eq!(suspended.status, StatusCode::OK, "{:?}", suspended.body);
    let params = twilio_inbound("SM00000000000000000000000000000001", "+5511987654321", "oi");
    let reply = app.twilio_post(&format!("/webhooks/twilio/{}", channel.id), &params, TWILIO_TOKEN).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "tenant_suspended");
    assert_eq!(count(&app, "webhook_events").await, 0);
}

/// Answers each send with a fresh message SID, as Twilio does.
struct FreshSid(std::sync::atomic::AtomicU32);

impl wiremock::Respond for FreshSid {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        created(&format!("SM{n:032}"))
    }
}

#[tokio::test]
async fn several_files_go_to_whatsapp_as_one_message_each_with_the_text_on_the_first() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(FreshSid(std::sync::atomic::AtomicU32::new(9000)))
        .mount(&providers.twilio)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let params = twilio_inbound("SM00000000000000000000000000000001", "+5511987654321", "manda as fotos");
    app.twilio_post(&format!("/webhooks/twilio/{}", channel.id), &params, TWILIO_TOKEN).await;
    app.run_jobs().await;
    let conversation_id = only_conversation(&app, &admin).await["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for name in ["a.jpg", "b.jpg"] {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(vec![1u8; 10]).file_name(name).mime_str("image/jpeg").unwrap(),
        );
        let up = crate::helpers::read(
            app.client
                .post(app.url("/api/v1/attachments"))
                .bearer_auth(&admin.token)
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await;
        ids.push(up.body["attachment"]["id"].as_str().unwrap().to_string());
    }
    let sent = app
        .post(
            "/api/v1/messages",
            &admin.token,
            json!({"conversationId": conversation_id, "content": "aqui", "attachmentIds": ids}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    assert_eq!(sent.body["message"]["attachments"].as_array().unwrap().len(), 1);
    app.run_jobs().await;
    let requests = requests_to(&providers.twilio, &messages_path()).await;
    assert_eq!(requests.len(), 2, "one provider message per file");
    let bodies: Vec<String> = requests.iter().map(|r| String::from_utf8_lossy(&r.body).to_string()).collect();
    assert!(bodies.iter().all(|b| b.matches("MediaUrl").count() == 1), "{bodies:?}");
    assert_eq!(bodies.iter().filter(|b| b.contains("Body=aqui")).count(), 1, "the text rides with the first file");
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation_id}"), &admin.token).await;
    let agent: Vec<&serde_json::Value> =
        history.body["messages"].as_array().unwrap().iter().filter(|m| m["senderType"] == "AGENT").collect();
    assert_eq!(agent.len(), 2);
    assert!(agent.iter().all(|m| m["status"] == "SENT"));
}
