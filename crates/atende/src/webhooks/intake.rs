//! One intake for every provider: the channel behind the URL (its tenant from the
//! row, never the payload) → its adapter → `verify` (before anything is parsed) →
//! `parse` once → `service::accept` (one insert; the row is the pipeline's queue
//! entry). Routes only extract the request and shape the answer; nothing here knows a
//! provider.

use axum::http::{HeaderMap, header};
use uuid::Uuid;

use super::{
    model::{Refusal, Webhook},
    service::{self, Accepted, Delivery},
};
use crate::{
    channels::{
        self,
        adapters::{self, Adapter, ChannelKeys},
        entity as channel,
        model::ChannelType,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// A webhook request as a route extracted it.
pub struct Request<'a> {
    /// The path and query the provider called (signed by some providers with our
    /// public URL in front).
    pub path: &'a str,
    /// A secret carried in the URL path, when the route has one.
    pub url_secret: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The public URL of a request, as the provider knows it.
fn public_url(state: &AppState, request: &Request<'_>) -> String {
    format!("{}{}", state.config.public_url(), request.path)
}

fn webhook<'a>(url: &'a str, request: &Request<'a>) -> Webhook<'a> {
    Webhook { url, url_secret: request.url_secret, headers: request.headers, body: request.body }
}

/// A delivery to one channel's URL: verified, parsed, stored.
pub async fn receive(
    state: &AppState,
    channel_id: Uuid,
    types: &[ChannelType],
    request: Request<'_>,
) -> AppResult<Accepted> {
    let channel = service::channel_of_types(state, channel_id, types).await?;
    let adapter = adapters::of_channel(state, &channel)?;
    let url = public_url(state, &request);
    let hook = webhook(&url, &request);
    let keys = ChannelKeys::new(state, &channel);
    match adapter.verify(&channel, &hook, &keys) {
        Ok(()) => {}
        Err(Refusal::Unauthenticated(outcome)) => {
            service::refused(adapter.provider(), outcome);
            return Err(AppError::InvalidSignature);
        }
        Err(Refusal::Error(e)) => return Err(e),
    }
    accept(state, adapter.as_ref(), &channel, &hook).await
}

/// Parses a verified delivery once and stores it with its events.
async fn accept(
    state: &AppState,
    adapter: &dyn Adapter,
    channel: &channel::Model,
    hook: &Webhook<'_>,
) -> AppResult<Accepted> {
    let parsed = adapter.parse(channel, hook).inspect_err(|_| service::refused(adapter.provider(), "unparseable"))?;
    let payload = service::utf8_payload(hook.body)?;
    let content_type = hook.header(header::CONTENT_TYPE.as_str()).map(str::to_string);
    let delivery = Delivery {
        provider: adapter.provider(),
        event_key: &parsed.event_key,
        payload,
        content_type,
        events: parsed.events,
    };
    service::accept(state, channel, delivery).await
}

/// A delivery to a URL shared by many channels (any tenant), routed by the account ids
/// it is addressed to (`Adapter::account_ids`, parsed but not trusted) and stored for
/// every channel that verifies it. Returns how many stored it as new.
pub async fn receive_shared(state: &AppState, types: &[ChannelType], request: Request<'_>) -> AppResult<usize> {
    let router = adapters::of_type(state, *types.first().ok_or(AppError::NotFound)?);
    let addressed =
        router.account_ids(request.body).inspect_err(|_| service::refused(router.provider(), "unparseable"))?;
    let url = public_url(state, &request);
    let hook = webhook(&url, &request);
    let (mut candidates, mut verified, mut suspended, mut accepted) = (0, 0, 0, 0);
    for (channel_type, account_id) in addressed.iter().filter(|(t, _)| types.contains(t)).take(50) {
        for found in channels::store::platform_find_by_account(&state.db, &[channel_type.as_str()], account_id).await? {
            candidates += 1;
            let channel = match service::channel_for(state, found.id, *channel_type).await {
                Ok(c) => c,
                Err(AppError::TenantSuspended) => {
                    suspended += 1;
                    continue;
                }
                Err(_) => continue,
            };
            let adapter = adapters::of_type(state, *channel_type);
            match adapter.verify(&channel, &hook, &ChannelKeys::new(state, &channel)) {
                Ok(()) => {}
                Err(Refusal::Unauthenticated(_)) => continue,
                Err(Refusal::Error(e)) => return Err(e),
            }
            verified += 1;
            if let Accepted::New(_) = accept(state, adapter.as_ref(), &channel, &hook).await? {
                accepted += 1;
            }
        }
    }
    if verified == 0 {
        return Err(if candidates == 0 {
            service::refused(router.provider(), "unknown_account");
            AppError::NotFound
        } else if suspended == candidates {
            AppError::TenantSuspended
        } else {
            service::refused(router.provider(), "bad_signature");
            AppError::InvalidSignature
        });
    }
    Ok(accepted)
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect()
}

/// A subscription handshake on one channel's URL: the answer, or 403.
pub async fn handshake(
    state: &AppState,
    channel_id: Uuid,
    types: &[ChannelType],
    query: Option<&str>,
) -> AppResult<String> {
    let channel = service::channel_of_types(state, channel_id, types).await?;
    let adapter = adapters::of_channel(state, &channel)?;
    adapter.handshake(&query_pairs(query), &ChannelKeys::new(state, &channel))?.ok_or(AppError::Forbidden)
}

/// A subscription handshake on a shared URL: any channel of these types may answer it.
pub async fn handshake_shared(state: &AppState, types: &[ChannelType], query: Option<&str>) -> AppResult<String> {
    let pairs = query_pairs(query);
    let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    for channel in channels::store::platform_list_by_types(&state.db, &names, 1000).await? {
        let Ok(adapter) = adapters::of_channel(state, &channel) else { continue };
        if let Ok(Some(answer)) = adapter.handshake(&pairs, &ChannelKeys::new(state, &channel)) {
            return Ok(answer);
        }
    }
    Err(AppError::Forbidden)
}
