//! Payment rules: Asaas settings (sealed key, webhook URL and token), the contact ↔
//! customer mapping, charges (create, refresh, cancel, send the link) and status changes
//! that never move a charge backwards because of an out-of-order event.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use providers::asaas::{
    AsaasClient, AsaasConfig, AsaasError, AsaasEvent, Document, NewCustomer, NewPayment, PRODUCTION_BASE_URL, Payment,
    PaymentStatus, PixQrCode, SANDBOX_BASE_URL, validate_cpf_cnpj,
};
use rand::RngCore;
use reqwest::StatusCode;
use sea_orm::{Set, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::{
    entity::{charge, settings, webhook_event},
    model::{
        AsaasSettingsView, ChargeList, ChargeView, CreateCharge, Environment, ListCharges, MAX_VALUE_CENTS,
        PaymentUpdate, SendCharge, UpdateAsaasSettings,
    },
    store::{self, ChargeFilter, NewChargeEvent, SettingsWrite},
};
use crate::{
    audit::{self, Entry},
    contacts::{self, entity::contact},
    error::{AppError, AppResult},
    events::{self, ChargeCreated, DomainEvent, PaymentUpdated},
    inbox::{
        self,
        model::{ContentType, MessageStatus, MessageView, SendMessage, SenderType},
    },
    jobs::{self, JobError, JobPayload},
    state::AppState,
    tenancy::{Role, Scope},
};

/// `User-Agent` sent to Asaas (mandatory for accounts created since 2024-06-13).
pub const USER_AGENT: &str = concat!("Atende/", env!("CARGO_PKG_VERSION"));

/// Local status of a charge removed in Asaas (Asaas keeps the status and sets `deleted`).
pub const DELETED: &str = "DELETED";

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

/// The Asaas host (the client appends `/v3`): `ATENDE_ASAAS_BASE_URL` when set (with or
/// without a trailing `/v3`), else the environment's.
pub fn base_url(state: &AppState, environment: Environment) -> String {
    if let Some(custom) = state.config.asaas_base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let custom = custom.trim_end_matches('/');
        return custom.strip_suffix("/v3").unwrap_or(custom).to_string();
    }
    match environment {
        Environment::Sandbox => SANDBOX_BASE_URL.to_string(),
        Environment::Production => PRODUCTION_BASE_URL.to_string(),
    }
}

/// The tenant's absolute webhook URL.
pub fn webhook_url(state: &AppState, webhook_key: &str) -> String {
    format!("{}/webhooks/asaas/{webhook_key}", state.config.public_url())
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

fn view_of(state: &AppState, row: Option<&settings::Model>) -> AppResult<AsaasSettingsView> {
    let environment = row.and_then(|r| Environment::parse(&r.environment)).unwrap_or_default();
    let webhook_token = match row {
        Some(r) => Some(open_secret(state, &r.webhook_token_sealed)?),
        None => None,
    };
    Ok(AsaasSettingsView {
        configured: row.is_some_and(|r| r.api_key_sealed.is_some()),
        environment,
        has_api_key: row.is_some_and(|r| r.api_key_sealed.is_some()),
        api_base_url: format!("{}/v3", base_url(state, environment)),
        webhook_url: row.map(|r| webhook_url(state, &r.webhook_key)),
        webhook_token,
        updated_at: row.map(|r| r.updated_at),
    })
}

fn seal(state: &AppState, secret: &str) -> AppResult<String> {
    Ok(state.master_key.credentials_cipher().encrypt(secret.as_bytes())?)
}

fn open_secret(state: &AppState, sealed: &str) -> AppResult<String> {
    let bytes = state.master_key.credentials_cipher().decrypt(sealed)?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.into()))
}

fn visible_ascii(field: &str, value: &str) -> AppResult<()> {
    if value.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(AppError::field(field, "must not contain spaces or control characters"))
    }
}

/// The tenant's Asaas settings (admins).
pub async fn settings(state: &AppState, scope: &Scope) -> AppResult<AsaasSettingsView> {
    scope.require(Role::Admin)?;
    let row = store::settings_get(&state.db, scope).await?;
    view_of(state, row.as_ref())
}

/// Saves the tenant's Asaas settings (admins). Absent fields keep their value; the
/// webhook token and URL key are generated on first save.
pub async fn update_settings(
    state: &AppState,
    scope: &Scope,
    input: UpdateAsaasSettings,
) -> AppResult<AsaasSettingsView> {
    scope.require(Role::Admin)?;
    let api_key = input.api_key.as_deref().map(str::trim);
    if let Some(key) = api_key {
        if key.is_empty() {
            return Err(AppError::field("apiKey", "must not be empty"));
        }
        visible_ascii("apiKey", key)?;
    }
    if let Some(token) = input.webhook_token.as_deref() {
        visible_ascii("webhookToken", token)?;
    }
    let current = store::settings_get(&state.db, scope).await?;
    let environment = input
        .environment
        .or_else(|| current.as_ref().and_then(|c| Environment::parse(&c.environment)))
        .unwrap_or_default();
    let api_key_sealed = match api_key {
        Some(key) => Some(seal(state, key)?),
        None => current.as_ref().and_then(|c| c.api_key_sealed.clone()),
    };
    let webhook_token_sealed = match (&input.webhook_token, &current) {
        (Some(token), _) => seal(state, token)?,
        (None, Some(c)) if !input.regenerate_webhook_token => c.webhook_token_sealed.clone(),
        _ => seal(state, &format!("whsec_{}", random_hex(24)))?,
    };
    let webhook_key = current.as_ref().map(|c| c.webhook_key.clone()).unwrap_or_else(|| random_hex(32));
    let saved = store::settings_save(
        &state.db,
        scope,
        SettingsWrite { environment: environment.as_str().into(), api_key_sealed, webhook_token_sealed, webhook_key },
    )
    .await?;
    let fields: Vec<&str> = [
        input.environment.map(|_| "environment"),
        api_key.map(|_| "apiKey"),
        input.webhook_token.as_ref().map(|_| "webhookToken"),
        input.regenerate_webhook_token.then_some("regenerateWebhookToken"),
    ]
    .into_iter()
    .flatten()
    .collect();
    audit::record(
        &state.db,
        scope,
        Entry::new("asaas.settings_updated", "tenant", scope.tenant_id)
            .details(json!({ "fields": fields, "environment": environment.as_str() })),
    )
    .await?;
    view_of(state, Some(&saved))
}

