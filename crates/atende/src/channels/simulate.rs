//! `atende simulate`: builds the webhook a provider would send for an inbound
//! customer message, in the provider's real wire format and correctly signed with the
//! channel's own secrets, so the product can be seen working without provider accounts.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use chrono::Utc;
use rand::RngCore;
use serde_json::{Value, json};

use super::{adapters::twilio::TwilioSettings, credentials, entity, model::ChannelType};

/// Which provider to imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SimProvider {
    /// Twilio WhatsApp form webhook with `X-Twilio-Signature`.
    Twilio,
    /// Z-API `ReceivedCallback` at the secret webhook URL.
    Zapi,
    /// Messenger (`object: page`) with `X-Hub-Signature-256`.
    Meta,
    /// Instagram Direct (`object: instagram`) with `X-Hub-Signature-256`.
    Instagram,
}

impl SimProvider {
    /// The channel type this provider posts to.
    pub fn channel_type(self) -> ChannelType {
        match self {
            SimProvider::Twilio => ChannelType::WhatsappTwilio,
            SimProvider::Zapi => ChannelType::WhatsappZapi,
            SimProvider::Meta => ChannelType::FacebookMessenger,
            SimProvider::Instagram => ChannelType::Instagram,
        }
    }
}

/// What the customer "sends".
#[derive(Debug, Clone)]
pub struct SimMessage {
    /// Phone (WhatsApp) or PSID / IGSID (Meta).
    pub from: String,
    /// The message text.
    pub text: String,
    /// A public media URL to attach.
    pub media_url: Option<String>,
    /// Profile name (WhatsApp).
    pub name: String,
}

