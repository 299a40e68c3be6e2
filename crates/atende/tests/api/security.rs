//! Security regressions (issue 12): each test failed before its fix.

use std::{sync::Arc, time::Duration};

use reqwest::StatusCode;
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::method};

use crate::helpers::*;

// ── 1. A tenant's callback cannot stop background work ──────────────────────────────

#[tokio::test]
async fn a_callback_answering_429_with_a_huge_retry_after_does_not_stop_the_workers() {
    let app = spawn_app().await;
    let hostile = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "99999999999999"))
        .mount(&hostile)
        .await;
    let honest = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&honest).await;

    let evil = app.create_tenant("evil").await;
    let evil_admin = app.admin(&evil).await;
    let evil_channel = app.api_channel(&evil_admin, &hostile.uri()).await;
    let evil_conversation = app.receive(&evil_channel, "ext-1", "cust-1", "oi").await;
    let good = app.create_tenant("good").await;
    let good_admin = app.admin(&good).await;
    let good_channel = app.api_channel(&good_admin, &honest.uri()).await;
    let good_conversation = app.receive(&good_channel, "ext-1", "cust-1", "oi").await;

    // One background worker, as a small deployment has.
    let pool = atende::jobs::worker::WorkerPool::start(app.state.clone(), 1, Arc::new(atende::app::Jobs));
    let sent = app
        .post("/api/v1/messages", &evil_admin.token, json!({"conversationId": evil_conversation, "content": "x"}))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED);
    wait_until(|| async { !hostile.received_requests().await.unwrap().is_empty() }).await;
    // The hostile delivery waits for a capped delay, not until the end of time (once
    // the worker has recorded the attempt and let the job go).
    wait_until(|| async { one_job(&app, "deliver_message", evil.id).await.status != "running" }).await;
    let job = one_job(&app, "deliver_message", evil.id).await;
    assert_eq!(job.status, "queued", "{job:?}");
    assert!(job.run_at <= chrono::Utc::now() + chrono::TimeDelta::hours(1) + chrono::TimeDelta::seconds(5));

    let sent = app
        .post("/api/v1/messages", &good_admin.token, json!({"conversationId": good_conversation, "content": "y"}))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED);
    wait_until(|| async { !honest.received_requests().await.unwrap().is_empty() }).await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready["workers"]["alive"], 1);
    pool.drain().await;
}

struct Panicking;

#[async_trait::async_trait]
impl atende::jobs::JobRunner for Panicking {
    async fn run(
        &self,
        _state: &atende::state::AppState,
        _job: &atende::jobs::entity::Model,
        _payload: atende::jobs::JobPayload,
    ) -> Result<(), atende::jobs::JobError> {
        panic!("handler bug");
    }
}

#[tokio::test]
async fn a_panicking_job_handler_fails_its_job_with_the_reason_and_the_worker_goes_on() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let payload = atende::jobs::JobPayload::FetchPixCode { charge_id: uuid::Uuid::now_v7() };
    atende::jobs::enqueue(&app.db, Some(tenant.id), &payload, None).await.unwrap();
    let ran = atende::jobs::worker::run_once(&app.state, &Panicking, "w1").await.unwrap();
    assert!(ran, "the panic was caught and the job released");
    let job = one_job(&app, "fetch_pix_code", tenant.id).await;
    assert_eq!(job.status, "dead");
    assert!(job.last_error.as_deref().unwrap_or("").contains("panicked: handler bug"), "{job:?}");
    assert!(!atende::jobs::worker::run_once(&app.state, &Panicking, "w1").await.unwrap(), "nothing left to claim");
}

#[tokio::test]
async fn readyz_reports_a_job_pool_whose_workers_are_all_dead() {
    use std::sync::atomic::Ordering;
    let app = spawn_app().await;
    let health = &app.state.worker_health;
    health.expected.store(2, Ordering::SeqCst);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    health.alive.store(1, Ordering::SeqCst);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}

