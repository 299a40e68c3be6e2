//! The built web app, with SPA fallback: unknown non-API paths get index.html.

use std::path::Path;

use axum::{
    Router,
    http::{StatusCode, header},
    response::{Html, IntoResponse},
    routing::get,
};
use tower_http::services::{ServeDir, ServeFile};

use crate::{error::AppError, state::AppState};

/// Serves `web_dir`, or a page saying how to build it when it is missing.
pub fn router(web_dir: &Path) -> Router<AppState> {
    let index = web_dir.join("index.html");
    if index.exists() {
        let serve = ServeDir::new(web_dir).append_index_html_on_directories(true).fallback(ServeFile::new(index));
        Router::new().fallback_service(serve)
    } else {
        tracing::warn!(dir = %web_dir.display(), "web app not built (run `make web`); serving a placeholder");
        Router::new().fallback(get(not_built))
    }
}

async fn not_built() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, "no-store")],
        Html(
            "<!doctype html><title>Atende</title><p>The web app is not built. Run <code>make web</code> (or <code>make run</code>) and reload.</p>",
        ),
    )
}

/// JSON 404 for any unknown `/api/...` path (never the SPA's index.html).
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}
