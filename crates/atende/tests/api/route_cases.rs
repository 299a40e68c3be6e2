//! Every route of the API as a table of cases (how to fill its path, query and body
//! with one workspace's objects), the workspace ("world") those cases need, with
//! planted secrets in every credential, and the request runner. Used by the isolation
//! suite (`isolation_routes.rs`: tenant B calls every case with A's ids) and the role
//! matrix (`role_matrix.rs`: every role calls every case with its own tenant's ids).
//!
//! Placeholders: `$name` is replaced by the world's object of that name (`$contact`,
//! `$conversation`…); `$fresh_name` by a new object created for that one call (routes
//! that consume what they act on: delete, deactivate, merge, cancel) — in the isolation
//! suite by the stable object of the same name, since the other tenant must not be
//! able to consume anything.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::atomic::{AtomicU64, Ordering},
};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, Request, ResponseTemplate,
    matchers::{method, path_regex},
};

use crate::{channel_helpers::Channel, core_helpers::*, helpers::*};

/// How a case's request body is made.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    None,
    /// JSON text with placeholders.
    Json(&'static str),
    /// A CSV body (contacts import).
    Csv(&'static str),
    /// A small text file in the multipart field `file`.
    Multipart,
    /// A form body (Twilio webhooks).
    Form(&'static str),
}

/// Who may call a route at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A tenant session (cookie or bearer): anonymous is 401.
    Tenant,
    /// Anyone (sign-in).
    Public,
    /// Platform super admins only.
    Platform,
    /// Provider webhooks: authenticated by signature or URL secret, not by a session.
    Webhook,
}

/// One route (its OpenAPI method and path) and how to call it.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub method: &'static str,
    /// The path as the OpenAPI document names it.
    pub route: &'static str,
    /// The URL to call, with placeholders (and a query string where the route reads one).
    pub url: &'static str,
    pub body: Body,
    pub access: Access,
    /// The call ends the caller's session: made with a session of its own.
    pub own_session: bool,
}

const fn case(method: &'static str, route: &'static str, url: &'static str, body: Body) -> Case {
    Case { method, route, url, body, access: Access::Tenant, own_session: false }
}

const fn with_access(mut c: Case, access: Access) -> Case {
    c.access = access;
    c
}

const fn own_session(mut c: Case) -> Case {
    c.own_session = true;
    c
}

use Body::{Csv, Form, Json, Multipart, None as NoBody};