// ── 2. Channel credentials cannot read the server's environment ─────────────────────

#[tokio::test]
async fn a_tenant_admin_cannot_point_channel_credentials_at_server_environment_variables() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    for env in ["PATH", "ATENDE_SECRET_KEY", "ATENDE_CHANNEL_TWILIO"] {
        let body = json!({"type": "WHATSAPP_TWILIO", "name": "T", "accountId": crate::channel_helpers::TWILIO_SID,
                          "phoneNumber": "+14155238886", "credentials": {"authToken": {"env": env}}});
        let reply = app.post("/api/v1/channels", &admin.token, body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{env}: {:?}", reply.body);
        assert_eq!(reply.code(), "credential_env_not_allowed");
        assert!(!reply.body.to_string().contains(env), "the answer does not echo the name");
    }
    let channel = app.create_channel(&admin, crate::channel_helpers::twilio_body()).await;
    let reply = app
        .patch(
            &format!("/api/v1/channels/{}", channel.id),
            &admin.token,
            json!({"credentials": {"authToken": {"env": "PATH"}}}),
        )
        .await;
    assert_eq!(reply.code(), "credential_env_not_allowed");
}

#[tokio::test]
async fn only_the_operator_may_reference_prefixed_environment_variables() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.create_channel(&admin, crate::channel_helpers::twilio_body()).await;
    let id: uuid::Uuid = channel.id.parse().unwrap();
    use atende::channels::credentials::platform_set_env_reference as set_env;
    assert!(set_env(&app.state, id, "authToken", "PATH").await.is_err(), "outside the prefix");
    assert!(set_env(&app.state, id, "authToken", "ATENDE_SECRET_KEY").await.is_err());
    set_env(&app.state, id, "authToken", "ATENDE_CHANNEL_SEC_TEST_UNSET").await.unwrap();
    let row = atende::channels::store::platform_find(&app.db, id).await.unwrap().unwrap();
    let err = atende::channels::credentials::resolve(&app.state, &row).unwrap_err().to_string();
    assert!(!err.contains("ATENDE_CHANNEL_SEC_TEST_UNSET"), "{err}");
}

// ── 3. A Meta Page / Instagram account belongs to one channel ──────────────────────

#[tokio::test]
async fn a_second_tenant_cannot_register_a_page_id_already_connected_elsewhere() {
    use crate::channel_helpers::{IG_ID, PAGE_ID, meta_body};
    let app = spawn_app().await;
    let acme = app.create_tenant("acme").await;
    let acme_admin = app.admin(&acme).await;
    let page = app.create_channel(&acme_admin, meta_body("FACEBOOK_MESSENGER", PAGE_ID)).await;
    app.create_channel(&acme_admin, meta_body("INSTAGRAM", IG_ID)).await;
    let evil = app.create_tenant("evil").await;
    let evil_admin = app.admin(&evil).await;
    for (kind, id) in [("FACEBOOK_MESSENGER", PAGE_ID), ("INSTAGRAM", IG_ID), ("INSTAGRAM", PAGE_ID)] {
        let reply = app.post("/api/v1/channels", &evil_admin.token, meta_body(kind, id)).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{kind} {id}: {:?}", reply.body);
        assert_eq!(reply.code(), "account_id_in_use");
        assert!(!reply.body.to_string().contains("acme"), "nothing about the owner");
    }
    // Moving another channel onto the id is refused too.
    let other = app.create_channel(&evil_admin, meta_body("FACEBOOK_MESSENGER", "999888777666")).await;
    let reply =
        app.patch(&format!("/api/v1/channels/{}", other.id), &evil_admin.token, json!({"accountId": PAGE_ID})).await;
    assert_eq!(reply.code(), "account_id_in_use");
    // Once the owner disables its channel the id is free; re-enabling the old one then conflicts.
    let off = app.delete(&format!("/api/v1/channels/{}", page.id), &acme_admin.token).await;
    assert_eq!(off.status, StatusCode::OK);
    let reply =
        app.patch(&format!("/api/v1/channels/{}", other.id), &evil_admin.token, json!({"accountId": PAGE_ID})).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let reply = app.patch(&format!("/api/v1/channels/{}", page.id), &acme_admin.token, json!({"enabled": true})).await;
    assert_eq!(reply.code(), "account_id_in_use");
}

