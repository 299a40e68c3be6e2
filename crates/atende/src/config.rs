//! Typed configuration from environment variables and command-line flags.

use std::{net::SocketAddr, path::PathBuf};

use anyhow::{Context, bail};
use clap::Args;

/// Server configuration; every field can come from a flag or an `ATENDE_*` variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "ATENDE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Folder for the embedded database, the generated secret key and uploads.
    #[arg(long, env = "ATENDE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// `sqlite://…` or `postgres://…`; empty means SQLite in the data folder.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Public base URL (scheme://host[:port]) used in webhook URLs shown to users.
    #[arg(long, env = "ATENDE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// 32-byte master key (64 hex chars or base64) for JWTs and credential encryption.
    #[arg(long, env = "ATENDE_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Comma-separated extra origins allowed for CORS, cookie-authenticated writes and sockets.
    #[arg(long, env = "ATENDE_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Redis URL for the Socket.IO backplane (optional).
    #[arg(long, env = "REDIS_URL")]
    pub redis_url: Option<String>,

    /// Channel prefix on Redis, so several deployments can share one Redis.
    #[arg(long, env = "ATENDE_REDIS_PREFIX", default_value = "atende")]
    pub redis_prefix: String,

    /// Folder with the built web app (index.html + assets).
    #[arg(long, env = "ATENDE_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,

    /// Lifetime of a login token, in minutes.
    #[arg(long, env = "ATENDE_TOKEN_TTL_MINUTES", default_value_t = 720)]
    pub token_ttl_minutes: u32,

    /// Login attempts allowed per client IP per minute.
    #[arg(long, env = "ATENDE_LOGIN_RATE_PER_IP", default_value_t = 20)]
    pub login_rate_per_ip: u32,

    /// Login attempts allowed per account (workspace + email) per minute.
    #[arg(long, env = "ATENDE_LOGIN_RATE_PER_ACCOUNT", default_value_t = 5)]
    pub login_rate_per_account: u32,

    /// Maximum connections in the database pool (SQLite and Postgres).
    #[arg(long, env = "ATENDE_DB_POOL", default_value_t = 8)]
    pub db_pool: u32,

    /// Background job workers in this process (0: none; another process works the queue).
    #[arg(long, env = "ATENDE_WORKERS", default_value_t = 2)]
    pub workers: usize,

    /// Inbound pipeline lanes (each applies its senders' deliveries in order, in
    /// batches). 0: automatic (1 on SQLite, which has one writer; 4 on PostgreSQL).
    /// No lanes run when `ATENDE_WORKERS` is 0.
    #[arg(long, env = "ATENDE_INBOUND_LANES", default_value_t = 0)]
    pub inbound_lanes: usize,

    /// Base of the exponential retry backoff of jobs, in milliseconds.
    #[arg(long, env = "ATENDE_JOB_BACKOFF_MS", default_value_t = 2000)]
    pub job_backoff_ms: u64,

    /// Seconds a claimed job stays locked to its worker; after that another may take it.
    #[arg(long, env = "ATENDE_JOB_LEASE_SECS", default_value_t = 120)]
    pub job_lease_secs: u32,

    /// Seconds between scheduler ticks (snooze wake-ups; once per cluster); 0 disables.
    #[arg(long, env = "ATENDE_SCHEDULER_SECS", default_value_t = 15)]
    pub scheduler_secs: u64,

    /// Slug of the demo workspace created on first run.
    #[arg(long, env = "ATENDE_DEMO_WORKSPACE", default_value = "demo")]
    pub demo_workspace: String,

    /// Email of the demo workspace's admin.
    #[arg(long, env = "ATENDE_DEMO_EMAIL", default_value = "admin@demo.atende.local")]
    pub demo_email: String,

    /// Password of the demo admin; random (and printed once) when unset.
    #[arg(long, env = "ATENDE_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    /// Log format: `pretty` or `json`.
    #[arg(long, env = "ATENDE_LOG_FORMAT", default_value = "pretty")]
    pub log_format: String,

    /// Overrides the Asaas API base URL of both environments (tests, proxies).
    #[arg(long, env = "ATENDE_ASAAS_BASE_URL")]
    pub asaas_base_url: Option<String>,
    /// Twilio REST API host (tests and sandboxes point it elsewhere).
    #[arg(long, env = "ATENDE_TWILIO_BASE_URL", default_value = providers::twilio::DEFAULT_BASE_URL)]
    pub twilio_base_url: String,

    /// Meta Graph API host for Messenger and Instagram.
    #[arg(long, env = "ATENDE_META_GRAPH_BASE_URL", default_value = providers::meta::DEFAULT_GRAPH_BASE_URL)]
    pub meta_graph_base_url: String,

    /// Meta Graph API version path segment, e.g. `v25.0`.
    #[arg(long, env = "ATENDE_META_GRAPH_VERSION", default_value = providers::meta::DEFAULT_GRAPH_VERSION)]
    pub meta_graph_version: String,

    /// Z-API host.
    #[arg(long, env = "ATENDE_ZAPI_BASE_URL", default_value = providers::zapi::DEFAULT_BASE_URL)]
    pub zapi_base_url: String,

    /// Seconds between Z-API status polls while a QR code waits to be scanned.
    #[arg(long, env = "ATENDE_ZAPI_QR_POLL_SECS", default_value_t = 15)]
    pub zapi_qr_poll_secs: u64,

    /// Channel credentials may reference environment variables (`{"env": NAME}`, set by
    /// the operator, never through the tenant API) only when NAME starts with this prefix.
    /// Empty: no environment references at all.
    #[arg(long, env = "ATENDE_CHANNEL_ENV_PREFIX", default_value = "ATENDE_CHANNEL_")]
    pub channel_env_prefix: String,

    /// Lets the server fetch and post to loopback, private, link-local and cloud
    /// metadata addresses (callback URLs, media). Only for on-premise integrations.
    #[arg(long, env = "ATENDE_OUTBOUND_ALLOW_PRIVATE", default_value_t = false)]
    pub outbound_allow_private: bool,

    /// Comma-separated proxy addresses or CIDRs whose `X-Forwarded-For` is believed
    /// (for the client IP of rate limits and logs). Empty: the TCP peer is the client.
    #[arg(long, env = "ATENDE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// Bearer token required by `/metrics` (when set).
    #[arg(long, env = "ATENDE_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Seconds between re-checks of a live socket's token (revoked API token, ended
    /// session, changed role); a login token's expiry closes its socket on time anyway.
    #[arg(long, env = "ATENDE_SOCKET_RECHECK_SECS", default_value_t = 30)]
    pub socket_recheck_secs: u64,

    /// Serve `/metrics` on this separate address only (e.g. 127.0.0.1:9100) instead of
    /// the public one.
    #[arg(long, env = "ATENDE_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
}

