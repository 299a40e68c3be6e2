//! CRM rules: one contact per phone/email in a tenant, identities that follow the
//! contact's fields, notes, erasure (LGPD). Merge is in `merge.rs`, CSV in
//! `import_export.rs`, field validation in `changes.rs`.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DatabaseTransaction, IntoActiveModel, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    changes::{Changes, MAX_ATTRIBUTES_BYTES, merge_attributes},
    entity::contact,
    model::{ContactView, CreateContact, IdentityKind, NoteView, UpdateContact},
    phone::E164,
    records::Records,
    store::{self, ContactFilter, NewContact},
};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    events::{self, ContactUpdated},
    state::AppState,
    tenancy::{Role, Scope},
    users,
};

/// 409 naming the contact that already has this phone or email.
fn contact_exists(field: &str, contact_id: Option<Uuid>) -> AppError {
    AppError::conflict_with(
        "contact_exists",
        format!("A contact with this {field} already exists"),
        json!({ "contactId": contact_id, "field": field }),
    )
}

/// Creates or updates a contact inside a transaction, keeping the phone and email
/// identities in step with the fields. Refuses a phone or email another contact has.
pub(super) async fn save(
    txn: &DatabaseTransaction,
    scope: &Scope,
    current: Option<contact::Model>,
    changes: Changes,
) -> AppResult<contact::Model> {
    let own_id = current.as_ref().map(|c| c.id);
    if let Some(Some(phone)) = &changes.phone
        && let Some(holder) = store::find_by_phone(txn, scope, phone.as_str()).await?
        && Some(holder.id) != own_id
    {
        return Err(contact_exists("phone", Some(holder.id)));
    }
    if let Some(Some(email)) = &changes.email
        && let Some(holder) = store::find_by_email(txn, scope, email).await?
        && Some(holder.id) != own_id
    {
        return Err(contact_exists("email", Some(holder.id)));
    }
    let attributes = attributes_after(current.as_ref(), changes.attributes)?;
    let new_phone = changes.phone.map(|p| p.map(E164::into_string));
    let (old_phone, old_email) = match &current {
        Some(c) => (c.phone.clone(), c.email.clone()),
        None => (None, None),
    };
    let saved = match current {
        None => {
            let created = store::insert(
                txn,
                scope,
                NewContact {
                    name: changes.name.unwrap_or_default(),
                    email: changes.email.clone().flatten(),
                    phone: new_phone.clone().flatten(),
                    source_channel_id: None,
                    custom_attributes: attributes.flatten(),
                    lead_status: changes.lead_status,
                },
            )
            .await
            .map_err(race_conflict)?;
            if changes.first_seen_at.is_some() || changes.last_activity_at.is_some() {
                let mut active = created.clone().into_active_model();
                if let Some(at) = changes.first_seen_at {
                    active.first_seen_at = Set(at);
                }
                active.last_activity_at =
                    Set(changes.last_activity_at.or(changes.first_seen_at).unwrap_or(created.last_activity_at));
                store::update(txn, scope, active).await?
            } else {
                created
            }
        }
        Some(current) => {
            let mut active = current.into_active_model();
            if let Some(name) = changes.name {
                active.name = Set(name);
            }
            if let Some(email) = &changes.email {
                active.email = Set(email.clone());
            }
            if let Some(phone) = &new_phone {
                active.phone = Set(phone.clone());
            }
            if let Some(status) = changes.lead_status {
                active.lead_status = Set(status.as_str().to_string());
            }
            if let Some(attributes) = attributes {
                active.custom_attributes = Set(attributes);
            }
            store::update(txn, scope, active).await?
        }
    };
    sync_identity(txn, scope, saved.id, IdentityKind::Phone, old_phone, new_phone).await?;
    sync_identity(txn, scope, saved.id, IdentityKind::Email, old_email, changes.email).await?;
    Ok(saved)
}

/// The custom attributes a change leaves (`None`: untouched), within the size limit.
fn attributes_after(
    current: Option<&contact::Model>,
    change: Option<Option<serde_json::Map<String, Value>>>,
) -> AppResult<Option<Option<Value>>> {
    Ok(match change {
        None => None,
        Some(None) => Some(None),
        Some(Some(patch)) => {
            let merged = merge_attributes(current.and_then(|c| c.custom_attributes.as_ref()), patch);
            if serde_json::to_vec(&merged).map(|b| b.len()).unwrap_or(usize::MAX) > MAX_ATTRIBUTES_BYTES {
                return Err(AppError::field("customAttributes", "must be at most 64 KiB as JSON"));
            }
            Some(Some(Value::Object(merged)))
        }
    })
}

/// Replaces the identity of an old field value with the new one.
async fn sync_identity(
    txn: &DatabaseTransaction,
    scope: &Scope,
    contact_id: Uuid,
    kind: IdentityKind,
    old: Option<String>,
    new: Option<Option<String>>,
) -> AppResult<()> {
    let Some(new) = new else { return Ok(()) };
    if old == new {
        return Ok(());
    }
    if let Some(old) = old {
        store::remove_identity(txn, scope, contact_id, kind, &old).await?;
    }
    if let Some(new) = new {
        store::ensure_identity(txn, scope, contact_id, kind, &new).await.map_err(race_conflict)?;
    }
    Ok(())
}

/// A unique violation that slipped past the checks (two requests at once).
fn race_conflict(e: sea_orm::DbErr) -> AppError {
    match AppError::from(e) {
        AppError::Conflict { .. } => contact_exists("phone or email", None),
        other => other,
    }
}

