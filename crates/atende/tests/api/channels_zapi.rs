//! WHATSAPP_ZAPI end to end: secret-URL callbacks → inbox → socket; agent reply →
//! Z-API (mock) → status callbacks; the QR lifecycle pushed live; sends while
//! disconnected fail fast and go out on reconnection.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{header, method, path},
};

use crate::{channel_helpers::*, core_helpers::count, helpers::*, socket::SocketProbe};

fn zapi_path(method_path: &str) -> String {
    format!("/instances/{ZAPI_INSTANCE}/token/{ZAPI_TOKEN}/{method_path}")
}

fn fixture(name: &str) -> Value {
    let text = match name {
        "received_text" => include_str!("../../../providers/tests/fixtures/zapi/received_text.json"),
        "received_from_me" => include_str!("../../../providers/tests/fixtures/zapi/received_from_me.json"),
        "received_group" => include_str!("../../../providers/tests/fixtures/zapi/received_group.json"),
        "received_image" => include_str!("../../../providers/tests/fixtures/zapi/received_image.json"),
        "connected" => include_str!("../../../providers/tests/fixtures/zapi/connected.json"),
        "disconnected" => include_str!("../../../providers/tests/fixtures/zapi/disconnected.json"),
        "send_ok" => include_str!("../../../providers/tests/fixtures/zapi/send_ok.json"),
        "qr_code_image" => include_str!("../../../providers/tests/fixtures/zapi/qr_code_image.json"),
        other => panic!("no fixture {other}"),
    };
    serde_json::from_str(text).unwrap()
}

