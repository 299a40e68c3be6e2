use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use providers::twilio::{self, EMPTY_TWIML, TwilioClient, TwilioConfig, TwilioCredentials, TwilioSender};
use providers::{
    ChannelAdapter, ContentType, DeliveryStatus, InboundEvent, OutboundMessage, SendError, SenderKind, Template,
};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{dead_server_uri, fixture, form_fixture, with_param};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const INBOUND_URL: &str = "https://hooks.example.com/twilio/whatsapp/inbound";
const SID: &str = "AC0123456789abcdef0123456789abcdef";

// ---------- signatures (§1.6) ----------

#[test]
fn worked_example_2_inbound_signature() {
    let params = form_fixture("twilio/inbound_text.form");
    assert_eq!(twilio::compute_signature(TOKEN, INBOUND_URL, &params), "cUXYHG2xnmbjzS8OiMzInA5+Lh4=");
    assert!(twilio::validate_signature(TOKEN, INBOUND_URL, &params, "cUXYHG2xnmbjzS8OiMzInA5+Lh4="));
    // Twilio may sign the URL with the default port: accepted too.
    assert!(twilio::validate_signature(TOKEN, INBOUND_URL, &params, "BdK2fsPn8TqeuClphkRa2LrtX6U="));
    assert!(twilio::validate_signature(
        TOKEN,
        "https://hooks.example.com:443/twilio/whatsapp/inbound",
        &params,
        "cUXYHG2xnmbjzS8OiMzInA5+Lh4="
    ));
}

