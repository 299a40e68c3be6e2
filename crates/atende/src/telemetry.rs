//! Structured logs with tracing: pretty for people, JSON for machines.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber (`RUST_LOG` overrides the default filter).
pub fn init(format: &str) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if format == "json" {
        registry.with(fmt::layer().json().with_current_span(true)).try_init()
    } else {
        registry.with(fmt::layer().compact()).try_init()
    };
    if result.is_err() {
        eprintln!("a tracing subscriber was already installed");
    }
}
