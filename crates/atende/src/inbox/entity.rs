//! `conversations`, `messages`, `conversation_reads` and `attachments` tables.

pub mod conversation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "conversations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub contact_id: Uuid,
        pub channel_id: Uuid,
        /// OPEN | PENDING | RESOLVED
        pub status: String,
        pub snoozed_until: Option<DateTimeUtc>,
        pub assignee_id: Option<Uuid>,
        pub team_id: Option<Uuid>,
        pub last_message_preview: Option<String>,
        pub last_activity_at: DateTimeUtc,
        pub last_incoming_at: Option<DateTimeUtc>,
        pub first_reply_at: Option<DateTimeUtc>,
        pub resolved_at: Option<DateTimeUtc>,
        pub reopened_count: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod message {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "messages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub conversation_id: Uuid,
        pub channel_id: Uuid,
        /// CONTACT | AGENT | SYSTEM
        pub sender_type: String,
        pub sender_user_id: Option<Uuid>,
        pub contact_id: Option<Uuid>,
        pub content: Option<String>,
        pub content_type: String,
        pub attachments: Option<Json>,
        pub metadata: Option<Json>,
        pub external_id: Option<String>,
        /// PENDING | SENT | DELIVERED | READ | FAILED
        pub status: String,
        pub failure_reason: Option<String>,
        /// Delivery attempts made so far (agent messages).
        pub delivery_attempts: i32,
        /// Why delivery failed, as a stable code the UI translates (`failure_reason`
        /// keeps the provider's words).
        pub failure_code: Option<String>,
        pub is_private: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
        pub delivered_at: Option<DateTimeUtc>,
        pub read_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod read_marker {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "conversation_reads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub conversation_id: Uuid,
        pub user_id: Uuid,
        pub last_read_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attachment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub uploaded_by: Option<Uuid>,
        pub message_id: Option<Uuid>,
        pub file_name: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub storage_key: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
