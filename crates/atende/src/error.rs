//! One error type for the whole API: `{"error":{"code","message","details"}}` with a
//! stable snake_case code. The cause is logged; the client gets the code.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::{DbErr, SqlErr};
use serde_json::{Value, json};

/// Every failure a request can end in.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String, details: Value },
    #[error("validation failed")]
    Validation { message: String, details: Value },
    /// A 422 with its own stable code (a rule, not a malformed field).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String, details: Value },
    #[error("authentication required")]
    Unauthorized,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("invalid webhook signature")]
    InvalidSignature,
    #[error("workspace suspended")]
    TenantSuspended,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String, details: Value },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable(String),
    /// An external provider (Asaas) refused or failed: 422 with its reason, 502/503 when
    /// it is down or rate limiting.
    #[error("{message}")]
    Upstream { status: StatusCode, code: &'static str, message: String, details: Value, retry_after_secs: Option<u64> },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Validation { message: format!("{field}: {message}"), details: json!({ field: [message] }) }
    }

    /// A 422 with a stable code, naming the field it is about.
    pub fn unprocessable(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Unprocessable { code, message: format!("{field}: {message}"), details: json!({ field: [message] }) }
    }

    /// A 409 with a stable code.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict { code, message: message.into(), details: Value::Null }
    }

    /// A 409 that also tells the client what it collided with (e.g. `{contactId}`).
    pub fn conflict_with(code: &'static str, message: impl Into<String>, details: Value) -> Self {
        AppError::Conflict { code, message: message.into(), details }
    }

    /// The stable code and message a client would get for this error.
    pub fn code_and_message(&self) -> (&'static str, String) {
        let (_, code, message, _) = self.parts();
        (code, message)
    }

    fn parts(&self) -> (StatusCode, &'static str, String, Value) {
        match self {
            AppError::BadRequest { code, message, details } => {
                (StatusCode::BAD_REQUEST, code, message.clone(), details.clone())
            }
            AppError::Validation { message, details } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", message.clone(), details.clone())
            }
            AppError::Unprocessable { code, message, details } => {
                (StatusCode::UNPROCESSABLE_ENTITY, code, message.clone(), details.clone())
            }
            AppError::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "unauthorized", "Authentication required".into(), Value::Null)
            }
            AppError::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "Workspace, email or password is wrong".into(),
                Value::Null,
            ),
            AppError::InvalidSignature => (
                StatusCode::UNAUTHORIZED,
                "invalid_signature",
                "The webhook signature is missing or wrong".into(),
                Value::Null,
            ),
            AppError::TenantSuspended => {
                (StatusCode::FORBIDDEN, "tenant_suspended", "This workspace is suspended".into(), Value::Null)
            }
            AppError::Forbidden => {
                (StatusCode::FORBIDDEN, "forbidden", "Your role does not allow this".into(), Value::Null)
            }
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found".into(), Value::Null),
            AppError::Conflict { code, message, details } => {
                (StatusCode::CONFLICT, code, message.clone(), details.clone())
            }
            AppError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "Request body is too large".into(), Value::Null)
            }
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Expected Content-Type: application/json".into(),
                Value::Null,
            ),
            AppError::RateLimited { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many attempts; retry in {retry_after_secs} s"),
                json!({ "retryAfter": retry_after_secs }),
            ),
            AppError::Unavailable(what) => {
                (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable", what.clone(), Value::Null)
            }
            AppError::Upstream { status, code, message, details, .. } => {
                (*status, code, message.clone(), details.clone())
            }
            AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong".into(), Value::Null)
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, details) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = ?self, code, "request failed");
        } else {
            tracing::debug!(code, %message, "request rejected");
        }
        let body = json!({ "error": { "code": code, "message": message, "details": details } });
        let mut response = (status, axum::Json(body)).into_response();
        let retry_after = match self {
            AppError::RateLimited { retry_after_secs } => Some(retry_after_secs),
            AppError::Upstream { retry_after_secs, .. } => retry_after_secs,
            _ => None,
        };
        if let Some(retry_after_secs) = retry_after
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::debug!(%detail, "unique constraint");
                AppError::conflict("already_exists", "A record with these values already exists")
            }
            Some(SqlErr::ForeignKeyConstraintViolation(detail)) => {
                tracing::debug!(%detail, "foreign key");
                AppError::field("id", "refers to a record that does not exist")
            }
            _ => match err {
                DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => AppError::Unavailable("Database unavailable".into()),
                other => AppError::Internal(other.into()),
            },
        }
    }
}

impl From<garde::Report> for AppError {
    fn from(report: garde::Report) -> Self {
        let mut details = serde_json::Map::new();
        let mut first = None;
        for (path, error) in report.iter() {
            let field = camel_case(&path.to_string());
            let message = error.message().to_string();
            first.get_or_insert_with(|| format!("{field}: {message}"));
            if let Some(list) = details.entry(field).or_insert_with(|| Value::Array(Vec::new())).as_array_mut() {
                list.push(Value::String(message));
            }
        }
        AppError::Validation {
            message: first.unwrap_or_else(|| "invalid input".into()),
            details: Value::Object(details),
        }
    }
}

/// garde reports Rust field names; the API speaks camelCase.
fn camel_case(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut upper = false;
    for c in path.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Result alias for handlers and services.
pub type AppResult<T> = Result<T, AppError>;
