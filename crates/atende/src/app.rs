//! Top-level wiring: the one place that lists every route, every job kind's handler
//! and every event subscriber, and starts the server. Domains never import this module.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, Request},
    middleware,
    routing::{any, get},
};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    sensitive_headers::SetSensitiveRequestHeadersLayer,
    trace::TraceLayer,
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    auth, channels,
    events::dispatcher::{Dispatcher, Subscriber},
    http, inbox,
    jobs::{self, JobError, JobPayload, JobRunner, worker::WorkerPool},
    payments, platform, productivity, realtime, settings,
    state::{AppState, JSON_BODY_LIMIT},
    teams, users, webhooks,
};

/// The job-kind dispatch table: from a job's payload to the domain code that does it.
pub struct Jobs;

#[async_trait::async_trait]
impl JobRunner for Jobs {
    async fn run(&self, state: &AppState, job: &jobs::entity::Model, payload: JobPayload) -> Result<(), JobError> {
        match payload {
            // Deliveries stored before the inbound pipeline had their own job; the
            // pipeline now takes every received row itself.
            JobPayload::ProcessWebhook { .. } => Ok(()),
            JobPayload::DeliverMessage { message_id } => {
                let tenant_id = job.tenant_id.ok_or_else(|| JobError::Fatal("delivery job without tenant".into()))?;
                let attempt = inbox::delivery::Attempt { number: job.attempts, of: job.max_attempts };
                inbox::delivery::deliver(state, tenant_id, message_id, attempt).await
            }
            JobPayload::ProcessAsaasEvent { event_id } => payments::webhook::process_event(state, event_id).await,
            JobPayload::FetchPixCode { charge_id } => {
                let tenant_id = job.tenant_id.ok_or_else(|| JobError::Fatal("pix job without tenant".into()))?;
                payments::charges::fetch_pix_code(state, tenant_id, charge_id).await
            }
            JobPayload::RegisterZapiWebhooks { channel_id } => {
                channels::connection::register_webhooks(state, channel_id).await
            }
            JobPayload::WatchZapiConnection { channel_id, generation } => {
                channels::connection::watch(state, channel_id, generation).await
            }
        }
    }
}

/// Applies every stored webhook delivery and runs every due job now, in this task
/// (tests and tools drive background work this way); returns how many ran.
pub async fn run_jobs_until_idle(state: &AppState) -> usize {
    let mut total = 0;
    loop {
        let ran = webhooks::pipeline::run_until_idle(state).await + jobs::worker::run_until_idle(state, &Jobs).await;
        if ran == 0 {
            return total;
        }
        total += ran;
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Atende API", description = "Omnichannel inbox, CRM, payments and productivity. All tenant data is scoped to the caller's workspace."),
    modifiers(&SecurityAddon),
    components(schemas(realtime::fanout::SocketEvents)),
    tags((name = "auth"), (name = "users"), (name = "teams"), (name = "settings"), (name = "channels"), (name = "inbox"),
         (name = "contacts"), (name = "canned-responses"), (name = "search"), (name = "jobs"), (name = "webhooks"), (name = "platform"), (name = "audit", description = "The audit log of sensitive actions (admins)."),
         (name = "activity", description = "Remote work: work sessions, idle periods and presence (ACTIVE / IDLE / OFFLINE). Only activity inside Atende is measured."),
         (name = "payments", description = "Asaas charges. Money is returned as a string with exactly two decimals (\"1234.50\") and accepted as such a string or a JSON number with at most two decimals."))
)]
struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT or atd_ token").build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
        openapi.security = Some(vec![
            utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new()),
            utoipa::openapi::security::SecurityRequirement::new("cookie", Vec::<String>::new()),
        ]);
    }
}

/// The OpenAPI document of the whole API (what `/api/openapi.json` serves).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().split_for_parts().1
}

/// Every `/api/v1` route with its OpenAPI description.
pub fn api_router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(auth::routes::router())
        .merge(users::routes::router())
        .merge(teams::routes::router())
        .merge(settings::routes::router())
        .merge(platform::routes::router())
        .merge(channels::routes::router())
        .merge(inbox::routes::router())
        .merge(crate::contacts::routes::router())
        .merge(crate::canned::routes::router())
        .merge(crate::search::routes::router())
        .merge(jobs::routes::router())
        .merge(payments::routes::router())
        .merge(productivity::routes::router())
        .merge(productivity::categories_routes::router())
        .merge(productivity::reports_routes::router())
        .merge(crate::audit::routes::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .merge(webhooks::router())
        .merge(payments::webhook::router())
}

