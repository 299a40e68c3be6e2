//! The inbox's side of a contact merge or erasure: contacts reach it through the
//! `contacts::records::ContactRecords` port (the wiring provides this implementation),
//! since contacts cannot depend on the inbox.

use async_trait::async_trait;
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::{attachments, service, store};
use crate::{
    contacts::{
        model::CombinedConversation,
        records::{ContactRecords, ErasedRecords},
    },
    error::AppResult,
    state::AppState,
    tenancy::Scope,
};

/// Conversations, messages and their files, as records of a contact.
pub struct InboxRecords;

#[async_trait]
impl ContactRecords for InboxRecords {
    async fn reassign(
        &self,
        txn: &DatabaseTransaction,
        scope: &Scope,
        from: Uuid,
        to: Uuid,
    ) -> AppResult<Vec<CombinedConversation>> {
        store::reassign_contact(txn, scope, from, to).await?;
        let combined = store::combine_unresolved(txn, scope, to).await?;
        service::record_combined(txn, scope, &combined).await?;
        Ok(combined.into_iter().map(|c| CombinedConversation { kept_id: c.kept, removed_id: c.removed.id }).collect())
    }

    async fn erase(&self, txn: &DatabaseTransaction, scope: &Scope, contact_id: Uuid) -> AppResult<ErasedRecords> {
        let erased = store::erase_for_contact(txn, scope, contact_id).await?;
        Ok(ErasedRecords { conversations: erased.conversations, messages: erased.messages, files: erased.storage_keys })
    }

    async fn remove_files(&self, state: &AppState, keys: &[String]) {
        for key in keys {
            attachments::remove_file(state, key).await;
        }
    }
}