/// A ready-to-send webhook request.
#[derive(Debug, Clone)]
pub struct SimRequest {
    /// Path (and query) on the server.
    pub path: String,
    /// Headers to send (content type, signature).
    pub headers: Vec<(String, String)>,
    /// The exact bytes that were signed.
    pub body: Vec<u8>,
    /// The provider's id of the simulated message.
    pub message_id: String,
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

fn digits(phone: &str) -> anyhow::Result<String> {
    let d: String = phone.chars().filter(char::is_ascii_digit).collect();
    if d.len() < 7 || d.len() > 15 {
        bail!("--from must be a phone number for WhatsApp channels (e.g. +5511987654321)");
    }
    Ok(d)
}

/// A MIME type guessed from a URL's extension.
fn mime_of(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("mp4") => "video/mp4",
        Some("ogg" | "oga" | "opus") => "audio/ogg",
        Some("mp3") => "audio/mpeg",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// JSON with every non-ASCII character as a lowercase `\uXXXX` escape, as Meta sends
/// (and signs) it.
pub fn ascii_json(value: &Value) -> String {
    let plain = value.to_string();
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

/// Builds the signed webhook for `message` to `channel`. `resolved` are the channel's
/// decrypted credentials, `webhook_secret` its URL secret (Z-API), `public_url` the
/// server's `ATENDE_PUBLIC_URL` (Twilio signs the URL as configured there).
pub fn build(
    provider: SimProvider,
    channel: &entity::Model,
    resolved: Option<&Value>,
    webhook_secret: &str,
    public_url: &str,
    message: &SimMessage,
) -> anyhow::Result<SimRequest> {
    let channel_type = ChannelType::parse(&channel.channel_type).context("unknown channel type")?;
    if channel_type != provider.channel_type() {
        bail!("channel {} is {}, not {}", channel.id, channel_type.as_str(), provider.channel_type().as_str());
    }
    let account = channel.account_id.clone().unwrap_or_default();
    match provider {
        SimProvider::Twilio => twilio(channel, account, resolved, public_url, message),
        SimProvider::Zapi => zapi(channel, account, webhook_secret, message),
        SimProvider::Meta | SimProvider::Instagram => meta(provider, channel, account, resolved, message),
    }
}

/// A credential of the channel the signature needs.
fn secret(resolved: Option<&Value>, field: &str) -> anyhow::Result<String> {
    resolved
        .and_then(|c| credentials::field(c, field))
        .map(str::to_string)
        .with_context(|| format!("the channel has no `{field}` credential"))
}

/// Twilio's form-encoded WhatsApp webhook, signed with the account's auth token.
fn twilio(
    channel: &entity::Model,
    account: String,
    resolved: Option<&Value>,
    public_url: &str,
    message: &SimMessage,
) -> anyhow::Result<SimRequest> {
    let from = digits(&message.from)?;
    let to = TwilioSettings::of(channel).phone_number.unwrap_or_else(|| "+14155238886".into());
    let sid = format!("{}{}", if message.media_url.is_some() { "MM" } else { "SM" }, random_hex(16));
    let mut params: Vec<(String, String)> = vec![
        ("SmsMessageSid".into(), sid.clone()),
        ("NumMedia".into(), if message.media_url.is_some() { "1" } else { "0" }.into()),
        ("ProfileName".into(), message.name.clone()),
        ("SmsSid".into(), sid.clone()),
        ("WaId".into(), from.clone()),
        ("SmsStatus".into(), "received".into()),
        ("Body".into(), message.text.clone()),
        ("To".into(), format!("whatsapp:{to}")),
        ("NumSegments".into(), "1".into()),
        ("ReferralNumMedia".into(), "0".into()),
        ("MessageSid".into(), sid.clone()),
        ("AccountSid".into(), account),
        ("From".into(), format!("whatsapp:+{from}")),
        ("ApiVersion".into(), "2010-04-01".into()),
    ];
    if let Some(url) = &message.media_url {
        params.push(("MediaContentType0".into(), mime_of(url).into()));
        params.push(("MediaUrl0".into(), url.clone()));
    }
    let path = format!("/webhooks/twilio/{}", channel.id);
    let signature =
        providers::twilio::compute_signature(&secret(resolved, "authToken")?, &format!("{public_url}{path}"), &params);
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
    Ok(SimRequest {
        path,
        headers: vec![
            ("content-type".into(), "application/x-www-form-urlencoded".into()),
            ("x-twilio-signature".into(), signature),
        ],
        body: body.into_bytes(),
        message_id: sid,
    })
}

/// Z-API's `ReceivedCallback` (authenticated by the secret in the URL).
fn zapi(
    channel: &entity::Model,
    account: String,
    webhook_secret: &str,
    message: &SimMessage,
) -> anyhow::Result<SimRequest> {
    let from = digits(&message.from)?;
    let message_id = random_hex(10).to_uppercase();
    let mut payload = json!({
        "isStatusReply": false, "connectedPhone": "", "waitingMessage": false, "isEdit": false,
        "isGroup": false, "isNewsletter": false, "instanceId": account, "messageId": message_id,
        "phone": from, "fromMe": false, "momment": Utc::now().timestamp_millis(), "status": "RECEIVED",
        "chatName": message.name, "senderPhoto": null, "senderName": message.name, "photo": null,
        "broadcast": false, "forwarded": false, "fromApi": false, "type": "ReceivedCallback",
    });
    match &message.media_url {
        Some(url) if mime_of(url).starts_with("image/") => {
            payload["image"] = json!({"mimeType": mime_of(url), "imageUrl": url, "thumbnailUrl": url,
                "caption": message.text, "width": 600, "height": 315, "viewOnce": false});
        }
        Some(url) => {
            let name = url.rsplit('/').next().unwrap_or("file").to_string();
            payload["document"] = json!({"documentUrl": url, "mimeType": mime_of(url), "title": message.text,
                "fileName": name, "pageCount": 1});
        }
        None => payload["text"] = json!({"message": message.text}),
    }
    Ok(SimRequest {
        path: format!("/webhooks/zapi/{}/{webhook_secret}", channel.id),
        headers: vec![("content-type".into(), "application/json".into())],
        body: payload.to_string().into_bytes(),
        message_id,
    })
}

/// Meta's Messenger/Instagram webhook, signed with the app secret.
fn meta(
    provider: SimProvider,
    channel: &entity::Model,
    account: String,
    resolved: Option<&Value>,
    message: &SimMessage,
) -> anyhow::Result<SimRequest> {
    let object = if provider == SimProvider::Meta { "page" } else { "instagram" };
    let mid = format!("m_{}", random_hex(16));
    let now = Utc::now().timestamp_millis();
    let mut content = json!({"mid": mid});
    if !message.text.is_empty() {
        content["text"] = json!(message.text);
    }
    if let Some(url) = &message.media_url {
        let mime = mime_of(url);
        let kind = ["image", "video", "audio"].into_iter().find(|k| mime.starts_with(k)).unwrap_or("file");
        content["attachments"] = json!([{"type": kind, "payload": {"url": url}}]);
    }
    let payload = json!({"object": object, "entry": [{"id": account, "time": now, "messaging": [{
        "sender": {"id": message.from}, "recipient": {"id": account}, "timestamp": now - 100,
        "message": content,
    }]}]});
    let body = ascii_json(&payload).into_bytes();
    let signature = sign_sha256(&secret(resolved, "appSecret")?, &body);
    Ok(SimRequest {
        path: format!("/webhooks/meta/{}", channel.id),
        headers: vec![("content-type".into(), "application/json".into()), ("x-hub-signature-256".into(), signature)],
        body,
        message_id: mid,
    })
}

/// `sha256=<hex HMAC-SHA256(secret, body)>`, Meta's signature header.
pub fn sign_sha256(secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac =
        <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_json_escapes_like_meta() {
        let v = json!({"text": "Olá! Preço? 👍"});
        assert_eq!(ascii_json(&v), r#"{"text":"Ol\u00e1! Pre\u00e7o? \ud83d\udc4d"}"#);
        let back: Value = serde_json::from_str(&ascii_json(&v)).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn meta_worked_signature_example() {
        // reference §2.4: the Messenger text body signed with the example app secret.
        let body = r#"{"object":"page","entry":[{"id":"104578912345678","time":1767225600123,"messaging":[{"sender":{"id":"6543210987654321"},"recipient":{"id":"104578912345678"},"timestamp":1767225599876,"message":{"mid":"m_AbCdEf0123456789","text":"Ol\u00e1! Pre\u00e7o?"}}]}]}"#;
        assert_eq!(
            sign_sha256("f00dfacecafebeef0123456789abcdef", body.as_bytes()),
            "sha256=6dfbe2918045b5e6e4f008ea2a5cc33d1c72b59b1bb37563003e712216e72f94"
        );
    }

    #[test]
    fn mime_guesses() {
        assert_eq!(mime_of("https://x/a.JPG?sig=1"), "image/jpeg");
        assert_eq!(mime_of("https://x/doc.pdf"), "application/pdf");
        assert_eq!(mime_of("https://x/download"), "application/octet-stream");
    }
}