/// The webhook token of a tenant's settings, in clear (for the webhook check).
pub fn webhook_token(state: &AppState, row: &settings::Model) -> AppResult<String> {
    open_secret(state, &row.webhook_token_sealed)
}

fn not_configured() -> AppError {
    AppError::conflict(
        "asaas_not_configured",
        "Asaas is not configured for this workspace: an admin must save an API key in the Asaas settings",
    )
}

/// An Asaas client for the caller's tenant and its environment.
async fn client_for(state: &AppState, scope: &Scope) -> AppResult<(AsaasClient, Environment)> {
    let row = store::settings_get(&state.db, scope).await?.ok_or_else(not_configured)?;
    let sealed = row.api_key_sealed.as_deref().ok_or_else(not_configured)?;
    let environment = Environment::parse(&row.environment).unwrap_or_default();
    let client = AsaasClient::new(
        state.http.clone(),
        AsaasConfig {
            base_url: base_url(state, environment),
            api_key: open_secret(state, sealed)?,
            user_agent: USER_AGENT.into(),
        },
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("Asaas client: {e}")))?;
    Ok((client, environment))
}

fn same_environment(charge: &charge::Model, environment: Environment) -> AppResult<()> {
    if charge.environment == environment.as_str() {
        Ok(())
    } else {
        Err(AppError::conflict(
            "asaas_environment_changed",
            format!(
                "This charge belongs to the Asaas {} environment; the workspace now uses {}",
                charge.environment,
                environment.as_str()
            ),
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// 429 is the only retryable answer Asaas gives with this prefix (see the client's
/// `map_error`); the variant carries no status.
fn is_rate_limit(reason: &str) -> bool {
    reason.starts_with("Asaas HTTP 429")
}

/// An Asaas failure as the API reports it to a person: a readable 422 with Asaas'
/// descriptions when it refused, 503 when it rate limits, 502 when it is down.
pub fn asaas_error(error: AsaasError) -> AppError {
    tracing::warn!(error = %error, "Asaas call failed");
    let upstream = |status, code, message: String, details| AppError::Upstream {
        status,
        code,
        message,
        details,
        retry_after_secs: None,
    };
    match error {
        AsaasError::Rejected { errors, .. } => {
            let described: Vec<&str> = errors.iter().map(|e| e.description.trim()).filter(|d| !d.is_empty()).collect();
            let message =
                if described.is_empty() { "Asaas refused the request".to_string() } else { described.join("; ") };
            upstream(StatusCode::UNPROCESSABLE_ENTITY, "asaas_rejected", message, json!({ "asaasErrors": errors }))
        }
        AsaasError::NotFound { message } => upstream(
            StatusCode::UNPROCESSABLE_ENTITY,
            "asaas_not_found",
            format!("Asaas does not know this object: {message}"),
            serde_json::Value::Null,
        ),
        AsaasError::Auth { status, message } => upstream(
            StatusCode::UNPROCESSABLE_ENTITY,
            "asaas_auth_failed",
            format!("Asaas refused the API key (HTTP {status}); check the key and the environment. {message}"),
            serde_json::Value::Null,
        ),
        AsaasError::Retryable { reason, retry_after } if is_rate_limit(&reason) => AppError::Upstream {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "asaas_rate_limited",
            message: "Asaas is limiting requests right now; try again in a moment".into(),
            details: serde_json::Value::Null,
            retry_after_secs: Some(retry_after.map_or(5, |d| d.as_secs().max(1))),
        },
        AsaasError::Retryable { .. } => upstream(
            StatusCode::BAD_GATEWAY,
            "asaas_unavailable",
            "Asaas is unavailable right now; try again in a moment".into(),
            serde_json::Value::Null,
        ),
        AsaasError::Invalid(reason) => upstream(
            StatusCode::BAD_GATEWAY,
            "asaas_bad_response",
            format!("Unexpected answer from Asaas: {reason}"),
            serde_json::Value::Null,
        ),
    }
}

/// An Asaas failure inside a background job: 429/5xx retry with backoff (honouring
/// Retry-After / RateLimit-Reset), anything else is final.
fn job_error(error: AsaasError) -> JobError {
    match error {
        AsaasError::Retryable { reason, retry_after } => JobError::Retry { reason, after: retry_after },
        other => JobError::Fatal(other.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Status rules
// ---------------------------------------------------------------------------------------

/// Position in a charge's life: open (0) → confirmed (1) → received (2) → refund or
/// chargeback under way (3) → refunded or deleted (4). Anything above 0 is final for
/// out-of-order purposes.
pub fn rank(status: &str) -> u8 {
    match status {
        "CONFIRMED" => 1,
        "RECEIVED" | "RECEIVED_IN_CASH" | "DUNNING_RECEIVED" => 2,
        "REFUND_REQUESTED"
        | "REFUND_IN_PROGRESS"
        | "CHARGEBACK_REQUESTED"
        | "CHARGEBACK_DISPUTE"
        | "AWAITING_CHARGEBACK_REVERSAL" => 3,
        "REFUNDED" | DELETED => 4,
        // PENDING, OVERDUE, AWAITING_RISK_ANALYSIS, DUNNING_REQUESTED and unknown ones.
        _ => 0,
    }
}

/// Paid (settled or not).
pub fn is_paid(status: &str) -> bool {
    PaymentStatus::from(status).is_paid()
}

/// Still waiting for payment (can be cancelled, can be sent).
pub fn is_open(status: &str) -> bool {
    matches!(status, "PENDING" | "OVERDUE" | "AWAITING_RISK_ANALYSIS")
}

/// Whether a status seen at `event_at` replaces the current one set at `current_at`.
/// An older event never applies; a newer one always does (Asaas knows the real order,
/// e.g. a restored or refunded charge). Without comparable times (same second, or an
/// API snapshot), a final state is never replaced by an earlier stage.
pub fn should_apply(
    current: &str,
    current_at: Option<DateTime<Utc>>,
    new: &str,
    event_at: Option<DateTime<Utc>>,
) -> bool {
    match (current_at, event_at) {
        (Some(c), Some(e)) if e < c => false,
        (Some(c), Some(e)) if e > c => true,
        _ => rank(current) == 0 || rank(new) >= rank(current),
    }
}

/// The local status of an Asaas payment (`DELETED` once removed).
pub fn status_of(payment: &Payment) -> Option<String> {
    if payment.deleted { Some(DELETED.into()) } else { payment.status.as_ref().map(|s| s.as_str().to_string()) }
}

/// Asaas writes event times in Brasília local time without a zone. Brazil has had no
/// daylight saving since 2019, so it is UTC−3.
pub fn brasilia_to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    FixedOffset::west_opt(3 * 3600)
        .and_then(|o| o.from_local_datetime(&t).single())
        .map_or_else(|| t.and_utc(), |d| d.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------------------
// Text (pt-BR default, en)
// ---------------------------------------------------------------------------------------

/// `R$ 1.234,56` (pt-BR) or `R$ 1,234.56` (en).
pub fn format_brl(cents: i64, locale: &str) -> String {
    let (thousands, decimal) = if locale == "en" { (',', '.') } else { ('.', ',') };
    let abs = cents.unsigned_abs();
    let int = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}R$ {grouped}{decimal}{:02}", abs % 100)
}

fn paid_text(locale: &str, charge: &charge::Model) -> String {
    let value = format_brl(charge.value_cents, locale);
    if locale == "en" {
        format!("Payment received: {value} (charge {}).", charge.asaas_charge_id)
    } else {
        format!("Pagamento recebido: {value} (cobrança {}).", charge.asaas_charge_id)
    }
}

fn link_text(locale: &str, charge: &charge::Model) -> Option<String> {
    let en = locale == "en";
    let value = format_brl(charge.value_cents, locale);
    let due = if en { charge.due_date.format("%Y-%m-%d") } else { charge.due_date.format("%d/%m/%Y") };
    let what = match charge.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("{value} ({d})"),
        None => value,
    };
    let mut text =
        if en { format!("Charge of {what}, due {due}.") } else { format!("Cobrança de {what}, vencimento {due}.") };
    let mut has_way_to_pay = false;
    if let Some(url) = &charge.invoice_url {
        text.push_str(if en { "\nPay here: " } else { "\nPague pelo link: " });
        text.push_str(url);
        has_way_to_pay = true;
    }
    if let Some(pix) = &charge.pix_payload {
        text.push_str(if en { "\n\nPix copy and paste:\n" } else { "\n\nPix copia e cola:\n" });
        text.push_str(pix);
        has_way_to_pay = true;
    }
    has_way_to_pay.then_some(text)
}

// ---------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------

/// A CPF/CNPJ from the request, else from the contact's `cpfCnpj` custom attribute.
fn document_from(input: Option<&str>, contact: &contact::Model) -> AppResult<Option<Document>> {
    let from_contact = contact
        .custom_attributes
        .as_ref()
        .and_then(|a| a.get("cpfCnpj").or_else(|| a.get("cpf_cnpj")))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let (text, field) = match (input.map(str::trim).filter(|s| !s.is_empty()), from_contact) {
        (Some(t), _) => (t.to_string(), "cpfCnpj"),
        (None, Some(t)) => (t, "contact.customAttributes.cpfCnpj"),
        (None, None) => return Ok(None),
    };
    validate_cpf_cnpj(&text).map(Some).map_err(|e| AppError::field(field, format!("is not a valid CPF or CNPJ ({e})")))
}

/// Brazilian mobile in Asaas' form (area code + number) from an E.164 phone.
fn asaas_mobile(phone: Option<&str>) -> Option<String> {
    let digits: String = phone?.chars().filter(char::is_ascii_digit).collect();
    let national = digits.strip_prefix("55")?;
    (10..=11).contains(&national.len()).then(|| national.to_string())
}

/// The contact's Asaas customer id: the stored mapping, else search by CPF/CNPJ, else
/// create (Asaas allows duplicates, hence the search).
async fn ensure_customer(
    state: &AppState,
    scope: &Scope,
    client: &AsaasClient,
    environment: Environment,
    contact: &contact::Model,
    document: Option<Document>,
) -> AppResult<String> {
    let env = environment.as_str();
    if let Some(existing) = store::customer_for_contact(&state.db, scope, env, contact.id).await? {
        return Ok(existing.asaas_customer_id);
    }
    let document = document.ok_or_else(|| {
        AppError::field("cpfCnpj", "is required the first time a contact is charged (CPF or CNPJ of the payer)")
    })?;
    let customer = match client.find_customer_by_cpf_cnpj(&document).await.map_err(asaas_error)? {
        Some(found) => found,
        None => {
            let name = contact.name.trim();
            let mut new = NewCustomer::new(if name.is_empty() { "Cliente" } else { name }, &document);
            new.email = contact.email.clone();
            new.mobile_phone = asaas_mobile(contact.phone.as_deref());
            new.external_reference = Some(contact.id.to_string());
            client.create_customer(&new).await.map_err(asaas_error)?
        }
    };
    match store::customer_insert(&state.db, scope, env, contact.id, &customer.id, document.as_str()).await? {
        Some(row) => Ok(row.asaas_customer_id),
        // Another request mapped this contact meanwhile: use theirs.
        None => store::customer_for_contact(&state.db, scope, env, contact.id)
            .await?
            .map(|row| row.asaas_customer_id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("customer mapping vanished"))),
    }
}

// ---------------------------------------------------------------------------------------
// Charges
// ---------------------------------------------------------------------------------------

fn update_payload(charge: &charge::Model) -> PaymentUpdate {
    PaymentUpdate {
        charge_id: charge.id,
        status: charge.status.clone(),
        contact_id: charge.contact_id,
        conversation_id: charge.conversation_id,
    }
}

/// The `payment_update` event of a charge's new state.
fn payment_updated(scope: &Scope, charge: &charge::Model) -> DomainEvent {
    PaymentUpdated {
        tenant_id: scope.tenant_id,
        conversation_id: charge.conversation_id,
        update: update_payload(charge),
    }
    .into()
}

/// A charge of the caller's tenant, or 404.
pub async fn get(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<charge::Model> {
    store::charge_get(&state.db, scope, id).await?.ok_or(AppError::NotFound)
}

/// Charges matching the filters, newest first.
pub async fn list(state: &AppState, scope: &Scope, filter: &ListCharges) -> AppResult<ChargeList> {
    let (limit, offset) = crate::http::paging(filter.limit, filter.offset);
    let status = filter.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_uppercase);
    let (rows, total) = store::charge_list(
        &state.db,
        scope,
        ChargeFilter {
            contact_id: filter.contact_id,
            conversation_id: filter.conversation_id,
            status: status.as_deref(),
        },
        limit,
        offset,
    )
    .await?;
    Ok(ChargeList { asaas_charges: rows.iter().map(ChargeView::from).collect(), total })
}

/// Creates a charge in Asaas for a contact (creating its Asaas customer first when
/// needed), fetches the Pix code, stores it and tells everyone.
pub async fn create(state: &AppState, scope: &Scope, input: CreateCharge) -> AppResult<charge::Model> {
    let cents = input.value.cents();
    if cents <= 0 {
        return Err(AppError::field("value", "must be greater than zero"));
    }
    if cents > MAX_VALUE_CENTS {
        return Err(AppError::field("value", "must be at most 1000000000.00"));
    }
    let contact = contacts::store::get(&state.db, scope, input.contact_id).await?.ok_or(AppError::NotFound)?;
    if let Some(conversation_id) = input.conversation_id {
        let conversation = inbox::service::conversation(state, scope, conversation_id).await?;
        if conversation.contact_id != contact.id {
            return Err(AppError::field("conversationId", "belongs to another contact"));
        }
    }
    // Validated before any call to Asaas.
    let document = document_from(input.cpf_cnpj.as_deref(), &contact)?;
    let description = input.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_string);
    let (client, environment) = client_for(state, scope).await?;
    let customer_id = ensure_customer(state, scope, &client, environment, &contact, document).await?;

    // Our id goes to Asaas as externalReference, so webhooks can always find the charge.
    let charge_id = Uuid::now_v7();
    let payment = client
        .create_payment(&NewPayment {
            customer: customer_id.clone(),
            billing_type: input.billing_type.to_asaas(),
            value: input.value.0,
            due_date: input.due_date,
            description: description.clone(),
            external_reference: Some(charge_id.to_string()),
        })
        .await
        .map_err(asaas_error)?;
    // The charge exists in Asaas from here on: it is stored whatever the Pix call says.
    let mut pix: Option<PixQrCode> = None;
    let mut fetch_pix_later = false;
    if input.billing_type.has_pix() {
        match client.pix_qr_code(&payment.id).await {
            Ok(code) => pix = Some(code),
            Err(e) if e.is_retryable() => {
                tracing::info!(error = %e, "Pix code not available yet; a job will fetch it");
                fetch_pix_later = true;
            }
            Err(e) => tracing::warn!(error = %e, "Asaas gave no Pix code for this charge"),
        }
    }
    let now = Utc::now();
    let status = status_of(&payment).unwrap_or_else(|| PaymentStatus::Pending.as_str().to_string());
    let paid_at = is_paid(&status).then_some(now);
    let row = charge::Model {
        id: charge_id,
        tenant_id: scope.tenant_id,
        environment: environment.as_str().into(),
        contact_id: Some(contact.id),
        conversation_id: input.conversation_id,
        asaas_customer_id: Some(customer_id),
        asaas_charge_id: payment.id.clone(),
        billing_type: input.billing_type.as_str().into(),
        status: status.clone(),
        value_cents: cents,
        net_value_cents: payment.net_value.map(|m| m.cents()),
        due_date: payment.due_date.unwrap_or(input.due_date),
        description,
        external_reference: Some(charge_id.to_string()),
        invoice_url: payment.invoice_url.clone(),
        bank_slip_url: payment.bank_slip_url.clone(),
        pix_payload: pix.as_ref().map(|p| p.payload.clone()),
        pix_qr_image: pix.as_ref().map(|p| p.encoded_image.clone()),
        payment_date: payment.payment_date,
        status_at: None,
        paid_at,
        created_by: (!scope.is_system()).then_some(scope.user_id),
        origin: "atende".into(),
        version: 0,
        created_at: now,
        updated_at: now,
    };
    let txn = state.db.begin().await?;
    // A savepoint: a failed insert must not abort the whole transaction on PostgreSQL.
    let savepoint = txn.begin().await?;
    let inserted = store::charge_insert(&savepoint, scope, row.clone()).await?;
    if inserted.is_some() {
        savepoint.commit().await?;
    } else {
        savepoint.rollback().await?;
    }
    let saved = match inserted {
        Some(saved) => saved,
        // A webhook for this charge was processed before we got here and stored it as
        // an external charge under our id: adopt it with what we know.
        None => {
            let existing =
                store::charge_by_asaas_id(&txn, scope, environment.as_str(), &payment.id).await?.ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!("charge insert conflicted but no charge was found"))
                })?;
            store::charge_update(&txn, scope, existing, |a| {
                a.contact_id = Set(row.contact_id);
                a.conversation_id = Set(row.conversation_id);
                a.created_by = Set(row.created_by);
                a.origin = Set(row.origin.clone());
                a.description = Set(row.description.clone());
                a.pix_payload = Set(row.pix_payload.clone());
                a.pix_qr_image = Set(row.pix_qr_image.clone());
            })
            .await?
            .ok_or_else(|| AppError::Unavailable("The charge is being updated; try again".into()))?
        }
    };
    store::charge_event_insert(
        &txn,
        scope,
        NewChargeEvent {
            charge_id: saved.id,
            source: "created",
            event_type: None,
            asaas_event_id: None,
            status_before: None,
            status_after: &saved.status,
            applied: true,
            occurred_at: Some(now),
        },
    )
    .await?;
    if fetch_pix_later {
        jobs::store::enqueue(
            &txn,
            Some(scope.tenant_id),
            &JobPayload::FetchPixCode { charge_id: saved.id },
            Some(format!("pix:{}", saved.id)),
        )
        .await?;
    }
    let created = ChargeCreated {
        tenant_id: scope.tenant_id,
        user_id: saved.created_by,
        charge_id: saved.id,
        value_cents: saved.value_cents,
        conversation_id: saved.conversation_id,
        update: update_payload(&saved),
    };
    events::record(&txn, vec![created.into()]).await?;
    events::commit(txn, &state.events).await?;
    if fetch_pix_later {
        state.job_notify.notify_one();
    }
    Ok(saved)
}

/// Asks Asaas for the charge's current state and applies it.
pub async fn refresh(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<charge::Model> {
    let current = get(state, scope, id).await?;
    let (client, environment) = client_for(state, scope).await?;
    same_environment(&current, environment)?;
    let payment = client.get_payment(&current.asaas_charge_id).await.map_err(asaas_error)?;
    let Some(status) = status_of(&payment) else { return Ok(current) };
    apply(
        state,
        scope,
        current.id,
        &Change {
            source: "refresh",
            status,
            occurred_at: Some(Utc::now()),
            event_type: None,
            asaas_event_id: None,
            payment: Some(&payment),
            webhook_event_id: None,
            announce: false,
        },
    )
    .await
}

/// Cancels (deletes) an unpaid charge in Asaas.
pub async fn cancel(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<charge::Model> {
    let current = get(state, scope, id).await?;
    if !is_open(&current.status) {
        return Err(AppError::conflict(
            "charge_not_cancellable",
            format!("Only pending or overdue charges can be cancelled; this one is {}", current.status),
        ));
    }
    let (client, environment) = client_for(state, scope).await?;
    same_environment(&current, environment)?;
    match client.delete_payment(&current.asaas_charge_id).await {
        Ok(_) => {}
        // Already removed on Asaas' side (e.g. in its panel): the outcome is the same.
        Err(AsaasError::NotFound { .. }) => {}
        Err(e) => return Err(asaas_error(e)),
    }
    apply(
        state,
        scope,
        current.id,
        &Change {
            source: "cancel",
            status: DELETED.into(),
            occurred_at: Some(Utc::now()),
            event_type: None,
            asaas_event_id: None,
            payment: None,
            webhook_event_id: None,
            announce: false,
        },
    )
    .await
}

/// Posts the payment link (and the Pix code) into a conversation as the caller's agent
/// message, through the normal send path.
pub async fn send_link(state: &AppState, scope: &Scope, id: Uuid, input: SendCharge) -> AppResult<MessageView> {
    let current = get(state, scope, id).await?;
    if !is_open(&current.status) {
        return Err(AppError::conflict(
            "charge_not_payable",
            format!("Only pending or overdue charges can be sent; this one is {}", current.status),
        ));
    }
    let conversation_id = input.conversation_id.or(current.conversation_id).ok_or_else(|| {
        AppError::field("conversationId", "the charge has no conversation; say which one to post the link to")
    })?;
    let conversation = inbox::service::conversation(state, scope, conversation_id).await?;
    if current.contact_id.is_some_and(|c| c != conversation.contact_id) {
        return Err(AppError::field("conversationId", "belongs to another contact"));
    }
    let locale = crate::settings::load(&state.db, scope).await?.locale;
    let content = link_text(&locale, &current)
        .ok_or_else(|| AppError::conflict("no_payment_link", "Asaas gave this charge no payment link or Pix code"))?;
    inbox::service::send(
        state,
        scope,
        SendMessage {
            conversation_id,
            content: Some(content),
            content_type: Some(ContentType::Text),
            is_private: false,
            attachment_ids: Vec::new(),
        },
    )
    .await
}

/// The `fetch_pix_code` job: asks Asaas again for a Pix code it could not give at
/// creation (429/5xx are retried with backoff by the queue).
pub async fn fetch_pix_code(state: &AppState, tenant_id: Uuid, charge_id: Uuid) -> Result<(), JobError> {
    let scope = Scope::system(tenant_id);
    let Some(current) = store::charge_get(&state.db, &scope, charge_id).await? else { return Ok(()) };
    if current.pix_payload.is_some() || !is_open(&current.status) {
        return Ok(());
    }
    let (client, environment) = client_for(state, &scope).await?;
    if current.environment != environment.as_str() {
        return Err(JobError::Fatal("the workspace switched Asaas environment".into()));
    }
    let code = client.pix_qr_code(&current.asaas_charge_id).await.map_err(job_error)?;
    let txn = crate::db::begin_write(&state.db).await?;
    let updated = store::charge_update(&txn, &scope, current, |a| {
        a.pix_payload = Set(Some(code.payload.clone()));
        a.pix_qr_image = Set(Some(code.encoded_image.clone()));
    })
    .await?
    .ok_or_else(|| JobError::retry("charge changed while fetching its Pix code"))?;
    events::record(&txn, vec![payment_updated(&scope, &updated)]).await?;
    events::commit(txn, &state.events).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Applying status changes (webhooks, refresh, cancel)
// ---------------------------------------------------------------------------------------

/// A status seen somewhere, to apply to a charge.
struct Change<'a> {
    /// webhook | refresh | cancel
    source: &'static str,
    status: String,
    occurred_at: Option<DateTime<Utc>>,
    event_type: Option<&'a str>,
    asaas_event_id: Option<&'a str>,
    /// Fields to copy (value, due date, links…) when the change applies.
    payment: Option<&'a Payment>,
    /// Raw webhook event to mark processed in the same transaction.
    webhook_event_id: Option<Uuid>,
    /// Publish `payment_update` even if nothing changed (a charge just learnt of).
    announce: bool,
}

fn data_differs(a: &charge::Model, b: &charge::Model) -> bool {
    (&a.status, a.value_cents, a.net_value_cents, a.due_date, &a.invoice_url, &a.bank_slip_url, a.payment_date)
        != (&b.status, b.value_cents, b.net_value_cents, b.due_date, &b.invoice_url, &b.bank_slip_url, b.payment_date)
}

/// Applies a change: updates the charge unless the change is older than its state,
/// records the history, marks the webhook event processed, adds the localized SYSTEM
/// message the first time the charge is paid, all in one transaction; then publishes.
async fn apply(state: &AppState, scope: &Scope, charge_id: Uuid, change: &Change<'_>) -> AppResult<charge::Model> {
    let db = &state.db;
    // Optimistic concurrency: another event for the same charge may commit first.
    for _ in 0..5 {
        let current = get(state, scope, charge_id).await?;
        let applies = should_apply(&current.status, current.status_at, &change.status, change.occurred_at);
        let now = Utc::now();
        let became_paid = applies && is_paid(&change.status) && current.paid_at.is_none();
        let txn = db.begin().await?;
        let updated = if applies {
            let status_at = match (current.status_at, change.occurred_at) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => b.or(a),
            };
            let result = store::charge_update(&txn, scope, current.clone(), |a| {
                a.status = Set(change.status.clone());
                a.status_at = Set(status_at);
                if became_paid {
                    a.paid_at = Set(Some(now));
                }
                if let Some(p) = change.payment {
                    if let Some(value) = p.value {
                        a.value_cents = Set(value.cents());
                    }
                    if let Some(net) = p.net_value {
                        a.net_value_cents = Set(Some(net.cents()));
                    }
                    if let Some(due) = p.due_date {
                        a.due_date = Set(due);
                    }
                    if p.invoice_url.is_some() {
                        a.invoice_url = Set(p.invoice_url.clone());
                    }
                    if p.bank_slip_url.is_some() {
                        a.bank_slip_url = Set(p.bank_slip_url.clone());
                    }
                    if p.payment_date.is_some() {
                        a.payment_date = Set(p.payment_date);
                    }
                }
            })
            .await?;
            match result {
                Some(row) => row,
                None => {
                    txn.rollback().await?;
                    continue;
                }
            }
        } else {
            current.clone()
        };
        let changed = data_differs(&current, &updated);
        if change.source == "webhook" || changed {
            store::charge_event_insert(
                &txn,
                scope,
                NewChargeEvent {
                    charge_id,
                    source: change.source,
                    event_type: change.event_type,
                    asaas_event_id: change.asaas_event_id,
                    status_before: Some(&current.status),
                    status_after: &change.status,
                    applied: applies,
                    occurred_at: change.occurred_at,
                },
            )
            .await?;
        }
        let mut paid_message = None;
        if became_paid
            && let Some(conversation_id) = updated.conversation_id
            && let Some(conversation) = inbox::store::conversation_get(&txn, scope, conversation_id).await?
        {
            let locale = crate::settings::load(&txn, scope).await?.locale;
            let message = inbox::store::message_insert(
                &txn,
                scope,
                inbox::store::NewMessage {
                    conversation_id,
                    channel_id: conversation.channel_id,
                    sender_type: SenderType::System.as_str(),
                    sender_user_id: None,
                    contact_id: None,
                    content: Some(paid_text(&locale, &updated)),
                    content_type: ContentType::Text.as_str(),
                    attachments: None,
                    metadata: Some(json!({
                        "kind": "payment_received",
                        "chargeId": updated.id,
                        "asaasChargeId": updated.asaas_charge_id,
                        "value": super::model::Amount::from_cents(updated.value_cents),
                        "status": updated.status,
                    })),
                    external_id: None,
                    status: MessageStatus::Sent,
                    is_private: false,
                    at: now,
                },
            )
            .await?;
            paid_message = Some((conversation, message));
        }
        if let Some(event_id) = change.webhook_event_id {
            store::webhook_event_finish(&txn, scope, event_id, None).await?;
        }
        let mut announced = Vec::with_capacity(2);
        if changed || change.announce {
            announced.push(payment_updated(scope, &updated));
        }
        if let Some((conversation, message)) = paid_message {
            let view = inbox::views::message(&txn, scope, message).await?;
            announced.push(inbox::views::message_created(scope, &conversation, &view));
        }
        events::record(&txn, announced).await?;
        events::commit(txn, &state.events).await?;
        return Ok(updated);
    }
    Err(AppError::Unavailable("The charge is being updated by someone else; try again".into()))
}

/// Where an unknown charge (created outside Atende) belongs, from its
/// `externalReference` (an Atende charge, contact or conversation id) or its customer.
struct Link {
    id: Uuid,
    contact_id: Option<Uuid>,
    conversation_id: Option<Uuid>,
}

async fn link_unknown(state: &AppState, scope: &Scope, environment: Environment, payment: &Payment) -> AppResult<Link> {
    let db = &state.db;
    let mut link = Link { id: Uuid::now_v7(), contact_id: None, conversation_id: None };
    let reference = payment.external_reference.as_deref().and_then(|r| r.trim().parse::<Uuid>().ok());
    if let Some(reference) = reference {
        if let Some(contact) = contacts::store::get(db, scope, reference).await? {
            link.contact_id = Some(contact.id);
        } else if let Some(conversation) = inbox::store::conversation_get(db, scope, reference).await? {
            link.contact_id = Some(conversation.contact_id);
            link.conversation_id = Some(conversation.id);
        } else if store::charge_get(db, scope, reference).await?.is_none() {
            // Most likely a charge Atende is creating right now (its id is the
            // externalReference): keep the id so the creator adopts this row.
            link.id = reference;
        }
    }
    if link.contact_id.is_none()
        && let Some(customer) = payment.customer.as_deref()
        && let Some(mapped) = store::customer_by_asaas_id(db, scope, environment.as_str(), customer).await?
    {
        link.contact_id = Some(mapped.contact_id);
    }
    Ok(link)
}

/// Applies a stored Asaas webhook event (the `process_asaas_event` job). Unknown
/// charges are stored and linked when possible.
pub async fn apply_webhook(
    state: &AppState,
    scope: &Scope,
    row: &webhook_event::Model,
    event: &AsaasEvent,
) -> AppResult<()> {
    let Some(payment) = &event.payment else {
        // Not a payment event (transfers, bills…): nothing to do.
        store::webhook_event_finish(&state.db, scope, row.id, None).await?;
        return Ok(());
    };
    let settings = store::settings_get(&state.db, scope).await?.ok_or_else(not_configured)?;
    let environment = Environment::parse(&settings.environment).unwrap_or_default();
    let occurred_at = event.date_created.map(brasilia_to_utc);
    let status = status_of(payment);
    let mut existing = store::charge_by_asaas_id(&state.db, scope, environment.as_str(), &payment.id).await?;
    let learnt = existing.is_none();
    if learnt {
        existing = create_external(state, scope, environment, payment, status.as_deref(), occurred_at).await?;
    }
    let Some(current) = existing else {
        // Too little data to store a charge (no value or due date): keep the raw event.
        store::webhook_event_finish(&state.db, scope, row.id, Some("unknown charge without value or due date")).await?;
        return Ok(());
    };
    apply(
        state,
        scope,
        current.id,
        &Change {
            source: "webhook",
            status: status.unwrap_or_else(|| current.status.clone()),
            occurred_at,
            event_type: Some(event.event.as_str()),
            asaas_event_id: Some(&event.id),
            payment: Some(payment),
            webhook_event_id: Some(row.id),
            announce: learnt,
        },
    )
    .await?;
    Ok(())
}

/// Stores a charge first seen in a webhook, as it was before this event (so the event
/// itself is applied, recorded and announced like any other).
async fn create_external(
    state: &AppState,
    scope: &Scope,
    environment: Environment,
    payment: &Payment,
    status: Option<&str>,
    occurred_at: Option<DateTime<Utc>>,
) -> AppResult<Option<charge::Model>> {
    let (Some(value), Some(due_date)) = (payment.value, payment.due_date) else { return Ok(None) };
    let link = link_unknown(state, scope, environment, payment).await?;
    let now = Utc::now();
    let row = charge::Model {
        id: link.id,
        tenant_id: scope.tenant_id,
        environment: environment.as_str().into(),
        contact_id: link.contact_id,
        conversation_id: link.conversation_id,
        asaas_customer_id: payment.customer.clone(),
        asaas_charge_id: payment.id.clone(),
        billing_type: payment.billing_type.as_ref().map_or("UNDEFINED", |b| b.as_str()).to_string(),
        // Stored as not yet seen in any state; the event applies right after.
        status: status_or_pending(status),
        value_cents: value.cents(),
        net_value_cents: payment.net_value.map(|m| m.cents()),
        due_date,
        description: payment.description.clone(),
        external_reference: payment.external_reference.clone(),
        invoice_url: payment.invoice_url.clone(),
        bank_slip_url: payment.bank_slip_url.clone(),
        pix_payload: None,
        pix_qr_image: None,
        payment_date: payment.payment_date,
        status_at: occurred_at.map(|t| t - chrono::Duration::seconds(1)),
        paid_at: None,
        created_by: None,
        origin: "external".into(),
        version: 0,
        created_at: now,
        updated_at: now,
    };
    if let Some(saved) = store::charge_insert(&state.db, scope, row.clone()).await? {
        return Ok(Some(saved));
    }
    // Stored concurrently (another event, or Atende creating it): use that row.
    if let Some(existing) = store::charge_by_asaas_id(&state.db, scope, environment.as_str(), &payment.id).await? {
        return Ok(Some(existing));
    }
    // The reference was taken as the id but is used by a row of another tenant.
    Ok(store::charge_insert(&state.db, scope, charge::Model { id: Uuid::now_v7(), ..row }).await?)
}

fn status_or_pending(status: Option<&str>) -> String {
    match status {
        Some(s) if rank(s) == 0 => s.to_string(),
        _ => PaymentStatus::Pending.as_str().into(),
    }
}

/// Re-seals every tenant's Asaas API key and webhook token under a new master key
/// (`atende secrets rotate`); returns how many tenants had settings.
pub async fn reseal_all(
    db: &impl sea_orm::ConnectionTrait,
    old: &crate::crypto::CredentialCipher,
    new: &crate::crypto::CredentialCipher,
) -> anyhow::Result<usize> {
    use anyhow::Context;
    let rows = store::platform_all_sealed_settings(db).await?;
    for row in &rows {
        let reseal = |sealed: &str| -> anyhow::Result<String> {
            let clear = old.decrypt(sealed).with_context(|| {
                format!("Asaas settings of tenant {}: cannot open with the current key", row.tenant_id)
            })?;
            new.encrypt(&clear)
        };
        let api_key = row.api_key_sealed.as_deref().map(reseal).transpose()?;
        store::platform_reseal_settings(db, row.tenant_id, api_key, reseal(&row.webhook_token_sealed)?).await?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn older_events_never_apply_and_final_states_do_not_regress() {
        let received = at("2025-12-02T17:31:07Z");
        let created = at("2025-12-01T13:00:00Z");
        assert!(!should_apply("RECEIVED", received, "PENDING", created));
        assert!(should_apply("PENDING", None, "RECEIVED", received));
        assert!(should_apply("RECEIVED", received, "REFUNDED", at("2025-12-04T12:00:00Z")));
        // Same second, or no event time: a final state keeps its place.
        assert!(!should_apply("RECEIVED", received, "PENDING", received));
        assert!(!should_apply("RECEIVED", None, "PENDING", None));
        assert!(should_apply("CONFIRMED", received, "RECEIVED", received));
        assert!(should_apply("PENDING", None, "OVERDUE", None));
        // A newer restore brings a deleted charge back.
        assert!(should_apply(DELETED, created, "PENDING", received));
    }

    #[test]
    fn brasilia_times_become_utc() {
        let t = NaiveDateTime::parse_from_str("2024-06-12 16:45:03", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(brasilia_to_utc(t).to_rfc3339(), "2024-06-12T19:45:03+00:00");
    }

    #[test]
    fn brl_is_formatted_per_locale() {
        assert_eq!(format_brl(123_456_789, "pt-BR"), "R$ 1.234.567,89");
        assert_eq!(format_brl(123_456_789, "en"), "R$ 1,234,567.89");
        assert_eq!(format_brl(30, "pt-BR"), "R$ 0,30");
        assert_eq!(format_brl(100_000, "pt-BR"), "R$ 1.000,00");
    }

    #[test]
    fn mobile_phones_lose_the_country_code() {
        assert_eq!(asaas_mobile(Some("+5511987654321")).as_deref(), Some("11987654321"));
        assert_eq!(asaas_mobile(Some("+14155550100")), None);
        assert_eq!(asaas_mobile(None), None);
    }
}