/// Every route of the API. A route served by the server but missing here fails both
/// suites: give it a case.
pub const CASES: &[Case] = &[
    // auth
    with_access(
        case(
            "POST",
            "/api/v1/auth/login",
            "/api/v1/auth/login",
            Json(r#"{"workspace":"$slug","email":"$login_email","password":"$login_password"}"#),
        ),
        Access::Public,
    ),
    own_session(case("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", NoBody)),
    case("GET", "/api/v1/auth/me", "/api/v1/auth/me", NoBody),
    case("GET", "/api/v1/auth/tokens", "/api/v1/auth/tokens", NoBody),
    case("POST", "/api/v1/auth/tokens", "/api/v1/auth/tokens", Json(r#"{"name":"matrix"}"#)),
    case("DELETE", "/api/v1/auth/tokens/{id}", "/api/v1/auth/tokens/$own_token", NoBody),
    // users
    case("GET", "/api/v1/users", "/api/v1/users", NoBody),
    case(
        "POST",
        "/api/v1/users",
        "/api/v1/users",
        Json(r#"{"email":"$unique@example.test","name":"New","password":"password-123","role":"AGENT"}"#),
    ),
    // `$outsider`: an agent in no team the manager supervises.
    case("GET", "/api/v1/users/{id}", "/api/v1/users/$outsider", NoBody),
    case("PATCH", "/api/v1/users/{id}", "/api/v1/users/$outsider", Json(r#"{"name":"Outsider"}"#)),
    case("POST", "/api/v1/users/{id}/deactivate", "/api/v1/users/$fresh_user/deactivate", NoBody),
    // teams
    case("GET", "/api/v1/teams", "/api/v1/teams", NoBody),
    case("POST", "/api/v1/teams", "/api/v1/teams", Json(r#"{"name":"Team $unique"}"#)),
    case("GET", "/api/v1/teams/{id}", "/api/v1/teams/$team", NoBody),
    case("PATCH", "/api/v1/teams/{id}", "/api/v1/teams/$team", Json(r#"{"description":"Support"}"#)),
    case("DELETE", "/api/v1/teams/{id}", "/api/v1/teams/$fresh_team", NoBody),
    case("GET", "/api/v1/teams/{id}/members", "/api/v1/teams/$team/members", NoBody),
    case(
        "PUT",
        "/api/v1/teams/{id}/members/{user_id}",
        "/api/v1/teams/$team/members/$agent2",
        Json(r#"{"supervisor":false}"#),
    ),
    case("DELETE", "/api/v1/teams/{id}/members/{user_id}", "/api/v1/teams/$team/members/$fresh_member", NoBody),
    // settings
    case("GET", "/api/v1/settings", "/api/v1/settings", NoBody),
    case("PUT", "/api/v1/settings", "/api/v1/settings", Json(r#"{"fcrWindowDays":7}"#)),
    case("GET", "/api/v1/settings/productivity", "/api/v1/settings/productivity", NoBody),
    case("PUT", "/api/v1/settings/productivity", "/api/v1/settings/productivity", Json(r#"{"idleTimeoutMinutes":10}"#)),
    case("GET", "/api/v1/settings/interaction-categories", "/api/v1/settings/interaction-categories", NoBody),
    case(
        "POST",
        "/api/v1/settings/interaction-categories",
        "/api/v1/settings/interaction-categories",
        Json(r#"{"name":"Cat $unique"}"#),
    ),
    case(
        "PUT",
        "/api/v1/settings/interaction-categories/{id}",
        "/api/v1/settings/interaction-categories/$category",
        Json(r#"{"description":"Billing questions"}"#),
    ),
    case(
        "DELETE",
        "/api/v1/settings/interaction-categories/{id}",
        "/api/v1/settings/interaction-categories/$fresh_category",
        NoBody,
    ),
    case("GET", "/api/v1/interaction-categories", "/api/v1/interaction-categories", NoBody),
    // audit log
    case("GET", "/api/v1/audit-log", "/api/v1/audit-log?actorId=$admin&action=user.*", NoBody),
    case("GET", "/api/v1/audit-log.csv", "/api/v1/audit-log.csv?actorId=$admin", NoBody),
    // platform
    with_access(
        case(
            "POST",
            "/api/v1/platform/login",
            "/api/v1/platform/login",
            Json(r#"{"email":"$login_email","password":"$login_password"}"#),
        ),
        Access::Public,
    ),
    with_access(case("POST", "/api/v1/platform/logout", "/api/v1/platform/logout", NoBody), Access::Platform),
    with_access(case("GET", "/api/v1/platform/tenants", "/api/v1/platform/tenants", NoBody), Access::Platform),
    with_access(
        case(
            "POST",
            "/api/v1/platform/tenants",
            "/api/v1/platform/tenants",
            Json(r#"{"slug":"t$unique","name":"T","adminEmail":"a@t.test","adminPassword":"password-123"}"#),
        ),
        Access::Platform,
    ),
    with_access(
        case("POST", "/api/v1/platform/tenants/{id}/suspend", "/api/v1/platform/tenants/$tenant/suspend", NoBody),
        Access::Platform,
    ),
    with_access(
        case("POST", "/api/v1/platform/tenants/{id}/reactivate", "/api/v1/platform/tenants/$tenant/reactivate", NoBody),
        Access::Platform,
    ),
    // channels
    case("GET", "/api/v1/channels", "/api/v1/channels", NoBody),
    case(
        "POST",
        "/api/v1/channels",
        "/api/v1/channels",
        Json(r#"{"type":"API","name":"Site $unique","callbackUrl":"http://127.0.0.1:9/unused"}"#),
    ),
    case("GET", "/api/v1/channels/{id}", "/api/v1/channels/$zapi", NoBody),
    case("PATCH", "/api/v1/channels/{id}", "/api/v1/channels/$channel", Json(r#"{"name":"Site"}"#)),
    case("DELETE", "/api/v1/channels/{id}", "/api/v1/channels/$fresh_channel", NoBody),
    case("POST", "/api/v1/channels/{id}/qr-code", "/api/v1/channels/$zapi/qr-code", NoBody),
    case("POST", "/api/v1/channels/{id}/connection", "/api/v1/channels/$zapi/connection", NoBody),
    case("POST", "/api/v1/channels/{id}/disconnect", "/api/v1/channels/$zapi/disconnect", NoBody),
    case("POST", "/api/v1/channels/{id}/restart", "/api/v1/channels/$zapi/restart", NoBody),
    // inbox
    case(
        "GET",
        "/api/v1/conversations",
        "/api/v1/conversations?contactId=$contact&channelId=$channel&teamId=$team",
        NoBody,
    ),
    case(
        "POST",
        "/api/v1/conversations/bulk",
        "/api/v1/conversations/bulk",
        Json(r#"{"ids":["$conversation"],"status":"OPEN"}"#),
    ),
    case("GET", "/api/v1/conversations/{id}", "/api/v1/conversations/$conversation", NoBody),
    case(
        "PATCH",
        "/api/v1/conversations/{id}",
        "/api/v1/conversations/$conversation",
        Json(r#"{"status":"OPEN","agentId":"$agent"}"#),
    ),
    case("POST", "/api/v1/conversations/{id}/read", "/api/v1/conversations/$conversation/read", NoBody),
    case("GET", "/api/v1/conversations/{id}/categories", "/api/v1/conversations/$conversation/categories", NoBody),
    case(
        "POST",
        "/api/v1/conversations/{id}/categories",
        "/api/v1/conversations/$conversation/categories",
        Json(r#"{"categoryIds":["$category"]}"#),
    ),
    case("GET", "/api/v1/contacts/{id}/conversations", "/api/v1/contacts/$contact/conversations", NoBody),
    case("GET", "/api/v1/messages", "/api/v1/messages?conversationId=$conversation", NoBody),
    case(
        "POST",
        "/api/v1/messages",
        "/api/v1/messages",
        Json(r#"{"conversationId":"$conversation","content":"hello $unique"}"#),
    ),
    case("POST", "/api/v1/messages/{id}/retry", "/api/v1/messages/$fresh_failed_message/retry", NoBody),
    case("POST", "/api/v1/attachments", "/api/v1/attachments", Multipart),
    case("GET", "/api/v1/attachments/{id}", "/api/v1/attachments/$attachment", NoBody),
    // contacts
    case("GET", "/api/v1/contacts", "/api/v1/contacts", NoBody),
    case("POST", "/api/v1/contacts", "/api/v1/contacts", Json(r#"{"name":"Contact $unique"}"#)),
    case("GET", "/api/v1/contacts/export.csv", "/api/v1/contacts/export.csv", NoBody),
    case(
        "POST",
        "/api/v1/contacts/import",
        "/api/v1/contacts/import",
        Csv("name,email\nImported $unique,$unique@import.test\n"),
    ),
    case("GET", "/api/v1/contacts/{id}", "/api/v1/contacts/$contact", NoBody),
    case("PATCH", "/api/v1/contacts/{id}", "/api/v1/contacts/$contact", Json(r#"{"leadStatus":"qualified"}"#)),
    case("DELETE", "/api/v1/contacts/{id}", "/api/v1/contacts/$fresh_contact", NoBody),
    case(
        "POST",
        "/api/v1/contacts/{id}/merge",
        "/api/v1/contacts/$contact/merge",
        Json(r#"{"otherContactId":"$fresh_contact2"}"#),
    ),
    case("GET", "/api/v1/contacts/{id}/notes", "/api/v1/contacts/$contact/notes", NoBody),
    case(
        "POST",
        "/api/v1/contacts/{id}/notes",
        "/api/v1/contacts/$contact/notes",
        Json(r#"{"content":"note $unique"}"#),
    ),
    case("DELETE", "/api/v1/contacts/{id}/notes/{note_id}", "/api/v1/contacts/$contact/notes/$fresh_note", NoBody),
    // canned responses
    case("GET", "/api/v1/canned-responses", "/api/v1/canned-responses", NoBody),
    case(
        "POST",
        "/api/v1/canned-responses",
        "/api/v1/canned-responses",
        Json(r#"{"shortCode":"c$unique","content":"Canned"}"#),
    ),
    case("GET", "/api/v1/canned-responses/{id}", "/api/v1/canned-responses/$canned", NoBody),
    case("PATCH", "/api/v1/canned-responses/{id}", "/api/v1/canned-responses/$canned", Json(r#"{"content":"Olá!"}"#)),
    case("DELETE", "/api/v1/canned-responses/{id}", "/api/v1/canned-responses/$fresh_canned", NoBody),
    // search
    case("GET", "/api/v1/search", "/api/v1/search?q=$contact_name", NoBody),
    // jobs
    case("GET", "/api/v1/jobs", "/api/v1/jobs?state=dead", NoBody),
    case("POST", "/api/v1/jobs/{id}/retry", "/api/v1/jobs/$job/retry", NoBody),
    // payments
    case("GET", "/api/v1/asaas/settings", "/api/v1/asaas/settings", NoBody),
    case("PUT", "/api/v1/asaas/settings", "/api/v1/asaas/settings", Json(r#"{"environment":"sandbox"}"#)),
    // A malformed key: answered without calling Asaas.
    case("POST", "/api/v1/asaas/settings/test", "/api/v1/asaas/settings/test", Json(r#"{"apiKey":"not-a-key"}"#)),
    case(
        "GET",
        "/api/v1/asaas/charges",
        "/api/v1/asaas/charges?contactId=$contact&conversationId=$conversation",
        NoBody,
    ),
    case(
        "POST",
        "/api/v1/asaas/charges",
        "/api/v1/asaas/charges",
        Json(
            r#"{"contactId":"$contact","conversationId":"$conversation","value":"150.00","dueDate":"2030-12-10","billingType":"PIX","cpfCnpj":"123.456.789-09"}"#,
        ),
    ),
    case("GET", "/api/v1/asaas/charges/{id}", "/api/v1/asaas/charges/$charge", NoBody),
    case("DELETE", "/api/v1/asaas/charges/{id}", "/api/v1/asaas/charges/$fresh_charge", NoBody),
    case("POST", "/api/v1/asaas/charges/{id}/send", "/api/v1/asaas/charges/$charge/send", Json("{}")),
    case("POST", "/api/v1/asaas/charges/{id}/status", "/api/v1/asaas/charges/$charge/status", NoBody),
    // remote work
    case("POST", "/api/v1/activity/heartbeat", "/api/v1/activity/heartbeat", NoBody),
    case("POST", "/api/v1/activity/idle", "/api/v1/activity/idle", NoBody),
    case("POST", "/api/v1/activity/active", "/api/v1/activity/active", NoBody),
    case("POST", "/api/v1/activity/notice", "/api/v1/activity/notice", NoBody),
    case("GET", "/api/v1/activity/me", "/api/v1/activity/me", NoBody),
    case("GET", "/api/v1/activity/board", "/api/v1/activity/board?teamId=$team", NoBody),
    case("GET", "/api/v1/activity/sessions", "/api/v1/activity/sessions?agentId=$agent", NoBody),
    // reports
    case(
        "GET",
        "/api/v1/reports/kpis",
        "/api/v1/reports/kpis?agentIds=$agent&teamIds=$team&channelIds=$channel&categoryIds=$category",
        NoBody,
    ),
    case("GET", "/api/v1/reports/productivity", "/api/v1/reports/productivity?agentIds=$agent&teamIds=$team", NoBody),
    case("GET", "/api/v1/reports/conversations", "/api/v1/reports/conversations?channelIds=$channel", NoBody),
    case("GET", "/api/v1/reports/categories", "/api/v1/reports/categories?categoryIds=$category", NoBody),
    case("GET", "/api/v1/reports/idle", "/api/v1/reports/idle?agentIds=$agent", NoBody),
    case("GET", "/api/v1/reports/work-logs", "/api/v1/reports/work-logs?agentIds=$agent", NoBody),
    case("GET", "/api/v1/reports/agents/{id}", "/api/v1/reports/agents/$agent", NoBody),
    // webhooks (signed with the caller's own secrets where the caller is a tenant)
    with_access(
        case(
            "POST",
            "/webhooks/api/{channel_id}",
            "/webhooks/api/$channel",
            Json(r#"{"externalId":"x-$unique","contact":{"identifier":"intruder"},"content":"intruder"}"#),
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "POST",
            "/webhooks/asaas/{webhook_key}",
            "/webhooks/asaas/$asaas_key",
            Json(r#"{"id":"evt_$unique","event":"PAYMENT_RECEIVED","payment":{"id":"pay_x"}}"#),
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "GET",
            "/webhooks/meta",
            "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42",
            NoBody,
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "POST",
            "/webhooks/meta",
            "/webhooks/meta",
            Json(r#"{"object":"page","entry":[{"id":"$meta_page","time":1,"messaging":[]}]}"#),
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "GET",
            "/webhooks/meta/{channel_id}",
            "/webhooks/meta/$meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42",
            NoBody,
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "POST",
            "/webhooks/meta/{channel_id}",
            "/webhooks/meta/$meta",
            Json(r#"{"object":"page","entry":[{"id":"$meta_page","time":1,"messaging":[]}]}"#),
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "POST",
            "/webhooks/twilio/{channel_id}",
            "/webhooks/twilio/$twilio",
            Form("MessageSid=SM$unique&From=whatsapp%3A%2B5511999990000&To=whatsapp%3A%2B14155238886&Body=intruder"),
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "POST",
            "/webhooks/twilio/{channel_id}/status",
            "/webhooks/twilio/$twilio/status",
            Form("MessageSid=SMx&MessageStatus=delivered"),
        ),
        Access::Webhook,
    ),
    with_access(
        case(
            "POST",
            "/webhooks/zapi/{channel_id}/{secret}",
            "/webhooks/zapi/$zapi/$zapi_secret",
            Json(
                r#"{"type":"ReceivedCallback","instanceId":"x","messageId":"m$unique","phone":"5511999990000","fromMe":false,"text":{"message":"intruder"}}"#,
            ),
        ),
        Access::Webhook,
    ),
];

/// Routes served outside the OpenAPI document (`app.rs`), each with the URL the
/// isolation suite calls anonymously: public by design, they must carry no tenant's
/// data nor secret. Socket.IO (`/socket.io/`) has its own part in the suite.
pub const UNDOCUMENTED: &[(&str, &str)] = &[
    ("GET /api/openapi.json", "/api/openapi.json"),
    ("GET /api/docs", "/api/docs/"),
    ("GET /healthz", "/healthz"),
    ("GET /readyz", "/readyz"),
    ("GET /metrics", "/metrics"),
    ("GET /media/{id}/{expires}/{signature}", "/media/$attachment/4102444800/forged"),
    ("GET /api/{*rest}", "/api/v1/no-such-route"),
];

/// `METHOD path` of every operation in the server's OpenAPI document.
pub async fn documented_routes(app: &TestApp) -> BTreeSet<String> {
    let doc = app.client.get(app.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(doc.status(), StatusCode::OK);
    let doc: Value = doc.json().await.unwrap();
    let mut routes = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    routes
}

/// Fails naming every documented route without a case, and every case whose route
/// the server no longer documents.
pub fn assert_every_route_has_a_case(documented: &BTreeSet<String>, covered: &BTreeSet<String>, suite: &str) {
    let missing: Vec<&String> = documented.difference(covered).collect();
    assert!(
        missing.is_empty(),
        "{suite}: routes in /api/openapi.json without a case (add them to the table): {missing:#?}"
    );
    let stale: Vec<&String> = covered.difference(documented).collect();
    assert!(stale.is_empty(), "{suite}: cases for routes the server does not document: {stale:#?}");
}

pub fn key(c: &Case) -> String {
    format!("{} {}", c.method, c.route)
}

/// One workspace with at least one of everything, planted secrets in its credentials.
pub struct World {
    pub tenant: Tenant,
    pub admin: Session,
    pub manager: Session,
    pub agent: Session,
    pub emails: BTreeMap<&'static str, String>,
    pub password: String,
    /// Placeholder → value.
    pub ids: BTreeMap<String, String>,
    /// Texts unique to this workspace (names, message text): another tenant's reply
    /// containing one has read this workspace's data.
    pub markers: Vec<String>,
    pub api_channel: ApiChannel,
    pub secrets: WorldSecrets,
}

/// The world's own credentials, for signing webhooks as its owner.
#[derive(Debug, Clone)]
pub struct WorldSecrets {
    pub twilio_token: String,
    pub meta_app_secret: String,
    pub asaas_webhook_token: String,
    pub zapi_secret: String,
    pub meta_verify_token: String,
    pub api_channel_secret: String,
}

/// The test server with every provider (Twilio, Meta, Z-API, Asaas) on one mock.
pub async fn spawn_world_app(providers: &MockServer) -> TestApp {
    mount_providers(providers).await;
    let uri = providers.uri();
    spawn_with(Options {
        asaas_base_url: Some(uri.clone()),
        configure: Some(Box::new(move |config| {
            config.public_url = Some(crate::channel_helpers::PUBLIC_URL.into());
            config.twilio_base_url = uri.clone();
            config.meta_graph_base_url = uri.clone();
            config.zapi_base_url = uri;
            config.zapi_qr_poll_secs = 0;
            config.login_rate_per_ip = 10_000;
            config.login_rate_per_account = 1_000;
        })),
        ..Default::default()
    })
    .await
}

static PAYMENTS: AtomicU64 = AtomicU64::new(1);

/// Answers of the providers the cases reach: Asaas customers and payments, Z-API
/// pairing, and `{}` for anything else.
async fn mount_providers(server: &MockServer) {
    let customer = json!({"object":"customer","id":"cus_000005219613","name":"Maria Silva","cpfCnpj":"12345678909",
        "deleted":false,"email":null,"mobilePhone":null,"phone":null});
    Mock::given(method("GET"))
        .and(path_regex("^/v3/customers$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"object":"list","hasMore":false,"totalCount":1,"limit":10,"offset":0,"data":[customer]}),
        ))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/v3/payments$"))
        .respond_with(|req: &Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let id = format!("pay_{:012}", PAYMENTS.fetch_add(1, Ordering::SeqCst));
            ResponseTemplate::new(200).set_body_json(payment(&id, body["value"].clone(), &body["externalReference"]))
        })
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/v3/payments/[^/]+/pixQrCode$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"encodedImage":"iVBORw0KGgo=",
            "payload":"00020101021226820014br.gov.bcb.pix","expirationDate":"2031-12-10 23:59:59"})))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/v3/payments/[^/]+$"))
        .respond_with(|req: &Request| {
            let id = req.url.path().rsplit('/').next().unwrap_or("pay_x").to_string();
            ResponseTemplate::new(200).set_body_json(payment(&id, json!(150.0), &Value::Null))
        })
        .mount(server)
        .await;
    Mock::given(method("DELETE"))
        .and(path_regex("^/v3/payments/[^/]+$"))
        .respond_with(|req: &Request| {
            let id = req.url.path().rsplit('/').next().unwrap_or("pay_x").to_string();
            ResponseTemplate::new(200).set_body_json(json!({"deleted": true, "id": id}))
        })
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("/qr-code/image$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": "data:image/png;base64,iVBORw0KGgo="})))
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": true, "connected": false, "smartphoneConnected": false})),
        )
        .with_priority(u8::MAX)
        .mount(server)
        .await;
}

fn payment(id: &str, value: Value, reference: &Value) -> Value {
    json!({"object":"payment","id":id,"dateCreated":"2025-12-01","customer":"cus_000005219613","value":value,
        "netValue":null,"description":null,"billingType":"PIX","status":"PENDING","dueDate":"2030-12-10",
        "originalDueDate":"2030-12-10","paymentDate":null,"invoiceUrl":format!("https://sandbox.asaas.com/i/{id}"),
        "externalReference":reference,"deleted":false,"bankSlipUrl":null})
}

fn id_of(reply: &Reply, envelope: &str) -> String {
    assert!(reply.status.is_success(), "{envelope}: {} {:?}", reply.status, reply.body);
    reply.body[envelope]["id"].as_str().unwrap_or_else(|| panic!("{envelope} id in {:?}", reply.body)).to_string()
}

impl World {
    /// Builds the workspace `slug` through the API, planting every secret in `planted`.
    pub async fn build(app: &TestApp, slug: &str, planted: &mut Planted) -> World {
        let tenant = app.create_tenant(slug).await;
        let admin = app.admin(&tenant).await;
        let password = planted.plant(&format!("{slug} user password"));
        let tag = format!("{slug}{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
        let mut ids = BTreeMap::new();
        let mut markers = Vec::new();
        let mut emails = BTreeMap::new();
        let mut users = BTreeMap::new();
        for (role_key, role) in [("manager", "MANAGER"), ("agent", "AGENT"), ("agent2", "AGENT"), ("outsider", "AGENT")]
        {
            let email = format!("{role_key}@{slug}.test");
            let name = format!("{role_key} {tag}");
            let reply = app
                .post(
                    "/api/v1/users",
                    &admin.token,
                    json!({"email": email, "name": name, "password": password, "role": role}),
                )
                .await;
            users.insert(role_key, id_of(&reply, "user"));
            markers.push(name);
            emails.insert(role_key, email);
        }
        emails.insert("admin", tenant.admin_email.clone());
        let login = |email: String| {
            let password = password.clone();
            let slug = tenant.slug.clone();
            async move {
                let reply = app.login(&slug, &email, &password).await;
                assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
                Session {
                    token: reply.body["token"].as_str().unwrap().to_string(),
                    user_id: reply.body["user"]["id"].as_str().unwrap().parse().unwrap(),
                    tenant_id: tenant.id,
                }
            }
        };
        let manager = login(emails["manager"].clone()).await;
        let agent = login(emails["agent"].clone()).await;
        ids.insert("tenant".into(), tenant.id.to_string());
        ids.insert("slug".into(), tenant.slug.clone());
        ids.insert("admin".into(), tenant.admin_id.to_string());
        // Sign-in cases use the admin's own credentials (the isolation suite: B's).
        ids.insert("login_email".into(), tenant.admin_email.clone());
        ids.insert("login_password".into(), PASSWORD.into());
        for (k, v) in &users {
            ids.insert((*k).into(), v.clone());
        }

        // A team the manager supervises, with both agents.
        let team_name = format!("Team {tag}");
        let team = id_of(&app.post("/api/v1/teams", &admin.token, json!({"name": team_name})).await, "team");
        markers.push(team_name);
        for (user, supervisor) in [(&users["manager"], true), (&users["agent"], false), (&users["agent2"], false)] {
            let r = app
                .put(&format!("/api/v1/teams/{team}/members/{user}"), &admin.token, json!({"supervisor": supervisor}))
                .await;
            assert!(r.status.is_success(), "{:?}", r.body);
        }
        ids.insert("team".into(), team);

        // Channels: an API channel, and Twilio, Z-API and Messenger with planted credentials.
        let api_channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
        planted.remember(&format!("{slug} API channel webhook secret"), &api_channel.secret);
        ids.insert("channel".into(), api_channel.id.clone());
        let twilio_token = planted.plant(&format!("{slug} Twilio auth token"));
        let twilio = app
            .create_channel(
                &admin,
                json!({"type": "WHATSAPP_TWILIO", "name": format!("Twilio {tag}"), "accountId": format!("AC{}", uuid::Uuid::now_v7().simple()),
                       "phoneNumber": "+14155238886", "credentials": {"authToken": twilio_token}}),
            )
            .await;
        planted.remember(&format!("{slug} Twilio webhook secret"), &twilio.secret);
        ids.insert("twilio".into(), twilio.id.clone());
        let (zapi_token, zapi_client) = (
            planted.plant(&format!("{slug} Z-API instance token")),
            planted.plant(&format!("{slug} Z-API client token")),
        );
        let zapi: Channel = app
            .create_channel(
                &admin,
                json!({"type": "WHATSAPP_ZAPI", "name": format!("Z-API {tag}"), "accountId": format!("3C{}", uuid::Uuid::now_v7().simple()).to_uppercase(),
                       "credentials": {"instanceToken": zapi_token, "clientToken": zapi_client}}),
            )
            .await;
        planted.remember(&format!("{slug} Z-API URL secret"), &zapi.secret);
        ids.insert("zapi".into(), zapi.id.clone());
        ids.insert("zapi_secret".into(), zapi.secret.clone());
        let meta_page = format!("{}", 100_000_000_000_000u64 + u64::from(uuid::Uuid::now_v7().as_u128() as u32));
        let (page_token, app_secret, verify_token) = (
            planted.plant(&format!("{slug} Meta page token")),
            planted.plant(&format!("{slug} Meta app secret")),
            planted.plant(&format!("{slug} Meta verify token")),
        );
        let meta = app
            .create_channel(
                &admin,
                json!({"type": "FACEBOOK_MESSENGER", "name": format!("Messenger {tag}"), "accountId": meta_page,
                       "credentials": {"pageAccessToken": page_token, "appSecret": app_secret, "verifyToken": verify_token}}),
            )
            .await;
        ids.insert("meta".into(), meta.id.clone());
        ids.insert("meta_page".into(), meta_page);

        // Asaas with a planted key and webhook token.
        let asaas_key = format!("$aact_hmlg_{}", planted.plant(&format!("{slug} Asaas API key")));
        let asaas_token = planted.plant(&format!("{slug} Asaas webhook token"));
        let saved = app
            .put(
                "/api/v1/asaas/settings",
                &admin.token,
                json!({"environment": "sandbox", "apiKey": asaas_key, "webhookToken": asaas_token}),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
        let url = saved.body["asaasSettings"]["webhookUrl"].as_str().unwrap();
        ids.insert("asaas_key".into(), url.rsplit('/').next().unwrap().to_string());

        // A conversation with messages, assigned to the agent, tagged with a category.
        let text = format!("segredo de {tag}");
        let conversation = app.receive(&api_channel, &format!("ext-{tag}"), &format!("cust-{tag}"), &text).await;
        markers.push(text);
        let view = app.get(&format!("/api/v1/conversations/{conversation}"), &admin.token).await;
        let contact = view.body["conversation"]["contact"]["id"].as_str().unwrap().to_string();
        let contact_name = format!("Contato {tag}");
        let r = app.patch(&format!("/api/v1/contacts/{contact}"), &admin.token, json!({"name": contact_name})).await;
        assert!(r.status.is_success(), "{:?}", r.body);
        markers.push(contact_name.clone());
        ids.insert("contact_name".into(), contact_name);
        let r = app
            .patch(&format!("/api/v1/conversations/{conversation}"), &admin.token, json!({"agentId": users["agent"]}))
            .await;
        assert!(r.status.is_success(), "{:?}", r.body);
        let reply_text = format!("resposta de {tag}");
        let message = id_of(
            &app.post("/api/v1/messages", &admin.token, json!({"conversationId": conversation, "content": reply_text}))
                .await,
            "message",
        );
        markers.push(reply_text);
        let contact2 = id_of(
            &app.post(
                "/api/v1/contacts",
                &admin.token,
                json!({"name": format!("Second {tag}"), "email": format!("second@{tag}.test")}),
            )
            .await,
            "contact",
        );
        let note_text = format!("nota de {tag}");
        let note = id_of(
            &app.post(&format!("/api/v1/contacts/{contact}/notes"), &admin.token, json!({"content": note_text})).await,
            "note",
        );
        markers.push(note_text);
        let category_name = format!("Categoria {tag}");
        let category = id_of(
            &app.post("/api/v1/settings/interaction-categories", &admin.token, json!({"name": category_name})).await,
            "category",
        );
        markers.push(category_name);
        let r = app
            .post(
                &format!("/api/v1/conversations/{conversation}/categories"),
                &admin.token,
                json!({"categoryIds": [category]}),
            )
            .await;
        assert!(r.status.is_success(), "{:?}", r.body);
        let canned_text = format!("Resposta pronta {tag}");
        let canned = id_of(
            &app.post(
                "/api/v1/canned-responses",
                &admin.token,
                json!({"shortCode": format!("c{tag}"), "content": canned_text}),
            )
            .await,
            "cannedResponse",
        );
        markers.push(canned_text);
        let charge = id_of(
            &app.post(
                "/api/v1/asaas/charges",
                &admin.token,
                json!({"contactId": contact, "conversationId": conversation, "value": "150.00", "dueDate": "2030-12-10",
                       "billingType": "PIX", "cpfCnpj": "123.456.789-09"}),
            )
            .await,
            "asaasCharge",
        );
        let token = app.post("/api/v1/auth/tokens", &admin.token, json!({"name": format!("ci {tag}")})).await;
        planted.remember(&format!("{slug} API token"), token.body["token"].as_str().unwrap());
        let token_id = id_of(&token, "apiToken");
        let attachment = upload(app, &admin.token).await;
        // Background work (the reply's delivery to an unreachable callback fails).
        app.run_jobs().await;
        let job = any_job_of(app, tenant.id).await;

        for (k, v) in [
            ("conversation", conversation),
            ("contact", contact),
            ("contact2", contact2),
            ("message", message),
            ("note", note),
            ("category", category),
            ("canned", canned),
            ("charge", charge),
            ("token", token_id),
            ("attachment", attachment),
            ("job", job),
        ] {
            ids.insert(k.into(), v);
        }
        World {
            secrets: WorldSecrets {
                twilio_token,
                meta_app_secret: app_secret,
                asaas_webhook_token: asaas_token,
                zapi_secret: zapi.secret.clone(),
                meta_verify_token: verify_token,
                api_channel_secret: api_channel.secret.clone(),
            },
            tenant,
            admin,
            manager,
            agent,
            emails,
            password,
            ids,
            markers,
            api_channel,
        }
    }

    /// A new session of a role (`admin`, `manager`, `agent`).
    pub async fn login(&self, app: &TestApp, role: &str) -> Session {
        let password = if role == "admin" { PASSWORD.to_string() } else { self.password.clone() };
        let reply = app.login(&self.tenant.slug, &self.emails[role], &password).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        Session {
            token: reply.body["token"].as_str().unwrap().to_string(),
            user_id: reply.body["user"]["id"].as_str().unwrap().parse().unwrap(),
            tenant_id: self.tenant.id,
        }
    }

    /// Every id of this world (uuids only).
    pub fn uuids(&self) -> Vec<String> {
        self.ids.values().filter(|v| uuid::Uuid::parse_str(v).is_ok()).cloned().collect()
    }

    /// A new object of `kind` (for `$fresh_kind`), made by the admin.
    pub async fn fresh(&self, app: &TestApp, kind: &str, caller: &Session) -> String {
        let admin = &self.admin.token;
        let n = uuid::Uuid::now_v7().simple().to_string();
        match kind {
            "user" | "member" => {
                let reply = app
                    .post(
                        "/api/v1/users",
                        admin,
                        json!({"email": format!("u{n}@fresh.test"), "name": "Fresh", "password": "password-123", "role": "AGENT"}),
                    )
                    .await;
                let id = id_of(&reply, "user");
                if kind == "member" {
                    let team = &self.ids["team"];
                    let r = app.put(&format!("/api/v1/teams/{team}/members/{id}"), admin, json!({})).await;
                    assert!(r.status.is_success(), "{:?}", r.body);
                }
                id
            }
            "team" => id_of(&app.post("/api/v1/teams", admin, json!({"name": format!("T{n}")})).await, "team"),
            "contact" | "contact2" => id_of(
                &app.post("/api/v1/contacts", admin, json!({"name": format!("Fresh {n}"), "email": format!("f{n}@fresh.test")})).await,
                "contact",
            ),
            "note" => id_of(
                &app.post(&format!("/api/v1/contacts/{}/notes", self.ids["contact"]), admin, json!({"content": "fresh"})).await,
                "note",
            ),
            "category" => id_of(
                &app.post("/api/v1/settings/interaction-categories", admin, json!({"name": format!("C{n}")})).await,
                "category",
            ),
            "canned" => id_of(
                &app.post("/api/v1/canned-responses", admin, json!({"shortCode": format!("f{n}"), "content": "x"})).await,
                "cannedResponse",
            ),
            "channel" => app.api_channel(&self.admin, "http://127.0.0.1:9/unused").await.id,
            "charge" => id_of(
                &app.post(
                    "/api/v1/asaas/charges",
                    admin,
                    json!({"contactId": self.ids["contact"], "conversationId": self.ids["conversation"], "value": "10.00",
                           "dueDate": "2030-12-10", "billingType": "PIX", "cpfCnpj": "123.456.789-09"}),
                )
                .await,
                "asaasCharge",
            ),
            "token" => id_of(&app.post("/api/v1/auth/tokens", &caller.token, json!({"name": "own"})).await, "apiToken"),
            "failed_message" => {
                // Sent to the API channel, whose callback is unreachable: failed after its attempts.
                let body = json!({"conversationId": self.ids["conversation"], "content": "will fail"});
                let id = id_of(&app.post("/api/v1/messages", admin, body).await, "message");
                app.run_jobs().await;
                id
            }
            other => panic!("no fresh {other}"),
        }
    }
}

async fn upload(app: &TestApp, token: &str) -> String {
    let part =
        reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("hello.txt").mime_str("text/plain").unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    let response =
        app.client.post(app.url("/api/v1/attachments")).bearer_auth(token).multipart(form).send().await.unwrap();
    id_of(&read(response).await, "attachment")
}

async fn any_job_of(app: &TestApp, tenant: uuid::Uuid) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    atende::jobs::entity::Entity::find()
        .filter(atende::jobs::entity::Column::TenantId.eq(tenant))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a job of the tenant")
        .id
        .to_string()
}

/// A prepared request: the concrete URL and body sent, for the failure messages.
pub struct Sent {
    pub url: String,
    pub body: String,
}

/// Fills placeholders. `fresh` decides what `$fresh_x` / `$own_token` become.
pub fn fill(template: &str, values: &BTreeMap<String, String>) -> String {
    // Longest names first, so `$contact_name` is not read as `$contact` + `_name`.
    let mut names: Vec<&String> = values.keys().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out = template.to_string();
    for name in names {
        out = out.replace(&format!("${name}"), &values[name]);
    }
    assert!(!out.contains('$'), "unfilled placeholder in {out}");
    out
}

/// Placeholders of a case that need a fresh object (`fresh_team`, `own_token`…).
pub fn fresh_names(c: &Case) -> Vec<String> {
    let text = format!(
        "{} {}",
        c.url,
        match c.body {
            Json(t) | Csv(t) | Form(t) => t,
            _ => "",
        }
    );
    let mut names = Vec::new();
    for (i, _) in text.match_indices('$') {
        let name: String = text[i + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if (name.starts_with("fresh_") || name == "own_token") && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Sends a case with `values` filled in, as `token` (or anonymously).
pub async fn send(app: &TestApp, c: &Case, values: &BTreeMap<String, String>, token: Option<&str>) -> (Sent, Reply) {
    let mut values = values.clone();
    values.insert("unique".into(), uuid::Uuid::now_v7().simple().to_string());
    let url = fill(c.url, &values);
    let method = Method::from_bytes(c.method.as_bytes()).unwrap();
    let mut builder = app.client.request(method, app.url(&url));
    if let Some(token) = token {
        builder = builder.bearer_auth(token);
    }
    let body = match c.body {
        NoBody => String::new(),
        Json(t) => {
            let text = fill(t, &values);
            builder = builder.header("content-type", "application/json").body(text.clone());
            text
        }
        Csv(t) => {
            let text = fill(t, &values);
            builder = builder.header("content-type", "text/csv").body(text.clone());
            text
        }
        Form(t) => {
            let text = fill(t, &values);
            builder = builder.header("content-type", "application/x-www-form-urlencoded").body(text.clone());
            text
        }
        Multipart => {
            let part = reqwest::multipart::Part::bytes(b"hello".to_vec())
                .file_name("hello.txt")
                .mime_str("text/plain")
                .unwrap();
            builder = builder.multipart(reqwest::multipart::Form::new().part("file", part));
            "<multipart hello.txt>".into()
        }
    };
    let reply = read(builder.send().await.expect("request sent")).await;
    (Sent { url, body }, reply)
}

/// A reply's headers and body as one text (for scans).
pub fn reply_text(reply: &Reply) -> String {
    let mut text = String::new();
    for (name, value) in &reply.headers {
        text.push_str(&format!("{name}: {}\n", String::from_utf8_lossy(value.as_bytes())));
    }
    match &reply.body {
        Value::String(s) => text.push_str(s),
        other => text.push_str(&other.to_string()),
    }
    text
}
