//! Charges: read and list them, create one in Asaas for a contact (customer first,
//! then the payment and its Pix code, stored and announced), refresh, cancel, send the
//! link into a conversation, and the job that fetches a late Pix code.

use chrono::{DateTime, Utc};
use providers::asaas::{AsaasClient, AsaasError, NewPayment, Payment, PaymentStatus, PixQrCode};
use sea_orm::{DatabaseTransaction, Set, TransactionTrait};
use uuid::Uuid;

use super::{
    account::{client_for, same_environment},
    apply::{Change, apply},
    customers::{document_from, ensure_customer},
    entity::charge,
    errors::{asaas_error, job_error},
    model::{
        ChargeList, ChargeView, CreateCharge, Environment, ListCharges, MAX_VALUE_CENTS, PaymentUpdate, SendCharge,
    },
    status::{DELETED, is_open, is_paid, status_of},
    store::{self, ChargeFilter, NewChargeEvent},
    text::link_text,
};
use crate::{
    contacts::{self, entity::contact},
    error::{AppError, AppResult},
    events::{self, ChargeCreated, DomainEvent, PaymentUpdated},
    inbox::{
        self,
        model::{ContentType, MessageView, SendMessage},
    },
    jobs::{self, JobError, JobPayload},
    state::AppState,
    tenancy::Scope,
};

fn update_payload(charge: &charge::Model) -> PaymentUpdate {
    PaymentUpdate {
        charge_id: charge.id,
        status: charge.status.clone(),
        contact_id: charge.contact_id,
        conversation_id: charge.conversation_id,
    }
}

/// The `payment_update` event of a charge's new state (recorded in the change's
/// transaction).
pub(super) fn payment_updated(scope: &Scope, charge: &charge::Model) -> DomainEvent {
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
    let contact = checked_contact(state, scope, &input).await?;
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
    let (pix, fetch_pix_later) = pix_at_creation(&client, &input, &payment).await;
    let now = Utc::now();
    let created = Created { charge_id, environment, contact: &contact, customer_id, description, pix, now };
    let row = created_row(scope, &input, &payment, created);
    let saved = store_created(state, scope, environment, row, &payment, fetch_pix_later, now).await?;
    if fetch_pix_later {
        state.job_notify.notify_one();
    }
    Ok(saved)
}

/// Checks the value, loads the contact and checks the conversation is the contact's.
async fn checked_contact(state: &AppState, scope: &Scope, input: &CreateCharge) -> AppResult<contact::Model> {
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
    Ok(contact)
}

/// The Pix code of a just-created payment when its billing type has Pix, and whether a
/// job must fetch it later (Asaas answered 429/5xx).
async fn pix_at_creation(client: &AsaasClient, input: &CreateCharge, payment: &Payment) -> (Option<PixQrCode>, bool) {
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
    (pix, fetch_pix_later)
}

/// What `create` learnt before storing the charge.
struct Created<'a> {
    charge_id: Uuid,
    environment: Environment,
    contact: &'a contact::Model,
    customer_id: String,
    description: Option<String>,
    pix: Option<PixQrCode>,
    now: DateTime<Utc>,
}

/// The row of a charge Atende just created in Asaas.
fn created_row(scope: &Scope, input: &CreateCharge, payment: &Payment, created: Created<'_>) -> charge::Model {
    let Created { charge_id, environment, contact, customer_id, description, pix, now } = created;
    let status = status_of(payment).unwrap_or_else(|| PaymentStatus::Pending.as_str().to_string());
    let paid_at = is_paid(&status).then_some(now);
    charge::Model {
        id: charge_id,
        tenant_id: scope.tenant_id,
        environment: environment.as_str().into(),
        contact_id: Some(contact.id),
        conversation_id: input.conversation_id,
        asaas_customer_id: Some(customer_id),
        asaas_charge_id: payment.id.clone(),
        billing_type: input.billing_type.as_str().into(),
        status: status.clone(),
        value_cents: input.value.cents(),
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
    }
}

/// Stores a created charge (or adopts the row a webhook stored first), records its
/// history and enqueues the Pix job when needed, in one transaction.
async fn store_created(
    state: &AppState,
    scope: &Scope,
    environment: Environment,
    row: charge::Model,
    payment: &Payment,
    fetch_pix_later: bool,
    now: DateTime<Utc>,
) -> AppResult<charge::Model> {
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = insert_or_adopt(&txn, scope, environment, row, payment).await?;
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
        jobs::enqueue(
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
    Ok(saved)
}

/// Inserts the row; when a webhook for this charge was processed first and stored it as
/// an external charge under our id, adopts that row with what we know.
async fn insert_or_adopt(
    txn: &DatabaseTransaction,
    scope: &Scope,
    environment: Environment,
    row: charge::Model,
    payment: &Payment,
) -> AppResult<charge::Model> {
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
                store::charge_by_asaas_id(txn, scope, environment.as_str(), &payment.id).await?.ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!("charge insert conflicted but no charge was found"))
                })?;
            store::charge_update(txn, scope, existing, |a| {
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

/// Cancels (deletes) an unpaid charge in Asaas (managers and admins; audited with who
/// did it).
pub async fn cancel(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<charge::Model> {
    let current = get(state, scope, id).await?;
    scope.require(crate::tenancy::Role::Manager)?;
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
    let cancelled = apply(
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
    .await?;
    crate::audit::record(
        &state.db,
        scope,
        crate::audit::Entry::new("charge.cancelled", "charge", current.id)
            .details(serde_json::json!({ "asaasChargeId": current.asaas_charge_id, "status": current.status })),
    )
    .await?;
    Ok(cancelled)
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
