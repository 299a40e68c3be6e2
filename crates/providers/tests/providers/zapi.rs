use std::time::Duration;

use chrono::{TimeZone, Utc};
use providers::zapi::{self, QrCode, WebhookKind, ZapiClient, ZapiConfig, ZapiCredentials};
use providers::{
    ChannelAdapter, ContentType, DeliveryStatus, InboundEvent, InboundMessage, OutboundMessage, SendError, SenderKind,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{dead_server_uri, fixture, single_request};

const INSTANCE: &str = "3C0FFEE0000000000000000000000001";
const INSTANCE_TOKEN: &str = "ABCDEF0123456789ABCDEF01";
const CLIENT_TOKEN: &str = "F0123456789abcdef0123456789abcdefS";

// ---------- callbacks (§3.5) ----------

fn parse(name: &str) -> Vec<InboundEvent> {
    zapi::parse_callback(&fixture(name)).unwrap()
}

fn message(name: &str) -> InboundMessage {
    let mut evs = parse(name);
    assert_eq!(evs.len(), 1);
    match evs.remove(0) {
        InboundEvent::Message(m) => m,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn every_fixture_belongs_to_the_instance() {
    for name in [
        "zapi/received_text.json",
        "zapi/received_image.json",
        "zapi/message_status_read.json",
        "zapi/delivery.json",
        "zapi/connected.json",
        "zapi/disconnected.json",
    ] {
        let body = fixture(name);
        assert!(zapi::verify_instance(&body, INSTANCE), "{name}");
        assert!(!zapi::verify_instance(&body, "3C0FFEE0000000000000000000000002"), "{name}");
        assert_eq!(zapi::callback_instance_id(&body).as_deref(), Some(INSTANCE));
    }
}

#[test]
fn received_text() {
    let m = message("zapi/received_text.json");
    assert_eq!(m.external_id, "3EB0A1B2C3D4E5F60718");
    assert_eq!(m.from.kind, SenderKind::WhatsApp);
    assert_eq!(m.from.id, "5511987654321");
    assert_eq!(m.from.phone.as_deref(), Some("+5511987654321"));
    assert_eq!(m.from.display_name.as_deref(), Some("Maria"));
    assert_eq!(m.channel_account.as_deref(), Some("5511900000000"));
    assert_eq!(m.content.as_deref(), Some("Olá, quero agendar"));
    assert_eq!(m.content_type, ContentType::Text);
    assert_eq!(m.timestamp, Some(Utc.timestamp_millis_opt(1_767_225_600_000).unwrap()));
    assert!(!m.is_echo);
}

#[test]
fn received_media_kinds() {
    let m = message("zapi/received_image.json");
    assert_eq!(m.content_type, ContentType::Image);
    assert_eq!(m.content, None, "empty caption is no content");
    assert_eq!(m.attachments[0].url, "https://storage.z-api.io/instances/3C0FFEE/img.jpeg");
    assert_eq!(m.attachments[0].mime_type.as_deref(), Some("image/jpeg"));

    let m = message("zapi/received_audio.json");
    assert_eq!(m.content_type, ContentType::Audio);
    assert_eq!(m.attachments[0].url, "https://storage.z-api.io/instances/3C0FFEE/audio.ogg");
    assert_eq!(m.attachments[0].mime_type.as_deref(), Some("audio/ogg; codecs=opus"));

    let m = message("zapi/received_video.json");
    assert_eq!(m.content_type, ContentType::Video);
    assert_eq!(m.content.as_deref(), Some("olha isso"));

    let m = message("zapi/received_document.json");
    assert_eq!(m.content_type, ContentType::File);
    assert_eq!(m.content.as_deref(), Some("Contrato"));
    assert_eq!(m.attachments[0].filename.as_deref(), Some("contrato.pdf"));
    assert_eq!(m.attachments[0].mime_type.as_deref(), Some("application/pdf"));
}

#[test]
fn received_location() {
    let m = message("zapi/received_location.json");
    assert_eq!(m.content_type, ContentType::Location);
    let l = m.location.unwrap();
    assert_eq!((l.lat, l.lng), (-23.5505, -46.6333));
    assert_eq!(l.name.as_deref(), Some("Escritório"));
    assert_eq!(l.address.as_deref(), Some("Av. Paulista, 1000"));
}

#[test]
fn from_me_is_an_echo_to_the_contact() {
    let m = message("zapi/received_from_me.json");
    assert!(m.is_echo);
    assert_eq!(m.from.id, "5511987654321");
    assert_eq!(m.from.display_name.as_deref(), Some("Maria Silva"), "contact name, not ours");
}

#[test]
fn group_message_is_ignored() {
    assert!(matches!(parse("zapi/received_group.json")[0], InboundEvent::Ignored(_)));
}

#[test]
fn message_status_one_update_per_id() {
    let evs = parse("zapi/message_status_read.json");
    let ids: Vec<(&str, DeliveryStatus)> = evs
        .iter()
        .map(|e| match e {
            InboundEvent::Status(s) => (s.external_id.as_str(), s.status),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        ids,
        vec![("D241XXXX732339502B68", DeliveryStatus::Read), ("D241XXXX732339502B69", DeliveryStatus::Read)]
    );
    let InboundEvent::Status(s) = &parse("zapi/message_status_received.json")[0] else { panic!() };
    assert_eq!(s.status, DeliveryStatus::Delivered);
    assert_eq!(s.timestamp, Some(Utc.timestamp_millis_opt(1_767_225_650_000).unwrap()));
    assert!(matches!(parse("zapi/message_status_read_by_me.json")[0], InboundEvent::Ignored(_)));
}

#[test]
fn delivery_connected_disconnected() {
    let InboundEvent::Status(s) = &parse("zapi/delivery.json")[0] else { panic!() };
    assert_eq!(s.external_id, "D241XXXX732339502B68");
    assert_eq!(s.status, DeliveryStatus::Sent);

    let InboundEvent::Connection(c) = &parse("zapi/connected.json")[0] else { panic!() };
    assert!(c.connected);
    assert_eq!(c.phone.as_deref(), Some("5511900000000"));

    let InboundEvent::Connection(c) = &parse("zapi/disconnected.json")[0] else { panic!() };
    assert!(!c.connected);
    assert_eq!(c.error.as_deref(), Some("Device has been disconnected"));
    assert_eq!(c.timestamp, Some(Utc.timestamp_millis_opt(1_767_225_900_000).unwrap()));
}

// ---------- client (§3.1–§3.4) ----------

fn client_for(base: &str, delay: Option<u8>) -> ZapiClient {
    ZapiClient::new(
        reqwest::Client::new(),
        ZapiConfig {
            base_url: base.to_owned(),
            credentials: ZapiCredentials {
                instance_id: INSTANCE.to_owned(),
                instance_token: INSTANCE_TOKEN.to_owned(),
                client_token: CLIENT_TOKEN.to_owned(),
            },
            delay_message: delay,
        },
    )
    .unwrap()
}

fn instance_path(method: &str) -> String {
    format!("/instances/{INSTANCE}/token/{INSTANCE_TOKEN}/{method}")
}

fn ok_send() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture("zapi/send_ok.json"), "application/json")
}

#[tokio::test]
async fn send_text_matches_the_reference_example() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(instance_path("send-text")))
        .and(header("client-token", CLIENT_TOKEN))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"phone":"5511987654321","message":"Olá *Maria*!","delayMessage":3})))
        .respond_with(ok_send())
        .expect(1)
        .mount(&server)
        .await;
    let r = client_for(&server.uri(), Some(3))
        .send(&OutboundMessage::text("+55 11 98765-4321", "Olá *Maria*!"))
        .await
        .unwrap();
    assert_eq!(r.external_id, "D241XXXX732339502B68");
    assert_eq!(r.status, DeliveryStatus::Sent);
}

