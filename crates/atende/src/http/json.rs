//! Extractors whose rejections speak our error format (`AppError`), naming the field.

use axum::{
    extract::{FromRequest, FromRequestParts, Request, rejection::JsonRejection},
    http::{StatusCode, request::Parts},
};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::AppError;

/// `axum::Json` with our error shape: malformed JSON → 400 `malformed_json`, wrong
/// types or missing fields → 422 `validation_failed`, too large → 413.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    let text = rejection.body_text();
    match rejection {
        JsonRejection::JsonDataError(_) => {
            // axum reports the failing path first: "…target type: email: invalid type…".
            let detail = text.split_once("target type: ").map(|(_, rest)| rest.to_string()).unwrap_or(text);
            let field = detail.split(": ").next().filter(|f| !f.contains(' ')).unwrap_or("body").to_string();
            AppError::Validation { message: detail.clone(), details: json!({ field: [detail] }) }
        }
        JsonRejection::JsonSyntaxError(_) => {
            AppError::BadRequest { code: "malformed_json", message: text, details: serde_json::Value::Null }
        }
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        other => {
            AppError::BadRequest { code: "bad_request", message: other.body_text(), details: serde_json::Value::Null }
        }
    }
}

/// Path parameters; a malformed id is a 404 (it names nothing that exists).
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| AppError::NotFound)
    }
}

/// Query string; a bad value is a 400 `invalid_query` naming it.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|rejection| AppError::BadRequest {
                code: "invalid_query",
                message: rejection.body_text(),
                details: serde_json::Value::Null,
            })
    }
}

/// Clamps paging parameters: default 50, at most 200.
pub fn paging(limit: Option<u64>, offset: Option<u64>) -> (u64, u64) {
    (limit.unwrap_or(50).clamp(1, 200), offset.unwrap_or(0))
}

/// For PATCH fields where `null` means "clear" and absence means "keep":
/// use with `#[serde(default, deserialize_with = "…double_option")]`.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