// ── 4. No server-side request forgery through callback URLs ────────────────────────

async fn spawn_strict() -> TestApp {
    spawn_with(Options {
        configure: Some(Box::new(|config| config.outbound_allow_private = false)),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn callback_urls_on_loopback_private_or_metadata_addresses_are_refused() {
    let app = spawn_strict().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost:8080/hook",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://192.168.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0:5432/",
    ] {
        let reply = app
            .post("/api/v1/channels", &admin.token, json!({"type": "API", "name": "Site", "callbackUrl": url}))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {:?}", reply.body);
        assert_eq!(reply.code(), "callback_url_not_allowed", "{url}");
    }
    let ok = app
        .post(
            "/api/v1/channels",
            &admin.token,
            json!({"type": "API", "name": "Site", "callbackUrl": "https://93.184.215.14/hook"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    let id = ok.body["channel"]["id"].as_str().unwrap();
    let moved = app
        .patch(&format!("/api/v1/channels/{id}"), &admin.token, json!({"callbackUrl": "http://127.0.0.1:9/x"}))
        .await;
    assert_eq!(moved.code(), "callback_url_not_allowed");
}

#[tokio::test]
async fn a_delivery_to_a_callback_that_now_points_at_a_private_address_is_not_sent() {
    let app = spawn_strict().await;
    let internal = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&internal).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "https://93.184.215.14/hook").await;
    // The stored URL now points inside (an old row, or a name re-pointed after the check).
    let scope = atende::tenancy::Scope::system(tenant.id);
    let row = atende::channels::store::platform_find(&app.db, channel.id.parse().unwrap()).await.unwrap().unwrap();
    let url = format!("{}/hook", internal.uri());
    atende::channels::store::update(&app.db, &scope, row, |a| a.callback_url = sea_orm::Set(Some(url))).await.unwrap();
    let conversation = app.receive(&channel, "ext-1", "cust-1", "oi").await;
    let sent =
        app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation, "content": "x"})).await;
    assert_eq!(sent.status, StatusCode::CREATED);
    app.run_jobs().await;
    assert!(internal.received_requests().await.unwrap().is_empty(), "nothing reached the internal address");
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation}"), &admin.token).await;
    let message = &history.body["messages"][0];
    assert_eq!(message["status"], "FAILED", "{message:?}");
    assert!(message["failureReason"].as_str().unwrap().contains("not public"), "{message:?}");
}

#[tokio::test]
async fn a_callback_error_body_is_not_shown_to_agents() {
    let app = spawn_app().await;
    let callback = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string("<html>internal admin panel, token=abc123</html>"))
        .mount(&callback)
        .await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, &callback.uri()).await;
    let conversation = app.receive(&channel, "ext-1", "cust-1", "oi").await;
    app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation, "content": "x"})).await;
    app.run_jobs().await;
    let history = app.get(&format!("/api/v1/messages?conversationId={conversation}"), &admin.token).await;
    let reason = history.body["messages"][0]["failureReason"].as_str().unwrap().to_string();
    assert!(reason.contains("400"), "{reason}");
    assert!(!reason.contains("abc123") && !reason.contains("admin panel"), "{reason}");
}

// ── 5. Login throttling ─────────────────────────────────────────────────────────────

