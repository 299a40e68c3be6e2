//! Meta (Messenger and Instagram) webhooks.
//!
//! - `GET /webhooks/meta/{channelId}` and `GET /webhooks/meta`: the subscription
//!   handshake (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge` echoed as
//!   plain text; 403 otherwise). The shared URL accepts any Messenger/Instagram
//!   channel's verify token.
//! - `POST /webhooks/meta/{channelId}`: `X-Hub-Signature-256` over the raw body with
//!   the channel's app secret, then the entries addressed to the channel's page /
//!   account id are stored for it.
//! - `POST /webhooks/meta`: one Meta app can serve many pages across tenants; each
//!   `entry[].id` is routed to the channels with that account id (a platform lookup),
//!   and the delivery is stored for every one whose app secret verifies the signature.
//!   A tenant only ever processes entries addressed to its own channel.

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use providers::{
    InboundEvent,
    meta::{self, MetaPlatform},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    normalize,
    service::{self, Accepted, Delivery},
};
use crate::{
    channels::{self, entity as channel, model::ChannelType},
    error::{AppError, AppResult},
    http::Path,
    state::AppState,
};

const PROVIDER: &str = "meta";
const META_TYPES: [ChannelType; 2] = [ChannelType::FacebookMessenger, ChannelType::Instagram];

/// `{status, accepted}`: how many channels stored the delivery as new.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetaAck {
    /// `accepted` when at least one channel stored it as new, else `duplicate`.
    pub status: &'static str,
    /// How many channels stored it as new.
    pub accepted: usize,
}

/// The channel type an `object` value addresses.
fn type_of(platform: MetaPlatform) -> ChannelType {
    match platform {
        MetaPlatform::Messenger => ChannelType::FacebookMessenger,
        MetaPlatform::Instagram => ChannelType::Instagram,
    }
}

/// The events of a delivery addressed to one account id.
pub fn events_for(events: &[(String, InboundEvent)], account_id: &str) -> Vec<InboundEvent> {
    events.iter().filter(|(entry, _)| entry == account_id).map(|(_, e)| e.clone()).collect()
}

/// The parsed delivery and the channel type its `object` names.
fn parse(body: &[u8]) -> AppResult<(ChannelType, Vec<(String, InboundEvent)>)> {
    #[derive(Deserialize)]
    struct Object {
        object: Option<String>,
    }
    let events = meta::parse_webhook(body).map_err(|e| {
        service::refused(PROVIDER, "unparseable");
        AppError::field("body", e.to_string())
    })?;
    // parse_webhook accepted the object, so it is `page` or `instagram`.
    let object = serde_json::from_slice::<Object>(body).ok().and_then(|o| o.object).unwrap_or_default();
    let platform = MetaPlatform::from_object(&object).ok_or_else(|| AppError::field("object", "unknown"))?;
    Ok((type_of(platform), events))
}

fn signature_valid(app_secret: &str, body: &[u8], headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match (header("x-hub-signature-256"), header("x-hub-signature")) {
        (Some(sha256), _) => meta::validate_signature_256(app_secret, body, sha256),
        // Only the legacy header: accept it (Meta's own sample app still checks it).
        (None, Some(sha1)) => meta::validate_signature_sha1(app_secret, body, sha1),
        (None, None) => false,
    }
}

fn secret_of(state: &AppState, channel: &channel::Model, field: &str) -> AppResult<Option<String>> {
    let resolved = channels::credentials::resolve(state, channel)?;
    Ok(resolved.as_ref().and_then(|c| channels::credentials::field(c, field)).map(str::to_string))
}

fn query_pairs(query: Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect()
}

fn challenge(answer: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], answer).into_response()
}

/// Subscription handshake for one channel's webhook URL.
#[utoipa::path(get, path = "/webhooks/meta/{channel_id}", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    responses((status = 200, description = "the hub.challenge, as text"), (status = 403), (status = 404)))]
pub async fn verify(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let channel = service::channel_of_types(&state, channel_id, &META_TYPES).await?;
    let token = secret_of(&state, &channel, "verifyToken")?.unwrap_or_default();
    match meta::verify_challenge(&query_pairs(query), &token) {
        Some(answer) => Ok(challenge(answer)),
        None => Err(AppError::Forbidden),
    }
}

/// Subscription handshake for the shared URL: any Messenger/Instagram channel's token.
#[utoipa::path(get, path = "/webhooks/meta", tag = "webhooks",
    responses((status = 200, description = "the hub.challenge, as text"), (status = 403)))]
