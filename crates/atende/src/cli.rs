//! Command line: `atende [serve]`, `migrate`, `tenant create|list`, `user create`,
//! `superadmin create`, `simulate`, `secrets rotate`, `productivity rebuild`. Every command works against the
//! same database as the server.

use clap::{Parser, Subcommand};

use crate::{
    app,
    audit::Actor,
    bootstrap,
    config::Config,
    db,
    platform::service::{self as platform_service, NewTenant},
    state::AppState,
    telemetry,
    tenancy::{self, Role},
    users::{self, service::hash_password, store::NewUser},
};

/// Atende server and administration tool.
#[derive(Debug, Parser)]
#[command(name = "atende", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage workspaces.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage users of a workspace.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage platform super admins.
    #[command(subcommand)]
    Superadmin(SuperadminCommand),
    /// Post a correctly signed, real-format provider webhook (an inbound customer
    /// message) to a running server: see a channel work without provider accounts.
    Simulate(SimulateArgs),
    /// Manage the master key that seals provider credentials.
    #[command(subcommand)]
    Secrets(SecretsCommand),
    /// Productivity metrics.
    #[command(subcommand)]
    Productivity(ProductivityCommand),
}

#[derive(Debug, Subcommand)]
pub enum ProductivityCommand {
    /// Re-project the domain events recorded since DATE onto the productivity events and
    /// conversation facts (after a change of metric definitions). Stop the servers first.
    Rebuild {
        /// `YYYY-MM-DD` (midnight UTC) or an RFC 3339 instant; the outbox keeps 3 days.
        #[arg(long)]
        from: String,
    },
}

/// `--from` of the rebuild: a day (midnight UTC) or an instant.
pub fn parse_from(value: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| anyhow::anyhow!("--from must be YYYY-MM-DD or an RFC 3339 instant"))
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Re-seal every stored credential under a new master key. Stop the servers first;
    /// start them again with the new key (login sessions end: tokens are signed with it).
    Rotate {
        /// The new key (64 hex characters or base64 of 32 bytes); a random one when absent.
        #[arg(long, env = "ATENDE_NEW_SECRET_KEY", hide_env_values = true)]
        new_key: Option<String>,
    },
    /// Point one credential field of a channel at an environment variable of the
    /// servers (platform operators only; the tenant API refuses such references). The
    /// name must start with ATENDE_CHANNEL_ENV_PREFIX.
    ChannelEnv {
        /// The channel id.
        #[arg(long)]
        channel: uuid::Uuid,
        /// The credential field, e.g. `authToken`.
        #[arg(long)]
        field: String,
        /// The variable's name, e.g. `ATENDE_CHANNEL_ACME_TWILIO_TOKEN`.
        #[arg(long)]
        env: String,
    },
}

/// `atende simulate {twilio|zapi|meta|instagram} --channel ID --from X --text T`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Which provider to imitate.
    #[arg(value_enum)]
    pub provider: crate::channels::simulate::SimProvider,
    /// The channel id (its secrets are read from the database).
    #[arg(long)]
    pub channel: uuid::Uuid,
    /// The customer: phone for WhatsApp, PSID / IGSID for Messenger / Instagram.
    #[arg(long)]
    pub from: String,
    /// The message text.
    #[arg(long)]
    pub text: String,
    /// A public media URL to attach.
    #[arg(long)]
    pub media: Option<String>,
    /// The customer's profile name.
    #[arg(long, default_value = "Cliente Simulado")]
    pub name: String,
    /// Where the server listens (default: ATENDE_PUBLIC_URL).
    #[arg(long)]
    pub server: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a workspace with its first admin.
    Create {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long, env = "ATENDE_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: String,
        #[arg(long, default_value = "Admin")]
        admin_name: String,
    },
    /// List workspaces.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user in a workspace.
    Create {
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        email: String,
        #[arg(long, env = "ATENDE_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// ADMIN, MANAGER or AGENT.
        #[arg(long, default_value = "AGENT")]
        role: String,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SuperadminCommand {
    /// Create a platform super admin.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, env = "ATENDE_SUPERADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, default_value = "Super Admin")]
        name: String,
    },
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    config.validate()?;
    telemetry::init(&config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let conn = db::connect(&config).await?;
            db::migrate(&conn).await?;
            println!("migrations applied ({})", db::redact(&config.database_url()));
            Ok(())
        }
        Command::Tenant(TenantCommand::Create { slug, name, admin_email, admin_password, admin_name }) => {
            let conn = db::open(&config).await?;
            let (tenant, admin) = platform_service::create_tenant(
                &conn,
                Actor::System,
                NewTenant {
                    slug: &slug,
                    name: &name,
                    admin_email: &admin_email,
                    admin_password: &admin_password,
                    admin_name: &admin_name,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("workspace `{}` created (id {}); admin {} (id {})", tenant.slug, tenant.id, admin.email, admin.id);
            Ok(())
        }
        Command::Tenant(TenantCommand::List) => {
            let conn = db::open(&config).await?;
            for t in tenancy::store::platform_list(&conn).await? {
                println!("{}\t{}\t{}\t{}", t.id, t.slug, t.status, t.name);
            }
            Ok(())
        }
        Command::User(UserCommand::Create { workspace, email, password, role, name }) => {
            let conn = db::open(&config).await?;
            let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("--role must be ADMIN, MANAGER or AGENT"))?;
            let tenant = tenancy::store::platform_find_by_slug(&conn, &workspace)
                .await?
                .ok_or_else(|| anyhow::anyhow!("workspace `{workspace}` does not exist"))?;
            if !email.contains('@') {
                anyhow::bail!("--email is not an email address");
            }
            if password.chars().count() < 8 {
                anyhow::bail!("--password must have at least 8 characters");
            }
            let hash = hash_password(&password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("user").to_string());
            let user = users::store::platform_insert(
                &conn,
                tenant.id,
                NewUser { email: &email, name: &name, password_hash: &hash, role },
            )
            .await
            .map_err(|e| match e.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                    anyhow::anyhow!("a user with email {email} already exists in `{workspace}`")
                }
                _ => e.into(),
            })?;
            println!("user {} ({}) created in `{}` (id {})", user.email, user.role, tenant.slug, user.id);
            Ok(())
        }
        Command::Simulate(args) => simulate(config, args).await,
        Command::Secrets(SecretsCommand::Rotate { new_key }) => rotate_secrets(config, new_key).await,
        Command::Productivity(ProductivityCommand::Rebuild { from }) => {
            let from = parse_from(&from)?;
            let conn = db::open(&config).await?;
            let done = crate::productivity::rebuild::rebuild(&conn, from).await?;
            println!(
                "productivity rebuilt from {from}: {} events forgotten, {} outbox events re-projected, {} productivity events now",
                done.forgotten, done.replayed, done.events
            );
            Ok(())
        }
        Command::Secrets(SecretsCommand::ChannelEnv { channel, field, env }) => {
            let conn = db::open(&config).await?;
            let state = AppState::new(config, conn)?;
            crate::channels::credentials::platform_set_env_reference(&state, channel, &field, &env).await?;
            println!("channel {channel}: credential `{field}` now reads ${env}");
            Ok(())
        }
        Command::Superadmin(SuperadminCommand::Create { email, password, name }) => {
            let conn = db::open(&config).await?;
            let admin = platform_service::create_super_admin(&conn, &email, &password, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("super admin {} created (id {})", admin.email, admin.id);
            Ok(())
        }
    }
}

