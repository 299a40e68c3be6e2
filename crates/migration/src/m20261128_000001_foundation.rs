//! Foundation: tenants, people, access, audit and per-tenant settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub(crate) fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from_col).to(to_table, "id").on_delete(ForeignKeyAction::Cascade).take()
}

pub(crate) fn index(
    name: &'static str,
    table: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).if_not_exists().take();
    for col in cols {
        stmt.col(*col);
    }
    if unique {
        stmt.unique();
    }
    stmt
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("tenants")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(string_len_uniq("slug", 63))
                    .col(string_len("name", 200))
                    .col(string_len("status", 20))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("suspended_at"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("platform_admins")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(string_len_uniq("email", 254))
                    .col(string_len("name", 200))
                    .col(string("password_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("email", 254))
                    .col(string_len("name", 200))
                    .col(string("password_hash"))
                    .col(string_len("role", 20))
                    .col(boolean("active"))
                    .col(string_len("availability", 20))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .foreign_key(&mut fk("users", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager.create_index(index("ux_users_tenant_email", "users", &["tenant_id", "email"], true)).await?;
        manager.create_index(index("ix_users_tenant_role", "users", &["tenant_id", "role", "active"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table("teams")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(string_len("name", 120))
                    .col(text_null("description"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("teams", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        manager.create_index(index("ux_teams_tenant_name", "teams", &["tenant_id", "name"], true)).await?;

        // A member with `supervisor = true` is a manager supervising that team.
        manager
            .create_table(
                Table::create()
                    .table("team_members")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("team_id"))
                    .col(uuid("user_id"))
                    .col(boolean("supervisor"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("team_members", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("team_members", "team_id", "teams"))
                    .foreign_key(&mut fk("team_members", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_team_members_tenant_team_user",
                "team_members",
                &["tenant_id", "team_id", "user_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index("ix_team_members_tenant_user", "team_members", &["tenant_id", "user_id"], false))
            .await?;

        // Login sessions back the JWTs so that logout and deactivation revoke at once.
        // `tenant_id` is null for platform (super admin) sessions.
        manager
            .create_table(
                Table::create()
                    .table("auth_sessions")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid_null("tenant_id"))
                    .col(uuid("user_id"))
                    .col(boolean("platform"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(string_len_null("ip", 64))
                    .col(string_len_null("user_agent", 300))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_auth_sessions_tenant_user", "auth_sessions", &["tenant_id", "user_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("api_tokens")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid("tenant_id"))
                    .col(uuid("user_id"))
                    .col(string_len("name", 120))
                    .col(string_len_uniq("token_hash", 64))
                    .col(string_len("token_prefix", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("api_tokens", "tenant_id", "tenants"))
                    .foreign_key(&mut fk("api_tokens", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_api_tokens_tenant_user", "api_tokens", &["tenant_id", "user_id"], false))
            .await?;

        // Platform actions (tenant created, suspended) have a null tenant_id.
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .if_not_exists()
                    .col(pk_uuid("id"))
                    .col(uuid_null("tenant_id"))
                    .col(uuid_null("actor_id"))
                    .col(string_len("actor_kind", 20))
                    .col(string_len("action", 80))
                    .col(string_len_null("target_type", 40))
                    .col(uuid_null("target_id"))
                    .col(json_null("details"))
                    .col(string_len_null("ip", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_audit_log_tenant_created", "audit_log", &["tenant_id", "created_at"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("tenant_settings")
                    .if_not_exists()
                    .col(uuid("tenant_id").primary_key())
                    .col(json("settings"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("tenant_settings", "tenant_id", "tenants"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "tenant_settings",
            "audit_log",
            "api_tokens",
            "auth_sessions",
            "team_members",
            "teams",
            "users",
            "platform_admins",
            "tenants",
        ] {
            manager.drop_table(Table::drop().table(table).if_exists().take()).await?;
        }
        Ok(())
    }
}
