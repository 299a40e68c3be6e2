//! Files agents attach to messages: uploaded with multipart, stored under the data
//! folder (an object store can replace `storage_path` later), served tenant-scoped.

use axum::{
    body::Body,
    extract::{Multipart, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    model::{AttachmentRef, ContentType},
    store,
};
use crate::{
    error::{AppError, AppResult},
    http::Path,
    state::AppState,
    tenancy::Scope,
};

/// Largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

const ALLOWED_PREFIXES: &[&str] = &["image/", "audio/", "video/"];
const ALLOWED_TYPES: &[&str] = &[
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/zip",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// The message content type a file's MIME type suggests.
pub fn content_type_of(mime: &str) -> ContentType {
    match mime.split('/').next().unwrap_or_default() {
        "image" => ContentType::Image,
        "audio" => ContentType::Audio,
        "video" => ContentType::Video,
        _ => ContentType::File,
    }
}

/// `{attachment}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentEnvelope {
    pub attachment: AttachmentView,
}

/// An uploaded file.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentView {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub url: String,
    pub created_at: DateTime<Utc>,
}

fn url_of(id: Uuid) -> String {
    format!("/api/v1/attachments/{id}")
}

/// Deletes a stored file (erasure); a missing file is not an error.
pub async fn remove_file(state: &AppState, key: &str) {
    if let Err(e) = tokio::fs::remove_file(storage_path(state, key)).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "could not delete an erased attachment's file");
    }
}

fn storage_path(state: &AppState, key: &str) -> std::path::PathBuf {
    state.config.data_dir.join("uploads").join(key)
}

/// Uploads one file (multipart field `file`), up to 25 MiB.
#[utoipa::path(post, path = "/attachments", tag = "inbox", request_body(content_type = "multipart/form-data", content = String),
    responses((status = 201, body = AttachmentEnvelope), (status = 413), (status = 422)))]
pub async fn upload(
    State(state): State<AppState>,
    scope: Scope,
    mut multipart: Multipart,
) -> AppResult<impl IntoResponse> {
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = sanitize(field.file_name().unwrap_or("file"));
        let content_type = field.content_type().unwrap_or("application/octet-stream").to_ascii_lowercase();
        if !ALLOWED_PREFIXES.iter().any(|p| content_type.starts_with(p))
            && !ALLOWED_TYPES.contains(&content_type.as_str())
        {
            return Err(AppError::field("file", format!("type {content_type} is not allowed")));
        }
        let bytes = field.bytes().await.map_err(multipart_error)?;
        if bytes.is_empty() {
            return Err(AppError::field("file", "is empty"));
        }
        let id = Uuid::now_v7();
        let key = format!("{}/{}", scope.tenant_id, id);
        let path = storage_path(&state, &key);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::Internal(e.into()))?;
        }
        tokio::fs::write(&path, &bytes).await.map_err(|e| AppError::Internal(e.into()))?;
        let row = store::attachment_insert(
            &state.db,
            &scope,
            store::NewAttachment { id, file_name, content_type, size_bytes: bytes.len() as i64, storage_key: key },
        )
        .await?;
        let view = AttachmentView {
            id: row.id,
            url: url_of(row.id),
            file_name: row.file_name,
            content_type: row.content_type,
            size: row.size_bytes as u64,
            created_at: row.created_at,
        };
        return Ok((StatusCode::CREATED, axum::Json(AttachmentEnvelope { attachment: view })));
    }
    Err(AppError::field("file", "is required (multipart field `file`)"))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest { code: "malformed_multipart", message: e.body_text(), details: serde_json::Value::Null }
    }
}

fn sanitize(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("file");
    let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    if clean.trim().is_empty() { "file".into() } else { clean }
}

/// Downloads an attachment of the caller's tenant.
#[utoipa::path(get, path = "/attachments/{id}", tag = "inbox", params(("id" = Uuid, Path)),
    responses((status = 200, description = "the file"), (status = 404)))]
pub async fn download(State(state): State<AppState>, scope: Scope, Path(id): Path<Uuid>) -> AppResult<Response> {
    let row = store::attachment_get(&state.db, &scope, id).await?.ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(storage_path(&state, &row.storage_key)).await.map_err(|_| AppError::NotFound)?;
    let disposition = format!("inline; filename=\"{}\"", row.file_name.replace('"', ""));
    Ok((
        [
            (header::CONTENT_TYPE, row.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, max-age=3600".into()),
        ],
        Body::from(bytes),
    )
        .into_response())
}

/// The caller's uploaded, not yet used attachments as message references.
pub async fn resolve(state: &AppState, scope: &Scope, ids: &[Uuid]) -> AppResult<Vec<AttachmentRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = store::attachments_unused(&state.db, scope, ids).await?;
    if rows.len() != ids.len() {
        return Err(AppError::field("attachmentIds", "unknown or already used attachment"));
    }
    Ok(rows
        .into_iter()
        .map(|r| AttachmentRef {
            id: Some(r.id),
            url: url_of(r.id),
            mime_type: Some(r.content_type),
            file_name: Some(r.file_name),
            size: Some(r.size_bytes as u64),
        })
        .collect())
}

/// How long a signed public media link stays valid (providers fetch at send time;
/// Meta may fetch again when `is_reusable`).
const PUBLIC_LINK_SECS: i64 = 7 * 24 * 3600;

fn media_signature(state: &AppState, id: Uuid, expires: i64) -> String {
    use hmac::Mac;
    let key = state.master_key.derive("atende/media/v1");
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("{id}.{expires}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A signed, expiring URL of an uploaded file that a provider can fetch without a
/// session (Twilio `MediaUrl`, Meta attachment `url`, Z-API `image`/`document`).
pub fn public_url(state: &AppState, id: Uuid) -> String {
    let expires = state.now().timestamp() + PUBLIC_LINK_SECS;
    format!("{}/media/{id}/{expires}/{}", state.config.public_url(), media_signature(state, id, expires))
}

/// `GET /media/{id}/{expires}/{signature}`: the file behind a signed public link.
pub async fn public_download(
    State(state): State<AppState>,
    Path((id, expires, signature)): Path<(Uuid, i64, String)>,
) -> AppResult<Response> {
    use subtle::ConstantTimeEq;
    let expected = media_signature(&state, id, expires);
    let valid: bool = expected.as_bytes().ct_eq(signature.as_bytes()).into();
    if !valid || expires < state.now().timestamp() {
        return Err(AppError::NotFound);
    }
    let row = super::store::platform_attachment_get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(storage_path(&state, &row.storage_key)).await.map_err(|_| AppError::NotFound)?;
    let disposition = format!("inline; filename=\"{}\"", row.file_name.replace('"', ""));
    Ok((
        [
            (header::CONTENT_TYPE, row.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "public, max-age=3600".into()),
        ],
        Body::from(bytes),
    )
        .into_response())
}
