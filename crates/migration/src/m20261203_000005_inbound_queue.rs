//! The inbound pipeline's queue is the raw-event table itself: `webhook_events` rows
//! carry the events parsed once at the webhook (`normalized`), a partition hash that
//! keeps one sender's events in one ordered lane (`lane_hash`), and retry bookkeeping.
//! Accepting a webhook is then a single insert, and no job row is needed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            text_null("normalized"),
            big_integer("lane_hash").default(0).take(),
            integer("attempts").default(0).take(),
            timestamp_with_time_zone_null("next_attempt_at"),
        ] {
            manager.alter_table(Table::alter().table("webhook_events").add_column(column.clone()).take()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_events_pending")
                    .table("webhook_events")
                    .col("status")
                    .col("id")
                    .if_not_exists()
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ix_webhook_events_pending").table("webhook_events").to_owned()).await?;
        for column in ["next_attempt_at", "attempts", "lane_hash", "normalized"] {
            manager.alter_table(Table::alter().table("webhook_events").drop_column(column).take()).await?;
        }
        Ok(())
    }
}