#[tokio::test]
async fn send_media_paths_and_bodies() {
    let server = MockServer::start().await;
    let cases = [
        (
            OutboundMessage::media("5511987654321", ContentType::Image, "https://cdn/x.jpg").with_caption("foto"),
            "send-image",
            json!({"phone":"5511987654321","image":"https://cdn/x.jpg","caption":"foto"}),
        ),
        (
            OutboundMessage::media("5511987654321", ContentType::Audio, "https://cdn/a.ogg"),
            "send-audio",
            json!({"phone":"5511987654321","audio":"https://cdn/a.ogg"}),
        ),
        (
            OutboundMessage::media("5511987654321", ContentType::Video, "https://cdn/v.mp4")
                .with_reply_to("3EB0A1B2C3D4E5F60718"),
            "send-video",
            json!({"phone":"5511987654321","video":"https://cdn/v.mp4","messageId":"3EB0A1B2C3D4E5F60718"}),
        ),
        (
            OutboundMessage::media("5511987654321", ContentType::File, "https://cdn/download?id=1")
                .with_filename("Boleto.pdf"),
            "send-document/pdf",
            json!({"phone":"5511987654321","document":"https://cdn/download?id=1","fileName":"Boleto.pdf"}),
        ),
    ];
    for (_, method_path, body) in &cases {
        Mock::given(method("POST"))
            .and(path(instance_path(method_path)))
            .and(header("client-token", CLIENT_TOKEN))
            .and(body_json(body))
            .respond_with(ok_send())
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server.uri(), None);
    for (msg, method_path, _) in &cases {
        client.send(msg).await.unwrap_or_else(|e| panic!("{method_path}: {e}"));
    }
}

