//! SQL for contacts, identities and notes; every function takes the caller's `Scope`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
    sea_query::{Alias, BinOper, Expr, ExprTrait, LikeExpr, Query, SelectStatement},
};
use uuid::Uuid;

use super::{
    entity::{contact, identity, note},
    model::{IdentityKind, LeadStatus},
};
use crate::tenancy::Scope;

mod notes;

pub use notes::*;

/// Fields of a new contact.
#[derive(Debug, Default, Clone)]
pub struct NewContact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub source_channel_id: Option<Uuid>,
    pub custom_attributes: Option<serde_json::Value>,
    pub lead_status: Option<LeadStatus>,
}

/// An identity to attach.
#[derive(Debug, Clone)]
pub struct NewIdentity {
    pub kind: IdentityKind,
    pub value: String,
    pub channel_id: Option<Uuid>,
}

/// The contact known by this identity, if any.
pub async fn find_by_identity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    kind: IdentityKind,
    scope_key: &str,
    value: &str,
) -> Result<Option<contact::Model>, sea_orm::DbErr> {
    let Some(found) = identity::Entity::find()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::Kind.eq(kind.as_str()))
        .filter(identity::Column::Scope.eq(scope_key))
        .filter(identity::Column::Value.eq(value))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    get(db, scope, found.contact_id).await
}

/// An identity as looked up: kind, scope (channel id or empty) and value.
pub type IdentityKey = (IdentityKind, String, String);

/// The contacts known by these identities, in one look-up per table (the inbound
/// pipeline resolves a whole batch of senders at once).
pub async fn find_by_identities(
    db: &impl ConnectionTrait,
    scope: &Scope,
    keys: &[IdentityKey],
) -> Result<Vec<(IdentityKey, contact::Model)>, sea_orm::DbErr> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let distinct = |f: fn(&IdentityKey) -> String| {
        let mut v: Vec<String> = keys.iter().map(f).collect();
        v.sort();
        v.dedup();
        v
    };
    let found = identity::Entity::find()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::Kind.is_in(distinct(|k| k.0.as_str().to_string())))
        .filter(identity::Column::Scope.is_in(distinct(|k| k.1.clone())))
        .filter(identity::Column::Value.is_in(distinct(|k| k.2.clone())))
        .all(db)
        .await?;
    let contact_ids: Vec<Uuid> = found.iter().map(|i| i.contact_id).collect();
    let contacts: std::collections::HashMap<Uuid, contact::Model> =
        get_many(db, scope, &contact_ids).await?.into_iter().map(|c| (c.id, c)).collect();
    Ok(found
        .into_iter()
        .filter_map(|i| {
            let kind = IdentityKind::parse(&i.kind)?;
            let key = (kind, i.scope, i.value);
            (keys.contains(&key)).then_some(())?;
            Some((key, contacts.get(&i.contact_id)?.clone()))
        })
        .collect())
}

/// Inserts a contact.
pub async fn insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewContact,
) -> Result<contact::Model, sea_orm::DbErr> {
    let now = Utc::now();
    let search_text = search_text::contact_text(
        &new.name,
        new.email.as_deref(),
        new.phone.as_deref(),
        [],
        new.custom_attributes.as_ref(),
    );
    contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        search_text: Set(search_text),
        name: Set(new.name),
        email: Set(new.email),
        phone: Set(new.phone),
        lead_status: Set(new.lead_status.unwrap_or(LeadStatus::New).as_str().to_string()),
        source_channel_id: Set(new.source_channel_id),
        custom_attributes: Set(new.custom_attributes),
        first_seen_at: Set(now),
        last_activity_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Attaches an identity to a contact (unique per tenant + kind + scope + value).
pub async fn insert_identity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    new: &NewIdentity,
) -> Result<identity::Model, sea_orm::DbErr> {
    let scope_key = match new.channel_id {
        Some(channel_id) => new.kind.scope_for(channel_id),
        None => String::new(),
    };
    let inserted = identity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        contact_id: Set(contact_id),
        kind: Set(new.kind.as_str().to_string()),
        scope: Set(scope_key),
        value: Set(new.value.clone()),
        channel_id: Set(new.channel_id),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    add_to_search_text(db, scope, contact_id, &search_text::identity_text(&new.value)).await?;
    Ok(inserted)
}

/// Appends a line to a contact's search text unless it is already there (one
/// statement: lead capture runs on the inbound hot path).
async fn add_to_search_text(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    line: &str,
) -> Result<(), sea_orm::DbErr> {
    if line.is_empty() {
        return Ok(());
    }
    // `||` concatenates on both engines; a line never spans two fields.
    let appended = Expr::col(contact::Column::SearchText).binary(BinOper::Custom("||"), Expr::val(format!("\n{line}")));
    contact::Entity::update_many()
        .col_expr(contact::Column::SearchText, appended)
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.eq(contact_id))
        .filter(contact::Column::SearchText.not_like(like_pattern(line)))
        .exec(db)
        .await?;
    Ok(())
}

