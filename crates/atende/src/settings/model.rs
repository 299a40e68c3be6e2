//! Plain types of the settings that other domains (and events) name.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which conversations AGENTS see (managers and admins see every one):
/// - `all`: every conversation of the workspace;
/// - `teams`: conversations assigned to them, those of their teams, and those in no
///   one's queue (no assignee and no team);
/// - `own`: only conversations assigned to them (Whaticket-style queues).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgentVisibility {
    #[default]
    All,
    Teams,
    Own,
}
