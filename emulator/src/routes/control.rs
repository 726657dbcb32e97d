//! The control API under `/_emulator/`, served only with `--control`: fault injection, the
//! clock, counters, and a look at the stored state that the public API does not show (follow
//! state, tags, stored files with their SHA-256).

use crate::app::Shared;
use crate::error::ApiError;
use crate::faults::FaultRule;
use crate::routes::JsonResult;
use crate::store::Safebox;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The control routes.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/faults", post(add_fault).delete(clear_faults))
        .route("/_emulator/requests", get(requests).delete(clear_requests))
        .route("/_emulator/latency", put(set_latency))
        .route("/_emulator/clock", post(advance_clock))
        .route("/_emulator/safeboxes", get(safeboxes))
        .route("/_emulator/safeboxes/{guid}", get(safebox))
}

async fn stats(State(state): State<Shared>) -> Json<Value> {
    let s = &state.stats;
    let faults: serde_json::Map<String, Value> = state
        .faults
        .applied()
        .into_iter()
        .map(|(kind, n)| (kind.to_string(), json!(n)))
        .collect();
    Json(json!({
        "connections": s.connections.load(Ordering::Relaxed),
        "requests": s.requests.load(Ordering::Relaxed),
        "http2_requests": s.http2_requests.load(Ordering::Relaxed),
        "upload_bytes": s.upload_bytes.load(Ordering::Relaxed),
        "faults": faults,
    }))
}

/// The last requests received (control API excepted), oldest first.
async fn requests(State(state): State<Shared>) -> Json<Value> {
    let log = state.requests.lock().unwrap_or_else(|p| p.into_inner());
    let list: Vec<&crate::app::LoggedRequest> = log.iter().collect();
    Json(json!({ "requests": list }))
}

async fn clear_requests(State(state): State<Shared>) -> StatusCode {
    state
        .requests
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    StatusCode::NO_CONTENT
}

async fn add_fault(State(state): State<Shared>, Json(rule): Json<FaultRule>) -> JsonResult {
    rule.validate().map_err(ApiError::bad_request)?;
    state.faults.add(rule);
    Ok(Json(json!({"result": true})))
}

async fn clear_faults(State(state): State<Shared>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

async fn set_latency(State(state): State<Shared>, Json(latency): Json<Latency>) -> Json<Value> {
    state.faults.set_latency(Duration::from_millis(latency.ms));
    Json(json!({"result": true, "latency_ms": latency.ms}))
}

#[derive(Deserialize)]
struct Advance {
    advance_seconds: i64,
}

async fn advance_clock(State(state): State<Shared>, Json(advance): Json<Advance>) -> JsonResult {
    if advance.advance_seconds < 0 {
        return Err(ApiError::bad_request("the clock only moves forward"));
    }
    state.clock.advance(advance.advance_seconds);
    Ok(Json(
        json!({"now": crate::clock::format(state.clock.now())}),
    ))
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
    let now = state.clock.now();
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
    let now = state.clock.now();
    let mut store = state.store();
    let sb = store.safeboxes.get_mut(&guid).ok_or(ApiError::NotFound)?;
    sb.refresh(now);
    Ok(Json(inspect(sb)))
}
