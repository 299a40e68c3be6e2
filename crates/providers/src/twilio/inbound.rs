//! Twilio inbound message and status callback parsing (reference §1.4, §1.5).

use crate::common::{
    Attachment, ContentType, DeliveryStatus, InboundEvent, InboundMessage, Location, ParseError, ProviderError,
    SenderIdentity, SenderKind, StatusUpdate, e164_from_digits, non_empty,
};

/// TwiML that acknowledges an inbound message without replying.
pub const EMPTY_TWIML: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#;

/// Content type of a TwiML response.
pub const TWIML_CONTENT_TYPE: &str = "text/xml";

/// Decodes an `application/x-www-form-urlencoded` body (or query string) into
/// ordered, decoded pairs; this is also what [`super::validate_signature`] takes.
pub fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// Parses any Twilio messaging webhook: a status callback when `MessageStatus`
/// is present, an inbound message otherwise.
pub fn parse_webhook(params: &[(String, String)]) -> Result<InboundEvent, ParseError> {
    let p = Params(params);
    if p.get("MessageStatus").is_some() {
        parse_status_callback(params)
    } else {
        parse_inbound_message(params).map(InboundEvent::Message)
    }
}

/// Parses an inbound message webhook (`From`, `Body`, `MediaUrl{N}`, ...).
pub fn parse_inbound_message(params: &[(String, String)]) -> Result<InboundMessage, ParseError> {
    let p = Params(params);
    let external_id = p
        .non_empty("MessageSid")
        .or_else(|| p.non_empty("SmsMessageSid"))
        .ok_or(ParseError::MissingField("MessageSid"))?;
    let from_raw = p.non_empty("From").ok_or(ParseError::MissingField("From"))?;
    let from = sender(&from_raw, p.non_empty("WaId"), p.non_empty("ProfileName"));

    let attachments = media(&p)?;
    let location = location(&p)?;
    let content = non_empty(p.get("Body"));

    let (content_type, derived) = if location.is_some() {
        (ContentType::Location, "location")
    } else if let Some(first) = attachments.first() {
        let mime = first.mime_type.as_deref().unwrap_or_default();
        (ContentType::from_mime(mime), "media")
    } else if p.non_empty("ButtonText").is_some() || p.non_empty("ButtonPayload").is_some() {
        (ContentType::Text, "button")
    } else if content.is_some() {
        (ContentType::Text, "text")
    } else {
        (ContentType::Unsupported, "unknown")
    };
    let content = content.or_else(|| p.non_empty("ButtonText"));

    Ok(InboundMessage {
        external_id,
        from,
        channel_account: p.non_empty("To").map(|to| strip_channel(&to).to_owned()),
        content,
        content_type,
        attachments,
        location,
        timestamp: None,
        is_echo: false,
        reply_to: p.non_empty("OriginalRepliedMessageSid"),
        raw_type: Some(p.non_empty("MessageType").unwrap_or_else(|| derived.to_owned())),
        participant: None,
    })
}

/// Parses a status callback (`MessageSid`, `MessageStatus`, `ErrorCode`).
///
/// Transitional and inbound-side statuses (`queued`, `accepted`, `scheduled`,
/// `sending`, `receiving`, `received`) yield [`InboundEvent::Ignored`]: the send
/// call already marked the message `Sent`.
pub fn parse_status_callback(params: &[(String, String)]) -> Result<InboundEvent, ParseError> {
    let p = Params(params);
    let external_id =
        p.non_empty("MessageSid").or_else(|| p.non_empty("SmsSid")).ok_or(ParseError::MissingField("MessageSid"))?;
    let raw_status = p.non_empty("MessageStatus").ok_or(ParseError::MissingField("MessageStatus"))?;
    let Some(status) = map_message_status(&raw_status) else {
        return Ok(InboundEvent::Ignored(format!("twilio status `{raw_status}` carries no delivery change")));
    };
    let error = p.non_empty("ErrorCode").filter(|c| c != "0").map(|code| {
        let message = p
            .non_empty("ErrorMessage")
            .or_else(|| p.non_empty("ChannelStatusMessage"))
            .or_else(|| describe_error_code(&code).map(ToOwned::to_owned))
            .unwrap_or_else(|| format!("Twilio error {code}"));
        ProviderError { code, message }
    });
    Ok(InboundEvent::Status(StatusUpdate { external_id, status, error, timestamp: None }))
}

/// Maps a Twilio message status to a delivery status; `None` for statuses that
/// carry no delivery information (`queued`, `sending`, `accepted`, ...).
pub fn map_message_status(status: &str) -> Option<DeliveryStatus> {
    match status.trim().to_ascii_lowercase().as_str() {
        "sent" => Some(DeliveryStatus::Sent),
        "delivered" | "partially_delivered" => Some(DeliveryStatus::Delivered),
        "read" => Some(DeliveryStatus::Read),
        "failed" | "undelivered" | "canceled" => Some(DeliveryStatus::Failed),
        _ => None,
    }
}

/// A short description of the WhatsApp error codes named in the reference.
pub fn describe_error_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "63016" => "Outside the 24-hour window: only approved templates (ContentSid) can be sent",
        "63013" => "WhatsApp channel policy violation",
        "63021" => "Content not supported or too long for WhatsApp",
        "21211" => "Invalid 'To' phone number",
        "20429" => "Too many concurrent requests",
        _ => return None,
    })
}

