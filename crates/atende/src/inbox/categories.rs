//! The categories of a conversation: the inbox checks the conversation is the
//! caller's, productivity keeps the tags; and the "category required to resolve"
//! rule (tenant setting) that `service::update` applies.

use axum::extract::State;
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    http::{Json, Path},
    productivity::categories::{self, CategoryList, CategoryView, TagConversation},
    state::AppState,
    tenancy::Scope,
};

/// Refuses to resolve an untagged conversation when the tenant requires a category.
pub async fn check_resolvable(
    db: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    conversation_id: Uuid,
) -> AppResult<()> {
    if crate::settings::load(db, scope).await?.require_category_to_resolve
        && !categories::is_tagged(db, scope, conversation_id).await?
    {
        return Err(AppError::conflict(
            "category_required",
            "This workspace requires a category before a conversation is resolved",
        ));
    }
    Ok(())
}

/// The conversation's categories.
#[utoipa::path(get, path = "/conversations/{id}/categories", tag = "inbox", params(("id" = Uuid, Path)),
    responses((status = 200, body = CategoryList), (status = 404)))]
pub async fn conversation_categories(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<CategoryList>> {
    super::service::conversation(&state, &scope, id).await?;
    Ok(axum::Json(CategoryList { items: categories::of_conversation(&state, &scope, id).await? }))
}

/// Sets the conversation's categories (replacing them; who and when are recorded).
#[utoipa::path(post, path = "/conversations/{id}/categories", tag = "inbox", params(("id" = Uuid, Path)),
    request_body = TagConversation,
    responses((status = 200, body = CategoryList), (status = 404), (status = 422, description = "an id is not an active category")))]
pub async fn tag_conversation(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(input): Json<TagConversation>,
) -> AppResult<axum::Json<CategoryList>> {
    Ok(axum::Json(CategoryList { items: tag(&state, &scope, id, input).await? }))
}

/// Sets a conversation's categories and writes the activity line of what changed.
pub async fn tag(state: &AppState, scope: &Scope, id: Uuid, input: TagConversation) -> AppResult<Vec<CategoryView>> {
    let conversation = super::service::conversation(state, scope, id).await?;
    let before = categories::of_conversation(state, scope, id).await?;
    let after = categories::tag(state, scope, id, input).await?;
    let names = |from: &[CategoryView], without: &[CategoryView]| -> Vec<String> {
        from.iter().filter(|c| !without.iter().any(|w| w.id == c.id)).map(|c| c.path.clone()).collect()
    };
    let (added, removed) = (names(&after, &before), names(&before, &after));
    if !added.is_empty() || !removed.is_empty() {
        let actor = super::activity::actor(&state.db, scope).await?;
        let mut activity = super::model::Activity::new(super::model::ActivityKind::CategoriesChanged, actor);
        activity.added = added;
        activity.removed = removed;
        let txn = crate::db::begin_write(&state.db).await?;
        let events =
            super::activity::store(&txn, scope, &conversation, std::slice::from_ref(&activity), chrono::Utc::now())
                .await?;
        crate::events::record(&txn, events).await?;
        crate::events::commit(txn, &state.events).await?;
    }
    Ok(after)
}
