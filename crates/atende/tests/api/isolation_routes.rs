//! Tenant isolation over every route of the API, generated from the server's OpenAPI
//! document and the case table of `route_cases.rs`: tenant B's admin, manager and agent
//! call every route with tenant A's ids in path, query and body (and webhooks signed
//! with B's own secrets aimed at A's URLs); anonymous calls are 401. A's data, read by
//! A before and after, is unchanged; no reply to B carries A's ids or texts; over
//! Socket.IO, B receives none of A's events and cannot join A's rooms. Every reply
//! and the server's logs are scanned for the planted secrets of both tenants.

use std::{collections::BTreeMap, time::Duration};

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::MockServer;

use crate::{core_helpers::*, helpers::*, route_cases::*, socket::SocketProbe};

/// What tenant A's admin sees, read before and after B's attempts.
const SNAPSHOT: &[&str] = &[
    "/api/v1/users?limit=200",
    "/api/v1/users/$agent",
    "/api/v1/teams",
    "/api/v1/teams/$team",
    "/api/v1/teams/$team/members",
    "/api/v1/settings",
    "/api/v1/settings/productivity",
    "/api/v1/settings/interaction-categories",
    "/api/v1/channels",
    "/api/v1/channels/$zapi",
    "/api/v1/conversations?limit=200",
    "/api/v1/conversations/$conversation",
    "/api/v1/conversations/$conversation/categories",
    "/api/v1/messages?conversationId=$conversation",
    "/api/v1/contacts?limit=200",
    "/api/v1/contacts/$contact",
    "/api/v1/contacts/$contact/notes",
    "/api/v1/canned-responses",
    "/api/v1/asaas/settings",
    "/api/v1/asaas/charges",
    "/api/v1/asaas/charges/$charge",
    "/api/v1/auth/tokens",
    "/api/v1/jobs?limit=200",
    "/api/v1/audit-log?limit=200",
];

async fn snapshot(app: &TestApp, a: &World, planted: &Planted) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for template in SNAPSHOT {
        let path = fill(template, &a.ids);
        let reply = app.get(&path, &a.admin.token).await;
        assert_eq!(reply.status, StatusCode::OK, "A reads {path}: {:?}", reply.body);
        // The Asaas webhook token is shown to the tenant's own admin (to paste in Asaas).
        planted.except("Asaas webhook token").scan_reply(&format!("A's own GET {path}"), &reply);
        out.insert(path, reply.body);
    }
    out
}

/// A's values for the table's placeholders; `$fresh_x` is A's stable object (B must not
/// be able to consume anything, so nothing needs to be fresh).
fn values_of(a: &World, b: &World) -> BTreeMap<String, String> {
    let mut values = a.ids.clone();
    // B's admin signs in to A's workspace (and to the platform) with B's credentials.
    values.insert("login_email".into(), b.ids["login_email"].clone());
    for (fresh, stable) in [
        ("fresh_user", "agent2"),
        ("fresh_member", "agent2"),
        ("fresh_team", "team"),
        ("fresh_contact", "contact"),
        ("fresh_contact2", "contact2"),
        ("fresh_note", "note"),
        ("fresh_category", "category"),
        ("fresh_canned", "canned"),
        ("fresh_channel", "channel"),
        ("fresh_charge", "charge"),
        ("own_token", "token"),
        ("fresh_failed_message", "message"),
    ] {
        values.insert(fresh.into(), a.ids[stable].clone());
    }
    values
}

/// Whether a case puts one of A's objects in its path.
fn path_names_an_object(c: &Case) -> bool {
    c.url.split('?').next().unwrap_or_default().contains('$')
}

