//! API shapes for users.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity;
use crate::tenancy::Role;

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub availability: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<entity::Model> for UserView {
    fn from(m: entity::Model) -> Self {
        UserView {
            id: m.id,
            role: Role::parse(&m.role).unwrap_or(Role::Agent),
            name: m.name,
            email: m.email,
            active: m.active,
            availability: m.availability,
            created_at: m.created_at,
            last_login_at: m.last_login_at,
        }
    }
}

/// `POST /api/v1/users`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUser {
    #[garde(email, length(max = 254))]
    pub email: String,
    #[garde(length(min = 1, max = 200))]
    pub name: String,
    #[garde(length(min = 8, max = 200))]
    pub password: String,
    #[garde(skip)]
    pub role: Role,
}

/// `PATCH /api/v1/users/{id}`: only the given fields change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUser {
    #[garde(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[garde(email, length(max = 254))]
    pub email: Option<String>,
    #[garde(length(min = 8, max = 200))]
    pub password: Option<String>,
    /// Required when changing one's own password (`current_password_required`,
    /// `current_password_wrong`); the other sessions of the user end.
    #[garde(length(max = 200))]
    pub current_password: Option<String>,
    #[garde(skip)]
    pub role: Option<Role>,
    #[garde(skip)]
    pub active: Option<bool>,
    #[garde(skip)]
    pub availability: Option<Availability>,
}

/// An agent's chosen availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Online,
    Busy,
    Offline,
}

impl Availability {
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Online => "online",
            Availability::Busy => "busy",
            Availability::Offline => "offline",
        }
    }
}

/// Filters for `GET /api/v1/users`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListUsers {
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Matches name or email.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `{users, total}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
    pub total: u64,
}

/// `{user}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserEnvelope {
    pub user: UserView,
}
