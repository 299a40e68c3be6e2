//! SQL of remote work. Every query filters by the caller's tenant, except the
//! sweeper's scan for due sessions (`platform_due`), which reads across tenants.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::entity::{inactivity, notice_ack, settings_row, status_change, work_session};
use crate::{
    teams::entity::{member as team_member, team},
    tenancy::{Role, Scope},
    users::entity as user,
};

/// The tenant's stored settings document, if ever saved.
pub async fn settings_get(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    Ok(settings_row::Entity::find_by_id(scope.tenant_id).one(db).await?.map(|r| r.settings))
}

/// Stores the tenant's settings document.
pub async fn settings_save(
    db: &impl ConnectionTrait,
    scope: &Scope,
    settings: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let exists = settings_row::Entity::find_by_id(scope.tenant_id).count(db).await? > 0;
    let row =
        settings_row::ActiveModel { tenant_id: Set(scope.tenant_id), settings: Set(settings), updated_at: Set(now) };
    if exists {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// Whether the user read the "what is measured" notice.
pub async fn notice_acknowledged(
    db: &impl ConnectionTrait,
    scope: &Scope,
    user_id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    Ok(notice_ack::Entity::find_by_id(user_id)
        .filter(notice_ack::Column::TenantId.eq(scope.tenant_id))
        .count(db)
        .await?
        > 0)
}

/// Records that the user read the notice (once).
pub async fn acknowledge_notice(
    db: &impl ConnectionTrait,
    scope: &Scope,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    if notice_acknowledged(db, scope, user_id).await? {
        return Ok(());
    }
    notice_ack::ActiveModel { user_id: Set(user_id), tenant_id: Set(scope.tenant_id), acknowledged_at: Set(at) }
        .insert(db)
        .await?;
    Ok(())
}

/// The heartbeat's fast path, one statement: a live session that is ACTIVE (or idle by
/// the client's word) and not due for the sweeper just records the signal.
pub async fn touch(
    db: &impl ConnectionTrait,
    scope: &Scope,
    login_session_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<work_session::Model>, sea_orm::DbErr> {
    let rows = work_session::Entity::update_many()
        .col_expr(work_session::Column::LastSeenAt, Expr::value(at))
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::LoginSessionId.eq(login_session_id))
        .filter(work_session::Column::LogoutAt.is_null())
        .filter(work_session::Column::NextCheckAt.gt(at))
        .filter(work_session::Column::LastSeenAt.lte(at))
        .filter(work_session::Column::Status.eq("ACTIVE").or(work_session::Column::IdleSource.eq("client")))
        .exec_with_returning(db)
        .await?;
    Ok(rows.into_iter().next())
}

/// The open work session of a login session, locked until the transaction ends
/// (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers).
pub async fn open_for_login(
    db: &impl ConnectionTrait,
    scope: &Scope,
    login_session_id: Uuid,
) -> Result<Option<work_session::Model>, sea_orm::DbErr> {
    let mut query = work_session::Entity::find()
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::LoginSessionId.eq(login_session_id))
        .filter(work_session::Column::LogoutAt.is_null());
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(db).await
}

/// One work session by id, locked (PostgreSQL).
pub async fn lock(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> Result<Option<work_session::Model>, sea_orm::DbErr> {
    let mut query = work_session::Entity::find_by_id(id).filter(work_session::Column::TenantId.eq(scope.tenant_id));
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(db).await
}

/// Whether a login session ever had a work session.
pub async fn login_was_measured(
    db: &impl ConnectionTrait,
    scope: &Scope,
    login_session_id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    Ok(work_session::Entity::find()
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::LoginSessionId.eq(login_session_id))
        .count(db)
        .await?
        > 0)
}

/// Open work sessions of the tenant: of one login session, one user, or all.
pub async fn open_sessions(
    db: &impl ConnectionTrait,
    scope: &Scope,
    login_session_id: Option<Uuid>,
    agent_ids: Option<&[Uuid]>,
) -> Result<Vec<work_session::Model>, sea_orm::DbErr> {
    let mut query = work_session::Entity::find()
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::LogoutAt.is_null());
    if let Some(login) = login_session_id {
        query = query.filter(work_session::Column::LoginSessionId.eq(login));
    }
    if let Some(ids) = agent_ids {
        query = query.filter(work_session::Column::AgentId.is_in(ids.iter().copied()));
    }
    query.order_by_asc(work_session::Column::LoginAt).all(db).await
}

