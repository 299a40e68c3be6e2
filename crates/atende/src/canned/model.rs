//! API shapes for canned responses.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity;

/// A canned response as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CannedResponseView {
    pub id: Uuid,
    pub short_code: String,
    pub content: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<entity::Model> for CannedResponseView {
    fn from(m: entity::Model) -> Self {
        CannedResponseView {
            id: m.id,
            short_code: m.short_code,
            content: m.content,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Letters, digits, `-` and `_`: what an agent types after `/` in the composer.
fn short_code_chars(value: &str, _ctx: &()) -> garde::Result {
    if value.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        Ok(())
    } else {
        Err(garde::Error::new("may contain only letters, digits, '-' and '_'"))
    }
}

/// `POST /api/v1/canned-responses`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateCannedResponse {
    #[garde(length(chars, min = 1, max = 60), custom(short_code_chars))]
    pub short_code: String,
    #[garde(length(min = 1, max = 10000))]
    pub content: String,
}

/// `PATCH /api/v1/canned-responses/{id}`: only the given fields change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateCannedResponse {
    #[garde(inner(length(chars, min = 1, max = 60), custom(short_code_chars)))]
    pub short_code: Option<String>,
    #[garde(length(min = 1, max = 10000))]
    pub content: Option<String>,
}

/// Filters for `GET /api/v1/canned-responses`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListCannedResponses {
    /// Matches the short code or the content, case-insensitively.
    pub search: Option<String>,
}

/// `{cannedResponses}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CannedResponseList {
    pub canned_responses: Vec<CannedResponseView>,
}

/// `{cannedResponse}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CannedResponseEnvelope {
    pub canned_response: CannedResponseView,
}
