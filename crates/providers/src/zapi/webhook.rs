//! Z-API callback parsing (reference §3.5, §3.6).

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::common::{
    Attachment, ConnectionEvent, ContentType, DeliveryStatus, InboundEvent, InboundMessage, Location, ParseError,
    Participant, ProviderError, SenderIdentity, SenderKind, StatusUpdate, ct_eq, e164_from_digits, epoch_to_datetime,
    non_empty,
};

/// The `instanceId` a callback claims to come from, if any.
pub fn callback_instance_id(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct OnlyInstance {
        #[serde(rename = "instanceId")]
        instance_id: Option<String>,
    }
    serde_json::from_slice::<OnlyInstance>(body).ok()?.instance_id.filter(|s| !s.is_empty())
}

/// Whether the callback's `instanceId` is the channel's instance. Z-API signs
/// nothing; combine this with a secret in the webhook URL.
pub fn verify_instance(body: &[u8], expected_instance_id: &str) -> bool {
    match callback_instance_id(body) {
        Some(id) => !expected_instance_id.is_empty() && ct_eq(id.as_bytes(), expected_instance_id.as_bytes()),
        None => false,
    }
}

/// Parses one Z-API callback into normalized events (several for a
/// `MessageStatusCallback` with several `ids`).
pub fn parse_callback(body: &[u8]) -> Result<Vec<InboundEvent>, ParseError> {
    parse_callback_with(body, &ParseOptions::default())
}

/// Channel options that change how callbacks are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Read group messages as conversations with the group (`from` is the group id and
    /// name, `participant` the member who wrote); ignored otherwise.
    pub include_groups: bool,
}

