//! FACEBOOK_MESSENGER and INSTAGRAM end to end: handshake, signed events → inbox →
//! socket (with the profile name fetched), replies through the Send API (mock) inside
//! the 24-hour / 7-day windows, watermarks, rate limits, and routing of the shared
//! `/webhooks/meta` URL across tenants.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path, query_param},
};

use crate::{channel_helpers::*, core_helpers::count, helpers::*, socket::SocketProbe};

const USER: &str = "6543210987654321";
const IG_USER: &str = "9876543210123456";
const OTHER_PAGE: &str = "204578912345678";

fn fixture(name: &str) -> &'static str {
    match name {
        "messenger_text" => include_str!("../../../providers/tests/fixtures/meta/messenger_text.json"),
        "messenger_echo" => include_str!("../../../providers/tests/fixtures/meta/messenger_echo.json"),
        "messenger_batch" => include_str!("../../../providers/tests/fixtures/meta/messenger_batch.json"),
        "instagram_dm" => include_str!("../../../providers/tests/fixtures/meta/instagram_dm.json"),
        "error_rate_limit" => include_str!("../../../providers/tests/fixtures/meta/error_rate_limit.json"),
        "error_token" => include_str!("../../../providers/tests/fixtures/meta/error_token.json"),
        "profile_messenger" => include_str!("../../../providers/tests/fixtures/meta/profile_messenger.json"),
        other => panic!("no fixture {other}"),
    }
    .trim_end()
}

fn send_path(account: &str) -> String {
    format!("/v25.0/{account}/messages")
}

async fn mount_profile(meta: &MockServer) {
    Mock::given(method("GET"))
        .and(path(format!("/v25.0/{USER}")))
        .and(query_param("access_token", PAGE_TOKEN))
        .and(query_param("fields", "first_name,last_name,profile_pic"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("profile_messenger")))
        .mount(meta)
        .await;
}

async fn mount_send(meta: &MockServer, account: &str, mid: &str) {
    Mock::given(method("POST"))
        .and(path(send_path(account)))
        .and(query_param("access_token", PAGE_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"recipient_id": USER, "message_id": mid})))
        .mount(meta)
        .await;
}

/// Delivers a user's text to the channel and returns the conversation id.
async fn receive(app: &TestApp, admin: &Session, channel: &Channel, mid: &str, text: &str) -> String {
    let body = meta_bytes(&meta_text("page", PAGE_ID, USER, mid, text));
    let reply = app.meta_post(&format!("/webhooks/meta/{}", channel.id), &body, Some(APP_SECRET)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    app.run_jobs().await;
    only_conversation(app, admin).await["id"].as_str().unwrap().to_string()
}

async fn reply(app: &TestApp, admin: &Session, conversation_id: &str, text: &str) -> String {
    let sent =
        app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation_id, "content": text})).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    let id = sent.body["message"]["id"].as_str().unwrap().to_string();
    app.run_jobs().await;
    id
}

