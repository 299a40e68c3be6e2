//! Automatic lead capture: the contact behind an inbound message, found by its channel
//! identity, else by phone (the same person on another channel), else created. Runs in
//! the caller's transaction (the inbound pipeline applies many messages in one).

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::{
    entity::contact,
    model::{ContactView, IdentityKind},
    store::{self, NewContact, NewIdentity},
};
use crate::{
    events::{ContactUpdated, DomainEvent},
    tenancy::Scope,
};

/// Who wrote, as the channel knows them.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    pub channel_id: Uuid,
    pub kind: IdentityKind,
    pub identity: &'a str,
    /// The name the provider gives (WhatsApp profile name, Meta profile, API `name`).
    pub profile_name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

impl Sender<'_> {
    fn name(&self) -> Option<&str> {
        self.profile_name.map(str::trim).filter(|n| !n.is_empty())
    }
}

/// The contact, and the `contact_updated` event when it was created or its name filled.
pub struct Captured {
    pub contact: contact::Model,
    pub event: Option<DomainEvent>,
}

/// Finds or creates the sender's contact. A contact created without a name (only an
/// identifier or phone was known) takes the first real name a later message brings.
/// A unique-key conflict (someone else created it meanwhile) is returned as the
/// database error; the caller retries in a fresh transaction.
pub async fn capture(db: &impl ConnectionTrait, scope: &Scope, sender: Sender<'_>) -> Result<Captured, sea_orm::DbErr> {
    Ok(capture_all(db, scope, &[sender]).await?.remove(0))
}

/// `capture` for many senders in order (one batch of inbound messages): the known ones
/// are found with one look-up, then each is captured as `capture` would, a sender seen
/// earlier in the batch reusing what that capture made.
pub async fn capture_all(
    db: &impl ConnectionTrait,
    scope: &Scope,
    senders: &[Sender<'_>],
) -> Result<Vec<Captured>, sea_orm::DbErr> {
    let key = |s: &Sender<'_>| (s.kind, s.kind.scope_for(s.channel_id), s.identity.to_string());
    let keys: Vec<store::IdentityKey> = senders.iter().map(key).collect();
    let mut known: HashMap<store::IdentityKey, contact::Model> =
        store::find_by_identities(db, scope, &keys).await?.into_iter().collect();
    let mut captured = Vec::with_capacity(senders.len());
    for (sender, key) in senders.iter().zip(keys) {
        let one = match known.get(&key) {
            Some(contact) => fill_name(db, scope, *sender, contact.clone()).await?,
            None => capture_unknown(db, scope, *sender).await?,
        };
        known.insert(key, one.contact.clone());
        captured.push(one);
    }
    Ok(captured)
}

/// A sender no identity points to yet: the same person by phone, or a new contact.
async fn capture_unknown(
    db: &impl ConnectionTrait,
    scope: &Scope,
    sender: Sender<'_>,
) -> Result<Captured, sea_orm::DbErr> {
    let phone_owner = match sender.phone {
        Some(phone) if sender.kind != IdentityKind::Phone => {
            store::find_by_identity(db, scope, IdentityKind::Phone, "", phone).await?
        }
        _ => None,
    };
    let (contact, created) = match phone_owner {
        Some(c) => (c, false),
        None => {
            let name = sender.name().or(sender.phone).unwrap_or(sender.identity);
            let new = NewContact {
                name: name.chars().take(200).collect(),
                email: sender.email.map(str::to_string),
                phone: sender.phone.map(str::to_string),
                source_channel_id: Some(sender.channel_id),
                ..Default::default()
            };
            (store::insert(db, scope, new).await?, true)
        }
    };
    let mut identities = vec![NewIdentity {
        kind: sender.kind,
        value: sender.identity.to_string(),
        channel_id: Some(sender.channel_id),
    }];
    if created
        && sender.kind != IdentityKind::Phone
        && let Some(phone) = sender.phone
    {
        identities.push(NewIdentity { kind: IdentityKind::Phone, value: phone.to_string(), channel_id: None });
    }
    for identity in &identities {
        store::insert_identity(db, scope, contact.id, identity).await?;
    }
    if !created {
        return fill_name(db, scope, sender, contact).await;
    }
    let event = updated_event(db, scope, &contact).await?;
    Ok(Captured { contact, event: Some(event) })
}

/// Gives a contact known only by an identifier or phone the name this message brings.
async fn fill_name(
    db: &impl ConnectionTrait,
    scope: &Scope,
    sender: Sender<'_>,
    contact: contact::Model,
) -> Result<Captured, sea_orm::DbErr> {
    let placeholder = contact.name == sender.identity || Some(contact.name.as_str()) == contact.phone.as_deref();
    let Some(name) = sender.name().filter(|n| placeholder && *n != contact.name) else {
        return Ok(Captured { contact, event: None });
    };
    let mut active = contact.into_active_model();
    active.name = Set(name.chars().take(200).collect());
    let contact = store::update(db, scope, active).await?;
    let event = updated_event(db, scope, &contact).await?;
    Ok(Captured { contact, event: Some(event) })
}

async fn updated_event(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact: &contact::Model,
) -> Result<DomainEvent, sea_orm::DbErr> {
    let identities = store::identities_of(db, scope, &[contact.id]).await?;
    Ok(ContactUpdated { tenant_id: scope.tenant_id, contact: ContactView::new(contact, &identities) }.into())
}