/// Whether a case writes with one of A's objects in its body (send a message in A's
/// conversation, charge A's contact…).
fn body_names_an_object(c: &Case, values: &BTreeMap<String, String>) -> bool {
    let Body::Json(text) = c.body else { return false };
    text.match_indices('$').any(|(i, _)| {
        let name: String = text[i + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        values.get(&name).is_some_and(|v| uuid::Uuid::parse_str(v).is_ok())
    })
}

/// Fails when a reply to B holds one of A's texts, or one of A's ids B did not send.
fn assert_no_leak(a: &World, who: &str, sent: &Sent, reply: &Reply) {
    let text = reply_text(reply);
    for marker in &a.markers {
        assert!(!text.contains(marker.as_str()), "{who} {} read A's data ({marker}): {text}", sent.url);
    }
    for id in a.uuids() {
        if !sent.url.contains(&id) && !sent.body.contains(&id) {
            assert!(!text.contains(&id), "{who} {} got A's id {id}: {text}", sent.url);
        }
    }
}

#[tokio::test]
async fn tenant_b_reaches_nothing_of_tenant_a_through_any_route_nor_socket() {
    let logs = LogCapture::start();
    let providers = MockServer::start().await;
    let app = spawn_world_app(&providers).await;
    let mut planted = Planted::default();
    let a = World::build(&app, "alpha", &mut planted).await;
    let b = World::build(&app, "beta", &mut planted).await;

    // Every documented route has a case.
    let documented = documented_routes(&app).await;
    let covered = CASES.iter().map(key).collect();
    assert_every_route_has_a_case(&documented, &covered, "isolation suite");

    let before = snapshot(&app, &a, &planted).await;
    let a_values = values_of(&a, &b);
    let b_sessions = [("admin", &b.admin), ("manager", &b.manager), ("agent", &b.agent)];
    // B's admin may see B's own Asaas webhook token in B's settings.
    let scan_b = planted.except("beta Asaas webhook token");
    let mut calls = 0;
    for c in CASES {
        let what = key(c);
        if c.access == Access::Webhook {
            webhook_from_b(&app, c, &a, &b, &planted).await;
            calls += 1;
            continue;
        }
        // Anonymous.
        let (sent, reply) = send(&app, c, &a_values, None).await;
        planted.scan_reply(&format!("anonymous {what}"), &reply);
        match c.access {
            Access::Public => assert!(
                reply.status.is_client_error(),
                "anonymous {what} {}: {} {:?}",
                sent.url,
                reply.status,
                reply.body
            ),
            _ => assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "anonymous {what} {}: {:?}", sent.url, reply.body),
        }
        assert_no_leak(&a, "anonymous", &sent, &reply);
        // Tenant B, each role.
        for (role, session) in b_sessions {
            let fresh;
            let token = if c.own_session {
                fresh = b.login(&app, role).await;
                &fresh.token
            } else {
                &session.token
            };
            let (sent, reply) = send(&app, c, &a_values, Some(token)).await;
            calls += 1;
            let who = format!("B's {role} on {what}");
            assert!(!reply.status.is_server_error(), "{who} {}: {} {:?}", sent.url, reply.status, reply.body);
            scan_b.scan_reply(&who, &reply);
            assert_no_leak(&a, &who, &sent, &reply);
            if c.access == Access::Platform {
                assert!(
                    [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&reply.status),
                    "{who} {}: {} {:?}",
                    sent.url,
                    reply.status,
                    reply.body
                );
            } else if path_names_an_object(c) {
                assert!(
                    [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&reply.status),
                    "{who} {} with A's ids: {} {:?}",
                    sent.url,
                    reply.status,
                    reply.body
                );
                if reply.status == StatusCode::NOT_FOUND {
                    assert_eq!(reply.code(), "not_found", "{who}: {:?}", reply.body);
                }
            } else if body_names_an_object(c, &a_values) && c.route != "/api/v1/conversations/bulk" {
                assert!(
                    reply.status.is_client_error(),
                    "{who} with A's ids in the body {}: {} {:?}",
                    sent.body,
                    reply.status,
                    reply.body
                );
            } else if c.route == "/api/v1/conversations/bulk" && reply.status.is_success() {
                assert_eq!(reply.body["updated"], 0, "{who}: {:?}", reply.body);
            }
        }
    }
    assert!(calls > 300, "only {calls} calls");

    let after = snapshot(&app, &a, &planted).await;
    for (path, was) in &before {
        assert_eq!(&after[path], was, "A's {path} changed while B was trying");
    }

    // Routes outside the OpenAPI document: public by design, and they show nothing.
    for (route, template) in UNDOCUMENTED {
        let url = fill(template, &a.ids);
        let reply = read(app.client.get(app.url(&url)).send().await.unwrap()).await;
        assert!(!reply.status.is_server_error(), "{route}: {}", reply.status);
        if route.starts_with("GET /media") || route.starts_with("GET /api/{") {
            assert!(reply.status.is_client_error(), "{route} {url}: {}", reply.status);
        }
        let text = reply_text(&reply);
        for marker in a.markers.iter().chain(&b.markers) {
            assert!(!text.contains(marker.as_str()), "{route} shows tenant data ({marker})");
        }
        planted.scan_reply(route, &reply);
    }

    sockets(&app, &a, &b).await;
    planted.scan("the server logs", &logs.text());
}

/// Socket.IO: B's sockets (each role) get none of A's events and cannot join A's room.
async fn sockets(app: &TestApp, a: &World, b: &World) {
    let (mut socket_a, connected) = SocketProbe::connect(&app.base, Some(&a.admin.token), None).await;
    assert_eq!(connected["type"], "connect");
    let mut b_sockets = Vec::new();
    for session in [&b.admin, &b.manager, &b.agent] {
        let (mut socket, connected) = SocketProbe::connect(&app.base, Some(&session.token), None).await;
        assert_eq!(connected["type"], "connect");
        let ack = socket.emit("join_conversation", json!({"conversationId": a.ids["conversation"]})).await;
        assert_eq!(ack["ok"], false, "B joined A's conversation room: {ack:?}");
        b_sockets.push(socket);
    }
    let ack = socket_a.emit("join_conversation", json!({"conversationId": a.ids["conversation"]})).await;
    assert_eq!(ack["ok"], true);
    // A's customer writes, A's agent answers, resolves, edits the contact.
    app.inbound(&a.api_channel, &inbound_body("ext-socket", "cust-socket", "segredo pelo socket")).await;
    app.run_jobs().await;
    assert_eq!(
        socket_a.event_with("new_message", "content", "segredo pelo socket").await["content"],
        "segredo pelo socket"
    );
    let conversation = &a.ids["conversation"];
    app.patch(&format!("/api/v1/conversations/{conversation}"), &a.admin.token, json!({"status": "RESOLVED"})).await;
    socket_a.event("conversation_updated").await;
    app.patch(&format!("/api/v1/contacts/{}", a.ids["contact"]), &a.admin.token, json!({"leadStatus": "CUSTOMER"}))
        .await;
    socket_a.event("contact_updated").await;
    for socket in &mut b_sockets {
        for name in [
            "new_message",
            "conversation_created",
            "conversation_updated",
            "contact_updated",
            "message_status_update",
            "payment_update",
            "conversation_removed",
        ] {
            socket.no_event(name, Duration::from_millis(100)).await;
        }
    }
    for socket in b_sockets {
        socket.close().await;
    }
    socket_a.close().await;
}

