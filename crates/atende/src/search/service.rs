//! Global search: the contacts' search, the inbox's conversation filter and its message
//! index, queried with the same text and shown with the matches marked.

use search_text::{Matching, contact_terms, highlight, snippet};

use super::model::{
    ContactHit, ConversationHit, MessageHit, MoreResults, SearchKind, SearchQuery, SearchResults, TextPart,
};
use crate::{
    contacts::{self, store::ContactFilter},
    error::{AppError, AppResult},
    inbox::{self, model::ListConversations},
    state::AppState,
    tenancy::Scope,
};

/// Longest query accepted.
const MAX_QUERY_CHARS: usize = 200;
/// Characters of message text shown around a match.
const SNIPPET_CHARS: usize = 120;

fn parts(parts: Vec<search_text::Part>) -> Vec<TextPart> {
    parts.into_iter().map(TextPart::from).collect()
}

/// Runs the search for the kinds asked.
pub async fn search(state: &AppState, scope: &Scope, query: &SearchQuery) -> AppResult<SearchResults> {
    let q = query.q.trim();
    if q.is_empty() {
        return Err(AppError::field("q", "must not be blank"));
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::field("q", format!("must be at most {MAX_QUERY_CHARS} characters")));
    }
    let kind = query.kind.unwrap_or_default();
    let default_limit = if kind == SearchKind::All { 5 } else { 20 };
    let limit = query.limit.unwrap_or(default_limit).clamp(1, 50);
    let offset = query.offset.unwrap_or(0);
    let wants = |k: SearchKind| kind == SearchKind::All || kind == k;
    let terms = contact_terms(q);
    let mut results = SearchResults { more: MoreResults::default(), ..Default::default() };

    if wants(SearchKind::Contacts) {
        let filter = ContactFilter { search: Some(q), ..Default::default() };
        let (contacts, total) = contacts::service::list(state, scope, filter, limit, offset).await?;
        results.more.contacts = offset + (contacts.len() as u64) < total;
        results.contacts = contacts
            .into_iter()
            .map(|c| {
                let summary = contacts::model::ContactSummary {
                    id: c.id,
                    name: c.name.clone(),
                    phone: c.phone.clone(),
                    email: c.email.clone(),
                };
                ContactHit {
                    name: parts(highlight(&c.name, &terms, Matching::Substring)),
                    detail: detail(&summary, &terms),
                    contact: summary,
                }
            })
            .collect();
    }
    if wants(SearchKind::Conversations) {
        let filter = ListConversations {
            q: Some(q.to_string()),
            limit: Some(limit),
            offset: Some(offset),
            ..Default::default()
        };
        let (conversations, total) = inbox::service::list(state, scope, &filter).await?;
        results.more.conversations = offset + (conversations.len() as u64) < total;
        results.conversations = conversations
            .into_iter()
            .map(|c| ConversationHit {
                title: parts(highlight(&c.contact.name, &terms, Matching::Substring)),
                conversation: c,
            })
            .collect();
    }
    if wants(SearchKind::Messages) {
        let words = search_text::MessageQuery::parse(&query.q);
        // Untrimmed: a trailing space means the last word is complete (not a prefix).
        let (found, more) = inbox::service::search_messages(state, scope, &query.q, limit, offset).await?;
        results.more.messages = more;
        results.messages = found
            .into_iter()
            .map(|f| MessageHit {
                message_id: f.message.id,
                conversation_id: f.message.conversation_id,
                contact: f.conversation.contact,
                channel: f.conversation.channel,
                sender_type: f.message.sender_type,
                is_private: f.message.is_private,
                created_at: f.message.created_at,
                snippet: parts(snippet(
                    f.message.content.as_deref().unwrap_or_default(),
                    &words.terms,
                    Matching::WordStart,
                    SNIPPET_CHARS,
                )),
            })
            .collect();
    }
    Ok(results)
}

/// The phone or email that matched, else whichever the contact has.
fn detail(contact: &contacts::model::ContactSummary, terms: &[String]) -> Vec<TextPart> {
    let candidates = [contact.phone.as_deref(), contact.email.as_deref()];
    for text in candidates.into_iter().flatten() {
        // Phones are stored as E.164 (`+5511…`), so a digits term marks them as they are.
        let marked = parts(highlight(text, terms, Matching::Substring));
        if marked.iter().any(|p| p.hit) {
            return marked;
        }
    }
    candidates
        .into_iter()
        .flatten()
        .next()
        .map(|t| vec![TextPart { text: t.to_string(), hit: false }])
        .unwrap_or_default()
}
