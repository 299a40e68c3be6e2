//! Remote work (issue 10): work sessions, idle periods, the sweeper, auto-logout,
//! presence over sockets, roles and tenant isolation. The server's measured clock is
//! frozen and moved by hand (`state.clock`), so nothing sleeps for minutes and every
//! duration is exact.

use std::time::Duration as StdDuration;

use atende::{productivity::service::sweep, tenancy::Role};
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{helpers::*, socket::SocketProbe};

fn ts(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap_or_else(|| panic!("not a time: {value}")).parse().expect("RFC 3339")
}

impl TestApp {
    fn advance(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// One scheduler round: this instance's activity notes, then the sweep.
    async fn sweep(&self) {
        atende::productivity::service::flush_seen(&self.state).await;
        sweep(&self.state).await.expect("sweep");
    }

    /// The caller's work sessions (waits until `done` holds: logout is applied by the
    /// outbox subscriber, a moment after the request).
    async fn sessions_until(&self, token: &str, query: &str, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..100 {
            let reply = self.get(&format!("/api/v1/activity/sessions{query}"), token).await;
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            if done(&reply.body) {
                return reply.body;
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
        panic!("sessions never reached the expected state");
    }

    /// An agent's work sessions (newest first), as the caller sees them.
    async fn sessions_of(&self, token: &str, agent: Uuid) -> Vec<Value> {
        let reply = self.get(&format!("/api/v1/activity/sessions?agentId={agent}"), token).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["items"].as_array().cloned().unwrap_or_default()
    }

    /// One agent's row on the board.
    async fn presence_of(&self, token: &str, agent: Uuid) -> Value {
        let board = self.get("/api/v1/activity/board", token).await;
        board.body["agents"].as_array().unwrap().iter().find(|a| a["agentId"] == agent.to_string()).cloned().unwrap()
    }

    /// Logs in and waits until the login's work session is open (the outbox subscriber
    /// opens it at the login instant, a moment after the answer).
    async fn signed_in(&self, workspace: &str, email: &str) -> Session {
        let session = self.session(workspace, email).await;
        for _ in 0..100 {
            let me = self.get("/api/v1/activity/me", &session.token).await;
            if me.body["presence"]["session"].is_object() {
                return session;
            }
            tokio::time::sleep(StdDuration::from_millis(20)).await;
        }
        panic!("the login never opened a work session");
    }

    async fn team(&self, admin: &Session, name: &str) -> Uuid {
        let reply = self.post("/api/v1/teams", &admin.token, json!({"name": name})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body["team"]["id"].as_str().unwrap().parse().unwrap()
    }

    async fn member(&self, admin: &Session, team: Uuid, user: Uuid, supervisor: bool) {
        let reply = self
            .put(&format!("/api/v1/teams/{team}/members/{user}"), &admin.token, json!({"supervisor": supervisor}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
}

#[tokio::test]
async fn active_idle_active_yields_the_exact_idle_period_and_active_total() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let t0 = app.state.clock.freeze();
    let ana = app.signed_in("acme", "ana@acme.test").await;

    let beat = app.post("/api/v1/activity/heartbeat", &ana.token, json!({})).await;
    assert_eq!(beat.status, StatusCode::OK, "{:?}", beat.body);
    assert_eq!(beat.body["status"], "ACTIVE");
    assert_eq!(beat.body["agentId"], ana.user_id.to_string());
    assert_eq!(ts(&beat.body["session"]["loginAt"]), t0);

    app.advance(Duration::minutes(5));
    let idle = app.post("/api/v1/activity/idle", &ana.token, json!({})).await;
    assert_eq!(idle.body["status"], "IDLE");
    assert_eq!(idle.body["reason"], "client_idle");
    assert_eq!(ts(&idle.body["since"]), t0 + Duration::minutes(5));
    assert_eq!(idle.body["session"]["activeSeconds"], 300);

    // A heartbeat while idle (tab open, nobody there) keeps it idle.
    app.advance(Duration::minutes(7));
    let beat = app.post("/api/v1/activity/heartbeat", &ana.token, json!({})).await;
    assert_eq!(beat.body["status"], "IDLE");
    let active = app.post("/api/v1/activity/active", &ana.token, json!({})).await;
    assert_eq!(active.body["status"], "ACTIVE");
    assert_eq!(active.body["reason"], "activity");
    assert_eq!(active.body["session"]["activeSeconds"], 300);
    assert_eq!(active.body["session"]["idleSeconds"], 420);

    app.advance(Duration::minutes(3));
    assert_eq!(app.post("/api/v1/auth/logout", &ana.token, json!({})).await.status, StatusCode::NO_CONTENT);
    let body = app
        .sessions_until(&admin.token, &format!("?agentId={}", ana.user_id), |b| b["items"][0]["logoutAt"].is_string())
        .await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "a heartbeat and the login share one session: {body}");
    let s = &items[0];
    assert_eq!(ts(&s["loginAt"]), t0);
    assert_eq!(ts(&s["logoutAt"]), t0 + Duration::minutes(15));
    assert_eq!(s["endReason"], "logout");
    assert_eq!(s["status"], "OFFLINE");
    assert_eq!(
        (s["totalSeconds"].as_i64(), s["activeSeconds"].as_i64(), s["idleSeconds"].as_i64()),
        (Some(900), Some(480), Some(420))
    );
    let periods = s["idlePeriods"].as_array().unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!(ts(&periods[0]["startedAt"]), t0 + Duration::minutes(5));
    assert_eq!(ts(&periods[0]["endedAt"]), t0 + Duration::minutes(12));
    assert_eq!(periods[0]["seconds"], 420);
    assert_eq!(periods[0]["source"], "client");

    // By day (UTC) works too.
    let day = t0.format("%Y-%m-%d");
    let by_day =
        app.get(&format!("/api/v1/activity/sessions?agentId={}&from={day}&to={day}", ana.user_id), &admin.token).await;
    assert_eq!(by_day.body["items"].as_array().unwrap().len(), 1, "{:?}", by_day.body);
    assert_eq!(by_day.body["items"][0]["activeSeconds"], 480);
}

#[tokio::test]
async fn heartbeat_loss_marks_idle_then_offline_at_the_right_times() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let t0 = app.state.clock.freeze();
    let ana = app.signed_in("acme", "ana@acme.test").await;
    app.advance(Duration::minutes(1));
    app.post("/api/v1/activity/heartbeat", &ana.token, json!({})).await;
    let last = t0 + Duration::minutes(1);

    // Idle timeout 10 + server timeout 2 minutes after the last heartbeat: one second early, nothing.
    app.advance(Duration::minutes(12) - Duration::seconds(1));
    app.sweep().await;
    assert_eq!(app.presence_of(&admin.token, ana.user_id).await["status"], "ACTIVE");
    app.advance(Duration::seconds(1));
    app.sweep().await;
    let idle = app.presence_of(&admin.token, ana.user_id).await;
    assert_eq!(idle["status"], "IDLE");
    assert_eq!(idle["reason"], "heartbeat_timeout");
    assert_eq!(ts(&idle["since"]), last, "the idle period starts at the last signal");

    // Offline timeout (30 minutes) after the last heartbeat: closed at that heartbeat.
    app.advance(Duration::minutes(18) - Duration::seconds(1));
    app.sweep().await;
    assert_eq!(app.presence_of(&admin.token, ana.user_id).await["status"], "IDLE");
    app.advance(Duration::seconds(1));
    app.sweep().await;
    let offline = app.presence_of(&admin.token, ana.user_id).await;
    assert_eq!(offline["status"], "OFFLINE");
    assert_eq!(offline["reason"], "server_timeout");
    assert_eq!(ts(&offline["since"]), last);
    let s = &app.sessions_of(&admin.token, ana.user_id).await[0];
    assert_eq!(s["endReason"], "server_timeout");
    assert_eq!(ts(&s["logoutAt"]), last);
    assert_eq!(
        (s["totalSeconds"].as_i64(), s["activeSeconds"].as_i64(), s["idleSeconds"].as_i64()),
        (Some(60), Some(60), Some(0))
    );
    assert_eq!(s["idlePeriods"][0]["source"], "server");

    // The agent comes back (token still valid): a new session opens, the old stays closed.
    app.advance(Duration::minutes(5));
    let back = app.post("/api/v1/activity/heartbeat", &ana.token, json!({})).await;
    assert_eq!(back.body["status"], "ACTIVE");
    assert_eq!(ts(&back.body["session"]["loginAt"]), app.state.now());
    let all = app.get(&format!("/api/v1/activity/sessions?agentId={}", ana.user_id), &admin.token).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_restart_closes_abandoned_sessions_at_their_last_heartbeat() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let t0 = app.state.clock.freeze();
    let ana = app.signed_in("acme", "ana@acme.test").await;
    app.advance(Duration::minutes(2));
    app.post("/api/v1/activity/heartbeat", &ana.token, json!({})).await;

    // The server is down for an hour; a new instance starts on the same database.
    let restarted = app.spawn_peer(Options::default()).await;
    restarted.state.clock.advance(Duration::hours(1));
    restarted.sweep().await;
    let s = &app.sessions_of(&admin.token, ana.user_id).await[0];
    assert_eq!(s["endReason"], "server_timeout");
    assert_eq!(ts(&s["logoutAt"]), t0 + Duration::minutes(2));
    assert_eq!(s["totalSeconds"], 120);
    assert_eq!(s["activeSeconds"], 120);
}

#[tokio::test]
async fn auto_logout_warns_then_emits_force_logout_and_the_token_stops_working() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let settings = app
        .put("/api/v1/settings/productivity", &admin.token, json!({"autoLogout": true, "autoLogoutGraceMinutes": 5}))
        .await;
    assert_eq!(settings.status, StatusCode::OK, "{:?}", settings.body);
    let t0 = app.state.clock.freeze();
    let ana = app.signed_in("acme", "ana@acme.test").await;
    let (mut socket, connected) = SocketProbe::connect(&app.base, Some(&ana.token), None).await;
    assert_eq!(connected["type"], "connect");
    app.post("/api/v1/activity/heartbeat", &ana.token, json!({})).await;

    app.advance(Duration::minutes(10));
    app.post("/api/v1/activity/idle", &ana.token, json!({})).await;
    let warning = socket.event("idle_warning").await;
    assert_eq!(ts(&warning["logoutAt"]), t0 + Duration::minutes(15));

    app.advance(Duration::minutes(5) - Duration::seconds(1));
    app.sweep().await;
    assert_eq!(app.get("/api/v1/activity/me", &ana.token).await.status, StatusCode::OK);
    app.advance(Duration::seconds(1));
    app.sweep().await;
    assert_eq!(socket.event("force_logout").await["reason"], "idle");
    assert_eq!(app.get("/api/v1/activity/me", &ana.token).await.status, StatusCode::UNAUTHORIZED);
    // The admin sent no heartbeats either, so auto-logout may have ended their session
    // too: a fresh login reads the report.
    let admin = app.admin(&tenant).await;
    let s = &app.sessions_of(&admin.token, ana.user_id).await[0];
    assert_eq!(s["endReason"], "forced");
    assert_eq!(ts(&s["logoutAt"]), t0 + Duration::minutes(15));
    assert_eq!((s["activeSeconds"].as_i64(), s["idleSeconds"].as_i64()), (Some(600), Some(300)));
    socket.close().await;
}

#[tokio::test]
async fn managers_get_a_snapshot_then_updates_of_their_teams_only() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    let ana = app.create_user(&a, "ana@alpha.test", Role::Agent).await;
    let bob = app.create_user(&a, "bob@alpha.test", Role::Agent).await;
    let m1 = app.create_user(&a, "m1@alpha.test", Role::Manager).await;
    let m2 = app.create_user(&a, "m2@alpha.test", Role::Manager).await;
    let sales = app.team(&admin_a, "Vendas").await;
    let support = app.team(&admin_a, "Suporte").await;
    app.member(&admin_a, sales, ana, false).await;
    app.member(&admin_a, sales, m1, true).await;
    app.member(&admin_a, support, bob, false).await;
    app.member(&admin_a, support, m2, true).await;
    let m1_session = app.signed_in("alpha", "m1@alpha.test").await;
    let m2_session = app.signed_in("alpha", "m2@alpha.test").await;

    let (mut s1, _) = SocketProbe::connect(&app.base, Some(&m1_session.token), None).await;
    let (mut s2, _) = SocketProbe::connect(&app.base, Some(&m2_session.token), None).await;
    let (mut sb, _) = SocketProbe::connect(&app.base, Some(&admin_b.token), None).await;
    let snapshot = s1.event("presence_snapshot").await;
    let ids: Vec<&str> =
        snapshot["agents"].as_array().unwrap().iter().map(|a| a["agentId"].as_str().unwrap()).collect();
    assert!(ids.contains(&ana.to_string().as_str()) && ids.contains(&m1.to_string().as_str()), "{snapshot}");
    assert!(!ids.contains(&bob.to_string().as_str()), "another team's agent leaked: {snapshot}");
    let ana_entry = snapshot["agents"].as_array().unwrap().iter().find(|x| x["agentId"] == ana.to_string()).unwrap();
    assert_eq!(ana_entry["status"], "OFFLINE");
    assert_eq!(ana_entry["teamIds"], json!([sales]));
    let snapshot_b = sb.event("presence_snapshot").await;
    assert!(snapshot_b["agents"].as_array().unwrap().iter().all(|x| x["agentId"] != ana.to_string()));

    let ana_session = app.signed_in("alpha", "ana@alpha.test").await;
    app.post("/api/v1/activity/idle", &ana_session.token, json!({})).await;
    let about_ana = |v: &Value| {
        v["type"] == "event" && v["name"] == "agent_status_update" && v["data"]["agentId"] == ana.to_string()
    };
    let mut seen = Vec::new();
    while seen.last().map(String::as_str) != Some("IDLE") {
        let update = s1.wait_for(about_ana, StdDuration::from_secs(10)).await.expect("an update about ana");
        assert_eq!(update["data"]["teamIds"], json!([sales]));
        seen.push(update["data"]["status"].as_str().unwrap().to_string());
    }
    assert_eq!(seen.first().map(String::as_str), Some("ACTIVE"), "{seen:?}");
    // Another team's manager and another tenant hear nothing about her.
    assert!(s2.wait_for(about_ana, StdDuration::from_millis(300)).await.is_none());
    assert!(sb.wait_for(about_ana, StdDuration::from_millis(100)).await.is_none());
    assert!(
        sb.wait_for(
            |v| v["name"] == "agent_status_update" && v["data"]["teamIds"] != json!([]),
            StdDuration::from_millis(100)
        )
        .await
        .is_none()
    );
    s1.close().await;
    s2.close().await;
    sb.close().await;
}

#[tokio::test]
async fn every_activity_endpoint_respects_roles_and_tenants() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    let ana = app.create_user(&a, "ana@alpha.test", Role::Agent).await;
    let bob = app.create_user(&a, "bob@alpha.test", Role::Agent).await;
    let m1 = app.create_user(&a, "m1@alpha.test", Role::Manager).await;
    let team = app.team(&admin_a, "Vendas").await;
    let team_b = app.team(&admin_b, "Beta").await;
    app.member(&admin_a, team, ana, false).await;
    app.member(&admin_a, team, m1, true).await;
    let ana_s = app.signed_in("alpha", "ana@alpha.test").await;
    let m1_s = app.session("alpha", "m1@alpha.test").await;
    app.post("/api/v1/activity/heartbeat", &ana_s.token, json!({})).await;

    // Board: managers and admins only; a manager sees their team; other tenants' teams are 404.
    assert_eq!(app.get("/api/v1/activity/board", &ana_s.token).await.status, StatusCode::FORBIDDEN);
    let board = app.get("/api/v1/activity/board", &m1_s.token).await;
    let ids: Vec<String> =
        board.body["agents"].as_array().unwrap().iter().map(|x| x["agentId"].as_str().unwrap().to_string()).collect();
    assert!(ids.contains(&ana.to_string()) && !ids.contains(&bob.to_string()), "{:?}", board.body);
    let ana_row =
        board.body["agents"].as_array().unwrap().iter().find(|x| x["agentId"] == ana.to_string()).unwrap().clone();
    assert_eq!(ana_row["status"], "ACTIVE");
    assert_eq!(ana_row["availability"], "offline");
    assert_eq!(
        app.get(&format!("/api/v1/activity/board?teamId={team_b}"), &admin_a.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/activity/board?teamId={team_b}"), &m1_s.token).await.status,
        StatusCode::NOT_FOUND
    );
    let board_b = app.get("/api/v1/activity/board", &admin_b.token).await;
    assert!(board_b.body["agents"].as_array().unwrap().iter().all(|x| x["agentId"] != ana.to_string()));
    let all = app.get(&format!("/api/v1/activity/board?teamId={team}"), &admin_a.token).await;
    assert_eq!(all.body["agents"].as_array().unwrap().len(), 2);

    // Sessions: own for agents, supervised for managers, tenant for admins; else 404.
    let own = app.get("/api/v1/activity/sessions", &ana_s.token).await;
    assert_eq!(own.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get(&format!("/api/v1/activity/sessions?agentId={bob}"), &ana_s.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&format!("/api/v1/activity/sessions?agentId={ana}"), &m1_s.token).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/activity/sessions?agentId={bob}"), &m1_s.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/activity/sessions?agentId={ana}"), &admin_b.token).await.status,
        StatusCode::NOT_FOUND
    );
    let bad = app.get("/api/v1/activity/sessions?from=yesterday", &ana_s.token).await;
    assert_eq!((bad.status, bad.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));

