//! The route table of provider webhooks: which URL serves which channel types and how
//! each answers. Handlers only extract the request and call `intake`; what a provider
//! sends, and how it is verified and parsed, is its adapter's (`channels::adapters`).

use axum::{
    body::Bytes,
    extract::{OriginalUri, RawQuery, State},
    http::{HeaderMap, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    intake::{self, Request},
    model::WebhookAck,
    service::Accepted,
};
use crate::{channels::model::ChannelType, error::AppResult, http::Path, state::AppState};

const API: &[ChannelType] = &[ChannelType::Api];
const TWILIO: &[ChannelType] = &[ChannelType::WhatsappTwilio];
const ZAPI: &[ChannelType] = &[ChannelType::WhatsappZapi];
const META: &[ChannelType] = &[ChannelType::FacebookMessenger, ChannelType::Instagram];

/// Twilio's answer to an inbound message: no reply.
const TWIML_CONTENT_TYPE: &str = providers::twilio::TWIML_CONTENT_TYPE;
const EMPTY_TWIML: &str = providers::twilio::EMPTY_TWIML;

/// `{status, accepted}`: how many channels stored the delivery as new.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetaAck {
    /// `accepted` when at least one channel stored it as new, else `duplicate`.
    pub status: &'static str,
    /// How many channels stored it as new.
    pub accepted: usize,
}

fn path_of(uri: &Uri) -> &str {
    uri.path_and_query().map(|p| p.as_str()).unwrap_or(uri.path())
}

fn request<'a>(uri: &'a Uri, url_secret: Option<&'a str>, headers: &'a HeaderMap, body: &'a [u8]) -> Request<'a> {
    Request { path: path_of(uri), url_secret, headers, body }
}

fn ack(accepted: Accepted) -> axum::Json<WebhookAck> {
    axum::Json(match accepted {
        Accepted::New(id) => WebhookAck { status: "accepted", event_id: Some(id) },
        Accepted::Duplicate => WebhookAck { status: "duplicate", event_id: None },
    })
}

fn meta_ack(accepted: usize) -> axum::Json<MetaAck> {
    axum::Json(MetaAck { status: if accepted > 0 { "accepted" } else { "duplicate" }, accepted })
}

fn challenge(answer: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], answer).into_response()
}

/// Receives a message for an API channel: verified, stored, queued, acknowledged.
#[utoipa::path(post, path = "/webhooks/api/{channel_id}", operation_id = "receive_api_webhook", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body = crate::channels::adapters::api::ApiInbound,
    responses((status = 200, body = WebhookAck), (status = 401, description = "invalid_signature"),
              (status = 404), (status = 422), (status = 503, description = "not stored; retry")))]
pub async fn receive_api(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<WebhookAck>> {
    Ok(ack(intake::receive(&state, channel_id, API, request(&uri, None, &headers, &body)).await?))
}

/// Inbound WhatsApp message: verified, stored, queued; answered with empty TwiML.
#[utoipa::path(post, path = "/webhooks/twilio/{channel_id}", operation_id = "inbound", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body(content_type = "application/x-www-form-urlencoded", content = String),
    responses((status = 200, description = "empty TwiML"), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive_twilio(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    intake::receive(&state, channel_id, TWILIO, request(&uri, None, &headers, &body)).await?;
    Ok(([(header::CONTENT_TYPE, TWIML_CONTENT_TYPE)], EMPTY_TWIML).into_response())
}

/// Status callback of a message we sent (`MessageStatus`, `ErrorCode`).
#[utoipa::path(post, path = "/webhooks/twilio/{channel_id}/status", operation_id = "status", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body(content_type = "application/x-www-form-urlencoded", content = String),
    responses((status = 200), (status = 401, description = "invalid_signature"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive_twilio_status(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<StatusCode> {
    intake::receive(&state, channel_id, TWILIO, request(&uri, None, &headers, &body)).await?;
    Ok(StatusCode::OK)
}

/// Any Z-API callback: authenticated by the URL secret and instance id, stored, queued.
#[utoipa::path(post, path = "/webhooks/zapi/{channel_id}/{secret}", operation_id = "receive_zapi_webhook", tag = "webhooks",
    params(("channel_id" = Uuid, Path), ("secret" = String, Path)),
    request_body(content_type = "application/json", content = String),
    responses((status = 200, body = WebhookAck), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive_zapi(
    State(state): State<AppState>,
    Path((channel_id, secret)): Path<(Uuid, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<WebhookAck>> {
    Ok(ack(intake::receive(&state, channel_id, ZAPI, request(&uri, Some(&secret), &headers, &body)).await?))
}

/// Subscription handshake for one channel's webhook URL.
#[utoipa::path(get, path = "/webhooks/meta/{channel_id}", operation_id = "verify", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    responses((status = 200, description = "the hub.challenge, as text"), (status = 403), (status = 404)))]
pub async fn handshake_meta(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    Ok(challenge(intake::handshake(&state, channel_id, META, query.as_deref()).await?))
}

/// Subscription handshake for the shared URL: any Messenger/Instagram channel's token.
#[utoipa::path(get, path = "/webhooks/meta", operation_id = "verify_shared", tag = "webhooks",
    responses((status = 200, description = "the hub.challenge, as text"), (status = 403)))]
pub async fn handshake_meta_shared(State(state): State<AppState>, RawQuery(query): RawQuery) -> AppResult<Response> {
    Ok(challenge(intake::handshake_shared(&state, META, query.as_deref()).await?))
}

/// Events for one channel's URL: verified with its app secret, stored, queued.
#[utoipa::path(post, path = "/webhooks/meta/{channel_id}", operation_id = "receive_meta_webhook", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body(content_type = "application/json", content = String),
    responses((status = 200, body = MetaAck), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive_meta(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<MetaAck>> {
    let accepted = intake::receive(&state, channel_id, META, request(&uri, None, &headers, &body)).await?;
    Ok(meta_ack(usize::from(matches!(accepted, Accepted::New(_)))))
}

/// Events for the shared URL, routed by `entry[].id` to every channel (any tenant)
/// whose app secret verifies the signature.
#[utoipa::path(post, path = "/webhooks/meta", operation_id = "receive_shared", tag = "webhooks",
    request_body(content_type = "application/json", content = String),
    responses((status = 200, body = MetaAck), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"),
              (status = 404, description = "no channel has these account ids"), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive_meta_shared(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<MetaAck>> {
    Ok(meta_ack(intake::receive_shared(&state, META, request(&uri, None, &headers, &body)).await?))
}
