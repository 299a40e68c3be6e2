//! SQL for Asaas settings, customers, charges, charge history and raw webhook events.
//! Tenant functions take the `Scope`; webhook routing and jobs use the `platform_`
//! lookups (the tenant comes from the settings or event row, never the payload).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::entity::{charge, charge_event, customer, settings, webhook_event};
use crate::tenancy::Scope;

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

// ---- settings ----

/// The caller's tenant settings, when saved.
pub async fn settings_get(db: &impl ConnectionTrait, scope: &Scope) -> Result<Option<settings::Model>, DbErr> {
    settings::Entity::find_by_id(scope.tenant_id).one(db).await
}

/// Settings fields to save (secrets already sealed).
pub struct SettingsWrite {
    pub environment: String,
    pub api_key_sealed: Option<String>,
    pub webhook_token_sealed: String,
    pub webhook_key: String,
}

/// Inserts or replaces the caller's tenant settings.
pub async fn settings_save(
    db: &impl ConnectionTrait,
    scope: &Scope,
    write: SettingsWrite,
) -> Result<settings::Model, DbErr> {
    let now = Utc::now();
    match settings_get(db, scope).await? {
        Some(current) => {
            let mut active = current.into_active_model();
            active.environment = Set(write.environment);
            active.api_key_sealed = Set(write.api_key_sealed);
            active.webhook_token_sealed = Set(write.webhook_token_sealed);
            active.webhook_key = Set(write.webhook_key);
            active.updated_at = Set(now);
            active.update(db).await
        }
        None => {
            settings::ActiveModel {
                tenant_id: Set(scope.tenant_id),
                environment: Set(write.environment),
                api_key_sealed: Set(write.api_key_sealed),
                webhook_token_sealed: Set(write.webhook_token_sealed),
                webhook_key: Set(write.webhook_key),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await
        }
    }
}

/// Settings by webhook path key, whatever the tenant (webhook routing).
pub async fn platform_settings_by_webhook_key(
    db: &impl ConnectionTrait,
    webhook_key: &str,
) -> Result<Option<settings::Model>, DbErr> {
    settings::Entity::find().filter(settings::Column::WebhookKey.eq(webhook_key)).one(db).await
}

// ---- customers ----

/// A contact's Asaas customer in an environment.
pub async fn customer_for_contact(
    db: &impl ConnectionTrait,
    scope: &Scope,
    environment: &str,
    contact_id: Uuid,
) -> Result<Option<customer::Model>, DbErr> {
    customer::Entity::find()
        .filter(customer::Column::TenantId.eq(scope.tenant_id))
        .filter(customer::Column::Environment.eq(environment))
        .filter(customer::Column::ContactId.eq(contact_id))
        .one(db)
        .await
}

/// The first contact mapped to an Asaas customer id.
pub async fn customer_by_asaas_id(
    db: &impl ConnectionTrait,
    scope: &Scope,
    environment: &str,
    asaas_customer_id: &str,
) -> Result<Option<customer::Model>, DbErr> {
    customer::Entity::find()
        .filter(customer::Column::TenantId.eq(scope.tenant_id))
        .filter(customer::Column::Environment.eq(environment))
        .filter(customer::Column::AsaasCustomerId.eq(asaas_customer_id))
        .order_by_asc(customer::Column::CreatedAt)
        .one(db)
        .await
}

/// Maps a contact to a customer; `None` when the contact got one concurrently.
pub async fn customer_insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    environment: &str,
    contact_id: Uuid,
    asaas_customer_id: &str,
    cpf_cnpj: &str,
) -> Result<Option<customer::Model>, DbErr> {
    let result = customer::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        environment: Set(environment.into()),
        contact_id: Set(contact_id),
        asaas_customer_id: Set(asaas_customer_id.into()),
        cpf_cnpj: Set(cpf_cnpj.into()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await;
    match result {
        Ok(row) => Ok(Some(row)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

// ---- charges ----

/// Inserts a charge built by the service (the model carries the scope's tenant).
pub async fn charge_insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    mut row: charge::Model,
) -> Result<Option<charge::Model>, DbErr> {
    row.tenant_id = scope.tenant_id;
    // `into_active_model` marks every column Unchanged; an insert needs them Set.
    match row.into_active_model().reset_all().insert(db).await {
        Ok(row) => Ok(Some(row)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A charge of the caller's tenant.
pub async fn charge_get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<charge::Model>, DbErr> {
    charge::Entity::find_by_id(id).filter(charge::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// A charge by its Asaas id in an environment.
pub async fn charge_by_asaas_id(
    db: &impl ConnectionTrait,
    scope: &Scope,
    environment: &str,
    asaas_charge_id: &str,
) -> Result<Option<charge::Model>, DbErr> {
    charge::Entity::find()
        .filter(charge::Column::TenantId.eq(scope.tenant_id))
        .filter(charge::Column::Environment.eq(environment))
        .filter(charge::Column::AsaasChargeId.eq(asaas_charge_id))
        .one(db)
        .await
}

/// Filters of a charge listing.
pub struct ChargeFilter<'a> {
    pub contact_id: Option<Uuid>,
    pub conversation_id: Option<Uuid>,
    pub status: Option<&'a str>,
}

/// Charges matching the filters, newest first, and their total.
pub async fn charge_list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: ChargeFilter<'_>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<charge::Model>, u64), DbErr> {
    let mut query = charge::Entity::find().filter(charge::Column::TenantId.eq(scope.tenant_id));
    if let Some(contact_id) = filter.contact_id {
        query = query.filter(charge::Column::ContactId.eq(contact_id));
    }
    if let Some(conversation_id) = filter.conversation_id {
        query = query.filter(charge::Column::ConversationId.eq(conversation_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(charge::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(charge::Column::CreatedAt)
        .order_by_desc(charge::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Saves changes to a charge only if nobody changed it since it was read (same
/// `version`); `None` when someone did (reload and decide again).
pub async fn charge_update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: charge::Model,
    apply: impl FnOnce(&mut charge::ActiveModel),
) -> Result<Option<charge::Model>, DbErr> {
    let version = current.version;
    let mut active = current.into_active_model();
    apply(&mut active);
    active.version = Set(version + 1);
    active.updated_at = Set(Utc::now());
    let result = charge::Entity::update(active)
        .validate()?
        .filter(charge::Column::TenantId.eq(scope.tenant_id))
        .filter(charge::Column::Version.eq(version))
        .exec(db)
        .await;
    match result {
        Ok(row) => Ok(Some(row)),
        Err(DbErr::RecordNotUpdated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One history entry.
pub struct NewChargeEvent<'a> {
    pub charge_id: Uuid,
    pub source: &'a str,
    pub event_type: Option<&'a str>,
    pub asaas_event_id: Option<&'a str>,
    pub status_before: Option<&'a str>,
    pub status_after: &'a str,
    pub applied: bool,
    pub occurred_at: Option<DateTime<Utc>>,
}

/// Appends to a charge's history.
pub async fn charge_event_insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewChargeEvent<'_>,
) -> Result<charge_event::Model, DbErr> {
    charge_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        charge_id: Set(new.charge_id),
        source: Set(new.source.into()),
        event_type: Set(new.event_type.map(Into::into)),
        asaas_event_id: Set(new.asaas_event_id.map(Into::into)),
        status_before: Set(new.status_before.map(Into::into)),
        status_after: Set(new.status_after.into()),
        applied: Set(new.applied),
        occurred_at: Set(new.occurred_at),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// A charge's history, oldest first.
pub async fn charge_events(
    db: &impl ConnectionTrait,
    scope: &Scope,
    charge_id: Uuid,
) -> Result<Vec<charge_event::Model>, DbErr> {
    charge_event::Entity::find()
        .filter(charge_event::Column::TenantId.eq(scope.tenant_id))
        .filter(charge_event::Column::ChargeId.eq(charge_id))
        .order_by_asc(charge_event::Column::CreatedAt)
        .order_by_asc(charge_event::Column::Id)
        .all(db)
        .await
}

// ---- raw webhook events ----

/// Fields of a received delivery.
pub struct NewWebhookEvent {
    pub tenant_id: Uuid,
    pub event_id: String,
    pub event_type: String,
    pub asaas_charge_id: Option<String>,
    pub payload: String,
}

/// Stores a delivery; `None` when the same Asaas event id was stored before for the
/// tenant.
pub async fn platform_webhook_event_insert(
    db: &impl ConnectionTrait,
    new: NewWebhookEvent,
) -> Result<Option<webhook_event::Model>, DbErr> {
    let result = webhook_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(new.tenant_id),
        event_id: Set(new.event_id),
        event_type: Set(new.event_type),
        asaas_charge_id: Set(new.asaas_charge_id),
        payload: Set(new.payload),
        status: Set("received".into()),
        error: Set(None),
        received_at: Set(Utc::now()),
        processed_at: Set(None),
    }
    .insert(db)
    .await;
    match result {
        Ok(row) => Ok(Some(row)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A stored delivery by id (jobs carry no Scope; the row names its tenant).
pub async fn platform_webhook_event_get(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<webhook_event::Model>, DbErr> {
    webhook_event::Entity::find_by_id(id).one(db).await
}

/// Records the outcome of processing a delivery of the caller's tenant.
pub async fn webhook_event_finish(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    error: Option<&str>,
) -> Result<(), DbErr> {
    webhook_event::Entity::update_many()
        .col_expr(webhook_event::Column::Status, Expr::value(if error.is_some() { "failed" } else { "processed" }))
        .col_expr(webhook_event::Column::Error, Expr::value(error.map(str::to_string)))
        .col_expr(webhook_event::Column::ProcessedAt, Expr::value(Utc::now()))
        .filter(webhook_event::Column::TenantId.eq(scope.tenant_id))
        .filter(webhook_event::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Every tenant's sealed Asaas secrets (`secrets rotate`, across tenants).
pub async fn platform_all_sealed_settings(db: &impl ConnectionTrait) -> Result<Vec<settings::Model>, DbErr> {
    settings::Entity::find().all(db).await
}

/// Stores re-sealed Asaas secrets of one tenant (`secrets rotate`).
pub async fn platform_reseal_settings(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    api_key_sealed: Option<String>,
    webhook_token_sealed: String,
) -> Result<(), DbErr> {
    settings::Entity::update_many()
        .col_expr(settings::Column::ApiKeySealed, sea_orm::sea_query::Expr::value(api_key_sealed))
        .col_expr(settings::Column::WebhookTokenSealed, sea_orm::sea_query::Expr::value(webhook_token_sealed))
        .filter(settings::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    Ok(())
}
