//! The delivery job: hands a PENDING agent message to its channel's adapter and
//! records SENT, or FAILED with the provider's reason once retries are exhausted.

use chrono::Utc;
use sea_orm::Set;
use uuid::Uuid;

use super::{
    entity::{conversation, message},
    model::{AttachmentRef, MessageStatus, SenderType},
    store, views,
};
use crate::{
    channels::{
        self,
        adapters::{self, Delivery, OutboundMedia, SendError, SendOutcome},
        model::ChannelType,
    },
    contacts,
    jobs::{JobError, JobPayload},
    state::AppState,
    tenancy::Scope,
};

/// Attempts at delivering one message before it is FAILED (the agent can retry it):
/// the delivery job's own limit.
pub fn max_attempts() -> i32 {
    JobPayload::DeliverMessage { message_id: Uuid::nil() }.max_attempts()
}

/// Which attempt this is (1-based) of how many.
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    pub number: i32,
    pub of: i32,
}

impl Attempt {
    fn is_last(&self) -> bool {
        self.number >= self.of
    }
}

/// A stable code for a send failure, which the UI translates (the provider's own words
/// stay in `failure_reason`).
fn failure_code(e: &SendError) -> &'static str {
    match e {
        SendError::Retryable { .. } => "provider_unavailable",
        SendError::Auth { .. } => "provider_auth_failed",
        SendError::Permanent { code, .. } => match code.as_str() {
            "no_callback_url" => "no_callback_url",
            "channel_disabled" => "channel_disabled",
            "invalid_configuration" => "invalid_configuration",
            "unsupported_channel" => "unsupported_channel",
            _ => "provider_rejected",
        },
    }
}

/// Delivers one message. Idempotent: anything but a PENDING agent message is left alone.
pub async fn deliver(state: &AppState, tenant_id: Uuid, message_id: Uuid, attempt: Attempt) -> Result<(), JobError> {
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
    let outcome = send(state, &scope, &channel, &message, &conversation, &contact).await?;
    match outcome {
        Ok(sent) => {
            if let Some(external_id) = &sent.external_id {
                absorb_echo(state, &scope, &message, external_id).await?;
            }
            let now = Utc::now();
            record(state, &scope, &conversation, message, |m| {
                m.status = Set(MessageStatus::Sent.as_str().into());
                m.sent_at = Set(Some(now));
                m.failure_reason = Set(None);
                m.failure_code = Set(None);
                m.delivery_attempts = Set(attempt.number);
                if sent.external_id.is_some() {
                    m.external_id = Set(sent.external_id.clone());
                }
            })
            .await?;
            metrics::counter!("outbound_messages_total", "outcome" => "sent").increment(1);
            Ok(())
        }
        Err(e) if e.is_retryable() && !attempt.is_last() => {
            // Still PENDING: the agent sees "trying again (n of 6)" and why.
            let reason = e.to_string();
            let code = failure_code(&e);
            record(state, &scope, &conversation, message, |m| {
                m.delivery_attempts = Set(attempt.number);
                m.failure_reason = Set(Some(reason.chars().take(500).collect()));
                m.failure_code = Set(Some(code.into()));
            })
            .await?;
            Err(JobError::Retry { reason, after: e.retry_after() })
        }
        Err(e) => {
            let reason = e.to_string();
            if let SendError::Auth { reason: why } = &e {
                // The provider refused the credentials: an admin must look at the channel.
                let attention = channels::service::NEEDS_ATTENTION;
                channels::service::set_connection_status(state, &channel, attention, Some(why))
                    .await
                    .map_err(JobError::from)?;
            }
            let code = failure_code(&e);
            record(state, &scope, &conversation, message, |m| {
                m.status = Set(MessageStatus::Failed.as_str().into());
                m.failure_reason = Set(Some(reason.chars().take(500).collect()));
                m.failure_code = Set(Some(code.into()));
                m.delivery_attempts = Set(attempt.number);
            })
            .await?;
            metrics::counter!("outbound_messages_total", "outcome" => "failed").increment(1);
            Err(JobError::Fatal(reason))
        }
    }
}

