//! First run: with no tenant yet, create a demo workspace and its admin and print the
//! login once (or take them from `ATENDE_DEMO_*`).

use rand::Rng;
use sea_orm::DatabaseConnection;

use crate::{
    audit::Actor,
    config::Config,
    platform::service::{NewTenant, create_tenant},
    tenancy,
};

/// The printed first-run login.
pub struct DemoLogin {
    pub workspace: String,
    pub email: String,
    pub password: String,
}

/// Creates the demo workspace when the database has no tenant; `None` otherwise.
pub async fn ensure_demo_workspace(db: &DatabaseConnection, config: &Config) -> anyhow::Result<Option<DemoLogin>> {
    if tenancy::store::platform_any(db).await? {
        return Ok(None);
    }
    let workspace = config.demo_workspace.clone();
    let email = config.demo_email.clone();
    let password = config.demo_password.clone().filter(|p| !p.is_empty()).unwrap_or_else(random_password);
    create_tenant(
        db,
        Actor::System,
        NewTenant {
            slug: &workspace,
            name: "Demo",
            admin_email: &email,
            admin_password: &password,
            admin_name: "Demo Admin",
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot create the demo workspace: {e}"))?;
    Ok(Some(DemoLogin { workspace, email, password }))
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