async fn login_from(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> StatusCode {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"workspace": "acme", "email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_ip_budget() {
    let app = spawn_with(Options {
        configure: Some(Box::new(|config| {
            config.trusted_proxies = vec!["127.0.0.1/32".into(), "::1/128".into()];
            config.login_rate_per_ip = 3;
            config.login_rate_per_account = 100;
        })),
        ..Default::default()
    })
    .await;
    app.create_tenant("acme").await;
    for n in 0..3 {
        assert_eq!(
            login_from(&app, "198.51.100.1", &format!("x{n}@acme.test"), "nope").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(login_from(&app, "198.51.100.1", "y@acme.test", "nope").await, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not throttled by the first one.
    assert_eq!(login_from(&app, "198.51.100.2", "y@acme.test", "nope").await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn x_forwarded_for_from_an_untrusted_peer_does_not_escape_the_ip_limit() {
    let app = spawn_with(Options {
        configure: Some(Box::new(|config| {
            config.login_rate_per_ip = 3;
            config.login_rate_per_account = 100;
        })),
        ..Default::default()
    })
    .await;
    app.create_tenant("acme").await;
    for n in 0..3 {
        let spoofed = format!("203.0.113.{n}");
        assert_eq!(login_from(&app, &spoofed, &format!("x{n}@acme.test"), "nope").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login_from(&app, "203.0.113.99", "y@acme.test", "nope").await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn only_failed_attempts_spend_an_accounts_budget() {
    let app = spawn_with(Options { login_rate_per_account: Some(2), ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    // Signing in correctly, many times, never locks the account.
    for _ in 0..5 {
        assert_eq!(app.login("acme", &tenant.admin_email, PASSWORD).await.status, StatusCode::OK);
    }
    for _ in 0..2 {
        assert_eq!(app.login("acme", &tenant.admin_email, "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.login("acme", &tenant.admin_email, PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

// ── 6. Revocation ───────────────────────────────────────────────────────────────────

fn rechecking_every_second() -> Options {
    Options { configure: Some(Box::new(|config| config.socket_recheck_secs = 1)), ..Default::default() }
}

#[tokio::test]
async fn changing_ones_own_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let agent_id = app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let laptop = app.session("acme", "ana@acme.test").await;
    let phone = app.session("acme", "ana@acme.test").await;
    let (mut phone_socket, _) = crate::socket::SocketProbe::connect(&app.base, Some(&phone.token), None).await;
    let path = format!("/api/v1/users/{agent_id}");

    let missing = app.patch(&path, &laptop.token, json!({"password": "brand-new-pass"})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.code(), "current_password_required");
    let wrong =
        app.patch(&path, &laptop.token, json!({"password": "brand-new-pass", "currentPassword": "guess"})).await;
    assert_eq!(wrong.code(), "current_password_wrong");
    assert_eq!(app.login("acme", "ana@acme.test", "brand-new-pass").await.status, StatusCode::UNAUTHORIZED);

    let ok = app.patch(&path, &laptop.token, json!({"password": "brand-new-pass", "currentPassword": PASSWORD})).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert_eq!(app.get("/api/v1/auth/me", &laptop.token).await.status, StatusCode::OK, "this session stays");
    assert_eq!(app.get("/api/v1/auth/me", &phone.token).await.status, StatusCode::UNAUTHORIZED, "others end");
    assert_eq!(phone_socket.event("force_logout").await["reason"], "access_revoked");
    assert_eq!(app.login("acme", "ana@acme.test", "brand-new-pass").await.status, StatusCode::OK);
    phone_socket.close().await;
}

#[tokio::test]
async fn a_socket_is_closed_when_its_login_token_expires() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let claims = app.state.tokens.verify(&admin.token).unwrap();
    let soon = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    let short =
        app.state.tokens.sign(&atende::security::token::claims(claims.sub, claims.tid, claims.sid, soon)).unwrap();
    let (mut socket, _) = crate::socket::SocketProbe::connect(&app.base, Some(&short), None).await;
    let out = socket
        .wait_for(|v| v["name"] == "force_logout", Duration::from_secs(15))
        .await
        .expect("force_logout at expiry");
    assert_eq!(out["data"]["reason"], "expired");
    assert!(socket.wait_for(|v| v["type"] == "disconnect", Duration::from_secs(5)).await.is_some());
}

#[tokio::test]
async fn a_socket_opened_with_an_api_token_is_closed_when_the_token_is_revoked() {
    let app = spawn_with(rechecking_every_second()).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let created = app.post("/api/v1/auth/tokens", &admin.token, json!({"name": "bot"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let api_token = created.body["token"].as_str().unwrap().to_string();
    let id = created.body["apiToken"]["id"].as_str().or(created.body["id"].as_str()).unwrap().to_string();
    let (mut socket, _) = crate::socket::SocketProbe::connect(&app.base, Some(&api_token), None).await;
    assert_eq!(app.delete(&format!("/api/v1/auth/tokens/{id}"), &admin.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(socket.event("force_logout").await["reason"], "access_revoked");
    assert!(socket.wait_for(|v| v["type"] == "disconnect", Duration::from_secs(5)).await.is_some());
}

#[tokio::test]
async fn a_socket_is_closed_when_its_users_role_changes() {
    let app = spawn_with(rechecking_every_second()).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let manager_id = app.create_user(&tenant, "gil@acme.test", atende::tenancy::Role::Manager).await;
    let manager = app.session("acme", "gil@acme.test").await;
    let (mut socket, _) = crate::socket::SocketProbe::connect(&app.base, Some(&manager.token), None).await;
    let demoted = app.patch(&format!("/api/v1/users/{manager_id}"), &admin.token, json!({"role": "AGENT"})).await;
    assert_eq!(demoted.status, StatusCode::OK, "{:?}", demoted.body);
    // Closed (without signing out): the client reconnects into the rooms an agent may join.
    assert!(socket.wait_for(|v| v["type"] == "disconnect", Duration::from_secs(10)).await.is_some());
    assert_eq!(app.get("/api/v1/auth/me", &manager.token).await.status, StatusCode::OK);
}

// ── 8. CSV exports are safe in spreadsheets of either separator ────────────────────

#[tokio::test]
async fn exported_cells_are_quoted_and_formulas_neutralised_for_comma_and_semicolon_spreadsheets() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let name = "Ana;=HYPERLINK(\"http://evil\",\"x\")";
    let created = app.post("/api/v1/contacts", &admin.token, json!({"name": name})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    app.post("/api/v1/contacts", &admin.token, json!({"name": "-1+cmd|' /C calc'!A0"})).await;
    for (separator, delimiter) in [("comma", b','), ("semicolon", b';')] {
        let url = app.url(&format!("/api/v1/contacts/export.csv?separator={separator}"));
        let bytes = app.client.get(url).bearer_auth(&admin.token).send().await.unwrap().bytes().await.unwrap();
        let csv = std::str::from_utf8(&bytes).unwrap().strip_prefix('\u{feff}').expect("a UTF-8 BOM for Excel");
        // Every cell is quoted: no separator splits it in a `,` or a `;` spreadsheet.
        for line in csv.lines() {
            assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
        }
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(csv.as_bytes());
        let mut names = Vec::new();
        for record in reader.records() {
            let record = record.unwrap();
            for cell in record.iter() {
                // Whatever could start a formula, here or after a separator, is neutralised.
                let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || cell.contains([',', ';']);
                assert!(!risky || cell.starts_with('\''), "cell {cell:?} of {csv}");
            }
            names.push(record[1].to_string());
        }
        assert!(names.contains(&format!("'{name}")), "{names:?}");
        assert!(names.contains(&"'-1+cmd|' /C calc'!A0".to_string()), "{names:?}");
    }
}

// ── 9. Roles as narrow as SPEC ─────────────────────────────────────────────────────

#[tokio::test]
async fn agents_cannot_read_channel_configuration_nor_merge_contacts() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let channel = app.create_channel(&admin, crate::channel_helpers::twilio_body()).await;
    let list = app.get("/api/v1/channels", &agent.token).await;
    assert_eq!(list.status, StatusCode::OK);
    let seen = &list.body["channels"][0];
    assert_eq!(seen["name"], "WhatsApp Twilio", "the agent still sees which channels exist");
    assert!(seen["accountId"].is_null() && seen["phoneNumber"].is_null(), "{seen}");
    assert!(!list.body.to_string().contains(crate::channel_helpers::TWILIO_SID));
    let one = app.get(&format!("/api/v1/channels/{}", channel.id), &agent.token).await;
    assert!(one.body["channel"]["accountId"].is_null() && one.body["channel"]["webhookUrl"] == "", "{:?}", one.body);
    let admin_view = app.get(&format!("/api/v1/channels/{}", channel.id), &admin.token).await;
    assert_eq!(admin_view.body["channel"]["accountId"], crate::channel_helpers::TWILIO_SID);

    let a = app.post("/api/v1/contacts", &admin.token, json!({"name": "Ana"})).await;
    let b = app.post("/api/v1/contacts", &admin.token, json!({"name": "Ana 2"})).await;
    let (a, b) = (a.body["contact"]["id"].as_str().unwrap(), b.body["contact"]["id"].as_str().unwrap());
    let merge = app.post(&format!("/api/v1/contacts/{a}/merge"), &agent.token, json!({"otherContactId": b})).await;
    assert_eq!(merge.status, StatusCode::FORBIDDEN, "{:?}", merge.body);
}

// ── 11. Smaller ones ────────────────────────────────────────────────────────────────

#[tokio::test]
async fn endpoints_with_side_effects_no_longer_answer_get() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let id = uuid::Uuid::now_v7();
    for path in [
        format!("/api/v1/channels/{id}/qr-code"),
        format!("/api/v1/channels/{id}/connection"),
        format!("/api/v1/asaas/charges/{id}/status"),
    ] {
        let get = app.get(&path, &admin.token).await;
        assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED, "GET {path}");
        let post = app.post(&path, &admin.token, json!({})).await;
        assert_eq!(post.status, StatusCode::NOT_FOUND, "POST {path}: {:?}", post.body);
    }
}

#[tokio::test]
async fn metrics_can_require_a_token() {
    let app = spawn_with(Options {
        configure: Some(Box::new(|config| config.metrics_token = Some("scrape-me".into()))),
        ..Default::default()
    })
    .await;
    let anonymous = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = app.client.get(app.url("/metrics")).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let scraper = app.client.get(app.url("/metrics")).bearer_auth("scrape-me").send().await.unwrap();
    assert_eq!(scraper.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_can_live_on_a_separate_address_only() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bind: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let app = spawn_with(Options {
        configure: Some(Box::new(move |config| config.metrics_bind = Some(bind))),
        ..Default::default()
    })
    .await;
    let public = app.client.get(app.url("/metrics")).send().await.unwrap();
    let text = public.text().await.unwrap();
    assert!(!text.contains("# TYPE"), "no metrics on the public address: {text}");
    let private = app.client.get(format!("http://{bind}/metrics")).send().await.unwrap();
    assert_eq!(private.status(), StatusCode::OK);
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    let plain = spawn_app().await;
    let reply = plain.client.get(plain.url("/healthz")).send().await.unwrap();
    assert!(reply.headers().get("strict-transport-security").is_none());
    let https = spawn_with(Options {
        configure: Some(Box::new(|config| config.public_url = Some("https://atende.example.com".into()))),
        ..Default::default()
    })
    .await;
    let reply = https.client.get(https.url("/healthz")).send().await.unwrap();
    assert_eq!(reply.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}

// ── helpers ────────────────────────────────────────────────────────────────────────

async fn one_job(app: &TestApp, kind: &str, tenant_id: uuid::Uuid) -> atende::jobs::entity::Model {
    use atende::jobs::entity;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut jobs = entity::Entity::find()
        .filter(entity::Column::Kind.eq(kind))
        .filter(entity::Column::TenantId.eq(tenant_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    jobs.pop().unwrap()
}

/// Polls a condition for up to 10 s.
async fn wait_until<F, Fut>(mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if condition().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("condition not met within 10 s");
}
