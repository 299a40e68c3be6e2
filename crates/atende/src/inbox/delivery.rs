//! The delivery job: hands a PENDING agent message to its channel's adapter and
//! records SENT, or FAILED with the provider's reason once retries are exhausted.

use chrono::Utc;
use sea_orm::Set;
use uuid::Uuid;

use super::{
    model::{MessageStatus, SenderType},
    store, views,
};
use crate::{
    app::AppState,
    channels::{
        self,
        adapters::{self, Delivery, SendError},
        model::ChannelType,
    },
    contacts,
    jobs::JobError,
    tenancy::Scope,
};

/// Delivers one message. Idempotent: anything but a PENDING agent message is left alone.
pub async fn deliver(state: &AppState, tenant_id: Uuid, message_id: Uuid, last_attempt: bool) -> Result<(), JobError> {
    let scope = Scope::system(tenant_id);
    let db = &state.db;
    let Some(message) = store::message_get(db, &scope, message_id).await? else { return Ok(()) };
    if message.status != MessageStatus::Pending.as_str()
        || message.sender_type != SenderType::Agent.as_str()
        || message.is_private
    {
        return Ok(());
    }
    let conversation = store::conversation_get(db, &scope, message.conversation_id)
        .await?
        .ok_or_else(|| JobError::Fatal("conversation gone".into()))?;
    let channel = channels::store::get(db, &scope, message.channel_id)
        .await?
        .ok_or_else(|| JobError::Fatal("channel gone".into()))?;
    let contact = contacts::store::get(db, &scope, conversation.contact_id)
        .await?
        .ok_or_else(|| JobError::Fatal("contact gone".into()))?;
    let channel_type = ChannelType::parse(&channel.channel_type).unwrap_or(ChannelType::Api);
    let outcome = match adapters::for_type(channel_type, &state.http) {
        None => Err(SendError::Permanent {
            code: "unsupported_channel".into(),
            reason: format!("{} cannot send yet", channel_type.as_str()),
        }),
        Some(_) if !channel.enabled => {
            Err(SendError::Permanent { code: "channel_disabled".into(), reason: "The channel is disabled".into() })
        }
        Some(adapter) => {
            let secret = channels::service::webhook_secret(state, &channel).map_err(JobError::from)?;
            let credentials = match &channel.credentials_sealed {
                Some(sealed) => {
                    let bytes = state
                        .master_key
                        .credentials_cipher()
                        .decrypt(sealed)
                        .map_err(|e| JobError::Fatal(e.to_string()))?;
                    Some(
                        serde_json::from_slice::<serde_json::Value>(&bytes)
                            .map_err(|e| JobError::Fatal(e.to_string()))?,
                    )
                }
                None => None,
            };
            let message_json =
                serde_json::to_value(views::message(state, &scope, message.clone()).await?).unwrap_or_default();
            let conversation_json =
                serde_json::to_value(views::conversation(state, &scope, conversation.clone(), None).await?)
                    .unwrap_or_default();
            let identities = contacts::store::identities_of(db, &scope, &[contact.id]).await?;
            let contact_json =
                serde_json::to_value(contacts::model::ContactView::new(&contact, &identities)).unwrap_or_default();
            adapter
                .send(&Delivery {
                    channel: &channel,
                    secret: &secret,
                    credentials: credentials.as_ref(),
                    message: &message_json,
                    conversation: &conversation_json,
                    contact: &contact_json,
                })
                .await
        }
    };
    match outcome {
        Ok(sent) => {
            let now = Utc::now();
            let updated = store::message_update(db, &scope, message, |m| {
                m.status = Set(MessageStatus::Sent.as_str().into());
                m.sent_at = Set(Some(now));
                m.failure_reason = Set(None);
                if sent.external_id.is_some() {
                    m.external_id = Set(sent.external_id.clone());
                }
            })
            .await?;
            let view = views::message(state, &scope, updated).await?;
            views::publish_status(state, &scope, &conversation, &view);
            metrics::counter!("outbound_messages_total", "outcome" => "sent").increment(1);
            Ok(())
        }
        Err(e) if e.is_retryable() && !last_attempt => {
            Err(JobError::Retry { reason: e.to_string(), after: e.retry_after() })
        }
        Err(e) => {
            let reason = e.to_string();
            let updated = store::message_update(db, &scope, message, |m| {
                m.status = Set(MessageStatus::Failed.as_str().into());
                m.failure_reason = Set(Some(reason.chars().take(500).collect()));
            })
            .await?;
            let view = views::message(state, &scope, updated).await?;
            views::publish_status(state, &scope, &conversation, &view);
            metrics::counter!("outbound_messages_total", "outcome" => "failed").increment(1);
            Err(JobError::Fatal(reason))
        }
    }
}
