//! Socket.IO handshake, rooms and tenant isolation with a real socket.io-client.

use std::time::Duration;

use serde_json::json;

use crate::{core_helpers::*, helpers::*, socket::SocketProbe};

#[tokio::test]
async fn the_handshake_needs_a_valid_token_and_an_allowed_origin() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let (_none, refused) = SocketProbe::connect(&app.base, None, None).await;
    assert_eq!(refused["type"], "connect_error");
    assert_eq!(refused["message"], "unauthorized");
    let (_bad, refused) = SocketProbe::connect(&app.base, Some("not-a-token"), None).await;
    assert_eq!(refused["type"], "connect_error");
    let (_evil, refused) = SocketProbe::connect(&app.base, Some(&admin.token), Some("https://evil.example")).await;
    assert_eq!(refused["type"], "connect_error", "{refused:?}");
    assert_eq!(refused["message"], "origin not allowed");
    let (ok, connected) = SocketProbe::connect(&app.base, Some(&admin.token), Some(&app.base)).await;
    assert_eq!(connected["type"], "connect");
    ok.close().await;
    // A revoked session cannot open a socket.
    app.post("/api/v1/auth/logout", &admin.token, json!({})).await;
    let (_gone, refused) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    assert_eq!(refused["type"], "connect_error");
}

#[tokio::test]
async fn a_socket_of_tenant_b_never_receives_tenant_a_events() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    let channel_a = app.api_channel(&admin_a, "http://127.0.0.1:9/unused").await;
    let (mut socket_a, _) = SocketProbe::connect(&app.base, Some(&admin_a.token), None).await;
    let (mut socket_b, _) = SocketProbe::connect(&app.base, Some(&admin_b.token), None).await;

    let conversation = app.receive(&channel_a, "ext-1", "cust-1", "segredo de A").await;
    assert_eq!(socket_a.event("new_message").await["content"], "segredo de A");
    app.patch(&format!("/api/v1/conversations/{conversation}"), &admin_a.token, json!({"status": "RESOLVED"})).await;
    assert_eq!(socket_a.event("conversation_updated").await["status"], "RESOLVED");

    // B may not join A's conversation room either.
    let ack = socket_b.emit("join_conversation", json!({"conversationId": conversation})).await;
    assert_eq!(ack["ok"], false);
    let ack = socket_a.emit("join_conversation", json!({"conversationId": conversation})).await;
    assert_eq!(ack["ok"], true);

    app.inbound(&channel_a, &inbound_body("ext-2", "cust-1", "mais um segredo")).await;
    app.run_jobs().await;
    socket_a.event_with("new_message", "content", "mais um segredo").await;
    for name in
        ["new_message", "conversation_created", "conversation_updated", "contact_updated", "message_status_update"]
    {
        socket_b.no_event(name, Duration::from_millis(100)).await;
    }
    socket_a.close().await;
    socket_b.close().await;
}

#[tokio::test]
async fn logout_deactivation_and_suspension_close_live_sockets_with_force_logout() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let ana_id = app.create_user(&tenant, "ana@acme.test", atende::tenancy::Role::Agent).await;
    let ana_phone = app.session("acme", "ana@acme.test").await;
    let ana_laptop = app.session("acme", "ana@acme.test").await;

    // Logging out one session closes only that session's socket.
    let (mut phone, _) = SocketProbe::connect(&app.base, Some(&ana_phone.token), None).await;
    let (mut laptop, _) = SocketProbe::connect(&app.base, Some(&ana_laptop.token), None).await;
    app.post("/api/v1/auth/logout", &ana_phone.token, json!({})).await;
    assert_eq!(phone.event("force_logout").await["reason"], "logout");
    assert!(phone.wait_for(|v| v["type"] == "disconnect", Duration::from_secs(5)).await.is_some());
    laptop.no_event("force_logout", Duration::from_millis(200)).await;

    // Deactivation closes every socket of that user.
    app.post(&format!("/api/v1/users/{ana_id}/deactivate"), &admin.token, json!({})).await;
    assert_eq!(laptop.event("force_logout").await["reason"], "access_revoked");

    // Suspension closes the whole tenant.
    let (mut admin_socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;
    let root = app.super_admin().await;
    app.post(&format!("/api/v1/platform/tenants/{}/suspend", tenant.id), &root, json!({})).await;
    assert_eq!(admin_socket.event("force_logout").await["reason"], "tenant_suspended");
    phone.close().await;
    laptop.close().await;
    admin_socket.close().await;
}

/// Redis for the multi-node test: required in CI, skipped (loudly) elsewhere without it.
fn redis_url() -> Option<String> {
    let url = std::env::var("ATENDE_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let reachable = std::net::TcpStream::connect_timeout(
        &url.trim_start_matches("redis://").split('/').next().unwrap_or("127.0.0.1:6379").parse().expect("host:port"),
        Duration::from_secs(1),
    )
    .is_ok();
    if !reachable {
        assert!(std::env::var("CI").is_err(), "Redis must be reachable at {url} in CI");
        eprintln!("SKIPPED: Redis not reachable at {url}");
        return None;
    }
    Some(url)
}

#[tokio::test]
async fn with_redis_two_instances_deliver_to_each_others_sockets() {
    let Some(redis) = redis_url() else { return };
    let prefix = format!("atende-test-{}", uuid::Uuid::now_v7().simple());
    let node_1 = spawn_with(Options {
        redis_url: Some(redis.clone()),
        redis_prefix: Some(prefix.clone()),
        ..Default::default()
    })
    .await;
    let node_2 =
        node_1.spawn_peer(Options { redis_url: Some(redis), redis_prefix: Some(prefix), ..Default::default() }).await;
    let tenant = node_1.create_tenant("acme").await;
    let admin = node_1.admin(&tenant).await;
    let other = node_1.create_tenant("beta").await;
    let other_admin = node_1.admin(&other).await;
    let channel = node_1.api_channel(&admin, "http://127.0.0.1:9/unused").await;

    // The agent's socket is on node 1; the webhook and the job run on node 2.
    let (mut socket, connected) = SocketProbe::connect(&node_1.base, Some(&admin.token), None).await;
    assert_eq!(connected["type"], "connect");
    let (mut stranger, _) = SocketProbe::connect(&node_1.base, Some(&other_admin.token), None).await;
    let ack = node_2.inbound(&channel, &inbound_body("ext-1", "cust-1", "via node 2")).await;
    assert_eq!(ack.status, reqwest::StatusCode::OK);
    node_2.run_jobs().await;
    assert_eq!(socket.event("new_message").await["content"], "via node 2");
    stranger.no_event("new_message", Duration::from_millis(300)).await;

    // Logging out on node 2 closes the socket held by node 1.
    node_2.post("/api/v1/auth/logout", &admin.token, json!({})).await;
    assert_eq!(socket.event("force_logout").await["reason"], "logout");
    socket.close().await;
    stranger.close().await;
}
