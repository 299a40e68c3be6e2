//! The `productivity` outbox subscriber: a login opens its work session, a logout or
//! revocation closes it. Idempotent: a replayed login finds its session already
//! measured; a replayed logout finds nothing open.

use super::{presence::EndReason, service};
use crate::{
    events::{
        DomainEvent, RevokeReason,
        dispatcher::{StartAt, Subscriber},
        outbox::StoredEvent,
    },
    state::AppState,
};

pub struct Projector {
    pub state: AppState,
}

#[async_trait::async_trait]
impl Subscriber for Projector {
    fn name(&self) -> &'static str {
        "productivity"
    }

    fn start_at(&self) -> StartAt {
        StartAt::Beginning
    }

    async fn handle(&self, events: &[StoredEvent]) -> anyhow::Result<()> {
        for stored in events {
            match &stored.event {
                DomainEvent::AgentSignedIn(e) => {
                    service::signed_in(&self.state, e.tenant_id, e.user_id, e.session_id, e.at, e.expires_at).await?;
                }
                DomainEvent::AccessRevoked(e) => {
                    let why = match e.reason {
                        RevokeReason::Logout => EndReason::Logout,
                        RevokeReason::AccessRevoked
                        | RevokeReason::TenantSuspended
                        | RevokeReason::Idle
                        | RevokeReason::Expired => EndReason::Forced,
                    };
                    let at = e.at.unwrap_or(stored.created_at);
                    service::access_ended(&self.state, e.tenant_id, e.user_id, e.session_id, why, at).await?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}
