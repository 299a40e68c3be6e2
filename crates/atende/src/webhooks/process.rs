//! The `process_webhook` job: parse a stored event with its provider's parser and apply
//! it to the inbox. Safe to run twice (ingest is idempotent by provider message id).

use uuid::Uuid;

use super::{api::ApiInbound, store};
use crate::{app::AppState, channels, inbox::ingest, jobs::JobError, tenancy::Scope};

pub async fn process_event(state: &AppState, event_id: Uuid) -> Result<(), JobError> {
    let Some(event) = store::platform_get(&state.db, event_id).await? else { return Ok(()) };
    if event.status == "processed" {
        return Ok(());
    }
    let scope = Scope::system(event.tenant_id);
    let channel = channels::store::get(&state.db, &scope, event.channel_id)
        .await?
        .ok_or_else(|| JobError::Fatal("channel of event not found".into()))?;
    let result = match event.provider.as_str() {
        "api" => match ApiInbound::parse(event.payload.as_bytes()) {
            Ok(parsed) => {
                ingest::ingest(state, &channel, parsed.into_inbound()).await.map(|_| ()).map_err(JobError::from)
            }
            Err(e) => Err(JobError::Fatal(format!("unparseable event: {e}"))),
        },
        other => Err(JobError::Fatal(format!("no processor for provider {other}"))),
    };
    match &result {
        Ok(()) => store::finish(&state.db, event.id, None).await?,
        Err(JobError::Fatal(reason)) => store::finish(&state.db, event.id, Some(reason)).await?,
        Err(JobError::Retry { .. }) => {}
    }
    result
}
