//! Dispatch from a job's payload to the code that does the work.

use super::{JobError, JobPayload, entity};
use crate::{app::AppState, channels, inbox, payments, webhooks};

/// Runs one job. Every handler is idempotent: a job may run more than once.
pub async fn run(state: &AppState, job: &entity::Model, payload: JobPayload) -> Result<(), JobError> {
    match payload {
        JobPayload::ProcessWebhook { event_id } => webhooks::process::process_event(state, event_id).await,
        JobPayload::DeliverMessage { message_id } => {
            let last_attempt = job.attempts >= job.max_attempts;
            let tenant_id = job.tenant_id.ok_or_else(|| JobError::Fatal("delivery job without tenant".into()))?;
            inbox::delivery::deliver(state, tenant_id, message_id, last_attempt).await
        }
        JobPayload::ProcessAsaasEvent { event_id } => payments::webhook::process_event(state, event_id).await,
        JobPayload::FetchPixCode { charge_id } => {
            let tenant_id = job.tenant_id.ok_or_else(|| JobError::Fatal("pix job without tenant".into()))?;
            payments::charges::fetch_pix_code(state, tenant_id, charge_id).await
        }
        JobPayload::RegisterZapiWebhooks { channel_id } => {
            channels::connection::register_webhooks(state, channel_id).await
        }
        JobPayload::WatchZapiConnection { channel_id, generation } => {
            channels::connection::watch(state, channel_id, generation).await
        }
    }
}
