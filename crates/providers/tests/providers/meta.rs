use std::time::Duration;

use chrono::{TimeZone, Utc};
use providers::meta::{self, DEFAULT_GRAPH_VERSION, MetaClient, MetaConfig, MetaPlatform, TokenPlacement};
use providers::{
    ChannelAdapter, ContentType, DeliveryStatus, InboundEvent, InboundMessage, OutboundMessage, SendError, SenderKind,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{fixture, single_request};

const APP_SECRET: &str = "f00dfacecafebeef0123456789abcdef";
const SIG_256: &str = "sha256=6dfbe2918045b5e6e4f008ea2a5cc33d1c72b59b1bb37563003e712216e72f94";
const SIG_1: &str = "sha1=5c0f5e25ada7a5fa9029dfdb9583cbc1710e9880";
const PAGE: &str = "104578912345678";
const PSID: &str = "6543210987654321";

// ---------- signature (§2.4) ----------

#[test]
fn worked_example_signature() {
    let body = fixture("meta/messenger_text.json");
    assert!(meta::validate_signature_256(APP_SECRET, &body, SIG_256));
    assert!(meta::validate_signature_sha1(APP_SECRET, &body, SIG_1));
}

#[test]
fn re_serialized_or_tampered_body_fails() {
    let body = fixture("meta/messenger_text.json");
    // Same JSON with raw UTF-8 instead of \u escapes: not what Meta signed.
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let reserialized = serde_json::to_vec(&value).unwrap();
    assert_ne!(reserialized, body);
    assert!(!meta::validate_signature_256(APP_SECRET, &reserialized, SIG_256));
    let mut tampered = body.clone();
    let pos = tampered.iter().position(|&b| b == b'?').unwrap();
    tampered[pos] = b'!';
    assert!(!meta::validate_signature_256(APP_SECRET, &tampered, SIG_256));
    assert!(!meta::validate_signature_sha1(APP_SECRET, &tampered, SIG_1));
    assert!(!meta::validate_signature_256("another-secret", &body, SIG_256));
}

#[test]
fn wrong_header_formats_fail() {
    let body = fixture("meta/messenger_text.json");
    let hex = SIG_256.trim_start_matches("sha256=");
    for header in [
        "",
        hex,
        &format!("sha1={hex}"),
        &format!("SHA256={hex}"),
        &format!("sha256={}", &hex[..63]),
        &format!("sha256={hex}00"),
        "sha256=",
        SIG_1,
    ] {
        assert!(!meta::validate_signature_256(APP_SECRET, &body, header), "{header:?}");
    }
    assert!(!meta::validate_signature_sha1(APP_SECRET, &body, SIG_256));
}

// ---------- verification (§2.2) ----------

#[test]
fn challenge_example() {
    let query = providers::twilio::parse_form(b"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=s3cr3t");
    assert_eq!(meta::verify_challenge(&query, "s3cr3t").as_deref(), Some("1158201444"));
    assert_eq!(meta::verify_challenge(&query, "s3cr3"), None);
}

// ---------- event parsing (§2.3) ----------

fn events(name: &str) -> Vec<(String, InboundEvent)> {
    meta::parse_webhook(&fixture(name)).unwrap()
}

fn only_message(name: &str) -> (String, InboundMessage) {
    let mut evs = events(name);
    assert_eq!(evs.len(), 1, "{evs:?}");
    match evs.remove(0) {
        (entry, InboundEvent::Message(m)) => (entry, m),
        other => panic!("{name}: expected a message, got {other:?}"),
    }
}

fn ms(ms: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).unwrap()
}

#[test]
fn messenger_text() {
    let (entry, m) = only_message("meta/messenger_text.json");
    assert_eq!(entry, PAGE);
    assert_eq!(m.external_id, "m_AbCdEf0123456789");
    assert_eq!(m.from.kind, SenderKind::Facebook);
    assert_eq!(m.from.id, PSID);
    assert_eq!(m.from.display_name, None);
    assert_eq!(m.channel_account.as_deref(), Some(PAGE));
    assert_eq!(m.content.as_deref(), Some("Olá! Preço?"));
    assert_eq!(m.content_type, ContentType::Text);
    assert_eq!(m.timestamp, Some(ms(1_767_225_599_876)));
    assert!(!m.is_echo);
}

