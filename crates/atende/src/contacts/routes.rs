//! `/api/v1/contacts`: any member reads, agents and up edit, admins delete,
//! managers and up import and export.

use axum::{
    Extension,
    body::Bytes,
    extract::{DefaultBodyLimit, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
};
use garde::Validate;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    import_export, merge,
    model::{
        ContactEnvelope, ContactList, CreateContact, CreateNote, ExportContacts, ImportReport, ListContacts,
        MergeContacts, MergedContact, NoteEnvelope, NoteList, UpdateContact,
    },
    records::Records,
    service,
    store::ContactFilter,
};
use crate::{
    error::{AppError, AppResult},
    http::{Json, Path, Query, paging},
    state::AppState,
    tenancy::{Role, Scope},
};

/// CSV imports may be larger than JSON bodies.
pub const IMPORT_BODY_LIMIT: usize = 5 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(export_contacts))
        .routes(routes!(get_contact, update_contact, delete_contact))
        .routes(routes!(merge_contacts))
        .routes(routes!(list_notes, create_note))
        .routes(routes!(delete_note))
        // The innermost DefaultBodyLimit wins, so this overrides the app-wide JSON limit.
        .merge(OpenApiRouter::new().routes(routes!(import_contacts)).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)))
}

/// Contacts of the workspace, newest activity first.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ListContacts),
    responses((status = 200, body = ContactList)))]
pub async fn list_contacts(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<ListContacts>,
) -> AppResult<axum::Json<ContactList>> {
    let (limit, offset) = paging(filter.limit, filter.offset);
    let filter_by = ContactFilter { search: filter.search.as_deref(), lead_status: filter.lead_status };
    let (contacts, total) = service::list(&state, &scope, filter_by, limit, offset).await?;
    Ok(axum::Json(ContactList { contacts, total }))
}

/// Creates a contact; its phone and email also identify it for inbound messages.
#[utoipa::path(post, path = "/contacts", tag = "contacts", request_body = CreateContact,
    responses((status = 201, body = ContactEnvelope), (status = 409, description = "contact_exists, details.contactId"),
        (status = 422)))]
pub async fn create_contact(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<CreateContact>,
) -> AppResult<impl IntoResponse> {
    scope.require(Role::Agent)?;
    body.validate()?;
    let contact = service::create(&state, &scope, body).await?;
    Ok((StatusCode::CREATED, axum::Json(ContactEnvelope { contact })))
}

/// One contact.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContactEnvelope), (status = 404)))]
pub async fn get_contact(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ContactEnvelope>> {
    Ok(axum::Json(ContactEnvelope { contact: service::get(&state, &scope, id).await? }))
}

/// Edits a contact; `customAttributes` merges (a `null` value removes its key).
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = UpdateContact,
    responses((status = 200, body = ContactEnvelope), (status = 404), (status = 409), (status = 422)))]
pub async fn update_contact(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateContact>,
) -> AppResult<axum::Json<ContactEnvelope>> {
    scope.require(Role::Agent)?;
    body.validate()?;
    Ok(axum::Json(ContactEnvelope { contact: service::update(&state, &scope, id, body).await? }))
}

/// Erases a contact with its identities, notes, conversations and messages (admins).
#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_contact(
    State(state): State<AppState>,
    Extension(records): Extension<Records>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    scope.require(Role::Admin)?;
    service::delete(&state, &records, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Merges another contact (the same person on another channel) into this one.
#[utoipa::path(post, path = "/contacts/{id}/merge", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = MergeContacts,
    responses((status = 200, body = MergedContact), (status = 404), (status = 422)))]
pub async fn merge_contacts(
    State(state): State<AppState>,
    Extension(records): Extension<Records>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<MergeContacts>,
) -> AppResult<axum::Json<MergedContact>> {
    scope.require(Role::Agent)?;
    Ok(axum::Json(merge::merge(&state, &records, &scope, id, body.other_contact_id).await?))
}

/// Contacts as CSV (managers and admins); `search` and `leadStatus` filter as in the
/// list. UTF-8 with a byte-order mark; `;` between cells when the workspace speaks
/// Portuguese (Excel's separator there) unless `separator` asks for `comma`; times
/// local to the workspace, stages in its language, channels by name. The import
/// reads such a file back.
#[utoipa::path(get, path = "/contacts/export.csv", tag = "contacts", params(ExportContacts),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403)))]
pub async fn export_contacts(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<ExportContacts>,
) -> AppResult<impl IntoResponse> {
    scope.require(Role::Manager)?;
    let filter_by = ContactFilter { search: filter.search.as_deref(), lead_status: filter.lead_status };
    let csv = import_export::export_csv(&state, &scope, filter_by, filter.separator).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"contacts.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        csv,
    ))
}

/// Imports contacts from a CSV body (managers and admins, up to 5 MiB). Columns:
/// `name` (required), `email`, `phone`, `lead_status`, `custom_attributes` (JSON);
/// any other column becomes a custom attribute. Rows matching a contact by `id`,
/// phone or email update it.
#[utoipa::path(post, path = "/contacts/import", tag = "contacts",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403), (status = 413), (status = 422)))]
pub async fn import_contacts(
    State(state): State<AppState>,
    scope: Scope,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<axum::Json<ImportReport>> {
    scope.require(Role::Manager)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("application/json") || content_type.starts_with("multipart/") {
        return Err(AppError::field("file", "send the CSV itself as the body, with Content-Type: text/csv"));
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest {
                code: "bad_request",
                message: rejection.body_text(),
                details: serde_json::Value::Null,
            }
        }
    })?;
    Ok(axum::Json(import_export::import_csv(&state, &scope, &body).await?))
}

/// Notes on a contact, newest first.
#[utoipa::path(get, path = "/contacts/{id}/notes", tag = "contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = NoteList), (status = 404)))]
pub async fn list_notes(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<NoteList>> {
    Ok(axum::Json(NoteList { notes: service::notes(&state, &scope, id).await? }))
}

/// Adds a note to a contact.
#[utoipa::path(post, path = "/contacts/{id}/notes", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = CreateNote,
    responses((status = 201, body = NoteEnvelope), (status = 404), (status = 422)))]
pub async fn create_note(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<CreateNote>,
) -> AppResult<impl IntoResponse> {
    scope.require(Role::Agent)?;
    body.validate()?;
    let note = service::add_note(&state, &scope, id, &body.content).await?;
    Ok((StatusCode::CREATED, axum::Json(NoteEnvelope { note })))
}

/// Deletes a note (its author or an admin).
#[utoipa::path(delete, path = "/contacts/{id}/notes/{note_id}", tag = "contacts",
    params(("id" = Uuid, Path), ("note_id" = Uuid, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_note(
    State(state): State<AppState>,
    scope: Scope,
    Path((id, note_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    service::delete_note(&state, &scope, id, note_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
