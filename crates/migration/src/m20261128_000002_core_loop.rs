//! Core loop: channels, contacts (with channel identities and notes), conversations,
//! messages, read markers, raw webhook events, durable jobs, attachments, canned responses.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_foundation::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Credentials and webhook secret are AES-GCM sealed (base64), never plain text.
        manager
            .create_table(
                Table::create()
                    .table("channels")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("channel_type", 32))
                    .col(string_len("name", 120))
                    .col(string_len_null("account_id", 200))
                    .col(text_null("credentials_sealed"))
                    .col(text("webhook_secret_sealed"))
                    .col(text_null("callback_url"))
                    .col(json_null("settings"))
                    .col(boolean("enabled"))
                    .col(string_len("connection_status", 32))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("channels", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_channels_tenant_type", "channels", &["tenant_id", "channel_type"], false))
            .await?;
        manager
            .create_index(index("ix_channels_type_account", "channels", &["channel_type", "account_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("contacts")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("name", 200))
                    .col(string_len_null("email", 254))
                    .col(string_len_null("phone", 32))
                    .col(string_len("lead_status", 20))
                    .col(uuid_null("source_channel_id"))
                    .col(json_null("custom_attributes"))
                    .col(timestamp_with_time_zone("first_seen_at"))
                    .col(timestamp_with_time_zone("last_activity_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("contacts", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_contacts_tenant_activity", "contacts", &["tenant_id", "last_activity_at"], false))
            .await?;
        manager.create_index(index("ix_contacts_tenant_phone", "contacts", &["tenant_id", "phone"], false)).await?;
        manager.create_index(index("ix_contacts_tenant_email", "contacts", &["tenant_id", "email"], false)).await?;

        // How a contact is known on a channel. `scope` is "" for identifiers that are global
        // in a tenant (phone, WhatsApp number, email) and the channel id for ones a provider
        // scopes to an account (Messenger PSID, Instagram IGSID, API identifiers).
        manager
            .create_table(
                Table::create()
                    .table("contact_identities")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("contact_id"))
                    .col(string_len("kind", 20))
                    .col(string_len("scope", 40))
                    .col(string_len("value", 200))
                    .col(uuid_null("channel_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("contact_identities", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("contact_identities", "contact_id", "contacts"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_contact_identities_key",
                "contact_identities",
                &["tenant_id", "kind", "scope", "value"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_contact_identities_contact",
                "contact_identities",
                &["tenant_id", "contact_id"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("contact_notes")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("contact_id"))
                    .col(uuid_null("author_id"))
                    .col(text("content"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("contact_notes", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("contact_notes", "contact_id", "contacts"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_contact_notes_contact",
                "contact_notes",
                &["tenant_id", "contact_id", "created_at"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("conversations")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("contact_id"))
                    .col(uuid("channel_id"))
                    .col(string_len("status", 20))
                    .col(timestamp_with_time_zone_null("snoozed_until"))
                    .col(uuid_null("assignee_id"))
                    .col(uuid_null("team_id"))
                    .col(string_len_null("last_message_preview", 200))
                    .col(timestamp_with_time_zone("last_activity_at"))
                    .col(timestamp_with_time_zone_null("last_incoming_at"))
                    .col(timestamp_with_time_zone_null("first_reply_at"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .col(integer("reopened_count"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("conversations", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("conversations", "contact_id", "contacts"))
                    .foreign_key(&mut fk("conversations", "channel_id", "channels"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_conversations_inbox",
                "conversations",
                &["tenant_id", "status", "last_activity_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_conversations_activity",
                "conversations",
                &["tenant_id", "last_activity_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_conversations_assignee",
                "conversations",
                &["tenant_id", "assignee_id", "status"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_conversations_contact_channel",
                "conversations",
                &["tenant_id", "contact_id", "channel_id"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("messages")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("conversation_id"))
                    .col(uuid("channel_id"))
                    .col(string_len("sender_type", 10))
                    .col(uuid_null("sender_user_id"))
                    .col(uuid_null("contact_id"))
                    .col(text_null("content"))
                    .col(string_len("content_type", 20))
                    .col(json_null("attachments"))
                    .col(json_null("metadata"))
                    .col(string_len_null("external_id", 200))
                    .col(string_len("status", 12))
                    .col(text_null("failure_reason"))
                    .col(boolean("is_private"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .foreign_key(&mut fk("messages", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("messages", "conversation_id", "conversations"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_messages_history",
                "messages",
                &["tenant_id", "conversation_id", "created_at", "id"],
                false,
            ))
            .await?;
        // Provider message ids are unique per channel: the idempotency key of ingest.
        manager
            .create_index(index("ux_messages_channel_external", "messages", &["channel_id", "external_id"], true))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("conversation_reads")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("conversation_id"))
                    .col(uuid("user_id"))
                    .col(timestamp_with_time_zone("last_read_at"))
                    .foreign_key(&mut fk("conversation_reads", "conversation_id", "conversations"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_conversation_reads",
                "conversation_reads",
                &["tenant_id", "conversation_id", "user_id"],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("webhook_events")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("channel_id"))
                    .col(string_len("provider", 32))
                    .col(string_len("event_key", 200))
                    .col(text("payload"))
                    .col(string_len_null("content_type", 100))
                    .col(string_len("status", 16))
                    .col(text_null("error"))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(timestamp_with_time_zone_null("processed_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ux_webhook_events_key", "webhook_events", &["channel_id", "event_key"], true))
            .await?;
        manager
            .create_index(index("ix_webhook_events_tenant", "webhook_events", &["tenant_id", "received_at"], false))
            .await?;

        // Durable job queue, claimed with FOR UPDATE SKIP LOCKED on Postgres.
        manager
            .create_table(
                Table::create()
                    .table("jobs")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid_null("tenant_id"))
                    .col(string_len("queue", 40))
                    .col(string_len("kind", 40))
                    .col(json("payload"))
                    .col(string_len("status", 12))
                    .col(integer("attempts"))
                    .col(integer("max_attempts"))
                    .col(timestamp_with_time_zone("run_at"))
                    .col(string_len_null("locked_by", 80))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(text_null("last_error"))
                    .col(string_len_null("dedupe_key", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager.create_index(index("ix_jobs_claim", "jobs", &["queue", "status", "run_at"], false)).await?;
        manager
            .create_index(index("ix_jobs_tenant_status", "jobs", &["tenant_id", "status", "updated_at"], false))
            .await?;
        manager.create_index(index("ux_jobs_dedupe", "jobs", &["dedupe_key"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid_null("uploaded_by"))
                    .col(uuid_null("message_id"))
                    .col(string_len("file_name", 255))
                    .col(string_len("content_type", 100))
                    .col(big_integer("size_bytes"))
                    .col(string_len("storage_key", 255))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("attachments", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_attachments_tenant", "attachments", &["tenant_id", "created_at"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("canned_responses")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("short_code", 60))
                    .col(text("content"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("canned_responses", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ux_canned_responses_code", "canned_responses", &["tenant_id", "short_code"], true))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "canned_responses",
            "attachments",
            "jobs",
            "webhook_events",
            "conversation_reads",
            "messages",
            "conversations",
            "contact_notes",
            "contact_identities",
            "contacts",
            "channels",
        ] {
            manager.drop_table(Table::drop().table(table).if_exists().take()).await?;
        }
        Ok(())
    }
}