#[test]
fn messenger_attachment() {
    let (_, m) = only_message("meta/messenger_attachment.json");
    assert_eq!(m.external_id, "m_Img0001");
    assert_eq!(m.content_type, ContentType::Image);
    assert_eq!(m.content, None);
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].url, "https://cdn.example.com/x.jpg");
    assert_eq!(m.raw_type.as_deref(), Some("image"));
}

#[test]
fn messenger_echo_is_from_the_page_to_the_user() {
    let (entry, m) = only_message("meta/messenger_echo.json");
    assert_eq!(entry, PAGE);
    assert!(m.is_echo);
    assert_eq!(m.from.id, PSID, "from is the customer (the echo's recipient)");
    assert_eq!(m.channel_account.as_deref(), Some(PAGE));
    assert_eq!(m.content.as_deref(), Some("Oi! Segue a tabela."));
    assert_eq!(m.external_id, "m_Echo0001");
}

#[test]
fn messenger_delivery_gives_per_mid_status_and_watermark() {
    let evs = events("meta/messenger_delivery.json");
    assert_eq!(evs.len(), 2, "{evs:?}");
    let InboundEvent::Status(s) = &evs[0].1 else { panic!("{evs:?}") };
    assert_eq!(s.external_id, "m_Echo0001");
    assert_eq!(s.status, DeliveryStatus::Delivered);
    assert_eq!(s.timestamp, Some(ms(1_767_225_601_500)));
    let InboundEvent::Watermark(w) = &evs[1].1 else { panic!("{evs:?}") };
    assert_eq!(w.contact_id, PSID);
    assert_eq!(w.status, DeliveryStatus::Delivered);
    assert_eq!(w.watermark, ms(1_767_225_601_500));
}

#[test]
fn messenger_read_is_a_watermark() {
    let evs = events("meta/messenger_read.json");
    assert_eq!(evs.len(), 1);
    let (entry, InboundEvent::Watermark(w)) = &evs[0] else { panic!("{evs:?}") };
    assert_eq!(entry, PAGE);
    assert_eq!(w.contact_id, PSID);
    assert_eq!(w.status, DeliveryStatus::Read);
    assert_eq!(w.watermark, ms(1_767_225_601_500));
}

#[test]
fn messenger_postback_is_a_text_message() {
    let (_, m) = only_message("meta/messenger_postback.json");
    assert_eq!(m.external_id, "m_Pb0001");
    assert_eq!(m.content.as_deref(), Some("Falar com atendente"));
    assert_eq!(m.raw_type.as_deref(), Some("postback"));
    assert_eq!(m.from.id, PSID);
}

#[test]
fn standby_and_changes_forms_are_read() {
    let (_, m) = only_message("meta/messenger_standby.json");
    assert_eq!(m.external_id, "m_Stb0001");
    assert_eq!(m.content.as_deref(), Some("ainda aí?"));
    let (entry, m) = only_message("meta/messenger_changes_postback.json");
    assert_eq!(entry, PAGE);
    assert_eq!(m.external_id, "m_Pb0002");
    assert_eq!(m.content.as_deref(), Some("Comprar"));
    assert_eq!(m.timestamp, Some(ms(1_767_225_606_900)));
}