/// Recomputes a contact's search text from its fields and identities (after a change
/// to either).
pub async fn refresh_search_text(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<(), sea_orm::DbErr> {
    let Some(contact) = get(db, scope, id).await? else { return Ok(()) };
    let identities = identities_of(db, scope, &[id]).await?;
    let text = search_text_of(&contact, &identities);
    if text != contact.search_text {
        set_search_text(db, scope, id, text).await?;
    }
    Ok(())
}

fn search_text_of(contact: &contact::Model, identities: &[identity::Model]) -> String {
    search_text::contact_text(
        &contact.name,
        contact.email.as_deref(),
        contact.phone.as_deref(),
        identities.iter().map(|i| i.value.as_str()),
        contact.custom_attributes.as_ref(),
    )
}

async fn set_search_text(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    text: String,
) -> Result<(), sea_orm::DbErr> {
    contact::Entity::update_many()
        .col_expr(contact::Column::SearchText, Expr::value(text))
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// One contact of the caller's tenant.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<contact::Model>, sea_orm::DbErr> {
    contact::Entity::find_by_id(id).filter(contact::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Several contacts of the caller's tenant.
pub async fn get_many(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<Vec<contact::Model>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    contact::Entity::find()
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Identities of some contacts.
pub async fn identities_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_ids: &[Uuid],
) -> Result<Vec<identity::Model>, sea_orm::DbErr> {
    if contact_ids.is_empty() {
        return Ok(Vec::new());
    }
    identity::Entity::find()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::ContactId.is_in(contact_ids.iter().copied()))
        .all(db)
        .await
}

/// Bumps a contact's last activity.
pub async fn touch_activity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    contact::Entity::update_many()
        .col_expr(contact::Column::LastActivityAt, Expr::value(at))
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Bumps the last activity of several contacts at once.
pub async fn touch_activity_many(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    contact::Entity::update_many()
        .col_expr(contact::Column::LastActivityAt, Expr::value(at))
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Filters shared by the list and the export.
#[derive(Debug, Default, Clone, Copy)]
pub struct ContactFilter<'a> {
    pub search: Option<&'a str>,
    pub lead_status: Option<LeadStatus>,
}

/// `%text%` with LIKE's wildcards escaped (the escape character is `\`).
fn like_pattern(text: &str) -> LikeExpr {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    LikeExpr::new(escaped).escape('\\')
}

/// The ids of the tenant's contacts a search matches, as a subquery (other stores
/// filter by it without knowing how contacts are searched).
pub fn ids_matching(scope: &Scope, search: &str) -> SelectStatement {
    Query::select()
        .column(contact::Column::Id)
        .from(contact::Entity)
        .and_where(contact::Column::TenantId.eq(scope.tenant_id))
        .cond_where(search_condition(search))
        .to_owned()
}

/// The WHERE clause of a search: every term (`search_text::contact_terms`: the query's
/// normalised words, or the digits of a phone) is in the contact's search text.
pub fn search_condition(search: &str) -> Condition {
    search_text::contact_terms(search)
        .iter()
        .fold(Condition::all(), |all, term| all.add(contact::Column::SearchText.like(like_pattern(term))))
}

fn filtered(scope: &Scope, filter: ContactFilter<'_>) -> sea_orm::Select<contact::Entity> {
    let mut query = contact::Entity::find().filter(contact::Column::TenantId.eq(scope.tenant_id));
    if let Some(search) = filter.search.map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(search_condition(search));
    }
    if let Some(status) = filter.lead_status {
        query = query.filter(contact::Column::LeadStatus.eq(status.as_str()));
    }
    query
}

/// Contacts of the caller's tenant, newest activity first, with the total count.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: ContactFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<contact::Model>, u64), sea_orm::DbErr> {
    let query = filtered(scope, filter);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(contact::Column::LastActivityAt)
        .order_by_desc(contact::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// One page of an export in id order (keyset paging: stable while contacts change).
pub async fn export_page(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: ContactFilter<'_>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<contact::Model>, sea_orm::DbErr> {
    let mut query = filtered(scope, filter);
    if let Some(after) = after {
        query = query.filter(contact::Column::Id.gt(after));
    }
    query.order_by_asc(contact::Column::Id).limit(limit).all(db).await
}

/// Names of the tenant's channels by id, for the export's `source_channel` column.
/// Read by table name: channels use contacts' types, so contacts may not import them.
pub async fn channel_names(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<std::collections::HashMap<Uuid, String>, sea_orm::DbErr> {
    let query = Query::select()
        .columns([Alias::new("id"), Alias::new("name")])
        .from(Alias::new("channels"))
        .and_where(Expr::col(Alias::new("tenant_id")).eq(scope.tenant_id))
        .to_owned();
    let rows = db.query_all(&query).await?;
    rows.iter().map(|row| Ok((row.try_get::<Uuid>("", "id")?, row.try_get::<String>("", "name")?))).collect()
}

/// The contact owning this phone: as an identity (phone or WhatsApp, with or without
/// the `+`) or in the phone field of a contact captured before identities existed.
pub async fn find_by_phone(
    db: &impl ConnectionTrait,
    scope: &Scope,
    phone: &str,
) -> Result<Option<contact::Model>, sea_orm::DbErr> {
    let bare = phone.trim_start_matches('+');
    let holder = identity::Entity::find()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::Kind.is_in([IdentityKind::Phone.as_str(), IdentityKind::Whatsapp.as_str()]))
        .filter(identity::Column::Scope.eq(""))
        .filter(identity::Column::Value.is_in([phone, bare]))
        .order_by_asc(identity::Column::CreatedAt)
        .one(db)
        .await?;
    if let Some(holder) = holder {
        return get(db, scope, holder.contact_id).await;
    }
    contact::Entity::find()
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Phone.eq(phone))
        .order_by_asc(contact::Column::CreatedAt)
        .one(db)
        .await
}

/// The contact owning this (lowercased) email, as an identity or in its email field.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    scope: &Scope,
    email: &str,
) -> Result<Option<contact::Model>, sea_orm::DbErr> {
    if let Some(found) = find_by_identity(db, scope, IdentityKind::Email, "", email).await? {
        return Ok(Some(found));
    }
    contact::Entity::find()
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Email.eq(email))
        .order_by_asc(contact::Column::CreatedAt)
        .one(db)
        .await
}

