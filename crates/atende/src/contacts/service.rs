//! CRM rules: one contact per phone/email in a tenant, identities that follow the
//! contact's fields, merge of duplicates, erasure (LGPD), CSV import and export.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, IntoActiveModel, Set, TransactionTrait};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{
    csv_io::{self, RawRow},
    entity::contact,
    model::{
        ContactView, CreateContact, IdentityKind, ImportError, ImportReport, LeadStatus, MergedContact, NoteView,
        UpdateContact,
    },
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

/// Largest custom-attributes object, serialised.
const MAX_ATTRIBUTES_BYTES: usize = 64 * 1024;
/// Import rows written per transaction: big enough to be fast, small enough not to
/// hold SQLite's single writer lock for long while messages keep arriving.
const IMPORT_CHUNK: usize = 500;
/// Errors listed in an import report (all are counted).
const MAX_IMPORT_ERRORS: usize = 1000;
/// Contacts read per query while exporting.
const EXPORT_PAGE: u64 = 1000;

/// Trims and lowercases an email and checks its shape.
pub fn normalize_email(input: &str) -> Result<String, String> {
    let email = input.trim().to_lowercase();
    // 200, not RFC 5321's 254: the email is also an identity, whose value column is 200 wide.
    if email.chars().count() > 200 {
        return Err("must be at most 200 characters".into());
    }
    garde::rules::email::parse_email(&email).map_err(|e| format!("not a valid email: {e}"))?;
    Ok(email)
}

/// Checks that custom attributes are an object with sensible keys.
fn attributes_object(value: Value) -> Result<Map<String, Value>, String> {
    let Value::Object(map) = value else { return Err("must be a JSON object".into()) };
    if let Some(key) = map.keys().find(|k| k.trim().is_empty() || k.chars().count() > 100) {
        return Err(format!("key {key:?} must have 1-100 characters"));
    }
    Ok(map)
}

/// Applies a patch to custom attributes: keys set, `null` values removed.
fn merge_attributes(current: Option<&Value>, patch: Map<String, Value>) -> Map<String, Value> {
    let mut merged = match current {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    for (key, value) in patch {
        if value.is_null() {
            merged.remove(&key);
        } else {
            merged.insert(key, value);
        }
    }
    merged
}

/// A validated change to a contact's own fields (API create/patch and CSV rows).
#[derive(Debug, Default)]
struct Changes {
    name: Option<String>,
    email: Option<Option<String>>,
    phone: Option<Option<E164>>,
    lead_status: Option<LeadStatus>,
    /// `Some(None)` removes all; `Some(Some(patch))` merges (null values remove keys).
    attributes: Option<Option<Map<String, Value>>>,
    /// Only used when creating (imports from another system keep their history).
    first_seen_at: Option<DateTime<Utc>>,
    last_activity_at: Option<DateTime<Utc>>,
}

/// 409 naming the contact that already has this phone or email.
fn contact_exists(field: &str, contact_id: Option<Uuid>) -> AppError {
    AppError::conflict_with(
        "contact_exists",
        format!("A contact with this {field} already exists"),
        json!({ "contactId": contact_id, "field": field }),
    )
}

/// Validation errors of one request or row, collected per field.
#[derive(Debug, Default)]
struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The API form: 422 with `details: {field: [messages]}` (camelCase fields).
    fn into_result(self) -> AppResult<()> {
        let Some((field, message)) = self.0.first() else { return Ok(()) };
        let summary = format!("{field}: {message}");
        let mut details = Map::new();
        for (field, message) in self.0 {
            if let Some(list) = details.entry(field).or_insert_with(|| Value::Array(Vec::new())).as_array_mut() {
                list.push(Value::String(message));
            }
        }
        Err(AppError::Validation { message: summary, details: Value::Object(details) })
    }
}

/// Parses an optional phone: blank clears.
fn parse_phone(input: &str, errors: &mut FieldErrors, field: &'static str) -> Option<Option<E164>> {
    if input.trim().is_empty() {
        return Some(None);
    }
    match E164::parse(input) {
        Ok(phone) => Some(Some(phone)),
        Err(e) => {
            errors.add(field, e.to_string());
            None
        }
    }
}

/// Parses an optional email: blank clears.
fn parse_email(input: &str, errors: &mut FieldErrors, field: &'static str) -> Option<Option<String>> {
    if input.trim().is_empty() {
        return Some(None);
    }
    match normalize_email(input) {
        Ok(email) => Some(Some(email)),
        Err(message) => {
            errors.add(field, message);
            None
        }
    }
}

fn parse_name(input: &str, errors: &mut FieldErrors) -> Option<String> {
    let name = input.trim();
    if name.is_empty() {
        errors.add("name", "must not be blank");
        None
    } else if name.chars().count() > 200 {
        errors.add("name", "must be at most 200 characters");
        None
    } else {
        Some(name.to_string())
    }
}

