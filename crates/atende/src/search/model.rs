//! API shapes of the global search.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    channels::model::ChannelSummary,
    contacts::model::ContactSummary,
    inbox::model::{ConversationView, SenderType},
};

/// What to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// A few of each (the palette).
    #[default]
    All,
    Contacts,
    Conversations,
    Messages,
}

/// `GET /search`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What the user typed (1-200 characters): accents and case are ignored, a phone
    /// matches by its digits, the last word of a message search is a prefix.
    pub q: String,
    #[param(inline)]
    pub kind: Option<SearchKind>,
    /// Results per kind: 5 by default for `all`, 20 for one kind; at most 50.
    pub limit: Option<u64>,
    /// Skips this many results of the kind (paging one kind at a time).
    pub offset: Option<u64>,
}

/// A piece of a text; `hit` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TextPart {
    pub text: String,
    pub hit: bool,
}

impl From<search_text::Part> for TextPart {
    fn from(p: search_text::Part) -> Self {
        TextPart { text: p.text, hit: p.hit }
    }
}

/// A contact found.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactHit {
    pub contact: ContactSummary,
    /// The name, matches marked.
    pub name: Vec<TextPart>,
    /// The phone or email that matched (or the phone, else the email), matches marked.
    pub detail: Vec<TextPart>,
}

/// A conversation found (by its contact or one of its messages).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationHit {
    pub conversation: ConversationView,
    /// The contact's name, matches marked.
    pub title: Vec<TextPart>,
}

/// A message found: where it is and the text around the match.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageHit {
    pub message_id: Uuid,
    pub conversation_id: Uuid,
    pub contact: ContactSummary,
    pub channel: ChannelSummary,
    pub sender_type: SenderType,
    /// A private note (only the workspace's agents ever see these).
    pub is_private: bool,
    pub created_at: DateTime<Utc>,
    /// About 120 characters around the first match, matches marked.
    pub snippet: Vec<TextPart>,
}

/// Whether a kind has more results after this page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct MoreResults {
    pub contacts: bool,
    pub conversations: bool,
    pub messages: bool,
}

/// `{contacts, conversations, messages, more}`: kinds not asked for are empty.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SearchResults {
    pub contacts: Vec<ContactHit>,
    pub conversations: Vec<ConversationHit>,
    pub messages: Vec<MessageHit>,
    pub more: MoreResults,
}
