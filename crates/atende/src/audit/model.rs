//! Views and filters of the audit log API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Filters for `GET /api/v1/audit-log` and `/api/v1/audit-log.csv`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListAudit {
    /// Only what this user did.
    pub actor_id: Option<Uuid>,
    /// An action (`user.created`), or a family of them ending in `.*` (`user.*`).
    pub action: Option<String>,
    /// From this instant (RFC 3339) or day (`YYYY-MM-DD`, UTC), inclusive.
    pub from: Option<String>,
    /// Up to this instant (RFC 3339, exclusive) or day (`YYYY-MM-DD`, UTC, the whole day).
    pub to: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Who did an action.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditActor {
    /// `user`, `platform_admin` (the operator's staff) or `system`.
    pub kind: String,
    pub id: Option<Uuid>,
    /// The user's name and email, when the actor is a user of this workspace.
    pub name: Option<String>,
    pub email: Option<String>,
}

/// One entry of the audit log. `details` never holds secrets.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView {
    pub id: Uuid,
    pub action: String,
    pub actor: AuditActor,
    pub target_type: Option<String>,
    pub target_id: Option<Uuid>,
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `{entries, total}`, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub entries: Vec<AuditEntryView>,
    pub total: u64,
}
