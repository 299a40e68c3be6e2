//! Meta webhook: GET verification, signature and event parsing (reference §2.2–§2.4).

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use sha1::Sha1;
use sha2::Sha256;

use crate::common::{
    Attachment, ContentType, DeliveryStatus, InboundEvent, InboundMessage, Location, ParseError, SenderIdentity,
    SenderKind, StatusUpdate, WatermarkUpdate, ct_eq, epoch_to_datetime, non_empty,
};

/// Which Meta product a webhook or channel belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaPlatform {
    /// Facebook Messenger (`object: "page"`, PSIDs).
    Messenger,
    /// Instagram Direct (`object: "instagram"`, IGSIDs).
    Instagram,
}

impl MetaPlatform {
    /// The platform of a webhook `object` value.
    pub fn from_object(object: &str) -> Option<Self> {
        match object {
            "page" => Some(Self::Messenger),
            "instagram" => Some(Self::Instagram),
            _ => None,
        }
    }

    /// The sender kind of users on this platform.
    pub fn sender_kind(self) -> SenderKind {
        match self {
            Self::Messenger => SenderKind::Facebook,
            Self::Instagram => SenderKind::Instagram,
        }
    }
}

/// Answers the subscription handshake: when `hub.mode` is `subscribe` and
/// `hub.verify_token` equals `verify_token` (constant time), returns the
/// `hub.challenge` to send back as a plain-text 200 body. `None` means 403.
/// `query` holds the decoded query pairs; `hub_mode`-style names are accepted.
pub fn verify_challenge(query: &[(String, String)], verify_token: &str) -> Option<String> {
    let get = |name: &str| {
        let underscored = name.replace('.', "_");
        query.iter().find(|(k, _)| *k == name || *k == underscored).map(|(_, v)| v.as_str())
    };
    if verify_token.is_empty() || get("hub.mode")? != "subscribe" {
        return None;
    }
    let token = get("hub.verify_token")?;
    if !ct_eq(token.as_bytes(), verify_token.as_bytes()) {
        return None;
    }
    get("hub.challenge").filter(|c| !c.is_empty()).map(ToOwned::to_owned)
}

/// Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`
/// in constant time. `raw_body` must be the bytes exactly as received.
pub fn validate_signature_256(app_secret: &str, raw_body: &[u8], header: &str) -> bool {
    let Some(claimed) = decode_header(header, "sha256=", 32) else {
        return false;
    };
    if app_secret.is_empty() {
        return false;
    }
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(raw_body);
    ct_eq(&mac.finalize().into_bytes(), &claimed)
}

/// Checks the legacy `X-Hub-Signature: sha1=<hex HMAC-SHA1>` header.
pub fn validate_signature_sha1(app_secret: &str, raw_body: &[u8], header: &str) -> bool {
    let Some(claimed) = decode_header(header, "sha1=", 20) else {
        return false;
    };
    if app_secret.is_empty() {
        return false;
    }
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(raw_body);
    ct_eq(&mac.finalize().into_bytes(), &claimed)
}

fn decode_header(header: &str, prefix: &str, len: usize) -> Option<Vec<u8>> {
    let hex_part = header.trim().strip_prefix(prefix)?;
    let bytes = hex::decode(hex_part).ok()?;
    (bytes.len() == len).then_some(bytes)
}

