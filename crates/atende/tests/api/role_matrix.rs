//! The role matrix: every route of the API × {ADMIN, MANAGER, AGENT} → the status the
//! role gets when it calls the route on its own workspace's objects (the calls of
//! `route_cases.rs`). A permission change is a diff of this table; a route without a
//! row fails the suite. On a mismatch the suite prints the whole table as the server
//! answers today, ready to paste after review.
//!
//! Reading a row: 2xx = allowed; 403 = forbidden by role; 404 = the object is outside
//! what the role may see (agents see only themselves among users, for instance); 401 =
//! not a tenant session's business (platform, provider webhooks); another 4xx = allowed
//! past the role gate, refused for the request itself (e.g. 409: a message that is not
//! failed cannot be retried).

use std::collections::BTreeSet;

use wiremock::MockServer;

use crate::{helpers::*, route_cases::*};

/// Route → [ADMIN, MANAGER, AGENT].
#[rustfmt::skip]
const MATRIX: &[(&str, [u16; 3])] = &[
    //  route                                                                 ADMIN MANAGER AGENT
    ("POST /api/v1/auth/login",                                               [200, 200, 200]),
    ("POST /api/v1/auth/logout",                                              [204, 204, 204]),
    ("GET /api/v1/auth/me",                                                   [200, 200, 200]),
    ("GET /api/v1/auth/tokens",                                               [200, 200, 200]),
    ("POST /api/v1/auth/tokens",                                              [201, 201, 201]),
    ("DELETE /api/v1/auth/tokens/{id}",                                       [204, 204, 204]),
    ("GET /api/v1/users",                                                     [200, 200, 403]),
    ("POST /api/v1/users",                                                    [201, 403, 403]),
    ("GET /api/v1/users/{id}",                                                [200, 404, 404]),
    ("PATCH /api/v1/users/{id}",                                              [200, 404, 404]),
    ("POST /api/v1/users/{id}/deactivate",                                    [200, 403, 403]),
    ("GET /api/v1/teams",                                                     [200, 200, 200]),
    ("POST /api/v1/teams",                                                    [201, 403, 403]),
    ("GET /api/v1/teams/{id}",                                                [200, 200, 200]),
    ("PATCH /api/v1/teams/{id}",                                              [200, 403, 403]),
    ("DELETE /api/v1/teams/{id}",                                             [204, 403, 403]),
    ("GET /api/v1/teams/{id}/members",                                        [200, 200, 200]),
    ("PUT /api/v1/teams/{id}/members/{user_id}",                              [200, 403, 403]),
    ("DELETE /api/v1/teams/{id}/members/{user_id}",                           [204, 403, 403]),
    ("GET /api/v1/settings",                                                  [200, 200, 403]),
    ("PUT /api/v1/settings",                                                  [200, 403, 403]),
    ("GET /api/v1/settings/productivity",                                     [200, 200, 200]),
    ("PUT /api/v1/settings/productivity",                                     [200, 403, 403]),
    ("GET /api/v1/settings/interaction-categories",                           [200, 200, 403]),
    ("POST /api/v1/settings/interaction-categories",                          [201, 201, 403]),
    ("PUT /api/v1/settings/interaction-categories/{id}",                      [200, 200, 403]),
    ("DELETE /api/v1/settings/interaction-categories/{id}",                   [204, 204, 403]),
    ("GET /api/v1/interaction-categories",                                    [200, 200, 200]),
    ("GET /api/v1/audit-log",                                                 [200, 403, 403]),
    ("GET /api/v1/audit-log.csv",                                             [200, 403, 403]),
    ("POST /api/v1/platform/login",                                           [401, 401, 401]),
    ("POST /api/v1/platform/logout",                                          [403, 403, 403]),
    ("GET /api/v1/platform/tenants",                                          [403, 403, 403]),
    ("POST /api/v1/platform/tenants",                                         [403, 403, 403]),
    ("POST /api/v1/platform/tenants/{id}/suspend",                            [403, 403, 403]),
    ("POST /api/v1/platform/tenants/{id}/reactivate",                         [403, 403, 403]),
    ("GET /api/v1/channels",                                                  [200, 200, 200]),
    ("POST /api/v1/channels",                                                 [201, 403, 403]),
    ("GET /api/v1/channels/{id}",                                             [200, 200, 200]),
    ("PATCH /api/v1/channels/{id}",                                           [200, 403, 403]),
    ("DELETE /api/v1/channels/{id}",                                          [200, 403, 403]),
    ("POST /api/v1/channels/{id}/qr-code",                                    [200, 403, 403]),
    ("POST /api/v1/channels/{id}/connection",                                 [200, 403, 403]),
    ("POST /api/v1/channels/{id}/disconnect",                                 [200, 403, 403]),
    ("POST /api/v1/channels/{id}/restart",                                    [200, 403, 403]),
    ("GET /api/v1/conversations",                                             [200, 200, 200]),
    ("POST /api/v1/conversations/bulk",                                       [200, 200, 200]),
    ("GET /api/v1/conversations/{id}",                                        [200, 200, 200]),
    ("PATCH /api/v1/conversations/{id}",                                      [200, 200, 200]),
    ("POST /api/v1/conversations/{id}/read",                                  [204, 204, 204]),
    ("GET /api/v1/conversations/{id}/categories",                             [200, 200, 200]),
    ("POST /api/v1/conversations/{id}/categories",                            [200, 200, 200]),
    ("GET /api/v1/contacts/{id}/conversations",                               [200, 200, 200]),
    ("GET /api/v1/messages",                                                  [200, 200, 200]),
    ("POST /api/v1/messages",                                                 [201, 201, 201]),
    ("POST /api/v1/messages/{id}/retry",                                      [200, 200, 200]),
    ("POST /api/v1/attachments",                                              [201, 201, 201]),
    ("GET /api/v1/attachments/{id}",                                          [200, 200, 200]),
    ("GET /api/v1/contacts",                                                  [200, 200, 200]),
    ("POST /api/v1/contacts",                                                 [201, 201, 201]),
    ("GET /api/v1/contacts/export.csv",                                       [200, 200, 403]),
    ("POST /api/v1/contacts/import",                                          [200, 200, 403]),
    ("GET /api/v1/contacts/{id}",                                             [200, 200, 200]),
    ("PATCH /api/v1/contacts/{id}",                                           [200, 200, 200]),
    ("DELETE /api/v1/contacts/{id}",                                          [204, 403, 403]),
    ("POST /api/v1/contacts/{id}/merge",                                      [200, 200, 403]),
    ("GET /api/v1/contacts/{id}/notes",                                       [200, 200, 200]),
    ("POST /api/v1/contacts/{id}/notes",                                      [201, 201, 201]),
    ("DELETE /api/v1/contacts/{id}/notes/{note_id}",                          [204, 403, 403]),
    ("GET /api/v1/canned-responses",                                          [200, 200, 200]),
    ("POST /api/v1/canned-responses",                                         [201, 201, 403]),
    ("GET /api/v1/canned-responses/{id}",                                     [200, 200, 200]),
    ("PATCH /api/v1/canned-responses/{id}",                                   [200, 200, 403]),
    ("DELETE /api/v1/canned-responses/{id}",                                  [204, 204, 403]),
    ("GET /api/v1/search",                                                    [200, 200, 200]),
    ("GET /api/v1/jobs",                                                      [200, 403, 403]),
    ("POST /api/v1/jobs/{id}/retry",                                          [202, 403, 403]),
    ("GET /api/v1/asaas/settings",                                            [200, 403, 403]),
    ("PUT /api/v1/asaas/settings",                                            [200, 403, 403]),
    ("POST /api/v1/asaas/settings/test",                                      [422, 403, 403]),
    ("GET /api/v1/asaas/charges",                                             [200, 200, 200]),
    ("POST /api/v1/asaas/charges",                                            [201, 201, 201]),
    ("GET /api/v1/asaas/charges/{id}",                                        [200, 200, 200]),
    ("DELETE /api/v1/asaas/charges/{id}",                                     [200, 200, 403]),
    ("POST /api/v1/asaas/charges/{id}/send",                                  [201, 201, 201]),
    ("POST /api/v1/asaas/charges/{id}/status",                                [200, 200, 200]),
    ("POST /api/v1/activity/heartbeat",                                       [200, 200, 200]),
    ("POST /api/v1/activity/idle",                                            [200, 200, 200]),
    ("POST /api/v1/activity/active",                                          [200, 200, 200]),
    ("POST /api/v1/activity/notice",                                          [204, 204, 204]),
    ("GET /api/v1/activity/me",                                               [200, 200, 200]),
    ("GET /api/v1/activity/board",                                            [200, 200, 403]),
    ("GET /api/v1/activity/sessions",                                         [200, 200, 200]),
    ("GET /api/v1/reports/kpis",                                              [200, 200, 200]),
    ("GET /api/v1/reports/productivity",                                      [200, 200, 200]),
    ("GET /api/v1/reports/conversations",                                     [200, 200, 200]),
    ("GET /api/v1/reports/categories",                                        [200, 200, 200]),
    ("GET /api/v1/reports/idle",                                              [200, 200, 200]),
    ("GET /api/v1/reports/work-logs",                                         [200, 200, 200]),
    ("GET /api/v1/reports/agents/{id}",                                       [200, 200, 200]),
    ("POST /webhooks/api/{channel_id}",                                       [401, 401, 401]),
    ("POST /webhooks/asaas/{webhook_key}",                                    [401, 401, 401]),
    ("GET /webhooks/meta",                                                    [403, 403, 403]),
    ("POST /webhooks/meta",                                                   [404, 404, 404]),
    ("GET /webhooks/meta/{channel_id}",                                       [403, 403, 403]),
    ("POST /webhooks/meta/{channel_id}",                                      [401, 401, 401]),
    ("POST /webhooks/twilio/{channel_id}",                                    [401, 401, 401]),
    ("POST /webhooks/twilio/{channel_id}/status",                             [401, 401, 401]),
    ("POST /webhooks/zapi/{channel_id}/{secret}",                             [401, 401, 401]),
];

