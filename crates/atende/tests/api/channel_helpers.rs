//! Helpers for provider channels: mock provider servers (wiremock), the app pointed at
//! them, channel fixtures, and correctly signed real-format webhooks.

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::MockServer;

use crate::helpers::*;

/// The public URL the test server believes it has (what Twilio signs against).
pub const PUBLIC_URL: &str = "https://atende.example.com";

pub const TWILIO_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const TWILIO_TOKEN: &str = "9f86d081884c7d659a2feaa0c55ad015";
pub const TWILIO_NUMBER: &str = "+14155238886";

pub const ZAPI_INSTANCE: &str = "3C0FFEE0000000000000000000000001";
pub const ZAPI_TOKEN: &str = "ABCDEF0123456789ABCDEF01";
pub const ZAPI_CLIENT_TOKEN: &str = "F0123456789abcdef0123456789abcdefS";

pub const PAGE_ID: &str = "104578912345678";
pub const IG_ID: &str = "17841400000000000";
pub const PAGE_TOKEN: &str = "EAAG-page-token";
pub const APP_SECRET: &str = "f00dfacecafebeef0123456789abcdef";
pub const VERIFY_TOKEN: &str = "s3cr3t";

/// One mock server per provider.
pub struct Providers {
    pub twilio: MockServer,
    pub meta: MockServer,
    pub zapi: MockServer,
}

impl Providers {
    pub async fn start() -> Self {
        Providers {
            twilio: MockServer::start().await,
            meta: MockServer::start().await,
            zapi: MockServer::start().await,
        }
    }
}

/// The app with provider hosts pointed at the mocks and a public URL of its own.
pub async fn spawn_with_providers(providers: &Providers) -> TestApp {
    let (twilio, meta, zapi) = (providers.twilio.uri(), providers.meta.uri(), providers.zapi.uri());
    spawn_with(Options {
        configure: Some(Box::new(move |config| {
            config.public_url = Some(PUBLIC_URL.into());
            config.twilio_base_url = twilio;
            config.meta_graph_base_url = meta;
            config.zapi_base_url = zapi;
            config.zapi_qr_poll_secs = 0;
        })),
        ..Default::default()
    })
    .await
}

/// A provider channel created through the API.
#[derive(Debug, Clone)]
pub struct Channel {
    pub id: String,
    /// The webhook secret shown at creation.
    pub secret: String,
    /// The webhook URL shown at creation.
    pub webhook_url: String,
}

