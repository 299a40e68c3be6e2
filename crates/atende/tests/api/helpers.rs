//! Test harness: `spawn_app()`, typed request helpers, tenant fixtures.

use std::{net::SocketAddr, path::PathBuf};

use atende::{
    app,
    audit::Actor,
    config::Config,
    db,
    platform::service::{NewTenant, create_tenant},
    state::AppState,
    tenancy::Role,
    users::{service::hash_password, store::NewUser},
};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

/// Which engine this run of the suite uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("ATENDE_TEST_DB").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

fn postgres_admin_url() -> String {
    std::env::var("ATENDE_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database created for one test and dropped afterwards.
pub struct TestDatabase {
    pub url: String,
    pg_name: Option<String>,
    _dir: tempfile::TempDir,
    pub data_dir: PathBuf,
}

impl TestDatabase {
    pub async fn create() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = dir.path().join("data");
        match backend() {
            Backend::Sqlite => {
                let url = format!("sqlite://{}/atende.db?mode=rwc", data_dir.display());
                TestDatabase { url, pg_name: None, _dir: dir, data_dir }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = Database::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL tests need a server at {admin_url}: {e}"));
                let name = format!("atende_t_{}", Uuid::now_v7().simple());
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
                admin.close().await.ok();
                let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url);
                TestDatabase { url: format!("{base}/{name}"), pg_name: Some(name), _dir: dir, data_dir }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            let admin_url = postgres_admin_url();
            // Drop runs outside async context; use a private runtime on a thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                        admin.close().await.ok();
                    }
                });
            })
            .join();
        }
    }
}

/// A running server with its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub state: AppState,
    /// The database this app owns (dropped with it); `None` for a second node.
    pub database: Option<TestDatabase>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A last change to the configuration before the server starts.
pub type Configure = Box<dyn FnOnce(&mut Config) + Send>;

/// Options for `spawn_with`.
#[derive(Default)]
pub struct Options {
    pub web_dir: Option<PathBuf>,
    pub login_rate_per_account: Option<u32>,
    pub cors_origins: Vec<String>,
    /// Background job workers; tests default to none and drive jobs with `run_jobs`.
    pub workers: usize,
    pub job_lease_secs: Option<u32>,
    /// Socket.IO backplane for multi-node tests.
    pub redis_url: Option<String>,
    pub redis_prefix: Option<String>,
    /// Asaas API base (a mock server) for payments tests.
    pub asaas_base_url: Option<String>,
    /// Last word on the configuration (provider base URLs, public URL, ...).
    pub configure: Option<Configure>,
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(options: Options) -> TestApp {
    init_tracing();
    let database = TestDatabase::create().await;
    spawn_on(database, options).await
}

/// Starts the server on an existing test database (e.g. one the CLI wrote to).
pub async fn spawn_on(database: TestDatabase, options: Options) -> TestApp {
    let mut app = start(&database.url, &database.data_dir, options).await;
    app.database = Some(database);
    app
}

impl TestApp {
    /// A second server instance on the same database and data folder (same master key),
    /// as behind a load balancer.
    pub async fn spawn_peer(&self, options: Options) -> TestApp {
        let database = self.database.as_ref().expect("the first node owns the database");
        start(&database.url, &database.data_dir, options).await
    }
}

async fn start(url: &str, data_dir: &std::path::Path, options: Options) -> TestApp {
    let mut config = Config::for_data_dir(data_dir.to_path_buf(), Some(url.to_string()));
    config.web_dir = options.web_dir.unwrap_or_else(|| data_dir.join("no-web"));
    if let Some(n) = options.login_rate_per_account {
        config.login_rate_per_account = n;
    }
    config.cors_origins = options.cors_origins;
    config.workers = options.workers;
    config.scheduler_secs = 0;
    config.job_backoff_ms = 0;
    if let Some(lease) = options.job_lease_secs {
        config.job_lease_secs = lease;
    }
    config.redis_url = options.redis_url;
    if let Some(prefix) = options.redis_prefix {
        config.redis_prefix = prefix;
    }
    config.asaas_base_url = options.asaas_base_url;
    // Provider and callback mocks listen on loopback (security tests turn this off).
    config.outbound_allow_private = true;
    if let Some(configure) = options.configure {
        configure(&mut config);
    }
    config.validate().expect("valid test config");
    let conn = db::open(&config).await.expect("open database");
    let state = AppState::new(config, conn.clone()).expect("state");
    let (tx, rx) = oneshot::channel::<()>();
    let running = app::serve(state.clone(), async move {
        let _ = rx.await;
    })
    .await
    .expect("serve");
    let base = format!("http://{}", running.addr);
    TestApp {
        addr: running.addr,
        base,
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
        db: conn,
        state,
        database: None,
        shutdown: Some(tx),
    }
}

/// Installs, once for the whole test binary, a subscriber that keeps server logs in
/// memory while a `LogCapture` is alive (and prints them with `TEST_LOG`).
fn init_tracing() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        use tracing_subscriber::{
            EnvFilter,
            filter::{FilterExt, filter_fn},
            fmt,
            prelude::*,
        };
        // Captured only while a capture is alive (so other tests pay almost nothing).
        let capturing = filter_fn(|_| CAPTURES.load(std::sync::atomic::Ordering::Relaxed) > 0);
        let levels = EnvFilter::new(
            "debug,sqlx=warn,sea_orm=warn,hyper=info,hyper_util=info,h2=info,wiremock=info,tungstenite=info,tokio_tungstenite=info,rustls=info",
        );
        let capture = fmt::layer().with_ansi(false).with_writer(|| LogSink).with_filter(capturing.and(levels));
        let print = std::env::var("TEST_LOG").is_ok().then(|| {
            let filter = EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info"));
            fmt::layer().compact().with_filter(filter)
        });
        let _ = tracing_subscriber::registry().with(capture).with(print).try_init();
    });
}