/// The latest closed session of each of these agents.
pub async fn last_closed(
    db: &impl ConnectionTrait,
    scope: &Scope,
    agent_ids: &[Uuid],
) -> Result<HashMap<Uuid, work_session::Model>, sea_orm::DbErr> {
    let mut out: HashMap<Uuid, work_session::Model> = HashMap::new();
    if agent_ids.is_empty() {
        return Ok(out);
    }
    let latest: Vec<(Uuid, Option<DateTime<Utc>>)> = work_session::Entity::find()
        .select_only()
        .column(work_session::Column::AgentId)
        .column_as(work_session::Column::LogoutAt.max(), "logout_at")
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::AgentId.is_in(agent_ids.iter().copied()))
        .filter(work_session::Column::LogoutAt.is_not_null())
        .group_by(work_session::Column::AgentId)
        .into_tuple()
        .all(db)
        .await?;
    let times: Vec<DateTime<Utc>> = latest.iter().filter_map(|(_, at)| *at).collect();
    if times.is_empty() {
        return Ok(out);
    }
    let rows = work_session::Entity::find()
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::AgentId.is_in(agent_ids.iter().copied()))
        .filter(work_session::Column::LogoutAt.is_in(times))
        .all(db)
        .await?;
    for row in rows {
        let newer = out.get(&row.agent_id).is_none_or(|o| o.logout_at < row.logout_at);
        if newer {
            out.insert(row.agent_id, row);
        }
    }
    Ok(out)
}

/// Inserts a work session.
pub async fn insert_session(
    db: &impl ConnectionTrait,
    row: work_session::Model,
) -> Result<work_session::Model, sea_orm::DbErr> {
    work_session::ActiveModel::from(row).insert(db).await
}

/// Writes every column of a work session (it was read, locked, in this transaction).
pub async fn save_session(db: &impl ConnectionTrait, row: work_session::Model) -> Result<(), sea_orm::DbErr> {
    let mut active = work_session::ActiveModel::from(row);
    // `from` marks every column unchanged-but-set; make them all written.
    for column in [
        work_session::Column::Status,
        work_session::Column::StatusSince,
        work_session::Column::StatusReason,
        work_session::Column::IdleSource,
        work_session::Column::LastSeenAt,
        work_session::Column::IdleSeconds,
        work_session::Column::TotalSeconds,
        work_session::Column::ActiveSeconds,
        work_session::Column::NextCheckAt,
        work_session::Column::LogoutAt,
        work_session::Column::EndReason,
    ] {
        let value = active.get(column);
        if let Some(value) = value.into_value() {
            active.set(column, value);
        }
    }
    active.update(db).await?;
    Ok(())
}

