//! API shapes of the inbox: conversations and messages.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    channels::model::ChannelSummary,
    contacts::model::{ContactSummary, IdentityKind},
};

/// Conversation status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConversationStatus {
    Open,
    Pending,
    Resolved,
}

impl ConversationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Open => "OPEN",
            ConversationStatus::Pending => "PENDING",
            ConversationStatus::Resolved => "RESOLVED",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "OPEN" => Some(ConversationStatus::Open),
            "PENDING" => Some(ConversationStatus::Pending),
            "RESOLVED" => Some(ConversationStatus::Resolved),
            _ => None,
        }
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SenderType {
    Contact,
    Agent,
    System,
}

impl SenderType {
    pub fn as_str(self) -> &'static str {
        match self {
            SenderType::Contact => "CONTACT",
            SenderType::Agent => "AGENT",
            SenderType::System => "SYSTEM",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "CONTACT" => Some(SenderType::Contact),
            "AGENT" => Some(SenderType::Agent),
            "SYSTEM" => Some(SenderType::System),
            _ => None,
        }
    }
}

/// Delivery status of a message; moves forward only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MessageStatus {
    Pending,
    Sent,
    Delivered,
    Read,
    Failed,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Pending => "PENDING",
            MessageStatus::Sent => "SENT",
            MessageStatus::Delivered => "DELIVERED",
            MessageStatus::Read => "READ",
            MessageStatus::Failed => "FAILED",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "PENDING" => Some(MessageStatus::Pending),
            "SENT" => Some(MessageStatus::Sent),
            "DELIVERED" => Some(MessageStatus::Delivered),
            "READ" => Some(MessageStatus::Read),
            "FAILED" => Some(MessageStatus::Failed),
            _ => None,
        }
    }
}

/// Kind of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContentType {
    #[default]
    Text,
    Image,
    Video,
    Audio,
    File,
    Location,
    Template,
    Sticker,
    /// An activity line of the timeline (assignment, status, snooze, categories…):
    /// written by the server, never sent to the contact, never sent by clients.
    Activity,
}

impl ContentType {
    pub fn as_str(self) -> &'static str {
        match self {
            ContentType::Text => "text",
            ContentType::Image => "image",
            ContentType::Video => "video",
            ContentType::Audio => "audio",
            ContentType::File => "file",
            ContentType::Location => "location",
            ContentType::Template => "template",
            ContentType::Sticker => "sticker",
            ContentType::Activity => "activity",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(value.to_string())).ok()
    }
}

/// A file attached to a message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentRef {
    /// Our attachment id when the file is stored here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub url: String,
    #[serde(default)]
    pub mime_type: Option<String>,
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
}

/// The author of an agent message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SenderRef {
    pub id: Uuid,
    pub name: String,
}

/// A message as the API (and the socket) shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub channel_id: Uuid,
    pub sender_type: SenderType,
    /// The agent who wrote it (AGENT messages).
    pub sender: Option<SenderRef>,
    pub contact_id: Option<Uuid>,
    pub content: Option<String>,
    pub content_type: ContentType,
    pub attachments: Vec<AttachmentRef>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    pub external_id: Option<String>,
    pub status: MessageStatus,
    /// The provider's (or channel's) own words on the last failure, technical; shown
    /// behind "details". While retrying it says why the last attempt failed.
    pub failure_reason: Option<String>,
    /// Why delivery failed, as a stable code the UI translates: `provider_unavailable`,
    /// `provider_auth_failed`, `provider_rejected`, `no_callback_url`, `channel_disabled`,
    /// `invalid_configuration`, `unsupported_channel`, `provider_failed` (a status
    /// callback said so).
    pub failure_code: Option<String>,
    /// Delivery attempts made so far; with `maxDeliveryAttempts`, a PENDING message
    /// with attempts > 0 is being retried ("trying again, 2 of 6").
    pub delivery_attempts: i32,
    pub max_delivery_attempts: i32,
    pub is_private: bool,
    /// What an activity line (`contentType: activity`) says; absent on other messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
}

/// What kind of change an activity line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// An unassigned conversation got an agent (`agent`).
    Assigned,
    /// Another agent took over (`previousAgent` → `agent`).
    Transferred,
    /// The agent was removed (`previousAgent`).
    Unassigned,
    /// Moved to a team (`team`; none: the team was removed, `previousTeam`).
    TeamChanged,
    Resolved,
    /// Reopened by an agent, or (no `actor`) by the contact writing again.
    Reopened,
    /// OPEN ↔ PENDING (`status`).
    StatusChanged,
    /// Snoozed until `until`.
    Snoozed,
    /// The snooze ended early (an agent) or its time came (no `actor`).
    Unsnoozed,
    /// Categories `added` and `removed`.
    CategoriesChanged,
}

/// A person or team named in an activity line, as named when it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NamedRef {
    pub id: Uuid,
    pub name: String,
}

/// An activity line: who changed what. Names are kept as they were at the time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub kind: ActivityKind,
    /// Who did it; none when the system did (routing, snooze timer, the contact writing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<NamedRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<NamedRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_agent: Option<NamedRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<NamedRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_team: Option<NamedRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConversationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

