//! The `process_webhook` job: parse a stored event with its provider's parser and apply
//! it to the inbox. Safe to run twice: ingest is idempotent by provider message id,
//! receipts only move a message forward, connection changes are idempotent.

use std::time::Duration;

use chrono::Utc;
use providers::{ContentType as WireContentType, InboundEvent, InboundMessage, SenderKind};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{api::ApiInbound, entity as event_entity, meta::events_for, store};
use crate::{
    channels::{self, adapters::Endpoints, entity as channel, model::ChannelType},
    contacts::{self, model::IdentityKind},
    inbox::{
        ingest::{self, Inbound},
        model::{AttachmentRef, ContentType},
        receipts::{self, Receipt},
    },
    jobs::JobError,
    state::AppState,
    tenancy::Scope,
};

/// How long a status for a message we do not know yet is retried (the send job may
/// not have recorded the provider id when a fast callback arrives).
const UNKNOWN_STATUS_GRACE: chrono::Duration = chrono::Duration::seconds(60);

/// How long a new contact's Meta profile lookup may take before ingest goes on without it.
const PROFILE_TIMEOUT: Duration = Duration::from_secs(3);

/// Parses and applies one stored webhook event.
pub async fn process_event(state: &AppState, event_id: Uuid) -> Result<(), JobError> {
    let Some(event) = store::platform_get(&state.db, event_id).await? else { return Ok(()) };
    if event.status == "processed" {
        return Ok(());
    }
    let scope = Scope::system(event.tenant_id);
    let channel = channels::store::get(&state.db, &scope, event.channel_id)
        .await?
        .ok_or_else(|| JobError::Fatal("channel of event not found".into()))?;
    let result = match event.provider.as_str() {
        "api" => match ApiInbound::parse(event.payload.as_bytes()) {
            Ok(parsed) => {
                ingest::ingest(state, &channel, parsed.into_inbound()).await.map(|_| ()).map_err(JobError::from)
            }
            Err(e) => Err(JobError::Fatal(format!("unparseable event: {e}"))),
        },
        "twilio" => {
            let params = providers::twilio::parse_form(event.payload.as_bytes());
            match providers::twilio::parse_webhook(&params) {
                Ok(parsed) => apply_all(state, &channel, &event, vec![parsed]).await,
                Err(e) => Err(JobError::Fatal(format!("unparseable event: {e}"))),
            }
        }
        "zapi" => match providers::zapi::parse_callback_with(
            event.payload.as_bytes(),
            &crate::channels::credentials::ZapiSettings::of(&channel).parse_options(),
        ) {
            Ok(parsed) => apply_all(state, &channel, &event, parsed).await,
            Err(e) => Err(JobError::Fatal(format!("unparseable event: {e}"))),
        },
        "meta" => match providers::meta::parse_webhook(event.payload.as_bytes()) {
            Ok(parsed) => {
                // Only the entries addressed to this channel (a shared delivery may
                // carry other pages' entries, possibly of other tenants).
                let mine = events_for(&parsed, channel.account_id.as_deref().unwrap_or_default());
                apply_all(state, &channel, &event, mine).await
            }
            Err(e) => Err(JobError::Fatal(format!("unparseable event: {e}"))),
        },
        other => Err(JobError::Fatal(format!("no processor for provider {other}"))),
    };
    match &result {
        Ok(()) => store::finish(&state.db, event.id, None).await?,
        Err(JobError::Fatal(reason)) => store::finish(&state.db, event.id, Some(reason)).await?,
        Err(JobError::Retry { .. }) => {}
    }
    result
}

/// Applies a delivery's normalized events in order.
async fn apply_all(
    state: &AppState,
    channel: &channel::Model,
    event: &event_entity::Model,
    events: Vec<InboundEvent>,
) -> Result<(), JobError> {
    let channel_type = ChannelType::parse(&channel.channel_type).unwrap_or(ChannelType::Api);
    for inbound in events {
        match inbound {
            InboundEvent::Message(message) => {
                if message.is_echo && event.provider == "zapi" && sent_through_api(&event.payload) {
                    // Our own send (or another API client's), reported back by Z-API:
                    // the delivery job records it; an echo row would duplicate it.
                    tracing::debug!(external_id = %message.external_id, "skipping z-api echo of an API send");
                    continue;
                }
                let mut inbound = to_inbound(channel_type, &event.provider, message);
                if channel_type.is_meta() && inbound.profile_name.is_none() {
                    inbound.profile_name = meta_profile_name(state, channel, channel_type, &inbound).await?;
                }
                ingest::ingest(state, channel, inbound).await?;
            }
            InboundEvent::Status(update) => {
                let receipt = receipts::apply_status(state, channel, &update).await?;
                if receipt == Receipt::UnknownMessage && Utc::now() - event.received_at < UNKNOWN_STATUS_GRACE {
                    return Err(JobError::Retry {
                        reason: format!("status for unknown message {}", update.external_id),
                        after: Some(Duration::from_secs(5)),
                    });
                }
            }
            InboundEvent::Watermark(update) => {
                let kind = identity_kind(channel_type, SenderKind::Facebook);
                receipts::apply_watermark(state, channel, kind, &update).await?;
            }
            InboundEvent::Connection(change) => {
                channels::connection::on_connection_event(state, channel, &change).await?;
            }
            InboundEvent::Ignored(reason) => {
                tracing::debug!(provider = %event.provider, %reason, "webhook event skipped");
            }
        }
    }
    Ok(())
}

