//! Assignment tools (issue 15): bulk actions, what agents see (`agentVisibility`, on
//! the API and the socket rooms) and the activity lines of the timeline.

use std::time::Duration;

use atende::tenancy::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{core_helpers::*, helpers::*, socket::SocketProbe};

fn ids(reply: &Reply) -> Vec<String> {
    let mut ids: Vec<String> =
        reply.body["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

async fn team(app: &TestApp, admin: &Session, name: &str, members: &[&str]) -> String {
    let team = app.post("/api/v1/teams", &admin.token, json!({ "name": name })).await;
    assert_eq!(team.status, StatusCode::CREATED, "{:?}", team.body);
    let id = team.body["team"]["id"].as_str().unwrap().to_string();
    for member in members {
        let added = app.put(&format!("/api/v1/teams/{id}/members/{member}"), &admin.token, json!({})).await;
        assert!(added.status.is_success(), "{:?}", added.body);
    }
    id
}

async fn patch(app: &TestApp, token: &str, conversation: &str, body: Value) -> Reply {
    let reply = app.patch(&format!("/api/v1/conversations/{conversation}"), token, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply
}

/// The activity lines of a conversation, oldest first.
async fn activity(app: &TestApp, token: &str, conversation: &str) -> Vec<Value> {
    let page = app.get(&format!("/api/v1/messages?conversationId={conversation}&limit=200"), token).await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    let mut lines: Vec<Value> =
        page.body["messages"].as_array().unwrap().iter().filter(|m| m["contentType"] == "activity").cloned().collect();
    lines.reverse();
    lines
}

fn kinds(lines: &[Value]) -> Vec<&str> {
    lines.iter().map(|l| l["activity"]["kind"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn bulk_actions_assign_move_set_status_and_snooze_through_the_single_update_rules() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let ana_id = app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let ana = app.session("acme", "ana@acme.test").await;
    let support = team(&app, &admin, "Suporte", &[]).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let c1 = app.receive(&channel, "b1", "cust-1", "um").await;
    let c2 = app.receive(&channel, "b2", "cust-2", "dois").await;
    let bulk = |body: Value| app.post("/api/v1/conversations/bulk", &ana.token, body);

    let assigned = bulk(json!({"ids": [c1, c2], "action": {"type": "assign", "agentId": ana_id}})).await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(assigned.body["updated"], 2);
    assert_eq!(assigned.body["failed"], json!([]));
    let mine = app.get("/api/v1/conversations?agentId=me", &ana.token).await;
    assert_eq!(ids(&mine), {
        let mut v = vec![c1.clone(), c2.clone()];
        v.sort();
        v
    });

    let moved = bulk(json!({"ids": [c1, c2], "action": {"type": "team", "teamId": support}})).await;
    assert_eq!(moved.body["succeeded"].as_array().unwrap().len(), 2, "{:?}", moved.body);
    assert_eq!(app.get(&format!("/api/v1/conversations?teamId={support}"), &ana.token).await.body["total"], 2);

    let pending = bulk(json!({"ids": [c1, c2], "action": {"type": "status", "status": "PENDING"}})).await;
    assert_eq!(pending.body["updated"], 2);
    assert_eq!(app.get("/api/v1/conversations?status=PENDING", &ana.token).await.body["total"], 2);

    let until = (chrono::Utc::now() + chrono::Duration::hours(3)).to_rfc3339();
    let snoozed = bulk(json!({"ids": [c1], "action": {"type": "snooze", "until": until}})).await;
    assert_eq!(snoozed.body["succeeded"], json!([c1]));
    let c1_view = app.get(&format!("/api/v1/conversations/{c1}"), &ana.token).await;
    assert!(c1_view.body["conversation"]["snoozedUntil"].is_string());

    // Input that cannot work refuses the whole request and changes nothing.
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let refused = bulk(json!({"ids": [c2], "action": {"type": "snooze", "until": past}})).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let c2_view = app.get(&format!("/api/v1/conversations/{c2}"), &ana.token).await;
    assert!(c2_view.body["conversation"]["snoozedUntil"].is_null());
    let nobody = bulk(json!({"ids": [c2], "action": {"type": "assign", "agentId": uuid::Uuid::now_v7()}})).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    let neither = bulk(json!({"ids": [c2]})).await;
    assert_eq!((neither.status, neither.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
    let unknown = bulk(json!({"ids": [c2], "action": {"type": "delete"}})).await;
    assert!(unknown.status.is_client_error(), "{:?}", unknown.body);
    let empty = bulk(json!({"ids": [], "status": "RESOLVED"})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Per conversation: the category rule and unknown ids fail alone, with their codes.
    app.put("/api/v1/settings", &admin.token, json!({"requireCategoryToResolve": true})).await;
    let category = app.post("/api/v1/settings/interaction-categories", &admin.token, json!({"name": "Boleto"})).await;
    let category_id = category.body["category"]["id"].as_str().unwrap().to_string();
    app.post(&format!("/api/v1/conversations/{c1}/categories"), &ana.token, json!({"categoryIds": [category_id]}))
        .await;
    let stranger = uuid::Uuid::now_v7().to_string();
    let resolved = bulk(json!({"ids": [c1, c2, stranger], "status": "RESOLVED"})).await;
    assert_eq!(resolved.status, StatusCode::OK, "{:?}", resolved.body);
    assert_eq!(resolved.body["succeeded"], json!([c1]));
    assert_eq!(resolved.body["updated"], 1);
    let failed: Vec<(String, String)> = resolved.body["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap().to_string(), f["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(failed, vec![(c2.clone(), "category_required".into()), (stranger, "not_found".into())]);
    let c2_view = app.get(&format!("/api/v1/conversations/{c2}"), &ana.token).await;
    assert_eq!(c2_view.body["conversation"]["status"], "PENDING");
    // Each conversation changed through the single update: its activity lines exist.
    assert_eq!(
        kinds(&activity(&app, &ana.token, &c1).await),
        ["assigned", "team_changed", "status_changed", "snoozed", "categories_changed", "resolved"]
    );
}

#[tokio::test]
async fn bulk_refuses_other_tenants_ids_and_leaves_them_untouched() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    let ana_a = app.create_user(&a, "ana@alpha.test", Role::Agent).await;
    let team_b = team(&app, &admin_b, "Beta", &[]).await;
    let channel_b = app.api_channel(&admin_b, "http://127.0.0.1:9/unused").await;
    let conversation_b = app.receive(&channel_b, "x1", "cust-b", "de B").await;
    for action in [
        json!({"type": "assign", "agentId": ana_a}),
        json!({"type": "status", "status": "RESOLVED"}),
        json!({"type": "snooze", "until": (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339()}),
    ] {
        let reply = app
            .post("/api/v1/conversations/bulk", &admin_a.token, json!({"ids": [conversation_b], "action": action}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["updated"], 0);
        assert_eq!(reply.body["failed"][0]["code"], "not_found");
    }
    // B's team is no team of A's: the whole request is refused.
    let team_move = app
        .post(
            "/api/v1/conversations/bulk",
            &admin_a.token,
            json!({"ids": [conversation_b], "action": {"type": "team", "teamId": team_b}}),
        )
        .await;
    assert_eq!(team_move.status, StatusCode::UNPROCESSABLE_ENTITY);
    let still = app.get(&format!("/api/v1/conversations/{conversation_b}"), &admin_b.token).await;
    let c = &still.body["conversation"];
    assert_eq!(
        (c["status"].as_str(), c["assignee"].is_null(), c["snoozedUntil"].is_null()),
        (Some("OPEN"), true, true)
    );
    assert!(activity(&app, &admin_b.token, &conversation_b).await.is_empty());
}

/// A workspace with agents in teams and conversations in every position.
struct Desk {
    app: TestApp,
    admin: Session,
    manager: Session,
    ana: Session,
    bia: Session,
    channel: ApiChannel,
    /// assigned to ana, assigned to bia, team of ana (no one), no team and no one, other team.
    ana_c: String,
    bia_c: String,
    team_c: String,
    free_c: String,
    other_c: String,
}

async fn desk() -> Desk {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "max@acme.test", Role::Manager).await;
    let manager = app.session("acme", "max@acme.test").await;
    let ana_id = app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let bia_id = app.create_user(&tenant, "bia@acme.test", Role::Agent).await;
    let ana_team = team(&app, &admin, "Suporte", &[&ana_id.to_string()]).await;
    let other_team = team(&app, &admin, "Vendas", &[&bia_id.to_string()]).await;
    let ana = app.session("acme", "ana@acme.test").await;
    let bia = app.session("acme", "bia@acme.test").await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let ana_c = app.receive(&channel, "v1", "cust-ana", "palavra da ana").await;
    let bia_c = app.receive(&channel, "v2", "cust-bia", "palavra da bia").await;
    let team_c = app.receive(&channel, "v3", "cust-team", "palavra do time").await;
    let free_c = app.receive(&channel, "v4", "cust-free", "palavra livre").await;
    let other_c = app.receive(&channel, "v5", "cust-other", "palavra de vendas").await;
    patch(&app, &admin.token, &ana_c, json!({"agentId": ana_id})).await;
    patch(&app, &admin.token, &bia_c, json!({"agentId": bia_id})).await;
    patch(&app, &admin.token, &team_c, json!({"teamId": ana_team})).await;
    patch(&app, &admin.token, &other_c, json!({"teamId": other_team})).await;
    Desk { app, admin, manager, ana, bia, channel, ana_c, bia_c, team_c, free_c, other_c }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn agents_see_list_get_send_and_search_by_the_visibility_mode() {
    let d = desk().await;
    let app = &d.app;
    let all = sorted(vec![d.ana_c.clone(), d.bia_c.clone(), d.team_c.clone(), d.free_c.clone(), d.other_c.clone()]);
    // Only admins choose; the value is checked.
    let by_agent = app.put("/api/v1/settings", &d.ana.token, json!({"agentVisibility": "all"})).await;
    assert_eq!(by_agent.status, StatusCode::FORBIDDEN);
    let by_manager = app.put("/api/v1/settings", &d.manager.token, json!({"agentVisibility": "own"})).await;
    assert_eq!(by_manager.status, StatusCode::FORBIDDEN);
    let bad = app.put("/api/v1/settings", &d.admin.token, json!({"agentVisibility": "mine"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let settings = app.get("/api/v1/settings", &d.admin.token).await;
    assert_eq!(settings.body["settings"]["agentVisibility"], "all", "the default");

    let modes: [(&str, Vec<String>); 3] = [
        ("all", all.clone()),
        ("teams", sorted(vec![d.ana_c.clone(), d.team_c.clone(), d.free_c.clone()])),
        ("own", vec![d.ana_c.clone()]),
    ];
    for (mode, visible) in modes {
        let set = app.put("/api/v1/settings", &d.admin.token, json!({"agentVisibility": mode})).await;
        assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
        assert_eq!(set.body["settings"]["agentVisibility"], mode);
        // Managers and admins are not affected.
        assert_eq!(ids(&app.get("/api/v1/conversations", &d.manager.token).await), all, "{mode}: manager");
        assert_eq!(ids(&app.get("/api/v1/conversations", &d.admin.token).await), all, "{mode}: admin");
        let listed = app.get("/api/v1/conversations", &d.ana.token).await;
        assert_eq!(ids(&listed), visible, "{mode}: list");
        assert_eq!(listed.body["total"], visible.len());
        for c in &all {
            let sees = visible.contains(c);
            let expected = if sees { StatusCode::OK } else { StatusCode::NOT_FOUND };
            let get = app.get(&format!("/api/v1/conversations/{c}"), &d.ana.token).await;
            assert_eq!(get.status, expected, "{mode}: get {c}");
            let history = app.get(&format!("/api/v1/messages?conversationId={c}"), &d.ana.token).await;
            assert_eq!(history.status, expected, "{mode}: messages {c}");
            let note = json!({"conversationId": c, "content": "nota", "isPrivate": true});
            let sent = app.post("/api/v1/messages", &d.ana.token, note).await;
            let created = if sees { StatusCode::CREATED } else { StatusCode::NOT_FOUND };
            assert_eq!(sent.status, created, "{mode}: send {c}");
            let read = app.post(&format!("/api/v1/conversations/{c}/read"), &d.ana.token, json!({})).await;
            let read_expected = if sees { StatusCode::NO_CONTENT } else { StatusCode::NOT_FOUND };
            assert_eq!(read.status, read_expected, "{mode}: read {c}");
        }
        // Search finds messages and conversations only where the agent may look.
        let found = app.get("/api/v1/search?q=palavra&kind=messages&limit=50", &d.ana.token).await;
        assert_eq!(found.status, StatusCode::OK, "{:?}", found.body);
        let mut in_conversations: Vec<String> = found.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["conversationId"].as_str().unwrap().to_string())
            .collect();
        in_conversations.sort();
        in_conversations.dedup();
        assert_eq!(in_conversations, visible, "{mode}: message search");
        let found = app.get("/api/v1/search?q=palavra&kind=conversations&limit=50", &d.ana.token).await;
        let mut found_ids: Vec<String> = found.body["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["conversation"]["id"].as_str().unwrap().to_string())
            .collect();
        found_ids.sort();
        assert_eq!(found_ids, visible, "{mode}: conversation search");
    }
    // In `own` mode a hidden conversation cannot be taken either; one's own can be handed on.
    let take =
        app.patch(&format!("/api/v1/conversations/{}", d.free_c), &d.ana.token, json!({"status": "PENDING"})).await;
    assert_eq!(take.status, StatusCode::NOT_FOUND);
    let bia_id = app.get("/api/v1/auth/me", &d.bia.token).await.body["user"]["id"].clone();
    patch(app, &d.ana.token, &d.ana_c, json!({"agentId": bia_id})).await;
    assert_eq!(app.get("/api/v1/conversations", &d.ana.token).await.body["total"], 0);
    assert_eq!(
        app.get(&format!("/api/v1/conversations/{}", d.ana_c), &d.ana.token).await.status,
        StatusCode::NOT_FOUND
    );
    let _ = &d.channel;
}

/// Asserts that `socket` hears no `new_message` with this text within a moment.
async fn never_hears(socket: &mut SocketProbe, text: &str) {
    let heard = socket
        .wait_for(|v| v["name"] == "new_message" && v["data"]["content"] == text, Duration::from_millis(300))
        .await;
    assert!(heard.is_none(), "heard {text:?}: {heard:?}");
}

#[tokio::test]
async fn socket_rooms_follow_the_visibility_mode() {
    let d = desk().await;
    let app = &d.app;
    let (mut ana, _) = SocketProbe::connect(&app.base, Some(&d.ana.token), None).await;
    let (mut bia, _) = SocketProbe::connect(&app.base, Some(&d.bia.token), None).await;
    let (mut manager, _) = SocketProbe::connect(&app.base, Some(&d.manager.token), None).await;
    let mut n = 0;
    let mut write = |who: &str, text: &str| {
        n += 1;
        (format!("s{n}"), who.to_string(), text.to_string())
    };
    let set_mode = |mode: &'static str| app.put("/api/v1/settings", &d.admin.token, json!({"agentVisibility": mode}));

    // `own`: each agent hears only their conversations; the manager hears everything.
    set_mode("own").await;
    ana.event_with("agent_visibility_changed", "visibility", "own").await;
    let (id, who, text) = write("cust-ana", "own: da ana");
    app.inbound(&d.channel, &inbound_body(&id, &who, &text)).await;
    app.run_jobs().await;
    assert_eq!(ana.event_with("new_message", "content", &text).await["conversationId"], d.ana_c.as_str());
    assert_eq!(manager.event_with("new_message", "content", &text).await["conversationId"], d.ana_c.as_str());
    never_hears(&mut bia, &text).await;
    let (id, who, text) = write("cust-free", "own: livre");
    app.inbound(&d.channel, &inbound_body(&id, &who, &text)).await;
    app.run_jobs().await;
    manager.event_with("new_message", "content", &text).await;
    never_hears(&mut ana, &text).await;
    never_hears(&mut bia, &text).await;
    // Nor may they join a hidden conversation's room.
    let refused = ana.emit("join_conversation", json!({"conversationId": d.bia_c})).await;
    assert_eq!(refused["ok"], false);
    let joined = ana.emit("join_conversation", json!({"conversationId": d.ana_c})).await;
    assert_eq!(joined["ok"], true);

    // `teams`: the team's and unqueued conversations too, not another team's.
    set_mode("teams").await;
    bia.event_with("agent_visibility_changed", "visibility", "teams").await;
    let (id, who, text) = write("cust-team", "teams: do time");
    app.inbound(&d.channel, &inbound_body(&id, &who, &text)).await;
    app.run_jobs().await;
    assert_eq!(ana.event_with("new_message", "content", &text).await["conversationId"], d.team_c.as_str());
    manager.event_with("new_message", "content", &text).await;
    never_hears(&mut bia, &text).await;
    let (id, who, text) = write("cust-free", "teams: livre");
    app.inbound(&d.channel, &inbound_body(&id, &who, &text)).await;
    app.run_jobs().await;
    ana.event_with("new_message", "content", &text).await;
    bia.event_with("new_message", "content", &text).await;
    let (id, who, text) = write("cust-other", "teams: vendas");
    app.inbound(&d.channel, &inbound_body(&id, &who, &text)).await;
    app.run_jobs().await;
    bia.event_with("new_message", "content", &text).await;
    never_hears(&mut ana, &text).await;

    // A conversation moved out of ana's view: she hears the move, then nothing of it.
    let vendas =
        app.get(&format!("/api/v1/conversations/{}", d.other_c), &d.admin.token).await.body["conversation"]["teamId"]
            .clone();
    patch(app, &d.admin.token, &d.team_c, json!({"teamId": vendas})).await;
    let moved = ana
        .wait_for(
            |v| {
                v["name"] == "conversation_updated"
                    && v["data"]["id"] == d.team_c.as_str()
                    && v["data"]["teamId"] == vendas
            },
            Duration::from_secs(10),
        )
        .await;
    assert!(moved.is_some(), "ana never heard that the conversation moved to another team");
    let (id, who, text) = write("cust-team", "teams: agora de vendas");
    app.inbound(&d.channel, &inbound_body(&id, &who, &text)).await;
    app.run_jobs().await;
    bia.event_with("new_message", "content", &text).await;
    never_hears(&mut ana, &text).await;

    // `all`: everyone hears everything.
    set_mode("all").await;
    ana.event_with("agent_visibility_changed", "visibility", "all").await;
    let (id, who, text) = write("cust-bia", "all: da bia");
    app.inbound(&d.channel, &inbound_body(&id, &who, &text)).await;
    app.run_jobs().await;
    ana.event_with("new_message", "content", &text).await;
    bia.event_with("new_message", "content", &text).await;
    manager.event_with("new_message", "content", &text).await;
    ana.close().await;
    bia.close().await;
    manager.close().await;
}

#[tokio::test]
async fn activity_lines_are_written_for_each_kind_of_change_and_stay_out_of_counts_and_search() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let ana_id = app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let bia_id = app.create_user(&tenant, "bia@acme.test", Role::Agent).await;
    let ana = app.session("acme", "ana@acme.test").await;
    let support = team(&app, &admin, "Suporte", &[]).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let c = app.receive(&channel, "a1", "cust-1", "oi").await;
    let (mut socket, _) = SocketProbe::connect(&app.base, Some(&admin.token), None).await;

    patch(&app, &admin.token, &c, json!({"agentId": ana_id})).await;
    let live = socket.event_with("new_message", "contentType", "activity").await;
    assert_eq!(live["activity"]["kind"], "assigned");
    patch(&app, &admin.token, &c, json!({"agentId": bia_id})).await;
    patch(&app, &admin.token, &c, json!({"teamId": support})).await;
    patch(&app, &admin.token, &c, json!({"status": "PENDING"})).await;
    let until = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    patch(&app, &admin.token, &c, json!({"snoozedUntil": until})).await;
    patch(&app, &admin.token, &c, json!({"snoozedUntil": null})).await;
    patch(&app, &admin.token, &c, json!({"status": "RESOLVED"})).await;
    patch(&app, &admin.token, &c, json!({"status": "OPEN"})).await;
    patch(&app, &admin.token, &c, json!({"agentId": null, "teamId": null})).await;
    let category = app.post("/api/v1/settings/interaction-categories", &admin.token, json!({"name": "Boleto"})).await;
    let category_id = category.body["category"]["id"].as_str().unwrap().to_string();
    let tag = app
        .post(&format!("/api/v1/conversations/{c}/categories"), &ana.token, json!({"categoryIds": [category_id]}))
        .await;
    assert_eq!(tag.status, StatusCode::OK, "{:?}", tag.body);
    // Re-tagging with the same categories changes nothing: no line.
    app.post(&format!("/api/v1/conversations/{c}/categories"), &ana.token, json!({"categoryIds": [category_id]})).await;
    // Replying to an unassigned conversation takes it.
    let reply = app.post("/api/v1/messages", &ana.token, json!({"conversationId": c, "content": "resposta"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    // The contact writing to a resolved conversation reopens it.
    patch(&app, &admin.token, &c, json!({"status": "RESOLVED"})).await;
    app.inbound(&channel, &inbound_body("a2", "cust-1", "voltei")).await;
    app.run_jobs().await;

    let lines = activity(&app, &admin.token, &c).await;
    assert_eq!(
        kinds(&lines),
        [
            "assigned",
            "transferred",
            "team_changed",
            "status_changed",
            "snoozed",
            "unsnoozed",
            "resolved",
            "reopened",
            "unassigned",
            "team_changed",
            "categories_changed",
            "assigned",
            "resolved",
            "reopened"
        ]
    );
    let a = |i: usize| &lines[i]["activity"];
    assert_eq!((a(0)["actor"]["name"].as_str(), a(0)["agent"]["name"].as_str()), (Some("Admin"), Some("ana")));
    assert_eq!((a(1)["previousAgent"]["name"].as_str(), a(1)["agent"]["name"].as_str()), (Some("ana"), Some("bia")));
    assert_eq!(a(2)["team"]["name"], "Suporte");
    assert_eq!(a(3)["status"], "PENDING");
    assert!(a(4)["until"].is_string());
    assert_eq!(a(8)["previousAgent"]["name"], "bia");
    assert!(a(9)["team"].is_null());
    assert_eq!(a(9)["previousTeam"]["name"], "Suporte");
    assert_eq!(a(10)["added"], json!(["Boleto"]));
    assert_eq!(a(10)["actor"]["name"], "ana");
    assert_eq!((a(11)["actor"]["id"].clone(), a(11)["agent"]["id"].clone()), (json!(ana_id), json!(ana_id)));
    assert!(a(13)["actor"].is_null(), "the contact reopened it: no agent did");
    for line in &lines {
        assert_eq!(line["senderType"], "SYSTEM");
        assert!(line["content"].is_null() && line["sender"].is_null());
        assert_eq!(line["isPrivate"], false);
    }
    // The line that took the conversation comes right before the reply that took it.
    let page = app.get(&format!("/api/v1/messages?conversationId={c}&limit=200"), &admin.token).await;
    let all: Vec<&Value> = page.body["messages"].as_array().unwrap().iter().rev().collect();
    let reply_at = all.iter().position(|m| m["content"] == "resposta").unwrap();
    assert_eq!(all[reply_at - 1]["activity"]["kind"], "assigned");
    // Only the reply was queued for delivery; lines are not previews, unread or search hits.
    let jobs = scalar(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'deliver_message'").await;
    assert_eq!(jobs, 1);
    let view = app.get(&format!("/api/v1/conversations/{c}"), &ana.token).await;
    assert_eq!(view.body["conversation"]["lastMessagePreview"], "voltei");
    let found = app.get("/api/v1/search?q=bia&kind=messages", &admin.token).await;
    assert_eq!(found.body["messages"], json!([]), "{:?}", found.body);
    // Productivity counts ana's one reply, never a line.
    let mut replies = 0;
    for _ in 0..100 {
        replies = scalar(&app, "SELECT COUNT(*) FROM agent_productivity_events WHERE event_type = 'REPLY_SENT'").await;
        if replies > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM agent_productivity_events WHERE event_type = 'REPLY_SENT'").await, 1);
    assert_eq!(replies, 1);
    // Clients cannot write lines themselves.
    let forged = app
        .post("/api/v1/messages", &ana.token, json!({"conversationId": c, "content": "x", "contentType": "activity"}))
        .await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    socket.close().await;
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let row = app.db.query_one_raw(Statement::from_string(backend, sql.to_string())).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}