/// The whole HTTP application with Socket.IO (Redis backplane when `REDIS_URL` is
/// set), and the outbox subscriber that feeds the sockets.
pub async fn router_with_realtime(state: AppState) -> anyhow::Result<(Router, Arc<dyn Subscriber>)> {
    match state.config.redis_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => {
            use socketioxide_redis::{RedisAdapter, RedisAdapterConfig, RedisAdapterCtr, drivers::redis::redis_client};
            // The adapter speaks RESP3 (Redis 7+).
            let url = if url.contains("protocol=") {
                url.to_string()
            } else {
                format!("{url}{}protocol=resp3", if url.contains('?') { '&' } else { '?' })
            };
            let client = redis_client::Client::open(url.as_str())
                .map_err(|e| anyhow::anyhow!("REDIS_URL is not usable: {e}"))?;
            let config = RedisAdapterConfig::new().with_prefix(state.config.redis_prefix.clone());
            let adapter = RedisAdapterCtr::new_with_redis_config(&client, config)
                .await
                .map_err(|e| anyhow::anyhow!("cannot reach Redis for the Socket.IO backplane: {e}"))?;
            let (layer, io) = socketioxide::SocketIo::builder()
                .with_adapter::<RedisAdapter<_>>(adapter)
                .with_state(state.clone())
                .build_layer();
            crate::register_realtime!(io).await.map_err(|e| anyhow::anyhow!("Socket.IO backplane: {e}"))?;
            let fanout: Arc<dyn Subscriber> = Arc::new(realtime::fanout::Fanout::new(io, state.db.clone()));
            Ok((router_inner(state, Some(layer)), fanout))
        }
        None => {
            let (layer, io) = socketioxide::SocketIo::builder().with_state(state.clone()).build_layer();
            crate::register_realtime!(io);
            let fanout: Arc<dyn Subscriber> = Arc::new(realtime::fanout::Fanout::new(io, state.db.clone()));
            Ok((router_inner(state, Some(layer)), fanout))
        }
    }
}

/// The HTTP application without realtime (tools and tests that need no sockets).
/// The inbox's records of a contact, for contacts' merge and erasure.
pub fn contact_records() -> crate::contacts::records::Records {
    Arc::new(inbox::contact_records::InboxRecords)
}

pub fn router(state: AppState) -> Router {
    router_inner::<tower::layer::util::Identity>(state, None)
}

fn router_inner<L>(state: AppState, socket_layer: Option<L>) -> Router
where
    L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
    L::Service: tower::Service<axum::extract::Request> + Clone + Send + Sync + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Response: axum::response::IntoResponse + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Error: Into<std::convert::Infallible> + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
{
    let (api, openapi) = api_router().split_for_parts();
    let api = api.route_layer(middleware::from_fn(http::middleware::record_metrics));
    let request_id = HeaderName::from_static("x-request-id");
    let mut app = Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .route("/api", any(http::static_files::api_not_found))
        .route("/api/{*rest}", any(http::static_files::api_not_found))
        .route("/healthz", get(http::health::healthz))
        .route("/readyz", get(http::health::readyz))
        .route("/media/{id}/{expires}/{signature}", get(inbox::attachments::public_download))
        .merge(if state.config.metrics_bind.is_none() { metrics_router() } else { Router::new() })
        .merge(http::static_files::router(&state.config.web_dir))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        // Ports a domain needs from one above it (contacts → inbox records).
        .layer(axum::Extension(contact_records()));
    if let Some(layer) = socket_layer {
        app = app.layer(layer);
    }
    let mut app = app.layer(http::middleware::cors(&state.allowed_origins));
    for layer in http::middleware::security_headers(state.config.public_url().starts_with("https://")) {
        app = app.layer(layer);
    }
    app.layer(
        ServiceBuilder::new()
            .layer(SetSensitiveRequestHeadersLayer::new([axum::http::header::AUTHORIZATION, axum::http::header::COOKIE]))
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("http", method = %req.method(), path = %webhooks::loggable_path(req.uri().path()), request_id = %id, tenant_id = tracing::field::Empty)
                }),
            )
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(CatchPanicLayer::new()),
    )
    .with_state(state)
}

/// `/metrics` (on the main address, or alone on `ATENDE_METRICS_BIND`).
fn metrics_router() -> Router<AppState> {
    Router::new().route("/metrics", get(http::health::metrics))
}

