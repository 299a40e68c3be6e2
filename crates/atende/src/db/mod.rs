//! Database connection and migrations: one code path for SQLite (embedded default)
//! and PostgreSQL, chosen from the URL scheme.

pub mod cache;

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use crate::config::{Config, Engine};

/// Opens the pool for the configured database (creating the data folder for SQLite).
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let url = config.database_url();
    let engine = Config::engine_of(&url)?;
    let url = if engine == Engine::Postgres { loopback_without_tls(&url) } else { url };
    if engine == Engine::Sqlite {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data folder {}", config.data_dir.display()))?;
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(config.db_pool)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if engine == Engine::Sqlite {
        // WAL lets readers run beside the one writer; NORMAL is durable across app
        // crashes (not power loss) at ~3x the write rate of FULL.
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database ({})", redact(&url)))?;
    Ok(db)
}

/// Applies pending migrations; a second run is a no-op.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("migrations failed")?;
    Ok(())
}

/// Connects and migrates: what `serve` and every CLI command start with.
pub async fn open(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = connect(config).await?;
    migrate(&db).await?;
    Ok(db)
}

/// A PostgreSQL URL on this machine's loopback with no `sslmode` gets `sslmode=disable`:
/// the driver's default (`prefer`) would wrap every local round trip in TLS, which costs
/// CPU on both ends and protects nothing. Any explicit `sslmode` is kept.
fn loopback_without_tls(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else { return url.to_string() };
    let loopback = match parsed.host() {
        // `postgres:` is not a special scheme: its host comes back as a plain string.
        Some(url::Host::Domain(name)) => {
            name == "localhost"
                || name
                    .trim_matches(|c| c == '[' || c == ']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if !loopback || parsed.query_pairs().any(|(k, _)| k == "sslmode") {
        return url.to_string();
    }
    format!("{url}{}sslmode=disable", if parsed.query().is_some() { '&' } else { '?' })
}

/// A trivial query for readiness checks.
pub async fn ping(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(backend, "SELECT 1")).await.map(|_| ())
}

/// Whether the connection is SQLite (single writer: no `SKIP LOCKED`).
pub fn is_sqlite(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DatabaseBackend::Sqlite
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Begins a transaction that will write. On SQLite it starts `IMMEDIATE`, taking the
/// write lock up front: a deferred transaction that reads first and writes later fails
/// at once with "database is locked" when another writer got in between (the busy
/// timeout cannot help a read-to-write upgrade). PostgreSQL ignores the mode.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::loopback_without_tls;

    #[test]
    fn local_postgres_skips_tls_unless_asked() {
        assert_eq!(
            loopback_without_tls("postgres://u@127.0.0.1:5432/db"),
            "postgres://u@127.0.0.1:5432/db?sslmode=disable"
        );
        assert_eq!(
            loopback_without_tls("postgres://u@localhost/db?x=1"),
            "postgres://u@localhost/db?x=1&sslmode=disable"
        );
        assert_eq!(
            loopback_without_tls("postgres://u@127.0.0.1/db?sslmode=require"),
            "postgres://u@127.0.0.1/db?sslmode=require"
        );
        assert_eq!(loopback_without_tls("postgres://u@db.example.com/db"), "postgres://u@db.example.com/db");
    }
}
