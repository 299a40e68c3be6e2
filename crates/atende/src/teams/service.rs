//! Team rules: who sees which team, who may supervise.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{entity::team, store};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
    users,
};

/// A team as listed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamView {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub member_count: usize,
    pub supervisor_ids: Vec<Uuid>,
}

/// A member of a team.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub supervisor: bool,
}

/// Team ids the caller may see: all for admins, supervised and own teams otherwise.
fn visible_ids(scope: &Scope) -> Option<Vec<Uuid>> {
    if scope.is_at_least(Role::Admin) {
        return None;
    }
    let mut ids = scope.team_ids.clone();
    ids.extend(&scope.supervised_team_ids);
    ids.sort();
    ids.dedup();
    Some(ids)
}

/// Loads a team the caller may see, or 404.
pub async fn visible_team(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<team::Model> {
    if visible_ids(scope).is_some_and(|ids| !ids.contains(&id)) {
        return Err(AppError::NotFound);
    }
    store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)
}

/// Whether the team belongs to the caller's tenant (whoever may see it).
pub async fn exists(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<bool> {
    Ok(store::get(&state.db, scope, id).await?.is_some())
}

/// Teams the caller may see, with member counts.
pub async fn list(state: &AppState, scope: &Scope) -> AppResult<Vec<TeamView>> {
    let visible = visible_ids(scope);
    let teams = store::list(&state.db, scope, visible.as_deref()).await?;
    let ids: Vec<Uuid> = teams.iter().map(|t| t.id).collect();
    let members = store::members(&state.db, scope, &ids).await?;
    let mut by_team: HashMap<Uuid, (usize, Vec<Uuid>)> = HashMap::new();
    for m in members {
        let entry = by_team.entry(m.team_id).or_default();
        entry.0 += 1;
        if m.supervisor {
            entry.1.push(m.user_id);
        }
    }
    Ok(teams
        .into_iter()
        .map(|t| {
            let (member_count, supervisor_ids) = by_team.remove(&t.id).unwrap_or_default();
            TeamView { id: t.id, name: t.name, description: t.description, member_count, supervisor_ids }
        })
        .collect())
}

/// One team as a view.
pub async fn view(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<TeamView> {
    let team = visible_team(state, scope, id).await?;
    let members = store::members(&state.db, scope, &[id]).await?;
    Ok(TeamView {
        id: team.id,
        name: team.name,
        description: team.description,
        member_count: members.len(),
        supervisor_ids: members.iter().filter(|m| m.supervisor).map(|m| m.user_id).collect(),
    })
}

/// Members of a visible team.
pub async fn members(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<Vec<MemberView>> {
    visible_team(state, scope, id).await?;
    let members = store::members(&state.db, scope, &[id]).await?;
    let user_ids: Vec<Uuid> = members.iter().map(|m| m.user_id).collect();
    let people: HashMap<Uuid, users::entity::Model> =
        users::store::get_many(&state.db, scope, &user_ids).await?.into_iter().map(|u| (u.id, u)).collect();
    Ok(members
        .into_iter()
        .filter_map(|m| {
            people.get(&m.user_id).map(|u| MemberView {
                user_id: u.id,
                name: u.name.clone(),
                email: u.email.clone(),
                role: Role::parse(&u.role).unwrap_or(Role::Agent),
                supervisor: m.supervisor,
            })
        })
        .collect())
}

fn team_conflict(e: sea_orm::DbErr) -> AppError {
    match AppError::from(e) {
        AppError::Conflict { .. } => AppError::conflict("team_name_taken", "A team with this name already exists"),
        other => other,
    }
}

/// Creates a team (admins).
pub async fn create(state: &AppState, scope: &Scope, name: &str, description: Option<&str>) -> AppResult<team::Model> {
    scope.require(Role::Admin)?;
    let team = store::insert(&state.db, scope, name.trim(), description).await.map_err(team_conflict)?;
    audit::record(&state.db, scope, Entry::new("team.created", "team", team.id).details(json!({ "name": team.name })))
        .await?;
    Ok(team)
}

/// Renames / re-describes a team (admins).
pub async fn update(
    state: &AppState,
    scope: &Scope,
    id: Uuid,
    name: Option<&str>,
    description: Option<Option<&str>>,
) -> AppResult<team::Model> {
    scope.require(Role::Admin)?;
    let current = store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    let team =
        store::update(&state.db, scope, current, name.map(str::trim), description).await.map_err(team_conflict)?;
    audit::record(&state.db, scope, Entry::new("team.updated", "team", id)).await?;
    Ok(team)
}

/// Deletes a team (admins).
pub async fn delete(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<()> {
    scope.require(Role::Admin)?;
    if !store::delete(&state.db, scope, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&state.db, scope, Entry::new("team.deleted", "team", id)).await?;
    Ok(())
}

/// Adds a user to a team or changes whether they supervise it (admins). Only managers
/// and admins can supervise.
pub async fn put_member(
    state: &AppState,
    scope: &Scope,
    team_id: Uuid,
    user_id: Uuid,
    supervisor: bool,
) -> AppResult<MemberView> {
    scope.require(Role::Admin)?;
    store::get(&state.db, scope, team_id).await?.ok_or(AppError::NotFound)?;
    let user = users::store::get(&state.db, scope, user_id).await?.ok_or(AppError::NotFound)?;
    let role = Role::parse(&user.role).unwrap_or(Role::Agent);
    if supervisor && role < Role::Manager {
        return Err(AppError::field("supervisor", "only managers and admins can supervise a team"));
    }
    store::upsert_member(&state.db, scope, team_id, user_id, supervisor).await?;
    audit::record(
        &state.db,
        scope,
        Entry::new("team.member_set", "team", team_id).details(json!({ "userId": user_id, "supervisor": supervisor })),
    )
    .await?;
    Ok(MemberView { user_id, name: user.name, email: user.email, role, supervisor })
}

/// Removes a user from a team (admins).
pub async fn remove_member(state: &AppState, scope: &Scope, team_id: Uuid, user_id: Uuid) -> AppResult<()> {
    scope.require(Role::Admin)?;
    if !store::remove_member(&state.db, scope, team_id, user_id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &state.db,
        scope,
        Entry::new("team.member_removed", "team", team_id).details(json!({ "userId": user_id })),
    )
    .await?;
    Ok(())
}
