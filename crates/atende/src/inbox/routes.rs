//! `/api/v1/conversations`, `/api/v1/messages`, `/api/v1/attachments`.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use garde::Validate;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    attachments,
    model::{
        BulkResult, BulkUpdate, ConversationEnvelope, ConversationList, ListConversations, ListMessages,
        MessageEnvelope, MessagePage, SendMessage, UpdateConversation,
    },
    service, views,
};
use crate::{
    error::AppResult,
    http::{Json, Path, Query},
    state::AppState,
    tenancy::Scope,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations))
        .routes(routes!(get_conversation, update_conversation))
        .routes(routes!(mark_read))
        .routes(routes!(bulk_update))
        .routes(routes!(contact_conversations))
        .routes(routes!(list_messages, send_message))
        .routes(routes!(retry_message))
        .routes(routes!(super::categories::conversation_categories, super::categories::tag_conversation))
        .routes(routes!(attachments::download))
        .merge(
            // Uploads get their own, larger body limit than the JSON default.
            OpenApiRouter::new()
                .routes(routes!(attachments::upload))
                .layer(axum::extract::DefaultBodyLimit::max(attachments::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
}

/// Conversations, newest activity first, with the caller's unread counts.
#[utoipa::path(get, path = "/conversations", tag = "inbox", params(ListConversations),
    responses((status = 200, body = ConversationList)))]
pub async fn list_conversations(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<ListConversations>,
) -> AppResult<axum::Json<ConversationList>> {
    let (conversations, total) = service::list(&state, &scope, &filter).await?;
    Ok(axum::Json(ConversationList { conversations, total }))
}

/// One conversation.
#[utoipa::path(get, path = "/conversations/{id}", tag = "inbox", params(("id" = Uuid, Path)),
    responses((status = 200, body = ConversationEnvelope), (status = 404)))]
pub async fn get_conversation(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ConversationEnvelope>> {
    let row = service::conversation(&state, &scope, id).await?;
    Ok(axum::Json(ConversationEnvelope {
        conversation: views::conversation(&state.db, &scope, row, Some(scope.user_id)).await?,
    }))
}

/// Changes status (OPEN / PENDING / RESOLVED), assignee, team or snooze.
#[utoipa::path(patch, path = "/conversations/{id}", tag = "inbox", params(("id" = Uuid, Path)), request_body = UpdateConversation,
    responses((status = 200, body = ConversationEnvelope), (status = 404), (status = 422)))]
pub async fn update_conversation(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateConversation>,
) -> AppResult<axum::Json<ConversationEnvelope>> {
    Ok(axum::Json(ConversationEnvelope { conversation: service::update(&state, &scope, id, body).await? }))
}

/// Marks the conversation read for the caller.
#[utoipa::path(post, path = "/conversations/{id}/read", tag = "inbox", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404)))]
pub async fn mark_read(State(state): State<AppState>, scope: Scope, Path(id): Path<Uuid>) -> AppResult<StatusCode> {
    service::mark_read(&state, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Applies one action (status, assign, team, snooze) to many conversations; answers
/// which succeeded and which failed with which error code.
#[utoipa::path(post, path = "/conversations/bulk", tag = "inbox", request_body = BulkUpdate,
    responses((status = 200, body = BulkResult), (status = 422, description = "no action, or an agent, team or time that cannot be used")))]
pub async fn bulk_update(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<BulkUpdate>,
) -> AppResult<axum::Json<BulkResult>> {
    body.validate()?;
    Ok(axum::Json(service::bulk(&state, &scope, body).await?))
}

/// A contact's conversations.
#[utoipa::path(get, path = "/contacts/{id}/conversations", tag = "inbox", params(("id" = Uuid, Path)),
    responses((status = 200, body = ConversationList), (status = 404)))]
pub async fn contact_conversations(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ConversationList>> {
    crate::contacts::service::ensure_visible(&state, &scope, id).await?;
    let filter = ListConversations { contact_id: Some(id), limit: Some(200), ..Default::default() };
    let (conversations, total) = service::list(&state, &scope, &filter).await?;
    Ok(axum::Json(ConversationList { conversations, total }))
}

/// A conversation's messages, newest first; pass `nextCursor` back for older ones.
#[utoipa::path(get, path = "/messages", tag = "inbox", params(ListMessages),
    responses((status = 200, body = MessagePage), (status = 404)))]
pub async fn list_messages(
    State(state): State<AppState>,
    scope: Scope,
    Query(q): Query<ListMessages>,
) -> AppResult<axum::Json<MessagePage>> {
    Ok(axum::Json(service::messages(&state, &scope, q.conversation_id, q.cursor, q.limit).await?))
}

/// Sends an agent message (201 at once, status PENDING until delivered) or stores a private note.
#[utoipa::path(post, path = "/messages", tag = "inbox", request_body = SendMessage,
    responses((status = 201, body = MessageEnvelope), (status = 404), (status = 422)))]
pub async fn send_message(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<SendMessage>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let message = service::send(&state, &scope, body).await?;
    Ok((StatusCode::CREATED, axum::Json(MessageEnvelope { message })))
}

/// Queues a failed message again.
#[utoipa::path(post, path = "/messages/{id}/retry", tag = "inbox", params(("id" = Uuid, Path)),
    responses((status = 200, body = MessageEnvelope), (status = 404), (status = 409)))]
pub async fn retry_message(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<MessageEnvelope>> {
    Ok(axum::Json(MessageEnvelope { message: service::retry(&state, &scope, id).await? }))
}