async fn mount_status(zapi: &MockServer, connected: bool, times: Option<u64>, priority: u8) {
    let body = if connected {
        json!({"connected": true, "error": "You are already connected.", "smartphoneConnected": true})
    } else {
        json!({"connected": false, "error": "You are not connected.", "smartphoneConnected": false})
    };
    let mock = Mock::given(method("GET"))
        .and(path(zapi_path("status")))
        .and(header("client-token", ZAPI_CLIENT_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .with_priority(priority);
    let mock = match times {
        Some(n) => mock.up_to_n_times(n),
        None => mock,
    };
    mock.mount(zapi).await;
}

async fn mount_send_text(zapi: &MockServer) {
    Mock::given(method("POST"))
        .and(path(zapi_path("send-text")))
        .and(header("client-token", ZAPI_CLIENT_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("send_ok")))
        .mount(zapi)
        .await;
}

/// Delivers the reference text message and returns the conversation id.
async fn receive_text(app: &TestApp, admin: &Session, channel: &Channel) -> String {
    let reply = app.zapi_post(channel, fixture("received_text").to_string().as_bytes()).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    app.run_jobs().await;
    only_conversation(app, admin).await["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_zapi_message_comes_in_is_answered_and_its_receipts_reach_the_socket() {
    let providers = Providers::start().await;
    mount_status(&providers.zapi, true, None, 1).await;
    mount_send_text(&providers.zapi).await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    let channel = app.zapi_channel(&admin).await;
    assert_eq!(channel.webhook_url, format!("{PUBLIC_URL}/webhooks/zapi/{}/{}", channel.id, channel.secret));
    // The new channel learns it is already paired.
    app.run_jobs().await;
    let status = socket.event("channel_status").await;
    assert_eq!(status["channelId"], channel.id.as_str());
    assert_eq!(status["connectionStatus"], "connected");

    let conversation_id = receive_text(&app, &admin, &channel).await;
    let message = socket.event("new_message").await;
    assert_eq!(message["content"], "Olá, quero agendar");
    assert_eq!(message["externalId"], "3EB0A1B2C3D4E5F60718");
    let contact = socket.event("contact_updated").await;
    assert_eq!(contact["name"], "Maria");
    assert!(
        contact["identities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "whatsapp" && i["value"] == "+5511987654321")
    );

    let sent = app
        .post("/api/v1/messages", &admin.token, json!({"conversationId": conversation_id, "content": "Olá *Maria*!"}))
        .await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    let requests = requests_to(&providers.zapi, &zapi_path("send-text")).await;
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body, json!({"phone": "5511987654321", "message": "Olá *Maria*!"}));
    assert_eq!(socket.event("message_status_update").await["status"], "SENT");
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["externalId"], "D241XXXX732339502B68");

    // DeliveryCallback (handed to WhatsApp) is no news; RECEIVED and READ are.
    let delivery = include_str!("../../../providers/tests/fixtures/zapi/delivery.json");
    assert_eq!(app.zapi_post(&channel, delivery.as_bytes()).await.status, StatusCode::OK);
    app.zapi_post(&channel, zapi_status("RECEIVED", &["D241XXXX732339502B68"]).to_string().as_bytes()).await;
    app.run_jobs().await;
    assert_eq!(socket.event("message_status_update").await["status"], "DELIVERED");
    app.zapi_post(&channel, zapi_status("READ", &["D241XXXX732339502B68"]).to_string().as_bytes()).await;
    app.run_jobs().await;
    assert_eq!(socket.event("message_status_update").await["status"], "READ");
    assert_eq!(message_status(&app, &admin, &conversation_id, &id).await["status"], "READ");
    socket.close().await;
}

#[tokio::test]
async fn zapi_callbacks_need_the_url_secret_and_the_channels_instance() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.zapi_channel(&admin).await;
    let other = app.create_tenant("other").await;
    let other_admin = app.admin(&other).await;
    let other_channel = app.zapi_channel(&other_admin).await;
    app.run_jobs().await;
    let jobs_before = count(&app, "jobs").await;
    let body = fixture("received_text").to_string();

    let wrong = app.zapi_post_with_secret(&channel, &"0".repeat(64), body.as_bytes()).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_signature");
    // Another tenant's secret opens nothing here.
    let crossed = app.zapi_post_with_secret(&channel, &other_channel.secret, body.as_bytes()).await;
    assert_eq!(crossed.status, StatusCode::UNAUTHORIZED);
    let mut foreign = fixture("received_text");
    foreign["instanceId"] = json!("3C0FFEE0000000000000000000000999");
    assert_eq!(app.zapi_post(&channel, foreign.to_string().as_bytes()).await.status, StatusCode::UNAUTHORIZED);
    let mut anonymous = fixture("received_text");
    anonymous.as_object_mut().unwrap().remove("instanceId");
    assert_eq!(app.zapi_post(&channel, anonymous.to_string().as_bytes()).await.status, StatusCode::UNAUTHORIZED);
    let unknown = Channel { id: uuid::Uuid::now_v7().to_string(), ..channel.clone() };
    assert_eq!(app.zapi_post(&unknown, body.as_bytes()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "webhook_events").await, 0);
    assert_eq!(count(&app, "jobs").await, jobs_before);

    // The right secret and instance: stored once, however often it is delivered.
    assert_eq!(app.zapi_post(&channel, body.as_bytes()).await.body["status"], "accepted");
    assert_eq!(app.zapi_post(&channel, body.as_bytes()).await.body["status"], "duplicate");
    app.run_jobs().await;
    assert_eq!(count(&app, "messages").await, 1);
    let mine = app.get("/api/v1/conversations", &admin.token).await;
    assert_eq!(mine.body["total"], 1);
    let theirs = app.get("/api/v1/conversations", &other_admin.token).await;
    assert_eq!(theirs.body["total"], 0, "tenant B sees nothing of tenant A's channel");

    // Nor can tenant B drive tenant A's pairing.
    for (verb, action) in [("POST", "qr-code"), ("POST", "connection"), ("POST", "disconnect"), ("POST", "restart")] {
        let path = format!("/api/v1/channels/{}/{action}", channel.id);
        let reply = if verb == "GET" {
            app.get(&path, &other_admin.token).await
        } else {
            app.post(&path, &other_admin.token, json!({})).await
        };
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{verb} {action}");
    }
    // Only the creation's own background calls reached Z-API: status polls and the
    // webhook registration; nothing on behalf of the other tenant.
    assert!(providers.zapi.received_requests().await.unwrap().iter().all(|r| {
        let p = r.url.path();
        p.ends_with("/status") || p.ends_with("/update-every-webhooks")
    }));
}

#[tokio::test]
async fn the_qr_code_flow_is_pushed_live_and_sends_wait_for_the_number_to_reconnect() {
    let providers = Providers::start().await;
    // Not paired at creation and for the first QR polls, then paired.
    mount_status(&providers.zapi, false, Some(3), 1).await;
    mount_status(&providers.zapi, true, None, 2).await;
    Mock::given(method("GET"))
        .and(path(zapi_path("qr-code/image")))
        .and(header("client-token", ZAPI_CLIENT_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("qr_code_image")))
        .mount(&providers.zapi)
        .await;
    mount_send_text(&providers.zapi).await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    let (mut agent_socket, _) = SocketProbe::connect(&app.base, Some(&agent.token), None).await;
    let channel = app.zapi_channel(&admin).await;
    app.run_jobs().await;
    assert_eq!(socket.event("channel_status").await["connectionStatus"], "disconnected");

    // Agents may not see or drive the pairing.
    let forbidden = app.post(&format!("/api/v1/channels/{}/qr-code", channel.id), &agent.token, json!({})).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let qr = app.post(&format!("/api/v1/channels/{}/qr-code", channel.id), &admin.token, json!({})).await;
    assert_eq!(qr.status, StatusCode::OK, "{:?}", qr.body);
    assert_eq!(qr.body["connectionStatus"], "qr_pending");
    assert!(qr.body["qrCode"].as_str().unwrap().starts_with("data:image/png;base64,"));
    assert_eq!(socket.event("channel_status").await["connectionStatus"], "qr_pending");

    // The watcher polls until the phone scans the code, then pushes "connected".
    app.run_jobs().await;
    let connected = socket.event("channel_status").await;
    assert_eq!(connected["connectionStatus"], "connected");
    assert!(requests_to(&providers.zapi, &zapi_path("status")).await.len() >= 4);
    let live = app.post(&format!("/api/v1/channels/{}/connection", channel.id), &admin.token, json!({})).await;
    assert_eq!(
        live.body,
        json!({"connectionStatus": "connected", "connected": true, "smartphoneConnected": true, "error": "You are already connected."})
    );
    agent_socket.no_event("channel_status", Duration::from_millis(200)).await;

    // A customer writes; then the phone drops.
    let conversation_id = receive_text(&app, &admin, &channel).await;
    app.zapi_post(&channel, fixture("disconnected").to_string().as_bytes()).await;
    app.run_jobs().await;
    let dropped = socket.event("channel_status").await;
    assert_eq!(dropped["connectionStatus"], "disconnected");
    assert_eq!(dropped["detail"], "Device has been disconnected");

    // A reply now fails at once, with a clear reason and no call to Z-API ...
    let sent =
        app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation_id, "content": "oi!"})).await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["status"], "FAILED");
    assert!(message["failureReason"].as_str().unwrap().contains("WhatsApp is disconnected"), "{message:?}");
    assert!(requests_to(&providers.zapi, &zapi_path("send-text")).await.is_empty());

    // ... and goes out when the number is back (inbox reacts to the recorded change).
    app.zapi_post(&channel, fixture("connected").to_string().as_bytes()).await;
    app.run_jobs().await;
    assert_eq!(socket.event("channel_status").await["connectionStatus"], "connected");
    for _ in 0..100 {
        app.run_jobs().await;
        if !requests_to(&providers.zapi, &zapi_path("send-text")).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(requests_to(&providers.zapi, &zapi_path("send-text")).await.len(), 1);
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["status"], "SENT");
    assert!(message["failureReason"].is_null());
    socket.close().await;
    agent_socket.close().await;
}