struct Params<'a>(&'a [(String, String)]);

impl Params<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn non_empty(&self, key: &str) -> Option<String> {
        non_empty(self.get(key))
    }
}

fn strip_channel(addr: &str) -> &str {
    addr.split_once(':')
        .filter(|(prefix, _)| prefix.bytes().all(|b| b.is_ascii_alphabetic()))
        .map_or(addr, |(_, rest)| rest)
}

fn sender(from: &str, wa_id: Option<String>, profile_name: Option<String>) -> SenderIdentity {
    let is_whatsapp = from.to_ascii_lowercase().starts_with("whatsapp:");
    let address = strip_channel(from);
    let phone = e164_from_digits(address);
    if is_whatsapp || wa_id.is_some() {
        let id = wa_id
            .or_else(|| phone.as_deref().map(|p| p.trim_start_matches('+').to_owned()))
            .unwrap_or_else(|| address.to_owned());
        SenderIdentity { kind: SenderKind::WhatsApp, id, display_name: profile_name, phone }
    } else {
        SenderIdentity { kind: SenderKind::Phone, id: address.to_owned(), display_name: profile_name, phone }
    }
}

fn media(p: &Params<'_>) -> Result<Vec<Attachment>, ParseError> {
    let count = match p.non_empty("NumMedia") {
        Some(n) => n.parse::<usize>().map_err(|_| ParseError::InvalidField { field: "NumMedia", value: n.clone() })?,
        None => 0,
    };
    // Bounded by the number of parameters actually present.
    let count = count.min(p.0.len());
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        if let Some(url) = p.non_empty(&format!("MediaUrl{i}")) {
            out.push(Attachment {
                url,
                mime_type: p.non_empty(&format!("MediaContentType{i}")),
                filename: None,
                size: None,
            });
        }
    }
    Ok(out)
}

fn location(p: &Params<'_>) -> Result<Option<Location>, ParseError> {
    let (Some(lat), Some(lng)) = (p.non_empty("Latitude"), p.non_empty("Longitude")) else {
        return Ok(None);
    };
    let parse = |field: &'static str, v: String| {
        v.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or(ParseError::InvalidField { field, value: v })
    };
    Ok(Some(Location {
        lat: parse("Latitude", lat)?,
        lng: parse("Longitude", lng)?,
        name: p.non_empty("Label"),
        address: p.non_empty("Address"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(s: &str) -> Vec<(String, String)> {
        parse_form(s.as_bytes())
    }

    #[test]
    fn status_mapping() {
        assert_eq!(map_message_status("sent"), Some(DeliveryStatus::Sent));
        assert_eq!(map_message_status("delivered"), Some(DeliveryStatus::Delivered));
        assert_eq!(map_message_status("read"), Some(DeliveryStatus::Read));
        assert_eq!(map_message_status("failed"), Some(DeliveryStatus::Failed));
        assert_eq!(map_message_status("undelivered"), Some(DeliveryStatus::Failed));
        for s in ["queued", "accepted", "sending", "scheduled", "receiving", "received", "x"] {
            assert_eq!(map_message_status(s), None, "{s}");
        }
    }

    #[test]
    fn sms_sender_is_a_phone() {
        let m = parse_inbound_message(&form("MessageSid=SM1&From=%2B5511987654321&Body=oi")).unwrap();
        assert_eq!(m.from.kind, SenderKind::Phone);
        assert_eq!(m.from.id, "+5511987654321");
        assert_eq!(m.from.phone.as_deref(), Some("+5511987654321"));
    }

    #[test]
    fn missing_sid_or_from_is_an_error() {
        assert_eq!(
            parse_inbound_message(&form("From=whatsapp%3A%2B1&Body=x")),
            Err(ParseError::MissingField("MessageSid"))
        );
        assert_eq!(parse_inbound_message(&form("MessageSid=SM1&Body=x")), Err(ParseError::MissingField("From")));
        assert!(matches!(
            parse_inbound_message(&form("MessageSid=SM1&From=x&NumMedia=abc")),
            Err(ParseError::InvalidField { field: "NumMedia", .. })
        ));
        assert!(matches!(
            parse_inbound_message(&form("MessageSid=SM1&From=x&Latitude=north&Longitude=1")),
            Err(ParseError::InvalidField { field: "Latitude", .. })
        ));
    }

    #[test]
    fn huge_num_media_is_bounded_by_params() {
        let m = parse_inbound_message(&form(
            "MessageSid=MM1&From=whatsapp%3A%2B1&NumMedia=4000000000&MediaUrl0=https%3A%2F%2Fm&MediaContentType0=video%2Fmp4",
        ))
        .unwrap();
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.content_type, ContentType::Video);
    }

    #[test]
    fn empty_message_is_unsupported() {
        let m = parse_inbound_message(&form("MessageSid=SM1&From=whatsapp%3A%2B5511&Body=")).unwrap();
        assert_eq!(m.content_type, ContentType::Unsupported);
        assert_eq!(m.content, None);
    }

    #[test]
    fn status_without_error_code_message_uses_table() {
        let ev = parse_status_callback(&form("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=63016")).unwrap();
        let InboundEvent::Status(s) = ev else {
            panic!("expected status, got {ev:?}");
        };
        assert_eq!(s.status, DeliveryStatus::Failed);
        let err = s.error.unwrap();
        assert_eq!(err.code, "63016");
        assert!(err.message.contains("24-hour"));
    }
}