pub async fn verify_shared(State(state): State<AppState>, RawQuery(query): RawQuery) -> AppResult<Response> {
    let pairs = query_pairs(query);
    let types: Vec<&str> = META_TYPES.iter().map(|t| t.as_str()).collect();
    for channel in channels::store::platform_list_by_types(&state.db, &types, 1000).await? {
        let Ok(Some(token)) = secret_of(&state, &channel, "verifyToken") else { continue };
        if let Some(answer) = meta::verify_challenge(&pairs, &token) {
            return Ok(challenge(answer));
        }
    }
    Err(AppError::Forbidden)
}

/// Events for one channel's URL: verified with its app secret, stored, queued.
#[utoipa::path(post, path = "/webhooks/meta/{channel_id}", operation_id = "receive_meta_webhook", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body(content_type = "application/json", content = String),
    responses((status = 200, body = MetaAck), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<MetaAck>> {
    let channel = service::channel_of_types(&state, channel_id, &META_TYPES).await?;
    let app_secret = secret_of(&state, &channel, "appSecret")?.unwrap_or_default();
    if !signature_valid(&app_secret, &body, &headers) {
        service::refused(PROVIDER, "bad_signature");
        return Err(AppError::InvalidSignature);
    }
    let (channel_type, events) = parse(&body)?;
    if Some(channel_type) != ChannelType::parse(&channel.channel_type) {
        service::refused(PROVIDER, "wrong_object");
        return Err(AppError::field(
            "object",
            format!("this channel does not receive `{}` events", channel_type.as_str()),
        ));
    }
    let mine = events_for(&events, channel.account_id.as_deref().unwrap_or_default());
    let accepted = store(&state, &channel, &mine, &body, &headers).await?;
    Ok(axum::Json(MetaAck { status: if accepted > 0 { "accepted" } else { "duplicate" }, accepted }))
}

/// Events for the shared URL, routed by `entry[].id` to every channel (any tenant)
/// whose app secret verifies the signature.
#[utoipa::path(post, path = "/webhooks/meta", tag = "webhooks",
    request_body(content_type = "application/json", content = String),
    responses((status = 200, body = MetaAck), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"),
              (status = 404, description = "no channel has these account ids"), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive_shared(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<MetaAck>> {
    // Routing needs the entry ids: the payload is parsed (never trusted) before the
    // signature, which is then checked with each candidate channel's own secret.
    let (channel_type, events) = parse(&body)?;
    let mut entry_ids: Vec<&str> = events.iter().map(|(id, _)| id.as_str()).collect();
    entry_ids.sort_unstable();
    entry_ids.dedup();
    let (mut candidates, mut verified, mut suspended, mut accepted) = (0, 0, 0, 0);
    for entry_id in entry_ids.into_iter().take(50) {
        for found in channels::store::platform_find_by_account(&state.db, &[channel_type.as_str()], entry_id).await? {
            candidates += 1;
            let channel = match service::channel_for(&state, found.id, channel_type).await {
                Ok(c) => c,
                Err(AppError::TenantSuspended) => {
                    suspended += 1;
                    continue;
                }
                Err(_) => continue,
            };
            let app_secret = secret_of(&state, &channel, "appSecret")?.unwrap_or_default();
            if !signature_valid(&app_secret, &body, &headers) {
                continue;
            }
            verified += 1;
            accepted += store(&state, &channel, &events_for(&events, entry_id), &body, &headers).await?;
        }
    }
    if verified == 0 {
        return Err(if candidates == 0 {
            service::refused(PROVIDER, "unknown_account");
            AppError::NotFound
        } else if suspended == candidates {
            AppError::TenantSuspended
        } else {
            service::refused(PROVIDER, "bad_signature");
            AppError::InvalidSignature
        });
    }
    Ok(axum::Json(MetaAck { status: if accepted > 0 { "accepted" } else { "duplicate" }, accepted }))
}

/// Stores the raw delivery for one channel, keyed by the events addressed to it.
async fn store(
    state: &AppState,
    channel: &channel::Model,
    events: &[InboundEvent],
    body: &[u8],
    headers: &HeaderMap,
) -> AppResult<usize> {
    let key = service::event_key(events, body);
    let payload = service::utf8_payload(body)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let events = normalize::from_provider(channel, PROVIDER, body, events.to_vec());
    let delivery = Delivery { provider: PROVIDER, event_key: &key, payload, content_type, events };
    Ok(match service::accept(state, channel, delivery).await? {
        Accepted::New(_) => 1,
        Accepted::Duplicate => 0,
    })
}