async fn set_last_incoming(app: &TestApp, conversation_id: &str, days_ago: i64) {
    use atende::inbox::entity::conversation;
    conversation::Entity::update_many()
        .col_expr(
            conversation::Column::LastIncomingAt,
            Expr::value(Some(chrono::Utc::now() - chrono::Duration::days(days_ago))),
        )
        .filter(conversation::Column::Id.eq(conversation_id.parse::<uuid::Uuid>().unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_messenger_conversation_runs_end_to_end_with_the_profile_name_and_watermarks() {
    let providers = Providers::start().await;
    mount_profile(&providers.meta).await;
    mount_send(&providers.meta, PAGE_ID, "m_Sent0001").await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.messenger_channel(&admin).await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;

    // The subscription handshake.
    let verify = |token: &str| {
        format!("/webhooks/meta/{}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={token}", channel.id)
    };
    let ok = app.client.get(app.url(&verify(VERIFY_TOKEN))).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    let refused = app.client.get(app.url(&verify("wrong"))).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // The reference's body, byte for byte: its signature is the worked example.
    let body = fixture("messenger_text").as_bytes();
    assert_eq!(
        atende::channels::simulate::sign_sha256(APP_SECRET, body),
        "sha256=6dfbe2918045b5e6e4f008ea2a5cc33d1c72b59b1bb37563003e712216e72f94"
    );
    let ack = app.meta_post(&format!("/webhooks/meta/{}", channel.id), body, Some(APP_SECRET)).await;
    assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
    app.run_jobs().await;
    let message = socket.event("new_message").await;
    assert_eq!(message["content"], "Olá! Preço?");
    assert_eq!(message["externalId"], "m_AbCdEf0123456789");
    let contact = socket.event("contact_updated").await;
    assert_eq!(contact["name"], "Maria Silva", "the profile name was fetched for the new contact");
    assert!(
        contact["identities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "facebook" && i["value"] == USER && i["channelId"] == channel.id.as_str())
    );
    let conversation_id = only_conversation(&app, &admin).await["id"].as_str().unwrap().to_string();

    let id = reply(&app, &admin, &conversation_id, "Olá! Custa R$ 50.").await;
    let requests = requests_to(&providers.meta, &send_path(PAGE_ID)).await;
    assert_eq!(requests.len(), 1);
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"recipient": {"id": USER}, "messaging_type": "RESPONSE", "message": {"text": "Olá! Custa R$ 50."}})
    );
    assert_eq!(socket.event("message_status_update").await["status"], "SENT");
    assert_eq!(message_status(&app, &admin, &conversation_id, &id).await["externalId"], "m_Sent0001");

    // Delivery (with mids) and read (watermark only) move it forward.
    let now = chrono::Utc::now().timestamp_millis() + 1000;
    let delivery = meta_envelope(
        "page",
        PAGE_ID,
        json!({"sender": {"id": USER}, "recipient": {"id": PAGE_ID}, "delivery": {"mids": ["m_Sent0001"], "watermark": now}}),
    );
    app.meta_post(&format!("/webhooks/meta/{}", channel.id), &meta_bytes(&delivery), Some(APP_SECRET)).await;
    app.run_jobs().await;
    assert_eq!(socket.event("message_status_update").await["status"], "DELIVERED");
    let read = meta_envelope(
        "page",
        PAGE_ID,
        json!({"sender": {"id": USER}, "recipient": {"id": PAGE_ID}, "timestamp": now, "read": {"watermark": now}}),
    );
    app.meta_post(&format!("/webhooks/meta/{}", channel.id), &meta_bytes(&read), Some(APP_SECRET)).await;
    app.run_jobs().await;
    assert_eq!(socket.event("message_status_update").await["status"], "READ");
    assert_eq!(message_status(&app, &admin, &conversation_id, &id).await["status"], "READ");
    socket.close().await;
}

#[tokio::test]
async fn an_instagram_dm_is_answered_through_me_messages() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path("/v25.0/me/messages"))
        .and(query_param("access_token", PAGE_TOKEN))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"recipient_id": IG_USER, "message_id": "aWdf_reply"})),
        )
        .mount(&providers.meta)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v25.0/{IG_USER}")))
        .and(query_param("fields", "name,username,profile_pic"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": IG_USER, "username": "maria.loja"})))
        .mount(&providers.meta)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.instagram_channel(&admin).await;
    let body = fixture("instagram_dm").as_bytes();
    assert_eq!(
        app.meta_post(&format!("/webhooks/meta/{}", channel.id), body, Some(APP_SECRET)).await.status,
        StatusCode::OK
    );
    // A Messenger delivery on the Instagram channel's URL is refused.
    let page = fixture("messenger_text").as_bytes();
    let wrong = app.meta_post(&format!("/webhooks/meta/{}", channel.id), page, Some(APP_SECRET)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.run_jobs().await;
    let conversation = only_conversation(&app, &admin).await;
    assert_eq!(conversation["contact"]["name"], "maria.loja");
    assert_eq!(conversation["channel"]["type"], "INSTAGRAM");
    let conversation_id = conversation["id"].as_str().unwrap().to_string();
    let id = reply(&app, &admin, &conversation_id, "Tem sim!").await;
    let requests = requests_to(&providers.meta, "/v25.0/me/messages").await;
    assert_eq!(requests.len(), 1);
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent["recipient"]["id"], IG_USER);
    assert_eq!(message_status(&app, &admin, &conversation_id, &id).await["status"], "SENT");
}

#[tokio::test]
async fn forged_meta_signatures_and_re_serialized_bodies_store_nothing() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.messenger_channel(&admin).await;
    let url = format!("/webhooks/meta/{}", channel.id);
    let body = fixture("messenger_text").as_bytes();

    let forged = app.meta_post(&url, body, Some("not-the-app-secret")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(forged.code(), "invalid_signature");
    assert_eq!(app.meta_post(&url, body, None).await.status, StatusCode::UNAUTHORIZED);
    // The same JSON re-serialized with raw UTF-8 does not carry the original signature.
    let reserialized = serde_json::to_vec(&serde_json::from_slice::<Value>(body).unwrap()).unwrap();
    let response = app
        .client
        .post(app.url(&url))
        .header("content-type", "application/json")
        .header("x-hub-signature-256", atende::channels::simulate::sign_sha256(APP_SECRET, body))
        .body(reserialized)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let shared = app.meta_post("/webhooks/meta", body, Some("not-the-app-secret")).await;
    assert_eq!(shared.status, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app, "webhook_events").await, 0);
    assert_eq!(count(&app, "jobs").await, 0);

    // Only the legacy SHA-1 header, even correctly signed: refused (issue 12).
    use hmac::Mac;
    let mut mac = <hmac::Hmac<sha1::Sha1> as hmac::KeyInit>::new_from_slice(APP_SECRET.as_bytes()).unwrap();
    mac.update(body);
    let sha1 = format!("sha1={}", hex::encode(mac.finalize().into_bytes()));
    let legacy = app
        .client
        .post(app.url(&url))
        .header("content-type", "application/json")
        .header("x-hub-signature", sha1)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app, "webhook_events").await, 0);
}

