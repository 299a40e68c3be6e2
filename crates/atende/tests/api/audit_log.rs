//! `GET /api/v1/audit-log` (+ `.csv`): what is recorded for users, roles, tokens,
//! channels and credentials, settings, exports, merges, erasures and forced logouts;
//! filters and paging; CSV with formulas neutralised; admins only; one tenant's log.

use atende::tenancy::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn actions(reply: &Reply) -> Vec<String> {
    reply.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

fn entry<'a>(reply: &'a Reply, action: &str) -> &'a Value {
    reply.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} in {:?}", actions(reply)))
}

#[tokio::test]
async fn sensitive_actions_are_recorded_without_secrets_and_read_back_with_filters() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let mut planted = Planted::default();

    // Users and roles; a deactivation is a forced logout.
    let password = planted.plant("new user password");
    let created = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "ana@acme.test", "name": "Ana", "password": password, "role": "AGENT"}),
        )
        .await;
    let ana = created.body["user"]["id"].as_str().unwrap().to_string();
    app.patch(&format!("/api/v1/users/{ana}"), &admin.token, json!({"role": "MANAGER"})).await;
    let new_password = planted.plant("changed password");
    app.patch(&format!("/api/v1/users/{ana}"), &admin.token, json!({"password": new_password})).await;
    app.post(&format!("/api/v1/users/{ana}/deactivate"), &admin.token, json!({})).await;
    // API tokens.
    let token = app.post("/api/v1/auth/tokens", &admin.token, json!({"name": "ci"})).await;
    planted.remember("API token", token.body["token"].as_str().unwrap());
    let token_id = token.body["apiToken"]["id"].as_str().unwrap().to_string();
    app.delete(&format!("/api/v1/auth/tokens/{token_id}"), &admin.token).await;
    // Channels and their credentials.
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    planted.remember("webhook secret", &channel.secret);
    let twilio_token = planted.plant("Twilio token");
    let twilio = app
        .post(
            "/api/v1/channels",
            &admin.token,
            json!({"type": "WHATSAPP_TWILIO", "name": "WhatsApp", "accountId": "AC0123456789abcdef0123456789abcdef",
                   "phoneNumber": "+14155238886", "credentials": {"authToken": twilio_token}}),
        )
        .await;
    assert_eq!(twilio.status, StatusCode::CREATED, "{:?}", twilio.body);
    let twilio_id = twilio.body["channel"]["id"].as_str().unwrap().to_string();
    let rotated = planted.plant("rotated Twilio token");
    app.patch(&format!("/api/v1/channels/{twilio_id}"), &admin.token, json!({"credentials": {"authToken": rotated}}))
        .await;
    // Settings, Asaas keys, exports, merges, erasures.
    app.put("/api/v1/settings", &admin.token, json!({"fcrWindowDays": 3})).await;
    let asaas_key = format!("$aact_hmlg_{}", planted.plant("Asaas key"));
    app.put("/api/v1/asaas/settings", &admin.token, json!({"apiKey": asaas_key})).await;
    app.get("/api/v1/contacts/export.csv", &admin.token).await;
    let conversation = app.receive(&channel, "ext-1", "cust-1", "Oi").await;
    let contact = app.get(&format!("/api/v1/conversations/{conversation}"), &admin.token).await.body["conversation"]
        ["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other =
        app.post("/api/v1/contacts", &admin.token, json!({"name": "Maria (e-mail)"})).await.body["contact"]["id"]
            .as_str()
            .unwrap()
            .to_string();
    let merged =
        app.post(&format!("/api/v1/contacts/{contact}/merge"), &admin.token, json!({"otherContactId": other})).await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(app.delete(&format!("/api/v1/contacts/{contact}"), &admin.token).await.status, StatusCode::NO_CONTENT);

    let log = app.get("/api/v1/audit-log?limit=200", &admin.token).await;
    assert_eq!(log.status, StatusCode::OK, "{:?}", log.body);
    let seen = actions(&log);
    for action in [
        "auth.login",
        "user.created",
        "user.updated",
        "user.deactivated",
        "auth.access_revoked",
        "api_token.created",
        "api_token.revoked",
        "channel.created",
        "channel.updated",
        "settings.updated",
        "asaas.settings_updated",
        "contact.exported",
        "contact.merged",
        "contact.deleted",
    ] {
        assert!(seen.iter().any(|a| a == action), "{action} not recorded: {seen:?}");
    }
    // Newest first, with the actor's name and what changed (never the values of secrets).
    assert_eq!(log.body["entries"][0]["action"], "contact.deleted");
    assert_eq!(log.body["total"].as_u64().unwrap() as usize, seen.len());
    let promotion = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.updated" && e["details"]["role"].is_object())
        .expect("the role change");
    assert_eq!(promotion["details"]["role"], json!({"from": "AGENT", "to": "MANAGER"}));
    assert_eq!(promotion["actor"]["name"], "Admin");
    assert_eq!(promotion["actor"]["kind"], "user");
    assert_eq!(promotion["targetId"], ana);
    assert_eq!(entry(&log, "channel.updated")["details"]["fields"], json!(["credentials"]));
    assert_eq!(entry(&log, "auth.access_revoked")["targetId"], ana);
    planted.scan_reply("the audit log", &log);

    // Filters: action (exact or family), actor, period; paging.
    let users = app.get("/api/v1/audit-log?action=user.*", &admin.token).await;
    assert!(actions(&users).iter().all(|a| a.starts_with("user.")), "{:?}", actions(&users));
    assert_eq!(actions(&users).len(), 4, "created, role, password, deactivated");
    let exact = app.get("/api/v1/audit-log?action=user.deactivated", &admin.token).await;
    assert_eq!(actions(&exact), vec!["user.deactivated"]);
    let by_admin = app.get(&format!("/api/v1/audit-log?actorId={}&limit=200", tenant.admin_id), &admin.token).await;
    assert!(
        by_admin.body["entries"].as_array().unwrap().iter().all(|e| e["actor"]["id"] == tenant.admin_id.to_string())
    );
    assert!(!actions(&by_admin).is_empty());
    let by_ana = app.get(&format!("/api/v1/audit-log?actorId={ana}"), &admin.token).await;
    assert_eq!(by_ana.body["total"], 0);
    let today = chrono::Utc::now().date_naive();
    let this_day = app.get(&format!("/api/v1/audit-log?from={today}&to={today}&limit=1"), &admin.token).await;
    assert_eq!(this_day.body["total"], log.body["total"]);
    assert_eq!(this_day.body["entries"].as_array().unwrap().len(), 1);
    let second = app.get("/api/v1/audit-log?limit=1&offset=1", &admin.token).await;
    assert_eq!(second.body["entries"][0]["id"], log.body["entries"][1]["id"]);
    let tomorrow = today.succ_opt().unwrap();
    let later = app.get(&format!("/api/v1/audit-log?from={tomorrow}"), &admin.token).await;
    assert_eq!(later.body["total"], 0);

    // Bad filters: clear errors with stable codes.
    for (query, code, field) in [
        ("from=yesterday", "validation_failed", Some("from")),
        ("action=DROP%20TABLE", "validation_failed", Some("action")),
        ("from=2026-12-02&to=2026-12-01", "validation_failed", Some("to")),
        ("actorId=not-a-uuid", "invalid_query", None),
    ] {
        let bad = app.get(&format!("/api/v1/audit-log?{query}"), &admin.token).await;
        assert!(bad.status.is_client_error(), "{query}: {}", bad.status);
        assert_eq!(bad.code(), code, "{query}: {:?}", bad.body);
        if let Some(field) = field {
            assert!(bad.body["error"]["details"][field].is_array(), "{query}: {:?}", bad.body);
        }
    }

    // The CSV: every cell quoted, a formula in a name neutralised; the download is recorded.
    app.patch(&format!("/api/v1/users/{}", tenant.admin_id), &admin.token, json!({"name": "=HYPERLINK(\"http://x\")"}))
        .await;
    let csv =
        app.client.get(app.url("/api/v1/audit-log.csv?action=user.*")).bearer_auth(&admin.token).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("audit-log.csv"));
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\"created_at\",\"action\",\"actor_kind\",\"actor_id\",\"actor_name\",\"actor_email\",\"target_type\",\"target_id\",\"ip\",\"details\""
    );
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(!text.contains(",\"=HYPERLINK"), "{text}");
    assert_eq!(lines.count(), 5, "{text}");
    planted.scan("the audit CSV", &text);
    let exported = app.get("/api/v1/audit-log?action=audit.exported", &admin.token).await;
    assert_eq!(exported.body["total"], 1);
}

