//! Durable jobs: a plain table claimed by a worker pool (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL; SQLite serialises writers, so one atomic `UPDATE … RETURNING` suffices).
//!
//! Why not apalis: we need per-tenant visibility of dead jobs, dedupe keys and a claim
//! that tests can drive step by step; a ~300-line table queue does all of that on both
//! engines with nothing new to learn or pin. At-least-once: every handler is idempotent.

pub mod entity;
pub mod routes;
pub mod store;

/// Queueing work is the queue's public API.
pub use store::{enqueue, enqueue_at};
pub mod worker;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::state::AppState;

/// The queue every job uses today (queues are explicit names, never type paths).
pub const DEFAULT_QUEUE: &str = "default";

/// What a job does; the stored `kind` string is part of the on-disk format.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobPayload {
    /// Parse a stored webhook event and apply it to the inbox.
    ProcessWebhook { event_id: Uuid },
    /// Deliver an agent message through its channel's adapter.
    DeliverMessage { message_id: Uuid },
    /// Apply a stored Asaas webhook event to its charge.
    ProcessAsaasEvent { event_id: Uuid },
    /// Fetch a charge's Pix code that Asaas could not give at creation (429/5xx).
    FetchPixCode { charge_id: Uuid },
    /// Check a Z-API channel's pairing state (repeats while a QR code is pending).
    WatchZapiConnection { channel_id: Uuid, generation: i64 },
    /// Point a Z-API instance's webhooks at this channel's URL.
    RegisterZapiWebhooks { channel_id: Uuid },
}

impl JobPayload {
    pub fn kind(&self) -> &'static str {
        match self {
            JobPayload::ProcessWebhook { .. } => "process_webhook",
            JobPayload::DeliverMessage { .. } => "deliver_message",
            JobPayload::ProcessAsaasEvent { .. } => "process_asaas_event",
            JobPayload::FetchPixCode { .. } => "fetch_pix_code",
            JobPayload::WatchZapiConnection { .. } => "watch_zapi_connection",
            JobPayload::RegisterZapiWebhooks { .. } => "register_zapi_webhooks",
        }
    }

    /// Attempts before a job is kept as dead.
    pub fn max_attempts(&self) -> i32 {
        match self {
            JobPayload::ProcessWebhook { .. } => 8,
            JobPayload::DeliverMessage { .. } => 6,
            JobPayload::ProcessAsaasEvent { .. } | JobPayload::FetchPixCode { .. } => 8,
            JobPayload::WatchZapiConnection { .. } => 3,
            JobPayload::RegisterZapiWebhooks { .. } => 6,
        }
    }
}

/// Runs a job of any kind: the dispatch table lives in the top-level wiring
/// (`app::Jobs`), so this module knows no domain. Every handler is idempotent: a job
/// may run more than once.
#[async_trait::async_trait]
pub trait JobRunner: Send + Sync + 'static {
    async fn run(&self, state: &AppState, job: &entity::Model, payload: JobPayload) -> Result<(), JobError>;
}

/// How a handler failed.
#[derive(Debug)]
pub enum JobError {
    /// Try again later (after at least `after`, when given).
    Retry { reason: String, after: Option<Duration> },
    /// Will never succeed: keep the job as dead now.
    Fatal(String),
}

impl JobError {
    pub fn retry(reason: impl Into<String>) -> Self {
        JobError::Retry { reason: reason.into(), after: None }
    }
}

impl From<sea_orm::DbErr> for JobError {
    fn from(e: sea_orm::DbErr) -> Self {
        JobError::retry(format!("database: {e}"))
    }
}

impl From<crate::error::AppError> for JobError {
    fn from(e: crate::error::AppError) -> Self {
        match e {
            crate::error::AppError::Internal(inner) => JobError::retry(format!("{inner:#}")),
            crate::error::AppError::Unavailable(what) => JobError::retry(what),
            other => JobError::Fatal(other.to_string()),
        }
    }
}

/// The longest a job waits before its next attempt, whatever a provider asked for
/// (`Retry-After` is provider-controlled input: a tenant's callback may answer with any
/// number, and an unbounded one would overflow the date arithmetic).
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

/// The wait before a retry: the provider's delay (capped) or the backoff, whichever is longer.
pub fn retry_delay(after: Option<Duration>, base: Duration, attempt: i32) -> Duration {
    after.unwrap_or_default().min(MAX_RETRY_DELAY).max(backoff(base, attempt)).min(MAX_RETRY_DELAY)
}

/// `now + wait`, never panicking: the wait is capped and the sum checked.
pub fn due_after(now: chrono::DateTime<chrono::Utc>, wait: Duration) -> chrono::DateTime<chrono::Utc> {
    let capped = chrono::TimeDelta::from_std(wait.min(MAX_RETRY_DELAY)).unwrap_or(chrono::TimeDelta::zero());
    now.checked_add_signed(capped).unwrap_or(now)
}

/// Exponential backoff with jitter: base·2^(attempt-1) + up to base, capped at 15 minutes.
pub fn backoff(base: Duration, attempt: i32) -> Duration {
    use rand::Rng;
    let exp = base.saturating_mul(1u32 << attempt.clamp(1, 16).saturating_sub(1));
    let jitter = if base.is_zero() { Duration::ZERO } else { base.mul_f64(rand::rng().random_range(0.0..1.0)) };
    (exp + jitter).min(Duration::from_secs(900))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_secs(2);
        assert!(backoff(base, 1) >= Duration::from_secs(2) && backoff(base, 1) < Duration::from_secs(4));
        assert!(backoff(base, 3) >= Duration::from_secs(8) && backoff(base, 3) < Duration::from_secs(10));
        assert_eq!(backoff(base, 30), Duration::from_secs(900));
        assert_eq!(backoff(Duration::ZERO, 5), Duration::ZERO);
    }

    #[test]
    fn a_huge_provider_delay_is_capped_and_never_overflows() {
        let base = Duration::from_secs(2);
        let huge = Some(Duration::from_secs(u64::MAX));
        assert_eq!(retry_delay(huge, base, 1), MAX_RETRY_DELAY);
        assert_eq!(retry_delay(Some(Duration::from_secs(30)), Duration::ZERO, 1), Duration::from_secs(30));
        let now = chrono::Utc::now();
        assert_eq!(due_after(now, Duration::from_secs(u64::MAX)), now + chrono::TimeDelta::hours(1));
        let end = chrono::DateTime::<chrono::Utc>::MAX_UTC;
        assert_eq!(due_after(end, Duration::from_secs(60)), end, "no overflow at the end of time");
    }

    #[test]
    fn payload_kinds_are_stable() {
        let p = JobPayload::DeliverMessage { message_id: Uuid::nil() };
        assert_eq!(p.kind(), "deliver_message");
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["kind"], "deliver_message");
    }
}
