//! Charge status rules: the order of a charge's life, which statuses count as paid or
//! open, whether a status seen at some time replaces the current one (so an
//! out-of-order event never moves a charge backwards), and Asaas' event clock.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use providers::asaas::{Payment, PaymentStatus};

/// Local status of a charge removed in Asaas (Asaas keeps the status and sets `deleted`).
pub const DELETED: &str = "DELETED";

/// Position in a charge's life: open (0) → confirmed (1) → received (2) → refund or
/// chargeback under way (3) → refunded or deleted (4). Anything above 0 is final for
/// out-of-order purposes.
pub fn rank(status: &str) -> u8 {
    match status {
        "CONFIRMED" => 1,
        "RECEIVED" | "RECEIVED_IN_CASH" | "DUNNING_RECEIVED" => 2,
        "REFUND_REQUESTED"
        | "REFUND_IN_PROGRESS"
        | "CHARGEBACK_REQUESTED"
        | "CHARGEBACK_DISPUTE"
        | "AWAITING_CHARGEBACK_REVERSAL" => 3,
        "REFUNDED" | DELETED => 4,
        // PENDING, OVERDUE, AWAITING_RISK_ANALYSIS, DUNNING_REQUESTED and unknown ones.
        _ => 0,
    }
}

/// Paid (settled or not).
pub fn is_paid(status: &str) -> bool {
    PaymentStatus::from(status).is_paid()
}

/// Still waiting for payment (can be cancelled, can be sent).
pub fn is_open(status: &str) -> bool {
    matches!(status, "PENDING" | "OVERDUE" | "AWAITING_RISK_ANALYSIS")
}

/// Whether a status seen at `event_at` replaces the current one set at `current_at`.
/// An older event never applies; a newer one always does (Asaas knows the real order,
/// e.g. a restored or refunded charge). Without comparable times (same second, or an
/// API snapshot), a final state is never replaced by an earlier stage.
pub fn should_apply(
    current: &str,
    current_at: Option<DateTime<Utc>>,
    new: &str,
    event_at: Option<DateTime<Utc>>,
) -> bool {
    match (current_at, event_at) {
        (Some(c), Some(e)) if e < c => false,
        (Some(c), Some(e)) if e > c => true,
        _ => rank(current) == 0 || rank(new) >= rank(current),
    }
}

/// The local status of an Asaas payment (`DELETED` once removed).
pub fn status_of(payment: &Payment) -> Option<String> {
    if payment.deleted { Some(DELETED.into()) } else { payment.status.as_ref().map(|s| s.as_str().to_string()) }
}

/// Asaas writes event times in Brasília local time without a zone. Brazil has had no
/// daylight saving since 2019, so it is UTC−3.
pub fn brasilia_to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    FixedOffset::west_opt(3 * 3600)
        .and_then(|o| o.from_local_datetime(&t).single())
        .map_or_else(|| t.and_utc(), |d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn older_events_never_apply_and_final_states_do_not_regress() {
        let received = at("2025-12-02T17:31:07Z");
        let created = at("2025-12-01T13:00:00Z");
        assert!(!should_apply("RECEIVED", received, "PENDING", created));
        assert!(should_apply("PENDING", None, "RECEIVED", received));
        assert!(should_apply("RECEIVED", received, "REFUNDED", at("2025-12-04T12:00:00Z")));
        // Same second, or no event time: a final state keeps its place.
        assert!(!should_apply("RECEIVED", received, "PENDING", received));
        assert!(!should_apply("RECEIVED", None, "PENDING", None));
        assert!(should_apply("CONFIRMED", received, "RECEIVED", received));
        assert!(should_apply("PENDING", None, "OVERDUE", None));
        // A newer restore brings a deleted charge back.
        assert!(should_apply(DELETED, created, "PENDING", received));
    }

    #[test]
    fn brasilia_times_become_utc() {
        let t = NaiveDateTime::parse_from_str("2024-06-12 16:45:03", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(brasilia_to_utc(t).to_rfc3339(), "2024-06-12T19:45:03+00:00");
    }
}
