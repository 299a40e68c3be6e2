//! API shapes for contacts.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity::{contact, identity, note};

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
        // The codes, and the labels an export in Portuguese writes.
        let key = search_text::normalize(value);
        match key.trim() {
            "new" | "novo" => Some(LeadStatus::New),
            "contacted" | "contatado" => Some(LeadStatus::Contacted),
            "qualified" | "qualificado" => Some(LeadStatus::Qualified),
            "customer" | "cliente" => Some(LeadStatus::Customer),
            "lost" | "perdido" => Some(LeadStatus::Lost),
            _ => None,
        }
    }

    /// The stage as a person reads it, in the workspace's language (as the web app
    /// names it); `parse` reads it back.
    pub fn label(self, locale: &str) -> &'static str {
        let english = locale.starts_with("en");
        match self {
            LeadStatus::New => {
                if english {
                    "New"
                } else {
                    "Novo"
                }
            }
            LeadStatus::Contacted => {
                if english {
                    "Contacted"
                } else {
                    "Contatado"
                }
            }
            LeadStatus::Qualified => {
                if english {
                    "Qualified"
                } else {
                    "Qualificado"
                }
            }
            LeadStatus::Customer => {
                if english {
                    "Customer"
                } else {
                    "Cliente"
                }
            }
            LeadStatus::Lost => {
                if english {
                    "Lost"
                } else {
                    "Perdido"
                }
            }
        }
    }
}

/// How a contact is known to a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
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

/// Filters for `GET /api/v1/contacts`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListContacts {
    /// Matches name, email, phone (digits alone too: "11 9999") and channel identities.
    pub search: Option<String>,
    pub lead_status: Option<LeadStatus>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Filters for `GET /api/v1/contacts/export.csv`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ExportContacts {
    pub search: Option<String>,
    pub lead_status: Option<LeadStatus>,
    /// `semicolon` (Excel in Portuguese) or `comma`; by default the workspace
    /// language's (pt-BR: semicolon).
    #[param(inline)]
    pub separator: Option<Separator>,
}

/// The cell separator of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Separator {
    Comma,
    Semicolon,
}

/// `{contacts, total}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    pub contacts: Vec<ContactView>,
    pub total: u64,
}

/// `{contact}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactEnvelope {
    pub contact: ContactView,
}

/// Two conversations of the merged person on one channel that became one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CombinedConversation {
    /// The older conversation: it now holds both histories, in order.
    pub kept_id: Uuid,
    /// The newer one, folded in and gone.
    pub removed_id: Uuid,
}

/// `{contact, combinedConversations}`: the contact kept, and the conversations the merge
/// combined so the person has at most one unresolved conversation per channel.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MergedContact {
    pub contact: ContactView,
    pub combined_conversations: Vec<CombinedConversation>,
}

/// `POST /api/v1/contacts`. Empty email/phone strings count as absent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateContact {
    #[garde(length(min = 1, max = 200))]
    pub name: String,
    #[garde(length(max = 254))]
    pub email: Option<String>,
    /// Any common notation; stored as E.164 (`+55` assumed for 10-11 digits).
    #[garde(length(max = 40))]
    pub phone: Option<String>,
    #[garde(skip)]
    pub lead_status: Option<LeadStatus>,
    /// A JSON object of your own fields.
    #[garde(skip)]
    #[schema(value_type = Option<Object>)]
    pub custom_attributes: Option<serde_json::Value>,
}

/// `PATCH /api/v1/contacts/{id}`: absent fields stay; `email`/`phone: null` clear;
/// `customAttributes` merges into the existing ones, a `null` value removing its key
/// (and `customAttributes: null` removing all).
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateContact {
    #[garde(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[garde(skip)]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[garde(skip)]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[garde(skip)]
    pub lead_status: Option<LeadStatus>,
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[garde(skip)]
    #[schema(value_type = Option<Object>)]
    pub custom_attributes: Option<Option<serde_json::Value>>,
}

/// `POST /api/v1/contacts/{id}/merge`: the other contact is folded into `{id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MergeContacts {
    pub other_contact_id: Uuid,
}

/// A note on a contact.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoteView {
    pub id: Uuid,
    pub content: String,
    pub author_id: Option<Uuid>,
    /// `None` when the author's account is gone.
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl NoteView {
    pub fn new(m: note::Model, author_name: Option<String>) -> Self {
        NoteView { id: m.id, content: m.content, author_id: m.author_id, author_name, created_at: m.created_at }
    }
}

/// `POST /api/v1/contacts/{id}/notes`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateNote {
    #[garde(length(min = 1, max = 10000))]
    pub content: String,
}

/// `{notes}`, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteList {
    pub notes: Vec<NoteView>,
}

/// `{note}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoteEnvelope {
    pub note: NoteView,
}

/// What a CSV import did.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub failed: u64,
    /// One entry per problem (a failed row may have several); capped at 1000 entries.
    pub errors: Vec<ImportError>,
}

/// A problem with one row of an import.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportError {
    /// Spreadsheet row number: the header is row 1.
    pub row: u64,
    /// The column, as named in the export header (`name`, `lead_status`, …).
    pub field: String,
    /// Stable code of the problem (`blank`, `invalid_email`, `invalid_phone_length`,
    /// `invalid_phone_characters`, `invalid_lead_status`, `invalid_json`,
    /// `not_an_object`, `invalid_attribute_key`, `too_long`, `too_large`,
    /// `invalid_time`, `contact_exists`, `other_contact`, `unreadable`, `save_failed`):
    /// what clients translate.
    pub code: String,
    /// The problem in English, with technical detail.
    pub message: String,
}
