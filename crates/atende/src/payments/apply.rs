//! Applying status changes seen in webhooks, refreshes and cancellations: never moving
//! a charge backwards because of an out-of-order event, recording the history, posting
//! the "payment received" note once, and storing charges first seen in a webhook.

use chrono::{DateTime, Utc};
use providers::asaas::{AsaasEvent, Payment, PaymentStatus};
use sea_orm::{DatabaseTransaction, Set};
use serde_json::json;
use uuid::Uuid;

use super::{
    account::not_configured,
    charges::{get, payment_updated},
    entity::{charge, webhook_event},
    model::Environment,
    status::{brasilia_to_utc, is_paid, rank, should_apply, status_of},
    store::{self, NewChargeEvent},
    text::paid_text,
};
use crate::{
    contacts,
    error::{AppError, AppResult},
    inbox::{
        self,
        entity::{conversation, message},
        model::{ContentType, MessageStatus, SenderType},
    },
    state::AppState,
    tenancy::Scope,
};

/// A status seen somewhere, to apply to a charge.
pub(super) struct Change<'a> {
    /// webhook | refresh | cancel
    pub(super) source: &'static str,
    pub(super) status: String,
    pub(super) occurred_at: Option<DateTime<Utc>>,
    pub(super) event_type: Option<&'a str>,
    pub(super) asaas_event_id: Option<&'a str>,
    /// Fields to copy (value, due date, links…) when the change applies.
    pub(super) payment: Option<&'a Payment>,
    /// Raw webhook event to mark processed in the same transaction.
    pub(super) webhook_event_id: Option<Uuid>,
    /// Publish `payment_update` even if nothing changed (a charge just learnt of).
    pub(super) announce: bool,
}

fn data_differs(a: &charge::Model, b: &charge::Model) -> bool {
    (&a.status, a.value_cents, a.net_value_cents, a.due_date, &a.invoice_url, &a.bank_slip_url, a.payment_date)
        != (&b.status, b.value_cents, b.net_value_cents, b.due_date, &b.invoice_url, &b.bank_slip_url, b.payment_date)
}

/// Applies a change: updates the charge unless the change is older than its state,
/// records the history, marks the webhook event processed, adds the localized SYSTEM
/// message the first time the charge is paid, all in one transaction; then publishes.
pub(super) async fn apply(
    state: &AppState,
    scope: &Scope,
    charge_id: Uuid,
    change: &Change<'_>,
) -> AppResult<charge::Model> {
    // Optimistic concurrency: another event for the same charge may commit first.
    for _ in 0..5 {
        if let Some(updated) = apply_once(state, scope, charge_id, change).await? {
            return Ok(updated);
        }
    }
    Err(AppError::Unavailable("The charge is being updated by someone else; try again".into()))
}

/// One attempt of `apply`; `None` when another writer changed the charge since it was
/// read (the transaction is rolled back and nothing is published).
async fn apply_once(
    state: &AppState,
    scope: &Scope,
    charge_id: Uuid,
    change: &Change<'_>,
) -> AppResult<Option<charge::Model>> {
    let current = get(state, scope, charge_id).await?;
    let applies = should_apply(&current.status, current.status_at, &change.status, change.occurred_at);
    let now = Utc::now();
    let became_paid = applies && is_paid(&change.status) && current.paid_at.is_none();
    let txn = crate::db::begin_write(&state.db).await?;
    let updated = if applies {
        match update_charge(&txn, scope, &current, change, became_paid, now).await? {
            Some(row) => row,
            None => {
                txn.rollback().await?;
                return Ok(None);
            }
        }
    } else {
        current.clone()
    };
    let changed = data_differs(&current, &updated);
    if change.source == "webhook" || changed {
        record_history(&txn, scope, charge_id, change, &current, applies).await?;
    }
    let paid_message = if became_paid { insert_paid_message(&txn, scope, &updated, now).await? } else { None };
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
    crate::events::record(&txn, announced).await?;
    crate::events::commit(txn, &state.events).await?;
    Ok(Some(updated))
}

/// Saves the new status (and the payment's fields) if nobody changed the charge since
/// `current` was read; `None` when someone did.
async fn update_charge(
    txn: &DatabaseTransaction,
    scope: &Scope,
    current: &charge::Model,
    change: &Change<'_>,
    became_paid: bool,
    now: DateTime<Utc>,
) -> AppResult<Option<charge::Model>> {
    let status_at = match (current.status_at, change.occurred_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => b.or(a),
    };
    Ok(store::charge_update(txn, scope, current.clone(), |a| {
        a.status = Set(change.status.clone());
        a.status_at = Set(status_at);
        if became_paid {
            a.paid_at = Set(Some(now));
        }
        if let Some(p) = change.payment {
            copy_payment(a, p);
        }
    })
    .await?)
}

/// Copies what Asaas says about the payment (value, net value, due date, links,
/// payment date) onto the charge; absent fields keep their value.
fn copy_payment(a: &mut charge::ActiveModel, p: &Payment) {
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

/// Adds the change to the charge's history.
async fn record_history(
    txn: &DatabaseTransaction,
    scope: &Scope,
    charge_id: Uuid,
    change: &Change<'_>,
    current: &charge::Model,
    applies: bool,
) -> AppResult<()> {
    store::charge_event_insert(
        txn,
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
    Ok(())
}

/// The localized SYSTEM message "payment received" in the charge's conversation (when
/// it has one), to publish after commit.
async fn insert_paid_message(
    txn: &DatabaseTransaction,
    scope: &Scope,
    updated: &charge::Model,
    now: DateTime<Utc>,
) -> AppResult<Option<(conversation::Model, message::Model)>> {
    let Some(conversation_id) = updated.conversation_id else { return Ok(None) };
    let Some(conversation) = inbox::store::conversation_get(txn, scope, conversation_id).await? else {
        return Ok(None);
    };
    let locale = crate::settings::load(txn, scope).await?.locale;
    let message = inbox::store::message_insert(
        txn,
        scope,
        inbox::store::NewMessage {
            conversation_id,
            channel_id: conversation.channel_id,
            sender_type: SenderType::System.as_str(),
            sender_user_id: None,
            contact_id: None,
            content: Some(paid_text(&locale, updated)),
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
    Ok(Some((conversation, message)))
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