#[test]
fn worked_example_2_string_to_sign_by_hand() {
    use hmac::{Hmac, KeyInit, Mac};
    // The exact string from the reference, HMAC'd directly.
    let to_sign = "https://hooks.example.com/twilio/whatsapp/inboundAccountSidAC0123456789abcdef0123456789abcdefApiVersion2010-04-01BodyOlá, quero agendarFromwhatsapp:+5511987654321MessageSidSM0123456789abcdef0123456789abcdefNumMedia0NumSegments1ProfileNameMaria SilvaReferralNumMedia0SmsMessageSidSM0123456789abcdef0123456789abcdefSmsSidSM0123456789abcdef0123456789abcdefSmsStatusreceivedTowhatsapp:+14155238886WaId5511987654321";
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(TOKEN.as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    let by_hand = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(by_hand, "cUXYHG2xnmbjzS8OiMzInA5+Lh4=");
}

#[test]
fn worked_example_3_status_callback_with_query() {
    let params = form_fixture("twilio/status_read.form");
    let url = "https://hooks.example.com/twilio/status?tenant=42";
    assert_eq!(twilio::compute_signature(TOKEN, url, &params), "RYAdpptX/Ih9NXeT7jVBJ39kD1Q=");
    assert!(twilio::validate_signature(TOKEN, url, &params, "RYAdpptX/Ih9NXeT7jVBJ39kD1Q="));
    assert!(!twilio::validate_signature(
        TOKEN,
        "https://hooks.example.com/twilio/status?tenant=43",
        &params,
        "RYAdpptX/Ih9NXeT7jVBJ39kD1Q="
    ));
}

#[test]
fn worked_example_4_json_body() {
    let body = br#"{"MessageSid":"SM0123","EventType":"onMessageAdded"}"#;
    let url = "https://hooks.example.com/twilio/json?bodySHA256=fab6939aa11458cfc34adef7bb66c3d9f309e1b30e882094c6a88cafd8c02a3c";
    assert!(twilio::validate_json_signature(TOKEN, url, body, "7HGxIynjX/oy6A5Nwp5DpS38EFE="));
    // Body changed: the hash no longer matches even though the URL signature does.
    let tampered = br#"{"MessageSid":"SM0124","EventType":"onMessageAdded"}"#;
    assert!(!twilio::validate_json_signature(TOKEN, url, tampered, "7HGxIynjX/oy6A5Nwp5DpS38EFE="));
    assert!(!twilio::validate_json_signature(TOKEN, url, body, "8HGxIynjX/oy6A5Nwp5DpS38EFE="));
    assert!(!twilio::validate_json_signature(
        TOKEN,
        "https://hooks.example.com/twilio/json",
        body,
        "7HGxIynjX/oy6A5Nwp5DpS38EFE="
    ));
}

#[test]
fn tampered_params_url_or_token_fail() {
    let params = form_fixture("twilio/inbound_text.form");
    let good = "cUXYHG2xnmbjzS8OiMzInA5+Lh4=";
    let changed_body = with_param(params.clone(), "Body", "Olá, quero cancelar");
    assert!(!twilio::validate_signature(TOKEN, INBOUND_URL, &changed_body, good));
    let extra = with_param(params.clone(), "Injected", "1");
    assert!(!twilio::validate_signature(TOKEN, INBOUND_URL, &extra, good));
    let mut missing = params.clone();
    missing.retain(|(k, _)| k != "ProfileName");
    assert!(!twilio::validate_signature(TOKEN, INBOUND_URL, &missing, good));
    assert!(!twilio::validate_signature(TOKEN, "https://hooks.example.com/twilio/whatsapp/inbound2", &params, good));
    assert!(!twilio::validate_signature(TOKEN, "http://hooks.example.com/twilio/whatsapp/inbound", &params, good));
    assert!(!twilio::validate_signature("fedcba9876543210fedcba9876543210", INBOUND_URL, &params, good));
}

#[test]
fn wrong_header_formats_fail() {
    let params = form_fixture("twilio/inbound_text.form");
    for header in [
        "",
        "   ",
        "cUXYHG2xnmbjzS8OiMzInA5+Lh4",
        "cuxyhg2xnmbjzs8oimzina5+lh4=",
        "sha1=cUXYHG2xnmbjzS8OiMzInA5+Lh4=",
        "71c5d81c6db19e66e3cd2f0e88ccc89c0e7e2e1e",
    ] {
        assert!(!twilio::validate_signature(TOKEN, INBOUND_URL, &params, header), "{header:?}");
    }
}

// ---------- inbound parsing (§1.4) ----------

#[test]
fn inbound_text() {
    let m = twilio::parse_inbound_message(&form_fixture("twilio/inbound_text.form")).unwrap();
    assert_eq!(m.external_id, "SM0123456789abcdef0123456789abcdef");
    assert_eq!(m.from.kind, SenderKind::WhatsApp);
    assert_eq!(m.from.id, "5511987654321");
    assert_eq!(m.from.phone.as_deref(), Some("+5511987654321"));
    assert_eq!(m.from.display_name.as_deref(), Some("Maria Silva"));
    assert_eq!(m.channel_account.as_deref(), Some("+14155238886"));
    assert_eq!(m.content.as_deref(), Some("Olá, quero agendar"));
    assert_eq!(m.content_type, ContentType::Text);
    assert!(m.attachments.is_empty());
    assert!(!m.is_echo);
    assert_eq!(m.raw_type.as_deref(), Some("text"));
}

#[test]
fn inbound_media() {
    let m = twilio::parse_inbound_message(&form_fixture("twilio/inbound_media.form")).unwrap();
    assert_eq!(m.external_id, "MM0123456789abcdef0123456789abcdef");
    assert_eq!(m.content_type, ContentType::Image);
    assert_eq!(m.content, None);
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(
        m.attachments[0].url,
        "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM0123456789abcdef0123456789abcdef/Media/ME0123456789abcdef0123456789abcdef"
    );
    assert_eq!(m.attachments[0].mime_type.as_deref(), Some("image/jpeg"));
}

#[test]
fn inbound_quick_reply_button() {
    let m = twilio::parse_inbound_message(&form_fixture("twilio/inbound_button.form")).unwrap();
    assert_eq!(m.content_type, ContentType::Text);
    assert_eq!(m.content.as_deref(), Some("Confirmar"));
    assert_eq!(m.raw_type.as_deref(), Some("button"));
    assert_eq!(m.reply_to.as_deref(), Some("SMfedcba9876543210fedcba9876543210"));
}

#[test]
fn inbound_location() {
    let m = twilio::parse_inbound_message(&form_fixture("twilio/inbound_location.form")).unwrap();
    assert_eq!(m.content_type, ContentType::Location);
    let loc = m.location.unwrap();
    assert_eq!(loc.lat, -23.5505);
    assert_eq!(loc.lng, -46.6333);
    assert_eq!(loc.name.as_deref(), Some("Escritório"));
    assert_eq!(loc.address.as_deref(), Some("Av. Paulista"));
}

// ---------- status callbacks (§1.5) ----------

fn status_of(name: &str) -> InboundEvent {
    twilio::parse_webhook(&form_fixture(name)).unwrap()
}

#[test]
fn status_callbacks() {
    for (name, expected) in [
        ("twilio/status_sent.form", DeliveryStatus::Sent),
        ("twilio/status_delivered.form", DeliveryStatus::Delivered),
        ("twilio/status_read.form", DeliveryStatus::Read),
    ] {
        let InboundEvent::Status(s) = status_of(name) else {
            panic!("{name} is not a status");
        };
        assert_eq!(s.external_id, "SMfedcba9876543210fedcba9876543210");
        assert_eq!(s.status, expected, "{name}");
        assert_eq!(s.error, None);
    }
}

#[test]
fn undelivered_carries_the_error() {
    let InboundEvent::Status(s) = status_of("twilio/status_undelivered.form") else {
        panic!("not a status");
    };
    assert_eq!(s.status, DeliveryStatus::Failed);
    let e = s.error.unwrap();
    assert_eq!(e.code, "63016");
    assert!(e.message.starts_with("Message failed to send because more than 24 hours"));
}

#[test]
fn queued_is_ignored_and_inbound_is_a_message() {
    assert!(matches!(status_of("twilio/status_queued.form"), InboundEvent::Ignored(_)));
    assert!(matches!(status_of("twilio/inbound_text.form"), InboundEvent::Message(_)));
}

#[test]
fn empty_twiml() {
    assert_eq!(EMPTY_TWIML, r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#);
    assert_eq!(twilio::TWIML_CONTENT_TYPE, "text/xml");
}

// ---------- client (§1.2, §1.3) ----------

fn client_for(base: &str) -> TwilioClient {
    TwilioClient::new(
        reqwest::Client::new(),
        TwilioConfig {
            base_url: base.to_owned(),
            credentials: TwilioCredentials { account_sid: SID.to_owned(), auth_token: "authtoken".to_owned() },
            sender: TwilioSender::From("+14155238886".to_owned()),
            status_callback: Some("https://hooks.example.com/twilio/status".to_owned()),
        },
    )
    .unwrap()
}

fn messages_path() -> String {
    format!("/2010-04-01/Accounts/{SID}/Messages.json")
}

fn basic_auth() -> String {
    let creds = base64::engine::general_purpose::STANDARD.encode(format!("{SID}:authtoken"));
    format!("Basic {creds}")
}

#[tokio::test]
async fn send_text_posts_the_documented_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .and(header("authorization", basic_auth().as_str()))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "To=whatsapp%3A%2B5511987654321&From=whatsapp%3A%2B14155238886&Body=Ol%C3%A1%21&StatusCallback=https%3A%2F%2Fhooks.example.com%2Ftwilio%2Fstatus",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_raw(fixture("twilio/send_201.json"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let result = client_for(&server.uri()).send(&OutboundMessage::text("+5511987654321", "Olá!")).await.unwrap();
    assert_eq!(result.external_id, "SMfedcba9876543210fedcba9876543210");
    assert_eq!(result.status, DeliveryStatus::Sent);
}

#[tokio::test]
async fn send_media_and_template_forms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(ResponseTemplate::new(201).set_body_raw(fixture("twilio/send_201.json"), "application/json"))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let media = OutboundMessage::media("5511987654321", ContentType::Image, "https://cdn.example.com/a.jpg")
        .with_caption("Tabela");
    client.send(&media).await.unwrap();
    let template = OutboundMessage::template(
        "whatsapp:+5511987654321",
        Template {
            id: "HX0123456789abcdef0123456789abcdef".into(),
            variables: BTreeMap::from([("1".into(), "Maria".into()), ("2".into(), "10/12".into())]),
        },
    );
    client.send(&template).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let bodies: Vec<String> = requests.iter().map(|r| String::from_utf8(r.body.clone()).unwrap()).collect();
    assert_eq!(
        bodies[0],
        "To=whatsapp%3A%2B5511987654321&From=whatsapp%3A%2B14155238886&Body=Tabela&MediaUrl=https%3A%2F%2Fcdn.example.com%2Fa.jpg&StatusCallback=https%3A%2F%2Fhooks.example.com%2Ftwilio%2Fstatus"
    );
    assert_eq!(
        bodies[1],
        "To=whatsapp%3A%2B5511987654321&From=whatsapp%3A%2B14155238886&ContentSid=HX0123456789abcdef0123456789abcdef&ContentVariables=%7B%221%22%3A%22Maria%22%2C%222%22%3A%2210%2F12%22%7D&StatusCallback=https%3A%2F%2Fhooks.example.com%2Ftwilio%2Fstatus"
    );
}

#[tokio::test]
async fn messaging_service_sender() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .and(body_string("To=whatsapp%3A%2B5511987654321&MessagingServiceSid=MG0123&Body=oi"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(fixture("twilio/send_201.json"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = TwilioClient::new(
        reqwest::Client::new(),
        TwilioConfig {
            base_url: server.uri(),
            credentials: TwilioCredentials { account_sid: SID.into(), auth_token: "authtoken".into() },
            sender: TwilioSender::MessagingService("MG0123".into()),
            status_callback: None,
        },
    )
    .unwrap();
    client.send(&OutboundMessage::text("5511987654321", "oi")).await.unwrap();
}

async fn send_against(template: ResponseTemplate) -> SendError {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(messages_path())).respond_with(template).expect(1).mount(&server).await;
    client_for(&server.uri()).send(&OutboundMessage::text("+5511987654321", "oi")).await.unwrap_err()
}

#[tokio::test]
async fn too_many_requests_is_retryable_with_retry_after() {
    let err = send_against(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "7")
            .set_body_raw(fixture("twilio/error_429.json"), "application/json"),
    )
    .await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.reason().contains("20429"), "{err}");

    let err =
        send_against(ResponseTemplate::new(429).set_body_raw(fixture("twilio/error_429.json"), "application/json"))
            .await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn server_errors_are_retryable() {
    let err =
        send_against(ResponseTemplate::new(500).set_body_raw(fixture("twilio/error_500.json"), "application/json"))
            .await;
    assert!(err.is_retryable());
    let err = send_against(ResponseTemplate::new(503).set_body_string("upstream down")).await;
    assert!(err.is_retryable());
    assert!(err.reason().contains("upstream down"));
}

#[tokio::test]
async fn invalid_number_is_permanent_with_twilio_message() {
    let err =
        send_against(ResponseTemplate::new(400).set_body_raw(fixture("twilio/error_21211.json"), "application/json"))
            .await;
    assert_eq!(
        err,
        SendError::Permanent {
            code: "21211".into(),
            reason: "The 'To' number whatsapp:+5511000 is not a valid phone number.".into(),
        }
    );
}

#[tokio::test]
async fn bad_credentials_are_auth() {
    let err =
        send_against(ResponseTemplate::new(401).set_body_raw(fixture("twilio/error_401.json"), "application/json"))
            .await;
    assert!(matches!(err, SendError::Auth { .. }), "{err:?}");
}

#[tokio::test]
async fn failed_status_in_201_is_permanent() {
    let mut body: serde_json::Value = serde_json::from_slice(&fixture("twilio/send_201.json")).unwrap();
    body["status"] = "failed".into();
    body["error_code"] = 63016.into();
    body["error_message"] = "outside window".into();
    let err = send_against(ResponseTemplate::new(201).set_body_json(body)).await;
    assert_eq!(err.code(), Some("63016"));
    assert!(err.is_outside_window());
}

#[tokio::test]
async fn connection_refused_and_timeout_are_retryable() {
    let err = client_for(&dead_server_uri()).send(&OutboundMessage::text("+5511987654321", "oi")).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let http = reqwest::Client::builder().timeout(Duration::from_millis(200)).build().unwrap();
    let client = TwilioClient::new(
        http,
        TwilioConfig {
            base_url: server.uri(),
            credentials: TwilioCredentials { account_sid: SID.into(), auth_token: "authtoken".into() },
            sender: TwilioSender::From("+14155238886".into()),
            status_callback: None,
        },
    )
    .unwrap();
    let err = client.send(&OutboundMessage::text("+5511987654321", "oi")).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(err.reason().contains("timeout"), "{err}");
}

#[tokio::test]
async fn unsupported_or_invalid_messages_fail_before_any_request() {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    let mut location = OutboundMessage::text("+5511987654321", "x");
    location.content_type = ContentType::Location;
    assert_eq!(client.send(&location).await.unwrap_err().code(), Some("unsupported_content"));
    let bad_to = OutboundMessage::text("maria", "x");
    assert_eq!(client.send(&bad_to).await.unwrap_err().code(), Some("invalid_recipient"));
    let empty = OutboundMessage::text("+5511987654321", "");
    assert_eq!(client.send(&empty).await.unwrap_err().code(), Some("empty_message"));
    assert!(server.received_requests().await.unwrap().is_empty());
}
