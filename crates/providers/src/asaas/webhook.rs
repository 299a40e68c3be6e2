//! Asaas webhook events (reference §4.5).

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::types::EventType;
use super::types::Payment;
use crate::common::{ParseError, ct_eq};

/// One webhook delivery. Deduplicate on `id`: delivery is at least once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsaasEvent {
    /// Event id (`evt_…&368604920`), the idempotency key.
    pub id: String,
    /// Event type.
    pub event: EventType,
    /// When Asaas created the event (Brasília local time, no zone on the wire).
    pub date_created: Option<NaiveDateTime>,
    /// The payment, for `PAYMENT_*` events.
    pub payment: Option<Payment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    id: Option<String>,
    event: Option<String>,
    date_created: Option<String>,
    payment: Option<Payment>,
}

/// Checks the `asaas-access-token` header against the token configured on the
/// webhook (a plain shared secret, not an HMAC), in constant time.
pub fn verify_webhook_token(expected: &str, header: Option<&str>) -> bool {
    match header {
        Some(got) => !expected.is_empty() && ct_eq(got.as_bytes(), expected.as_bytes()),
        None => false,
    }
}

/// Parses a webhook body. `PAYMENT_*` events must carry a `payment` with an id.
pub fn parse_webhook(body: &[u8]) -> Result<AsaasEvent, ParseError> {
    let env: Envelope = serde_json::from_slice(body)?;
    let id = env.id.filter(|s| !s.trim().is_empty()).ok_or(ParseError::MissingField("id"))?;
    let event = env
        .event
        .filter(|s| !s.trim().is_empty())
        .map(|s| EventType::from(s.as_str()))
        .ok_or(ParseError::MissingField("event"))?;
    if event.is_payment() && env.payment.is_none() {
        return Err(ParseError::MissingField("payment"));
    }
    let date_created = match env.date_created.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
                .map_err(|_| ParseError::InvalidField { field: "dateCreated", value: s.to_owned() })?,
        ),
    };
    Ok(AsaasEvent { id, event, date_created, payment: env.payment })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_check() {
        assert!(verify_webhook_token("whsec_abc", Some("whsec_abc")));
        assert!(!verify_webhook_token("whsec_abc", Some("whsec_abd")));
        assert!(!verify_webhook_token("whsec_abc", Some("")));
        assert!(!verify_webhook_token("whsec_abc", None));
        assert!(!verify_webhook_token("", Some("")));
    }

    #[test]
    fn required_fields() {
        assert_eq!(
            parse_webhook(br#"{"event":"PAYMENT_CREATED","payment":{"id":"pay_1"}}"#),
            Err(ParseError::MissingField("id"))
        );
        assert_eq!(
            parse_webhook(br#"{"id":"evt_1","payment":{"id":"pay_1"}}"#),
            Err(ParseError::MissingField("event"))
        );
        assert_eq!(
            parse_webhook(br#"{"id":"evt_1","event":"PAYMENT_CREATED"}"#),
            Err(ParseError::MissingField("payment"))
        );
        assert!(matches!(
            parse_webhook(br#"{"id":"evt_1","event":"PAYMENT_CREATED","dateCreated":"ontem","payment":{"id":"p"}}"#),
            Err(ParseError::InvalidField { field: "dateCreated", .. })
        ));
        let other = parse_webhook(br#"{"id":"evt_2","event":"BILL_PAID","bill":{"id":"b"}}"#).unwrap();
        assert_eq!(other.event, EventType::Other("BILL_PAID".into()));
        assert!(other.payment.is_none());
    }
}
