//! `webhook_events` table: raw provider deliveries, stored before they are acknowledged.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub channel_id: Uuid,
    pub provider: String,
    /// Provider event or message id: the dedupe key within the channel.
    pub event_key: String,
    pub payload: String,
    pub content_type: Option<String>,
    /// received | processed | failed
    pub status: String,
    pub error: Option<String>,
    pub received_at: DateTimeUtc,
    pub processed_at: Option<DateTimeUtc>,
    /// The events of this delivery, parsed once at the webhook (`Vec<Normalized>` as
    /// JSON); empty on rows stored before the pipeline kept them (parsed on apply).
    pub normalized: Option<String>,
    /// Partition of the sender: one sender's events are applied in order, by one lane.
    pub lane_hash: i64,
    pub attempts: i32,
    /// Not applied before this (a retry after a failure, or a status that arrived
    /// before the send recorded its message).
    pub next_attempt_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
