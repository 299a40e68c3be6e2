//! Remote work: work sessions (one per agent per login session), their idle periods,
//! every presence transition, the tenant's productivity settings and who has read the
//! "what is measured" notice. The history every work report is computed from.

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
                    .table("agent_work_sessions")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("agent_id"))
                    // The login session (auth_sessions.id) it measures; a second tab shares it.
                    .col(uuid("login_session_id"))
                    .col(timestamp_with_time_zone("login_at"))
                    .col(timestamp_with_time_zone_null("logout_at"))
                    // logout | expired | forced | server_timeout
                    .col(string_len_null("end_reason", 20))
                    // ACTIVE | IDLE while open, OFFLINE once closed
                    .col(string_len("status", 10))
                    .col(timestamp_with_time_zone("status_since"))
                    .col(string_len_null("status_reason", 40))
                    // client | server while IDLE
                    .col(string_len_null("idle_source", 10))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    // Seconds of the closed idle periods (the open one is counted at close).
                    .col(big_integer("idle_seconds").default(0))
                    .col(big_integer_null("total_seconds"))
                    .col(big_integer_null("active_seconds"))
                    // When the login session's token expires.
                    .col(timestamp_with_time_zone("expires_at"))
                    // When the sweeper must look at it next; NULL once closed.
                    .col(timestamp_with_time_zone_null("next_check_at"))
                    .foreign_key(&mut fk("agent_work_sessions", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("agent_work_sessions", "agent_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_work_sessions_agent_day",
                "agent_work_sessions",
                &["tenant_id", "agent_id", "login_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_work_sessions_tenant_day",
                "agent_work_sessions",
                &["tenant_id", "login_at"],
                false,
            ))
            .await?;
        manager.create_index(index("ix_work_sessions_due", "agent_work_sessions", &["next_check_at"], false)).await?;
        // At most one open work session per login session (both engines take a partial index).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS ux_work_sessions_open_login ON agent_work_sessions (login_session_id) WHERE logout_at IS NULL",
            )
            .await?;
        manager
            .create_index(index("ix_work_sessions_login", "agent_work_sessions", &["login_session_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("agent_inactivity_periods")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("agent_id"))
                    .col(uuid("session_id"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone_null("ended_at"))
                    .col(big_integer_null("seconds"))
                    // client | server
                    .col(string_len("source", 10))
                    .foreign_key(&mut fk("agent_inactivity_periods", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("agent_inactivity_periods", "session_id", "agent_work_sessions"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_inactivity_agent_day",
                "agent_inactivity_periods",
                &["tenant_id", "agent_id", "started_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_inactivity_session",
                "agent_inactivity_periods",
                &["session_id", "started_at"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("agent_status_changes")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("agent_id"))
                    .col(uuid_null("session_id"))
                    .col(string_len_null("from_status", 10))
                    .col(string_len("to_status", 10))
                    .col(timestamp_with_time_zone("at"))
                    .col(string_len_null("reason", 40))
                    .foreign_key(&mut fk("agent_status_changes", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_status_changes_agent_day",
                "agent_status_changes",
                &["tenant_id", "agent_id", "at"],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("productivity_settings")
                    .if_not_exists()
                    .col(uuid("tenant_id").primary_key())
                    .col(json("settings"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("productivity_settings", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("productivity_notice_acks")
                    .if_not_exists()
                    .col(uuid("user_id").primary_key())
                    .col(uuid("tenant_id"))
                    .col(timestamp_with_time_zone("acknowledged_at"))
                    .foreign_key(&mut fk("productivity_notice_acks", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("productivity_notice_acks", "user_id", "users"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "productivity_notice_acks",
            "productivity_settings",
            "agent_status_changes",
            "agent_inactivity_periods",
            "agent_work_sessions",
        ] {
            manager.drop_table(Table::drop().table(table).if_exists().take()).await?;
        }
        Ok(())
    }
}
