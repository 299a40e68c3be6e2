//! API shapes for contacts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{contact, identity};

/// Lead pipeline stage, kept simple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    New,
    Contacted,
    Qualified,
    Customer,
    Lost,
}

impl LeadStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Customer => "customer",
            LeadStatus::Lost => "lost",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "new" => Some(LeadStatus::New),
            "contacted" => Some(LeadStatus::Contacted),
            "qualified" => Some(LeadStatus::Qualified),
            "customer" => Some(LeadStatus::Customer),
            "lost" => Some(LeadStatus::Lost),
            _ => None,
        }
    }
}

/// How a contact is known to a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    Phone,
    Whatsapp,
    Email,
    Instagram,
    Facebook,
    Api,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Phone => "phone",
            IdentityKind::Whatsapp => "whatsapp",
            IdentityKind::Email => "email",
            IdentityKind::Instagram => "instagram",
            IdentityKind::Facebook => "facebook",
            IdentityKind::Api => "api",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "phone" => Some(IdentityKind::Phone),
            "whatsapp" => Some(IdentityKind::Whatsapp),
            "email" => Some(IdentityKind::Email),
            "instagram" => Some(IdentityKind::Instagram),
            "facebook" => Some(IdentityKind::Facebook),
            "api" => Some(IdentityKind::Api),
            _ => None,
        }
    }

    /// Identifiers that a provider issues per account (page, IG account, API channel)
    /// are only unique within that channel.
    pub fn is_channel_scoped(self) -> bool {
        matches!(self, IdentityKind::Instagram | IdentityKind::Facebook | IdentityKind::Api)
    }

    /// The `scope` column value for this kind on a channel.
    pub fn scope_for(self, channel_id: Uuid) -> String {
        if self.is_channel_scoped() { channel_id.to_string() } else { String::new() }
    }
}

/// One identity as shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    pub kind: IdentityKind,
    pub value: String,
    pub channel_id: Option<Uuid>,
}

impl From<&identity::Model> for IdentityView {
    fn from(m: &identity::Model) -> Self {
        IdentityView {
            kind: IdentityKind::parse(&m.kind).unwrap_or(IdentityKind::Api),
            value: m.value.clone(),
            channel_id: m.channel_id,
        }
    }
}

/// A contact as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactView {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lead_status: LeadStatus,
    pub source_channel_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub custom_attributes: serde_json::Value,
    pub identities: Vec<IdentityView>,
    pub first_seen_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl ContactView {
    pub fn new(m: &contact::Model, identities: &[identity::Model]) -> Self {
        ContactView {
            id: m.id,
            name: m.name.clone(),
            email: m.email.clone(),
            phone: m.phone.clone(),
            lead_status: LeadStatus::parse(&m.lead_status).unwrap_or(LeadStatus::New),
            source_channel_id: m.source_channel_id,
            custom_attributes: m.custom_attributes.clone().unwrap_or_else(|| serde_json::json!({})),
            identities: identities.iter().filter(|i| i.contact_id == m.id).map(IdentityView::from).collect(),
            first_seen_at: m.first_seen_at,
            last_activity_at: m.last_activity_at,
            created_at: m.created_at,
        }
    }
}

/// A compact contact for conversation lists.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactSummary {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<&contact::Model> for ContactSummary {
    fn from(m: &contact::Model) -> Self {
        ContactSummary { id: m.id, name: m.name.clone(), phone: m.phone.clone(), email: m.email.clone() }
    }
}
