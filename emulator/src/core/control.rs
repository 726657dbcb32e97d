//! The generic control routes under `/_emulator/`, served with `--control` on the main
//! listener or on the admin listener: fault injection, latency, the clock, counters and the
//! request journal. A service adds its own (state inspection) beside them.

use crate::core::faults::parse_rule;
use crate::core::request_log::LoggedRequest;
use crate::core::state::CoreShared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A refused control call: 400 `{"error": ...}`.
#[derive(Debug)]
pub struct ControlError(pub String);

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(json!({"error": self.0}))).into_response()
    }
}

type ControlResult = Result<Json<Value>, ControlError>;

/// The generic control routes.
pub fn router(state: CoreShared) -> Router {
    Router::new()
        .route("/_emulator/stats", get(stats))
        .route(
            "/_emulator/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/_emulator/requests", get(requests).delete(clear_requests))
        .route("/_emulator/latency", put(set_latency))
        .route("/_emulator/clock", post(advance_clock).get(read_clock))
        .with_state(state)
}

async fn stats(State(state): State<CoreShared>) -> Json<Value> {
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
async fn requests(State(state): State<CoreShared>) -> Json<Value> {
    let log = state.requests.entries();
    let list: Vec<&LoggedRequest> = log.iter().collect();
    Json(json!({ "requests": list }))
}

async fn clear_requests(State(state): State<CoreShared>) -> StatusCode {
    state.requests.clear();
    StatusCode::NO_CONTENT
}

/// Adds a rule, in the flat form or the §10.9 one ([`parse_rule`]).
async fn add_fault(State(state): State<CoreShared>, Json(rule): Json<Value>) -> ControlResult {
    let rule = parse_rule(rule).map_err(ControlError)?;
    state.faults.add(rule);
    Ok(Json(json!({"result": true})))
}

/// The active rules in order, in the flat form, each with the uses it has left (`remaining`,
/// `null`: until cleared).
async fn list_faults(State(state): State<CoreShared>) -> Json<Value> {
    let rules: Vec<Value> = state
        .faults
        .rules()
        .into_iter()
        .map(|rule| {
            let remaining = (rule.count > 0).then_some(rule.count);
            json!({"action": rule.kind_name(), "remaining": remaining, "rule": rule})
        })
        .collect();
    Json(json!({ "faults": rules }))
}

async fn clear_faults(State(state): State<CoreShared>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

async fn set_latency(State(state): State<CoreShared>, Json(latency): Json<Latency>) -> Json<Value> {
    state.faults.set_latency(Duration::from_millis(latency.ms));
    Json(json!({"result": true, "latency_ms": latency.ms}))
}

/// One change of the clock: `advance_seconds` (or `advance_s`), `set` (RFC 3339) or
/// `host: true`.
#[derive(Deserialize)]
struct ClockChange {
    #[serde(alias = "advance_s")]
    advance_seconds: Option<i64>,
    set: Option<String>,
    host: Option<bool>,
}

async fn read_clock(State(state): State<CoreShared>) -> Json<Value> {
    Json(json!({"now": crate::core::clock::format(state.clock.now())}))
}

async fn advance_clock(
    State(state): State<CoreShared>,
    Json(change): Json<ClockChange>,
) -> ControlResult {
    match (change.advance_seconds, change.set, change.host) {
        (Some(seconds), None, None) => {
            if seconds < 0 {
                return Err(ControlError("the clock only moves forward".into()));
            }
            state.clock.advance(seconds);
        }
        (None, Some(set), None) => {
            let t = chrono::DateTime::parse_from_rfc3339(&set)
                .map_err(|e| ControlError(format!("set: not an RFC 3339 time: {e}")))?;
            state.clock.set(t.with_timezone(&chrono::Utc));
        }
        (None, None, Some(true)) => state.clock.follow_host(),
        _ => {
            return Err(ControlError(
                "give one of advance_seconds (advance_s), set or host: true".into(),
            ))
        }
    }
    state.clock_moved();
    Ok(Json(
        json!({"now": crate::core::clock::format(state.clock.now())}),
    ))
}
