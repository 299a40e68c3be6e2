//! Messages refused while a WhatsApp number was disconnected go out when it is back.
//! An outbox subscriber (not a call from channels): channels records the connection
//! change, inbox owns the messages.

use chrono::Utc;

use super::{service, store};
use crate::{
    channels::{adapters::zapi::DISCONNECTED_CODE, connection::status, model::ChannelType},
    events::{
        DomainEvent,
        dispatcher::{StartAt, Subscriber},
        outbox::StoredEvent,
    },
    state::AppState,
    tenancy::Scope,
};

/// Re-queues refused messages when a channel reconnects.
pub struct ResendOnReconnect {
    pub state: AppState,
}

#[async_trait::async_trait]
impl Subscriber for ResendOnReconnect {
    fn name(&self) -> &'static str {
        "inbox-resend"
    }

    fn start_at(&self) -> StartAt {
        StartAt::Now
    }

    async fn handle(&self, events: &[StoredEvent]) -> anyhow::Result<()> {
        for stored in events {
            let DomainEvent::ChannelStatusChanged(change) = &stored.event else { continue };
            let whatsapp = ChannelType::parse(&change.channel.channel_type) == Some(ChannelType::WhatsappZapi);
            if whatsapp && change.channel.connection_status == status::CONNECTED {
                let scope = Scope::system(change.tenant_id);
                resend_refused(&self.state, &scope, change.channel.channel_id).await?;
            }
        }
        Ok(())
    }
}

/// Queues again the messages refused because the number was disconnected (last 24 h).
async fn resend_refused(state: &AppState, scope: &Scope, channel_id: uuid::Uuid) -> anyhow::Result<usize> {
    let marker = format!("({DISCONNECTED_CODE})");
    let since = Utc::now() - chrono::Duration::hours(24);
    let ids = store::failed_with_reason(&state.db, scope, channel_id, &marker, since, 500).await?;
    for id in &ids {
        // A message retried by hand meanwhile is no longer FAILED: skip it.
        if let Err(e) = service::retry(state, scope, *id).await {
            tracing::debug!(message_id = %id, error = %e, "not resent");
        }
    }
    if !ids.is_empty() {
        tracing::info!(%channel_id, count = ids.len(), "resending messages after reconnection");
    }
    Ok(ids.len())
}
