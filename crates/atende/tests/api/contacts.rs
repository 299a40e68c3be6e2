//! The native CRM: contacts, identities, notes, merge, erasure, CSV import/export.

use atende::{
    channels,
    contacts::{
        entity::{contact, identity, note},
        model::IdentityKind,
        store::{self as contact_store, NewIdentity},
    },
    events::DomainEvent,
    inbox::entity::{conversation, message, read_marker},
    tenancy::{Role, Scope},
};
use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

/// `POST /contacts` expecting 201; returns the contact.
async fn create_contact(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/contacts", token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    reply.body["contact"].clone()
}

fn id_of(contact: &Value) -> Uuid {
    contact["id"].as_str().expect("id").parse().expect("uuid")
}

/// `POST /contacts/import` with a CSV body.
async fn import(app: &TestApp, token: &str, csv: impl Into<String>) -> Reply {
    let response = app
        .client
        .post(app.url("/api/v1/contacts/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.into())
        .send()
        .await
        .expect("request sent");
    read(response).await
}

/// `GET /contacts/export.csv`; returns the reply and its CSV text.
async fn export(app: &TestApp, token: &str, query: &str) -> (Reply, String) {
    let reply = app.get(&format!("/api/v1/contacts/export.csv{query}"), token).await;
    let text = reply.body.as_str().unwrap_or_default().to_string();
    (reply, text)
}

/// A channel row, so conversations have somewhere to live.
async fn channel(app: &TestApp, tenant_id: Uuid) -> Uuid {
    let now = Utc::now();
    channels::entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        channel_type: Set("whatsapp_twilio".into()),
        name: Set("WhatsApp".into()),
        account_id: Set(None),
        credentials_sealed: Set(None),
        webhook_secret_sealed: Set("sealed".into()),
        callback_url: Set(None),
        settings: Set(None),
        enabled: Set(true),
        connection_status: Set("connected".into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .expect("channel")
    .id
}

/// A conversation of a contact with `messages` inbound messages and a read marker.
async fn conversation_with_messages(
    app: &TestApp,
    tenant_id: Uuid,
    channel_id: Uuid,
    contact_id: Uuid,
    messages: usize,
) -> Uuid {
    let now = Utc::now();
    let conversation = conversation::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        contact_id: Set(contact_id),
        channel_id: Set(channel_id),
        status: Set("OPEN".into()),
        snoozed_until: Set(None),
        assignee_id: Set(None),
        team_id: Set(None),
        last_message_preview: Set(Some("oi".into())),
        last_activity_at: Set(now),
        last_incoming_at: Set(Some(now)),
        first_reply_at: Set(None),
        resolved_at: Set(None),
        reopened_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .expect("conversation");
    for i in 0..messages {
        message::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(tenant_id),
            conversation_id: Set(conversation.id),
            channel_id: Set(channel_id),
            sender_type: Set("CONTACT".into()),
            sender_user_id: Set(None),
            contact_id: Set(Some(contact_id)),
            content: Set(Some(format!("mensagem {i}"))),
            content_type: Set("text".into()),
            attachments: Set(None),
            metadata: Set(None),
            external_id: Set(Some(Uuid::now_v7().to_string())),
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
        .expect("message");
    }
    read_marker::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        conversation_id: Set(conversation.id),
        user_id: Set(Uuid::now_v7()),
        last_read_at: Set(now),
    }
    .insert(&app.db)
    .await
    .expect("read marker");
    conversation.id
}

fn total(reply: &Reply) -> u64 {
    reply.body["total"].as_u64().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn an_agent_creates_a_contact_and_finds_it_by_name_phone_digits_email_and_identity() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;

    let maria = create_contact(
        &app,
        &agent.token,
        json!({"name": "Maria Silva", "email": " Maria@Example.COM ", "phone": "(11) 99999-0000",
               "leadStatus": "qualified", "customAttributes": {"plan": "pro"}}),
    )
    .await;
    assert_eq!(maria["phone"], "+5511999990000");
    assert_eq!(maria["email"], "maria@example.com");
    assert_eq!(maria["leadStatus"], "qualified");
    assert_eq!(maria["customAttributes"], json!({"plan": "pro"}));
    let kinds: Vec<&str> = maria["identities"].as_array().unwrap().iter().filter_map(|i| i["kind"].as_str()).collect();
    assert!(kinds.contains(&"phone") && kinds.contains(&"email"), "{kinds:?}");
    let bruno = create_contact(&app, &agent.token, json!({"name": "Bruno Costa", "phone": "21 3333-4444"})).await;
    assert_eq!(bruno["phone"], "+552133334444");
    assert_eq!(bruno["leadStatus"], "new");

    // An Instagram identity (channel-scoped) is searchable too.
    let scope = Scope::system(tenant.id);
    let instagram = NewIdentity { kind: IdentityKind::Instagram, value: "bruno.costa_rj".into(), channel_id: None };
    contact_store::insert_identity(&app.db, &scope, id_of(&bruno), &instagram).await.unwrap();
    // Maria spoke last, so she comes first.
    contact_store::touch_activity(&app.db, &scope, id_of(&maria), Utc::now() + Duration::seconds(5)).await.unwrap();

    let all = app.get("/api/v1/contacts", &agent.token).await;
    assert_eq!(total(&all), 2);
    assert_eq!(all.body["contacts"][0]["id"], maria["id"]);
    assert_eq!(all.body["contacts"][1]["id"], bruno["id"]);

    for (query, expected) in [
        ("MARIA", &maria),
        ("11%209999", &maria),
        ("(11)%2099999-0000", &maria),
        ("example.COM", &maria),
        ("3333", &bruno),
        ("BRUNO.COSTA_RJ", &bruno),
    ] {
        let found = app.get(&format!("/api/v1/contacts?search={query}"), &agent.token).await;
        assert_eq!(total(&found), 1, "search {query}: {:?}", found.body);
        assert_eq!(found.body["contacts"][0]["id"], expected["id"], "search {query}");
    }
    // LIKE wildcards in the search are literal.
    assert_eq!(total(&app.get("/api/v1/contacts?search=%25", &agent.token).await), 0);
    assert_eq!(total(&app.get("/api/v1/contacts?search=nobody", &agent.token).await), 0);
    let qualified = app.get("/api/v1/contacts?leadStatus=qualified", &agent.token).await;
    assert_eq!(total(&qualified), 1);
    assert_eq!(qualified.body["contacts"][0]["id"], maria["id"]);
    let paged = app.get("/api/v1/contacts?limit=1&offset=1", &agent.token).await;
    assert_eq!(total(&paged), 2);
    assert_eq!(paged.body["contacts"].as_array().unwrap().len(), 1);
    assert_eq!(paged.body["contacts"][0]["id"], bruno["id"]);

    let one = app.get(&format!("/api/v1/contacts/{}", id_of(&maria)), &agent.token).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["contact"]["name"], "Maria Silva");
}

#[tokio::test]
async fn contact_input_is_validated_with_the_field_named() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    for (body, field) in [
        (json!({"name": "X", "phone": "call me maybe"}), "phone"),
        (json!({"name": "X", "phone": "12345"}), "phone"),
        (json!({"name": "X", "email": "not-an-email"}), "email"),
        (json!({"name": "   "}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": "X", "customAttributes": [1, 2]}), "customAttributes"),
    ] {
        let reply = app.post("/api/v1/contacts", &admin.token, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
        assert_eq!(reply.code(), "validation_failed");
        assert!(reply.body["error"]["details"][field].is_array(), "{body}: {:?}", reply.body);
    }
    let status = app.post("/api/v1/contacts", &admin.token, json!({"name": "X", "leadStatus": "vip"})).await;
    assert_eq!(status.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(status.body["error"]["message"].as_str().unwrap().contains("leadStatus"), "{:?}", status.body);
    let id = id_of(&create_contact(&app, &admin.token, json!({"name": "Ok"})).await);
    let patch = app.patch(&format!("/api/v1/contacts/{id}"), &admin.token, json!({"phone": "+55 11 abc"})).await;
    assert_eq!(patch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(patch.body["error"]["details"]["phone"].is_array());
    assert_eq!(total(&app.get("/api/v1/contacts", &admin.token).await), 1, "nothing else was created");
}

#[tokio::test]
async fn a_second_contact_with_the_same_phone_or_email_is_a_409_naming_the_first() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let first =
        create_contact(&app, &admin.token, json!({"name": "Maria", "phone": "11999990000", "email": "m@x.com"})).await;
    for body in
        [json!({"name": "Maria 2", "phone": "+55 (11) 99999-0000"}), json!({"name": "Maria 3", "email": "M@X.COM"})]
    {
        let dup = app.post("/api/v1/contacts", &admin.token, body).await;
        assert_eq!(dup.status, StatusCode::CONFLICT, "{:?}", dup.body);
        assert_eq!(dup.code(), "contact_exists");
        assert_eq!(dup.body["error"]["details"]["contactId"], first["id"]);
    }
    // A contact captured from WhatsApp (identity only) is found as well.
    let scope = Scope::system(tenant.id);
    let captured =
        contact_store::insert(&app.db, &scope, contact_store::NewContact { name: "Zé".into(), ..Default::default() })
            .await
            .unwrap();
    let whatsapp = NewIdentity { kind: IdentityKind::Whatsapp, value: "+5521988887777".into(), channel_id: None };
    contact_store::insert_identity(&app.db, &scope, captured.id, &whatsapp).await.unwrap();
    let dup = app.post("/api/v1/contacts", &admin.token, json!({"name": "José", "phone": "21 98888-7777"})).await;
    assert_eq!(dup.code(), "contact_exists");
    assert_eq!(dup.body["error"]["details"]["contactId"], captured.id.to_string());
    // Taking another contact's phone by PATCH is refused the same way.
    let other = create_contact(&app, &admin.token, json!({"name": "Other"})).await;
    let steal =
        app.patch(&format!("/api/v1/contacts/{}", id_of(&other)), &admin.token, json!({"phone": "11999990000"})).await;
    assert_eq!(steal.status, StatusCode::CONFLICT);
    assert_eq!(steal.body["error"]["details"]["contactId"], first["id"]);
    assert_eq!(total(&app.get("/api/v1/contacts", &admin.token).await), 3);
}

#[tokio::test]
async fn patching_merges_custom_attributes_moves_identities_and_publishes_an_event() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let created = create_contact(
        &app,
        &admin.token,
        json!({"name": "Maria", "phone": "11999990000", "customAttributes": {"plan": "pro", "city": "Recife"}}),
    )
    .await;
    let id = id_of(&created);
    let before = app.last_event_seq().await;
    let patched = app
        .patch(
            &format!("/api/v1/contacts/{id}"),
            &admin.token,
            json!({"name": "Maria S.", "phone": "11988887777", "email": "Maria@X.com", "leadStatus": "customer",
                   "customAttributes": {"city": null, "vip": true}}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    let contact = &patched.body["contact"];
    assert_eq!(contact["name"], "Maria S.");
    assert_eq!(contact["phone"], "+5511988887777");
    assert_eq!(contact["email"], "maria@x.com");
    assert_eq!(contact["leadStatus"], "customer");
    assert_eq!(contact["customAttributes"], json!({"plan": "pro", "vip": true}));
    let values: Vec<&str> =
        contact["identities"].as_array().unwrap().iter().filter_map(|i| i["value"].as_str()).collect();
    assert!(values.contains(&"+5511988887777") && values.contains(&"maria@x.com"), "{values:?}");
    assert!(!values.contains(&"+5511999990000"), "the old phone no longer identifies her: {values:?}");

    let events = app.events_after(before).await;
    match events.as_slice() {
        [DomainEvent::ContactUpdated(e)] => {
            assert_eq!(e.tenant_id, tenant.id);
            assert_eq!(e.contact.id.to_string(), id.to_string());
            assert_eq!(e.contact.name, "Maria S.");
        }
        other => panic!("unexpected events {other:?}"),
    }

    // The old number is free again; clearing fields works; null clears all attributes.
    create_contact(&app, &admin.token, json!({"name": "New owner", "phone": "11999990000"})).await;
    let cleared = app
        .patch(&format!("/api/v1/contacts/{id}"), &admin.token, json!({"email": null, "customAttributes": null}))
        .await;
    assert_eq!(cleared.body["contact"]["email"], Value::Null);
    assert_eq!(cleared.body["contact"]["customAttributes"], json!({}));
    let free = app.post("/api/v1/contacts", &admin.token, json!({"name": "Other", "email": "maria@x.com"})).await;
    assert_eq!(free.status, StatusCode::CREATED, "{:?}", free.body);
}

#[tokio::test]
async fn notes_are_listed_newest_first_and_only_their_author_or_an_admin_deletes_them() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    app.create_user(&tenant, "caio@acme.test", Role::Agent).await;
    let ana = app.session("acme", "ana@acme.test").await;
    let caio = app.session("acme", "caio@acme.test").await;
    let id = id_of(&create_contact(&app, &ana.token, json!({"name": "Maria"})).await);
    let path = format!("/api/v1/contacts/{id}/notes");

    let first = app.post(&path, &ana.token, json!({"content": "Prefers calls after 18h"})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert_eq!(first.body["note"]["authorId"], ana.user_id.to_string());
    assert_eq!(first.body["note"]["authorName"], "ana");
    let second = app.post(&path, &caio.token, json!({"content": "Asked for a discount"})).await;
    let blank = app.post(&path, &ana.token, json!({"content": "  "})).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body["error"]["details"]["content"].is_array());

    let notes = app.get(&path, &ana.token).await;
    let list = notes.body["notes"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["content"], "Asked for a discount");
    assert_eq!(list[0]["authorName"], "caio");
    assert_eq!(list[1]["content"], "Prefers calls after 18h");

    let first_id = first.body["note"]["id"].as_str().unwrap();
    let second_id = second.body["note"]["id"].as_str().unwrap();
    let not_hers = app.delete(&format!("{path}/{second_id}"), &ana.token).await;
    assert_eq!(not_hers.status, StatusCode::FORBIDDEN);
    assert_eq!(app.delete(&format!("{path}/{first_id}"), &ana.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.delete(&format!("{path}/{second_id}"), &admin.token).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.delete(&format!("{path}/{second_id}"), &admin.token).await.status, StatusCode::NOT_FOUND);
    assert!(app.get(&path, &ana.token).await.body["notes"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_admin_erases_a_contact_with_its_identities_notes_conversations_and_messages() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let channel_id = channel(&app, tenant.id).await;
    let gone = id_of(&create_contact(&app, &agent.token, json!({"name": "Maria", "phone": "11999990000"})).await);
    let kept = id_of(&create_contact(&app, &agent.token, json!({"name": "Bruno", "email": "b@x.com"})).await);
    app.post(&format!("/api/v1/contacts/{gone}/notes"), &agent.token, json!({"content": "note"})).await;
    let gone_conversation = conversation_with_messages(&app, tenant.id, channel_id, gone, 3).await;
    let kept_conversation = conversation_with_messages(&app, tenant.id, channel_id, kept, 2).await;

    let refused = app.delete(&format!("/api/v1/contacts/{gone}"), &agent.token).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let deleted = app.delete(&format!("/api/v1/contacts/{gone}"), &admin.token).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{:?}", deleted.body);
    assert_eq!(app.get(&format!("/api/v1/contacts/{gone}"), &admin.token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&format!("/api/v1/contacts/{gone}"), &admin.token).await.status, StatusCode::NOT_FOUND);

    let count_identities = identity::Entity::find().filter(identity::Column::ContactId.eq(gone)).count(&app.db);
    assert_eq!(count_identities.await.unwrap(), 0);
    assert_eq!(note::Entity::find().filter(note::Column::ContactId.eq(gone)).count(&app.db).await.unwrap(), 0);
    assert_eq!(conversation::Entity::find_by_id(gone_conversation).count(&app.db).await.unwrap(), 0);
    let gone_messages = message::Entity::find().filter(message::Column::ConversationId.eq(gone_conversation));
    assert_eq!(gone_messages.count(&app.db).await.unwrap(), 0);
    let gone_reads = read_marker::Entity::find().filter(read_marker::Column::ConversationId.eq(gone_conversation));
    assert_eq!(gone_reads.count(&app.db).await.unwrap(), 0);
    // The other contact keeps everything.
    let kept_messages = message::Entity::find().filter(message::Column::ConversationId.eq(kept_conversation));
    assert_eq!(kept_messages.count(&app.db).await.unwrap(), 2);
    assert_eq!(contact::Entity::find_by_id(kept).count(&app.db).await.unwrap(), 1);
    // The phone is free for a new contact, and the erasure is in the audit log.
    create_contact(&app, &admin.token, json!({"name": "New", "phone": "11999990000"})).await;
    let audit = atende::audit::entity::Entity::find()
        .filter(atende::audit::entity::Column::Action.eq("contact.deleted"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("audit entry");
    assert_eq!(audit.target_id, Some(gone));
    assert_eq!(audit.details.unwrap()["messages"], 3);
}

#[tokio::test]
async fn merging_moves_identities_notes_conversations_and_messages_and_fills_empty_fields() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel_id = channel(&app, tenant.id).await;
    let kept = id_of(&create_contact(&app, &admin.token, json!({"name": "Maria Silva", "phone": "11999990000"})).await);
    let other = id_of(
        &create_contact(
            &app,
            &admin.token,
            json!({"name": "maria.ig", "email": "maria@x.com", "leadStatus": "qualified",
                   "customAttributes": {"source": "instagram"}}),
        )
        .await,
    );
    let scope = Scope::system(tenant.id);
    let instagram = NewIdentity { kind: IdentityKind::Instagram, value: "17841400000000".into(), channel_id: None };
    contact_store::insert_identity(&app.db, &scope, other, &instagram).await.unwrap();
    app.post(&format!("/api/v1/contacts/{other}/notes"), &admin.token, json!({"content": "from IG"})).await;
    let conversation_id = conversation_with_messages(&app, tenant.id, channel_id, other, 2).await;
    // The other was seen first.
    let earlier = Utc::now() - Duration::days(30);
    let mut row: contact::ActiveModel = contact::Entity::find_by_id(other).one(&app.db).await.unwrap().unwrap().into();
    row.first_seen_at = Set(earlier);
    row.update(&app.db).await.unwrap();

    let same = app.post(&format!("/api/v1/contacts/{kept}/merge"), &admin.token, json!({"otherContactId": kept})).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(same.body["error"]["details"]["otherContactId"].is_array());

    let before = app.last_event_seq().await;
    let merged =
        app.post(&format!("/api/v1/contacts/{kept}/merge"), &admin.token, json!({"otherContactId": other})).await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    let contact = &merged.body["contact"];
    assert_eq!(contact["id"], kept.to_string());
    assert_eq!(contact["name"], "Maria Silva");
    assert_eq!(contact["phone"], "+5511999990000");
    assert_eq!(contact["email"], "maria@x.com", "empty fields are filled from the other");
    assert_eq!(contact["leadStatus"], "qualified");
    assert_eq!(contact["customAttributes"], json!({"source": "instagram"}));
    let first_seen: chrono::DateTime<Utc> = contact["firstSeenAt"].as_str().unwrap().parse().unwrap();
    assert!((first_seen - earlier).num_milliseconds().abs() < 1, "{first_seen} vs {earlier}");
    let kinds: Vec<&str> =
        contact["identities"].as_array().unwrap().iter().filter_map(|i| i["kind"].as_str()).collect();
    for kind in ["phone", "email", "instagram"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert!(matches!(app.events_after(before).await.as_slice(), [DomainEvent::ContactUpdated(_)]));

    assert_eq!(app.get(&format!("/api/v1/contacts/{other}"), &admin.token).await.status, StatusCode::NOT_FOUND);
    let notes = app.get(&format!("/api/v1/contacts/{kept}/notes"), &admin.token).await;
    assert_eq!(notes.body["notes"][0]["content"], "from IG");
    let moved = conversation::Entity::find_by_id(conversation_id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(moved.contact_id, kept);
    let messages = message::Entity::find().filter(message::Column::ConversationId.eq(conversation_id));
    assert!(messages.all(&app.db).await.unwrap().iter().all(|m| m.contact_id == Some(kept)));
    // The other's email now finds the kept contact.
    let dup = app.post("/api/v1/contacts", &admin.token, json!({"name": "X", "email": "maria@x.com"})).await;
    assert_eq!(dup.body["error"]["details"]["contactId"], kept.to_string());
    let audit = atende::audit::entity::Entity::find()
        .filter(atende::audit::entity::Column::Action.eq("contact.merged"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn contacts_export_to_csv_and_import_back_with_a_report_per_row() {
    let app = spawn_app().await;
    let alpha = app.create_tenant("alpha").await;
    let beta = app.create_tenant("beta").await;
    let admin = app.admin(&alpha).await;
    create_contact(
        &app,
        &admin.token,
        json!({"name": "Maria, \"a Rainha\"", "email": "maria@x.com", "phone": "11999990000",
               "leadStatus": "customer", "customAttributes": {"plan": "pro", "seats": 3}}),
    )
    .await;
    create_contact(&app, &admin.token, json!({"name": "=HYPERLINK(\"http://evil\")", "phone": "21988887777"})).await;
    create_contact(&app, &admin.token, json!({"name": "João Sem Contato"})).await;

    let (reply, csv) = export(&app, &admin.token, "").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(reply.headers["content-disposition"], "attachment; filename=\"contacts.csv\"");
    // Written for Excel in Portuguese (the workspace's language): a BOM, `;`, stages in
    // Portuguese, local times to the second.
    let raw = app.client.get(app.url("/api/v1/contacts/export.csv")).bearer_auth(&admin.token).send().await.unwrap();
    assert!(raw.bytes().await.unwrap().starts_with("\u{feff}".as_bytes()), "a UTF-8 BOM for Excel");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "\"id\";\"name\";\"email\";\"phone\";\"lead_status\";\"source_channel\";\"first_seen_at\";\"last_activity_at\";\"custom_attributes\""
        )
    );
    assert_eq!(csv.lines().count(), 4);
    let maria_line = csv.lines().find(|l| l.contains("Rainha")).unwrap();
    let cells: Vec<&str> = maria_line.split("\";\"").collect();
    assert_eq!(cells[4], "Cliente");
    let first_seen = cells[6];
    assert!(
        first_seen.len() == 19 && first_seen.as_bytes()[10] == b' ' && !first_seen.contains('.'),
        "a local time without fractions: {first_seen}"
    );
    let (_, english) = export(&app, &admin.token, "?separator=comma").await;
    assert!(english.starts_with("\"id\",\"name\","), "{english}");
    let bad = app.get("/api/v1/contacts/export.csv?separator=pipe", &admin.token).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(csv.contains("'=HYPERLINK"), "formulas are neutralised for spreadsheets: {csv}");
    let (_, filtered) = export(&app, &admin.token, "?search=maria").await;
    assert_eq!(filtered.lines().count(), 2);

    // Import into another workspace, then export there: the same contacts.
    let beta_admin = app.admin(&beta).await;
    let imported = import(&app, &beta_admin.token, csv.clone()).await;
    assert_eq!(imported.status, StatusCode::OK, "{:?}", imported.body);
    assert_eq!(imported.body, json!({"created": 3, "updated": 0, "failed": 0, "errors": []}));
    let (_, again) = export(&app, &beta_admin.token, "").await;
    let without_ids = |text: &str| {
        let mut rows: Vec<String> =
            text.lines().skip(1).map(|l| l.split_once(';').map(|(_, rest)| rest.to_string()).unwrap()).collect();
        rows.sort();
        rows
    };
    assert_eq!(without_ids(&again), without_ids(&csv));
    let beta_list = app.get("/api/v1/contacts?search=rainha", &beta_admin.token).await;
    assert_eq!(beta_list.body["contacts"][0]["customAttributes"], json!({"plan": "pro", "seats": 3}));
    assert_eq!(beta_list.body["contacts"][0]["name"], "Maria, \"a Rainha\"");

    // Importing the same file into its own workspace updates, never duplicates.
    let same = import(&app, &admin.token, csv).await;
    assert_eq!(same.body, json!({"created": 0, "updated": 3, "failed": 0, "errors": []}));

    // Bad rows are reported by row and column; good rows still go in; extra columns
    // become custom attributes; a phone that matches updates that contact.
    let messy = "name,email,phone,lead_status,cidade\n\
                 Carla,carla@x.com,(31) 97777-6666,new,BH\n\
                 ,nobody@x.com,,,\n\
                 Dora,dora@,abc,vip,\n\
                 Maria Atualizada,,+55 11 99999-0000,lost,SP\n";
    let report = import(&app, &admin.token, messy).await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    assert_eq!(report.body["created"], 1);
    assert_eq!(report.body["updated"], 1);
    assert_eq!(report.body["failed"], 2);
    // Each problem has a stable code the web translates, beside the English detail.
    let errors: Vec<(u64, &str, &str)> = report.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            (3, "name", "blank"),
            (4, "email", "invalid_email"),
            (4, "phone", "invalid_phone_characters"),
            (4, "lead_status", "invalid_lead_status")
        ],
        "{:?}",
        report.body
    );
    assert!(report.body["errors"][0]["message"].as_str().unwrap().contains("blank"));
    let carla = app.get("/api/v1/contacts?search=carla", &admin.token).await;
    assert_eq!(carla.body["contacts"][0]["phone"], "+5531977776666");
    assert_eq!(carla.body["contacts"][0]["customAttributes"], json!({"cidade": "BH"}));
    let maria = app.get("/api/v1/contacts?search=11999990000", &admin.token).await;
    assert_eq!(total(&maria), 1);
    assert_eq!(maria.body["contacts"][0]["name"], "Maria Atualizada");
    assert_eq!(maria.body["contacts"][0]["leadStatus"], "lost");
    assert_eq!(maria.body["contacts"][0]["customAttributes"], json!({"plan": "pro", "seats": 3, "cidade": "SP"}));

    // A row whose phone and email point at two different contacts is refused.
    let split = import(&app, &admin.token, "name,email,phone\nMix,carla@x.com,11999990000\n").await;
    assert_eq!(split.body["failed"], 1);
    assert_eq!(split.body["errors"][0]["field"], "email");
    assert_eq!(split.body["errors"][0]["code"], "other_contact");
    // A file without a name column is refused as a whole.
    let headless = import(&app, &admin.token, "email\na@b.co\n").await;
    assert_eq!(headless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(headless.body["error"]["details"]["file"].is_array());
}

#[tokio::test]
async fn the_import_takes_csv_bodies_beyond_the_json_limit_up_to_5_mib() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    // ~1.5 MiB: over the 1 MiB JSON limit.
    let bio = "a".repeat(50_000);
    let mut csv = String::from("name,bio\n");
    for i in 0..30 {
        csv.push_str(&format!("Person {i},{bio}\n"));
    }
    assert!(csv.len() > 1024 * 1024);
    let reply = import(&app, &admin.token, csv).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["created"], 30);
    let too_big = import(&app, &admin.token, format!("name\n{}", "x".repeat(5 * 1024 * 1024 + 1))).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_big.code(), "payload_too_large");
    // JSON bodies elsewhere keep their 1 MiB limit.
    let big_json = app.post("/api/v1/contacts", &admin.token, json!({"name": "x".repeat(1024 * 1024 + 1)})).await;
    assert_eq!(big_json.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn agents_cannot_erase_import_or_export_contacts() {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    app.create_user(&tenant, "ana@acme.test", Role::Agent).await;
    app.create_user(&tenant, "max@acme.test", Role::Manager).await;
    let agent = app.session("acme", "ana@acme.test").await;
    let manager = app.session("acme", "max@acme.test").await;
    let id = id_of(&create_contact(&app, &agent.token, json!({"name": "Maria"})).await);

    assert_eq!(app.delete(&format!("/api/v1/contacts/{id}"), &agent.token).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.delete(&format!("/api/v1/contacts/{id}"), &manager.token).await.status, StatusCode::FORBIDDEN);
    assert_eq!(export(&app, &agent.token, "").await.0.status, StatusCode::FORBIDDEN);
    assert_eq!(import(&app, &agent.token, "name\nX\n").await.status, StatusCode::FORBIDDEN);
    assert_eq!(export(&app, &manager.token, "").await.0.status, StatusCode::OK);
    assert_eq!(import(&app, &manager.token, "name\nX\n").await.body["created"], 1);
    // Agents do edit contacts.
    let edit = app.patch(&format!("/api/v1/contacts/{id}"), &agent.token, json!({"leadStatus": "contacted"})).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/contacts/{id}"), &agent.token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn every_contact_endpoint_answers_404_for_another_tenants_ids_and_changes_nothing() {
    let app = spawn_app().await;
    let a = app.create_tenant("alpha").await;
    let b = app.create_tenant("beta").await;
    let admin_a = app.admin(&a).await;
    let admin_b = app.admin(&b).await;
    let channel_b = channel(&app, b.id).await;
    let b_contact =
        create_contact(&app, &admin_b.token, json!({"name": "Bia", "phone": "11999990000", "email": "bia@b.com"}))
            .await;
    let b_id = id_of(&b_contact);
    let b_note = app.post(&format!("/api/v1/contacts/{b_id}/notes"), &admin_b.token, json!({"content": "B"})).await;
    let b_note = b_note.body["note"]["id"].as_str().unwrap().to_string();
    let b_conversation = conversation_with_messages(&app, b.id, channel_b, b_id, 1).await;
    let a_id = id_of(&create_contact(&app, &admin_a.token, json!({"name": "Ana"})).await);

    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/contacts/{b_id}"), None),
        (Method::PATCH, format!("/api/v1/contacts/{b_id}"), Some(json!({"name": "hacked"}))),
        (Method::DELETE, format!("/api/v1/contacts/{b_id}"), None),
        (Method::POST, format!("/api/v1/contacts/{b_id}/merge"), Some(json!({"otherContactId": a_id}))),
        (Method::POST, format!("/api/v1/contacts/{a_id}/merge"), Some(json!({"otherContactId": b_id}))),
        (Method::GET, format!("/api/v1/contacts/{b_id}/notes"), None),
        (Method::POST, format!("/api/v1/contacts/{b_id}/notes"), Some(json!({"content": "x"}))),
        (Method::DELETE, format!("/api/v1/contacts/{b_id}/notes/{b_note}"), None),
        (Method::DELETE, format!("/api/v1/contacts/{a_id}/notes/{b_note}"), None),
    ];
    for (method, path, body) in attempts {
        let reply = app.request(method.clone(), &path, Some(&admin_a.token), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {:?}", reply.body);
        assert_eq!(reply.code(), "not_found");
    }
    // B's phone and email are free in A, and A's lists, search and export never show B.
    create_contact(&app, &admin_a.token, json!({"name": "Ana 2", "phone": "11999990000", "email": "bia@b.com"})).await;
    assert_eq!(total(&app.get("/api/v1/contacts?search=bia", &admin_a.token).await), 1);
    assert_eq!(total(&app.get("/api/v1/contacts", &admin_a.token).await), 2);
    let (_, csv) = export(&app, &admin_a.token, "").await;
    assert!(!csv.contains(&b_id.to_string()) && !csv.contains("Bia"), "{csv}");
    // An import naming B's id creates a new contact in A instead of touching B's.
    let imported = import(&app, &admin_a.token, format!("id,name\n{b_id},Hijack\n")).await;
    assert_eq!(imported.body["created"], 1);

    let after = app.get(&format!("/api/v1/contacts/{b_id}"), &admin_b.token).await;
    assert_eq!(after.body["contact"]["name"], "Bia");
    assert_eq!(after.body["contact"]["identities"].as_array().unwrap().len(), 2);
    let notes = app.get(&format!("/api/v1/contacts/{b_id}/notes"), &admin_b.token).await;
    assert_eq!(notes.body["notes"].as_array().unwrap().len(), 1);
    let conversation = conversation::Entity::find_by_id(b_conversation).one(&app.db).await.unwrap().unwrap();
    assert_eq!(conversation.contact_id, b_id);
    assert_eq!(total(&app.get("/api/v1/contacts", &admin_b.token).await), 1);
}

#[tokio::test]
async fn the_api_description_lists_the_crm_endpoints() {
    let app = spawn_app().await;
    let spec: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = spec["paths"].as_object().unwrap();
    for path in [
        "/api/v1/contacts",
        "/api/v1/contacts/{id}",
        "/api/v1/contacts/{id}/merge",
        "/api/v1/contacts/{id}/notes",
        "/api/v1/contacts/{id}/notes/{note_id}",
        "/api/v1/contacts/export.csv",
        "/api/v1/contacts/import",
        "/api/v1/canned-responses",
        "/api/v1/canned-responses/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert!(paths["/api/v1/contacts/import"]["post"]["requestBody"]["content"]["text/csv"].is_object());
}
