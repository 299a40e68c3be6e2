//! Customers split one thought over several messages: whatever the number of workers
//! and lanes, a person's messages are stored and shown in the order they arrived, and
//! lead capture keeps the name that any of them brought.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    core_helpers::{ApiChannel, phone_of},
    helpers::{Options, TestApp, spawn_with},
};

fn message(external_id: &str, identifier: &str, name: Option<&str>, text: &str) -> Value {
    let mut contact = json!({"identifier": identifier, "phone": phone_of(identifier)});
    if let Some(name) = name {
        contact["name"] = json!(name);
    }
    json!({"externalId": external_id, "contact": contact, "content": text})
}

/// The person's contact and conversation, and the message contents oldest first, once
/// `n` are stored.
async fn stored_in_order(
    app: &TestApp,
    channel: &ApiChannel,
    admin: &str,
    identifier: &str,
    n: usize,
) -> (Value, Vec<String>) {
    use atende::{contacts::model::IdentityKind, tenancy::Scope};
    let channel_id: uuid::Uuid = channel.id.parse().unwrap();
    let row = atende::channels::store::platform_find(&app.db, channel_id).await.unwrap().unwrap();
    let scope = Scope::system(row.tenant_id);
    for _ in 0..400 {
        let contact =
            atende::contacts::store::find_by_identity(&app.db, &scope, IdentityKind::Api, &channel.id, identifier)
                .await
                .unwrap();
        if let Some(contact) = contact {
            let conversation =
                atende::inbox::store::conversation_latest_for(&app.db, &scope, contact.id, channel_id).await.unwrap();
            if let Some(conversation) = conversation {
                let page =
                    app.get(&format!("/api/v1/messages?conversationId={}&limit=50", conversation.id), admin).await;
                let mut texts: Vec<String> = page.body["messages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["content"].as_str().unwrap_or_default().to_string())
                    .collect();
                texts.reverse();
                if texts.len() >= n {
                    // Read again: the last message may have landed after the first read.
                    let conversation = atende::inbox::store::conversation_get(&app.db, &scope, conversation.id)
                        .await
                        .unwrap()
                        .unwrap();
                    let contact = atende::contacts::store::get(&app.db, &scope, contact.id).await.unwrap().unwrap();
                    let seen = json!({"name": contact.name, "contactId": contact.id,
                                      "preview": conversation.last_message_preview});
                    return (seen, texts);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{identifier}: {n} messages never arrived");
}

async fn burst(app: &TestApp, channel: &ApiChannel, admin: &str, identifier: &str) {
    let texts: Vec<String> = (1..=6).map(|n| format!("parte {n}")).collect();
    for (n, text) in texts.iter().enumerate() {
        // Only the first carries the name, as WhatsApp-style providers often do.
        let name = (n == 0).then_some("Joana Prado");
        let ack = app.inbound(channel, &message(&format!("{identifier}-{n}"), identifier, name, text)).await;
        assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
    }
    let (seen, stored) = stored_in_order(app, channel, admin, identifier, texts.len()).await;
    assert_eq!(stored, texts, "{identifier}: stored in arrival order");
    assert_eq!(seen["name"], "Joana Prado", "{identifier}: the name of the first message is kept");
    assert_eq!(seen["preview"], "parte 6", "{identifier}: the list shows the last message");
}

#[tokio::test]
async fn bursts_from_one_person_are_stored_in_arrival_order_with_background_workers() {
    let app = spawn_with(Options { workers: 4, ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    for round in 0..12 {
        burst(&app, &channel, &admin.token, &format!("burst-{round}")).await;
    }
}

#[tokio::test]
async fn concurrent_bursts_from_many_people_each_stay_in_order() {
    let app = spawn_with(Options { workers: 4, ..Default::default() }).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    let people: Vec<String> = (0..8).map(|n| format!("person-{n}")).collect();
    futures::future::join_all(people.iter().map(|p| burst(&app, &channel, &admin.token, p))).await;
}

#[tokio::test]
async fn a_name_arriving_after_the_first_message_fills_the_captured_lead() {
    let app = spawn_with(Options::default()).await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    app.inbound(&channel, &message("n-1", "late-name", None, "oi")).await;
    app.inbound(&channel, &message("n-2", "late-name", Some("Carla Dias"), "sou a Carla")).await;
    app.run_jobs().await;
    let (seen, _) = stored_in_order(&app, &channel, &admin.token, "late-name", 2).await;
    assert_eq!(seen["name"], "Carla Dias");
    // A name someone typed is never overwritten by a profile name.
    let id = seen["contactId"].as_str().unwrap().to_string();
    app.patch(&format!("/api/v1/contacts/{id}"), &admin.token, json!({"name": "Carla (cliente VIP)"})).await;
    app.inbound(&channel, &message("n-3", "late-name", Some("Carla D."), "de novo")).await;
    app.run_jobs().await;
    let (seen, _) = stored_in_order(&app, &channel, &admin.token, "late-name", 3).await;
    assert_eq!(seen["name"], "Carla (cliente VIP)");
}