    // Settings: anyone reads, admins write, validated; per tenant.
    let read = app.get("/api/v1/settings/productivity", &ana_s.token).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["idleTimeoutMinutes"], 10);
    assert_eq!(read.body["serverTimeoutMinutes"], 2);
    assert_eq!(read.body["autoLogout"], false);
    assert_eq!(read.body["presenceRouting"], false);
    for token in [&ana_s.token, &m1_s.token] {
        let denied = app.put("/api/v1/settings/productivity", token, json!({"idleTimeoutMinutes": 5})).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
    }
    for invalid in [
        json!({"idleTimeoutMinutes": 0}),
        json!({"idleTimeoutMinutes": 241}),
        json!({"autoLogoutGraceMinutes": 121}),
        json!({"offlineTimeoutMinutes": 5}),
        json!({"nonsense": true}),
        json!({"idleTimeoutMinutes": "ten"}),
    ] {
        let reply = app.put("/api/v1/settings/productivity", &admin_a.token, invalid.clone()).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), "{invalid}");
    }
    let changed = app.put("/api/v1/settings/productivity", &admin_b.token, json!({"idleTimeoutMinutes": 3})).await;
    assert_eq!(changed.body["idleTimeoutMinutes"], 3);
    assert_eq!(app.get("/api/v1/settings/productivity", &admin_a.token).await.body["idleTimeoutMinutes"], 10);

    // Me and the notice.
    let me = app.get("/api/v1/activity/me", &ana_s.token).await;
    assert_eq!(me.body["noticeAcknowledged"], false);
    assert_eq!(me.body["presence"]["status"], "ACTIVE");
    assert_eq!(me.body["settings"]["idleTimeoutMinutes"], 10);
    assert_eq!(app.post("/api/v1/activity/notice", &ana_s.token, json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/activity/me", &ana_s.token).await.body["noticeAcknowledged"], true);
    assert_eq!(app.get("/api/v1/activity/me", &m1_s.token).await.body["noticeAcknowledged"], false);

    // Signals need a login session (API tokens are not measured) and a signed-in caller.
    let token = app.post("/api/v1/auth/tokens", &ana_s.token, json!({"name": "script"})).await;
    let api_token = token.body["token"].as_str().unwrap_or_else(|| panic!("{:?}", token.body)).to_string();
    let refused = app.post("/api/v1/activity/heartbeat", &api_token, json!({})).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::BAD_REQUEST, "login_session_required"));
    for path in ["heartbeat", "idle", "active", "notice"] {
        let reply =
            app.request(reqwest::Method::POST, &format!("/api/v1/activity/{path}"), None, Some(json!({}))).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    for path in
        ["/api/v1/activity/me", "/api/v1/activity/sessions", "/api/v1/activity/board", "/api/v1/settings/productivity"]
    {
        assert_eq!(
            app.request(reqwest::Method::GET, path, None, None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
}

#[tokio::test]
async fn presence_routing_assigns_only_available_active_agents_under_the_cap() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let assignee = |body: &Value| body["conversation"]["assignee"]["id"].as_str().map(str::to_string);

    // Off by default: nobody is assigned.
    let first = app.receive(&channel, "m-0", "cust-0", "oi").await;
    let conv = app.get(&format!("/api/v1/conversations/{first}"), &admin.token).await;
    assert_eq!(assignee(&conv.body), None, "{:?}", conv.body);

    let mut agents = Vec::new();
    for name in ["ana", "bob", "carl", "dan"] {
        let id = app.create_user(&tenant, &format!("{name}@acme.test"), Role::Agent).await;
        let session = app.signed_in("acme", &format!("{name}@acme.test")).await;
        agents.push((id, session));
    }
    let [(ana, ana_s), (bob, bob_s), (carl, carl_s), (_dan, dan_s)] = agents.try_into().unwrap();
    // ana and bob are available and active; carl is active but busy; dan is available
    // but signed out; bob then goes idle.
    for (s, availability) in [(&ana_s, "online"), (&bob_s, "online"), (&carl_s, "busy"), (&dan_s, "online")] {
        let reply =
            app.patch(&format!("/api/v1/users/{}", s.user_id), &s.token, json!({"availability": availability})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    app.post("/api/v1/activity/idle", &bob_s.token, json!({})).await;
    app.post("/api/v1/auth/logout", &dan_s.token, json!({})).await;
    app.sessions_until(&admin.token, &format!("?agentId={}", dan_s.user_id), |b| b["items"][0]["logoutAt"].is_string())
        .await;
    let on = app
        .put("/api/v1/settings/productivity", &admin.token, json!({"presenceRouting": true, "maxOpenPerAgent": 1}))
        .await;
    assert_eq!(on.status, StatusCode::OK, "{:?}", on.body);

    let c1 = app.receive(&channel, "m-1", "cust-1", "oi").await;
    let c1 = app.get(&format!("/api/v1/conversations/{c1}"), &admin.token).await;
    assert_eq!(assignee(&c1.body), Some(ana.to_string()), "only ana is available and active");
    // ana is at the cap of 1, bob idle, carl busy, dan offline: left unassigned.
    let c2 = app.receive(&channel, "m-2", "cust-2", "oi").await;
    let c2 = app.get(&format!("/api/v1/conversations/{c2}"), &admin.token).await;
    assert_eq!(assignee(&c2.body), None);
    // bob comes back: the next one is his.
    app.post("/api/v1/activity/active", &bob_s.token, json!({})).await;
    let c3 = app.receive(&channel, "m-3", "cust-3", "oi").await;
    let c3 = app.get(&format!("/api/v1/conversations/{c3}"), &admin.token).await;
    assert_eq!(assignee(&c3.body), Some(bob.to_string()));
    let _ = carl;
}

#[tokio::test]
async fn an_agent_going_offline_returns_unanswered_conversations_when_asked() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let ana = app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let ana_s = app.signed_in("acme", "ana@acme.test").await;
    app.patch(&format!("/api/v1/users/{ana}"), &ana_s.token, json!({"availability": "online"})).await;
    app.put("/api/v1/settings/productivity", &admin.token, json!({"presenceRouting": true, "requeueOnOffline": true}))
        .await;
    let c1 = app.receive(&channel, "m-1", "cust-1", "oi").await;
    let c2 = app.receive(&channel, "m-2", "cust-2", "oi").await;
    for c in [&c1, &c2] {
        let conv = app.get(&format!("/api/v1/conversations/{c}"), &admin.token).await;
        assert_eq!(conv.body["conversation"]["assignee"]["id"], ana.to_string());
    }
    // ana answers c2, then signs out: c1 (unanswered) returns to the queue, c2 stays.
    let reply = app.post("/api/v1/messages", &ana_s.token, json!({"conversationId": c2, "content": "olá"})).await;
    assert!(reply.status.is_success(), "{:?}", reply.body);
    app.post("/api/v1/auth/logout", &ana_s.token, json!({})).await;
    for _ in 0..100 {
        let conv = app.get(&format!("/api/v1/conversations/{c1}"), &admin.token).await;
        if conv.body["conversation"]["assignee"].is_null() {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    let c1 = app.get(&format!("/api/v1/conversations/{c1}"), &admin.token).await;
    assert!(c1.body["conversation"]["assignee"].is_null(), "{:?}", c1.body);
    let c2 = app.get(&format!("/api/v1/conversations/{c2}"), &admin.token).await;
    assert_eq!(c2.body["conversation"]["assignee"]["id"], ana.to_string());
}

#[tokio::test]
async fn settings_changes_reach_connected_clients_of_the_tenant_only() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    app.create_user(&a, "ana@alpha.test", Role::Agent).await;
    let ana = app.signed_in("alpha", "ana@alpha.test").await;
    let (mut socket_a, _) = SocketProbe::connect(&app.base, Some(&ana.token), None).await;
    let (mut socket_b, _) = SocketProbe::connect(&app.base, Some(&admin_b.token), None).await;
    app.state.clock.freeze();
    app.post("/api/v1/activity/idle", &ana.token, json!({})).await;

    // Turning auto-logout on applies to an agent who is already idle.
    let reply = app
        .put("/api/v1/settings/productivity", &admin_a.token, json!({"autoLogout": true, "autoLogoutGraceMinutes": 2}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let pushed = socket_a.event("productivity_settings_updated").await;
    assert_eq!(pushed["autoLogout"], true);
    assert_eq!(pushed["autoLogoutGraceMinutes"], 2);
    socket_b.no_event("productivity_settings_updated", StdDuration::from_millis(200)).await;
    socket_a.close().await;
    socket_b.close().await;
}

// Auto-logout of an agent who goes idle with the setting on is covered by
// `auto_logout_warns_then_emits_force_logout_and_the_token_stops_working`. (This test
// once failed whenever sign-in and `freeze` fell in the same second: `freeze` rounded
// down, putting "now" before the login, and the idle period started at the login.)
#[tokio::test]
async fn turning_auto_logout_on_applies_to_an_agent_already_idle() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let admin_a = app.admin(&a).await;
    app.create_user(&a, "ana@alpha.test", Role::Agent).await;
    let ana = app.signed_in("alpha", "ana@alpha.test").await;
    let (mut socket_a, _) = SocketProbe::connect(&app.base, Some(&ana.token), None).await;
    // The work session is opened by the outbox subscriber, a moment after sign-in.
    app.sessions_until(&ana.token, "", |b| b["items"].as_array().is_some_and(|a| !a.is_empty())).await;
    let t0 = app.state.clock.freeze();
    app.post("/api/v1/activity/idle", &ana.token, json!({})).await;
    let reply = app
        .put("/api/v1/settings/productivity", &admin_a.token, json!({"autoLogout": true, "autoLogoutGraceMinutes": 2}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    socket_a.event("productivity_settings_updated").await;
    app.advance(Duration::minutes(2));
    app.sweep().await;
    assert_eq!(socket_a.event("force_logout").await["reason"], "idle");
    let admin_a = app.admin(&a).await;
    let s = &app.sessions_of(&admin_a.token, ana.user_id).await[0];
    assert_eq!(ts(&s["logoutAt"]), t0 + Duration::minutes(2));
    socket_a.close().await;
}