#[tokio::test]
async fn an_unscanned_qr_code_expires_after_a_few_polls() {
    let providers = Providers::start().await;
    mount_status(&providers.zapi, false, None, 1).await;
    Mock::given(method("GET"))
        .and(path(zapi_path("qr-code/image")))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("qr_code_image")))
        .mount(&providers.zapi)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.zapi_channel(&admin).await;
    app.run_jobs().await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    app.post(&format!("/api/v1/channels/{}/qr-code", channel.id), &admin.token, json!({})).await;
    socket.event_with("channel_status", "connectionStatus", "qr_pending").await;
    let polls_before = requests_to(&providers.zapi, &zapi_path("status")).await.len();
    app.run_jobs().await;
    let expired = socket.event_with("channel_status", "detail", "qr_expired").await;
    assert_eq!(expired["connectionStatus"], "disconnected");
    assert_eq!(expired["detail"], "qr_expired");
    let polls = requests_to(&providers.zapi, &zapi_path("status")).await.len() - polls_before;
    assert_eq!(polls, 4, "the watcher stops after the life of three QR codes");
    socket.close().await;
}

#[tokio::test]
async fn disconnect_and_restart_call_zapi_and_record_the_state() {
    let providers = Providers::start().await;
    mount_status(&providers.zapi, true, None, 1).await;
    for (p, body) in [("disconnect", json!({"value": true})), ("restart", json!({"value": true}))] {
        Mock::given(method("GET"))
            .and(path(zapi_path(p)))
            .and(header("client-token", ZAPI_CLIENT_TOKEN))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&providers.zapi)
            .await;
    }
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.zapi_channel(&admin).await;
    app.run_jobs().await;
    let off = app.post(&format!("/api/v1/channels/{}/disconnect", channel.id), &admin.token, json!({})).await;
    assert_eq!(off.status, StatusCode::OK, "{:?}", off.body);
    assert_eq!(off.body["channel"]["connectionStatus"], "disconnected");
    assert_eq!(requests_to(&providers.zapi, &zapi_path("disconnect")).await.len(), 1);
    let restarted = app.post(&format!("/api/v1/channels/{}/restart", channel.id), &admin.token, json!({})).await;
    assert_eq!(restarted.status, StatusCode::OK, "{:?}", restarted.body);
    app.run_jobs().await;
    let shown = app.get(&format!("/api/v1/channels/{}", channel.id), &admin.token).await;
    assert_eq!(shown.body["channel"]["connectionStatus"], "connected");
    // Not a QR channel: a clear refusal.
    let twilio = app.twilio_channel(&admin).await;
    let refused = app.post(&format!("/api/v1/channels/{}/qr-code", twilio.id), &admin.token, json!({})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.code(), "not_qr_channel");
}