/// Log lines written while at least one capture is alive (every test of the binary
/// writes into it then; scans only look for values no other test uses).
static CAPTURED: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());
static CAPTURES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

struct LogSink;

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if CAPTURES.load(std::sync::atomic::Ordering::Relaxed) > 0 {
            CAPTURED.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Keeps the server's logs (level debug) from its creation until it is dropped.
pub struct LogCapture {
    start: usize,
}

impl LogCapture {
    pub fn start() -> Self {
        init_tracing();
        let start = CAPTURED.lock().unwrap_or_else(|e| e.into_inner()).len();
        CAPTURES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        LogCapture { start }
    }

    /// Everything logged since the capture started.
    pub fn text(&self) -> String {
        let all = CAPTURED.lock().unwrap_or_else(|e| e.into_inner());
        String::from_utf8_lossy(&all[self.start.min(all.len())..]).into_owned()
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        if CAPTURES.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) == 1 {
            CAPTURED.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
    }
}

/// Known secret values planted in a test (credentials, keys, tokens, passwords), each
/// with a name for the failure message. `scan` fails when any appears in a text.
#[derive(Debug, Default, Clone)]
pub struct Planted {
    values: Vec<(String, String)>,
}

impl Planted {
    /// A unique value for `name` (letters and digits only, so JSON and URLs keep it
    /// verbatim), remembered for the scans.
    pub fn plant(&mut self, name: &str) -> String {
        let value =
            format!("PLANTED{}{}", name.replace(|c: char| !c.is_ascii_alphanumeric(), ""), Uuid::now_v7().simple());
        self.values.push((name.to_string(), value.clone()));
        value
    }

    /// Remembers a value the server generated (an API token, a webhook secret).
    pub fn remember(&mut self, name: &str, value: &str) {
        assert!(value.len() >= 12, "{name}: too short to scan for");
        self.values.push((name.to_string(), value.to_string()));
    }

    /// The same values without those whose name contains `name_part` (a value a
    /// reply may show by design, e.g. the Asaas webhook token to the tenant's admin).
    pub fn except(&self, name_part: &str) -> Planted {
        Planted { values: self.values.iter().filter(|(n, _)| !n.contains(name_part)).cloned().collect() }
    }

    pub fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The names of the planted values found in `text` (also URL- and JSON-escaped forms).
    pub fn found_in(&self, text: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(_, v)| {
                let encoded: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
                text.contains(v.as_str()) || text.contains(&encoded)
            })
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Fails naming the secret and where it appeared.
    pub fn scan(&self, where_: &str, text: &str) {
        let found = self.found_in(text);
        assert!(found.is_empty(), "planted secret(s) {found:?} appeared in {where_}");
    }

    /// Scans a reply's status line, headers and body.
    pub fn scan_reply(&self, where_: &str, reply: &Reply) {
        let mut text = String::new();
        for (name, value) in &reply.headers {
            text.push_str(name.as_str());
            text.push_str(": ");
            text.push_str(&String::from_utf8_lossy(value.as_bytes()));
            text.push('\n');
        }
        text.push_str(&match &reply.body {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        self.scan(where_, &text);
    }
}

/// A workspace created for a test, with its admin's credentials.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub admin_id: Uuid,
    pub admin_email: String,
    pub admin_password: String,
}

pub const PASSWORD: &str = "s3cret-pass";

/// A logged-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub user_id: Uuid,
    pub tenant_id: Uuid,
}

/// A JSON response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The stable error code of an error reply.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl TestApp {
    /// The id of the newest event in the outbox (0 when empty).
    pub async fn last_event_seq(&self) -> i64 {
        use sea_orm::{EntityTrait, QueryOrder};
        atende::events::outbox::event::Entity::find()
            .order_by_desc(atende::events::outbox::event::Column::Seq)
            .one(&self.db)
            .await
            .expect("outbox")
            .map_or(0, |e| e.seq)
    }

    /// Events recorded after `seq`, in id order, without presence events (the login
    /// projector records those asynchronously, so they may land anywhere).
    pub async fn events_after(&self, seq: i64) -> Vec<atende::events::DomainEvent> {
        use atende::events::outbox::event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        event::Entity::find()
            .filter(event::Column::Seq.gt(seq))
            .order_by_asc(event::Column::Seq)
            .all(&self.db)
            .await
            .expect("outbox")
            .into_iter()
            .map(|e| serde_json::from_str(&e.payload).expect("typed event"))
            .filter(|e| {
                !matches!(
                    e,
                    atende::events::DomainEvent::AgentSignedIn(_)
                        | atende::events::DomainEvent::AgentStatusChanged(_)
                        | atende::events::DomainEvent::IdleWarned(_)
                )
            })
            .collect()
    }

    /// Runs every due background job now (instead of sleeping for workers).
    pub async fn run_jobs(&self) -> usize {
        atende::app::run_jobs_until_idle(&self.state).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Creates a workspace with an admin (through the same service the API uses).
    pub async fn create_tenant(&self, slug: &str) -> Tenant {
        let email = format!("admin@{slug}.test");
        let (tenant, admin) = create_tenant(
            &self.db,
            Actor::System,
            NewTenant { slug, name: slug, admin_email: &email, admin_password: PASSWORD, admin_name: "Admin" },
        )
        .await
        .expect("create tenant");
        Tenant {
            id: tenant.id,
            slug: tenant.slug,
            admin_id: admin.id,
            admin_email: email,
            admin_password: PASSWORD.into(),
        }
    }

    /// Adds a user with a role directly in the database.
    pub async fn create_user(&self, tenant: &Tenant, email: &str, role: Role) -> Uuid {
        let hash = hash_password(PASSWORD).await.expect("hash");
        atende::users::store::platform_insert(
            &self.db,
            tenant.id,
            NewUser { email, name: email.split('@').next().unwrap_or("user"), password_hash: &hash, role },
        )
        .await
        .expect("insert user")
        .id
    }

    /// `POST /api/v1/auth/login`.
    pub async fn login(&self, workspace: &str, email: &str, password: &str) -> Reply {
        self.request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"workspace": workspace, "email": email, "password": password})),
        )
        .await
    }

    /// Logs in and returns the session, panicking on failure.
    pub async fn session(&self, workspace: &str, email: &str) -> Session {
        let reply = self.login(workspace, email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "login failed: {:?}", reply.body);
        Session {
            token: reply.body["token"].as_str().expect("token").to_string(),
            user_id: reply.body["user"]["id"].as_str().expect("user id").parse().expect("uuid"),
            tenant_id: reply.body["tenant"]["id"].as_str().expect("tenant id").parse().expect("uuid"),
        }
    }

    /// The admin's session in a tenant.
    pub async fn admin(&self, tenant: &Tenant) -> Session {
        self.session(&tenant.slug, &tenant.admin_email).await
    }

    /// Any request with an optional bearer token and JSON body.
    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut builder = self.client.request(method, self.url(path));
        if let Some(token) = token {
            builder = builder.bearer_auth(token);
        }
        if let Some(body) = body {
            builder = builder.json(&body);
        }
        let response = builder.send().await.expect("request sent");
        read(response).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.request(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.request(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    /// Creates a platform super admin and returns a platform token.
    pub async fn super_admin(&self) -> String {
        let email = format!("root-{}@platform.test", Uuid::now_v7().simple());
        atende::platform::service::create_super_admin(&self.db, &email, PASSWORD, "Root").await.expect("super admin");
        let reply = self
            .request(Method::POST, "/api/v1/platform/login", None, Some(json!({"email": email, "password": PASSWORD})))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["token"].as_str().expect("token").to_string()
    }
}

/// Reads a response into a `Reply` (non-JSON bodies become a JSON string).
pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    Reply { status, headers, body }
}