/// Z-API marks messages sent through its API with `fromApi: true`.
fn sent_through_api(payload: &str) -> bool {
    serde_json::from_str::<Value>(payload).ok().and_then(|v| v.get("fromApi").and_then(Value::as_bool)) == Some(true)
}

/// The identity kind of a customer on a channel.
fn identity_kind(channel_type: ChannelType, sender: SenderKind) -> IdentityKind {
    match channel_type {
        ChannelType::FacebookMessenger => IdentityKind::Facebook,
        ChannelType::Instagram => IdentityKind::Instagram,
        _ => match sender {
            SenderKind::WhatsApp => IdentityKind::Whatsapp,
            SenderKind::Phone => IdentityKind::Phone,
            SenderKind::Instagram => IdentityKind::Instagram,
            SenderKind::Facebook => IdentityKind::Facebook,
        },
    }
}

fn content_type_of(wire: WireContentType) -> ContentType {
    match wire {
        WireContentType::Text | WireContentType::Unsupported => ContentType::Text,
        WireContentType::Image => ContentType::Image,
        WireContentType::Video => ContentType::Video,
        WireContentType::Audio => ContentType::Audio,
        WireContentType::File => ContentType::File,
        WireContentType::Location => ContentType::Location,
        WireContentType::Sticker => ContentType::Sticker,
        WireContentType::Template => ContentType::Template,
    }
}

/// A provider's normalized message as the inbox's `Inbound`.
pub fn to_inbound(channel_type: ChannelType, provider: &str, m: InboundMessage) -> Inbound {
    let kind = identity_kind(channel_type, m.from.kind);
    // WhatsApp and phone identities are the number in E.164 (shared across channels);
    // Meta ids are page-scoped and stay as given.
    let identity_value = match kind {
        // A group is known by its id as the provider writes it (`…-group`).
        IdentityKind::Whatsapp if m.participant.is_some() => m.from.id.clone(),
        IdentityKind::Whatsapp | IdentityKind::Phone => {
            m.from.phone.clone().unwrap_or_else(|| format!("+{}", m.from.id.trim_start_matches('+')))
        }
        _ => m.from.id.clone(),
    };
    let mut metadata = serde_json::Map::new();
    metadata.insert("provider".into(), json!(provider));
    if let Some(raw_type) = &m.raw_type {
        metadata.insert("rawType".into(), json!(raw_type));
    }
    if let Some(location) = &m.location {
        metadata.insert(
            "location".into(),
            json!({"lat": location.lat, "lng": location.lng, "name": location.name, "address": location.address}),
        );
    }
    if let Some(reply_to) = &m.reply_to {
        metadata.insert("replyTo".into(), json!(reply_to));
    }
    if let Some(participant) = &m.participant {
        // Group message: the conversation is the group; this is who wrote.
        metadata.insert("participant".into(), json!({"phone": participant.phone, "name": participant.name}));
    }
    if m.is_echo {
        // Typed on the phone / in the Page inbox, not in Atende.
        metadata.insert("sentOutsideAtende".into(), json!(true));
    }
    let content = match (m.content, m.content_type) {
        (None, WireContentType::Unsupported) => {
            Some(format!("[unsupported message: {}]", m.raw_type.as_deref().unwrap_or("unknown")))
        }
        (content, _) => content,
    };
    Inbound {
        external_id: m.external_id,
        identity_kind: kind,
        identity_value,
        profile_name: m.from.display_name,
        phone: m.from.phone,
        email: None,
        content,
        content_type: content_type_of(m.content_type),
        attachments: m
            .attachments
            .into_iter()
            .map(|a| AttachmentRef {
                id: None,
                url: a.url,
                mime_type: a.mime_type,
                file_name: a.filename,
                size: a.size,
            })
            .collect(),
        metadata: Some(Value::Object(metadata)),
        timestamp: m.timestamp,
        is_echo: m.is_echo,
    }
}

/// The Meta profile name of a customer this tenant does not know yet (best effort:
/// never fails ingest, gives up after a short timeout).
async fn meta_profile_name(
    state: &AppState,
    channel: &channel::Model,
    channel_type: ChannelType,
    inbound: &Inbound,
) -> Result<Option<String>, JobError> {
    let scope = Scope::system(channel.tenant_id);
    let kind = identity_kind(channel_type, SenderKind::Facebook);
    let known = contacts::store::find_by_identity(
        &state.db,
        &scope,
        kind,
        &kind.scope_for(channel.id),
        &inbound.identity_value,
    )
    .await?;
    if known.is_some() {
        return Ok(None);
    }
    let Ok(resolved) = channels::credentials::resolve(state, channel) else { return Ok(None) };
    let endpoints = Endpoints::from_config(&state.config);
    Ok(channels::adapters::meta::fetch_profile_name(
        &state.http,
        &endpoints,
        channel,
        resolved.as_ref(),
        &inbound.identity_value,
        PROFILE_TIMEOUT,
    )
    .await)
}
