//! SendSafely's route table: everything under `/api/v2.0` goes through one dispatcher, which
//! authenticates the request (§2, §10.3) and routes both the trailing-slash and the bare form
//! of every path (§1.3, §10.4) by its segments.

use crate::core::conn::{BaseUrl, RawTarget};
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
                    return SsError::auth(failure_status, "Request already received (replay)")
                        .into_response();
                }
                user
            }
            Err(e) => return e.into_response(),
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
    match route(&call, &segs) {
        Some(Ok(value)) => success(value),
        Some(Err(e)) => e.into_response(),
        None => SsError::route_not_found().into_response(),
    }
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

/// The handler of `segs` for the call's method; `None` for an unknown route.
fn route(call: &Call<'_>, segs: &[&str]) -> Option<SsResult> {
    let m = &call.method;
    let get = m == Method::GET;
    let put = m == Method::PUT;
    let post = m == Method::POST;
    let delete = m == Method::DELETE;
    use crate::sendsafely::files;
    use crate::sendsafely::packages as pk;
    use crate::sendsafely::workspaces as ws;
    Some(match segs {
        ["user"] if get => Ok(user_info(call)),
        ["config", "verify-credentials"] if get => Ok(json!({"message": call.user.email})),
        ["public-key"] if put => pk::add_key(call),
        ["public-key", kid] if delete => pk::revoke_key(call, kid),
        ["package"] if put => pk::create(call),
        ["package"] if get => pk::list(call, "sent"),
        ["package", "received"] if get => pk::list(call, "received"),
        ["package", "archived"] if get => pk::list(call, "archived"),
        ["package", id] if get => pk::info(call, id),
        ["package", id] if post => pk::update(call, id),
        ["package", id] if delete => pk::delete(call, id, false),
        ["package", id, "temp"] if delete => pk::delete(call, id, true),
        ["package", id, "recipient"] if put => pk::add_one(call, id),
        ["package", id, "recipients"] if put => pk::add_many(call, id),
        ["package", id, "recipient", rid] if post => pk::update_recipient(call, id, rid),
        ["package", id, "recipient", rid] if get => pk::get_recipient(call, id, rid),
        ["package", id, "recipient", rid] if delete => pk::remove_recipient(call, id, rid),
        ["package", id, "public-keys"] if get => pk::public_keys(call, id, None),
        ["package", id, rid, "public-keys"] if get => pk::public_keys(call, id, Some(rid)),
        ["package", id, "link", kid] if put => pk::put_link(call, id, kid),
        ["package", id, "link", kid] if get => pk::get_link(call, id, kid),
        ["package", id, "message"] if put => pk::put_message(call, id),
        ["package", id, "message", checksum] if get => pk::get_message(call, id, checksum),
        ["package", id, "finalize"] if post => pk::finalize(call, id),
        ["package", id, "file"] if put => files::register(call, id),
        ["package", id, "file", fid, "upload-urls"] if post => files::upload_urls(call, id, fid),
        ["package", id, "file", fid, "upload-complete"] if post => {
            files::upload_complete(call, id, fid)
        }
        ["package", id, "file", fid] if post => files::multipart_upload(call, id, fid),
        ["package", id, _, "file", fid] if post && segs[2] != "directory" => {
            files::multipart_upload(call, id, fid)
        }
        ["package", id, "file", fid] | ["package", id, "directory", _, "file", fid] if get => {
            files::info(call, id, fid)
        }
        ["package", id, "file", fid] | ["package", id, "directory", _, "file", fid] if delete => {
            files::delete(call, id, fid)
        }
        ["package", id, "file", fid, "download-urls"]
        | ["package", id, "directory", _, "file", fid, "download-urls"]
            if post =>
        {
            files::download_urls(call, id, fid)
        }
        ["package", id, "notify"] if post => pk::notify(call, id),
        ["package", id, "directory", parent, "subdirectory"] if put => ws::create(call, id, parent),
        ["package", id, "directory", did] if get => ws::get(call, id, did),
        ["package", id, "directory", did] if post => ws::rename(call, id, did),
        ["package", id, "directory", did] if delete => ws::delete(call, id, did),
        ["package", id, "directory", dst, "file", fid] if post => ws::move_file(call, id, dst, fid),
        ["package", id, "move", src, dst] if post => ws::move_directory(call, id, src, dst),
        ["package", id, "activityLog"] if post || get => ws::activity_log(call, id),
        _ => return None,
    })
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
