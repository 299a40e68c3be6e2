//! Asaas webhooks: `POST /webhooks/asaas/{webhookKey}` checks the `asaas-access-token`
//! header in constant time, stores the raw event (unique per tenant by Asaas event id),
//! enqueues processing and answers 200 at once (Asaas counts only 200 as delivered).
//! The `process_asaas_event` job applies it to the charge.

use axum::{body::Bytes, extract::State, http::HeaderMap};
use providers::asaas::{parse_webhook, verify_webhook_token};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    account, apply,
    store::{self, NewWebhookEvent},
};
use crate::{
    error::{AppError, AppResult},
    http::Path,
    jobs::{self, JobError, JobPayload},
    state::AppState,
    tenancy::{self, Scope, TenantStatus},
    webhooks::model::WebhookAck,
};

/// Header carrying the token configured on the Asaas webhook.
pub const TOKEN_HEADER: &str = "asaas-access-token";

/// The Asaas webhook route (outside `/api/v1`: Asaas calls it, not users).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive))
}

/// Receives an Asaas event: verified, stored, queued, acknowledged.
#[utoipa::path(post, path = "/webhooks/asaas/{webhook_key}", operation_id = "receive_asaas_webhook", tag = "webhooks",
    params(("webhook_key" = String, Path, description = "The tenant's random key, from `webhookUrl`")),
    request_body(content = Object, description = "Asaas event envelope `{id, event, dateCreated, payment}`"),
    responses((status = 200, body = WebhookAck, description = "stored (or a duplicate)"),
              (status = 401, description = "invalid_signature: asaas-access-token missing or wrong; nothing stored"),
              (status = 404), (status = 422, description = "not an Asaas event"),
              (status = 503, description = "not stored; Asaas retries")))]
pub async fn receive(
    State(state): State<AppState>,
    Path(webhook_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<WebhookAck>> {
    if webhook_key.len() != 64 || !webhook_key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let settings = store::platform_settings_by_webhook_key(&state.db, &webhook_key).await?.ok_or(AppError::NotFound)?;
    let expected = account::webhook_token(&state, &settings)?;
    let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok());
    if !verify_webhook_token(&expected, token) {
        metrics::counter!("webhook_events_total", "provider" => "asaas", "outcome" => "bad_token").increment(1);
        return Err(AppError::InvalidSignature);
    }
    let tenant = tenancy::store::platform_find(&state.db, settings.tenant_id).await?.ok_or(AppError::NotFound)?;
    if tenant.status != TenantStatus::Active.as_str() {
        return Err(AppError::TenantSuspended);
    }
    let event = parse_webhook(&body).map_err(|e| AppError::field("body", format!("is not an Asaas event: {e}")))?;
    let payload = String::from_utf8(body.to_vec()).map_err(|_| AppError::field("body", "must be UTF-8 JSON"))?;
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(stored) = store::platform_webhook_event_insert(
        &txn,
        NewWebhookEvent {
            tenant_id: settings.tenant_id,
            event_id: event.id.clone(),
            event_type: event.event.as_str().to_string(),
            asaas_charge_id: event.payment.as_ref().map(|p| p.id.clone()),
            payload,
        },
    )
    .await?
    else {
        txn.rollback().await?;
        metrics::counter!("webhook_events_total", "provider" => "asaas", "outcome" => "duplicate").increment(1);
        return Ok(axum::Json(WebhookAck { status: "duplicate", event_id: None }));
    };
    jobs::enqueue(
        &txn,
        Some(settings.tenant_id),
        &JobPayload::ProcessAsaasEvent { event_id: stored.id },
        Some(format!("asaas-event:{}", stored.id)),
    )
    .await?;
    txn.commit().await?;
    state.job_notify.notify_one();
    metrics::counter!("webhook_events_total", "provider" => "asaas", "outcome" => "accepted").increment(1);
    Ok(axum::Json(WebhookAck { status: "accepted", event_id: Some(stored.id) }))
}

/// The `process_asaas_event` job. Safe to run twice: a processed event is skipped, and
/// the charge update and the "processed" mark commit together.
pub async fn process_event(state: &AppState, event_id: Uuid) -> Result<(), JobError> {
    let Some(row) = store::platform_webhook_event_get(&state.db, event_id).await? else { return Ok(()) };
    if row.status == "processed" {
        return Ok(());
    }
    let scope = Scope::system(row.tenant_id);
    let event = match parse_webhook(row.payload.as_bytes()) {
        Ok(event) => event,
        Err(e) => {
            let reason = format!("unparseable Asaas event: {e}");
            store::webhook_event_finish(&state.db, &scope, row.id, Some(&reason)).await?;
            return Err(JobError::Fatal(reason));
        }
    };
    match apply::apply_webhook(state, &scope, &row, &event).await {
        Ok(()) => Ok(()),
        Err(e) => {
            let error = JobError::from(e);
            if let JobError::Fatal(reason) = &error {
                store::webhook_event_finish(&state.db, &scope, row.id, Some(reason)).await?;
            }
            Err(error)
        }
    }
}
