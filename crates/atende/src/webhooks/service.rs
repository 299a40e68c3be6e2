//! Shared webhook steps: resolve the channel (tenant from the row, never the payload),
//! refuse suspended tenants, and store + enqueue in one transaction.

use uuid::Uuid;

use super::store;
use crate::{
    app::AppState,
    channels::{self, entity as channel, model::ChannelType},
    error::{AppError, AppResult},
    jobs::{self, JobPayload},
    tenancy::{self, TenantStatus},
};

/// The enabled channel of this type behind a webhook URL, in an active tenant.
pub async fn channel_for(state: &AppState, id: Uuid, expected: ChannelType) -> AppResult<channel::Model> {
    let channel = channels::store::platform_find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if ChannelType::parse(&channel.channel_type) != Some(expected) || !channel.enabled {
        return Err(AppError::NotFound);
    }
    let tenant = tenancy::store::platform_find(&state.db, channel.tenant_id).await?.ok_or(AppError::NotFound)?;
    if tenant.status != TenantStatus::Active.as_str() {
        return Err(AppError::TenantSuspended);
    }
    Ok(channel)
}

/// Whether an event was new.
pub enum Accepted {
    New(Uuid),
    Duplicate,
}

/// Stores the raw event and its processing job atomically: nothing is acknowledged that
/// is not stored, and a duplicate (same provider key) is acknowledged and dropped.
pub async fn accept(
    state: &AppState,
    channel: &channel::Model,
    provider: &str,
    event_key: &str,
    payload: String,
    content_type: Option<String>,
) -> AppResult<Accepted> {
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(event) =
        store::insert(&txn, channel.tenant_id, channel.id, provider, event_key, payload, content_type).await?
    else {
        txn.rollback().await?;
        metrics::counter!("webhook_events_total", "provider" => provider.to_string(), "outcome" => "duplicate")
            .increment(1);
        return Ok(Accepted::Duplicate);
    };
    jobs::store::enqueue(
        &txn,
        Some(channel.tenant_id),
        &JobPayload::ProcessWebhook { event_id: event.id },
        Some(format!("webhook:{}", event.id)),
    )
    .await?;
    txn.commit().await?;
    state.job_notify.notify_one();
    metrics::counter!("webhook_events_total", "provider" => provider.to_string(), "outcome" => "accepted").increment(1);
    Ok(Accepted::New(event.id))
}
