//! Interaction categories: tenant-scoped, hierarchical (a parent), a unique name per
//! tenant and parent, an active flag and a soft delete that keeps what was tagged
//! with them for the reports. Conversations carry one or more (who tagged, when).
//! The inbox owns conversations: it checks that one exists before tagging it here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{categories_store as store, entity::category};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
};

/// A category as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CategoryView {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// The names from the root, e.g. `Suporte › Faturamento`.
    pub path: String,
    pub description: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `{items}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<CategoryView>,
}

/// `{category}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryEnvelope {
    pub category: CategoryView,
}

/// `POST /settings/interaction-categories`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCategory {
    #[garde(length(min = 1, max = 80))]
    pub name: String,
    #[garde(skip)]
    pub parent_id: Option<Uuid>,
    #[garde(length(max = 500))]
    pub description: Option<String>,
    #[garde(skip)]
    pub active: Option<bool>,
}

/// `PUT /settings/interaction-categories/{id}`: the keys to change (`parentId: null`
/// moves it to the root).
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateCategory {
    #[garde(length(min = 1, max = 80))]
    pub name: Option<String>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Option<Option<Uuid>>,
    #[garde(length(max = 500))]
    pub description: Option<String>,
    #[garde(skip)]
    pub active: Option<bool>,
}

/// `POST /conversations/{id}/categories`: the conversation's categories (replaces).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagConversation {
    #[garde(length(max = 20))]
    pub category_ids: Vec<Uuid>,
}

/// The unique key of a name: trimmed, lowercased.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Views of categories with their paths (`all` holds their ancestors).
fn views(rows: &[category::Model], all: &[category::Model]) -> Vec<CategoryView> {
    let by_id: HashMap<Uuid, &category::Model> = all.iter().map(|c| (c.id, c)).collect();
    let path = |c: &category::Model| {
        let mut names = vec![c.name.clone()];
        let mut parent = c.parent_id;
        // Bounded: a damaged chain cannot loop forever.
        for _ in 0..16 {
            let Some(p) = parent.and_then(|id| by_id.get(&id)) else { break };
            names.push(p.name.clone());
            parent = p.parent_id;
        }
        names.reverse();
        names.join(" › ")
    };
    let mut out: Vec<CategoryView> = rows
        .iter()
        .map(|c| CategoryView {
            id: c.id,
            parent_id: c.parent_id,
            name: c.name.clone(),
            path: path(c),
            description: c.description.clone(),
            active: c.active,
            created_at: c.created_at,
            updated_at: c.updated_at,
        })
        .collect();
    out.sort_by_key(|a| a.path.to_lowercase());
    out
}

/// Categories agents may pick: active, not deleted, under active parents.
pub async fn active(state: &AppState, scope: &Scope) -> AppResult<Vec<CategoryView>> {
    let all = store::list(&state.db, scope, true).await?;
    let by_id: HashMap<Uuid, &category::Model> = all.iter().map(|c| (c.id, c)).collect();
    let usable = |c: &category::Model| {
        let mut current = Some(c);
        for _ in 0..16 {
            match current {
                Some(c) if !c.active || c.deleted_at.is_some() => return false,
                Some(c) => current = c.parent_id.and_then(|p| by_id.get(&p).copied()),
                None => return true,
            }
        }
        true
    };
    let rows: Vec<category::Model> = all.iter().filter(|c| c.deleted_at.is_none() && usable(c)).cloned().collect();
    Ok(views(&rows, &all))
}

/// Every category that is not deleted (the admin list).
pub async fn list(state: &AppState, scope: &Scope) -> AppResult<Vec<CategoryView>> {
    scope.require(Role::Manager)?;
    let all = store::list(&state.db, scope, true).await?;
    let rows: Vec<category::Model> = all.iter().filter(|c| c.deleted_at.is_none()).cloned().collect();
    Ok(views(&rows, &all))
}

async fn view_of(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<CategoryView> {
    let all = store::list(&state.db, scope, true).await?;
    let row = all.iter().find(|c| c.id == id).cloned().ok_or(AppError::NotFound)?;
    Ok(views(&[row], &all).remove(0))
}

/// A live parent of this tenant, or 422.
async fn check_parent(state: &AppState, scope: &Scope, parent: Option<Uuid>, moving: Option<Uuid>) -> AppResult<()> {
    let Some(parent) = parent else { return Ok(()) };
    let all = store::list(&state.db, scope, false).await?;
    let by_id: HashMap<Uuid, &category::Model> = all.iter().map(|c| (c.id, c)).collect();
    if !by_id.contains_key(&parent) {
        return Err(AppError::field("parentId", "is not a category of this workspace"));
    }
    if let Some(moving) = moving {
        let mut current = Some(parent);
        for _ in 0..32 {
            match current {
                Some(id) if id == moving => {
                    return Err(AppError::field("parentId", "would make the category its own ancestor"));
                }
                Some(id) => current = by_id.get(&id).and_then(|c| c.parent_id),
                None => break,
            }
        }
    }
    Ok(())
}

fn taken(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::conflict("category_name_taken", "A category with this name already exists at this level")
        }
        _ => e.into(),
    }
}