/// B aims at A's webhook URLs: unsigned, and signed with B's own secrets. Refused, and
/// nothing is stored (the snapshot).
async fn webhook_from_b(app: &TestApp, c: &Case, a: &World, b: &World, planted: &Planted) {
    let mut values = a.ids.clone();
    values.insert("unique".into(), uuid::Uuid::now_v7().simple().to_string());
    let url = fill(c.url, &values);
    let path = url.split('?').next().unwrap().to_string();
    let body = match c.body {
        Body::Json(t) | Body::Form(t) => fill(t, &values),
        _ => String::new(),
    };
    let mut replies: Vec<(String, Reply)> = Vec::new();
    match c.route {
        "/webhooks/api/{channel_id}" => {
            let b_signed = ApiChannel { id: a.ids["channel"].clone(), secret: b.secrets.api_channel_secret.clone() };
            replies.push((
                "signed with B's secret".into(),
                app.inbound_raw(
                    &b_signed,
                    body.as_bytes(),
                    Some(atende::channels::adapters::api::sign(b_signed.secret.as_bytes(), body.as_bytes())),
                )
                .await,
            ));
            replies.push(("unsigned".into(), app.inbound_raw(&b_signed, body.as_bytes(), None).await));
        }
        "/webhooks/asaas/{webhook_key}" => {
            for (label, token) in [("B's token", Some(b.secrets.asaas_webhook_token.as_str())), ("no token", None)] {
                let mut builder =
                    app.client.post(app.url(&path)).header("content-type", "application/json").body(body.clone());
                if let Some(token) = token {
                    builder = builder.header("asaas-access-token", token);
                }
                replies.push((label.into(), read(builder.send().await.unwrap()).await));
            }
        }
        "/webhooks/meta" | "/webhooks/meta/{channel_id}" if c.method == "GET" => {
            let url = url.replace("verify_token=guess", &format!("verify_token={}", b.secrets.meta_verify_token));
            let reply = read(app.client.get(app.url(&url)).send().await.unwrap()).await;
            if c.route == "/webhooks/meta" {
                // The shared URL answers the handshake of any channel's own token (B's
                // included); it must not be A's challenge answer with A's token.
                assert!(!reply.status.is_server_error(), "{url}: {:?}", reply.body);
            } else {
                replies.push(("B's verify token".into(), reply));
            }
            replies.push((
                "a guessed token".into(),
                read(app.client.get(app.url(&fill(c.url, &values))).send().await.unwrap()).await,
            ));
        }
        "/webhooks/meta" | "/webhooks/meta/{channel_id}" => {
            replies.push((
                "signed with B's app secret".into(),
                app.meta_post(&path, body.as_bytes(), Some(&b.secrets.meta_app_secret)).await,
            ));
            replies.push(("unsigned".into(), app.meta_post(&path, body.as_bytes(), None).await));
        }
        "/webhooks/twilio/{channel_id}" | "/webhooks/twilio/{channel_id}/status" => {
            let params = crate::channel_helpers::form(&body);
            replies
                .push(("signed with B's token".into(), app.twilio_post(&path, &params, &b.secrets.twilio_token).await));
            replies.push(("unsigned".into(), app.twilio_post_signed(&path, &params, None).await));
        }
        "/webhooks/zapi/{channel_id}/{secret}" => {
            let other = path.replace(&a.ids["zapi_secret"], &b.secrets.zapi_secret);
            for (label, p) in
                [("B's URL secret", other), ("a guessed secret", format!("/webhooks/zapi/{}/guess", a.ids["zapi"]))]
            {
                let reply = read(
                    app.client
                        .post(app.url(&p))
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap(),
                )
                .await;
                replies.push((label.into(), reply));
            }
        }
        other => panic!("no webhook case for {other}: add one to webhook_from_b"),
    }
    for (label, reply) in replies {
        let who = format!("{} {} ({label})", c.method, c.route);
        assert!(reply.status.is_client_error(), "{who}: {} {:?}", reply.status, reply.body);
        planted.scan_reply(&who, &reply);
    }
}