/// A running server.
pub struct Running {
    pub addr: SocketAddr,
    pub handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds and serves until `shutdown` resolves, then drains in-flight requests.
pub async fn serve<F>(state: AppState, shutdown: F) -> anyhow::Result<Running>
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind(state.config.bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", state.config.bind))?;
    let addr = listener.local_addr()?;
    let (app, fanout) = router_with_realtime(state.clone()).await?;
    let dispatcher = start_dispatcher(&state, subscribers(&state, fanout));
    let pipeline = webhooks::pipeline::Pipeline::start(state.clone(), inbound_lanes(&state), instance_id());
    let workers = WorkerPool::start(state.clone(), state.config.workers, Arc::new(Jobs));
    let (stop_scheduler, scheduler_stopped) = tokio::sync::watch::channel(false);
    let scheduler = (state.config.scheduler_secs > 0).then(|| {
        crate::scheduler::spawn(state.clone(), Duration::from_secs(state.config.scheduler_secs), scheduler_stopped)
    });
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    // Metrics on their own address (e.g. loopback only), when configured.
    let metrics_server = match state.config.metrics_bind {
        Some(bind) => {
            let listener = TcpListener::bind(bind)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {bind} for metrics: {e}"))?;
            let router = metrics_router().with_state(state.clone());
            Some(tokio::spawn(async move { axum::serve(listener, router).await }))
        }
        None => None,
    };
    let handle = tokio::spawn(async move {
        let result = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
        if let Some(metrics_server) = metrics_server {
            metrics_server.abort();
        }
        // Stop claiming jobs and let the ones in flight finish before exiting.
        let _ = stop_scheduler.send(true);
        if let Some(scheduler) = scheduler {
            let _ = scheduler.await;
        }
        pipeline.stop().await;
        workers.drain().await;
        dispatcher.stop().await;
        result
    });
    Ok(Running { addr, handle })
}

/// Every outbox subscriber: realtime fan-out, and domains reacting to other domains'
/// changes without calling into them.
pub fn subscribers(state: &AppState, realtime: Arc<dyn Subscriber>) -> Vec<Arc<dyn Subscriber>> {
    vec![
        realtime,
        Arc::new(inbox::resend::ResendOnReconnect { state: state.clone() }),
        Arc::new(productivity::projector::Projector { state: state.clone() }),
        Arc::new(productivity::projector::MetricsProjector { db: state.db.clone() }),
        Arc::new(inbox::routing::RequeueOnOffline { state: state.clone() }),
    ]
}

/// Delivers outbox events to the subscribers.
pub fn start_dispatcher(state: &AppState, subscribers: Vec<Arc<dyn Subscriber>>) -> Dispatcher {
    let holder = format!(
        "{}-{}-{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "atende".into()),
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    );
    Dispatcher::start(state.db.clone(), &state.events, crate::events::dispatcher::LEASE, holder, subscribers)
}

/// Inbound lanes: none without workers; else as configured, or 1 on SQLite (one
/// writer: more lanes would only queue on its lock) and 4 on PostgreSQL (measured:
/// BENCHMARKS.md).
fn inbound_lanes(state: &AppState) -> usize {
    match (state.config.workers, state.config.inbound_lanes) {
        (0, _) => 0,
        (_, 0) if crate::db::is_sqlite(&state.db) => 1,
        (_, 0) => 4,
        (_, n) => n,
    }
}

/// This process's name in leases (unique per start).
fn instance_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "atende".into());
    format!("{host}-{}-{}", std::process::id(), uuid::Uuid::now_v7().simple())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown requested; draining");
    // Give load balancers a moment to notice before refusing new connections.
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[cfg(test)]
mod tests {
    /// The web app's types are generated from `web/src/lib/api/openapi.json`; it must be
    /// the server's document. Regenerate with
    /// `ATENDE_UPDATE_OPENAPI=1 cargo test -p atende --lib openapi` then
    /// `cd web && npm run api:types`.
    #[test]
    fn the_committed_openapi_document_is_the_servers() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/src/lib/api/openapi.json");
        let current = serde_json::to_value(super::openapi()).expect("serialisable");
        if std::env::var("ATENDE_UPDATE_OPENAPI").is_ok() {
            // The server's own key order, as `npm run api:fetch` saves it.
            let text = super::openapi().to_pretty_json().expect("json") + "\n";
            std::fs::write(&path, text).expect("write openapi.json");
        }
        let committed: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("committed spec")).expect("valid json");
        assert!(
            committed == current,
            "web/src/lib/api/openapi.json drifted from the server: ATENDE_UPDATE_OPENAPI=1 cargo test -p atende --lib openapi, then cd web && npm run api:types"
        );
    }
}