#[tokio::test]
async fn a_meta_rate_limit_storm_arriving_as_400_is_retried_until_it_goes_through() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(send_path(PAGE_ID)))
        .respond_with(ResponseTemplate::new(400).set_body_string(fixture("error_rate_limit")))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&providers.meta)
        .await;
    mount_send(&providers.meta, PAGE_ID, "m_after_storm").await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.messenger_channel(&admin).await;
    let conversation_id = receive(&app, &admin, &channel, "m_in_1", "oi").await;
    let id = reply(&app, &admin, &conversation_id, "Olá!").await;
    assert_eq!(requests_to(&providers.meta, &send_path(PAGE_ID)).await.len(), 4);
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["status"], "SENT");
    assert_eq!(message["externalId"], "m_after_storm");
}

#[tokio::test]
async fn replies_use_the_human_agent_tag_after_24_hours_and_are_refused_after_7_days() {
    let providers = Providers::start().await;
    mount_send(&providers.meta, PAGE_ID, "m_tagged").await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.messenger_channel(&admin).await;
    let conversation_id = receive(&app, &admin, &channel, "m_in_1", "oi").await;

    set_last_incoming(&app, &conversation_id, 3).await;
    let id = reply(&app, &admin, &conversation_id, "Desculpe a demora!").await;
    let requests = requests_to(&providers.meta, &send_path(PAGE_ID)).await;
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent["messaging_type"], "MESSAGE_TAG");
    assert_eq!(sent["tag"], "HUMAN_AGENT");
    assert_eq!(message_status(&app, &admin, &conversation_id, &id).await["status"], "SENT");

    set_last_incoming(&app, &conversation_id, 8).await;
    let late = reply(&app, &admin, &conversation_id, "Ainda precisa?").await;
    assert_eq!(requests_to(&providers.meta, &send_path(PAGE_ID)).await.len(), 1, "no call outside the window");
    let message = message_status(&app, &admin, &conversation_id, &late).await;
    assert_eq!(message["status"], "FAILED");
    let reason = message["failureReason"].as_str().unwrap();
    assert!(reason.contains("outside_window") && reason.contains("7 days"), "{reason}");
}