/// [`parse_callback`] with channel options.
pub fn parse_callback_with(body: &[u8], options: &ParseOptions) -> Result<Vec<InboundEvent>, ParseError> {
    let cb: Callback = serde_json::from_slice(body)?;
    let kind = non_empty(cb.kind.as_deref()).ok_or(ParseError::MissingField("type"))?;
    match kind.to_ascii_lowercase().as_str() {
        "receivedcallback" => received(cb, options).map(|e| vec![e]),
        "messagestatuscallback" => Ok(statuses(cb)),
        "deliverycallback" => delivery(cb).map(|e| vec![e]),
        "connectedcallback" => Ok(vec![InboundEvent::Connection(ConnectionEvent {
            connected: cb.connected.unwrap_or(true),
            phone: non_empty(cb.phone.as_deref()),
            error: None,
            timestamp: cb.momment.and_then(epoch_to_datetime),
        })]),
        "disconnectedcallback" => Ok(vec![InboundEvent::Connection(ConnectionEvent {
            connected: false,
            phone: non_empty(cb.phone.as_deref()),
            error: value_text(cb.error.as_ref()),
            timestamp: cb.momment.and_then(epoch_to_datetime),
        })]),
        _ => Ok(vec![InboundEvent::Ignored(format!("z-api callback `{kind}`"))]),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Callback {
    #[serde(rename = "type")]
    kind: Option<String>,
    message_id: Option<String>,
    phone: Option<String>,
    from_me: Option<bool>,
    is_group: Option<bool>,
    is_newsletter: Option<bool>,
    broadcast: Option<bool>,
    waiting_message: Option<bool>,
    #[serde(default, deserialize_with = "flex_i64")]
    momment: Option<i64>,
    status: Option<String>,
    chat_name: Option<String>,
    sender_name: Option<String>,
    participant_phone: Option<String>,
    connected_phone: Option<String>,
    reference_message_id: Option<String>,
    notification: Option<Value>,
    #[serde(default)]
    ids: Vec<String>,
    connected: Option<bool>,
    error: Option<Value>,
    text: Option<TextContent>,
    image: Option<Media>,
    audio: Option<Media>,
    video: Option<Media>,
    document: Option<Media>,
    sticker: Option<Media>,
    location: Option<LocationContent>,
    contact: Option<ContactContent>,
    reaction: Option<Value>,
    hydrated_template: Option<TemplateContent>,
    buttons_response_message: Option<TemplateContent>,
    button_reply: Option<TemplateContent>,
    list_response_message: Option<TemplateContent>,
}

#[derive(Deserialize)]
struct TextContent {
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Media {
    mime_type: Option<String>,
    image_url: Option<String>,
    audio_url: Option<String>,
    video_url: Option<String>,
    document_url: Option<String>,
    sticker_url: Option<String>,
    caption: Option<String>,
    file_name: Option<String>,
    title: Option<String>,
}

impl Media {
    fn url(&self) -> Option<String> {
        [&self.image_url, &self.audio_url, &self.video_url, &self.document_url, &self.sticker_url]
            .into_iter()
            .find_map(|u| non_empty(u.as_deref()))
    }
}

#[derive(Deserialize)]
struct LocationContent {
    #[serde(default, deserialize_with = "flex_f64")]
    latitude: Option<f64>,
    #[serde(default, deserialize_with = "flex_f64")]
    longitude: Option<f64>,
    name: Option<String>,
    address: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContactContent {
    display_name: Option<String>,
    v_card: Option<String>,
}

#[derive(Deserialize)]
struct TemplateContent {
    message: Option<String>,
    title: Option<String>,
}

fn received(cb: Callback, options: &ParseOptions) -> Result<InboundEvent, ParseError> {
    let is_group = cb.is_group.unwrap_or(false);
    if is_group && !options.include_groups {
        return Ok(InboundEvent::Ignored("z-api group message".to_owned()));
    }
    if cb.is_newsletter.unwrap_or(false) || cb.broadcast.unwrap_or(false) {
        return Ok(InboundEvent::Ignored("z-api newsletter/broadcast message".to_owned()));
    }
    if cb.waiting_message.unwrap_or(false) {
        return Ok(InboundEvent::Ignored("z-api waiting message (not yet decrypted; WhatsApp resends it)".to_owned()));
    }
    if cb.notification.as_ref().is_some_and(|n| !n.is_null()) {
        return Ok(InboundEvent::Ignored("z-api notification".to_owned()));
    }
    if cb.reaction.is_some() {
        return Ok(InboundEvent::Ignored("z-api reaction".to_owned()));
    }
    let external_id = non_empty(cb.message_id.as_deref()).ok_or(ParseError::MissingField("messageId"))?;
    let phone = non_empty(cb.phone.as_deref()).ok_or(ParseError::MissingField("phone"))?;
    let from_me = cb.from_me.unwrap_or(false);
    let display_name = if from_me || is_group {
        // In a group the conversation is the group: its name, not the member's.
        non_empty(cb.chat_name.as_deref())
    } else {
        non_empty(cb.sender_name.as_deref()).or_else(|| non_empty(cb.chat_name.as_deref()))
    };

    let mut attachments = Vec::new();
    let mut location = None;
    let media = |m: &Media, attachments: &mut Vec<Attachment>| {
        if let Some(url) = m.url() {
            attachments.push(Attachment {
                url,
                mime_type: non_empty(m.mime_type.as_deref()),
                filename: non_empty(m.file_name.as_deref()),
                size: None,
            });
        }
    };
    let (content_type, content, raw_type) = if let Some(t) = &cb.text {
        (ContentType::Text, non_empty(t.message.as_deref()), "text")
    } else if let Some(m) = &cb.image {
        media(m, &mut attachments);
        (ContentType::Image, non_empty(m.caption.as_deref()), "image")
    } else if let Some(m) = &cb.video {
        media(m, &mut attachments);
        (ContentType::Video, non_empty(m.caption.as_deref()), "video")
    } else if let Some(m) = &cb.audio {
        media(m, &mut attachments);
        (ContentType::Audio, None, "audio")
    } else if let Some(m) = &cb.document {
        media(m, &mut attachments);
        let text = non_empty(m.caption.as_deref()).or_else(|| non_empty(m.title.as_deref()));
        (ContentType::File, text, "document")
    } else if let Some(m) = &cb.sticker {
        media(m, &mut attachments);
        (ContentType::Sticker, None, "sticker")
    } else if let Some(l) = &cb.location {
        let (Some(lat), Some(lng)) = (l.latitude, l.longitude) else {
            return Err(ParseError::MissingField("location.latitude"));
        };
        location =
            Some(Location { lat, lng, name: non_empty(l.name.as_deref()), address: non_empty(l.address.as_deref()) });
        (ContentType::Location, None, "location")
    } else if let Some(t) = &cb.hydrated_template {
        let text = non_empty(t.message.as_deref()).or_else(|| non_empty(t.title.as_deref()));
        (ContentType::Template, text, "hydratedTemplate")
    } else if let Some(t) =
        cb.buttons_response_message.as_ref().or(cb.button_reply.as_ref()).or(cb.list_response_message.as_ref())
    {
        let text = non_empty(t.message.as_deref()).or_else(|| non_empty(t.title.as_deref()));
        (ContentType::Text, text, "buttonResponse")
    } else if let Some(c) = &cb.contact {
        let text = non_empty(c.v_card.as_deref()).or_else(|| non_empty(c.display_name.as_deref()));
        (ContentType::Unsupported, text, "contact")
    } else {
        (ContentType::Unsupported, None, "unknown")
    };

    Ok(InboundEvent::Message(InboundMessage {
        external_id,
        from: SenderIdentity { kind: SenderKind::WhatsApp, phone: e164_from_digits(&phone), id: phone, display_name },
        channel_account: non_empty(cb.connected_phone.as_deref()),
        content,
        content_type,
        attachments,
        location,
        timestamp: cb.momment.and_then(epoch_to_datetime),
        is_echo: from_me,
        reply_to: non_empty(cb.reference_message_id.as_deref()),
        raw_type: Some(raw_type.to_owned()),
        participant: is_group.then(|| Participant {
            phone: non_empty(cb.participant_phone.as_deref()),
            name: non_empty(cb.sender_name.as_deref()),
        }),
    }))
}

fn statuses(cb: Callback) -> Vec<InboundEvent> {
    let raw = cb.status.unwrap_or_default();
    let status = match raw.to_ascii_uppercase().as_str() {
        "SENT" => DeliveryStatus::Sent,
        "RECEIVED" => DeliveryStatus::Delivered,
        "READ" | "PLAYED" => DeliveryStatus::Read,
        _ => {
            return vec![InboundEvent::Ignored(format!("z-api status `{raw}` carries no delivery change"))];
        }
    };
    let timestamp = cb.momment.and_then(epoch_to_datetime);
    let events: Vec<InboundEvent> = cb
        .ids
        .into_iter()
        .filter(|id| !id.is_empty())
        .map(|external_id| InboundEvent::Status(StatusUpdate { external_id, status, error: None, timestamp }))
        .collect();
    if events.is_empty() {
        return vec![InboundEvent::Ignored("z-api status without ids".to_owned())];
    }
    events
}

fn delivery(cb: Callback) -> Result<InboundEvent, ParseError> {
    let external_id = non_empty(cb.message_id.as_deref()).ok_or(ParseError::MissingField("messageId"))?;
    let error = value_text(cb.error.as_ref());
    Ok(InboundEvent::Status(StatusUpdate {
        external_id,
        status: if error.is_some() { DeliveryStatus::Failed } else { DeliveryStatus::Sent },
        error: error.map(|message| ProviderError { code: "delivery_error".to_owned(), message }),
        timestamp: cb.momment.and_then(epoch_to_datetime),
    }))
}

fn value_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => non_empty(Some(s)),
        Value::Null | Value::Bool(false) => None,
        other => Some(other.to_string()),
    }
}

fn flex_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

fn flex_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|f: &f64| f.is_finite()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_check() {
        let body = br#"{"type":"ReceivedCallback","instanceId":"ABC"}"#;
        assert!(verify_instance(body, "ABC"));
        assert!(!verify_instance(body, "ABD"));
        assert!(!verify_instance(body, ""));
        assert!(!verify_instance(br#"{"type":"ReceivedCallback"}"#, "ABC"));
        assert!(!verify_instance(b"garbage", "ABC"));
    }

    #[test]
    fn type_is_case_insensitive_and_required() {
        let body = br#"{"type":"ReceivedCallBack","messageId":"X","phone":"5511","text":{"message":"oi"}}"#;
        assert!(matches!(&parse_callback(body).unwrap()[0], InboundEvent::Message(_)));
        assert_eq!(parse_callback(br#"{"phone":"5511"}"#), Err(ParseError::MissingField("type")));
        assert!(matches!(&parse_callback(br#"{"type":"PresenceChatCallback"}"#).unwrap()[0], InboundEvent::Ignored(_)));
    }

    #[test]
    fn group_newsletter_waiting_and_reaction_are_ignored() {
        for extra in [
            r#""isGroup":true"#,
            r#""isNewsletter":true"#,
            r#""broadcast":true"#,
            r#""waitingMessage":true"#,
            r#""reaction":{"value":"👍"}"#,
            r#""notification":"CALL_MISSED_VOICE""#,
        ] {
            let body = format!(
                r#"{{"type":"ReceivedCallback","messageId":"X","phone":"5511",{extra},"text":{{"message":"oi"}}}}"#
            );
            let ev = parse_callback(body.as_bytes()).unwrap();
            assert!(matches!(&ev[0], InboundEvent::Ignored(_)), "{extra}: {ev:?}");
        }
    }

    #[test]
    fn message_without_id_or_phone_is_an_error() {
        assert_eq!(
            parse_callback(br#"{"type":"ReceivedCallback","phone":"5511","text":{"message":"x"}}"#),
            Err(ParseError::MissingField("messageId"))
        );
        assert_eq!(
            parse_callback(br#"{"type":"ReceivedCallback","messageId":"X","text":{"message":"x"}}"#),
            Err(ParseError::MissingField("phone"))
        );
    }

    #[test]
    fn lid_sender_has_no_phone() {
        let body =
            br#"{"type":"ReceivedCallback","messageId":"X","phone":"81896604192873@lid","text":{"message":"x"}}"#;
        let InboundEvent::Message(m) = &parse_callback(body).unwrap()[0] else { panic!() };
        assert_eq!(m.from.id, "81896604192873@lid");
        assert_eq!(m.from.phone, None);
    }

    #[test]
    fn status_mapping_and_read_by_me() {
        let ev = |s: &str| {
            parse_callback(
                format!(r#"{{"type":"MessageStatusCallback","status":"{s}","ids":["A"],"momment":1767225700000}}"#)
                    .as_bytes(),
            )
            .unwrap()
        };
        let status_of = |s: &str| match &ev(s)[0] {
            InboundEvent::Status(u) => Some(u.status),
            _ => None,
        };
        assert_eq!(status_of("SENT"), Some(DeliveryStatus::Sent));
        assert_eq!(status_of("RECEIVED"), Some(DeliveryStatus::Delivered));
        assert_eq!(status_of("READ"), Some(DeliveryStatus::Read));
        assert_eq!(status_of("PLAYED"), Some(DeliveryStatus::Read));
        assert_eq!(status_of("READ_BY_ME"), None);
        assert_eq!(status_of("PENDING"), None);
        let none = parse_callback(br#"{"type":"MessageStatusCallback","status":"READ","ids":[]}"#).unwrap();
        assert!(matches!(&none[0], InboundEvent::Ignored(_)));
    }
}