#[tokio::test]
async fn instance_endpoints() {
    let server = MockServer::start().await;
    let get = |p: &str, body: serde_json::Value| {
        Mock::given(method("GET"))
            .and(path(instance_path(p)))
            .and(header("client-token", CLIENT_TOKEN))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
    };
    get("qr-code/image", serde_json::from_slice(&fixture("zapi/qr_code_image.json")).unwrap()).mount(&server).await;
    get("status", serde_json::from_slice(&fixture("zapi/status.json")).unwrap()).mount(&server).await;
    get("restart", json!({"value": true})).mount(&server).await;
    get("disconnect", json!({})).mount(&server).await;
    Mock::given(method("PUT"))
        .and(path(instance_path("update-every-webhooks")))
        .and(header("client-token", CLIENT_TOKEN))
        .and(body_json(json!({"value":"https://hooks.example.com/zapi/abc","notifySentByMe":true})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(instance_path("update-webhook-message-status")))
        .and(body_json(json!({"value":"https://hooks.example.com/zapi/abc"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": true})))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server.uri(), None);
    let QrCode::Image(img) = client.qr_code_image().await.unwrap() else {
        panic!("expected an image");
    };
    assert!(img.starts_with("data:image/png;base64,"));
    let status = client.status().await.unwrap();
    assert!(status.connected && status.smartphone_connected);
    assert_eq!(status.error.as_deref(), Some("You are already connected"));
    client.restart().await.unwrap();
    client.disconnect().await.unwrap();
    client.update_every_webhooks("https://hooks.example.com/zapi/abc", true).await.unwrap();
    client.update_webhook(WebhookKind::MessageStatus, "https://hooks.example.com/zapi/abc").await.unwrap();
    // GETs carry no body.
    for r in server.received_requests().await.unwrap() {
        if r.method.as_str() == "GET" {
            assert!(r.body.is_empty(), "{}", r.url);
        }
    }
}

#[tokio::test]
async fn qr_code_when_already_connected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(instance_path("qr-code/image")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"connected": true})))
        .mount(&server)
        .await;
    assert_eq!(client_for(&server.uri(), None).qr_code_image().await.unwrap(), QrCode::AlreadyConnected);
}

async fn send_against(template: ResponseTemplate) -> SendError {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(instance_path("send-text")))
        .respond_with(template)
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server.uri(), None).send(&OutboundMessage::text("5511987654321", "oi")).await.unwrap_err();
    assert!(!err.to_string().contains(INSTANCE_TOKEN), "{err}");
    let req = single_request(&server).await;
    assert_eq!(req.headers.get("client-token").unwrap(), CLIENT_TOKEN);
    err
}

#[tokio::test]
async fn errors_in_200_bodies() {
    let err = send_against(ResponseTemplate::new(200).set_body_json(json!({"error":"null not allowed"}))).await;
    assert!(matches!(err, SendError::Auth { .. }), "{err:?}");
    let err = send_against(
        ResponseTemplate::new(200)
            .set_body_json(json!({"error":"NOT_FOUND","message":"Unable to find matching target resource method"})),
    )
    .await;
    assert_eq!(
        err,
        SendError::Permanent {
            code: "NOT_FOUND".into(),
            reason: "Unable to find matching target resource method".into()
        }
    );
}

#[tokio::test]
async fn http_errors() {
    let err = send_against(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "12")
            .set_body_json(json!({"error":"Too many requests"})),
    )
    .await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(12)));
    let err = send_against(ResponseTemplate::new(502).set_body_string("bad gateway")).await;
    assert!(err.is_retryable());
    let err = send_against(
        ResponseTemplate::new(400)
            .set_body_json(json!({"error":"Phone invalid","message":"O telefone informado é inválido"})),
    )
    .await;
    assert_eq!(err.code(), Some("Phone invalid"));
    assert_eq!(err.reason(), "O telefone informado é inválido");
    let err = send_against(ResponseTemplate::new(415)).await;
    assert_eq!(err.code(), Some("415"));
    let err = send_against(ResponseTemplate::new(403).set_body_json(json!({"error":"[IP request] not allowed"}))).await;
    assert!(matches!(err, SendError::Auth { .. }));
}

#[tokio::test]
async fn connection_errors_are_retryable_and_hide_the_url() {
    let err =
        client_for(&dead_server_uri(), None).send(&OutboundMessage::text("5511987654321", "oi")).await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(!err.to_string().contains(INSTANCE_TOKEN), "{err}");
}

#[test]
fn group_messages_are_ignored_unless_the_channel_includes_groups() {
    let body = r#"{"type":"ReceivedCallback","instanceId":"3C0FFEE0000000000000000000000001","messageId":"3EB0GROUP1","phone":"120363019502650977-group","fromMe":false,"isGroup":true,"momment":1767225600000,"chatName":"Clientes VIP","senderName":"Joana","participantPhone":"5511977776666","text":{"message":"Alguém aí?"}}"#.as_bytes();
    assert!(matches!(zapi::parse_callback(body).unwrap()[0], InboundEvent::Ignored(_)));
    let events = zapi::parse_callback_with(body, &zapi::ParseOptions { include_groups: true }).unwrap();
    let InboundEvent::Message(m) = &events[0] else { panic!("{events:?}") };
    assert_eq!(m.from.id, "120363019502650977-group");
    assert_eq!(m.from.display_name.as_deref(), Some("Clientes VIP"));
    let participant = m.participant.as_ref().expect("the member who wrote");
    assert_eq!(participant.phone.as_deref(), Some("5511977776666"));
    assert_eq!(participant.name.as_deref(), Some("Joana"));
    assert_eq!(m.content.as_deref(), Some("Alguém aí?"));
    // One-to-one messages carry no participant either way.
    let one = message("zapi/received_text.json");
    assert!(one.participant.is_none());
}
