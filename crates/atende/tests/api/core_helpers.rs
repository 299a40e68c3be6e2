//! Helpers for the core loop: API channels, signed inbound webhooks.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// An API channel created through the API, with its secret.
pub struct ApiChannel {
    pub id: String,
    pub secret: String,
}

impl TestApp {
    pub async fn api_channel(&self, admin: &Session, callback_url: &str) -> ApiChannel {
        let reply = self
            .post("/api/v1/channels", &admin.token, json!({"type": "API", "name": "Site", "callbackUrl": callback_url}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        ApiChannel {
            id: reply.body["channel"]["id"].as_str().unwrap().to_string(),
            secret: reply.body["webhookSecret"].as_str().unwrap().to_string(),
        }
    }

    /// POSTs a signed inbound message to an API channel.
    pub async fn inbound(&self, channel: &ApiChannel, body: &Value) -> Reply {
        let raw = serde_json::to_vec(body).unwrap();
        self.inbound_raw(channel, &raw, Some(atende::channels::adapters::api::sign(channel.secret.as_bytes(), &raw)))
            .await
    }

    pub async fn inbound_raw(&self, channel: &ApiChannel, raw: &[u8], signature: Option<String>) -> Reply {
        let mut builder = self
            .client
            .post(self.url(&format!("/webhooks/api/{}", channel.id)))
            .header("content-type", "application/json")
            .body(raw.to_vec());
        if let Some(sig) = signature {
            builder = builder.header("x-atende-signature", sig);
        }
        read(builder.send().await.unwrap()).await
    }

    /// Delivers an inbound message and runs the jobs; returns the conversation id.
    pub async fn receive(&self, channel: &ApiChannel, external_id: &str, identifier: &str, text: &str) -> String {
        let ack = self.inbound(channel, &inbound_body(external_id, identifier, text)).await;
        assert_eq!(ack.status, StatusCode::OK, "{:?}", ack.body);
        self.run_jobs().await;
        let admin_scope = atende::tenancy::Scope::system(self.channel_tenant(channel).await);
        let contact = atende::contacts::store::find_by_identity(
            &self.db,
            &admin_scope,
            atende::contacts::model::IdentityKind::Api,
            &channel.id,
            identifier,
        )
        .await
        .unwrap()
        .expect("contact captured");
        let conversation = atende::inbox::store::conversation_latest_for(
            &self.db,
            &admin_scope,
            contact.id,
            channel.id.parse().unwrap(),
        )
        .await
        .unwrap()
        .expect("conversation");
        conversation.id.to_string()
    }

    async fn channel_tenant(&self, channel: &ApiChannel) -> uuid::Uuid {
        atende::channels::store::platform_find(&self.db, channel.id.parse().unwrap()).await.unwrap().unwrap().tenant_id
    }
}

/// A phone number derived from the identifier, so different people get different phones.
pub fn phone_of(identifier: &str) -> String {
    let n = identifier.bytes().fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    format!("+55119{:08}", n % 100_000_000)
}

pub fn inbound_body(external_id: &str, identifier: &str, text: &str) -> Value {
    json!({
        "externalId": external_id,
        "contact": {"identifier": identifier, "name": "Maria Silva", "phone": phone_of(identifier)},
        "content": text,
    })
}

/// Rows in a table (to prove nothing was stored).
pub async fn count(app: &TestApp, table: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}