/// Hands the message to its channel's adapter (the outer error is ours: the database;
/// the inner one the provider's or the channel's configuration).
async fn send(
    state: &AppState,
    scope: &Scope,
    channel: &channels::entity::Model,
    message: &message::Model,
    conversation: &conversation::Model,
    contact: &contacts::entity::contact::Model,
) -> Result<Result<SendOutcome, SendError>, JobError> {
    let db = &state.db;
    let channel_type = ChannelType::parse(&channel.channel_type).unwrap_or(ChannelType::Api);
    let adapter = adapters::of_type(state, channel_type);
    if !channel.enabled {
        let reason = "The channel is disabled".into();
        return Ok(Err(SendError::Permanent { code: "channel_disabled".into(), reason }));
    }
    let secret = channels::service::webhook_secret(state, channel).map_err(JobError::from)?;
    let credentials = match channels::credentials::resolve(state, channel) {
        Ok(credentials) => credentials,
        Err(e) => {
            return Ok(Err(SendError::Permanent { code: "invalid_configuration".into(), reason: e.to_string() }));
        }
    };
    let mut view = views::message(db, scope, message.clone()).await?;
    let media = public_media(state, &view.attachments);
    // What leaves the server links to files the receiver can fetch without a login
    // (an API-channel integrator gets the message's JSON as is).
    for (attachment, public) in view.attachments.iter_mut().zip(&media) {
        attachment.url = public.url.clone();
    }
    let message_json = serde_json::to_value(&view).unwrap_or_default();
    let conversation_view = views::conversation(db, scope, conversation.clone(), None).await?;
    let conversation_json = serde_json::to_value(conversation_view).unwrap_or_default();
    let identities = contacts::store::identities_of(db, scope, &[contact.id]).await?;
    let contact_json =
        serde_json::to_value(contacts::model::ContactView::new(contact, &identities)).unwrap_or_default();
    let delivery = Delivery {
        channel,
        secret: &secret,
        credentials: credentials.as_ref(),
        message: &message_json,
        conversation: &conversation_json,
        contact: &contact_json,
        media: &media,
    };
    Ok(adapter.send(&delivery).await)
}

/// Saves the send's outcome on the message and records the status event.
async fn record(
    state: &AppState,
    scope: &Scope,
    conversation: &conversation::Model,
    message: message::Model,
    apply: impl FnOnce(&mut message::ActiveModel),
) -> Result<(), JobError> {
    let txn = crate::db::begin_write(&state.db).await?;
    let updated = store::message_update(&txn, scope, message, apply).await?;
    let view = views::message(&txn, scope, updated).await?;
    crate::events::record(&txn, vec![views::status_updated(scope, conversation, &view)]).await?;
    crate::events::commit(txn, &state.events).await?;
    Ok(())
}

/// Provider-fetchable URLs of a message's files: absolute URLs as they are, our own
/// uploads as signed, expiring public links.
fn public_media(state: &AppState, attachments: &[AttachmentRef]) -> Vec<OutboundMedia> {
    attachments
        .iter()
        .map(|a| OutboundMedia {
            url: match a.id {
                Some(id) if !a.url.starts_with("http") => super::attachments::public_url(state, id),
                _ => a.url.clone(),
            },
            mime_type: a.mime_type.clone(),
            file_name: a.file_name.clone(),
        })
        .collect()
}

/// A provider may report a message we sent (Meta echo, Z-API `fromMe`) before this
/// job records its id; the echo was then stored as a separate agent message. It is the
/// same message: drop the echo so the id can be recorded on ours.
async fn absorb_echo(
    state: &AppState,
    scope: &Scope,
    message: &super::entity::message::Model,
    external_id: &str,
) -> Result<(), JobError> {
    let Some(echo) = store::message_find_by_external(&state.db, scope, message.channel_id, external_id).await? else {
        return Ok(());
    };
    if echo.id != message.id && echo.sender_type == SenderType::Agent.as_str() && echo.sender_user_id.is_none() {
        tracing::info!(message_id = %message.id, echo_id = %echo.id, "dropping the echo of a message we sent");
        store::message_delete(&state.db, scope, echo.id).await?;
    }
    Ok(())
}
