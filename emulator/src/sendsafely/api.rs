//! SendSafely's route table: everything under `/api/v2.0` goes through one dispatcher, which
//! authenticates the request (§2, §10.3) and routes both the trailing-slash and the bare form
//! of every path (§1.3, §10.4) by its segments.

use crate::core::conn::{BaseUrl, RawTarget};
use crate::core::request_log::JournalNote;
use crate::core::service::{RequestClass, RequestKind};
use crate::sendsafely::auth::{self, Check};
use crate::sendsafely::config::User;
use crate::sendsafely::error::{success, SsError, SsResult};
use crate::sendsafely::state::Shared;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The API prefix every SDK uses (§1.1).
pub const PREFIX: &str = "/api/v2.0";

/// Where the storage URLs the emulator hands out (§10.5) live.
pub const STORAGE_PREFIX: &str = "/_storage/";

/// The public routes, fallback included (the core adds the fault layer and control routes).
pub fn router(state: Shared) -> Router {
    use crate::sendsafely::files;
    Router::new()
        .route(
            "/_storage/{token}",
            axum::routing::put(files::storage_put)
                .get(files::storage_get)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .fallback(dispatch)
        .layer(axum::middleware::from_fn(
            crate::sendsafely::cors::allow_any_origin,
        ))
        .with_state(state)
}

/// One authenticated API call, as the handlers see it.
pub struct Call<'a> {
    pub state: &'a Shared,
    pub user: User,
    pub method: Method,
    /// The public base URL without trailing slash.
    pub base: String,
    pub query: HashMap<String, String>,
    pub body: Bytes,
    /// A multipart upload (S23): the `requestData` text and the `textFile` bytes.
    pub upload: Option<(String, Bytes)>,
}

impl Call<'_> {
    /// The body as a JSON object (`{}` when empty), whatever the Content-Type.
    pub fn json(&self) -> Result<Value, SsError> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(json!({}));
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(v @ Value::Object(_)) => Ok(v),
            _ => Err(SsError::invalid("The request body is not a JSON object")),
        }
    }
}

/// The percent-decoded segments of an endpoint path, one trailing slash ignored.
fn segments(endpoint: &str) -> Vec<String> {
    let trimmed = endpoint.strip_prefix('/').unwrap_or(endpoint);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return vec![];
    }
    trimmed
        .split('/')
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

async fn dispatch(
    State(state): State<Shared>,
    BaseUrl(base): BaseUrl,
    request: Request,
) -> Response {
    let raw = request
        .extensions()
        .get::<RawTarget>()
        .map(|t| t.0.clone())
        .unwrap_or_else(|| request.uri().path().to_string());
    let raw_path = raw.split('?').next().unwrap_or_default().to_string();
    let Some(endpoint) = raw_path.strip_prefix(PREFIX) else {
        return SsError::route_not_found().into_response();
    };
    if !endpoint.is_empty() && !endpoint.starts_with('/') {
        return SsError::route_not_found().into_response();
    }
    let segs = segments(endpoint);
    {
        // An unknown route has nothing to authenticate: 404 at once (the control API too is
        // never found under the prefix).
        let names: Vec<&str> = segs.iter().map(String::as_str).collect();
        if route(None, request.method(), &names).is_none() {
            return SsError::route_not_found().into_response();
        }
    }
    let (parts, body) = request.into_parts();
    let limit = state.config.max_segment_bytes.saturating_add(1 << 20);
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return SsError::invalid("The request body is too large").into_response();
    };
    let is_multipart = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let upload = if is_multipart {
        match read_multipart(&parts.headers, body.clone()).await {
            Ok(u) => Some(u),
            Err(e) => return e.into_response(),
        }
    } else {
        None
    };
    // For multipart uploads the signed body is the requestData field (§2.2).
    let signed = match &upload {
        Some((data, _)) => Bytes::from(data.clone()),
        None => body.clone(),
    };
    let failure_status =
        StatusCode::from_u16(state.config.auth_failure_status).unwrap_or(StatusCode::OK);
    let now = chrono::Utc::now();
    let user = {
        let mut store = state.store();
        let check = Check {
            headers: &parts.headers,
            raw_path: &raw_path,
            body: &signed,
            now,
            window_s: state.config.timestamp_window_s,
            failure_status,
        };
        match auth::authenticate(&check, &store.users) {
            Ok((user, signature)) => {
                let fresh = store.note_signature(&signature, now, state.config.timestamp_window_s);
                if state.config.reject_replays && !fresh {
                    let e = SsError::auth(failure_status, "Request already received (replay)");
                    return refused_auth(&state, e);
                }
                user
            }
            Err(e) => return refused_auth(&state, e),
        }
    };
    let query: HashMap<String, String> = parts
        .uri
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let call = Call {
        state: &state,
        user,
        method: parts.method.clone(),
        base: base.trim_end_matches('/').to_string(),
        query,
        body,
        upload,
    };
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let mut response = match route(Some(&call), &call.method, &segs) {
        Some((_, Some(Ok(value)))) => success(value),
        Some((_, Some(Err(e)))) => refuse(&state, e),
        Some((_, None)) | None => SsError::route_not_found().into_response(),
    };
    JournalNote::set_auth(&mut response, "ok");
    response
}

