//! Replying: a per-file upload URL (E12, `uploads`) and the reply message itself (E13).

use crate::core::clock;
use crate::core::conn::BaseUrl;
use crate::sendsecure::error::ApiError;
use crate::sendsecure::json_input::{
    opt_array, opt_bool, opt_i64, opt_str, parse_body, resource, truthy,
};
use crate::sendsecure::routes::safeboxes::require_open;
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{
    check_documents, new_guid, owned_safebox, take_documents, Message, Store, UploadSlot,
};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::json;

/// `POST api/v2/safeboxes/{guid}/uploads` with
/// `{"temporary_document":{"document_file_size":n},"multipart":false,"public_encryption_key":k}`.
/// The vendor SDKs send the SafeBox's key when they have it (spec E12): it is required for a
/// double-encrypted SafeBox, and recorded with the file (the control API shows it).
pub async fn new_file(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
    base: BaseUrl,
    body: Bytes,
) -> JsonResult {
    let now = state.core.clock.now();
    let body = parse_body(&body)?;
    let document = resource(&body, "temporary_document")?;
    if body.get("multipart").and_then(truthy).unwrap_or(false) {
        return Err(ApiError::bad_request(
            "Chunked uploads (multipart: true) are not supported",
        ));
    }
    let size = opt_i64(document, "document_file_size")?;
    let public_encryption_key = opt_str(&body, "public_encryption_key")?;
    if size.map(|s| s < 0).unwrap_or(false) {
        return Err(ApiError::invalid(
            "document_file_size",
            "must be greater than or equal to 0",
        ));
    }
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let limit = store.accounts[caller.account]
        .config
        .settings
        .max_file_size_bytes();
    let sb = store.safebox_mut(caller, &guid, now)?;
    require_open(sb, "Unable to add a file to the SafeBox.")?;
    if public_encryption_key.is_none() && sb.option_bool("double_encryption") {
        return Err(ApiError::invalid(
            "public_encryption_key",
            "is required for a double-encrypted SafeBox",
        ));
    }
    if let (Some(size), Some(limit)) = (size, limit) {
        if size as u64 > limit {
            return Err(ApiError::invalid(
                "document_file_size",
                "exceeds the maximum file size",
            ));
        }
    }
    let document_guid = new_guid();
    let capability = format!("{}{}", new_guid(), new_guid());
    store.upload_slots.insert(
        capability.clone(),
        UploadSlot::Temporary {
            safebox_guid: guid,
            document_guid: document_guid.clone(),
            public_encryption_key,
        },
    );
    Ok(Json(json!({
        "temporary_document_guid": document_guid,
        "upload_url": format!("{}xmss/{capability}", base.0),
    })))
}

/// `POST api/v2/safeboxes/{guid}/messages` with `{"safebox":{"message","consent","document_ids"}}`.
pub async fn reply(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
    body: Bytes,
) -> JsonResult {
    let now = state.core.clock.now();
    let body = parse_body(&body)?;
    let input = resource(&body, "safebox")?;
    let note = opt_str(input, "message")?.unwrap_or_default();
    let consent = opt_bool(input, "consent")?.unwrap_or(false);
    let ids = opt_array(input, "document_ids")?
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let Store {
        safeboxes,
        ids: id_source,
        temporary_files,
        ..
    } = &mut *store;
    let sb = owned_safebox(safeboxes, caller, &guid, now)?;
    require_open(sb, "Unable to reply to the SafeBox.")?;
    let document_ids = check_documents(temporary_files, &guid, ids)?;
    let mut errors = vec![];
    if note.trim().is_empty() && document_ids.is_empty() {
        errors.push(("message".to_string(), "cannot be blank".to_string()));
    }
    if !sb
        .options
        .get("consent_group_id")
        .map(|v| v.is_null())
        .unwrap_or(true)
        && !consent
    {
        errors.push(("consent".to_string(), "must be accepted".to_string()));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let documents = take_documents(temporary_files, &document_ids);
    let attachment_count = documents.len();
    sb.messages.push(Message {
        id: id_source.fresh(),
        note,
        author_id: sb.owner_id.to_string(),
        author_type: "user".into(),
        created_at: clock::format(now),
        read: true,
        documents,
    });
    sb.touch(now);
    let text = format!(
        "{} replied with {attachment_count} attachment(s)",
        sb.owner_email
    );
    sb.event(
        "safebox_reply_owner",
        now,
        json!({"attachment_count": attachment_count}),
        text,
    );
    Ok(Json(
        json!({"result": true, "message": "SafeBox successfully updated."}),
    ))
}
