//! Remote work II (issue 11): productivity events projected from the outbox (exactly
//! once, rebuildable), interaction categories, mandatory categorisation, reports with
//! their scopes and CSV. Metric arithmetic is unit-tested on hand-computed scenarios
//! (`productivity/metrics_tests.rs`, `facts_tests.rs`); here the real server is driven
//! end to end.

use std::time::Duration as StdDuration;

use atende::tenancy::Role;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{core_helpers::ApiChannel, helpers::*};

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app.db.query_one_raw(Statement::from_string(backend, sql.to_string())).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn count_type(app: &TestApp, kind: &str) -> i64 {
    scalar(app, &format!("SELECT COUNT(*) FROM agent_productivity_events WHERE event_type = '{kind}'")).await
}

/// Polls a report until `done` holds (the projector runs a moment after the change).
async fn report_until(app: &TestApp, token: &str, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..200 {
        let reply = app.get(path, token).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {:?}", reply.body);
        if done(&reply.body) {
            return reply.body;
        }
        last = reply.body;
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
    panic!("{path} never reached the expected state: {last}");
}

fn resolved_total(body: &Value) -> i64 {
    body["totals"]["resolved"].as_i64().unwrap_or(0)
}

/// Raw GET (CSV bodies are not JSON).
async fn get_text(app: &TestApp, path: &str, token: &str, accept: Option<&str>) -> (StatusCode, String, String) {
    let mut request = app.client.get(app.url(path)).bearer_auth(token);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    // Bytes, not `text()`: reqwest would swallow the byte-order mark.
    let bytes = response.bytes().await.unwrap();
    (status, kind, String::from_utf8(bytes.to_vec()).expect("UTF-8"))
}

struct Desk {
    tenant: Tenant,
    admin: Session,
    channel: ApiChannel,
}

async fn desk(app: &TestApp, slug: &str) -> Desk {
    let tenant = app.create_tenant(slug).await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/callback").await;
    Desk { tenant, admin, channel }
}

async fn agent(app: &TestApp, desk: &Desk, email: &str, role: Role) -> (Uuid, Session) {
    let id = app.create_user(&desk.tenant, email, role).await;
    (id, app.session(&desk.tenant.slug, email).await)
}

/// A customer writes; `agent` replies (after a private note) and resolves.
async fn handle(app: &TestApp, desk: &Desk, agent: &Session, customer: &str) -> String {
    let conversation = app.receive(&desk.channel, &format!("m-{customer}-{}", Uuid::now_v7()), customer, "Oi").await;
    let note = app
        .post(
            "/api/v1/messages",
            &agent.token,
            json!({"conversationId": conversation, "content": "nota", "isPrivate": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{:?}", note.body);
    let reply =
        app.post("/api/v1/messages", &agent.token, json!({"conversationId": conversation, "content": "Olá!"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let resolve =
        app.patch(&format!("/api/v1/conversations/{conversation}"), &agent.token, json!({"status": "RESOLVED"})).await;
    assert_eq!(resolve.status, StatusCode::OK, "{:?}", resolve.body);
    conversation
}

#[tokio::test]
async fn replies_and_resolutions_become_productivity_events_exactly_once() {
    let app = spawn_app().await;
    let desk = desk(&app, "prod-once").await;
    let (ana_id, ana) = agent(&app, &desk, "ana@once.test", Role::Agent).await;
    handle(&app, &desk, &ana, "5511900000001").await;
    let body =
        report_until(&app, &desk.admin.token, "/api/v1/reports/productivity?preset=today", |b| resolved_total(b) == 1)
            .await;
    let row = body["rows"].as_array().unwrap().iter().find(|r| r["key"] == ana_id.to_string()).cloned().unwrap();
    assert_eq!(row["label"], "ana");
    assert_eq!(row["replies"], 1, "the private note is not a reply");
    assert_eq!(row["resolved"], 1);
    assert_eq!(row["conversationsHandled"], 1);
    assert_eq!(row["frtCount"], 1);
    assert_eq!(row["fcrRate"], 1.0);
    let counts = [
        ("REPLY_SENT", 1),
        ("FIRST_REPLY", 1),
        ("CONVERSATION_ASSIGNED", 1),
        ("CONVERSATION_RESOLVED", 1),
        ("CONVERSATION_REOPENED", 0),
    ];
    for (kind, n) in counts {
        assert_eq!(count_type(&app, kind).await, n, "{kind}");
    }
    // The customer writes again: reopened, counted against Ana's resolution.
    app.receive(&desk.channel, "m-again", "5511900000001", "Ainda não funcionou").await;
    report_until(&app, &desk.admin.token, "/api/v1/reports/productivity?preset=today", |b| {
        b["totals"]["reopened"] == 1 && b["totals"]["fcrRate"] == 0.0
    })
    .await;
    let cycles = scalar(&app, "SELECT COUNT(*) FROM conversation_facts").await;
    assert_eq!(cycles, 2, "the reopening starts a second cycle");

    // Delivering every event again changes nothing.
    let before = scalar(&app, "SELECT COUNT(*) FROM agent_productivity_events").await;
    atende::events::outbox::rewind(&app.db, atende::productivity::projector::METRICS, Default::default())
        .await
        .unwrap();
    let projector = atende::productivity::projector::MetricsProjector { db: app.db.clone() };
    atende::events::dispatcher::deliver_pending(&app.db, &projector, false).await.unwrap();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM agent_productivity_events").await, before);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM conversation_facts").await, 2);
    let again = app.get("/api/v1/reports/productivity?preset=today", &desk.admin.token).await;
    assert_eq!(again.body["totals"]["replies"], 1);
    assert_eq!(again.body["totals"]["resolved"], 1);
}

#[tokio::test]
async fn a_rebuild_reprojects_what_the_outbox_holds_since_a_date() {
    let app = spawn_app().await;
    let desk = desk(&app, "prod-rebuild").await;
    let (_, ana) = agent(&app, &desk, "ana@rebuild.test", Role::Agent).await;
    handle(&app, &desk, &ana, "5511900000002").await;
    report_until(&app, &desk.admin.token, "/api/v1/reports/productivity?preset=today", |b| resolved_total(b) == 1)
        .await;
    let before = scalar(&app, "SELECT COUNT(*) FROM agent_productivity_events").await;
    // A definition change would be here: forget a row, as a stale projection would.
    app.db.execute_unprepared("DELETE FROM agent_productivity_events WHERE event_type = 'FIRST_REPLY'").await.unwrap();
    let from = chrono::Utc::now() - chrono::Duration::hours(1);
    let done = atende::productivity::rebuild::rebuild(&app.db, from).await.unwrap();
    // (The test server's own dispatcher may deliver some of them first: count the result.)
    assert_eq!(done.events as i64, before);
    assert_eq!(count_type(&app, "FIRST_REPLY").await, 1);
    let body = app.get("/api/v1/reports/productivity?preset=today&groupBy=total", &desk.admin.token).await;
    assert_eq!(body.body["rows"][0]["resolved"], 1);
    assert_eq!(body.body["rows"][0]["frtCount"], 1);
    // Once the outbox no longer holds what was projected since then: refused rather
    // than half done.
    app.db.execute_unprepared("DELETE FROM domain_events").await.unwrap();
    handle(&app, &desk, &ana, "5511900000009").await;
    report_until(&app, &desk.admin.token, "/api/v1/reports/productivity?preset=today", |b| resolved_total(b) == 2)
        .await;
    let err = atende::productivity::rebuild::rebuild(&app.db, from).await.unwrap_err();
    assert!(err.to_string().contains("outbox keeps events from"), "{err}");
    assert!(atende::cli::parse_from("2026-12-01").is_ok());
    assert!(atende::cli::parse_from("ontem").is_err());
}

#[tokio::test]
async fn categories_are_hierarchical_unique_per_parent_and_deleted_softly() {
    let app = spawn_app().await;
    let desk = desk(&app, "prod-cats").await;
    let (_, ana) = agent(&app, &desk, "ana@cats.test", Role::Agent).await;
    let admin = &desk.admin.token;
    let create = |body: Value| app.post("/api/v1/settings/interaction-categories", admin, body);
    let support = create(json!({"name": "Suporte", "description": "Ajuda"})).await;
    assert_eq!(support.status, StatusCode::CREATED, "{:?}", support.body);
    let support_id = support.body["category"]["id"].as_str().unwrap().to_string();
    let billing = create(json!({"name": "Faturamento", "parentId": support_id})).await;
    assert_eq!(billing.body["category"]["path"], "Suporte › Faturamento");
    let billing_id = billing.body["category"]["id"].as_str().unwrap().to_string();
    // Unique per tenant and parent, whatever the case; the same name elsewhere is fine.
    let dup = create(json!({"name": "faturamento ", "parentId": support_id})).await;
    assert_eq!((dup.status, dup.code()), (StatusCode::CONFLICT, "category_name_taken"));
    assert_eq!(create(json!({"name": "Faturamento"})).await.status, StatusCode::CREATED);
    assert_eq!(create(json!({"name": ""})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A category cannot move under its own child.
    let cycle = app
        .put(&format!("/api/v1/settings/interaction-categories/{support_id}"), admin, json!({"parentId": billing_id}))
        .await;
    assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", cycle.body);
    // Agents pick from the active ones only; they may not manage them.
    assert_eq!(create(json!({"name": "Vendas"})).await.status, StatusCode::CREATED);
    assert_eq!(
        app.post("/api/v1/settings/interaction-categories", &ana.token, json!({"name": "X"})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/api/v1/settings/interaction-categories", &ana.token).await.status, StatusCode::FORBIDDEN);
    let off = app
        .put(&format!("/api/v1/settings/interaction-categories/{support_id}"), admin, json!({"active": false}))
        .await;
    assert_eq!(off.body["category"]["active"], false);
    let picker = app.get("/api/v1/interaction-categories", &ana.token).await;
    let paths: Vec<&str> =
        picker.body["items"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap()).collect();
    assert_eq!(paths, vec!["Faturamento", "Vendas"], "an inactive parent hides its children too");
    let all = app.get("/api/v1/settings/interaction-categories", admin).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 4);
    app.put(&format!("/api/v1/settings/interaction-categories/{support_id}"), admin, json!({"active": true})).await;

    // Tag a conversation, then delete the category softly: the tag stays.
    let conversation = app.receive(&desk.channel, "m-cat", "5511900000003", "Boleto").await;
    let tag = app
        .post(
            &format!("/api/v1/conversations/{conversation}/categories"),
            &ana.token,
            json!({"categoryIds": [billing_id]}),
        )
        .await;
    assert_eq!(tag.status, StatusCode::OK, "{:?}", tag.body);
    assert_eq!(tag.body["items"][0]["path"], "Suporte › Faturamento");
    let busy = app.delete(&format!("/api/v1/settings/interaction-categories/{support_id}"), admin).await;
    assert_eq!((busy.status, busy.code()), (StatusCode::CONFLICT, "category_has_children"));
    assert_eq!(
        app.delete(&format!("/api/v1/settings/interaction-categories/{billing_id}"), admin).await.status,
        StatusCode::NO_CONTENT
    );
    let all = app.get("/api/v1/settings/interaction-categories", admin).await;
    assert!(all.body["items"].as_array().unwrap().iter().all(|c| c["id"] != billing_id.as_str()));
    let kept = app.get(&format!("/api/v1/conversations/{conversation}/categories"), &ana.token).await;
    assert_eq!(kept.body["items"][0]["id"], billing_id.as_str(), "history keeps the deleted category");
    // A deleted category can no longer be picked, and its name is free again.
    let stale = app
        .post(
            &format!("/api/v1/conversations/{conversation}/categories"),
            &ana.token,
            json!({"categoryIds": [billing_id]}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(create(json!({"name": "Faturamento", "parentId": support_id})).await.status, StatusCode::CREATED);
    assert_eq!(
        app.delete(&format!("/api/v1/settings/interaction-categories/{billing_id}"), admin).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_required_category_must_be_tagged_before_resolving() {
    let app = spawn_app().await;
    let desk = desk(&app, "prod-required").await;
    let (_, ana) = agent(&app, &desk, "ana@required.test", Role::Agent).await;
    let on = app.put("/api/v1/settings", &desk.admin.token, json!({"requireCategoryToResolve": true})).await;
    assert_eq!(on.status, StatusCode::OK, "{:?}", on.body);
    let conversation = app.receive(&desk.channel, "m-req", "5511900000004", "Oi").await;
    let path = format!("/api/v1/conversations/{conversation}");
    let refused = app.patch(&path, &ana.token, json!({"status": "RESOLVED"})).await;
    assert_eq!((refused.status, refused.code()), (StatusCode::CONFLICT, "category_required"));
    let bulk =
        app.post("/api/v1/conversations/bulk", &ana.token, json!({"ids": [conversation], "status": "RESOLVED"})).await;
    assert_eq!(
        (bulk.body["updated"].as_u64(), bulk.body["failed"][0]["code"].as_str()),
        (Some(0), Some("category_required"))
    );
    let category =
        app.post("/api/v1/settings/interaction-categories", &desk.admin.token, json!({"name": "Dúvida"})).await;
    let id = category.body["category"]["id"].as_str().unwrap();
    app.post(&format!("{path}/categories"), &ana.token, json!({"categoryIds": [id]})).await;
    let resolved = app.patch(&path, &ana.token, json!({"status": "RESOLVED"})).await;
    assert_eq!(resolved.status, StatusCode::OK, "{:?}", resolved.body);
    // Off again: nothing is required.
    app.put("/api/v1/settings", &desk.admin.token, json!({"requireCategoryToResolve": false})).await;
    let other = app.receive(&desk.channel, "m-req2", "5511900000005", "Oi").await;
    let ok = app.patch(&format!("/api/v1/conversations/{other}"), &ana.token, json!({"status": "RESOLVED"})).await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn reports_show_managers_their_teams_agents_themselves_and_no_tenant_another() {
    let app = spawn_app().await;
    let desk = desk(&app, "prod-scope").await;
    let admin = desk.admin.token.clone();
    let (a1, a1_session) = agent(&app, &desk, "a1@scope.test", Role::Agent).await;
    let (b1, b1_session) = agent(&app, &desk, "b1@scope.test", Role::Agent).await;
    let manager_id = app.create_user(&desk.tenant, "max@scope.test", Role::Manager).await;
    let team_a =
        app.post("/api/v1/teams", &admin, json!({"name": "A"})).await.body["team"]["id"].as_str().unwrap().to_string();
    let team_b =
        app.post("/api/v1/teams", &admin, json!({"name": "B"})).await.body["team"]["id"].as_str().unwrap().to_string();
    app.put(&format!("/api/v1/teams/{team_a}/members/{a1}"), &admin, json!({})).await;
    app.put(&format!("/api/v1/teams/{team_b}/members/{b1}"), &admin, json!({})).await;
    app.put(&format!("/api/v1/teams/{team_a}/members/{manager_id}"), &admin, json!({"supervisor": true})).await;
    let max = app.session(&desk.tenant.slug, "max@scope.test").await;
    handle(&app, &desk, &a1_session, "5511900000011").await;
    handle(&app, &desk, &b1_session, "5511900000012").await;
    let all = report_until(&app, &admin, "/api/v1/reports/productivity?preset=today", |b| resolved_total(b) == 2).await;
    let keys = |b: &Value| -> Vec<String> {
        // Rows of people who worked conversations (logins alone give session rows).
        let mut k: Vec<String> = b["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["replies"].as_i64() > Some(0) || r["resolved"].as_i64() > Some(0))
            .map(|r| r["key"].as_str().unwrap().to_string())
            .collect();
        k.sort();
        k
    };
    let mut both = vec![a1.to_string(), b1.to_string()];
    both.sort();
    assert_eq!(keys(&all), both);

    // The manager of team A sees a1 only, and nothing of team B.
    let mine = app.get("/api/v1/reports/productivity?preset=today", &max.token).await;
    assert_eq!(keys(&mine.body), vec![a1.to_string()]);
    assert_eq!(mine.body["totals"]["resolved"], 1);
    for path in [
        format!("/api/v1/reports/productivity?agentIds={b1}"),
        format!("/api/v1/reports/productivity?teamIds={team_b}"),
        format!("/api/v1/reports/agents/{b1}"),
        format!("/api/v1/reports/work-logs?agentIds={b1}"),
    ] {
        assert_eq!(app.get(&path, &max.token).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let team = app.get(&format!("/api/v1/reports/productivity?teamIds={team_a}&groupBy=total"), &max.token).await;
    assert_eq!(team.body["rows"][0]["resolved"], 1);
    let kpis = app.get("/api/v1/reports/kpis?preset=today", &max.token).await;
    assert_eq!(kpis.body["current"]["resolved"], 1);
    let conversations = app.get("/api/v1/reports/conversations?preset=today", &max.token).await;
    assert_eq!(conversations.body["total"], 1);

    // An agent sees only themselves.
    let own = app.get("/api/v1/reports/productivity?preset=today", &a1_session.token).await;
    assert_eq!(keys(&own.body), vec![a1.to_string()]);
    assert_eq!(app.get(&format!("/api/v1/reports/agents/{a1}"), &a1_session.token).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/reports/agents/{b1}"), &a1_session.token).await.status, StatusCode::NOT_FOUND);

    // Another tenant sees none of it and gets 404 for its ids.
    let other = desk_only(&app, "prod-scope-b").await;
    let theirs = app.get("/api/v1/reports/productivity?preset=today", &other.token).await;
    assert!(keys(&theirs.body).is_empty(), "{:?}", theirs.body);
    assert_eq!(theirs.body["totals"]["resolved"], 0);
    let cat = app.post("/api/v1/settings/interaction-categories", &admin, json!({"name": "Só de A"})).await;
    let cat_id = cat.body["category"]["id"].as_str().unwrap().to_string();
    for path in [
        format!("/api/v1/reports/productivity?agentIds={a1}"),
        format!("/api/v1/reports/productivity?teamIds={team_a}"),
        format!("/api/v1/reports/categories?categoryIds={cat_id}"),
        format!("/api/v1/reports/agents/{a1}"),
    ] {
        assert_eq!(app.get(&path, &other.token).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.get("/api/v1/reports/conversations?preset=today", &other.token).await.body["total"], 0);
    assert_eq!(
        app.put(&format!("/api/v1/settings/interaction-categories/{cat_id}"), &other.token, json!({"name": "x"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(app.get("/api/v1/interaction-categories", &other.token).await.body["items"].as_array().unwrap().is_empty());
    let a_conversation = app.receive(&desk.channel, "m-iso", "5511900000013", "Oi").await;
    let tag = app
        .post(&format!("/api/v1/conversations/{a_conversation}/categories"), &other.token, json!({"categoryIds": []}))
        .await;
    assert_eq!(tag.status, StatusCode::NOT_FOUND);
    // Bad filters are 400 with a stable code.
    for path in [
        "/api/v1/reports/productivity?preset=someday",
        "/api/v1/reports/productivity?agentIds=nope",
        "/api/v1/reports/productivity?groupBy=moon",
        "/api/v1/reports/productivity?from=2026-02-10&to=2026-02-01",
        "/api/v1/reports/productivity?sort=nope",
    ] {
        let reply = app.get(path, &admin).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "invalid_query"), "{path}");
    }
}

async fn desk_only(app: &TestApp, slug: &str) -> Session {
    let tenant = app.create_tenant(slug).await;
    app.admin(&tenant).await
}

#[tokio::test]
async fn csv_exports_hold_exactly_the_json_rows_for_spreadsheets() {
    let app = spawn_app().await;
    let desk = desk(&app, "prod-csv").await;
    let (_, evil) = agent(&app, &desk, "=cmd@csv.test", Role::Agent).await;
    let (_, ana) = agent(&app, &desk, "ana@csv.test", Role::Agent).await;
    handle(&app, &desk, &evil, "5511900000021").await;
    handle(&app, &desk, &ana, "5511900000022").await;
    let path = "/api/v1/reports/productivity?preset=today&sort=label&order=asc";
    let json_body = report_until(&app, &desk.admin.token, path, |b| resolved_total(b) == 2).await;
    let (status, kind, text) = get_text(&app, &format!("{path}&format=csv"), &desk.admin.token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM for spreadsheets");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("key;label;conversationsHandled;resolved;replies"), "pt-BR uses `;`: {}", lines[0]);
    let rows = json_body["rows"].as_array().unwrap();
    assert_eq!(lines.len() - 1, rows.len());
    for (line, row) in lines[1..].iter().zip(rows) {
        let cells: Vec<&str> = line.split(';').collect();
        assert_eq!(cells[0], row["key"].as_str().unwrap());
        assert_eq!(cells[3], row["resolved"].to_string());
        assert_eq!(cells[4], row["replies"].to_string());
    }
    // The agent named "=cmd" cannot run a formula.
    assert!(lines.iter().any(|l| l.contains(";'=cmd;")), "{text}");
    // Accept: text/csv works too, in English with `,` when the tenant's locale is en.
    app.put("/api/v1/settings", &desk.admin.token, json!({"locale": "en"})).await;
    let (_, _, text) =
        get_text(&app, "/api/v1/reports/productivity?preset=today", &desk.admin.token, Some("text/csv")).await;
    assert!(text.trim_start_matches('\u{feff}').starts_with("key,label,"), "{text}");
    for report in ["work-logs", "idle", "categories", "conversations", "kpis"] {
        let reply = app.get(&format!("/api/v1/reports/{report}?preset=last_7_days"), &desk.admin.token).await;
        assert_eq!(reply.status, StatusCode::OK, "{report}: {:?}", reply.body);
    }
    let (status, _, text) =
        get_text(&app, "/api/v1/reports/conversations?preset=today&format=csv", &desk.admin.token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text.trim().lines().count(), 3, "a header and one row per conversation: {text}");
    let bad = app.get("/api/v1/reports/idle?format=xls", &desk.admin.token).await;
    assert_eq!(bad.code(), "invalid_query");
}
