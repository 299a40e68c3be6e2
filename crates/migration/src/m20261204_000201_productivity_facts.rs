//! Productivity (issue 11): the productivity events recorded from domain events
//! (`agent_productivity_events`, one row per event and type: idempotent by the outbox
//! event id), the per-conversation facts the metrics are computed from
//! (`conversation_facts`, one row per cycle: opening or reopening → resolution),
//! interaction categories, the categories tagged on conversations, and the labels
//! (channel names) the reports show.
//!
//! No foreign key to conversations: the projector may apply an event after the
//! conversation was erased, and must not stall on it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_foundation::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("agent_productivity_events")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    // The outbox event (domain_events.seq) it was projected from.
                    .col(big_integer("source_seq"))
                    // CONVERSATION_RESOLVED | FIRST_REPLY | REPLY_SENT | CONVERSATION_REOPENED |
                    // CONVERSATION_ASSIGNED | CHARGE_CREATED
                    .col(string_len("event_type", 32))
                    .col(uuid_null("agent_id"))
                    .col(uuid_null("work_session_id"))
                    .col(uuid_null("conversation_id"))
                    .col(uuid_null("channel_id"))
                    .col(uuid_null("team_id"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(json_null("metadata"))
                    .foreign_key(&mut fk("agent_productivity_events", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_productivity_events_source",
                "agent_productivity_events",
                &["tenant_id", "source_seq", "event_type"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_productivity_events_time",
                "agent_productivity_events",
                &["tenant_id", "occurred_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_productivity_events_agent",
                "agent_productivity_events",
                &["tenant_id", "agent_id", "occurred_at"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("conversation_facts")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("conversation_id"))
                    // 0 for the opening, n for the n-th reopening.
                    .col(integer("cycle"))
                    .col(uuid("channel_id"))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("team_id"))
                    .col(uuid_null("assignee_id"))
                    .col(timestamp_with_time_zone("opened_at"))
                    .col(timestamp_with_time_zone_null("first_inbound_at"))
                    .col(timestamp_with_time_zone_null("first_reply_at"))
                    .col(uuid_null("first_reply_agent_id"))
                    .col(timestamp_with_time_zone_null("assigned_at"))
                    .col(timestamp_with_time_zone_null("first_involvement_at"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .col(uuid_null("resolved_by"))
                    // The reopening, or the contact's next conversation on the channel,
                    // after this cycle's resolution (first-contact resolution).
                    .col(timestamp_with_time_zone_null("followed_at"))
                    // The last outbox position applied (txid, seq): replays are skipped.
                    .col(big_integer("last_txid"))
                    .col(big_integer("last_seq"))
                    .foreign_key(&mut fk("conversation_facts", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_conversation_facts_cycle",
                "conversation_facts",
                &["tenant_id", "conversation_id", "cycle"],
                true,
            ))
            .await?;
        for (name, col) in [
            ("ix_conversation_facts_opened", "opened_at"),
            ("ix_conversation_facts_replied", "first_reply_at"),
            ("ix_conversation_facts_resolved", "resolved_at"),
        ] {
            manager.create_index(index(name, "conversation_facts", &["tenant_id", col], false)).await?;
        }
        manager
            .create_index(index(
                "ix_conversation_facts_contact",
                "conversation_facts",
                &["tenant_id", "contact_id", "channel_id", "resolved_at"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("interaction_categories")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid_null("parent_id"))
                    // parent_id as text, '' at the root: the unique key needs a non-null column.
                    .col(string_len("parent_key", 36))
                    .col(string_len("name", 80))
                    // The name lowercased and trimmed: unique per tenant and parent.
                    .col(string_len("name_key", 80))
                    .col(text_null("description"))
                    .col(boolean("active"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("deleted_at"))
                    .foreign_key(&mut fk("interaction_categories", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS ux_interaction_categories_name ON interaction_categories (tenant_id, parent_key, name_key) WHERE deleted_at IS NULL",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("conversation_categories")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("conversation_id"))
                    .col(uuid("category_id"))
                    .col(uuid("tagged_by"))
                    .col(timestamp_with_time_zone("tagged_at"))
                    .foreign_key(&mut fk("conversation_categories", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("conversation_categories", "category_id", "interaction_categories"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_conversation_categories",
                "conversation_categories",
                &["tenant_id", "conversation_id", "category_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_conversation_categories_category",
                "conversation_categories",
                &["tenant_id", "category_id"],
                false,
            ))
            .await?;
        // Names the reports show for things productivity does not own (channels),
        // kept current by the projector from the events that carry them.
        manager
            .create_table(
                Table::create()
                    .table("productivity_labels")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("kind", 20))
                    .col(string_len("label", 200))
                    .foreign_key(&mut fk("productivity_labels", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_productivity_labels_tenant", "productivity_labels", &["tenant_id", "kind"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "productivity_labels",
            "conversation_categories",
            "interaction_categories",
            "conversation_facts",
            "agent_productivity_events",
        ] {
            manager.drop_table(Table::drop().table(table).if_exists().take()).await?;
        }
        Ok(())
    }
}
