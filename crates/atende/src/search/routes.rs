//! `/api/v1/search`: any member of the workspace.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    model::{SearchQuery, SearchResults},
    service,
};
use crate::{error::AppResult, http::Query, state::AppState, tenancy::Scope};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// Contacts, conversations and messages matching what was typed (accents and case
/// ignored, phones by digits), newest first, with the matching parts marked.
#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 422, description = "q missing or too long")))]
pub async fn search(
    State(state): State<AppState>,
    scope: Scope,
    Query(query): Query<SearchQuery>,
) -> AppResult<axum::Json<SearchResults>> {
    Ok(axum::Json(service::search(&state, &scope, &query).await?))
}
