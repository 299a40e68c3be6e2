//! Which conversations the caller may see (tenant setting `agentVisibility`). Agents in
//! `teams` mode see theirs, their teams' and those in no one's queue (no assignee and no
//! team); in `own` mode only theirs. Managers, admins and the system see every one.
//! Hidden conversations answer 404, like another tenant's.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::entity::conversation;
use crate::{
    error::AppResult,
    settings::{self, AgentVisibility},
    tenancy::{Role, Scope},
};

/// The caller's view of the tenant's conversations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    All,
    Own { user: Uuid },
    Teams { user: Uuid, teams: Vec<Uuid> },
}

impl Visibility {
    /// What `scope` sees under `mode`.
    pub fn for_mode(scope: &Scope, mode: AgentVisibility) -> Self {
        if scope.is_system() || scope.is_at_least(Role::Manager) {
            return Visibility::All;
        }
        match mode {
            AgentVisibility::All => Visibility::All,
            AgentVisibility::Own => Visibility::Own { user: scope.user_id },
            AgentVisibility::Teams => Visibility::Teams { user: scope.user_id, teams: scope.team_ids.clone() },
        }
    }

    /// What `scope` sees under the tenant's current setting (read only for agents).
    pub async fn of(db: &impl ConnectionTrait, scope: &Scope) -> AppResult<Self> {
        if scope.is_system() || scope.is_at_least(Role::Manager) {
            return Ok(Visibility::All);
        }
        Ok(Self::for_mode(scope, settings::load(db, scope).await?.agent_visibility))
    }

    /// Whether a conversation with this assignee and team is visible.
    pub fn sees(&self, assignee: Option<Uuid>, team: Option<Uuid>) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Own { user } => assignee == Some(*user),
            Visibility::Teams { user, teams } => {
                assignee == Some(*user)
                    || team.is_some_and(|t| teams.contains(&t))
                    || (assignee.is_none() && team.is_none())
            }
        }
    }

    pub fn sees_row(&self, c: &conversation::Model) -> bool {
        self.sees(c.assignee_id, c.team_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mode_sees_what_it_says() {
        let (me, other, mine_team, their_team) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let own = Visibility::Own { user: me };
        let teams = Visibility::Teams { user: me, teams: vec![mine_team] };
        let cases = [
            // (assignee, team, own, teams)
            (Some(me), None, true, true),
            (Some(me), Some(their_team), true, true),
            (Some(other), None, false, false),
            (Some(other), Some(mine_team), false, true),
            (None, Some(mine_team), false, true),
            (None, Some(their_team), false, false),
            (None, None, false, true),
        ];
        for (assignee, team, sees_own, sees_teams) in cases {
            assert!(Visibility::All.sees(assignee, team));
            assert_eq!(own.sees(assignee, team), sees_own, "own {assignee:?} {team:?}");
            assert_eq!(teams.sees(assignee, team), sees_teams, "teams {assignee:?} {team:?}");
        }
    }
}
