//! `ingest`: the only way an inbound message enters. Finds or creates the contact
//! (automatic lead capture), finds, reopens or opens the conversation, stores the
//! message once per provider id, bumps activity, then publishes events.

use chrono::{DateTime, Utc};
use sea_orm::Set;

use super::{
    entity::{conversation, message},
    model::{AttachmentRef, ContentType, ConversationStatus, MessageStatus, SenderType, preview},
    store::{self, NewConversation, NewMessage},
    views,
};
use crate::{
    channels::entity as channel,
    contacts::{
        self,
        model::IdentityKind,
        store::{NewContact, NewIdentity},
    },
    error::{AppError, AppResult},
    events::{ContactUpdated, ConversationChange},
    state::AppState,
    tenancy::Scope,
};

/// A normalised inbound message, whatever the provider.
#[derive(Debug, Clone)]
pub struct Inbound {
    /// Provider message id: the idempotency key within the channel.
    pub external_id: String,
    pub identity_kind: IdentityKind,
    pub identity_value: String,
    /// Profile name from the provider (WhatsApp ProfileName, Meta profile…).
    pub profile_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub content: Option<String>,
    pub content_type: ContentType,
    pub attachments: Vec<AttachmentRef>,
    pub metadata: Option<serde_json::Value>,
    pub timestamp: Option<DateTime<Utc>>,
    /// Sent from the business side (e.g. typed on the phone): stored as an agent message.
    pub is_echo: bool,
}

/// What ingest did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    Stored {
        message_id: uuid::Uuid,
        conversation_id: uuid::Uuid,
        contact_id: uuid::Uuid,
    },
    /// Same provider id seen before: nothing changed.
    Duplicate {
        message_id: uuid::Uuid,
    },
}

/// Applies an inbound message to the inbox of the channel's tenant.
pub async fn ingest(state: &AppState, channel: &channel::Model, inbound: Inbound) -> AppResult<Ingested> {
    let scope = Scope::system(channel.tenant_id);
    let db = &state.db;
    if let Some(existing) = store::message_find_by_external(db, &scope, channel.id, &inbound.external_id).await? {
        return Ok(Ingested::Duplicate { message_id: existing.id });
    }
    let contact = find_or_create_contact(state, &scope, channel, &inbound).await?;
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    // Serialise this person's messages: the conversation lookup and creation below must
    // not interleave with another delivery's (it would open a second conversation).
    contacts::store::lock(&txn, &scope, contact.id).await?;
    let latest = store::conversation_latest_for(&txn, &scope, contact.id, channel.id).await?;
    let (conv, created, reopened) = match latest {
        Some(c) => {
            let was = ConversationStatus::parse(&c.status).unwrap_or(ConversationStatus::Open);
            (c, false, was == ConversationStatus::Resolved)
        }
        None => {
            let c = store::conversation_insert(
                &txn,
                &scope,
                NewConversation { contact_id: contact.id, channel_id: channel.id, at: now },
            )
            .await?;
            (c, true, false)
        }
    };
    let was_open = conv.status == ConversationStatus::Open.as_str() && conv.snoozed_until.is_none();
    let sender = if inbound.is_echo { SenderType::Agent } else { SenderType::Contact };
    let inserted = store::message_insert(
        &txn,
        &scope,
        NewMessage {
            conversation_id: conv.id,
            channel_id: channel.id,
            sender_type: sender.as_str(),
            sender_user_id: None,
            contact_id: (!inbound.is_echo).then_some(contact.id),
            content: inbound.content.clone(),
            content_type: inbound.content_type.as_str(),
            attachments: (!inbound.attachments.is_empty())
                .then(|| serde_json::to_value(&inbound.attachments).unwrap_or_default()),
            metadata: inbound.metadata.clone(),
            external_id: Some(inbound.external_id.clone()),
            status: if inbound.is_echo { MessageStatus::Sent } else { MessageStatus::Read },
            is_private: false,
            at: now,
        },
    )
    .await;
    let message: message::Model = match inserted {
        Ok(m) => m,
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            // A concurrent delivery of the same message won the race.
            txn.rollback().await?;
            let existing = store::message_find_by_external(db, &scope, channel.id, &inbound.external_id)
                .await?
                .ok_or(AppError::NotFound)?;
            return Ok(Ingested::Duplicate { message_id: existing.id });
        }
        Err(e) => return Err(e.into()),
    };
    let reopened_count = conv.reopened_count;
    let updated: conversation::Model = store::conversation_update(&txn, &scope, conv, |c| {
        c.last_activity_at = Set(now);
        c.last_message_preview = Set(preview(inbound.content.as_deref(), inbound.content_type));
        if !inbound.is_echo {
            c.last_incoming_at = Set(Some(now));
            // A customer writing again wakes the conversation up.
            c.status = Set(ConversationStatus::Open.as_str().into());
            c.snoozed_until = Set(None);
            if reopened {
                c.resolved_at = Set(None);
                c.reopened_count = Set(reopened_count + 1);
            }
        }
    })
    .await?;
    contacts::store::touch_activity(&txn, &scope, contact.id, now).await?;
    let conversation_view = views::conversation(&txn, &scope, updated.clone(), None).await?;
    let mut events = Vec::with_capacity(2);
    if created {
        events.push(views::conversation_created(&scope, &updated, &conversation_view));
    } else if !was_open && !inbound.is_echo {
        let change = ConversationChange::Status { resolved: false, reopened };
        events.push(views::conversation_updated(&scope, &updated, &conversation_view, None, change));
    }
    let message_view = views::message(&txn, &scope, message.clone()).await?;
    events.push(views::message_created(&scope, &updated, &message_view));
    crate::events::record(&txn, events).await?;
    crate::events::commit(txn, &state.events).await?;
    metrics::counter!("inbound_messages_total").increment(1);
    Ok(Ingested::Stored { message_id: message.id, conversation_id: updated.id, contact_id: contact.id })
}