/// The API view of contacts, identities included.
async fn views(state: &AppState, scope: &Scope, contacts: &[contact::Model]) -> AppResult<Vec<ContactView>> {
    let ids: Vec<Uuid> = contacts.iter().map(|c| c.id).collect();
    let identities = store::identities_of(&state.db, scope, &ids).await?;
    Ok(contacts.iter().map(|c| ContactView::new(c, &identities)).collect())
}

pub(super) async fn view(db: &impl ConnectionTrait, scope: &Scope, contact: &contact::Model) -> AppResult<ContactView> {
    let identities = store::identities_of(db, scope, &[contact.id]).await?;
    Ok(ContactView::new(contact, &identities))
}

/// Records that a contact changed (in the change's transaction).
pub(super) async fn publish(txn: &impl ConnectionTrait, scope: &Scope, contact: &ContactView) -> AppResult<()> {
    let event = ContactUpdated { tenant_id: scope.tenant_id, contact: contact.clone() };
    events::record(txn, vec![event.into()]).await?;
    Ok(())
}

/// Contacts matching the filter, newest activity first.
pub async fn list(
    state: &AppState,
    scope: &Scope,
    filter: ContactFilter<'_>,
    limit: u64,
    offset: u64,
) -> AppResult<(Vec<ContactView>, u64)> {
    let (rows, total) = store::list(&state.db, scope, filter, limit, offset).await?;
    Ok((views(state, scope, &rows).await?, total))
}

/// Ok when the contact is the caller's tenant's, else 404 (no view built).
pub async fn ensure_visible(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<()> {
    store::get(&state.db, scope, id).await?.map(|_| ()).ok_or(AppError::NotFound)
}

/// One contact, or 404.
pub async fn get(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<ContactView> {
    let contact = store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    view(&state.db, scope, &contact).await
}

/// Creates a contact by hand; its phone and email become identities so inbound
/// messages from them find it.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn create(state: &AppState, scope: &Scope, input: CreateContact) -> AppResult<ContactView> {
    scope.require(Role::Agent)?;
    let changes = Changes::from_create(input)?;
    let txn = crate::db::begin_write(&state.db).await?;
    let contact = save(&txn, scope, None, changes).await?;
    let view = view(&txn, scope, &contact).await?;
    publish(&txn, scope, &view).await?;
    events::commit(txn, &state.events).await?;
    Ok(view)
}

/// Edits a contact.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn update(state: &AppState, scope: &Scope, id: Uuid, patch: UpdateContact) -> AppResult<ContactView> {
    scope.require(Role::Agent)?;
    let changes = Changes::from_patch(patch)?;
    let txn = crate::db::begin_write(&state.db).await?;
    let current = store::get(&txn, scope, id).await?.ok_or(AppError::NotFound)?;
    let contact = save(&txn, scope, Some(current), changes).await?;
    let view = view(&txn, scope, &contact).await?;
    publish(&txn, scope, &view).await?;
    events::commit(txn, &state.events).await?;
    Ok(view)
}

/// Erases a contact and its history (LGPD right to erasure; admins).
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn delete(state: &AppState, records: &Records, scope: &Scope, id: Uuid) -> AppResult<()> {
    scope.require(Role::Admin)?;
    let txn = crate::db::begin_write(&state.db).await?;
    store::get(&txn, scope, id).await?.ok_or(AppError::NotFound)?;
    let erased = records.erase(&txn, scope, id).await?;
    store::erase(&txn, scope, id).await?;
    // No personal data in the audit trail of an erasure: only what was removed.
    audit::record(
        &txn,
        scope,
        Entry::new("contact.deleted", "contact", id).details(
            json!({ "conversations": erased.conversations, "messages": erased.messages, "files": erased.files.len() }),
        ),
    )
    .await?;
    txn.commit().await?;
    records.remove_files(state, &erased.files).await;
    Ok(())
}

/// Notes of a contact, newest first, with their authors' names.
pub async fn notes(state: &AppState, scope: &Scope, contact_id: Uuid) -> AppResult<Vec<NoteView>> {
    store::get(&state.db, scope, contact_id).await?.ok_or(AppError::NotFound)?;
    let notes = store::notes(&state.db, scope, contact_id).await?;
    let mut author_ids: Vec<Uuid> = notes.iter().filter_map(|n| n.author_id).collect();
    author_ids.sort();
    author_ids.dedup();
    let names: HashMap<Uuid, String> =
        users::store::get_many(&state.db, scope, &author_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(notes
        .into_iter()
        .map(|n| {
            let name = n.author_id.and_then(|id| names.get(&id).cloned());
            NoteView::new(n, name)
        })
        .collect())
}

/// Adds a note by the caller.
pub async fn add_note(state: &AppState, scope: &Scope, contact_id: Uuid, content: &str) -> AppResult<NoteView> {
    scope.require(Role::Agent)?;
    let content = content.trim();
    if content.is_empty() {
        return Err(AppError::field("content", "must not be blank"));
    }
    store::get(&state.db, scope, contact_id).await?.ok_or(AppError::NotFound)?;
    let note = store::insert_note(&state.db, scope, contact_id, content).await?;
    let author = users::store::get(&state.db, scope, scope.user_id).await?.map(|u| u.name);
    Ok(NoteView::new(note, author))
}

/// Deletes a note: its author or an admin.
pub async fn delete_note(state: &AppState, scope: &Scope, contact_id: Uuid, note_id: Uuid) -> AppResult<()> {
    let note = store::get_note(&state.db, scope, contact_id, note_id).await?.ok_or(AppError::NotFound)?;
    if note.author_id != Some(scope.user_id) && !scope.is_at_least(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    store::delete_note(&state.db, scope, note_id).await?;
    Ok(())
}