#[tokio::test]
async fn messages_typed_on_the_phone_are_recorded_and_api_echoes_and_groups_are_not() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.zapi_channel(&admin).await;
    let conversation_id = receive_text(&app, &admin, &channel).await;

    app.zapi_post(&channel, fixture("received_from_me").to_string().as_bytes()).await;
    let mut api_echo = fixture("received_from_me");
    api_echo["messageId"] = json!("3EB0A1B2C3D4E5F6FFFF");
    api_echo["fromApi"] = json!(true);
    app.zapi_post(&channel, api_echo.to_string().as_bytes()).await;
    assert_eq!(app.zapi_post(&channel, fixture("received_group").to_string().as_bytes()).await.status, StatusCode::OK);
    app.zapi_post(&channel, fixture("received_image").to_string().as_bytes()).await;
    app.run_jobs().await;

    let history = app.get(&format!("/api/v1/messages?conversationId={conversation_id}"), &admin.token).await;
    let messages = history.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3, "{messages:?}");
    let phone = messages.iter().find(|m| m["content"] == "Respondi pelo celular").expect("phone message");
    assert_eq!(phone["senderType"], "AGENT");
    assert_eq!(phone["status"], "SENT");
    assert_eq!(phone["metadata"]["sentOutsideAtende"], true);
    let image = messages.iter().find(|m| m["contentType"] == "image").expect("image");
    assert!(image["attachments"][0]["url"].as_str().unwrap().starts_with("https://"));
    assert_eq!(count(&app, "conversations").await, 1, "the group made no conversation");
}

