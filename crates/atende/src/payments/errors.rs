//! Asaas client failures mapped to what callers see: an `AppError` for people (HTTP
//! status, stable code, Asaas' own descriptions) or a `JobError` for the queue.

use providers::asaas::AsaasError;
use reqwest::StatusCode;
use serde_json::json;

use crate::{error::AppError, jobs::JobError};

/// 429 is the only retryable answer Asaas gives with this prefix (see the client's
/// `map_error`); the variant carries no status.
fn is_rate_limit(reason: &str) -> bool {
    reason.starts_with("Asaas HTTP 429")
}

/// An Asaas failure as the API reports it to a person: a readable 422 with Asaas'
/// descriptions when it refused, 503 when it rate limits, 502 when it is down.
pub fn asaas_error(error: AsaasError) -> AppError {
    tracing::warn!(error = %error, "Asaas call failed");
    let upstream = |status, code, message: String, details| AppError::Upstream {
        status,
        code,
        message,
        details,
        retry_after_secs: None,
    };
    match error {
        AsaasError::Rejected { errors, .. } => {
            let described: Vec<&str> = errors.iter().map(|e| e.description.trim()).filter(|d| !d.is_empty()).collect();
            let message =
                if described.is_empty() { "Asaas refused the request".to_string() } else { described.join("; ") };
            upstream(StatusCode::UNPROCESSABLE_ENTITY, "asaas_rejected", message, json!({ "asaasErrors": errors }))
        }
        AsaasError::NotFound { message } => upstream(
            StatusCode::UNPROCESSABLE_ENTITY,
            "asaas_not_found",
            format!("Asaas does not know this object: {message}"),
            serde_json::Value::Null,
        ),
        AsaasError::Auth { status, message } => upstream(
            StatusCode::UNPROCESSABLE_ENTITY,
            "asaas_auth_failed",
            format!("Asaas refused the API key (HTTP {status}); check the key and the environment. {message}"),
            serde_json::Value::Null,
        ),
        AsaasError::Retryable { reason, retry_after } if is_rate_limit(&reason) => AppError::Upstream {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "asaas_rate_limited",
            message: "Asaas is limiting requests right now; try again in a moment".into(),
            details: serde_json::Value::Null,
            retry_after_secs: Some(retry_after.map_or(5, |d| d.as_secs().max(1))),
        },
        AsaasError::Retryable { .. } => upstream(
            StatusCode::BAD_GATEWAY,
            "asaas_unavailable",
            "Asaas is unavailable right now; try again in a moment".into(),
            serde_json::Value::Null,
        ),
        AsaasError::Invalid(reason) => upstream(
            StatusCode::BAD_GATEWAY,
            "asaas_bad_response",
            format!("Unexpected answer from Asaas: {reason}"),
            serde_json::Value::Null,
        ),
    }
}

/// An Asaas failure inside a background job: 429/5xx retry with backoff (honouring
/// Retry-After / RateLimit-Reset), anything else is final.
pub(super) fn job_error(error: AsaasError) -> JobError {
    match error {
        AsaasError::Retryable { reason, retry_after } => JobError::Retry { reason, after: retry_after },
        other => JobError::Fatal(other.to_string()),
    }
}