/// An authentication refusal, its reason noted in the journal.
fn refused_auth(state: &Shared, e: SsError) -> Response {
    let reason = e.message.clone();
    let mut response = refuse(state, e);
    JournalNote::set_auth(&mut response, reason);
    response
}

/// The `requestData` and `textFile` fields of a multipart body.
async fn read_multipart(
    headers: &axum::http::HeaderMap,
    body: Bytes,
) -> Result<(String, Bytes), SsError> {
    use axum::extract::FromRequest;
    let mut request = Request::new(axum::body::Body::from(body));
    if let Some(ct) = headers.get(axum::http::header::CONTENT_TYPE) {
        request
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, ct.clone());
    }
    let bad = || SsError::invalid("Malformed multipart body");
    let mut multipart = axum::extract::Multipart::from_request(request, &())
        .await
        .map_err(|_| bad())?;
    let (mut data, mut file) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name() {
            Some("requestData") => data = Some(field.text().await.map_err(|_| bad())?),
            Some("textFile") => file = Some(field.bytes().await.map_err(|_| bad())?),
            _ => {}
        }
    }
    match (data, file) {
        (Some(d), Some(f)) => Ok((d, f)),
        _ => Err(SsError::invalid("requestData and textFile are required")),
    }
}

/// The route of `segs` for `m`: its name in the spec (`S6`) and, with a `call`, the
/// handler's answer; `None` for an unknown route. One table serves both the dispatcher and
/// the naming of requests for fault rules and the journal.
fn route(
    call: Option<&Call<'_>>,
    m: &Method,
    segs: &[&str],
) -> Option<(&'static str, Option<SsResult>)> {
    let get = m == Method::GET;
    let put = m == Method::PUT;
    let post = m == Method::POST;
    let delete = m == Method::DELETE;
    use crate::sendsafely::files;
    use crate::sendsafely::packages as pk;
    use crate::sendsafely::workspaces as ws;
    Some(match segs {
        ["user"] if get => ("S1", run(call, |c| Ok(user_info(c)))),
        ["config", "verify-credentials"] if get => {
            ("S2", run(call, |c| Ok(json!({"message": c.user.email}))))
        }
        ["public-key"] if put => ("S3", run(call, pk::add_key)),
        ["public-key", kid] if delete => ("S4", run(call, |c| pk::revoke_key(c, kid))),
        ["package"] if put => ("S5", run(call, pk::create)),
        ["package"] if get => ("S10", run(call, |c| pk::list(c, "sent"))),
        ["package", "received"] if get => ("S10", run(call, |c| pk::list(c, "received"))),
        ["package", "archived"] if get => ("S10", run(call, |c| pk::list(c, "archived"))),
        ["package", id] if get => ("S6", run(call, |c| pk::info(c, id))),
        ["package", id] if post => ("S7", run(call, |c| pk::update(c, id))),
        ["package", id] if delete => ("S8", run(call, |c| pk::delete(c, id, false))),
        ["package", id, "temp"] if delete => ("S9", run(call, |c| pk::delete(c, id, true))),
        ["package", id, "recipient"] if put => ("S11", run(call, |c| pk::add_one(c, id))),
        ["package", id, "recipients"] if put => ("S12", run(call, |c| pk::add_many(c, id))),
        ["package", id, "recipient", rid] if post => {
            ("S13", run(call, |c| pk::update_recipient(c, id, rid)))
        }
        ["package", id, "recipient", rid] if get => {
            ("S14", run(call, |c| pk::get_recipient(c, id, rid)))
        }
        ["package", id, "recipient", rid] if delete => {
            ("S15", run(call, |c| pk::remove_recipient(c, id, rid)))
        }
        ["package", id, "public-keys"] if get => {
            ("S16", run(call, |c| pk::public_keys(c, id, None)))
        }
        ["package", id, rid, "public-keys"] if get => {
            ("S16", run(call, |c| pk::public_keys(c, id, Some(rid))))
        }
        ["package", id, "link", kid] if put => ("S17", run(call, |c| pk::put_link(c, id, kid))),
        ["package", id, "link", kid] if get => ("S18", run(call, |c| pk::get_link(c, id, kid))),
        ["package", id, "message"] if put => ("S28", run(call, |c| pk::put_message(c, id))),
        ["package", id, "message", checksum] if get => {
            ("S29", run(call, |c| pk::get_message(c, id, checksum)))
        }
        ["package", id, "finalize"] if post => ("S30", run(call, |c| pk::finalize(c, id))),
        ["package", id, "file"] if put => ("S19", run(call, |c| files::register(c, id))),
        ["package", id, "file", fid, "upload-urls"] if post => {
            ("S20", run(call, |c| files::upload_urls(c, id, fid)))
        }
        ["package", id, "file", fid, "upload-complete"] if post => {
            ("S22", run(call, |c| files::upload_complete(c, id, fid)))
        }
        ["package", id, "file", fid] if post => {
            ("S23", run(call, |c| files::multipart_upload(c, id, fid)))
        }
        ["package", id, _, "file", fid] if post && segs[2] != "directory" => {
            ("S23", run(call, |c| files::multipart_upload(c, id, fid)))
        }
        ["package", id, "file", fid] | ["package", id, "directory", _, "file", fid] if get => {
            ("S24", run(call, |c| files::info(c, id, fid)))
        }
        ["package", id, "file", fid] | ["package", id, "directory", _, "file", fid] if delete => {
            ("S25", run(call, |c| files::delete(c, id, fid)))
        }
        ["package", id, "file", fid, "download-urls"]
        | ["package", id, "directory", _, "file", fid, "download-urls"]
            if post =>
        {
            ("S26", run(call, |c| files::download_urls(c, id, fid)))
        }
        ["package", id, "notify"] if post => ("S31", run(call, |c| pk::notify(c, id))),
        ["package", id, "directory", parent, "subdirectory"] if put => {
            ("S32", run(call, |c| ws::create(c, id, parent)))
        }
        ["package", id, "directory", did] if get => ("S33", run(call, |c| ws::get(c, id, did))),
        ["package", id, "directory", did] if post => ("S33", run(call, |c| ws::rename(c, id, did))),
        ["package", id, "directory", did] if delete => {
            ("S33", run(call, |c| ws::delete(c, id, did)))
        }
        ["package", id, "directory", dst, "file", fid] if post => {
            ("S34", run(call, |c| ws::move_file(c, id, dst, fid)))
        }
        ["package", id, "move", src, dst] if post => {
            ("S35", run(call, |c| ws::move_directory(c, id, src, dst)))
        }
        ["package", id, "activityLog"] if post || get => {
            ("S36", run(call, |c| ws::activity_log(c, id)))
        }
        _ => return None,
    })
}