#[tokio::test]
async fn an_uploaded_document_goes_out_as_a_signed_public_link_the_provider_can_fetch() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(zapi_path("send-document/pdf")))
        .and(header("client-token", ZAPI_CLIENT_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("send_ok")))
        .mount(&providers.zapi)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.zapi_channel(&admin).await;
    let conversation_id = receive_text(&app, &admin, &channel).await;
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
            json!({"conversationId": conversation_id, "content": "Segue o boleto", "attachmentIds": [attachment_id]}),
        )
        .await;
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    assert_eq!(message_status(&app, &admin, &conversation_id, &id).await["status"], "SENT");
    let requests = requests_to(&providers.zapi, &zapi_path("send-document/pdf")).await;
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["phone"], "5511987654321");
    assert_eq!(body["fileName"], "boleto.pdf");
    assert_eq!(body["caption"], "Segue o boleto");
    let link = body["document"].as_str().unwrap();
    assert!(link.starts_with(&format!("{PUBLIC_URL}/media/{attachment_id}/")), "{link}");

    // The provider fetches it without a session; a tampered link finds nothing.
    let local = link.replace(PUBLIC_URL, &app.base);
    let fetched = app.client.get(&local).send().await.unwrap();
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(fetched.headers()["content-type"], "application/pdf");
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), b"%PDF-1.4 boleto");
    let flipped = if local.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{flipped}", &local[..local.len() - 1]);
    assert_eq!(app.client.get(&tampered).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn group_chats_become_conversations_only_when_the_channel_includes_groups() {
    let providers = Providers::start().await;
    mount_send_text(&providers.zapi).await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.zapi_channel(&admin).await;
    let connected = json!({"type": "ConnectedCallback", "instanceId": ZAPI_INSTANCE, "connected": true,
        "phone": "5511900000000", "momment": 1767225600000i64});
    app.zapi_post(&channel, &serde_json::to_vec(&connected).unwrap()).await;
    let mut group = zapi_received("3EB0GROUP0001", "120363019502650977-group", "Alguém aí?");
    group["isGroup"] = json!(true);
    group["chatName"] = json!("Clientes VIP");
    group["senderName"] = json!("Joana");
    group["participantPhone"] = json!("5511977776666");

    // Off by default: the group message is acknowledged and ignored.
    app.zapi_post(&channel, &serde_json::to_vec(&group).unwrap()).await;
    app.run_jobs().await;
    assert_eq!(count(&app, "messages").await, 0);

    let on = app.patch(&format!("/api/v1/channels/{}", channel.id), &admin.token, json!({"includeGroups": true})).await;
    assert_eq!(on.status, StatusCode::OK, "{:?}", on.body);
    assert_eq!(on.body["channel"]["includeGroups"], true);
    group["messageId"] = json!("3EB0GROUP0002");
    app.zapi_post(&channel, &serde_json::to_vec(&group).unwrap()).await;
    app.run_jobs().await;
    let conversation = only_conversation(&app, &admin).await;
    assert_eq!(conversation["contact"]["name"], "Clientes VIP");
    let id = conversation["id"].as_str().unwrap().to_string();
    let history = app.get(&format!("/api/v1/messages?conversationId={id}"), &admin.token).await;
    let message = &history.body["messages"][0];
    assert_eq!(message["content"], "Alguém aí?");
    assert_eq!(message["metadata"]["participant"]["name"], "Joana");
    assert_eq!(message["metadata"]["participant"]["phone"], "5511977776666");

    // A reply goes to the group.
    app.post("/api/v1/messages", &admin.token, json!({"conversationId": id, "content": "Oi, Joana!"})).await;
    app.run_jobs().await;
    let sends = requests_to(&providers.zapi, &zapi_path("send-text")).await;
    assert_eq!(sends.len(), 1);
    let body: Value = serde_json::from_slice(&sends[0].body).unwrap();
    assert_eq!(body["phone"], "120363019502650977-group");

    let not_zapi = app.twilio_channel(&admin).await;
    let refused =
        app.patch(&format!("/api/v1/channels/{}", not_zapi.id), &admin.token, json!({"includeGroups": true})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn creating_a_zapi_channel_points_the_instance_webhooks_at_its_secret_url() {
    let providers = Providers::start().await;
    Mock::given(method("PUT"))
        .and(path(zapi_path("update-every-webhooks")))
        .and(header("client-token", ZAPI_CLIENT_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": true})))
        .mount(&providers.zapi)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let created = app.post("/api/v1/channels", &admin.token, zapi_body()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let webhook_url = created.body["channel"]["webhookUrl"].as_str().unwrap().to_string();
    assert!(!webhook_url.contains('{'), "the creation answer shows the real URL once: {webhook_url}");
    app.run_jobs().await;
    let puts = requests_to(&providers.zapi, &zapi_path("update-every-webhooks")).await;
    assert_eq!(puts.len(), 1);
    let body: Value = serde_json::from_slice(&puts[0].body).unwrap();
    assert_eq!(body["value"], webhook_url);
    assert_eq!(body["notifySentByMe"], true);
}

/// Issue 15 §2: Z-API failing is reported as Z-API failing (502 `provider_unavailable`,
/// naming the provider and what to check), not as Atende being unavailable.
#[tokio::test]
async fn a_zapi_outage_is_reported_as_the_providers_not_as_the_servers() {
    let providers = Providers::start().await;
    Mock::given(method("GET"))
        .and(path(zapi_path("qr-code/image")))
        .respond_with(ResponseTemplate::new(500).set_body_string("internal error"))
        .mount(&providers.zapi)
        .await;
    mount_status(&providers.zapi, false, None, 1).await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.zapi_channel(&admin).await;
    let qr = app.post(&format!("/api/v1/channels/{}/qr-code", channel.id), &admin.token, json!({})).await;
    assert_eq!(qr.status, StatusCode::BAD_GATEWAY, "{:?}", qr.body);
    assert_eq!(qr.body["error"]["code"], "provider_unavailable");
    assert_eq!(qr.body["error"]["details"]["provider"], "Z-API");
    assert!(qr.body["error"]["message"].as_str().unwrap().contains("instance id and token"));
}
