//! A Messenger Page id / Instagram account id belongs to at most one enabled channel
//! platform-wide: `/webhooks/meta` routes by that id, so a second tenant registering the
//! same id would receive the first one's messages. Existing duplicates keep the oldest
//! channel enabled and disable the later ones (an admin sees them disabled).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const META_TYPES: &str = "('FACEBOOK_MESSENGER', 'INSTAGRAM')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE channels SET enabled = false \
             WHERE channel_type IN {META_TYPES} AND enabled = true AND account_id IS NOT NULL \
             AND EXISTS (SELECT 1 FROM channels older \
                 WHERE older.channel_type IN {META_TYPES} AND older.enabled = true \
                 AND older.account_id = channels.account_id \
                 AND (older.created_at < channels.created_at \
                      OR (older.created_at = channels.created_at AND older.id < channels.id)))"
        ))
        .await?;
        // A partial unique index: same syntax on SQLite and PostgreSQL.
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX IF NOT EXISTS ux_channels_meta_account ON channels (account_id) \
             WHERE channel_type IN {META_TYPES} AND enabled = true"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX IF EXISTS ux_channels_meta_account").await?;
        Ok(())
    }
}