#[test]
fn batched_entries_keep_their_entry_id_and_order() {
    let evs = events("meta/messenger_batch.json");
    let summary: Vec<(String, String)> = evs
        .into_iter()
        .map(|(entry, e)| match e {
            InboundEvent::Message(m) => (entry, m.content.unwrap_or_default()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (PAGE.to_owned(), "um".to_owned()),
            (PAGE.to_owned(), "dois".to_owned()),
            ("204578912345678".to_owned(), "três".to_owned()),
        ]
    );
}

#[test]
fn instagram_dm_echo_and_seen() {
    let (entry, m) = only_message("meta/instagram_dm.json");
    assert_eq!(entry, "17841400000000000");
    assert_eq!(m.from.kind, SenderKind::Instagram);
    assert_eq!(m.from.id, "9876543210123456");
    assert_eq!(m.content.as_deref(), Some("tem tamanho M?"));
    assert_eq!(m.external_id, "aWdfZAG1faXRlbToxOklH...");

    let (_, echo) = only_message("meta/instagram_echo.json");
    assert!(echo.is_echo);
    assert_eq!(echo.from.id, "9876543210123456");
    assert_eq!(echo.from.kind, SenderKind::Instagram);

    let evs = events("meta/instagram_seen.json");
    let InboundEvent::Status(s) = &evs[0].1 else { panic!("{evs:?}") };
    assert_eq!(s.external_id, "aWdfZAG1faXRlbToxOkVjaG8...");
    assert_eq!(s.status, DeliveryStatus::Read);
}

// ---------- Send API (§2.5, §2.6) ----------

fn config(base: &str) -> MetaConfig {
    MetaConfig {
        base_url: base.to_owned(),
        api_version: DEFAULT_GRAPH_VERSION.to_owned(),
        access_token: "PAGE_TOKEN".to_owned(),
        account_id: None,
        platform: MetaPlatform::Messenger,
        token_placement: TokenPlacement::QueryParam,
    }
}

fn client_for(base: &str) -> MetaClient {
    MetaClient::new(reqwest::Client::new(), config(base)).unwrap()
}

#[tokio::test]
async fn send_text_response_window() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v25.0/me/messages"))
        .and(query_param("access_token", "PAGE_TOKEN"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "Olá! Como posso ajudar?"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_raw(fixture("meta/send_ok.json"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let result = client_for(&server.uri()).send(&OutboundMessage::text(PSID, "Olá! Como posso ajudar?")).await.unwrap();
    assert_eq!(result.external_id, "m_Sent0001");
    assert_eq!(result.status, DeliveryStatus::Sent);
}

#[tokio::test]
async fn send_human_agent_attachment_to_page_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v25.0/{PAGE}/messages")))
        .and(query_param("access_token", "PAGE_TOKEN"))
        .and(body_json(json!({
            "recipient": {"id": PSID},
            "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT",
            "message": {"attachment": {"type": "file", "payload": {"url": "https://cdn.example.com/tabela.pdf", "is_reusable": true}}}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_raw(fixture("meta/send_ok.json"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = MetaClient::new(
        reqwest::Client::new(),
        MetaConfig { account_id: Some(PAGE.to_owned()), ..config(&server.uri()) },
    )
    .unwrap();
    let msg =
        OutboundMessage::media(PSID, ContentType::File, "https://cdn.example.com/tabela.pdf").with_human_agent_tag();
    client.send(&msg).await.unwrap();
}

#[tokio::test]
async fn instagram_login_uses_bearer_and_no_query_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v25.0/17841400000000000/messages"))
        .and(header("authorization", "Bearer IG_TOKEN"))
        .and(query_param_is_missing("access_token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(fixture("meta/send_ok.json"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = MetaClient::new(
        reqwest::Client::new(),
        MetaConfig {
            access_token: "IG_TOKEN".into(),
            account_id: Some("17841400000000000".into()),
            platform: MetaPlatform::Instagram,
            token_placement: TokenPlacement::BearerHeader,
            ..config(&server.uri())
        },
    )
    .unwrap();
    client.send(&OutboundMessage::text("9876543210123456", "Temos sim!")).await.unwrap();
    let req = single_request(&server).await;
    assert_eq!(req.url.query(), None);
    // Instagram's 1000-byte limit is checked before sending.
    let long = "é".repeat(501);
    let err = client.send(&OutboundMessage::text("9876543210123456", long)).await.unwrap_err();
    assert_eq!(err.code(), Some("text_too_long"));
}

async fn send_against(template: ResponseTemplate) -> SendError {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v25.0/me/messages")).respond_with(template).expect(1).mount(&server).await;
    client_for(&server.uri()).send(&OutboundMessage::text(PSID, "oi")).await.unwrap_err()
}

#[tokio::test]
async fn outside_window_is_permanent_with_meta_message() {
    let err = send_against(
        ResponseTemplate::new(400).set_body_raw(fixture("meta/error_outside_window.json"), "application/json"),
    )
    .await;
    assert_eq!(
        err,
        SendError::Permanent {
            code: "10/2018278".into(),
            reason: "(#10) This message is sent outside of allowed window.".into(),
        }
    );
    assert!(err.is_outside_window());
}

#[tokio::test]
async fn rate_limit_on_400_is_retryable() {
    let err = send_against(
        ResponseTemplate::new(400).set_body_raw(fixture("meta/error_rate_limit.json"), "application/json"),
    )
    .await;
    assert!(err.is_retryable(), "{err:?}");
    assert!(err.reason().contains("613"));
}

#[tokio::test]
async fn http_429_and_5xx_are_retryable() {
    let err = send_against(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "30")
            .set_body_raw(fixture("meta/error_rate_limit.json"), "application/json"),
    )
    .await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    let err = send_against(ResponseTemplate::new(500).set_body_string("oops")).await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn expired_token_is_auth() {
    let err =
        send_against(ResponseTemplate::new(400).set_body_raw(fixture("meta/error_token.json"), "application/json"))
            .await;
    assert!(matches!(err, SendError::Auth { ref reason } if reason.contains("Session has expired")), "{err:?}");
}

#[tokio::test]
async fn caption_on_attachment_is_refused_without_a_request() {
    let server = MockServer::start().await;
    let msg = OutboundMessage::media(PSID, ContentType::Image, "https://cdn.example.com/x.jpg").with_caption("legenda");
    let err = client_for(&server.uri()).send(&msg).await.unwrap_err();
    assert_eq!(err.code(), Some("unsupported_content"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn transport_errors_do_not_leak_the_token() {
    let err =
        client_for(&crate::support::dead_server_uri()).send(&OutboundMessage::text(PSID, "oi")).await.unwrap_err();
    assert!(err.is_retryable());
    assert!(!err.to_string().contains("PAGE_TOKEN"), "{err}");
}

// ---------- user profile (§2.7) ----------

#[tokio::test]
async fn messenger_profile() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v25.0/{PSID}")))
        .and(query_param("fields", "first_name,last_name,profile_pic"))
        .and(query_param("access_token", "PAGE_TOKEN"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("meta/profile_messenger.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let p = client_for(&server.uri()).fetch_user_profile(PSID).await.unwrap();
    assert_eq!(p.id, PSID);
    assert_eq!(p.name.as_deref(), Some("Maria Silva"));
    assert_eq!(p.profile_pic.as_deref(), Some("https://platform-lookaside.example.com/p.jpg"));
    assert!(single_request(&server).await.body.is_empty());
}

#[tokio::test]
async fn instagram_profile_and_consent_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v25.0/9876543210123456"))
        .and(query_param("fields", "name,username,profile_pic"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("meta/profile_instagram.json"), "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v25.0/1111"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error":{"message":"User consent is required to access user profile","type":"OAuthException","code":230,"fbtrace_id":"x"}})))
        .mount(&server)
        .await;
    let client = MetaClient::new(
        reqwest::Client::new(),
        MetaConfig { platform: MetaPlatform::Instagram, ..config(&server.uri()) },
    )
    .unwrap();
    let p = client.fetch_user_profile("9876543210123456").await.unwrap();
    assert_eq!(p.name.as_deref(), Some("Ana Souza"));
    assert_eq!(p.username.as_deref(), Some("ana.souza"));
    assert_eq!(p.profile_pic, None);
    let err = client.fetch_user_profile("1111").await.unwrap_err();
    assert_eq!(err.code(), Some("230"));
    assert_eq!(err.reason(), "User consent is required to access user profile");
}