impl Changes {
    fn from_create(input: CreateContact) -> AppResult<Self> {
        let mut errors = FieldErrors::default();
        let mut changes = Changes { name: parse_name(&input.name, &mut errors), ..Changes::default() };
        if let Some(email) = &input.email {
            changes.email = parse_email(email, &mut errors, "email");
        }
        if let Some(phone) = &input.phone {
            changes.phone = parse_phone(phone, &mut errors, "phone");
        }
        changes.lead_status = input.lead_status;
        if let Some(attributes) = input.custom_attributes.filter(|v| !v.is_null()) {
            match attributes_object(attributes) {
                Ok(map) => changes.attributes = Some(Some(map)),
                Err(message) => errors.add("customAttributes", message),
            }
        }
        errors.into_result()?;
        Ok(changes)
    }

    fn from_patch(input: UpdateContact) -> AppResult<Self> {
        let mut errors = FieldErrors::default();
        let mut changes = Changes::default();
        if let Some(name) = &input.name {
            changes.name = parse_name(name, &mut errors);
        }
        match &input.email {
            Some(Some(email)) => changes.email = parse_email(email, &mut errors, "email"),
            Some(None) => changes.email = Some(None),
            None => {}
        }
        match &input.phone {
            Some(Some(phone)) => changes.phone = parse_phone(phone, &mut errors, "phone"),
            Some(None) => changes.phone = Some(None),
            None => {}
        }
        changes.lead_status = input.lead_status;
        match input.custom_attributes {
            Some(Some(attributes)) => match attributes_object(attributes) {
                Ok(map) => changes.attributes = Some(Some(map)),
                Err(message) => errors.add("customAttributes", message),
            },
            Some(None) => changes.attributes = Some(None),
            None => {}
        }
        errors.into_result()?;
        Ok(changes)
    }
}

