//! SendSafely's own control routes under `/_emulator/` (spec §10.10), served only with
//! `--control`: reset, users, the full state of a package, its expected keycode (§10.6) and
//! its stored segments. The generic ones (faults, latency, clock, stats, request log) are the
//! core's.

use crate::core::control::ControlError;
use crate::sendsafely::auth::checksum;
use crate::sendsafely::config::User;
use crate::sendsafely::state::Shared;
use crate::sendsafely::store::{Package, Store};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// SendSafely's control routes.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/users", post(add_user).get(users))
        .route("/_emulator/packages", get(packages))
        .route("/_emulator/packages/{pid}", get(package))
        .route("/_emulator/packages/{pid}/keycode", post(set_keycode))
        .route(
            "/_emulator/packages/{pid}/files/{fid}/segments/{n}",
            get(segment),
        )
        .route(
            "/_emulator/packages/{pid}/files/{fid}/plaintext",
            get(plaintext),
        )
        .with_state(state)
}

fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": format!("unknown {what}")})),
    )
        .into_response()
}

fn inspect(p: &Package) -> Value {
    let files: Vec<Value> = p
        .files
        .iter()
        .map(|f| {
            let parts: Vec<Value> = f
                .segments
                .iter()
                .map(|(n, s)| json!({"part": n, "length": s.len, "sha256": s.sha256}))
                .collect();
            json!({"fileId": f.id, "fileName": f.name, "fileSize": f.size, "parts": f.parts,
                   "directoryId": f.directory_id, "uploaded": f.uploaded(),
                   "deleted": f.discarded, "stored": parts})
        })
        .collect();
    let recipients: Vec<Value> = p
        .recipients
        .iter()
        .map(|r| {
            json!({"recipientId": r.id, "email": r.email, "roleName": r.role,
                   "phonenumbers": r.phones.iter().map(|ph| json!({"phonenumber": ph.number,
                       "country": ph.country, "countryCode": ph.dial})).collect::<Vec<_>>()})
        })
        .collect();
    json!({
        "packageId": p.id,
        "packageCode": p.code,
        "serverSecret": p.server_secret,
        "owner": p.owner,
        "vdr": p.vdr,
        "label": p.label,
        "life": p.life,
        "state": p.state.name(),
        "packageTimestamp": crate::sendsafely::auth::format_timestamp(p.created),
        "finalized": p.finalized.map(crate::sendsafely::auth::format_timestamp),
        "recipients": recipients,
        "files": files,
        "message": p.message,
        "links": p.links,
        "checksum": p.checksum,
        "expectedKeycode": p.expected_keycode,
        "notified": p.notified,
        "resolvedBy": p.resolved_by,
    })
}

/// Drops packages, keys, URLs and faults; reloads the configured users.
async fn reset(State(state): State<Shared>) -> Json<Value> {
    let dir = {
        let mut store = state.store();
        let fresh = Store::new(&state.config, &state.core.data_dir);
        let dir = store.dir.clone();
        *store = fresh;
        dir
    };
    let _ = std::fs::remove_dir_all(dir);
    state.core.faults.clear();
    Json(json!({"result": true}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewUser {
    email: String,
    api_key: String,
    api_secret: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    id: Option<String>,
}

async fn add_user(
    State(state): State<Shared>,
    Json(user): Json<NewUser>,
) -> Result<Json<Value>, ControlError> {
    if user.email.is_empty() || user.api_key.is_empty() || user.api_secret.is_empty() {
        return Err(ControlError(
            "email, apiKey and apiSecret are required".into(),
        ));
    }
    let mut store = state.store();
    if store.users.iter().any(|u| u.api_key == user.api_key) {
        return Err(ControlError(format!("apiKey {} exists", user.api_key)));
    }
    let id = match user.id {
        Some(id) => id,
        None => store.new_id("u-"),
    };
    store.users.push(User {
        id: id.clone(),
        email: user.email,
        first_name: user.first_name,
        last_name: user.last_name,
        api_key: user.api_key,
        api_secret: user.api_secret,
    });
    Ok(Json(json!({"result": true, "id": id})))
}

async fn users(State(state): State<Shared>) -> Json<Value> {
    let store = state.store();
    let list: Vec<Value> = store
        .users
        .iter()
        .map(|u| json!({"id": u.id, "email": u.email, "apiKey": u.api_key}))
        .collect();
    Json(
        json!({"users": list, "contactGroups": state.config.contact_groups.iter()
        .map(|g| json!({"id": g.id, "name": g.name, "emails": g.emails})).collect::<Vec<_>>()}),
    )
}

async fn packages(State(state): State<Shared>) -> Json<Value> {
    let now = state.core.clock.now();
    let mut store = state.store();
    store.refresh_all(now);
    let list: Vec<Value> = store.packages.values().map(inspect).collect();
    Json(json!({"packages": list}))
}

async fn package(State(state): State<Shared>, Path(pid): Path<String>) -> Response {
    let now = state.core.clock.now();
    let mut store = state.store();
    store.refresh_all(now);
    match store.packages.get(&pid) {
        Some(p) => Json(inspect(p)).into_response(),
        None => not_found("package"),
    }
}

#[derive(Deserialize)]
struct Keycode {
    keycode: String,
}

async fn set_keycode(
    State(state): State<Shared>,
    Path(pid): Path<String>,
    Json(body): Json<Keycode>,
) -> Response {
    let mut store = state.store();
    match store.packages.get_mut(&pid) {
        Some(p) => {
            p.expected_keycode = Some(body.keycode.clone());
            let expected = checksum(&body.keycode, &p.code);
            Json(json!({"result": true, "checksum": expected})).into_response()
        }
        None => not_found("package"),
    }
}

async fn segment(
    State(state): State<Shared>,
    Path((pid, fid, n)): Path<(String, String, u32)>,
) -> Response {
    let path = {
        let store = state.store();
        let stored = store
            .packages
            .get(&pid)
            .and_then(|p| p.files.iter().find(|f| f.id == fid))
            .is_some_and(|f| f.segments.contains_key(&n));
        if !stored {
            return not_found("segment");
        }
        store.segment_path(&pid, &fid, n)
    };
    match tokio::fs::read(path).await {
        Ok(bytes) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/octet-stream")],
            bytes,
        )
            .into_response(),
        Err(_) => not_found("segment"),
    }
}

/// The decrypted file: 409 while the keycode is unknown; with it, 501 (OpenPGP decryption
/// is not emulated yet).
async fn plaintext(
    State(state): State<Shared>,
    Path((pid, fid)): Path<(String, String)>,
) -> Response {
    let store = state.store();
    let Some(p) = store.packages.get(&pid) else {
        return not_found("package");
    };
    if !p.files.iter().any(|f| f.id == fid) {
        return not_found("file");
    }
    if p.expected_keycode.is_none() {
        return (
            StatusCode::CONFLICT,
            Json(json!({"error": "the keycode of this package is unknown"})),
        )
            .into_response();
    }
    (
        StatusCode::NOT_IMPLEMENTED,
        Json(json!({"error": "decryption of stored segments is not emulated yet"})),
    )
        .into_response()
}
