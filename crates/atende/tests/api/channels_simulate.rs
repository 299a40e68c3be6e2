//! `atende simulate`: the CLI posts a correctly signed, real-format webhook to a
//! running server, using the channel's stored secrets.

use tokio::process::Command;

use crate::{channel_helpers::*, core_helpers::count, helpers::*};

async fn simulate(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_atende"))
        .arg("simulate")
        .args(args)
        .args(["--server", &app.base])
        .env("DATABASE_URL", &app.database.as_ref().unwrap().url)
        .env("ATENDE_DATA_DIR", &app.database.as_ref().unwrap().data_dir)
        .env("ATENDE_PUBLIC_URL", PUBLIC_URL)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run atende")
}

#[tokio::test]
async fn simulate_posts_signed_webhooks_that_every_channel_accepts() {
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channels = [
        ("twilio", app.twilio_channel(&admin).await, "+5511987654321"),
        ("zapi", app.zapi_channel(&admin).await, "+5511912345678"),
        ("meta", app.messenger_channel(&admin).await, "6543210987654321"),
        ("instagram", app.instagram_channel(&admin).await, "9876543210123456"),
    ];
    for (provider, channel, from) in &channels {
        let text = format!("Olá pelo {provider}! ção");
        let out = simulate(&app, &[provider, "--channel", &channel.id, "--from", from, "--text", &text]).await;
        assert!(
            out.status.success(),
            "simulate {provider} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(!printed.contains(&channel.secret), "the Z-API URL secret is not printed");
    }
    // A media message and a mismatched provider.
    let out = simulate(
        &app,
        &[
            "twilio",
            "--channel",
            &channels[0].1.id,
            "--from",
            "+5511987654321",
            "--text",
            "foto",
            "--media",
            "https://example.com/foto.jpg",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let wrong = simulate(&app, &["meta", "--channel", &channels[0].1.id, "--from", "1", "--text", "x"]).await;
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("WHATSAPP_TWILIO"));

    app.run_jobs().await;
    assert_eq!(count(&app, "conversations").await, 4);
    assert_eq!(count(&app, "messages").await, 5);
    let list = app.get("/api/v1/conversations", &admin.token).await;
    let previews: Vec<&str> = list.body["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["lastMessagePreview"].as_str())
        .collect();
    assert!(previews.contains(&"Olá pelo meta! ção"), "{previews:?}");
    assert!(previews.contains(&"foto"), "{previews:?}");
}

#[tokio::test]
async fn secrets_rotate_reseals_channel_credentials_under_the_new_key() {
    use sea_orm::EntityTrait;
    let providers = Providers::start().await;
    let app = spawn_with_providers(&providers).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.twilio_channel(&admin).await;
    let token = "t".repeat(40);
    let asaas = app
        .put(
            "/api/v1/asaas/settings",
            &admin.token,
            serde_json::json!({"apiKey": "$aact_test_key", "webhookToken": token}),
        )
        .await;
    assert_eq!(asaas.status, reqwest::StatusCode::OK, "{:?}", asaas.body);
    let old_key = std::fs::read_to_string(app.database.as_ref().unwrap().data_dir.join("secret.key")).unwrap();
    let new_key = "ab".repeat(32);

    let out = Command::new(env!("CARGO_BIN_EXE_atende"))
        .args(["secrets", "rotate", "--new-key", &new_key])
        .env("DATABASE_URL", &app.database.as_ref().unwrap().url)
        .env("ATENDE_DATA_DIR", &app.database.as_ref().unwrap().data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("re-sealed the credentials of 1 channel(s)"));
    assert_eq!(std::fs::read_to_string(app.database.as_ref().unwrap().data_dir.join("secret.key")).unwrap(), new_key);
    assert_eq!(
        std::fs::read_to_string(app.database.as_ref().unwrap().data_dir.join("secret.key.previous")).unwrap(),
        old_key
    );

    let row = atende::channels::entity::Entity::find_by_id(channel.id.parse::<uuid::Uuid>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let new_cipher = atende::crypto::MasterKey::parse(&new_key).unwrap().credentials_cipher();
    let old_cipher = atende::crypto::MasterKey::parse(&old_key).unwrap().credentials_cipher();
    let sealed = row.credentials_sealed.unwrap();
    let credentials: serde_json::Value = serde_json::from_slice(&new_cipher.decrypt(&sealed).unwrap()).unwrap();
    assert_eq!(credentials["authToken"], TWILIO_TOKEN);
    assert!(old_cipher.decrypt(&sealed).is_err());
    assert_eq!(new_cipher.decrypt(&row.webhook_secret_sealed).unwrap(), channel.secret.as_bytes());

    // Payments secrets move to the new key too.
    assert!(String::from_utf8_lossy(&out.stdout).contains("re-sealed the Asaas settings of 1 workspace(s)"));
    let settings =
        atende::payments::entity::settings::Entity::find_by_id(tenant.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(new_cipher.decrypt(settings.api_key_sealed.as_deref().unwrap()).unwrap(), b"$aact_test_key");
    assert_eq!(new_cipher.decrypt(&settings.webhook_token_sealed).unwrap(), token.as_bytes());
    assert!(old_cipher.decrypt(&settings.webhook_token_sealed).is_err());
}