impl TestApp {
    /// `POST /api/v1/channels`, asserting 201.
    pub async fn create_channel(&self, admin: &Session, body: Value) -> Channel {
        let reply = self.post("/api/v1/channels", &admin.token, body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        Channel {
            id: reply.body["channel"]["id"].as_str().unwrap().to_string(),
            secret: reply.body["webhookSecret"].as_str().unwrap().to_string(),
            webhook_url: reply.body["channel"]["webhookUrl"].as_str().unwrap().to_string(),
        }
    }

    pub async fn twilio_channel(&self, admin: &Session) -> Channel {
        self.create_channel(admin, twilio_body()).await
    }

    pub async fn zapi_channel(&self, admin: &Session) -> Channel {
        self.create_channel(admin, zapi_body()).await
    }

    pub async fn messenger_channel(&self, admin: &Session) -> Channel {
        self.create_channel(admin, meta_body("FACEBOOK_MESSENGER", PAGE_ID)).await
    }

    pub async fn instagram_channel(&self, admin: &Session) -> Channel {
        self.create_channel(admin, meta_body("INSTAGRAM", IG_ID)).await
    }

    /// POSTs a form to a Twilio webhook path, signed for `PUBLIC_URL` + path.
    pub async fn twilio_post(&self, path: &str, params: &[(String, String)], token: &str) -> Reply {
        let signature = providers::twilio::compute_signature(token, &format!("{PUBLIC_URL}{path}"), params);
        self.twilio_post_signed(path, params, Some(&signature)).await
    }

    pub async fn twilio_post_signed(&self, path: &str, params: &[(String, String)], signature: Option<&str>) -> Reply {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
        let mut builder =
            self.client.post(self.url(path)).header("content-type", "application/x-www-form-urlencoded").body(body);
        if let Some(sig) = signature {
            builder = builder.header("x-twilio-signature", sig);
        }
        read(builder.send().await.unwrap()).await
    }

    /// POSTs a Z-API callback to the channel's secret URL.
    pub async fn zapi_post(&self, channel: &Channel, body: &[u8]) -> Reply {
        self.zapi_post_with_secret(channel, &channel.secret, body).await
    }

    pub async fn zapi_post_with_secret(&self, channel: &Channel, secret: &str, body: &[u8]) -> Reply {
        let response = self
            .client
            .post(self.url(&format!("/webhooks/zapi/{}/{secret}", channel.id)))
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// POSTs raw bytes to a Meta webhook path with `X-Hub-Signature-256` (or none).
    pub async fn meta_post(&self, path: &str, body: &[u8], app_secret: Option<&str>) -> Reply {
        let mut builder =
            self.client.post(self.url(path)).header("content-type", "application/json").body(body.to_vec());
        if let Some(secret) = app_secret {
            builder = builder.header("x-hub-signature-256", atende::channels::simulate::sign_sha256(secret, body));
        }
        read(builder.send().await.unwrap()).await
    }
}

pub fn twilio_body() -> Value {
    json!({"type": "WHATSAPP_TWILIO", "name": "WhatsApp Twilio", "accountId": TWILIO_SID,
           "phoneNumber": TWILIO_NUMBER, "credentials": {"authToken": TWILIO_TOKEN}})
}

pub fn zapi_body() -> Value {
    json!({"type": "WHATSAPP_ZAPI", "name": "WhatsApp Z-API", "accountId": ZAPI_INSTANCE,
           "credentials": {"instanceToken": ZAPI_TOKEN, "clientToken": ZAPI_CLIENT_TOKEN}})
}

pub fn meta_body(channel_type: &str, account: &str) -> Value {
    json!({"type": channel_type, "name": channel_type, "accountId": account,
           "credentials": {"pageAccessToken": PAGE_TOKEN, "appSecret": APP_SECRET, "verifyToken": VERIFY_TOKEN}})
}

/// Decoded pairs of a form body.
pub fn form(raw: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect()
}

/// A reference-format Twilio inbound WhatsApp message (reference §1.4).
pub fn twilio_inbound(sid: &str, from: &str, body: &str) -> Vec<(String, String)> {
    let wa_id = from.trim_start_matches('+');
    [
        ("SmsMessageSid", sid),
        ("NumMedia", "0"),
        ("ProfileName", "Maria Silva"),
        ("SmsSid", sid),
        ("WaId", wa_id),
        ("SmsStatus", "received"),
        ("Body", body),
        ("To", "whatsapp:+14155238886"),
        ("NumSegments", "1"),
        ("ReferralNumMedia", "0"),
        ("MessageSid", sid),
        ("AccountSid", TWILIO_SID),
        ("From", &format!("whatsapp:{from}")),
        ("ApiVersion", "2010-04-01"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect()
}

/// A reference-format Twilio status callback (reference §1.5).
pub fn twilio_status(sid: &str, status: &str, error_code: Option<&str>) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("AccountSid", TWILIO_SID),
        ("ApiVersion", "2010-04-01"),
        ("ChannelInstallSid", "XE0123456789abcdef0123456789abcdef"),
        ("ChannelPrefix", "whatsapp"),
        ("ChannelToAddress", "+5511987654321"),
        ("From", "whatsapp:+14155238886"),
        ("MessageSid", sid),
        ("MessageStatus", status),
        ("SmsSid", sid),
        ("SmsStatus", status),
        ("To", "whatsapp:+5511987654321"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    if status == "read" {
        params.push(("EventType".into(), "READ".into()));
    }
    if let Some(code) = error_code {
        params.push(("ErrorCode".into(), code.into()));
    }
    params
}

/// A reference-format Z-API ReceivedCallback with a text (reference §3.5).
pub fn zapi_received(message_id: &str, phone: &str, text: &str) -> Value {
    json!({"isStatusReply":false,"senderLid":"81896604192873@lid","connectedPhone":"5511900000000",
        "waitingMessage":false,"isEdit":false,"isGroup":false,"isNewsletter":false,"instanceId":ZAPI_INSTANCE,
        "messageId":message_id,"phone":phone,"fromMe":false,"momment":1767225600000i64,"status":"RECEIVED",
        "chatName":"Maria Silva","senderPhoto":null,"senderName":"Maria","participantPhone":null,
        "participantLid":null,"photo":"https://example.com/p.jpg","broadcast":false,"forwarded":false,
        "fromApi":false,"type":"ReceivedCallback","text":{"message":text}})
}

/// A Z-API MessageStatusCallback.
pub fn zapi_status(status: &str, ids: &[&str]) -> Value {
    json!({"status": status, "ids": ids, "momment": 1767225700000i64, "phone": "5511987654321",
           "type": "MessageStatusCallback", "instanceId": ZAPI_INSTANCE})
}

/// A Messenger / Instagram event envelope with one messaging event.
pub fn meta_envelope(object: &str, account: &str, event: Value) -> Value {
    json!({"object": object, "entry": [{"id": account, "time": 1767225600123i64, "messaging": [event]}]})
}

/// A user's text message to a page / account, timestamped now.
pub fn meta_text(object: &str, account: &str, user: &str, mid: &str, text: &str) -> Value {
    meta_envelope(
        object,
        account,
        json!({"sender": {"id": user}, "recipient": {"id": account},
               "timestamp": chrono::Utc::now().timestamp_millis(), "message": {"mid": mid, "text": text}}),
    )
}

/// Meta's wire form: compact JSON with `\uXXXX` escapes for non-ASCII.
pub fn meta_bytes(value: &Value) -> Vec<u8> {
    atende::channels::simulate::ascii_json(value).into_bytes()
}

/// A message's current status as the REST API shows it.
pub async fn message_status(app: &TestApp, admin: &Session, conversation_id: &str, message_id: &str) -> Value {
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation_id}"), &admin.token).await;
    history.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == message_id)
        .cloned()
        .unwrap_or_else(|| panic!("message {message_id} not in {:?}", history.body))
}

/// The only conversation of the workspace.
pub async fn only_conversation(app: &TestApp, session: &Session) -> Value {
    let list = app.get("/api/v1/conversations", &session.token).await;
    assert_eq!(list.body["total"], 1, "{:?}", list.body);
    list.body["conversations"][0].clone()
}

/// The requests a mock received on a path.
pub async fn requests_to(server: &MockServer, path: &str) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == path).collect()
}
