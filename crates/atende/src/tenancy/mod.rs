//! Tenants (workspaces), roles and the `Scope` that every tenant-data store call takes.

pub mod entity;
pub mod store;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// A role inside a tenant. The derive order is the authority order: Agent < Manager < Admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    Agent,
    Manager,
    Admin,
}

impl Role {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "AGENT",
            Role::Manager => "MANAGER",
            Role::Admin => "ADMIN",
        }
    }

    /// Parses the stored form (case-insensitive for CLI input).
    pub fn parse(value: &str) -> Option<Role> {
        match value.to_ascii_uppercase().as_str() {
            "AGENT" => Some(Role::Agent),
            "MANAGER" => Some(Role::Manager),
            "ADMIN" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Who is asking, inside which tenant. Built only by authentication; every store
/// function reading tenant data takes it and filters by `tenant_id`.
#[derive(Debug, Clone)]
pub struct Scope {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    /// Teams the user belongs to.
    pub team_ids: Vec<Uuid>,
    /// Teams the user supervises (managers).
    pub supervised_team_ids: Vec<Uuid>,
    /// The login session behind the request; `None` for personal API tokens.
    pub session_id: Option<Uuid>,
}

impl Scope {
    /// The scope background work uses for a tenant (webhook processing, jobs): full
    /// authority inside that one tenant, no user behind it.
    pub fn system(tenant_id: Uuid) -> Self {
        Scope {
            tenant_id,
            user_id: Uuid::nil(),
            role: Role::Admin,
            team_ids: Vec::new(),
            supervised_team_ids: Vec::new(),
            session_id: None,
        }
    }

    /// Whether this is the system scope rather than a person.
    pub fn is_system(&self) -> bool {
        self.user_id.is_nil()
    }

    /// Refuses with 403 unless the user's role is at least `min`.
    pub fn require(&self, min: Role) -> AppResult<()> {
        if self.role >= min { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Whether the user has at least `min`.
    pub fn is_at_least(&self, min: Role) -> bool {
        self.role >= min
    }
}

/// Lifecycle state of a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    Active,
    Suspended,
}

impl TenantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Suspended => "suspended",
        }
    }
}

/// The public view of a tenant.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TenantView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<entity::Model> for TenantView {
    fn from(m: entity::Model) -> Self {
        TenantView { id: m.id, slug: m.slug, name: m.name, status: m.status, created_at: m.created_at }
    }
}

/// Validates a workspace slug: 2–63 chars of a-z, 0-9 and inner hyphens.
pub fn validate_slug(slug: &str) -> AppResult<()> {
    let ok = (2..=63).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok { Ok(()) } else { Err(AppError::field("slug", "use 2-63 lowercase letters, digits or inner hyphens")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_authority() {
        assert!(Role::Admin > Role::Manager);
        assert!(Role::Manager > Role::Agent);
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn slugs_are_validated() {
        assert!(validate_slug("demo").is_ok());
        assert!(validate_slug("acme-2").is_ok());
        assert!(validate_slug("Acme").is_err());
        assert!(validate_slug("-x").is_err());
        assert!(validate_slug("a").is_err());
    }
}