/// Finds the contact by channel identity, else by phone (same person on another
/// channel), else creates one: the automatic lead capture.
async fn find_or_create_contact(
    state: &AppState,
    scope: &Scope,
    channel: &channel::Model,
    inbound: &Inbound,
) -> AppResult<contacts::entity::contact::Model> {
    let db = &state.db;
    let kind = inbound.identity_kind;
    let scope_key = kind.scope_for(channel.id);
    for _ in 0..3 {
        if let Some(found) =
            contacts::store::find_by_identity(db, scope, kind, &scope_key, &inbound.identity_value).await?
        {
            return Ok(found);
        }
        let phone_owner = match inbound.phone.as_deref() {
            Some(phone) if kind != IdentityKind::Phone => {
                contacts::store::find_by_identity(db, scope, IdentityKind::Phone, "", phone).await?
            }
            _ => None,
        };
        let txn = crate::db::begin_write(db).await?;
        let (contact, created) = match phone_owner {
            Some(c) => (c, false),
            None => {
                let name = inbound
                    .profile_name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .or_else(|| inbound.phone.clone())
                    .unwrap_or_else(|| inbound.identity_value.clone());
                let new = NewContact {
                    name: name.chars().take(200).collect(),
                    email: inbound.email.clone(),
                    phone: inbound.phone.clone(),
                    source_channel_id: Some(channel.id),
                    ..Default::default()
                };
                (contacts::store::insert(&txn, scope, new).await?, true)
            }
        };
        let mut identities =
            vec![NewIdentity { kind, value: inbound.identity_value.clone(), channel_id: Some(channel.id) }];
        if created
            && kind != IdentityKind::Phone
            && let Some(phone) = &inbound.phone
        {
            identities.push(NewIdentity { kind: IdentityKind::Phone, value: phone.clone(), channel_id: None });
        }
        let mut conflict = false;
        for identity in &identities {
            match contacts::store::insert_identity(&txn, scope, contact.id, identity).await {
                Ok(_) => {}
                Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
                    conflict = true;
                    break;
                }
                Err(e) => return Err(e.into()),
            }
        }
        if conflict {
            // Another delivery created this contact meanwhile: look again.
            txn.rollback().await?;
            continue;
        }
        if created {
            let identities = contacts::store::identities_of(&txn, scope, &[contact.id]).await?;
            let view = contacts::model::ContactView::new(&contact, &identities);
            let event = ContactUpdated { tenant_id: scope.tenant_id, contact: view };
            crate::events::record(&txn, vec![event.into()]).await?;
        }
        crate::events::commit(txn, &state.events).await?;
        return Ok(contact);
    }
    Err(AppError::Unavailable("contact creation kept conflicting".into()))
}