#[tokio::test]
async fn an_expired_page_token_fails_the_message_and_flags_the_channel() {
    let providers = Providers::start().await;
    Mock::given(method("POST"))
        .and(path(send_path(PAGE_ID)))
        .respond_with(ResponseTemplate::new(400).set_body_string(fixture("error_token")))
        .mount(&providers.meta)
        .await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.messenger_channel(&admin).await;
    let conversation_id = receive(&app, &admin, &channel, "m_in_1", "oi").await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    let id = reply(&app, &admin, &conversation_id, "Olá!").await;
    assert_eq!(requests_to(&providers.meta, &send_path(PAGE_ID)).await.len(), 1, "auth errors are not retried");
    let message = message_status(&app, &admin, &conversation_id, &id).await;
    assert_eq!(message["status"], "FAILED");
    assert!(message["failureReason"].as_str().unwrap().contains("190"), "{message:?}");
    let flagged = socket.event("channel_status").await;
    assert_eq!(flagged["connectionStatus"], "needs_attention");
    // New credentials clear the flag.
    let fixed = app
        .patch(
            &format!("/api/v1/channels/{}", channel.id),
            &admin.token,
            json!({"credentials": {"pageAccessToken": "EAAG-new", "appSecret": APP_SECRET, "verifyToken": VERIFY_TOKEN}}),
        )
        .await;
    assert_eq!(fixed.body["channel"]["connectionStatus"], "connected");
    socket.close().await;
}

#[tokio::test]
async fn echoes_are_recorded_as_agent_messages_once_and_unknown_events_are_skipped() {
    let providers = Providers::start().await;
    mount_profile(&providers.meta).await;
    mount_send(&providers.meta, PAGE_ID, "m_Sent0001").await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.messenger_channel(&admin).await;
    let url = format!("/webhooks/meta/{}", channel.id);
    let conversation_id = receive(&app, &admin, &channel, "m_in_1", "oi").await;
    reply(&app, &admin, &conversation_id, "Olá!").await;

    // An echo typed in the Page inbox, the echo of our own reply, and a reaction.
    let outside = fixture("messenger_echo").as_bytes();
    let ours = meta_envelope(
        "page",
        PAGE_ID,
        json!({"sender": {"id": PAGE_ID}, "recipient": {"id": USER}, "timestamp": 1767225601000i64,
               "message": {"is_echo": true, "app_id": 1, "mid": "m_Sent0001", "text": "Olá!"}}),
    );
    let reaction = meta_envelope(
        "page",
        PAGE_ID,
        json!({"sender": {"id": USER}, "recipient": {"id": PAGE_ID}, "timestamp": 1767225602000i64,
               "reaction": {"mid": "m_Sent0001", "action": "react", "reaction": "love", "emoji": "\u{2764}"}}),
    );
    for body in [outside.to_vec(), meta_bytes(&ours), meta_bytes(&reaction)] {
        assert_eq!(app.meta_post(&url, &body, Some(APP_SECRET)).await.status, StatusCode::OK);
    }
    app.run_jobs().await;
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation_id}"), &admin.token).await;
    // The reply took the conversation: its activity line is not a message of the exchange.
    let messages: Vec<&serde_json::Value> =
        history.body["messages"].as_array().unwrap().iter().filter(|m| m["contentType"] != "activity").collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    let echo = messages.iter().find(|m| m["externalId"] == "m_Echo0001").expect("the page inbox message");
    assert_eq!(echo["senderType"], "AGENT");
    assert_eq!(echo["metadata"]["sentOutsideAtende"], true);
    assert_eq!(count(&app, "webhook_events").await, 4);
}

