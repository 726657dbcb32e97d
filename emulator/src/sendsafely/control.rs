//! SendSafely's own control routes under `/_emulator/` (spec §10.10), served only with
//! `--control`: reset, users, the full state of a package, its expected keycode (§10.6), its
//! stored segments and their plaintext. The generic ones (faults, latency, clock, stats, request log) are the
//! core's.

use crate::core::control::ControlError;
use crate::sendsafely::config::User;
use crate::sendsafely::plaintext::{PartError, StoredFile};
use crate::sendsafely::state::Shared;
use crate::sendsafely::store::{Package, Store};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use sendsafely_crypto::secrets::checksum;
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

/// A JSON `{"error": why}` with `status`.
fn refusal(status: StatusCode, why: impl std::fmt::Display) -> Response {
    (status, Json(json!({"error": why.to_string()}))).into_response()
}

fn not_found(what: &str) -> Response {
    refusal(StatusCode::NOT_FOUND, format!("unknown {what}"))
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

/// One package's full state; with the keycode known, each file's plaintext SHA-256 and length
/// too (`plaintext`: `{sha256, length}`, `{error}` when a segment does not decrypt, `null`
/// while the keycode is unknown or parts are missing), computed on request.
async fn package(State(state): State<Shared>, Path(pid): Path<String>) -> Response {
    let now = state.core.clock.now();
    let (mut view, files) = {
        let mut store = state.store();
        store.refresh_all(now);
        let Some(p) = store.packages.get(&pid) else {
            return not_found("package");
        };
        let files: Vec<Option<StoredFile>> = p
            .files
            .iter()
            .map(|f| StoredFile::of(&store, p, &f.id).ok().flatten())
            .collect();
        (inspect(p), files)
    };
    let digests = tokio::task::spawn_blocking(move || {
        files
            .iter()
            .map(|f| f.as_ref().map(StoredFile::digest))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    for (i, digest) in digests.into_iter().enumerate() {
        view["files"][i]["plaintext"] = match digest {
            None => Value::Null,
            Some(Ok(d)) => json!({"sha256": d.sha256, "length": d.length}),
            Some(Err(e)) => json!({"error": e.to_string()}),
        };
    }
    Json(view).into_response()
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

/// The decrypted file (§10.6), streamed as `application/octet-stream` with its SHA-256 (hex) in
/// `x-sha256`: 409 while the keycode is unknown or parts are missing, 422 when a segment does
/// not decrypt under the package's passphrase.
async fn plaintext(
    State(state): State<Shared>,
    Path((pid, fid)): Path<(String, String)>,
) -> Response {
    let file = {
        let store = state.store();
        let Some(p) = store.packages.get(&pid) else {
            return not_found("package");
        };
        match StoredFile::of(&store, p, &fid) {
            Ok(Some(file)) => file,
            Ok(None) => return not_found("file"),
            Err(why) => return refusal(StatusCode::CONFLICT, why),
        }
    };
    let checked = tokio::task::spawn_blocking(move || {
        let digest = file.digest();
        (file, digest)
    })
    .await;
    let (file, digest) = match checked {
        Ok((file, Ok(digest))) => (file, digest),
        Ok((_, Err(e @ PartError::Undecryptable { .. }))) => {
            return refusal(StatusCode::UNPROCESSABLE_ENTITY, e)
        }
        Ok((_, Err(e))) => return refusal(StatusCode::INTERNAL_SERVER_ERROR, e),
        Err(e) => return refusal(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_LENGTH, digest.length.to_string()),
            (header::HeaderName::from_static("x-sha256"), digest.sha256),
        ],
        Body::from_stream(file.into_stream()),
    )
        .into_response()
}
