//! How an agent message's delivery is going: the attempts made so far (shown as
//! "trying again (2 of 6)" while retries last) and a stable code for why it failed
//! (the UI translates the code; `failure_reason` keeps the provider's own words).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [integer("delivery_attempts").default(0).take(), text_null("failure_code")] {
            manager.alter_table(Table::alter().table("messages").add_column(column.clone()).take()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["failure_code", "delivery_attempts"] {
            manager.alter_table(Table::alter().table("messages").drop_column(column).take()).await?;
        }
        Ok(())
    }
}