#[tokio::test]
async fn the_shared_meta_url_routes_each_entry_to_its_own_tenant_only() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let acme = app.create_tenant("acme").await;
    let acme_admin = app.admin(&acme).await;
    let acme_channel = app.messenger_channel(&acme_admin).await;
    let beta = app.create_tenant("beta").await;
    let beta_admin = app.admin(&beta).await;
    let mut body = meta_body("FACEBOOK_MESSENGER", OTHER_PAGE);
    body["credentials"]["appSecret"] = json!("beta-app-secret");
    body["credentials"]["verifyToken"] = json!("beta-verify");
    let beta_channel = app.create_channel(&beta_admin, body).await;

    // The shared handshake accepts any Meta channel's verify token.
    let shared = app
        .client
        .get(app.url("/webhooks/meta?hub.mode=subscribe&hub.challenge=42&hub.verify_token=beta-verify"))
        .send()
        .await
        .unwrap();
    assert_eq!(shared.text().await.unwrap(), "42");

    // One delivery with entries for both pages, signed with acme's app secret.
    let batch = fixture("messenger_batch").as_bytes();
    let ack = app.meta_post("/webhooks/meta", batch, Some(APP_SECRET)).await;
    assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
    assert_eq!(ack.body["accepted"], 1, "only acme's channel verifies this signature");
    app.run_jobs().await;
    let acme_list = app.get("/api/v1/conversations", &acme_admin.token).await;
    assert_eq!(acme_list.body["total"], 1);
    let acme_history = app
        .get(
            &format!("/api/v1/messages?conversationId={}", acme_list.body["conversations"][0]["id"].as_str().unwrap()),
            &acme_admin.token,
        )
        .await;
    let texts: Vec<&str> =
        acme_history.body["messages"].as_array().unwrap().iter().filter_map(|m| m["content"].as_str()).collect();
    assert_eq!(texts.len(), 2);
    assert!(!texts.contains(&"três"), "beta's entry never lands in acme: {texts:?}");
    assert_eq!(app.get("/api/v1/conversations", &beta_admin.token).await.body["total"], 0);

    // The same bytes signed by beta's app: only beta's entry, only in beta.
    let ack = app.meta_post("/webhooks/meta", batch, Some("beta-app-secret")).await;
    assert_eq!(ack.body["accepted"], 1);
    app.run_jobs().await;
    let beta_list = app.get("/api/v1/conversations", &beta_admin.token).await;
    assert_eq!(beta_list.body["total"], 1);
    assert_eq!(beta_list.body["conversations"][0]["lastMessagePreview"], "três");
    assert_eq!(app.get("/api/v1/conversations", &acme_admin.token).await.body["total"], 1);

    // acme's entry posted to beta's own URL, signed by beta, is stored but never applied.
    let acme_only = meta_bytes(&meta_text("page", PAGE_ID, USER, "m_sneaky", "não é seu"));
    let ack = app.meta_post(&format!("/webhooks/meta/{}", beta_channel.id), &acme_only, Some("beta-app-secret")).await;
    assert_eq!(ack.status, StatusCode::OK);
    app.run_jobs().await;
    assert_eq!(app.get("/api/v1/conversations", &beta_admin.token).await.body["total"], 1);
    let acme_total = app.get("/api/v1/conversations", &acme_admin.token).await;
    assert_eq!(acme_total.body["conversations"][0]["lastMessagePreview"], "dois");
    let _ = acme_channel;

    // Entries for no known page.
    let unknown = meta_bytes(&meta_text("page", "999999999999999", USER, "m_x", "oi"));
    assert_eq!(app.meta_post("/webhooks/meta", &unknown, Some(APP_SECRET)).await.status, StatusCode::NOT_FOUND);
}