#[tokio::test]
async fn the_audit_log_is_for_admins_and_shows_only_their_workspace() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    app.post("/api/v1/teams", &admin_a.token, json!({"name": "Segredo de A"})).await;
    app.create_user(&a, "max@alpha.test", Role::Manager).await;
    app.create_user(&a, "ana@alpha.test", Role::Agent).await;
    for email in ["max@alpha.test", "ana@alpha.test"] {
        let session = app.session("alpha", email).await;
        for path in ["/api/v1/audit-log", "/api/v1/audit-log.csv"] {
            let reply = app.get(path, &session.token).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email} {path}");
            assert_eq!(reply.code(), "forbidden");
        }
    }
    assert_eq!(
        app.request(reqwest::Method::GET, "/api/v1/audit-log", None, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    let mine = app.get("/api/v1/audit-log?limit=200", &admin_b.token).await;
    assert_eq!(mine.status, StatusCode::OK);
    let text = mine.body.to_string();
    assert!(!text.contains("Segredo de A") && !text.contains(&a.admin_id.to_string()), "{text}");
    // B's own admin, and the system (the workspace's creation).
    assert!(
        mine.body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"]["id"] == b.admin_id.to_string() || e["actor"]["kind"] == "system"),
        "{text}"
    );
    // Asking for A's admin by id finds nothing, in JSON or CSV.
    let theirs = app.get(&format!("/api/v1/audit-log?actorId={}", a.admin_id), &admin_b.token).await;
    assert_eq!(theirs.body["total"], 0);
    let csv = app.get(&format!("/api/v1/audit-log.csv?actorId={}", a.admin_id), &admin_b.token).await;
    assert_eq!(csv.body.as_str().unwrap().lines().count(), 1, "{:?}", csv.body);
    // A's admin sees A's team creation.
    let a_log = app.get("/api/v1/audit-log?action=team.created", &admin_a.token).await;
    assert_eq!(a_log.body["total"], 1);
    assert_eq!(a_log.body["entries"][0]["details"]["name"], "Segredo de A");
}
