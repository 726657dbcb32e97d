//! SendSecure's own control routes under `/_emulator/`, served only with `--control`: a look
//! at the stored state that the public API does not show (follow state, tags, stored files
//! with their SHA-256). The generic ones (faults, clock, stats) are the core's.

use crate::sendsecure::error::ApiError;
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::Safebox;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// SendSecure's control routes.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/_emulator/safeboxes", get(safeboxes))
        .route("/_emulator/safeboxes/{guid}", get(safebox))
        .with_state(state)
}

fn inspect(sb: &Safebox) -> Value {
    let documents: Vec<Value> = sb
        .messages
        .iter()
        .flat_map(|m| m.documents.iter())
        .map(|d| {
            json!({"id": d.id, "name": d.name, "size": d.size, "sha256": d.sha256,
                   "stored": d.path.is_some(), "parts": d.parts, "part_headers": d.part_headers,
                   "public_encryption_key": d.public_encryption_key})
        })
        .collect();
    json!({
        "guid": sb.guid,
        "subject": sb.subject,
        "owner_email": sb.owner_email,
        "status": sb.status.as_str(),
        "followed": sb.followed,
        "tags": sb.tags,
        "message_count": sb.messages.len(),
        "documents": documents,
    })
}

async fn safeboxes(State(state): State<Shared>) -> Json<Value> {
    let now = state.core.clock.now();
    let mut store = state.store();
    let mut list: Vec<&mut Safebox> = store.safeboxes.values_mut().collect();
    list.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.guid.cmp(&b.guid)));
    let list: Vec<Value> = list
        .into_iter()
        .map(|sb| {
            sb.refresh(now);
            inspect(sb)
        })
        .collect();
    Json(json!({"safeboxes": list}))
}

async fn safebox(State(state): State<Shared>, Path(guid): Path<String>) -> JsonResult {
    let now = state.core.clock.now();
    let mut store = state.store();
    let sb = store.safeboxes.get_mut(&guid).ok_or(ApiError::NotFound)?;
    sb.refresh(now);
    Ok(Json(inspect(sb)))
}