/// Opens an idle period.
pub async fn open_period(
    db: &impl ConnectionTrait,
    session: &work_session::Model,
    started_at: DateTime<Utc>,
    source: &str,
) -> Result<(), sea_orm::DbErr> {
    inactivity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(session.tenant_id),
        agent_id: Set(session.agent_id),
        session_id: Set(session.id),
        started_at: Set(started_at),
        ended_at: Set(None),
        seconds: Set(None),
        source: Set(source.to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Closes the session's open idle period.
pub async fn close_period(
    db: &impl ConnectionTrait,
    session: &work_session::Model,
    ended_at: DateTime<Utc>,
    seconds: i64,
) -> Result<(), sea_orm::DbErr> {
    inactivity::Entity::update_many()
        .col_expr(inactivity::Column::EndedAt, Expr::value(ended_at))
        .col_expr(inactivity::Column::Seconds, Expr::value(seconds))
        .filter(inactivity::Column::TenantId.eq(session.tenant_id))
        .filter(inactivity::Column::SessionId.eq(session.id))
        .filter(inactivity::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Records a status change.
pub async fn insert_change(
    db: &impl ConnectionTrait,
    session: &work_session::Model,
    from: Option<&str>,
    to: &str,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<(), sea_orm::DbErr> {
    status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(session.tenant_id),
        agent_id: Set(session.agent_id),
        session_id: Set(Some(session.id)),
        from_status: Set(from.map(str::to_string)),
        to_status: Set(to.to_string()),
        at: Set(at),
        reason: Set(Some(reason.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Work sessions overlapping [from, to) (newest first), of some agents or all.
pub async fn sessions_between(
    db: &impl ConnectionTrait,
    scope: &Scope,
    agent_ids: Option<&[Uuid]>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: u64,
) -> Result<Vec<work_session::Model>, sea_orm::DbErr> {
    let mut query = work_session::Entity::find().filter(work_session::Column::TenantId.eq(scope.tenant_id));
    if let Some(ids) = agent_ids {
        query = query.filter(work_session::Column::AgentId.is_in(ids.iter().copied()));
    }
    if let Some(to) = to {
        query = query.filter(work_session::Column::LoginAt.lt(to));
    }
    if let Some(from) = from {
        query = query.filter(work_session::Column::LogoutAt.is_null().or(work_session::Column::LogoutAt.gte(from)));
    }
    query.order_by_desc(work_session::Column::LoginAt).limit(limit).all(db).await
}

/// Idle periods of these sessions, in order.
pub async fn periods_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    session_ids: &[Uuid],
) -> Result<Vec<inactivity::Model>, sea_orm::DbErr> {
    if session_ids.is_empty() {
        return Ok(Vec::new());
    }
    inactivity::Entity::find()
        .filter(inactivity::Column::TenantId.eq(scope.tenant_id))
        .filter(inactivity::Column::SessionId.is_in(session_ids.iter().copied()))
        .order_by_asc(inactivity::Column::StartedAt)
        .all(db)
        .await
}

/// Sessions whose next check is due, across tenants (the sweeper; one indexed query).
pub async fn platform_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<work_session::Model>, sea_orm::DbErr> {
    work_session::Entity::find()
        .filter(work_session::Column::NextCheckAt.lte(now))
        .order_by_asc(work_session::Column::NextCheckAt)
        .limit(limit)
        .all(db)
        .await
}

/// Makes every open session of the tenant due now (settings changed).
pub async fn recheck_open(db: &impl ConnectionTrait, scope: &Scope, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    Ok(work_session::Entity::update_many()
        .col_expr(work_session::Column::NextCheckAt, Expr::value(now))
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::LogoutAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Active users of the tenant (all, or these ids).
pub async fn people(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: Option<&[Uuid]>,
) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    let mut query =
        user::Entity::find().filter(user::Column::TenantId.eq(scope.tenant_id)).filter(user::Column::Active.eq(true));
    if let Some(ids) = ids {
        query = query.filter(user::Column::Id.is_in(ids.iter().copied()));
    }
    query.order_by_asc(user::Column::Name).all(db).await
}

/// One user of the tenant (active or not).
pub async fn person(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find_by_id(id).filter(user::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Team memberships of the tenant (all, or of these teams).
pub async fn memberships(
    db: &impl ConnectionTrait,
    scope: &Scope,
    team_ids: Option<&[Uuid]>,
) -> Result<Vec<team_member::Model>, sea_orm::DbErr> {
    let mut query = team_member::Entity::find().filter(team_member::Column::TenantId.eq(scope.tenant_id));
    if let Some(ids) = team_ids {
        query = query.filter(team_member::Column::TeamId.is_in(ids.iter().copied()));
    }
    query.all(db).await
}

/// Team memberships of these users.
pub async fn memberships_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    user_ids: &[Uuid],
) -> Result<Vec<team_member::Model>, sea_orm::DbErr> {
    team_member::Entity::find()
        .filter(team_member::Column::TenantId.eq(scope.tenant_id))
        .filter(team_member::Column::UserId.is_in(user_ids.iter().copied()))
        .all(db)
        .await
}

/// Whether a team of the tenant exists.
pub async fn team_exists(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    Ok(team::Entity::find_by_id(id).filter(team::Column::TenantId.eq(scope.tenant_id)).count(db).await? > 0)
}

/// A user's role (AGENT when the stored value is unknown).
pub fn role_of(user: &user::Model) -> Role {
    Role::parse(&user.role).unwrap_or(Role::Agent)
}

/// Names of every user of the tenant, active or not (report labels).
pub async fn user_names(db: &impl ConnectionTrait, scope: &Scope) -> Result<HashMap<Uuid, String>, sea_orm::DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(scope.tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Names of the tenant's teams (report labels).
pub async fn team_names(db: &impl ConnectionTrait, scope: &Scope) -> Result<HashMap<Uuid, String>, sea_orm::DbErr> {
    Ok(team::Entity::find()
        .filter(team::Column::TenantId.eq(scope.tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}