/// Creates or updates a contact inside a transaction, keeping the phone and email
/// identities in step with the fields. Refuses a phone or email another contact has.
async fn save(
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
    let attributes = match changes.attributes {
        None => None,
        Some(None) => Some(None),
        Some(Some(patch)) => {
            let merged = merge_attributes(current.as_ref().and_then(|c| c.custom_attributes.as_ref()), patch);
            if serde_json::to_vec(&merged).map(|b| b.len()).unwrap_or(usize::MAX) > MAX_ATTRIBUTES_BYTES {
                return Err(AppError::field("customAttributes", "must be at most 64 KiB as JSON"));
            }
            Some(Some(Value::Object(merged)))
        }
    };
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

async fn view(db: &impl ConnectionTrait, scope: &Scope, contact: &contact::Model) -> AppResult<ContactView> {
    let identities = store::identities_of(db, scope, &[contact.id]).await?;
    Ok(ContactView::new(contact, &identities))
}

/// Records that a contact changed (in the change's transaction).
async fn publish(txn: &impl ConnectionTrait, scope: &Scope, contact: &ContactView) -> AppResult<()> {
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

/// Folds `other_id` into `id`: identities, notes, conversations and messages move;
/// empty fields are filled from the other; the earliest first-seen wins. Two
/// unresolved conversations on one channel become one (the older keeps both
/// histories), which the result reports.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn merge(
    state: &AppState,
    records: &Records,
    scope: &Scope,
    id: Uuid,
    other_id: Uuid,
) -> AppResult<MergedContact> {
    // Merging moves conversations between people: managers and admins (issue 12 #9).
    scope.require(Role::Manager)?;
    if id == other_id {
        return Err(AppError::field("otherContactId", "must be a different contact"));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let kept = store::get(&txn, scope, id).await?.ok_or(AppError::NotFound)?;
    let other = store::get(&txn, scope, other_id).await?.ok_or(AppError::NotFound)?;
    store::reassign(&txn, scope, other.id, kept.id).await?;
    let combined = records.reassign(&txn, scope, other.id, kept.id).await?;
    store::delete_row(&txn, scope, other.id).await?;

    let mut active = kept.clone().into_active_model();
    if kept.name.trim().is_empty() {
        active.name = Set(other.name.clone());
    }
    if kept.email.is_none() {
        active.email = Set(other.email.clone());
    }
    if kept.phone.is_none() {
        active.phone = Set(other.phone.clone());
    }
    if kept.source_channel_id.is_none() {
        active.source_channel_id = Set(other.source_channel_id);
    }
    // "new" is the default, i.e. nobody chose it: the other's stage is more informative.
    if kept.lead_status == LeadStatus::New.as_str() {
        active.lead_status = Set(other.lead_status.clone());
    }
    if let Some(Value::Object(theirs)) = &other.custom_attributes {
        let mut ours = match &kept.custom_attributes {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        for (key, value) in theirs {
            ours.entry(key.clone()).or_insert_with(|| value.clone());
        }
        active.custom_attributes = Set(Some(Value::Object(ours)));
    }
    active.first_seen_at = Set(kept.first_seen_at.min(other.first_seen_at));
    active.last_activity_at = Set(kept.last_activity_at.max(other.last_activity_at));
    let merged = store::update(&txn, scope, active).await?;
    audit::record(
        &txn,
        scope,
        Entry::new("contact.merged", "contact", merged.id).details(json!({
            "mergedContactId": other.id,
            "combinedConversations": combined.iter().map(|c| json!({"keptId": c.kept_id, "removedId": c.removed_id})).collect::<Vec<_>>(),
        })),
    )
    .await?;
    let view = view(&txn, scope, &merged).await?;
    publish(&txn, scope, &view).await?;
    events::commit(txn, &state.events).await?;
    Ok(MergedContact { contact: view, combined_conversations: combined })
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

/// The contacts matching the filter as CSV (managers and admins).
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn export_csv(state: &AppState, scope: &Scope, filter: ContactFilter<'_>) -> AppResult<Vec<u8>> {
    scope.require(Role::Manager)?;
    let internal = |e: csv::Error| AppError::Internal(e.into());
    let mut writer = csv_io::export_writer(Vec::new());
    writer.write_record(csv_io::EXPORT_HEADER).map_err(internal)?;
    let mut after = None;
    let mut count = 0usize;
    loop {
        let page = store::export_page(&state.db, scope, filter, after, EXPORT_PAGE).await?;
        csv_io::write_contacts(&mut writer, &page).map_err(internal)?;
        count += page.len();
        match page.last() {
            Some(last) if page.len() as u64 == EXPORT_PAGE => after = Some(last.id),
            _ => break,
        }
    }
    // A bulk copy of personal data is worth a trace (LGPD accountability).
    audit::record(
        &state.db,
        scope,
        Entry::new("contact.exported", "tenant", scope.tenant_id).details(json!({ "contacts": count })),
    )
    .await?;
    writer.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv writer: {e}")))
}

/// Validates one import row into changes, or lists its problems (CSV column names).
fn row_changes(row: &RawRow) -> Result<(Changes, Option<Uuid>), Vec<ImportError>> {
    let mut errors = FieldErrors::default();
    if let Some(problem) = &row.unreadable {
        errors.add("row", format!("cannot be read: {problem}"));
    }
    let mut changes =
        Changes { name: parse_name(row.name.as_deref().unwrap_or_default(), &mut errors), ..Changes::default() };
    if let Some(email) = &row.email {
        changes.email = parse_email(email, &mut errors, "email");
    }
    if let Some(phone) = &row.phone {
        changes.phone = parse_phone(phone, &mut errors, "phone");
    }
    if let Some(status) = &row.lead_status {
        match LeadStatus::parse(status) {
            Some(status) => changes.lead_status = Some(status),
            None => errors.add("lead_status", "must be new, contacted, qualified, customer or lost"),
        }
    }
    let mut attributes = Map::new();
    if let Some(text) = &row.custom_attributes {
        match serde_json::from_str::<Value>(text).map_err(|e| e.to_string()).and_then(attributes_object) {
            Ok(map) => attributes = map,
            Err(message) => errors.add("custom_attributes", message),
        }
    }
    attributes.extend(row.extra.clone());
    if !attributes.is_empty() {
        changes.attributes = Some(Some(attributes));
    }
    let mut parse_time = |text: &Option<String>, field: &'static str| {
        text.as_deref().and_then(|t| match DateTime::parse_from_rfc3339(t) {
            Ok(at) => Some(at.with_timezone(&Utc)),
            Err(_) => {
                errors.add(field, "must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
                None
            }
        })
    };
    changes.first_seen_at = parse_time(&row.first_seen_at, "first_seen_at");
    changes.last_activity_at = parse_time(&row.last_activity_at, "last_activity_at");
    // An id from another workspace (or a typo) simply matches nothing.
    let id = row.id.as_deref().and_then(|id| Uuid::parse_str(id).ok());
    if errors.0.is_empty() {
        Ok((changes, id))
    } else {
        Err(errors
            .0
            .into_iter()
            .map(|(field, message)| ImportError { row: row.row, field: field.to_string(), message })
            .collect())
    }
}

/// Finds the one contact a row refers to by id, phone or email (`None`: a new one);
/// two different contacts is an error naming the column that disagrees.
async fn target_of(
    txn: &DatabaseTransaction,
    scope: &Scope,
    id: Option<Uuid>,
    changes: &Changes,
) -> AppResult<Result<Option<contact::Model>, (&'static str, Uuid)>> {
    let mut found: Option<contact::Model> = match id {
        Some(id) => store::get(txn, scope, id).await?,
        None => None,
    };
    let by_phone = match &changes.phone {
        Some(Some(phone)) => store::find_by_phone(txn, scope, phone.as_str()).await?,
        _ => None,
    };
    let by_email = match &changes.email {
        Some(Some(email)) => store::find_by_email(txn, scope, email).await?,
        _ => None,
    };
    for (field, candidate) in [("phone", by_phone), ("email", by_email)] {
        let Some(candidate) = candidate else { continue };
        match &found {
            Some(existing) if existing.id != candidate.id => return Ok(Err((field, candidate.id))),
            Some(_) => {}
            None => found = Some(candidate),
        }
    }
    Ok(Ok(found))
}

/// Imports contacts from CSV (managers and admins): rows matching an existing
/// contact by id, phone or email update it, others create one; bad rows are reported
/// and skipped. Each row is its own savepoint, so one failure never undoes others.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn import_csv(state: &AppState, scope: &Scope, body: &[u8]) -> AppResult<ImportReport> {
    scope.require(Role::Manager)?;
    let rows = csv_io::parse(body).map_err(|message| AppError::field("file", message))?;
    let mut report = ImportReport::default();
    let mut errors: Vec<ImportError> = Vec::new();
    for chunk in rows.chunks(IMPORT_CHUNK) {
        let txn = crate::db::begin_write(&state.db).await?;
        for row in chunk {
            let (changes, id) = match row_changes(row) {
                Ok(parsed) => parsed,
                Err(row_errors) => {
                    report.failed += 1;
                    errors.extend(row_errors);
                    continue;
                }
            };
            let savepoint = txn.begin().await?;
            let outcome = match target_of(&savepoint, scope, id, &changes).await? {
                Err((field, other)) => Err(ImportError {
                    row: row.row,
                    field: field.to_string(),
                    message: format!("belongs to another contact ({other}) than the rest of the row"),
                }),
                Ok(None) => save(&savepoint, scope, None, changes).await.map(|_| true).map_err(|e| row_error(row, e)),
                Ok(Some(current)) => {
                    let changes = Changes { first_seen_at: None, last_activity_at: None, ..changes };
                    save(&savepoint, scope, Some(current), changes).await.map(|_| false).map_err(|e| row_error(row, e))
                }
            };
            match outcome {
                Ok(created) => {
                    savepoint.commit().await?;
                    if created {
                        report.created += 1;
                    } else {
                        report.updated += 1;
                    }
                }
                Err(error) => {
                    savepoint.rollback().await?;
                    report.failed += 1;
                    errors.push(error);
                }
            }
        }
        txn.commit().await?;
    }
    errors.truncate(MAX_IMPORT_ERRORS);
    report.errors = errors;
    audit::record(
        &state.db,
        scope,
        Entry::new("contact.imported", "tenant", scope.tenant_id).details(json!({
            "created": report.created, "updated": report.updated, "failed": report.failed,
        })),
    )
    .await?;
    Ok(report)
}

/// An error saving a row, in report form.
fn row_error(row: &RawRow, error: AppError) -> ImportError {
    let (field, message) = match &error {
        AppError::Conflict { details, message, .. } => {
            (details["field"].as_str().unwrap_or("phone").to_string(), message.clone())
        }
        AppError::Validation { details, message } => {
            let field = details.as_object().and_then(|d| d.keys().next().cloned()).unwrap_or_else(|| "row".into());
            // The report names CSV columns, which are snake_case.
            let field = if field == "customAttributes" { "custom_attributes".to_string() } else { field };
            (field, message.clone())
        }
        other => {
            tracing::warn!(error = ?other, row = row.row, "import row failed");
            ("row".to_string(), "could not be saved".to_string())
        }
    };
    ImportError { row: row.row, field, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_patches_merge_and_null_removes() {
        let current = json!({"plan": "pro", "city": "Recife"});
        let patch = attributes_object(json!({"city": null, "vip": true})).unwrap();
        assert_eq!(Value::Object(merge_attributes(Some(&current), patch)), json!({"plan": "pro", "vip": true}));
        assert!(attributes_object(json!([1, 2])).is_err());
        assert!(attributes_object(json!({" ": 1})).is_err());
    }

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(normalize_email("  Ana@Example.COM ").as_deref(), Ok("ana@example.com"));
        assert!(normalize_email("ana@").is_err());
        assert!(normalize_email("not an email").is_err());
    }

    #[test]
    fn import_rows_report_every_bad_column() {
        let row = RawRow {
            row: 7,
            name: Some(" ".into()),
            email: Some("nope".into()),
            phone: Some("abc".into()),
            lead_status: Some("vip".into()),
            custom_attributes: Some("[1]".into()),
            ..RawRow::default()
        };
        let errors = row_changes(&row).err().unwrap();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "phone", "lead_status", "custom_attributes"]);
        assert!(errors.iter().all(|e| e.row == 7));
    }
}