impl Activity {
    pub fn new(kind: ActivityKind, actor: Option<NamedRef>) -> Self {
        Activity {
            kind,
            actor,
            agent: None,
            previous_agent: None,
            team: None,
            previous_team: None,
            status: None,
            until: None,
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

/// The assignee of a conversation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssigneeRef {
    pub id: Uuid,
    pub name: String,
}

/// A conversation as the API (and the socket) shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView {
    pub id: Uuid,
    pub status: ConversationStatus,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub assignee: Option<AssigneeRef>,
    pub team_id: Option<Uuid>,
    pub contact: ContactSummary,
    pub channel: ChannelSummary,
    pub last_message_preview: Option<String>,
    pub last_activity_at: DateTime<Utc>,
    pub last_incoming_at: Option<DateTime<Utc>>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub reopened_count: i32,
    /// Contact messages the requesting agent has not read (absent in socket events,
    /// which go to many agents at once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread_count: Option<u64>,
    pub created_at: DateTime<Utc>,
}

/// Filters for `GET /conversations`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListConversations {
    /// OPEN, PENDING or RESOLVED.
    pub status: Option<ConversationStatus>,
    pub channel_id: Option<Uuid>,
    /// An agent id, `me`, or `none` for unassigned.
    pub agent_id: Option<String>,
    pub team_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    /// Only conversations with messages the caller has not read.
    pub unread: Option<bool>,
    /// Words the contact (name, email, phone digits, identities, attribute values) or any
    /// message of the conversation has; accents and case ignored, a phone by its digits.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `{conversations, total}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConversationList {
    pub conversations: Vec<ConversationView>,
    pub total: u64,
}

/// `{conversation}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConversationEnvelope {
    pub conversation: ConversationView,
}

/// `PATCH /conversations/{id}`. `agentId`/`teamId`/`snoozedUntil`: null clears.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateConversation {
    pub status: Option<ConversationStatus>,
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub agent_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub team_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub snoozed_until: Option<Option<DateTime<Utc>>>,
}

/// `POST /conversations/bulk`: one action applied to each conversation, through the
/// same rules as `PATCH /conversations/{id}`. Give `action`, or `status` alone (the
/// older form of `{"action": {"type": "status", "status": …}}`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulkUpdate {
    #[garde(length(min = 1, max = 500))]
    pub ids: Vec<Uuid>,
    #[garde(skip)]
    #[serde(default)]
    pub action: Option<BulkAction>,
    #[garde(skip)]
    #[serde(default)]
    pub status: Option<ConversationStatus>,
}

/// What a bulk update does to each conversation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum BulkAction {
    /// Sets the status (OPEN / PENDING / RESOLVED; resolving may need a category).
    Status { status: ConversationStatus },
    /// Assigns an agent (`agentId` null unassigns).
    Assign {
        #[serde(rename = "agentId")]
        agent_id: Option<Uuid>,
    },
    /// Moves to a team (`teamId` null removes the team).
    Team {
        #[serde(rename = "teamId")]
        team_id: Option<Uuid>,
    },
    /// Snoozes until a future time (`until` null ends the snooze).
    Snooze { until: Option<DateTime<Utc>> },
}

impl BulkAction {
    /// The single-conversation change this action is.
    pub fn patch(&self) -> UpdateConversation {
        match *self {
            BulkAction::Status { status } => UpdateConversation { status: Some(status), ..Default::default() },
            BulkAction::Assign { agent_id } => UpdateConversation { agent_id: Some(agent_id), ..Default::default() },
            BulkAction::Team { team_id } => UpdateConversation { team_id: Some(team_id), ..Default::default() },
            BulkAction::Snooze { until } => UpdateConversation { snoozed_until: Some(until), ..Default::default() },
        }
    }
}

/// A conversation a bulk update could not change, with the error code a single
/// update would have answered (`not_found` for ids that are not the caller's to see).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkFailure {
    pub id: Uuid,
    pub code: String,
    pub message: String,
}

/// `{updated, succeeded, failed}`: `updated` is how many succeeded.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkResult {
    pub updated: usize,
    pub succeeded: Vec<Uuid>,
    pub failed: Vec<BulkFailure>,
}

/// Query of `GET /messages`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListMessages {
    pub conversation_id: Uuid,
    pub limit: Option<u64>,
    /// `nextCursor` of the previous page (older messages).
    pub cursor: Option<Uuid>,
}

/// `{messages, nextCursor}`: newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub messages: Vec<MessageView>,
    pub next_cursor: Option<Uuid>,
}

/// `POST /messages`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendMessage {
    #[garde(skip)]
    pub conversation_id: Uuid,
    #[garde(length(max = 8000))]
    pub content: Option<String>,
    #[garde(skip)]
    pub content_type: Option<ContentType>,
    #[garde(skip)]
    #[serde(default)]
    pub is_private: bool,
    #[garde(length(max = 10))]
    #[serde(default)]
    pub attachment_ids: Vec<Uuid>,
}

/// `{message}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MessageEnvelope {
    pub message: MessageView,
}

/// A short preview of a message for conversation lists.
pub fn preview(content: Option<&str>, content_type: ContentType) -> Option<String> {
    match content.map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => Some(text.chars().take(160).collect()),
        None if content_type != ContentType::Text => Some(format!("[{}]", content_type.as_str())),
        None => None,
    }
}

/// A normalised inbound message, whatever the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbound {
    /// Provider message id: the idempotency key within the channel.
    pub external_id: String,
    pub identity_kind: IdentityKind,
    pub identity_value: String,
    /// Profile name from the provider (WhatsApp ProfileName, Meta profile…).
    pub profile_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub content: Option<String>,
    pub content_type: ContentType,
    pub attachments: Vec<AttachmentRef>,
    pub metadata: Option<serde_json::Value>,
    pub timestamp: Option<DateTime<Utc>>,
    /// Sent from the business side (e.g. typed on the phone): stored as an agent message.
    pub is_echo: bool,
}

/// A message found by full-text search, with its conversation.
#[derive(Debug, Clone)]
pub struct FoundMessage {
    pub message: MessageView,
    pub conversation: ConversationView,
}
