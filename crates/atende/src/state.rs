//! Shared application state, cheap to clone. Imports no domain: domains depend on it,
//! never the other way round.

use std::{ops::Deref, sync::Arc, time::Duration};

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

use crate::{
    clock::{Clock, ServerClock},
    config::Config,
    crypto::MasterKey,
    events::EventBus,
    security::{rate_limit::LoginLimiter, token::TokenKeys},
};

/// JSON bodies above this are refused with 413 (uploads get their own limit).
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// Shared state, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// What every handler can reach.
pub struct Inner {
    pub db: DatabaseConnection,
    pub config: Config,
    pub tokens: TokenKeys,
    pub master_key: MasterKey,
    pub login_limiter: LoginLimiter,
    pub metrics: PrometheusHandle,
    pub events: EventBus,
    /// Wakes a job worker when work is enqueued.
    pub job_notify: Arc<tokio::sync::Notify>,
    /// Wakes the inbound pipeline when a webhook delivery was stored.
    pub inbound_wake: Wake,
    /// Outbound HTTP to provider APIs (operator-configured hosts).
    pub http: reqwest::Client,
    /// Outbound HTTP to tenant-supplied URLs (API-channel callbacks): refuses private,
    /// loopback and metadata addresses unless the operator allows them.
    pub outbound: reqwest::Client,
    /// Origins allowed for CORS and cookie-authenticated writes, besides same-origin.
    pub allowed_origins: Vec<String>,
    /// Proxies whose `X-Forwarded-For` names the client (`ATENDE_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// "Now" for measured time (work sessions, presence); tests move it forward.
    pub clock: ServerClock,
    /// When each login session last made an authenticated API call (flushed to the
    /// work sessions by the scheduler; see `productivity`).
    pub last_seen: LastSeen,
    /// Liveness of the job worker pool (kept by its supervisor, read by `/readyz`).
    pub worker_health: WorkerHealth,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Builds state from config and an open (migrated) database.
    pub fn new(config: Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        let master_key = MasterKey::load_or_generate(config.secret_key.as_deref(), &config.data_dir)?;
        let tokens = TokenKeys::new(&master_key.derive("atende/jwt/v1"))?;
        let login_limiter = LoginLimiter::new(config.login_rate_per_ip, config.login_rate_per_account);
        let allowed_origins = config.allowed_origins();
        let config_allow_private = config.outbound_allow_private;
        let trusted_proxies = config.trusted_proxy_nets()?;
        Ok(AppState(Arc::new(Inner {
            db,
            config,
            tokens,
            master_key,
            login_limiter,
            metrics: metrics_handle(),
            events: EventBus::default(),
            job_notify: Arc::new(tokio::sync::Notify::new()),
            inbound_wake: Wake::default(),
            http: reqwest::Client::builder()
                .user_agent(concat!("Atende/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(30))
                .build()?,
            outbound: crate::security::outbound::client(config_allow_private)?,
            allowed_origins,
            trusted_proxies,
            clock: ServerClock::default(),
            last_seen: LastSeen::default(),
            worker_health: WorkerHealth::default(),
        })))
    }

    /// The current time of the measured clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// How many job workers should run and how many do: a pool whose workers all died
/// (and are waiting to be restarted) cannot run jobs, and `/readyz` says so.
#[derive(Debug, Default)]
pub struct WorkerHealth {
    /// Workers this process was configured to run.
    pub expected: std::sync::atomic::AtomicUsize,
    /// Workers whose loop is running now.
    pub alive: std::sync::atomic::AtomicUsize,
    /// Times the supervisor restarted a dead worker since start.
    pub restarts: std::sync::atomic::AtomicU64,
}

impl WorkerHealth {
    /// `false` when workers are configured and none is running.
    pub fn can_run(&self) -> bool {
        use std::sync::atomic::Ordering;
        self.expected.load(Ordering::SeqCst) == 0 || self.alive.load(Ordering::SeqCst) > 0
    }
}

/// One login session's latest authenticated request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub tenant_id: uuid::Uuid,
    pub user_id: uuid::Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// In-memory "last authenticated request" per login session: a request costs a map
/// insert, not a database write; the scheduler drains it every tick.
#[derive(Clone, Default)]
pub struct LastSeen(Arc<std::sync::Mutex<std::collections::HashMap<uuid::Uuid, Seen>>>);

impl LastSeen {
    /// Notes a request of `session`.
    pub fn touch(&self, session: uuid::Uuid, seen: Seen) {
        if let Ok(mut map) = self.0.lock() {
            map.entry(session).and_modify(|s| s.at = s.at.max(seen.at)).or_insert(seen);
        }
    }

    /// Forgets a session (its latest signal was just written).
    pub fn forget(&self, session: uuid::Uuid) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&session);
        }
    }

    /// Takes everything noted since the last drain.
    pub fn drain(&self) -> Vec<(uuid::Uuid, Seen)> {
        match self.0.lock() {
            Ok(mut map) => map.drain().collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// One Prometheus recorder per process (tests run many apps in one process).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed");
            }
            handle
        })
        .clone()
}

/// A wake-up signal that is never missed: a waiter that was busy when `wake` was
/// called sees it on its next `changed()`.
#[derive(Clone)]
pub struct Wake(Arc<tokio::sync::watch::Sender<u64>>);

impl Default for Wake {
    fn default() -> Self {
        Wake(Arc::new(tokio::sync::watch::channel(0).0))
    }
}

impl Wake {
    pub fn wake(&self) {
        self.0.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.0.subscribe()
    }
}