/// Saves changed fields of a contact loaded through the caller's scope.
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    mut active: contact::ActiveModel,
) -> Result<contact::Model, sea_orm::DbErr> {
    // The row came from `get(scope, …)`; pinning tenant_id keeps it in the scope anyway.
    active.tenant_id = Set(scope.tenant_id);
    active.updated_at = Set(Utc::now());
    let mut updated = active.update(db).await?;
    let identities = identities_of(db, scope, &[updated.id]).await?;
    let text = search_text_of(&updated, &identities);
    if text != updated.search_text {
        set_search_text(db, scope, updated.id, text.clone()).await?;
        updated.search_text = text;
    }
    Ok(updated)
}

/// Attaches a tenant-wide identity (phone, email) unless the contact already has it.
pub async fn ensure_identity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    kind: IdentityKind,
    value: &str,
) -> Result<(), sea_orm::DbErr> {
    let existing = identity::Entity::find()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::ContactId.eq(contact_id))
        .filter(identity::Column::Kind.eq(kind.as_str()))
        .filter(identity::Column::Scope.eq(""))
        .filter(identity::Column::Value.eq(value))
        .one(db)
        .await?;
    if existing.is_none() {
        let new = NewIdentity { kind, value: value.to_string(), channel_id: None };
        insert_identity(db, scope, contact_id, &new).await?;
    }
    Ok(())
}

/// Detaches a tenant-wide identity from a contact (its phone or email changed).
pub async fn remove_identity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    kind: IdentityKind,
    value: &str,
) -> Result<(), sea_orm::DbErr> {
    identity::Entity::delete_many()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::ContactId.eq(contact_id))
        .filter(identity::Column::Kind.eq(kind.as_str()))
        .filter(identity::Column::Scope.eq(""))
        .filter(identity::Column::Value.eq(value))
        .exec(db)
        .await?;
    refresh_search_text(db, scope, contact_id).await
}

/// Deletes a contact with its identities and notes (its conversations and messages
/// are erased first through `records`). Explicit rather than relying on FK cascades,
/// so nothing depends on SQLite's foreign_keys pragma. False when there is no such contact.
pub async fn erase(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    note::Entity::delete_many()
        .filter(note::Column::TenantId.eq(scope.tenant_id))
        .filter(note::Column::ContactId.eq(id))
        .exec(db)
        .await?;
    identity::Entity::delete_many()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::ContactId.eq(id))
        .exec(db)
        .await?;
    let deleted = contact::Entity::delete_many()
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// Moves the identities and notes of `from` onto `to` (conversations and messages move
/// through `records`). Identities cannot collide: each belongs to one contact already.
pub async fn reassign(db: &impl ConnectionTrait, scope: &Scope, from: Uuid, to: Uuid) -> Result<(), sea_orm::DbErr> {
    identity::Entity::update_many()
        .col_expr(identity::Column::ContactId, Expr::value(to))
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::ContactId.eq(from))
        .exec(db)
        .await?;
    note::Entity::update_many()
        .col_expr(note::Column::ContactId, Expr::value(to))
        .filter(note::Column::TenantId.eq(scope.tenant_id))
        .filter(note::Column::ContactId.eq(from))
        .exec(db)
        .await?;
    refresh_search_text(db, scope, to).await
}

/// Deletes one contact row (after `reassign` emptied it).
pub async fn delete_row(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let result = contact::Entity::delete_many()
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Locks a contact's row until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
/// transactions already serialise writers). Ingest takes it so two messages from the
/// same person arriving at once cannot both open a new conversation.
pub async fn lock(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<(), sea_orm::DbErr> {
    lock_many(db, scope, &[id]).await
}

/// Locks several contacts' rows, in id order (two writers locking overlapping sets
/// cannot deadlock on each other).
pub async fn lock_many(db: &impl ConnectionTrait, scope: &Scope, ids: &[Uuid]) -> Result<(), sea_orm::DbErr> {
    if ids.is_empty() || db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    contact::Entity::find()
        .select_only()
        .column(contact::Column::Id)
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(contact::Column::Id)
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    Ok(())
}