/// The handler's answer, when there is a call to answer (not when a request is only named).
fn run(call: Option<&Call<'_>>, handler: impl FnOnce(&Call<'_>) -> SsResult) -> Option<SsResult> {
    call.map(handler)
}

/// The name (S-number) and kind of a request, for fault rules and the journal: storage URLs
/// are S21 (PUT) and S27 (GET), API routes are named by the route table.
pub fn classify(method: &Method, path: &str) -> RequestClass {
    if path.starts_with(STORAGE_PREFIX) {
        let (route, kind) = match *method {
            Method::PUT => (Some("S21"), RequestKind::StoragePut),
            Method::GET => (Some("S27"), RequestKind::StorageGet),
            _ => (None, RequestKind::Api),
        };
        return RequestClass {
            route,
            kind,
            ..RequestClass::default()
        };
    }
    let route = path
        .strip_prefix(PREFIX)
        .filter(|e| e.is_empty() || e.starts_with('/'))
        .and_then(|endpoint| {
            let segs = segments(endpoint);
            let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
            route(None, method, &segs).map(|(name, _)| name)
        });
    RequestClass {
        route,
        kind: RequestKind::Api,
        ..RequestClass::default()
    }
}

/// An API refusal with the HTTP status configured for its code (§10.7); an unknown route
/// stays 404.
fn refuse(state: &Shared, mut e: SsError) -> Response {
    if e.status != StatusCode::NOT_FOUND {
        e.status = state.config.status_of(e.code, e.status);
    }
    e.into_response()
}

/// S1: the calling user's profile.
fn user_info(call: &Call<'_>) -> Value {
    let u = &call.user;
    json!({
        "id": u.id,
        "email": u.email,
        "firstName": u.first_name,
        "lastName": u.last_name,
        "clientKey": u.id,
        "betaUser": false,
        "adminUser": false,
        "packageLife": call.state.config.default_life,
        "publicKey": false,
    })
}