/// Parses a webhook POST body into `(entry id, event)` pairs, in payload order.
/// The entry id is the Page id (Messenger) or IG professional account id
/// (Instagram) that routes the event to a channel. A malformed single event
/// becomes [`InboundEvent::Ignored`] so one odd event does not sink the batch.
pub fn parse_webhook(raw_body: &[u8]) -> Result<Vec<(String, InboundEvent)>, ParseError> {
    let envelope: Envelope = serde_json::from_slice(raw_body)?;
    let object = envelope.object.ok_or(ParseError::MissingField("object"))?;
    let platform = MetaPlatform::from_object(&object)
        .ok_or(ParseError::InvalidField { field: "object", value: object.clone() })?;
    let mut out = Vec::new();
    for entry in envelope.entry {
        let entry_id = entry.id.ok_or(ParseError::MissingField("entry.id"))?;
        let raw_events = entry.messaging.into_iter().chain(entry.standby).map(|v| (v, None)).chain(
            entry.changes.into_iter().map(|c| {
                let field = c.field.unwrap_or_default();
                (c.value.unwrap_or(Value::Null), Some(field))
            }),
        );
        for (raw, field) in raw_events {
            let events = match serde_json::from_value::<Event>(raw) {
                Ok(event) if event.sender.is_some() => convert(platform, event),
                Ok(_) => vec![InboundEvent::Ignored(match field {
                    Some(f) => format!("meta change `{f}` without a messaging event"),
                    None => "meta event without sender".to_owned(),
                })],
                Err(e) => vec![InboundEvent::Ignored(format!("malformed meta messaging event: {e}"))],
            };
            out.extend(events.into_iter().map(|e| (entry_id.clone(), e)));
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct Envelope {
    object: Option<String>,
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default, deserialize_with = "flex_string")]
    id: Option<String>,
    #[serde(default)]
    messaging: Vec<Value>,
    #[serde(default)]
    standby: Vec<Value>,
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    field: Option<String>,
    value: Option<Value>,
}

#[derive(Deserialize)]
struct Event {
    sender: Option<Party>,
    recipient: Option<Party>,
    #[serde(default, deserialize_with = "flex_i64")]
    timestamp: Option<i64>,
    message: Option<WireMessage>,
    delivery: Option<Delivery>,
    read: Option<Read>,
    postback: Option<Postback>,
    reaction: Option<Value>,
}

#[derive(Deserialize)]
struct Party {
    #[serde(default, deserialize_with = "flex_string")]
    id: Option<String>,
}

#[derive(Deserialize)]
struct WireMessage {
    mid: Option<String>,
    text: Option<String>,
    #[serde(default)]
    is_echo: bool,
    #[serde(default)]
    attachments: Vec<WireAttachment>,
    quick_reply: Option<QuickReply>,
    reply_to: Option<ReplyTo>,
    #[serde(default)]
    is_deleted: bool,
    #[serde(default)]
    is_unsupported: bool,
    sticker_id: Option<Value>,
}

#[derive(Deserialize)]
struct WireAttachment {
    #[serde(rename = "type")]
    kind: Option<String>,
    payload: Option<AttachmentPayload>,
}

#[derive(Deserialize)]
struct AttachmentPayload {
    url: Option<String>,
    title: Option<String>,
    coordinates: Option<Coordinates>,
    sticker_id: Option<Value>,
}

#[derive(Deserialize)]
struct Coordinates {
    lat: f64,
    long: f64,
}

#[derive(Deserialize)]
struct QuickReply {
    payload: Option<String>,
}

#[derive(Deserialize)]
struct ReplyTo {
    mid: Option<String>,
}

#[derive(Deserialize)]
struct Delivery {
    #[serde(default)]
    mids: Vec<String>,
    #[serde(default, deserialize_with = "flex_i64")]
    watermark: Option<i64>,
}

#[derive(Deserialize)]
struct Read {
    #[serde(default, deserialize_with = "flex_i64")]
    watermark: Option<i64>,
    mid: Option<String>,
}

#[derive(Deserialize)]
struct Postback {
    mid: Option<String>,
    title: Option<String>,
    payload: Option<String>,
}

fn convert(platform: MetaPlatform, ev: Event) -> Vec<InboundEvent> {
    let sender_id = ev.sender.and_then(|p| p.id);
    let recipient_id = ev.recipient.and_then(|p| p.id);
    let timestamp = ev.timestamp.and_then(epoch_to_datetime);
    let identity = |id: String| SenderIdentity { kind: platform.sender_kind(), id, display_name: None, phone: None };

    if let Some(msg) = ev.message {
        if msg.is_deleted {
            return vec![InboundEvent::Ignored("meta message deleted by the user".to_owned())];
        }
        let (contact, account) = if msg.is_echo { (recipient_id, sender_id) } else { (sender_id, recipient_id) };
        let Some(contact) = contact else {
            return vec![InboundEvent::Ignored("meta message without a user id".to_owned())];
        };
        let Some(mid) = non_empty(msg.mid.as_deref()) else {
            return vec![InboundEvent::Ignored("meta message without mid".to_owned())];
        };
        return vec![InboundEvent::Message(message(msg, mid, identity(contact), account, timestamp))];
    }

    let Some(sender_id) = sender_id else {
        return vec![InboundEvent::Ignored("meta event without sender id".to_owned())];
    };

    if let Some(pb) = ev.postback {
        let external_id = non_empty(pb.mid.as_deref())
            .unwrap_or_else(|| format!("postback:{sender_id}:{}", ev.timestamp.unwrap_or_default()));
        return vec![InboundEvent::Message(InboundMessage {
            external_id,
            content: non_empty(pb.title.as_deref()).or_else(|| non_empty(pb.payload.as_deref())),
            from: identity(sender_id),
            channel_account: recipient_id,
            content_type: ContentType::Text,
            attachments: Vec::new(),
            location: None,
            timestamp,
            is_echo: false,
            reply_to: None,
            raw_type: Some("postback".to_owned()),
            participant: None,
        })];
    }

    if let Some(delivery) = ev.delivery {
        let at = delivery.watermark.and_then(epoch_to_datetime);
        let mut out: Vec<InboundEvent> = delivery
            .mids
            .into_iter()
            .filter(|m| !m.is_empty())
            .map(|external_id| {
                InboundEvent::Status(StatusUpdate {
                    external_id,
                    status: DeliveryStatus::Delivered,
                    error: None,
                    timestamp: at.or(timestamp),
                })
            })
            .collect();
        if let Some(watermark) = at {
            out.push(InboundEvent::Watermark(WatermarkUpdate {
                contact_id: sender_id,
                status: DeliveryStatus::Delivered,
                watermark,
            }));
        }
        if out.is_empty() {
            out.push(InboundEvent::Ignored("meta delivery without mids or watermark".to_owned()));
        }
        return out;
    }

    if let Some(read) = ev.read {
        let mut out = Vec::new();
        if let Some(external_id) = non_empty(read.mid.as_deref()) {
            out.push(InboundEvent::Status(StatusUpdate {
                external_id,
                status: DeliveryStatus::Read,
                error: None,
                timestamp,
            }));
        }
        if let Some(watermark) = read.watermark.and_then(epoch_to_datetime) {
            out.push(InboundEvent::Watermark(WatermarkUpdate {
                contact_id: sender_id,
                status: DeliveryStatus::Read,
                watermark,
            }));
        }
        if out.is_empty() {
            out.push(InboundEvent::Ignored("meta read without mid or watermark".to_owned()));
        }
        return out;
    }

    if ev.reaction.is_some() {
        return vec![InboundEvent::Ignored("meta reaction".to_owned())];
    }
    vec![InboundEvent::Ignored("unhandled meta messaging event".to_owned())]
}

fn message(
    msg: WireMessage,
    mid: String,
    from: SenderIdentity,
    account: Option<String>,
    timestamp: Option<chrono::DateTime<chrono::Utc>>,
) -> InboundMessage {
    let mut location = None;
    let mut attachments = Vec::new();
    let mut sticker = msg.sticker_id.is_some();
    for a in &msg.attachments {
        let Some(payload) = &a.payload else { continue };
        sticker |= payload.sticker_id.is_some();
        if let (None, Some(c)) = (&location, &payload.coordinates) {
            location =
                Some(Location { lat: c.lat, lng: c.long, name: non_empty(payload.title.as_deref()), address: None });
        }
        if let Some(url) = non_empty(payload.url.as_deref()) {
            attachments.push(Attachment { url, mime_type: None, filename: None, size: None });
        }
    }
    let first_kind = msg.attachments.iter().find_map(|a| a.kind.as_deref());
    let content_type = if sticker {
        ContentType::Sticker
    } else if let Some(kind) = first_kind {
        attachment_kind(kind)
    } else if msg.is_unsupported {
        ContentType::Unsupported
    } else if non_empty(msg.text.as_deref()).is_some() {
        ContentType::Text
    } else {
        ContentType::Unsupported
    };
    let raw_type = if msg.is_unsupported {
        "unsupported"
    } else if let Some(kind) = first_kind {
        kind
    } else if msg.quick_reply.as_ref().and_then(|q| q.payload.as_ref()).is_some() {
        "quick_reply"
    } else {
        "text"
    };
    InboundMessage {
        external_id: mid,
        from,
        channel_account: account,
        content: non_empty(msg.text.as_deref()),
        content_type,
        attachments,
        location: if content_type == ContentType::Location { location } else { None },
        timestamp,
        is_echo: msg.is_echo,
        reply_to: msg.reply_to.and_then(|r| non_empty(r.mid.as_deref())),
        raw_type: Some(raw_type.to_owned()),
        participant: None,
    }
}

fn attachment_kind(kind: &str) -> ContentType {
    match kind {
        "image" => ContentType::Image,
        "video" | "reel" | "ig_reel" => ContentType::Video,
        "audio" => ContentType::Audio,
        "file" => ContentType::File,
        "location" => ContentType::Location,
        "template" => ContentType::Template,
        "sticker" => ContentType::Sticker,
        _ => ContentType::Unsupported,
    }
}

/// A string that may arrive as a JSON number (ids) or string.
fn flex_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// An integer that may arrive as a JSON number or a numeric string.
fn flex_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn challenge_handshake() {
        let ok = q(&[("hub.mode", "subscribe"), ("hub.challenge", "1158201444"), ("hub.verify_token", "s3cr3t")]);
        assert_eq!(verify_challenge(&ok, "s3cr3t").as_deref(), Some("1158201444"));
        assert_eq!(verify_challenge(&ok, "other"), None);
        assert_eq!(verify_challenge(&ok, ""), None);
        let php = q(&[("hub_mode", "subscribe"), ("hub_challenge", "42"), ("hub_verify_token", "s3cr3t")]);
        assert_eq!(verify_challenge(&php, "s3cr3t").as_deref(), Some("42"));
        let wrong_mode = q(&[("hub.mode", "unsubscribe"), ("hub.challenge", "1"), ("hub.verify_token", "s3cr3t")]);
        assert_eq!(verify_challenge(&wrong_mode, "s3cr3t"), None);
        let no_challenge = q(&[("hub.mode", "subscribe"), ("hub.verify_token", "s3cr3t")]);
        assert_eq!(verify_challenge(&no_challenge, "s3cr3t"), None);
    }

    #[test]
    fn signature_header_format() {
        let body = br#"{"object":"page","entry":[]}"#;
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"secret").unwrap();
        mac.update(body);
        let hex_sig = hex::encode(mac.finalize().into_bytes());
        assert!(validate_signature_256("secret", body, &format!("sha256={hex_sig}")));
        assert!(validate_signature_256("secret", body, &format!("sha256={}", hex_sig.to_uppercase())));
        assert!(!validate_signature_256("secret", body, &hex_sig));
        assert!(!validate_signature_256("secret", body, &format!("sha1={hex_sig}")));
        assert!(!validate_signature_256("secret", body, &format!("sha256={}", &hex_sig[..62])));
        assert!(!validate_signature_256("secret", body, "sha256=zz"));
        assert!(!validate_signature_256("", body, &format!("sha256={hex_sig}")));
        assert!(!validate_signature_256("secret2", body, &format!("sha256={hex_sig}")));
    }

    #[test]
    fn unknown_object_and_missing_entry_id_are_errors() {
        assert!(matches!(
            parse_webhook(br#"{"object":"whatsapp_business_account","entry":[]}"#),
            Err(ParseError::InvalidField { field: "object", .. })
        ));
        assert_eq!(
            parse_webhook(br#"{"object":"page","entry":[{"messaging":[]}]}"#),
            Err(ParseError::MissingField("entry.id"))
        );
        assert!(matches!(parse_webhook(b"not json"), Err(ParseError::Invalid(_))));
    }

    #[test]
    fn malformed_event_does_not_sink_the_batch() {
        let body = br#"{"object":"page","entry":[{"id":"1","messaging":[
            {"sender":{"id":"2"},"recipient":{"id":"1"},"message":{"mid":"m1","attachments":"oops"}},
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1767225600000,"message":{"mid":"m2","text":"ok"}}
        ]}]}"#;
        let events = parse_webhook(body).unwrap();
        assert_eq!(events.len(), 2);
        assert!(matches!(&events[0].1, InboundEvent::Ignored(r) if r.contains("malformed")));
        assert!(matches!(&events[1].1, InboundEvent::Message(m) if m.external_id == "m2"));
    }

    #[test]
    fn deleted_and_reaction_are_ignored() {
        let body = br#"{"object":"instagram","entry":[{"id":"1","messaging":[
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m1","is_deleted":true}},
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"reaction":{"mid":"m0","action":"react","reaction":"love","emoji":"\u2764"}}
        ]}]}"#;
        let events = parse_webhook(body).unwrap();
        assert!(events.iter().all(|(_, e)| matches!(e, InboundEvent::Ignored(_))));
    }

    #[test]
    fn location_and_sticker_attachments() {
        let body = br#"{"object":"page","entry":[{"id":"1","messaging":[
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m1","attachments":[{"type":"location","payload":{"coordinates":{"lat":-23.5,"long":-46.6},"title":"Casa"}}]}},
            {"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m2","sticker_id":369239263222822,"attachments":[{"type":"image","payload":{"url":"https://cdn/s.png","sticker_id":369239263222822}}]}}
        ]}]}"#;
        let events = parse_webhook(body).unwrap();
        let InboundEvent::Message(loc) = &events[0].1 else { panic!("{events:?}") };
        assert_eq!(loc.content_type, ContentType::Location);
        let l = loc.location.as_ref().unwrap();
        assert_eq!((l.lat, l.lng, l.name.as_deref()), (-23.5, -46.6, Some("Casa")));
        let InboundEvent::Message(st) = &events[1].1 else { panic!("{events:?}") };
        assert_eq!(st.content_type, ContentType::Sticker);
        assert_eq!(st.attachments[0].url, "https://cdn/s.png");
    }
}
