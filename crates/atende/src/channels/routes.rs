//! `/api/v1/channels`.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use garde::Validate;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    connection::{self, ConnectionView, QrCodeView},
    model::{ChannelEnvelope, ChannelList, CreateChannel, UpdateChannel},
    service, store,
};
use crate::{
    error::AppResult,
    http::{Json, Path},
    state::AppState,
    tenancy::Scope,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_channels, create_channel))
        .routes(routes!(get_channel, update_channel, delete_channel))
        .routes(routes!(qr_code))
        .routes(routes!(connection_state))
        .routes(routes!(disconnect_channel))
        .routes(routes!(restart_channel))
}

/// Channels of the workspace.
#[utoipa::path(get, path = "/channels", tag = "channels", responses((status = 200, body = ChannelList)))]
pub async fn list_channels(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<ChannelList>> {
    let rows = store::list(&state.db, &scope).await?;
    Ok(axum::Json(ChannelList { channels: rows.iter().map(|c| service::view_for(&state, &scope, c)).collect() }))
}

/// Creates a channel (admins); the answer carries the webhook secret once.
#[utoipa::path(post, path = "/channels", tag = "channels", request_body = CreateChannel,
    responses((status = 201, body = ChannelEnvelope), (status = 422)))]
pub async fn create_channel(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<CreateChannel>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let (channel, secret) = service::create(&state, &scope, body).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(ChannelEnvelope {
            channel: service::view_with_secret(&state, &channel, Some(&secret)),
            webhook_secret: Some(secret),
        }),
    ))
}

/// One channel.
#[utoipa::path(get, path = "/channels/{id}", tag = "channels", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChannelEnvelope), (status = 404)))]
pub async fn get_channel(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ChannelEnvelope>> {
    let channel = service::get(&state, &scope, id).await?;
    Ok(axum::Json(ChannelEnvelope { channel: service::view_for(&state, &scope, &channel), webhook_secret: None }))
}

/// Changes a channel (admins); credentials are replaced, never returned.
#[utoipa::path(patch, path = "/channels/{id}", tag = "channels", params(("id" = Uuid, Path)), request_body = UpdateChannel,
    responses((status = 200, body = ChannelEnvelope), (status = 404)))]
pub async fn update_channel(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateChannel>,
) -> AppResult<axum::Json<ChannelEnvelope>> {
    body.validate()?;
    let channel = service::update(&state, &scope, id, body).await?;
    Ok(axum::Json(ChannelEnvelope { channel: service::view(&state, &channel), webhook_secret: None }))
}

/// Disables a channel (admins); conversations and messages are kept.
#[utoipa::path(delete, path = "/channels/{id}", tag = "channels", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChannelEnvelope), (status = 404)))]
pub async fn delete_channel(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ChannelEnvelope>> {
    let channel = service::disable(&state, &scope, id).await?;
    Ok(axum::Json(ChannelEnvelope { channel: service::view(&state, &channel), webhook_secret: None }))
}

/// Z-API: the QR code to pair the number (admins). While it is pending, a watcher
/// polls the instance and pushes `channel_status` when the number connects. A POST:
/// asking for a code starts pairing and the watcher (not a safe, cacheable read).
#[utoipa::path(post, path = "/channels/{id}/qr-code", tag = "channels", params(("id" = Uuid, Path)),
    responses((status = 200, body = QrCodeView), (status = 404), (status = 409), (status = 503)))]
pub async fn qr_code(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<QrCodeView>> {
    Ok(axum::Json(connection::qr_code(&state, &scope, id).await?))
}

/// Z-API: checks the instance's connection with Z-API now (admins); a POST because it
/// calls the provider and may change the channel's stored status.
#[utoipa::path(post, path = "/channels/{id}/connection", tag = "channels", params(("id" = Uuid, Path)),
    responses((status = 200, body = ConnectionView), (status = 404), (status = 409), (status = 503)))]
pub async fn connection_state(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ConnectionView>> {
    Ok(axum::Json(connection::connection(&state, &scope, id).await?))
}

/// Z-API: unlinks the number (admins).
#[utoipa::path(post, path = "/channels/{id}/disconnect", tag = "channels", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChannelEnvelope), (status = 404), (status = 409), (status = 503)))]
pub async fn disconnect_channel(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ChannelEnvelope>> {
    let channel = connection::disconnect(&state, &scope, id).await?;
    Ok(axum::Json(ChannelEnvelope { channel: service::view(&state, &channel), webhook_secret: None }))
}

/// Z-API: restarts the instance (admins) and watches its state.
#[utoipa::path(post, path = "/channels/{id}/restart", tag = "channels", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChannelEnvelope), (status = 404), (status = 409), (status = 503)))]
pub async fn restart_channel(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ChannelEnvelope>> {
    let channel = connection::restart(&state, &scope, id).await?;
    Ok(axum::Json(ChannelEnvelope { channel: service::view(&state, &channel), webhook_secret: None }))
}
