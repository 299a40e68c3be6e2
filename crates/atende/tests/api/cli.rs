//! The CLI against a temporary database, then the server on the same database.

use std::process::Command;

use migration::MigratorTrait;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::*;

fn atende(database: &TestDatabase, args: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_atende"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("ATENDE_DATA_DIR", &database.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run atende");
    assert!(
        output.status.success(),
        "atende {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[tokio::test]
async fn cli_commands_create_what_the_server_then_accepts() {
    let database = TestDatabase::create().await;
    atende(&database, &["migrate"]);
    let out = atende(
        &database,
        &[
            "tenant",
            "create",
            "--slug",
            "loja",
            "--name",
            "Loja",
            "--admin-email",
            "dono@loja.test",
            "--admin-password",
            "password1",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("workspace `loja` created"));
    atende(
        &database,
        &[
            "user",
            "create",
            "--workspace",
            "loja",
            "--email",
            "ana@loja.test",
            "--password",
            "password2",
            "--role",
            "manager",
        ],
    );
    atende(&database, &["superadmin", "create", "--email", "root@x.test", "--password", "password3"]);
    let list = atende(&database, &["tenant", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("loja"));

    // A duplicate is refused with a clear message and a non-zero exit.
    let dup = Command::new(env!("CARGO_BIN_EXE_atende"))
        .args(["user", "create", "--workspace", "loja", "--email", "ana@loja.test", "--password", "password2"])
        .env("DATABASE_URL", &database.url)
        .env("ATENDE_DATA_DIR", &database.data_dir)
        .output()
        .unwrap();
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));

    let app = spawn_on(database, Options::default()).await;
    assert_eq!(app.login("loja", "dono@loja.test", "password1").await.status, StatusCode::OK);
    let manager = app.login("loja", "ana@loja.test", "password2").await;
    assert_eq!(manager.body["user"]["role"], "MANAGER");
    let root = app
        .request(
            reqwest::Method::POST,
            "/api/v1/platform/login",
            None,
            Some(serde_json::json!({"email": "root@x.test", "password": "password3"})),
        )
        .await;
    assert_eq!(root.status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_atende"))
        .arg("migrate")
        .env("DATABASE_URL", "mysql://root@localhost/atende")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unsupported scheme"));
}

#[tokio::test]
async fn migrations_run_twice_are_a_no_op() {
    let app = spawn_app().await;
    let count = |db: &sea_orm::DatabaseConnection| {
        let backend = db.get_database_backend();
        let db = db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(backend, "SELECT COUNT(*) AS n FROM seaql_migrations"))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<i64>("", "n").unwrap()
        }
    };
    let before = count(&app.db).await;
    assert!(before >= 1);
    let tenant = app.create_tenant("acme").await;
    atende::db::migrate(&app.db).await.unwrap();
    migration::Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(count(&app.db).await, before);
    // Data survives the second run.
    assert_eq!(app.login("acme", &tenant.admin_email, PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_first_run_creates_one_demo_workspace_only_once() {
    let app = spawn_app().await;
    let mut config = app.state.config.clone();
    config.demo_password = None;
    let first = atende::bootstrap::ensure_demo_workspace(&app.db, &config).await.unwrap().expect("created");
    assert_eq!(first.workspace, "demo");
    assert!(first.password.len() >= 12, "a random password is generated");
    assert!(atende::bootstrap::ensure_demo_workspace(&app.db, &config).await.unwrap().is_none());
    let reply = app.login("demo", &first.email, &first.password).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["user"]["role"], "ADMIN");
}
