//! Merging two contacts who are the same person: identities, notes, conversations and
//! messages move to the kept one; its empty fields are filled from the other.

use sea_orm::{IntoActiveModel, Set};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{
    model::{LeadStatus, MergedContact},
    records::Records,
    service::{publish, view},
    store,
};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    events,
    state::AppState,
    tenancy::{Role, Scope},
};

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
