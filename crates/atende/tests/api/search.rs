//! Search as Brazilian users type it: accents and case ignored, phones by digits, on
//! contacts, conversations and message text; the indexes follow every change.

use atende::{
    contacts::entity::contact,
    inbox::{entity::message, store as inbox_store},
    tenancy::{Role, Scope},
};
use chrono::Utc;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{core_helpers::*, helpers::*};

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A WhatsApp-style inbound message from a person with this name and phone.
async fn message_from(app: &TestApp, channel: &ApiChannel, id: &str, who: &str, name: &str, phone: &str, text: &str) {
    let body = json!({
        "externalId": id,
        "contact": {"identifier": who, "name": name, "phone": phone},
        "content": text,
    });
    let ack = app.inbound(channel, &body).await;
    assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
    app.run_jobs().await;
}

/// Names of the contacts `GET /contacts?search=` returns.
async fn contacts_found(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let reply = app.get(&format!("/api/v1/contacts?search={}", encode(query)), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    names(&reply.body["contacts"], "name")
}

/// Contact names of the conversations `GET /conversations?q=` returns.
async fn conversations_found(app: &TestApp, token: &str, query: &str, filters: &str) -> Vec<String> {
    let reply = app.get(&format!("/api/v1/conversations?q={}{filters}", encode(query)), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact"]["name"].as_str().unwrap().to_string())
        .collect()
}

async fn search(app: &TestApp, token: &str, query: &str, kind: &str) -> Reply {
    let reply = app.get(&format!("/api/v1/search?q={}&kind={kind}", encode(query)), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {:?}", reply.body);
    reply
}

fn names(list: &Value, field: &str) -> Vec<String> {
    let mut out: Vec<String> =
        list.as_array().unwrap().iter().map(|c| c[field].as_str().unwrap_or_default().to_string()).collect();
    out.sort();
    out
}

/// The text of the marked parts.
fn hits(parts: &Value) -> Vec<String> {
    parts.as_array().unwrap().iter().filter(|p| p["hit"] == true).map(|p| p["text"].as_str().unwrap().into()).collect()
}

fn joined(parts: &Value) -> String {
    parts.as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect()
}

/// The three people of the issue, captured from inbound messages.
async fn three_people(app: &TestApp, admin: &Session) -> ApiChannel {
    let channel = app.api_channel(admin, "http://127.0.0.1:9/unused").await;
    message_from(app, &channel, "m1", "joao", "João Pereira", "+5511911110001", "Oi, quero saber do boleto").await;
    message_from(
        app,
        &channel,
        "m2",
        "maria",
        "Maria Conceição",
        "+5521922220002",
        "Bom dia! Qual o prazo de entrega?",
    )
    .await;
    message_from(
        app,
        &channel,
        "m3",
        "erica",
        "ÉRICA SOUZA",
        "+5531933330003",
        "Preciso de uma AÇÃO urgente no pedido",
    )
    .await;
    channel
}

#[tokio::test]
async fn contacts_are_found_without_accents_in_any_case_and_phones_by_digits() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    three_people(&app, &admin).await;

    let table: &[(&str, &str)] = &[
        ("joão", "João Pereira"),
        ("JOÃO", "João Pereira"),
        ("Joao", "João Pereira"),
        ("joao pereira", "João Pereira"),
        ("pereira JOAO", "João Pereira"),
        ("conceição", "Maria Conceição"),
        ("CONCEIÇÃO", "Maria Conceição"),
        ("conceicao", "Maria Conceição"),
        ("érica", "ÉRICA SOUZA"),
        ("erica", "ÉRICA SOUZA"),
        ("ÉRICA", "ÉRICA SOUZA"),
        ("Erica Souza", "ÉRICA SOUZA"),
        ("(11) 91111-0001", "João Pereira"),
        ("+55 11 91111 0001", "João Pereira"),
        ("91111-0001", "João Pereira"),
        ("21 92222", "Maria Conceição"),
    ];
    for (typed, expected) in table {
        assert_eq!(contacts_found(&app, &admin.token, typed).await, [*expected], "contacts search {typed:?}");
        assert_eq!(
            conversations_found(&app, &admin.token, typed, "").await,
            [*expected],
            "conversations search {typed:?}"
        );
        let found = search(&app, &admin.token, typed, "contacts").await;
        let contacts: Vec<String> = found.body["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["contact"]["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(contacts, [*expected], "global search {typed:?}");
    }
    assert!(contacts_found(&app, &admin.token, "joana").await.is_empty());
    assert!(contacts_found(&app, &admin.token, "%").await.is_empty());

    // The palette marks the match in the original spelling.
    let found = search(&app, &admin.token, "conceicao", "all").await;
    assert_eq!(hits(&found.body["contacts"][0]["name"]), ["Conceição"]);
    assert_eq!(hits(&found.body["conversations"][0]["title"]), ["Conceição"]);
    let by_phone = search(&app, &admin.token, "(11) 91111-0001", "contacts").await;
    assert_eq!(hits(&by_phone.body["contacts"][0]["detail"]), ["11911110001"]);
}

#[tokio::test]
async fn message_text_is_found_with_the_match_marked_and_private_notes_for_the_tenants_agents() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    three_people(&app, &admin).await;

    for (typed, who) in [
        ("acao", "ÉRICA SOUZA"),
        ("AÇÃO urgente", "ÉRICA SOUZA"),
        ("urg", "ÉRICA SOUZA"),
        ("boleto", "João Pereira"),
        ("BOLE", "João Pereira"),
        ("entrega prazo", "Maria Conceição"),
    ] {
        let found = search(&app, &agent.token, typed, "messages").await;
        let messages = found.body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1, "{typed}: {:?}", found.body);
        assert_eq!(messages[0]["contact"]["name"], who, "{typed}");
        assert_eq!(conversations_found(&app, &agent.token, typed, "").await, [who], "{typed}");
    }
    let found = search(&app, &agent.token, "acao", "messages").await;
    let hit = &found.body["messages"][0];
    assert_eq!(hits(&hit["snippet"]), ["AÇÃO"]);
    assert_eq!(joined(&hit["snippet"]), "Preciso de uma AÇÃO urgente no pedido");
    // Jump target: the message is in its conversation.
    let page = app
        .get(&format!("/api/v1/messages?conversationId={}", hit["conversationId"].as_str().unwrap()), &agent.token)
        .await;
    assert!(page.body["messages"].as_array().unwrap().iter().any(|m| m["id"] == hit["messageId"]));
    // A whole word that is not there, and a prefix only at word starts.
    assert!(search(&app, &agent.token, "bolet ", "messages").await.body["messages"].as_array().unwrap().is_empty());
    assert!(search(&app, &agent.token, "oleto", "messages").await.body["messages"].as_array().unwrap().is_empty());

    // A private note is found by the tenant's agents.
    let conversation = hit["conversationId"].as_str().unwrap();
    let note = app
        .post(
            "/api/v1/messages",
            &admin.token,
            json!({"conversationId": conversation, "content": "Cliente pediu desconto na renovação", "isPrivate": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{:?}", note.body);
    let found = search(&app, &agent.token, "renovacao", "messages").await;
    assert_eq!(found.body["messages"][0]["messageId"], note.body["message"]["id"]);
    assert_eq!(found.body["messages"][0]["isPrivate"], true);

    // Filters combine with the text: resolved conversations only.
    assert_eq!(conversations_found(&app, &agent.token, "renovacao", "&status=OPEN").await, ["ÉRICA SOUZA"]);
    assert!(conversations_found(&app, &agent.token, "renovacao", "&status=RESOLVED").await.is_empty());

    // Paging: newest first, `more` until the end.
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused-2").await;
    for n in 0..5 {
        message_from(
            &app,
            &channel,
            &format!("p{n}"),
            "paulo",
            "Paulo",
            "+5511955550005",
            &format!("pedido número {n}"),
        )
        .await;
    }
    let first = app.get("/api/v1/search?q=numero&kind=messages&limit=2", &agent.token).await;
    assert_eq!(first.body["more"]["messages"], true);
    let texts: Vec<String> = first.body["messages"].as_array().unwrap().iter().map(|m| joined(&m["snippet"])).collect();
    assert_eq!(texts, ["pedido número 4", "pedido número 3"]);
    let last = app.get("/api/v1/search?q=numero&kind=messages&limit=2&offset=4", &agent.token).await;
    assert_eq!(last.body["messages"].as_array().unwrap().len(), 1);
    assert_eq!(last.body["more"]["messages"], false);
}

#[tokio::test]
async fn the_indexes_follow_edits_merges_erasure_and_message_deletes() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    three_people(&app, &admin).await;
    let id_of = |reply: &Reply| reply.body["contacts"][0]["id"].as_str().unwrap().to_string();
    let erica = id_of(&app.get("/api/v1/contacts?search=erica", &admin.token).await);

    // Edit: the new name is found, the old one is not; attributes are searchable.
    let patched = app
        .patch(
            &format!("/api/v1/contacts/{erica}"),
            &admin.token,
            json!({"name": "Érica Lima", "customAttributes": {"cidade": "São João del-Rei"}}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert!(contacts_found(&app, &admin.token, "souza").await.is_empty());
    assert_eq!(contacts_found(&app, &admin.token, "erica lima").await, ["Érica Lima"]);
    assert_eq!(contacts_found(&app, &admin.token, "sao joao del").await, ["Érica Lima"]);

    // Merge: the one kept is found by the other's phone and words; the other is gone.
    let joao = id_of(&app.get("/api/v1/contacts?search=pereira", &admin.token).await);
    let merged =
        app.post(&format!("/api/v1/contacts/{erica}/merge"), &admin.token, json!({"otherContactId": joao})).await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(contacts_found(&app, &admin.token, "11 91111-0001").await, ["Érica Lima"]);
    assert!(contacts_found(&app, &admin.token, "pereira").await.is_empty());
    let boleto = search(&app, &admin.token, "boleto", "messages").await;
    assert_eq!(boleto.body["messages"][0]["contact"]["name"], "Érica Lima");

    // Message delete: no longer findable.
    let maria_message: Uuid = search(&app, &admin.token, "entrega", "messages").await.body["messages"][0]["messageId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    inbox_store::message_delete(&app.db, &Scope::system(tenant.id), maria_message).await.unwrap();
    assert!(search(&app, &admin.token, "entrega", "messages").await.body["messages"].as_array().unwrap().is_empty());

    // Erasure: neither the person nor anything they wrote can be found.
    let erased = app.delete(&format!("/api/v1/contacts/{erica}"), &admin.token).await;
    assert_eq!(erased.status, StatusCode::NO_CONTENT, "{:?}", erased.body);
    for typed in ["erica", "lima", "11911110001"] {
        assert!(contacts_found(&app, &admin.token, typed).await.is_empty(), "{typed}");
    }
    for typed in ["acao", "boleto"] {
        let found = search(&app, &admin.token, typed, "all").await;
        assert!(found.body["messages"].as_array().unwrap().is_empty(), "{typed}: {:?}", found.body);
        assert!(found.body["conversations"].as_array().unwrap().is_empty(), "{typed}: {:?}", found.body);
    }
    assert_eq!(count(&app, "message_search").await, 0);
}

#[tokio::test]
async fn tenant_b_never_finds_tenant_a_text() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let admin_a = app.admin(&a).await;
    three_people(&app, &admin_a).await;
    let b = app.create_tenant("beta").await;
    let admin_b = app.admin(&b).await;
    let channel_b = app.api_channel(&admin_b, "http://127.0.0.1:9/unused").await;
    message_from(&app, &channel_b, "b1", "bia", "Bia", "+5541944440004", "nada a ver").await;

    for typed in ["joao", "boleto", "acao", "(11) 91111-0001", "conceicao", "entrega"] {
        assert!(contacts_found(&app, &admin_b.token, typed).await.is_empty(), "{typed}");
        assert!(conversations_found(&app, &admin_b.token, typed, "").await.is_empty(), "{typed}");
        let found = search(&app, &admin_b.token, typed, "all").await;
        for kind in ["contacts", "conversations", "messages"] {
            assert!(found.body[kind].as_array().unwrap().is_empty(), "{typed} {kind}: {:?}", found.body);
        }
    }
    // And A still finds its own.
    assert_eq!(search(&app, &admin_a.token, "boleto", "messages").await.body["messages"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn search_needs_a_session_and_a_query_of_sensible_length() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let anonymous = app.request(reqwest::Method::GET, "/api/v1/search?q=joao", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let ok = app.get("/api/v1/search?q=joao", &agent.token).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    for bad in ["/api/v1/search?q=%20%20", "/api/v1/search", &format!("/api/v1/search?q={}", "a".repeat(201))] {
        let reply = app.get(bad, &agent.token).await;
        assert!(reply.status.is_client_error(), "{bad}: {:?}", reply.status);
    }
    assert_eq!(app.get("/api/v1/search?q=%20", &agent.token).await.code(), "validation_failed");
    assert_eq!(app.get("/api/v1/search?q=x&kind=people", &agent.token).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_migration_builds_the_indexes_for_what_is_already_stored() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = three_people(&app, &admin).await;
    // Rows written behind the index's back, as they were before this migration.
    let conversation: Uuid = conversations_found_id(&app, &admin.token, "joao").await;
    let now = Utc::now();
    let joao =
        contact::Entity::find().all(&app.db).await.unwrap().into_iter().find(|c| c.name == "João Pereira").unwrap();
    message::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.id),
        conversation_id: Set(conversation),
        channel_id: Set(channel.id.parse().unwrap()),
        sender_type: Set("CONTACT".into()),
        sender_user_id: Set(None),
        contact_id: Set(Some(joao.id)),
        content: Set(Some("Mensagem antiga sobre a promoção".into())),
        content_type: Set("text".into()),
        attachments: Set(None),
        metadata: Set(None),
        external_id: Set(Some("old-1".into())),
        status: Set("DELIVERED".into()),
        failure_reason: Set(None),
        delivery_attempts: Set(0),
        failure_code: Set(None),
        is_private: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        sent_at: Set(None),
        delivered_at: Set(None),
        read_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    assert!(search(&app, &admin.token, "promocao", "messages").await.body["messages"].as_array().unwrap().is_empty());

    // Contacts as they were before the column existed, then what the migration runs.
    contact::Entity::update_many()
        .col_expr(contact::Column::SearchText, sea_orm::sea_query::Expr::value(""))
        .exec(&app.db)
        .await
        .unwrap();
    assert!(contacts_found(&app, &admin.token, "joao").await.is_empty());
    migration::search_backfill(&app.db).await.unwrap();
    // Twice is harmless (already indexed messages are skipped).
    migration::search_backfill(&app.db).await.unwrap();

    assert_eq!(contacts_found(&app, &admin.token, "joao").await, ["João Pereira"]);
    assert_eq!(contacts_found(&app, &admin.token, "31 93333").await, ["ÉRICA SOUZA"]);
    let found = search(&app, &admin.token, "promocao", "messages").await;
    assert_eq!(hits(&found.body["messages"][0]["snippet"]), ["promoção"]);
    assert_eq!(search(&app, &admin.token, "acao", "messages").await.body["messages"].as_array().unwrap().len(), 1);
}

async fn conversations_found_id(app: &TestApp, token: &str, query: &str) -> Uuid {
    let reply = app.get(&format!("/api/v1/conversations?q={}", encode(query)), token).await;
    reply.body["conversations"][0]["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn merging_two_people_combines_their_open_conversations_on_a_channel_and_says_so() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    // The same person reached us twice on one channel (two identifiers, two phones).
    message_from(&app, &channel, "a1", "ana-1", "Ana Lúcia", "+5511966660001", "primeira mensagem").await;
    message_from(&app, &channel, "b1", "ana-2", "Ana L.", "+5511966660002", "segunda mensagem").await;
    message_from(&app, &channel, "a2", "ana-1", "Ana Lúcia", "+5511966660001", "terceira mensagem").await;
    message_from(&app, &channel, "b2", "ana-2", "Ana L.", "+5511966660002", "quarta mensagem").await;
    let older = conversations_found_id(&app, &admin.token, "ana lucia").await;
    let newer = conversations_found_id(&app, &admin.token, "ana l.").await;
    assert_ne!(older, newer);
    let kept = app.get("/api/v1/contacts?search=lucia", &admin.token).await.body["contacts"][0]["id"].clone();
    let other = app.get("/api/v1/contacts?search=ana%20l.", &admin.token).await.body["contacts"][0]["id"].clone();
    let (mut socket, _) = crate::socket::SocketProbe::connect(&app.base, Some(&admin.token), None).await;

    let merged = app
        .post(
            &format!("/api/v1/contacts/{}/merge", kept.as_str().unwrap()),
            &admin.token,
            json!({"otherContactId": other}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(
        merged.body["combinedConversations"],
        json!([{"keptId": older.to_string(), "removedId": newer.to_string()}])
    );
    // Open inboxes drop the removed conversation and point at the kept one.
    let removed = socket.event("conversation_removed").await;
    assert_eq!(removed, json!({"id": newer.to_string(), "mergedInto": older.to_string()}));
    socket.close().await;

    // One open conversation on the channel, with both histories in order.
    let list = app.get(&format!("/api/v1/contacts/{}/conversations", kept.as_str().unwrap()), &admin.token).await;
    let ids: Vec<&str> =
        list.body["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [older.to_string()]);
    assert_eq!(list.body["conversations"][0]["lastMessagePreview"], "quarta mensagem");
    let page = app.get(&format!("/api/v1/messages?conversationId={older}"), &admin.token).await;
    let texts: Vec<&str> =
        page.body["messages"].as_array().unwrap().iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(texts, ["quarta mensagem", "terceira mensagem", "segunda mensagem", "primeira mensagem"]);
    assert_eq!(app.get(&format!("/api/v1/conversations/{newer}"), &admin.token).await.status, StatusCode::NOT_FOUND);
    // Search jumps into the conversation that holds the message now.
    let found = search(&app, &admin.token, "segunda", "messages").await;
    assert_eq!(found.body["messages"][0]["conversationId"], older.to_string());
    // And the next message from either identity lands there too.
    message_from(&app, &channel, "b3", "ana-2", "Ana L.", "+5511966660002", "quinta mensagem").await;
    let found = search(&app, &admin.token, "quinta", "messages").await;
    assert_eq!(found.body["messages"][0]["conversationId"], older.to_string());
}