/// The two supported engines, chosen from the URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Config {
    /// The database URL in force: the given one or SQLite inside the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_string(),
            _ => format!("sqlite://{}/atende.db?mode=rwc", self.data_dir.display()),
        }
    }

    /// The engine for a database URL; any other scheme is an error, never a silent file.
    pub fn engine_of(url: &str) -> anyhow::Result<Engine> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            bail!("DATABASE_URL has unsupported scheme `{scheme}`: use sqlite://PATH or postgres://USER@HOST/DB")
        }
    }

    /// The public base URL without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
            _ => format!("http://{}", self.bind),
        }
    }

    /// Checks values that clap cannot, with a message that says what to fix.
    pub fn validate(&self) -> anyhow::Result<()> {
        Self::engine_of(&self.database_url())?;
        let public = self.public_url();
        let parsed = url::Url::parse(&public).with_context(|| format!("ATENDE_PUBLIC_URL `{public}` is not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            bail!("ATENDE_PUBLIC_URL must start with http:// or https://");
        }
        for origin in &self.cors_origins {
            let parsed = url::Url::parse(origin.trim())
                .with_context(|| format!("ATENDE_CORS_ORIGINS entry `{origin}` is not an origin URL"))?;
            if parsed.path() != "/" || parsed.query().is_some() {
                bail!("ATENDE_CORS_ORIGINS entry `{origin}` must be an origin (scheme://host[:port]) without a path");
            }
        }
        if self.token_ttl_minutes == 0 {
            bail!("ATENDE_TOKEN_TTL_MINUTES must be at least 1");
        }
        if self.login_rate_per_ip == 0 || self.login_rate_per_account == 0 {
            bail!("login rate limits must be at least 1 per minute");
        }
        if self.job_lease_secs == 0 {
            bail!("ATENDE_JOB_LEASE_SECS must be at least 1");
        }
        if self.db_pool == 0 {
            bail!("ATENDE_DB_POOL must be at least 1");
        }
        if !matches!(self.log_format.as_str(), "pretty" | "json") {
            bail!("ATENDE_LOG_FORMAT must be `pretty` or `json`");
        }
        if let Some(asaas) = self.asaas_base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            let parsed =
                url::Url::parse(asaas).with_context(|| format!("ATENDE_ASAAS_BASE_URL `{asaas}` is not a URL"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                bail!("ATENDE_ASAAS_BASE_URL must start with http:// or https://");
            }
        }
        for (name, value) in [
            ("ATENDE_TWILIO_BASE_URL", &self.twilio_base_url),
            ("ATENDE_META_GRAPH_BASE_URL", &self.meta_graph_base_url),
            ("ATENDE_ZAPI_BASE_URL", &self.zapi_base_url),
        ] {
            let parsed = url::Url::parse(value.trim()).with_context(|| format!("{name} `{value}` is not a URL"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                bail!("{name} must start with http:// or https://");
            }
        }
        self.trusted_proxy_nets()?;
        if self.meta_graph_version.trim().is_empty() || self.meta_graph_version.contains('/') {
            bail!("ATENDE_META_GRAPH_VERSION must be a version segment such as v25.0");
        }
        Ok(())
    }

    /// The trusted proxies as networks (a bare address is a /32 or /128).
    pub fn trusted_proxy_nets(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .with_context(|| format!("ATENDE_TRUSTED_PROXIES entry `{p}` is not an IP address or CIDR"))
            })
            .collect()
    }

    /// Origins allowed besides the request's own host: the public URL and the CORS list.
    pub fn allowed_origins(&self) -> Vec<String> {
        let mut origins: Vec<String> = self
            .cors_origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/').to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if let Ok(url) = url::Url::parse(&self.public_url()) {
            origins.push(url.origin().ascii_serialization());
        }
        origins.sort();
        origins.dedup();
        origins
    }

    /// A configuration for tests and tools: defaults, with the given data folder and database.
    pub fn for_data_dir(data_dir: PathBuf, database_url: Option<String>) -> Self {
        Self {
            bind: "127.0.0.1:0".parse().expect("valid literal address"),
            data_dir,
            database_url,
            public_url: None,
            secret_key: None,
            cors_origins: Vec::new(),
            redis_url: None,
            redis_prefix: "atende".into(),
            web_dir: PathBuf::from("web/dist"),
            token_ttl_minutes: 720,
            login_rate_per_ip: 20,
            login_rate_per_account: 5,
            db_pool: 8,
            log_format: "pretty".into(),
            workers: 2,
            inbound_lanes: 0,
            job_backoff_ms: 2000,
            job_lease_secs: 120,
            scheduler_secs: 15,
            demo_workspace: "demo".into(),
            demo_email: "admin@demo.atende.local".into(),
            demo_password: None,
            asaas_base_url: None,
            twilio_base_url: providers::twilio::DEFAULT_BASE_URL.into(),
            meta_graph_base_url: providers::meta::DEFAULT_GRAPH_BASE_URL.into(),
            meta_graph_version: providers::meta::DEFAULT_GRAPH_VERSION.into(),
            zapi_base_url: providers::zapi::DEFAULT_BASE_URL.into(),
            zapi_qr_poll_secs: 15,
            channel_env_prefix: "ATENDE_CHANNEL_".into(),
            outbound_allow_private: false,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            metrics_bind: None,
            socket_recheck_secs: 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_database_scheme_is_an_error() {
        assert!(Config::engine_of("mysql://root@localhost/x").is_err());
        assert!(Config::engine_of("atende.db").is_err());
        assert_eq!(Config::engine_of("sqlite://data/a.db?mode=rwc").unwrap(), Engine::Sqlite);
        assert_eq!(Config::engine_of("postgresql://u@h/db").unwrap(), Engine::Postgres);
    }

    #[test]
    fn default_database_is_sqlite_in_data_dir() {
        let config = Config::for_data_dir(PathBuf::from("/tmp/x"), None);
        assert_eq!(config.database_url(), "sqlite:///tmp/x/atende.db?mode=rwc");
        config.validate().unwrap();
    }

    #[test]
    fn asaas_base_url_must_be_http() {
        let mut config = Config::for_data_dir(PathBuf::from("/tmp/x"), None);
        config.asaas_base_url = Some("ftp://mock".into());
        assert!(config.validate().is_err());
        config.asaas_base_url = Some("http://127.0.0.1:9999".into());
        config.validate().unwrap();
    }

    #[test]
    fn cors_origin_with_path_is_rejected() {
        let mut config = Config::for_data_dir(PathBuf::from("/tmp/x"), None);
        config.cors_origins = vec!["https://app.example.com/inbox".into()];
        assert!(config.validate().is_err());
    }
}