#[tokio::test]
async fn every_route_answers_each_role_as_the_matrix_says() {
    let logs = LogCapture::start();
    let providers = MockServer::start().await;
    let app = spawn_world_app(&providers).await;
    let mut planted = Planted::default();
    let world = World::build(&app, "acme", &mut planted).await;

    let documented = documented_routes(&app).await;
    let in_matrix: BTreeSet<String> = MATRIX.iter().map(|(route, _)| (*route).to_string()).collect();
    let cases: BTreeSet<String> = CASES.iter().map(key).collect();
    assert_every_route_has_a_case(&documented, &cases, "role matrix (cases)");

    let mut actual: Vec<(String, [u16; 3])> = Vec::new();
    for c in CASES {
        let mut row = [0u16; 3];
        // Lowest role first: a forbidden call must not have consumed what a later one needs.
        for (i, role) in [(2, "agent"), (1, "manager"), (0, "admin")] {
            let base = match role {
                "admin" => &world.admin,
                "manager" => &world.manager,
                _ => &world.agent,
            };
            let own;
            let session = if c.own_session {
                own = world.login(&app, role).await;
                &own
            } else {
                base
            };
            let mut values = world.ids.clone();
            for name in fresh_names(c) {
                let kind = name.trim_start_matches("fresh_").trim_start_matches("own_");
                values.insert(name.clone(), world.fresh(&app, kind, session).await);
            }
            let (sent, reply) = send(&app, c, &values, Some(&session.token)).await;
            assert!(
                !reply.status.is_server_error(),
                "{role} {} {}: {} {:?}",
                c.method,
                sent.url,
                reply.status,
                reply.body
            );
            // The tenant's own admin is shown the Asaas webhook token (to paste in Asaas).
            let scan = if role == "admin" { planted.except("Asaas webhook token") } else { planted.clone() };
            scan.scan_reply(&format!("{role} {} {}", c.method, sent.url), &reply);
            row[i] = reply.status.as_u16();
        }
        actual.push((key(c), row));
    }
    planted.scan("the server logs", &logs.text());

    let table: String =
        actual.iter().map(|(route, row)| format!("    ({:<72} {row:?}),\n", format!("\"{route}\","))).collect();
    let expected: Vec<(String, [u16; 3])> = MATRIX.iter().map(|(r, row)| ((*r).to_string(), *row)).collect();
    let mut differences = Vec::new();
    for (route, row) in &actual {
        match expected.iter().find(|(r, _)| r == route) {
            Some((_, want)) if want == row => {}
            Some((_, want)) => differences.push(format!("{route}: matrix says {want:?}, server answers {row:?}")),
            None => differences.push(format!("{route}: no row in the matrix (server answers {row:?})")),
        }
    }
    for route in in_matrix.difference(&cases) {
        differences.push(format!("{route}: in the matrix but not a route"));
    }
    assert!(
        differences.is_empty(),
        "the role matrix differs from the server:\n{}\n\nthe server's table today ([ADMIN, MANAGER, AGENT]):\n{table}",
        differences.join("\n")
    );
}
