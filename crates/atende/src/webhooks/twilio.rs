//! Twilio WhatsApp webhooks: `POST /webhooks/twilio/{channelId}` (inbound messages,
//! answered with empty TwiML) and `POST /webhooks/twilio/{channelId}/status` (status
//! callbacks of our sends). Both are form-encoded and signed `X-Twilio-Signature`,
//! checked against the URL as Twilio knows it (`ATENDE_PUBLIC_URL` + path + query)
//! before anything is parsed or stored.

use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use providers::twilio;
use uuid::Uuid;

use super::{
    normalize,
    service::{self, Accepted, Delivery},
};
use crate::{
    channels::{self, model::ChannelType},
    error::{AppError, AppResult},
    http::Path,
    state::AppState,
};

const PROVIDER: &str = "twilio";

/// Inbound WhatsApp message: verified, stored, queued; answered with empty TwiML.
#[utoipa::path(post, path = "/webhooks/twilio/{channel_id}", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body(content_type = "application/x-www-form-urlencoded", content = String),
    responses((status = 200, description = "empty TwiML"), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn inbound(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    receive(&state, channel_id, &uri, &headers, &body).await?;
    Ok(([(header::CONTENT_TYPE, twilio::TWIML_CONTENT_TYPE)], twilio::EMPTY_TWIML).into_response())
}

/// Status callback of a message we sent (`MessageStatus`, `ErrorCode`).
#[utoipa::path(post, path = "/webhooks/twilio/{channel_id}/status", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body(content_type = "application/x-www-form-urlencoded", content = String),
    responses((status = 200), (status = 401, description = "invalid_signature"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn status(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<StatusCode> {
    receive(&state, channel_id, &uri, &headers, &body).await?;
    Ok(StatusCode::OK)
}

async fn receive(
    state: &AppState,
    channel_id: Uuid,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> AppResult<Accepted> {
    let channel = service::channel_for(state, channel_id, ChannelType::WhatsappTwilio).await?;
    let credentials = channels::credentials::resolve(state, &channel)?;
    let auth_token = credentials.as_ref().and_then(|c| channels::credentials::field(c, "authToken")).unwrap_or("");
    let params = twilio::parse_form(body);
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or(uri.path());
    let url = format!("{}{path}", state.config.public_url());
    let signature = headers.get("x-twilio-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !twilio::validate_signature(auth_token, &url, &params, signature) {
        service::refused(PROVIDER, "bad_signature");
        return Err(AppError::InvalidSignature);
    }
    // Signed by this account's token; the payload must also name this account.
    let account = params.iter().find(|(k, _)| k == "AccountSid").map(|(_, v)| v.as_str());
    if account.is_some_and(|a| Some(a) != channel.account_id.as_deref()) {
        service::refused(PROVIDER, "wrong_account");
        return Err(AppError::InvalidSignature);
    }
    let event = twilio::parse_webhook(&params).map_err(|e| {
        service::refused(PROVIDER, "unparseable");
        AppError::field("body", e.to_string())
    })?;
    // Transitional statuses (queued, sending) are keyed by their bytes.
    let key = service::event_key(std::slice::from_ref(&event), body);
    let payload = service::utf8_payload(body)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let events = normalize::from_provider(&channel, PROVIDER, body, vec![event]);
    service::accept(state, &channel, Delivery { provider: PROVIDER, event_key: &key, payload, content_type, events })
        .await
}