async fn simulate(config: Config, args: SimulateArgs) -> anyhow::Result<()> {
    use crate::channels::{self, simulate};
    let conn = db::open(&config).await?;
    let channel = channels::store::platform_find(&conn, args.channel)
        .await?
        .ok_or_else(|| anyhow::anyhow!("channel {} does not exist", args.channel))?;
    let public_url = config.public_url();
    let server = args.server.clone().unwrap_or_else(|| public_url.clone());
    let state = AppState::new(config, conn)?;
    let resolved = channels::credentials::resolve(&state, &channel).map_err(|e| anyhow::anyhow!("{e}"))?;
    let secret = channels::service::webhook_secret(&state, &channel).map_err(|e| anyhow::anyhow!("{e}"))?;
    let request = simulate::build(
        args.provider,
        &channel,
        resolved.as_ref(),
        &String::from_utf8_lossy(&secret),
        &public_url,
        &simulate::SimMessage { from: args.from, text: args.text, media_url: args.media, name: args.name },
    )?;
    let mut builder = state.http.post(format!("{}{}", server.trim_end_matches('/'), request.path));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder.body(request.body).send().await?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    println!(
        "{} {} → {status} {text}",
        request.message_id,
        request.path.split('/').take(4).collect::<Vec<_>>().join("/")
    );
    if !status.is_success() {
        anyhow::bail!("the server answered {status}");
    }
    Ok(())
}

/// Re-seals what the current master key sealed (today: channel credentials and webhook
/// secrets; every new kind of sealed value must be added here) under a new key, in one
/// transaction. With a generated key file the file is replaced (old kept as
/// `secret.key.previous`); with `ATENDE_SECRET_KEY` the new key is printed to set.
async fn rotate_secrets(config: Config, new_key: Option<String>) -> anyhow::Result<()> {
    use crate::crypto::MasterKey;
    let conn = db::open(&config).await?;
    let from_file = config.secret_key.as_deref().is_none_or(|k| k.trim().is_empty());
    let old = MasterKey::load_or_generate(config.secret_key.as_deref(), &config.data_dir)?;
    let new = match new_key.filter(|k| !k.trim().is_empty()) {
        Some(text) => MasterKey::parse(&text)?,
        None => MasterKey::generate(),
    };
    let staged = if from_file { Some(new.stage_file(&config.data_dir)?) } else { None };
    let txn = db::begin_write(&conn).await?;
    let channels =
        crate::channels::credentials::reseal_all(&txn, &old.credentials_cipher(), &new.credentials_cipher()).await?;
    let payments =
        crate::payments::account::reseal_all(&txn, &old.credentials_cipher(), &new.credentials_cipher()).await?;
    txn.commit().await?;
    println!("re-sealed the credentials of {channels} channel(s)");
    println!("re-sealed the Asaas settings of {payments} workspace(s)");
    match staged {
        Some(staged) => {
            MasterKey::promote_file(&staged, &config.data_dir)?;
            println!("the new key is in {}", config.data_dir.join("secret.key").display());
        }
        None => {
            println!("set ATENDE_SECRET_KEY={} on every instance, then start them again", new.to_hex());
        }
    }
    println!("login sessions end: everyone signs in again");
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let conn = db::open(&config).await?;
    if let Some(login) = bootstrap::ensure_demo_workspace(&conn, &config).await? {
        println!();
        println!("  First run: created the demo workspace. Sign in with");
        println!("    workspace: {}", login.workspace);
        println!("    email:     {}", login.email);
        println!("    password:  {}", login.password);
        println!("  (shown once; change it in Settings → Users)");
        println!();
    }
    let state = AppState::new(config.clone(), conn)?;
    let running = app::serve(state, app::shutdown_signal()).await?;
    tracing::info!(addr = %running.addr, engine = ?config::Config::engine_of(&config.database_url())?, "Atende listening on {}", config.public_url());
    println!("Atende is running on http://{}", running.addr);
    running.handle.await??;
    tracing::info!("stopped");
    Ok(())
}

use crate::config;
