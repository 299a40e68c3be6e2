//! `asaas_settings`, `asaas_customers`, `asaas_charges`, `asaas_charge_events` and
//! `asaas_webhook_events` tables.

/// Per-tenant Asaas configuration (one row per tenant).
pub mod settings {
    use sea_orm::entity::prelude::*;

    /// A tenant's Asaas settings; secrets are sealed, never stored in clear.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "asaas_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        /// sandbox | production
        pub environment: String,
        /// AES-GCM sealed API key (`$aact_…`).
        pub api_key_sealed: Option<String>,
        /// AES-GCM sealed `asaas-access-token` the webhook must carry.
        pub webhook_token_sealed: String,
        /// Random path segment of the tenant's webhook URL.
        pub webhook_key: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Contact ↔ Asaas customer.
pub mod customer {
    use sea_orm::entity::prelude::*;

    /// The Asaas customer (`cus_…`) of a contact in one environment.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "asaas_customers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub environment: String,
        pub contact_id: Uuid,
        pub asaas_customer_id: String,
        /// Bare CPF/CNPJ the customer was found or created with.
        pub cpf_cnpj: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Charges ("cobranças").
pub mod charge {
    use sea_orm::entity::prelude::*;

    /// A charge as Atende knows it. Money is integer cents.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "asaas_charges")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub environment: String,
        /// Empty for charges created outside Atende that could not be linked.
        pub contact_id: Option<Uuid>,
        pub conversation_id: Option<Uuid>,
        pub asaas_customer_id: Option<String>,
        /// `pay_…`.
        pub asaas_charge_id: String,
        pub billing_type: String,
        /// An Asaas status, or `DELETED` once removed.
        pub status: String,
        pub value_cents: i64,
        pub net_value_cents: Option<i64>,
        pub due_date: Date,
        pub description: Option<String>,
        pub external_reference: Option<String>,
        pub invoice_url: Option<String>,
        pub bank_slip_url: Option<String>,
        /// Pix "copia e cola" code.
        pub pix_payload: Option<String>,
        /// Base64 PNG of the Pix QR code.
        pub pix_qr_image: Option<String>,
        pub payment_date: Option<Date>,
        /// When the event that set `status` happened (None: from an API snapshot).
        pub status_at: Option<DateTimeUtc>,
        /// When Atende first saw the charge paid.
        pub paid_at: Option<DateTimeUtc>,
        pub created_by: Option<Uuid>,
        /// atende | external
        pub origin: String,
        /// Bumped on every update (optimistic concurrency).
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// History of a charge.
pub mod charge_event {
    use sea_orm::entity::prelude::*;

    /// One change (or refused out-of-order event) of a charge.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "asaas_charge_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub charge_id: Uuid,
        /// created | webhook | refresh | cancel
        pub source: String,
        /// Asaas event type (`PAYMENT_RECEIVED`) for webhooks.
        pub event_type: Option<String>,
        pub asaas_event_id: Option<String>,
        pub status_before: Option<String>,
        pub status_after: String,
        /// False when the event was older than the charge's state and left it alone.
        pub applied: bool,
        pub occurred_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Raw Asaas webhook deliveries.
pub mod webhook_event {
    use sea_orm::entity::prelude::*;

    /// One delivery, stored before it is acknowledged.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "asaas_webhook_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// Asaas event id (`evt_…&368604920`): the dedupe key within the tenant.
        pub event_id: String,
        pub event_type: String,
        pub asaas_charge_id: Option<String>,
        pub payload: String,
        /// received | processed | failed
        pub status: String,
        pub error: Option<String>,
        pub received_at: DateTimeUtc,
        pub processed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
