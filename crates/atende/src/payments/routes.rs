//! `/api/v1/asaas/settings` (admins) and `/api/v1/asaas/charges` (agents).

use axum::{body::Bytes, extract::State, http::StatusCode, response::IntoResponse};
use garde::Validate;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    account, charges,
    model::{
        AsaasConnection, AsaasSettingsEnvelope, ChargeEnvelope, ChargeList, ChargeView, CreateCharge, ListCharges,
        SendCharge, TestAsaasConnection, UpdateAsaasSettings,
    },
};
use crate::{
    error::{AppError, AppResult},
    http::{Json, Path, Query},
    inbox::model::MessageEnvelope,
    state::AppState,
    tenancy::Scope,
};

/// Every `/asaas` route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(test_settings))
        .routes(routes!(list_charges, create_charge))
        .routes(routes!(get_charge, cancel_charge))
        .routes(routes!(refresh_charge))
        .routes(routes!(send_charge))
}

fn envelope(charge: &super::entity::charge::Model) -> axum::Json<ChargeEnvelope> {
    axum::Json(ChargeEnvelope { asaas_charge: ChargeView::from(charge) })
}

/// The workspace's Asaas settings (admins). The API key is never shown, only `hasApiKey`.
#[utoipa::path(get, path = "/asaas/settings", operation_id = "get_asaas_settings", tag = "payments",
    responses((status = 200, body = AsaasSettingsEnvelope), (status = 403)))]
pub async fn get_settings(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<AsaasSettingsEnvelope>> {
    let asaas_settings = account::settings(&state, &scope).await?;
    Ok(axum::Json(AsaasSettingsEnvelope { asaas_settings }))
}

/// Saves the Asaas settings (admins): API key (write-only), environment, webhook token.
#[utoipa::path(put, path = "/asaas/settings", operation_id = "put_asaas_settings", tag = "payments", request_body = UpdateAsaasSettings,
    responses((status = 200, body = AsaasSettingsEnvelope), (status = 403), (status = 422)))]
pub async fn put_settings(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<UpdateAsaasSettings>,
) -> AppResult<axum::Json<AsaasSettingsEnvelope>> {
    body.validate()?;
    let asaas_settings = account::update_settings(&state, &scope, body).await?;
    Ok(axum::Json(AsaasSettingsEnvelope { asaas_settings }))
}

/// "Testar conexão" (admins): calls Asaas with the given key (or the saved one) and
/// answers whose account it is; a refused key is 422 `asaas_auth_failed`, Asaas down
/// 502 `asaas_unavailable`. Nothing is saved.
#[utoipa::path(post, path = "/asaas/settings/test", tag = "payments", request_body = TestAsaasConnection,
    responses((status = 200, body = AsaasConnection), (status = 403), (status = 409), (status = 422), (status = 502)))]
pub async fn test_settings(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<TestAsaasConnection>,
) -> AppResult<axum::Json<AsaasConnection>> {
    body.validate()?;
    Ok(axum::Json(account::test_connection(&state, &scope, body).await?))
}

/// Charges, newest first. Amounts are strings with two decimals.
#[utoipa::path(get, path = "/asaas/charges", tag = "payments", params(ListCharges),
    responses((status = 200, body = ChargeList)))]
pub async fn list_charges(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<ListCharges>,
) -> AppResult<axum::Json<ChargeList>> {
    Ok(axum::Json(charges::list(&state, &scope, &filter).await?))
}

/// Creates a charge in Asaas (and the contact's Asaas customer when missing). `value`
/// is a string or number with at most two decimals; it comes back as a string
/// (`"150.00"`). Asaas refusals are 422 `asaas_rejected` with Asaas' descriptions; 503
/// `asaas_rate_limited` / 502 `asaas_unavailable` when Asaas cannot answer.
#[utoipa::path(post, path = "/asaas/charges", tag = "payments", request_body = CreateCharge,
    responses((status = 201, body = ChargeEnvelope), (status = 404, description = "contact or conversation"),
              (status = 409, description = "asaas_not_configured"),
              (status = 422, description = "validation_failed (e.g. cpfCnpj) or asaas_rejected"),
              (status = 502, description = "asaas_unavailable"), (status = 503, description = "asaas_rate_limited")))]
pub async fn create_charge(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<CreateCharge>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let charge = charges::create(&state, &scope, body).await?;
    Ok((StatusCode::CREATED, envelope(&charge)))
}

/// One charge.
#[utoipa::path(get, path = "/asaas/charges/{id}", tag = "payments", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChargeEnvelope), (status = 404)))]
pub async fn get_charge(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ChargeEnvelope>> {
    Ok(envelope(&charges::get(&state, &scope, id).await?))
}

/// Refreshes a charge's status from Asaas now (a POST: it may change the charge).
#[utoipa::path(post, path = "/asaas/charges/{id}/status", tag = "payments", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChargeEnvelope), (status = 404), (status = 502), (status = 503)))]
pub async fn refresh_charge(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ChargeEnvelope>> {
    Ok(envelope(&charges::refresh(&state, &scope, id).await?))
}

/// Cancels a pending or overdue charge (deletes it in Asaas); status becomes DELETED.
#[utoipa::path(delete, path = "/asaas/charges/{id}", tag = "payments", params(("id" = Uuid, Path)),
    responses((status = 200, body = ChargeEnvelope), (status = 404),
              (status = 409, description = "charge_not_cancellable")))]
pub async fn cancel_charge(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ChargeEnvelope>> {
    Ok(envelope(&charges::cancel(&state, &scope, id).await?))
}

/// Posts the payment link and Pix code into the conversation as the caller's message
/// (body optional: `{conversationId}` overrides the charge's conversation).
#[utoipa::path(post, path = "/asaas/charges/{id}/send", tag = "payments", params(("id" = Uuid, Path)),
    request_body(content = Option<SendCharge>),
    responses((status = 201, body = MessageEnvelope), (status = 404),
              (status = 409, description = "charge_not_payable"), (status = 422)))]
pub async fn send_charge(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> AppResult<impl IntoResponse> {
    let input = optional_body::<SendCharge>(&body)?;
    let message = charges::send_link(&state, &scope, id, input).await?;
    Ok((StatusCode::CREATED, axum::Json(MessageEnvelope { message })))
}

/// An optional JSON body: empty means the defaults.
fn optional_body<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> AppResult<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| AppError::Validation {
        message: e.to_string(),
        details: serde_json::json!({ "body": [e.to_string()] }),
    })
}