/// Creates a category (managers and admins).
pub async fn create(state: &AppState, scope: &Scope, input: NewCategory) -> AppResult<CategoryView> {
    scope.require(Role::Manager)?;
    input.validate()?;
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::field("name", "must not be blank"));
    }
    check_parent(state, scope, input.parent_id, None).await?;
    let row = store::NewRow {
        parent_id: input.parent_id,
        name: &name,
        description: input.description.as_deref().map(str::trim).filter(|d| !d.is_empty()),
        active: input.active.unwrap_or(true),
        at: Utc::now(),
    };
    let id = store::insert(&state.db, scope, row).await.map_err(taken)?;
    view_of(state, scope, id).await
}

/// Changes a category's name, parent, description or active flag.
pub async fn update(state: &AppState, scope: &Scope, id: Uuid, patch: UpdateCategory) -> AppResult<CategoryView> {
    scope.require(Role::Manager)?;
    patch.validate()?;
    let current = store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    if let Some(parent) = patch.parent_id {
        check_parent(state, scope, parent, Some(id)).await?;
    }
    let name = match patch.name.as_deref().map(str::trim) {
        Some("") => return Err(AppError::field("name", "must not be blank")),
        other => other.map(str::to_string),
    };
    let description = patch.description.map(|d| Some(d.trim().to_string()).filter(|d| !d.is_empty()));
    store::update(&state.db, scope, current, name, patch.parent_id, description, patch.active, Utc::now())
        .await
        .map_err(taken)?;
    view_of(state, scope, id).await
}

/// Soft-deletes a category: it disappears from lists and pickers; what was tagged keeps
/// it for the reports. A category with live children is refused.
pub async fn delete(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<()> {
    scope.require(Role::Manager)?;
    let current = store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    if store::has_children(&state.db, scope, id).await? {
        return Err(AppError::conflict("category_has_children", "Delete or move its subcategories first"));
    }
    store::soft_delete(&state.db, scope, current, Utc::now()).await?;
    Ok(())
}

/// A conversation's categories (with paths; deleted ones included: they were tagged).
pub async fn of_conversation(state: &AppState, scope: &Scope, conversation_id: Uuid) -> AppResult<Vec<CategoryView>> {
    let ids = store::tagged(&state.db, scope, &[conversation_id]).await?;
    let ids: Vec<Uuid> = ids.into_iter().map(|t| t.category_id).collect();
    let all = store::list(&state.db, scope, true).await?;
    let rows: Vec<category::Model> = all.iter().filter(|c| ids.contains(&c.id)).cloned().collect();
    Ok(views(&rows, &all))
}

/// Sets a conversation's categories (the caller checked the conversation is the
/// tenant's). Each id must be an active category; kept tags keep who and when.
pub async fn tag(
    state: &AppState,
    scope: &Scope,
    conversation_id: Uuid,
    input: TagConversation,
) -> AppResult<Vec<CategoryView>> {
    input.validate()?;
    let usable: Vec<Uuid> = active(state, scope).await?.into_iter().map(|c| c.id).collect();
    let mut ids = input.category_ids;
    ids.sort();
    ids.dedup();
    if let Some(bad) = ids.iter().find(|id| !usable.contains(id)) {
        return Err(AppError::Validation {
            message: format!("categoryIds: {bad} is not an active category"),
            details: serde_json::json!({ "categoryIds": [format!("{bad} is not an active category")] }),
        });
    }
    let txn = crate::db::begin_write(&state.db).await?;
    store::set_tags(&txn, scope, conversation_id, &ids, scope.user_id, Utc::now()).await?;
    txn.commit().await?;
    of_conversation(state, scope, conversation_id).await
}

/// Whether a conversation has at least one category (resolving may require it).
pub async fn is_tagged(db: &impl sea_orm::ConnectionTrait, scope: &Scope, conversation_id: Uuid) -> AppResult<bool> {
    Ok(!store::tagged(db, scope, &[conversation_id]).await?.is_empty())
}

/// conversation → category ids, for the reports.
pub async fn by_conversation(
    db: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    conversation_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Uuid>>> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in conversation_ids.chunks(500) {
        for t in store::tagged(db, scope, chunk).await? {
            out.entry(t.conversation_id).or_default().push(t.category_id);
        }
    }
    Ok(out)
}

/// Every category of the tenant (deleted ones too: reports name what was tagged).
pub async fn names(state: &AppState, scope: &Scope) -> AppResult<HashMap<Uuid, String>> {
    let all = store::list(&state.db, scope, true).await?;
    Ok(views(&all, &all).into_iter().map(|v| (v.id, v.path)).collect())
}
