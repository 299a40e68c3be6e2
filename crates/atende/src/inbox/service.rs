//! Inbox rules for agents: listing, assigning, resolving, reading, replying, retrying.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, Set};
use uuid::Uuid;

use super::{
    activity, attachments,
    entity::{conversation, message},
    model::{
        AttachmentRef, BulkFailure, BulkResult, BulkUpdate, ContentType, ConversationStatus, ConversationView,
        FoundMessage, ListConversations, MessagePage, MessageStatus, MessageView, SendMessage, SenderType,
        UpdateConversation, preview,
    },
    store::{self, NewMessage},
    views,
    visibility::Visibility,
};
use crate::{
    contacts,
    error::{AppError, AppResult},
    events::{self, ConversationChange, ConversationRemoval, ConversationRemoved},
    jobs::{self, JobPayload},
    state::AppState,
    tenancy::Scope,
    users,
};

/// A conversation of the caller's tenant that the caller may see (tenant setting
/// `agentVisibility`), or 404.
pub async fn conversation(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<conversation::Model> {
    let row = store::conversation_get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    if !Visibility::of(&state.db, scope).await?.sees_row(&row) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Conversations matching the filters, with the caller's unread counts.
pub async fn list(
    state: &AppState,
    scope: &Scope,
    filter: &ListConversations,
) -> AppResult<(Vec<ConversationView>, u64)> {
    if let Some(agent) = filter.agent_id.as_deref()
        && !matches!(agent, "" | "all" | "me" | "none")
        && agent.parse::<Uuid>().is_err()
    {
        return Err(AppError::BadRequest {
            code: "invalid_query",
            message: "agentId must be an id, `me` or `none`".into(),
            details: serde_json::Value::Null,
        });
    }
    let (limit, offset) = crate::http::paging(filter.limit, filter.offset);
    let contacts_matching =
        filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(|q| contacts::store::ids_matching(scope, q));
    let visibility = Visibility::of(&state.db, scope).await?;
    let (rows, total) =
        store::conversation_list(&state.db, scope, &visibility, filter, contacts_matching, limit, offset).await?;
    Ok((views::conversations(&state.db, scope, rows, Some(scope.user_id)).await?, total))
}

/// Messages whose text has every word of `query` (the last one as a prefix while it is
/// being typed), newest first, private notes included; and whether more follow.
pub async fn search_messages(
    state: &AppState,
    scope: &Scope,
    query: &str,
    limit: u64,
    offset: u64,
) -> AppResult<(Vec<FoundMessage>, bool)> {
    let query = search_text::MessageQuery::parse(query);
    let visibility = Visibility::of(&state.db, scope).await?;
    let mut hits = super::search::search(&state.db, scope, &visibility, &query, limit + 1, offset).await?;
    let more = hits.len() as u64 > limit;
    hits.truncate(limit as usize);
    let message_ids: Vec<Uuid> = hits.iter().map(|h| h.message_id).collect();
    let mut conversation_ids: Vec<Uuid> = hits.iter().map(|h| h.conversation_id).collect();
    conversation_ids.sort();
    conversation_ids.dedup();
    let rows = store::messages_get_many(&state.db, scope, &message_ids).await?;
    let conversations = store::conversations_get_many(&state.db, scope, &conversation_ids).await?;
    let conversations: HashMap<Uuid, ConversationView> =
        views::conversations(&state.db, scope, conversations, None).await?.into_iter().map(|c| (c.id, c)).collect();
    let mut messages: HashMap<Uuid, MessageView> =
        views::messages(&state.db, scope, rows).await?.into_iter().map(|m| (m.id, m)).collect();
    // In the index's order (newest first); a row deleted meanwhile is skipped.
    let found = hits
        .iter()
        .filter_map(|h| {
            let message = messages.remove(&h.message_id)?;
            let conversation = conversations.get(&message.conversation_id)?.clone();
            Some(FoundMessage { message, conversation })
        })
        .collect();
    Ok((found, more))
}

/// Tells everyone that a merge folded conversations into others: the kept ones
/// changed, the removed ones are gone. In the caller's transaction.
pub async fn record_combined(
    txn: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    combined: &[store::Combined],
) -> AppResult<()> {
    let mut out = Vec::new();
    for pair in combined {
        out.push(
            ConversationRemoved {
                tenant_id: scope.tenant_id,
                routing: views::routing(&pair.removed),
                removed: ConversationRemoval { id: pair.removed.id, merged_into: pair.kept },
            }
            .into(),
        );
        let Some(c) = store::conversation_get(txn, scope, pair.kept).await? else { continue };
        let view = views::conversation(txn, scope, c.clone(), None).await?;
        out.push(views::conversation_updated(scope, &c, &view, None, ConversationChange::Other));
    }
    if !out.is_empty() {
        events::record(txn, out).await?;
    }
    Ok(())
}

/// Changes status, assignee, team or snooze, and tells everyone.
pub async fn update(
    state: &AppState,
    scope: &Scope,
    id: Uuid,
    patch: UpdateConversation,
) -> AppResult<ConversationView> {
    let current = conversation(state, scope, id).await?;
    check_patch(state, scope, &patch).await?;
    let before = current.clone();
    let previous_status = ConversationStatus::parse(&current.status).unwrap_or(ConversationStatus::Open);
    let reopened_count = current.reopened_count;
    let now = Utc::now();
    let new_status = patch.status.unwrap_or(previous_status);
    let resolved = new_status == ConversationStatus::Resolved && previous_status != ConversationStatus::Resolved;
    let reopened = previous_status == ConversationStatus::Resolved && new_status != ConversationStatus::Resolved;
    let assignment_changed = patch.agent_id.is_some_and(|a| a != before.assignee_id) || patch.team_id.is_some();
    if resolved {
        super::categories::check_resolvable(&state.db, scope, id).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let updated = store::conversation_update(&txn, scope, current, |c| {
        if let Some(status) = patch.status {
            c.status = Set(status.as_str().into());
        }
        if resolved {
            c.resolved_at = Set(Some(now));
            c.snoozed_until = Set(None);
        }
        if reopened {
            c.resolved_at = Set(None);
            c.reopened_count = Set(reopened_count + 1);
        }
        if let Some(agent) = patch.agent_id {
            c.assignee_id = Set(agent);
        }
        if let Some(team) = patch.team_id {
            c.team_id = Set(team);
        }
        if let Some(until) = patch.snoozed_until {
            c.snoozed_until = Set(until);
        }
    })
    .await?;
    let change = if resolved || reopened {
        ConversationChange::Status { resolved, reopened }
    } else if assignment_changed {
        ConversationChange::Assignment
    } else {
        ConversationChange::Other
    };
    let view = views::conversation(&txn, scope, updated.clone(), None).await?;
    let mut out = vec![views::conversation_updated_from(scope, &before, &updated, &view, change)];
    out.extend(activity::record_change(&txn, scope, &before, &updated, now).await?);
    events::record(&txn, out).await?;
    events::commit(txn, &state.events).await?;
    views::conversation(&state.db, scope, updated, Some(scope.user_id)).await
}

/// Refuses a change naming an agent, team or snooze time that cannot be used.
async fn check_patch(state: &AppState, scope: &Scope, patch: &UpdateConversation) -> AppResult<()> {
    if let Some(Some(agent_id)) = patch.agent_id {
        let agent = users::store::get(&state.db, scope, agent_id).await?;
        if !agent.is_some_and(|a| a.active) {
            return Err(AppError::field("agentId", "is not an active user of this workspace"));
        }
    }
    if let Some(Some(team_id)) = patch.team_id
        && !crate::teams::service::exists(state, scope, team_id).await?
    {
        return Err(AppError::field("teamId", "is not a team of this workspace"));
    }
    if let Some(Some(until)) = patch.snoozed_until
        && until <= Utc::now()
    {
        return Err(AppError::field("snoozedUntil", "must be in the future"));
    }
    Ok(())
}

/// Applies one action to many conversations, each through [`update`] (its rules,
/// events and activity lines; one transaction per conversation). An unusable agent,
/// team or time refuses the whole request; a conversation that cannot be changed
/// (another tenant's or hidden: `not_found`; `category_required`…) is reported in
/// `failed` with the code a single update would have answered, and the rest go on.
pub async fn bulk(state: &AppState, scope: &Scope, input: BulkUpdate) -> AppResult<BulkResult> {
    let action = match (input.action, input.status) {
        (Some(action), None) => action,
        (None, Some(status)) => super::model::BulkAction::Status { status },
        _ => return Err(AppError::field("action", "give either `action` or `status`")),
    };
    let patch = action.patch();
    check_patch(state, scope, &patch).await?;
    let mut ids = input.ids;
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    let mut result = BulkResult { updated: 0, succeeded: Vec::new(), failed: Vec::new() };
    for id in ids {
        match update(state, scope, id, patch.clone()).await {
            Ok(_) => result.succeeded.push(id),
            Err(e) => {
                if matches!(e, AppError::Internal(_) | AppError::Unavailable(_)) {
                    tracing::error!(error = ?e, conversation = %id, "bulk update failed");
                }
                let (code, message) = e.code_and_message();
                result.failed.push(BulkFailure { id, code: code.to_string(), message });
            }
        }
    }
    result.updated = result.succeeded.len();
    Ok(result)
}

/// Marks a conversation read up to now for the caller.
pub async fn mark_read(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<()> {
    conversation(state, scope, id).await?;
    store::mark_read(&state.db, scope, id, scope.user_id, Utc::now()).await?;
    Ok(())
}

/// A page of history, newest first.
pub async fn messages(
    state: &AppState,
    scope: &Scope,
    conversation_id: Uuid,
    cursor: Option<Uuid>,
    limit: Option<u64>,
) -> AppResult<MessagePage> {
    conversation(state, scope, conversation_id).await?;
    let limit = limit.unwrap_or(50).clamp(1, 200);
    let rows = store::message_page(&state.db, scope, conversation_id, cursor, limit).await?;
    let next_cursor = if rows.len() as u64 == limit { rows.last().map(|m| m.id) } else { None };
    Ok(MessagePage { messages: views::messages(&state.db, scope, rows).await?, next_cursor })
}

/// Stores an agent message (PENDING) or private note and queues delivery; returns at once.
pub async fn send(state: &AppState, scope: &Scope, input: SendMessage) -> AppResult<MessageView> {
    let current = conversation(state, scope, input.conversation_id).await?;
    if input.content_type == Some(ContentType::Activity) {
        return Err(AppError::field("contentType", "activity lines are written by the server"));
    }
    let content = input.content.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let files = attachments::resolve(state, scope, &input.attachment_ids).await?;
    if content.is_none() && files.is_empty() {
        return Err(AppError::field("content", "a message needs text or an attachment"));
    }
    let channel = crate::channels::service::get(state, scope, current.channel_id).await?;
    if !input.is_private && !channel.enabled {
        return Err(AppError::conflict("channel_disabled", "This conversation's channel is disabled"));
    }
    let content_type = input.content_type.unwrap_or_else(|| match files.first() {
        Some(f) => attachments::content_type_of(f.mime_type.as_deref().unwrap_or_default()),
        None => ContentType::Text,
    });
    let parts = message_parts(&input, &channel, content.clone(), files);
    let now = Utc::now();
    let first_reply = !input.is_private && current.first_reply_at.is_none();
    let auto_assign = !input.is_private && current.assignee_id.is_none() && !scope.is_system();
    let before = current.clone();
    let txn = crate::db::begin_write(&state.db).await?;
    // The "took the conversation" line comes before the reply that took it.
    let mut events = Vec::new();
    if auto_assign {
        let after = conversation::Model { assignee_id: Some(scope.user_id), ..current.clone() };
        events.extend(activity::record_change(&txn, scope, &before, &after, now).await?);
    }
    let messages = store_parts(&txn, scope, &current, &input, parts, now).await?;
    let updated = store::conversation_update(&txn, scope, current, |c| {
        c.last_activity_at = Set(now);
        if !input.is_private {
            c.last_message_preview = Set(preview(content.as_deref(), content_type));
        }
        if first_reply {
            c.first_reply_at = Set(Some(now));
        }
        // Whoever answers an unassigned conversation takes it (as Chatwoot does).
        if auto_assign {
            c.assignee_id = Set(Some(scope.user_id));
        }
    })
    .await?;
    let mut views_out = views::messages(&txn, scope, messages).await?;
    events.extend(views_out.iter().map(|view| views::message_created(scope, &updated, view)));
    if auto_assign {
        let conversation_view = views::conversation(&txn, scope, updated.clone(), None).await?;
        let change = ConversationChange::Assignment;
        events.push(views::conversation_updated_from(scope, &before, &updated, &conversation_view, change));
    }
    events::record(&txn, events).await?;
    events::commit(txn, &state.events).await?;
    state.job_notify.notify_one();
    Ok(views_out.remove(0))
}

/// One message of a send: its text, files and content type.
struct Part {
    content: Option<String>,
    files: Vec<AttachmentRef>,
    content_type: ContentType,
}

/// WhatsApp and Meta carry one file per message: a send with several files becomes
/// one message per file (the text rides with the first), each with its own status.
fn message_parts(
    input: &SendMessage,
    channel: &crate::channels::entity::Model,
    content: Option<String>,
    files: Vec<AttachmentRef>,
) -> Vec<Part> {
    let one_file_per_message = !input.is_private
        && files.len() > 1
        && crate::channels::model::ChannelType::parse(&channel.channel_type)
            != Some(crate::channels::model::ChannelType::Api);
    let type_of = |files: &[AttachmentRef]| match (input.content_type, files.first()) {
        (Some(explicit), _) if !one_file_per_message => explicit,
        (_, Some(f)) => attachments::content_type_of(f.mime_type.as_deref().unwrap_or_default()),
        (explicit, None) => explicit.unwrap_or(ContentType::Text),
    };
    if !one_file_per_message {
        let content_type = type_of(&files);
        return vec![Part { content, files, content_type }];
    }
    files
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let files = vec![f];
            Part { content: (i == 0).then(|| content.clone()).flatten(), content_type: type_of(&files), files }
        })
        .collect()
}

/// Stores a send's messages, links their files and queues their delivery.
async fn store_parts(
    txn: &DatabaseTransaction,
    scope: &Scope,
    current: &conversation::Model,
    input: &SendMessage,
    parts: Vec<Part>,
    now: DateTime<Utc>,
) -> AppResult<Vec<message::Model>> {
    let mut messages = Vec::with_capacity(parts.len());
    for part in parts {
        let new = NewMessage {
            conversation_id: current.id,
            channel_id: current.channel_id,
            sender_type: SenderType::Agent.as_str(),
            sender_user_id: Some(scope.user_id),
            contact_id: None,
            content: part.content,
            content_type: part.content_type.as_str(),
            attachments: (!part.files.is_empty()).then(|| serde_json::to_value(&part.files).unwrap_or_default()),
            metadata: None,
            external_id: None,
            // Private notes never leave; they are final as stored.
            status: if input.is_private { MessageStatus::Sent } else { MessageStatus::Pending },
            is_private: input.is_private,
            at: now,
        };
        let message = store::message_insert(txn, scope, new).await?;
        let ids: Vec<Uuid> = part.files.iter().filter_map(|f| f.id).collect();
        store::attachments_link(txn, scope, &ids, message.id).await?;
        if !input.is_private {
            let job = JobPayload::DeliverMessage { message_id: message.id };
            jobs::enqueue(txn, Some(scope.tenant_id), &job, None).await?;
        }
        messages.push(message);
    }
    Ok(messages)
}

/// Queues a FAILED agent message again.
pub async fn retry(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<MessageView> {
    let message = store::message_get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    if message.sender_type != SenderType::Agent.as_str() || message.is_private {
        return Err(AppError::conflict("not_retryable", "Only agent messages can be retried"));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    if !store::message_requeue_failed(&txn, scope, id).await? {
        return Err(AppError::conflict("not_failed", "Only failed messages can be retried"));
    }
    jobs::enqueue(&txn, Some(scope.tenant_id), &JobPayload::DeliverMessage { message_id: id }, None).await?;
    let message = store::message_get(&txn, scope, id).await?.ok_or(AppError::NotFound)?;
    let c = store::conversation_get(&txn, scope, message.conversation_id).await?.ok_or(AppError::NotFound)?;
    let view = views::message(&txn, scope, message).await?;
    events::record(&txn, vec![views::status_updated(scope, &c, &view)]).await?;
    events::commit(txn, &state.events).await?;
    state.job_notify.notify_one();
    Ok(view)
}

/// Ends snoozes whose time has come (every tenant), telling each tenant's agents.
pub async fn wake_snoozed(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let due = store::platform_snoozed_due(&state.db, now).await?;
    let count = due.len();
    for c in due {
        let scope = Scope::system(c.tenant_id);
        let before = c.clone();
        let txn = crate::db::begin_write(&state.db).await?;
        let updated = store::conversation_update(&txn, &scope, c, |c| c.snoozed_until = Set(None)).await?;
        let view = views::conversation(&txn, &scope, updated.clone(), None).await?;
        let mut out = vec![views::conversation_updated(&scope, &updated, &view, None, ConversationChange::Other)];
        out.extend(activity::record_change(&txn, &scope, &before, &updated, now).await?);
        events::record(&txn, out).await?;
        events::commit(txn, &state.events).await?;
    }
    Ok(count)
}
