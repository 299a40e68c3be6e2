//! Payments (Asaas): per-tenant settings, contact ↔ Asaas customer mapping, charges,
//! charge history and raw Asaas webhook deliveries. Money is integer cents (`*_cents`),
//! never a float.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_foundation::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per tenant. The API key and webhook token are AES-GCM sealed (base64).
        // `webhook_key` is the random path segment of the tenant's webhook URL.
        manager
            .create_table(
                Table::create()
                    .table("asaas_settings")
                    .if_not_exists()
                    .col(pk_uuid("tenant_id"))
                    .col(string_len("environment", 16))
                    .col(text_null("api_key_sealed"))
                    .col(text("webhook_token_sealed"))
                    .col(string_len("webhook_key", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("asaas_settings", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        // Webhook routing resolves the tenant from this key (the tenant is what it finds,
        // so it cannot lead the index; the same holds for a channel's id in its URL).
        manager.create_index(index("ux_asaas_settings_webhook_key", "asaas_settings", &["webhook_key"], true)).await?;

        // A contact's Asaas customer, one per tenant, environment and contact (sandbox and
        // production customers are different objects).
        manager
            .create_table(
                Table::create()
                    .table("asaas_customers")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("environment", 16))
                    .col(uuid("contact_id"))
                    .col(string_len("asaas_customer_id", 64))
                    .col(string_len("cpf_cnpj", 14))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("asaas_customers", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("asaas_customers", "contact_id", "contacts"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_asaas_customers_contact",
                "asaas_customers",
                &["tenant_id", "environment", "contact_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_asaas_customers_customer",
                "asaas_customers",
                &["tenant_id", "environment", "asaas_customer_id"],
                false,
            ))
            .await?;

        // Charges. `contact_id` is empty only for charges created outside Atende that could
        // not be linked. `status_at` is the time of the event that set `status` (Asaas
        // events can arrive out of order); `version` guards concurrent updates.
        manager
            .create_table(
                Table::create()
                    .table("asaas_charges")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("environment", 16))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("conversation_id"))
                    .col(string_len_null("asaas_customer_id", 64))
                    .col(string_len("asaas_charge_id", 64))
                    .col(string_len("billing_type", 20))
                    .col(string_len("status", 40))
                    .col(big_integer("value_cents"))
                    .col(big_integer_null("net_value_cents"))
                    .col(date("due_date"))
                    .col(string_len_null("description", 500))
                    .col(string_len_null("external_reference", 200))
                    .col(text_null("invoice_url"))
                    .col(text_null("bank_slip_url"))
                    .col(text_null("pix_payload"))
                    .col(text_null("pix_qr_image"))
                    .col(date_null("payment_date"))
                    .col(timestamp_with_time_zone_null("status_at"))
                    .col(timestamp_with_time_zone_null("paid_at"))
                    .col(uuid_null("created_by"))
                    .col(string_len("origin", 16))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("asaas_charges", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_asaas_charges_asaas_id",
                "asaas_charges",
                &["tenant_id", "environment", "asaas_charge_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_asaas_charges_contact",
                "asaas_charges",
                &["tenant_id", "contact_id", "created_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_asaas_charges_conversation",
                "asaas_charges",
                &["tenant_id", "conversation_id", "created_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_asaas_charges_status",
                "asaas_charges",
                &["tenant_id", "status", "created_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index("ix_asaas_charges_created", "asaas_charges", &["tenant_id", "created_at"], false))
            .await?;

        // Every status change or refused out-of-order event of a charge.
        manager
            .create_table(
                Table::create()
                    .table("asaas_charge_events")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("charge_id"))
                    .col(string_len("source", 16))
                    .col(string_len_null("event_type", 60))
                    .col(string_len_null("asaas_event_id", 200))
                    .col(string_len_null("status_before", 40))
                    .col(string_len("status_after", 40))
                    .col(boolean("applied"))
                    .col(timestamp_with_time_zone_null("occurred_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("asaas_charge_events", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("asaas_charge_events", "charge_id", "asaas_charges"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_asaas_charge_events_charge",
                "asaas_charge_events",
                &["tenant_id", "charge_id", "created_at"],
                false,
            ))
            .await?;

        // Raw Asaas webhook deliveries, stored before the 200; unique by Asaas event id
        // per tenant (at-least-once delivery).
        manager
            .create_table(
                Table::create()
                    .table("asaas_webhook_events")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("event_id", 200))
                    .col(string_len("event_type", 60))
                    .col(string_len_null("asaas_charge_id", 64))
                    .col(text("payload"))
                    .col(string_len("status", 16))
                    .col(text_null("error"))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(timestamp_with_time_zone_null("processed_at"))
                    .foreign_key(&mut fk("asaas_webhook_events", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_asaas_webhook_events_event",
                "asaas_webhook_events",
                &["tenant_id", "event_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_asaas_webhook_events_received",
                "asaas_webhook_events",
                &["tenant_id", "received_at"],
                false,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            ["asaas_webhook_events", "asaas_charge_events", "asaas_charges", "asaas_customers", "asaas_settings"]
        {
            manager.drop_table(Table::drop().table(table).if_exists().take()).await?;
        }
        Ok(())
    }
}
