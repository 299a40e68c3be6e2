//! What other domains keep about a contact (conversations, messages, files), reached
//! through a port the wiring (`app.rs`) provides. The inbox depends on contacts (lead
//! capture), so contacts must not call the inbox: a merge or an erasure asks this port
//! to move or delete the person's records, inside the same transaction.

use std::sync::Arc;

use async_trait::async_trait;
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::model::CombinedConversation;
use crate::{error::AppResult, state::AppState, tenancy::Scope};

/// What an erasure removed elsewhere.
#[derive(Debug, Clone, Default)]
pub struct ErasedRecords {
    pub conversations: u64,
    pub messages: u64,
    /// Stored files to delete once the erasure committed.
    pub files: Vec<String>,
}

/// The records other domains hold about contacts.
#[async_trait]
pub trait ContactRecords: Send + Sync {
    /// Moves every record of `from` onto `to` (a merge). Two unresolved conversations
    /// of the person on one channel become one (the older keeps both histories); the
    /// result says which.
    async fn reassign(
        &self,
        txn: &DatabaseTransaction,
        scope: &Scope,
        from: Uuid,
        to: Uuid,
    ) -> AppResult<Vec<CombinedConversation>>;
    /// Deletes every record of a contact (an erasure).
    async fn erase(&self, txn: &DatabaseTransaction, scope: &Scope, contact_id: Uuid) -> AppResult<ErasedRecords>;
    /// Deletes stored files after the erasure committed (a leftover file is harmless,
    /// a missing row is not).
    async fn remove_files(&self, state: &AppState, keys: &[String]);
}

/// The port as handlers receive it (an axum `Extension` set by the wiring).
pub type Records = Arc<dyn ContactRecords>;
