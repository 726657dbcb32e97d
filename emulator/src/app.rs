//! The shared application state, the route table and the request plumbing around it: path
//! normalization (optional `.json`, spec §13.4), fault injection, and the base URL of replies.

use crate::clock::Clock;
use crate::error::ApiError;
use crate::faults::{FaultKind, FaultRule, Faults};
use crate::routes;
use crate::store::Store;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// Counters exposed by `/_emulator/stats`.
#[derive(Debug, Default)]
pub struct Stats {
    /// TCP connections accepted since start.
    pub connections: AtomicU64,
    /// HTTP requests received since start.
    pub requests: AtomicU64,
    /// Those of them that came over HTTP/2.
    pub http2_requests: AtomicU64,
    /// Bytes of upload bodies received since start.
    pub upload_bytes: AtomicU64,
}

/// How many requests `/_emulator/requests` remembers (the oldest are forgotten first).
pub const REQUEST_LOG_SIZE: usize = 1000;

/// One request as received, for `/_emulator/requests`: what a client really sent (the raw
/// target, which headers), to check percent-encoding and where a token goes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedRequest {
    /// The HTTP method.
    pub method: String,
    /// The request target exactly as received (path and query, percent-encoding kept).
    pub target: String,
    /// `HTTP/1.1` or `HTTP/2.0`.
    pub http_version: String,
    /// The negotiated TLS version (`TLSv1_2`, `TLSv1_3`), absent over plain HTTP.
    pub tls_version: Option<String>,
    /// Whether the connection presented a client certificate (mutual TLS).
    pub client_certificate: bool,
    /// The names of the request headers, lower-case, in order.
    pub headers: Vec<String>,
    /// Whether a token header (`Authorization-Token` or `XM-Token-Authorization`) was sent.
    pub token: bool,
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    store: Mutex<Store>,
    pub clock: Clock,
    pub faults: Faults,
    pub stats: Stats,
    /// The last [`REQUEST_LOG_SIZE`] requests (control API excepted), oldest first.
    pub requests: Mutex<std::collections::VecDeque<LoggedRequest>>,
    /// Where uploaded files are kept.
    pub data_dir: PathBuf,
    /// Whether `/_emulator/*` is served.
    pub control_enabled: bool,
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;

impl AppState {
    /// Builds the state.
    pub fn new(
        store: Store,
        clock: Clock,
        faults: Faults,
        data_dir: PathBuf,
        control_enabled: bool,
    ) -> Self {
        AppState {
            store: Mutex::new(store),
            clock,
            faults,
            stats: Stats::default(),
            requests: Mutex::default(),
            data_dir,
            control_enabled,
        }
    }

    /// Locks the store. A handler that panicked while holding it leaves consistent data (every
    /// change is made in one step), so a poisoned lock is simply taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What the connection loop tells each request about its connection.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    /// Notified to close the connection at once (fault injection).
    pub kill: Arc<Notify>,
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The address the connection was accepted on.
    pub local_addr: SocketAddr,
    /// The client's address.
    pub peer_addr: SocketAddr,
    /// The negotiated TLS version (`TLSv1_2`, `TLSv1_3`), `None` over plain HTTP.
    pub tls_version: Option<String>,
    /// Whether the client presented a certificate (mutual TLS).
    pub client_certificate: bool,
}

/// The request target (path and query) exactly as the client sent it, before
/// [`normalize_uri`].
#[derive(Debug, Clone)]
pub struct RawTarget(pub String);

impl AppState {
    /// Remembers a request for `/_emulator/requests`.
    pub fn log_request(&self, request: &Request) {
        let conn = request.extensions().get::<ConnInfo>();
        let target = request
            .extensions()
            .get::<RawTarget>()
            .map(|t| t.0.clone())
            .unwrap_or_else(|| request.uri().to_string());
        let headers = request.headers();
        let entry = LoggedRequest {
            method: request.method().to_string(),
            target,
            http_version: format!("{:?}", request.version()),
            tls_version: conn.and_then(|c| c.tls_version.clone()),
            client_certificate: conn.is_some_and(|c| c.client_certificate),
            headers: headers.keys().map(|k| k.as_str().to_string()).collect(),
            token: headers.contains_key("authorization-token")
                || headers.contains_key("xm-token-authorization"),
        };
        let mut log = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() >= REQUEST_LOG_SIZE {
            log.pop_front();
        }
        log.push_back(entry);
    }
}

impl ConnInfo {
    /// Closes this request's connection; the returned future never completes, so no answer
    /// is ever written.
    pub async fn drop_connection<T>(&self) -> T {
        self.kill.notify_one();
        std::future::pending().await
    }
}

/// The client's IP address as text (`0.0.0.0` when unknown), for event messages.
#[derive(Debug, Clone)]
pub struct PeerIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnInfo>()
            .map(|c| c.peer_addr.ip().to_string());
        Ok(PeerIp(ip.unwrap_or_else(|| "0.0.0.0".into())))
    }
}

/// The base URL the client reached us at, with a trailing slash (`http://127.0.0.1:8080/`).
///
/// Taken from the request's authority so that URLs we hand out (upload, download, next page)
/// use the same host name the client used.
#[derive(Debug, Clone)]
pub struct BaseUrl(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BaseUrl {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let conn = parts.extensions.get::<ConnInfo>();
        let scheme = conn.map(|c| c.scheme).unwrap_or("http");
        let host = parts
            .uri
            .authority()
            .map(|a| a.to_string())
            .or_else(|| {
                parts
                    .headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .map(str::to_string)
            })
            .or_else(|| conn.map(|c| c.local_addr.to_string()))
            .unwrap_or_else(|| "localhost".into());
        Ok(BaseUrl(format!("{scheme}://{host}/")))
    }
}

/// Rewrites a request path the way the SendSecure server routes it: a `.json` suffix on the last
/// segment is dropped, and cs's malformed `…/safeboxes.json&locale=en` (no `?`) is split into
/// path and query.
pub fn normalize_uri(uri: &Uri) -> Option<Uri> {
    let mut path = uri.path().to_string();
    let mut query = uri.query().map(str::to_string);
    if query.is_none() {
        if let Some((p, q)) = path.split_once('&') {
            query = Some(q.to_string());
            path = p.to_string();
        }
    }
    if let Some(stripped) = path.strip_suffix(".json") {
        path = stripped.to_string();
    }
    if path == uri.path() && query.as_deref() == uri.query() {
        return None;
    }
    let path_and_query = match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    Uri::from_parts(parts).ok()
}

/// Applies the active faults to a request.
async fn inject_faults(State(state): State<Shared>, request: Request, next: Next) -> Response {
    state.stats.requests.fetch_add(1, Ordering::Relaxed);
    state.log_request(&request);
    if request.version() == axum::http::Version::HTTP_2 {
        state.stats.http2_requests.fetch_add(1, Ordering::Relaxed);
    }
    let latency = state.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let conn = request.extensions().get::<ConnInfo>().cloned();
    let method = request.method().as_str().to_string();
    let Some(rule) = state
        .faults
        .take_request_fault(&method, request.uri().path())
    else {
        return next.run(request).await;
    };
    match rule.kind {
        FaultKind::Respond => canned_response(rule),
        FaultKind::Delay => {
            tokio::time::sleep(std::time::Duration::from_millis(rule.delay_ms.unwrap_or(0))).await;
            next.run(request).await
        }
        FaultKind::DropConnection => match conn {
            Some(conn) => conn.drop_connection().await,
            None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        },
        FaultKind::DropResponse => {
            let response = next.run(request).await;
            match (conn, rule.after_bytes) {
                // Part of the answer, then the connection closes (a download cut short).
                (Some(conn), Some(after)) => cut_after(response, after, conn),
                (Some(conn), None) => conn.drop_connection().await,
                (None, _) => response,
            }
        }
        FaultKind::DropUpload => next.run(request).await,
    }
}

/// `response` with only the first `after` bytes of its body (its headers, `Content-Length`
/// included, unchanged), then the connection closed.
fn cut_after(response: Response, after: u64, conn: ConnInfo) -> Response {
    use futures_util::StreamExt;
    let (parts, body) = response.into_parts();
    let mut left = after;
    let body = body.into_data_stream().flat_map(move |chunk| {
        let items: Vec<Result<axum::body::Bytes, axum::Error>> = match chunk {
            Ok(mut chunk) if left > 0 => {
                if chunk.len() as u64 > left {
                    chunk.truncate(left as usize);
                }
                left -= chunk.len() as u64;
                vec![Ok(chunk)]
            }
            Ok(_) => vec![],
            Err(e) => vec![Err(e)],
        };
        let cut = left == 0;
        let conn = conn.clone();
        futures_util::stream::iter(items).chain(futures_util::stream::once(async move {
            if cut {
                // Give the bytes a moment to leave, then close without finishing.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                conn.drop_connection::<Result<axum::body::Bytes, axum::Error>>()
                    .await
            } else {
                Ok(axum::body::Bytes::new())
            }
        }))
    });
    let body = body.filter(|chunk| std::future::ready(!matches!(chunk, Ok(b) if b.is_empty())));
    Response::from_parts(parts, axum::body::Body::from_stream(body))
}

/// The answer of a `respond` fault: its status, body and headers.
pub fn canned_response(rule: FaultRule) -> Response {
    let status = rule
        .status
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = match (rule.body_repeat, rule.body_text, rule.body) {
        (Some(repeat), _, _) => {
            // Generated while sent: the emulator's memory stays flat whatever the size.
            let mut response = Response::new(axum::body::Body::from_stream(repeat.stream()));
            *response.status_mut() = status;
            let headers = response.headers_mut();
            if let Ok(value) = header::HeaderValue::from_str(&repeat.content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if !repeat.chunked {
                headers.insert(
                    header::CONTENT_LENGTH,
                    header::HeaderValue::from(repeat.len()),
                );
            }
            response
        }
        (None, Some(text), _) => {
            (status, [(header::CONTENT_TYPE, "text/html")], text).into_response()
        }
        (None, None, Some(body)) => (status, axum::Json(body)).into_response(),
        (None, None, None) => {
            let reason = status.canonical_reason().unwrap_or("Injected fault");
            (status, axum::Json(serde_json::json!({"error": reason}))).into_response()
        }
    };
    for (name, value) in rule.headers.unwrap_or_default() {
        // Checked when the rule was added.
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            header::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// The complete route table (paths without `.json`; see [`normalize_uri`]).
pub fn router(state: Shared) -> Router {
    use routes::*;
    let safebox = "/api/v2/safeboxes/{guid}";
    let enterprise = "/api/v2/enterprises/{acct}";
    let api = Router::new()
        .route("/services/{acct}/portal/host", get(discovery::portal_host))
        .route(
            "/services/{acct}/sendsecure/server/url",
            get(discovery::server_url),
        )
        .route("/api/user_token", post(user_token::user_token))
        .route(
            &format!("{enterprise}/security_profiles"),
            get(enterprise::security_profiles),
        )
        .route(&format!("{enterprise}/settings"), get(enterprise::settings))
        .route(
            &format!("{enterprise}/users/{{user_id}}/settings"),
            get(enterprise::user_settings),
        )
        .route(
            &format!("{enterprise}/consent_message_groups/{{id}}"),
            get(enterprise::consent_group),
        )
        .route(
            &format!("{enterprise}/users/{{user_id}}/favorites"),
            get(favorites::list).post(favorites::create),
        )
        .route(
            &format!("{enterprise}/users/{{user_id}}/favorites/{{favorite_id}}"),
            patch(favorites::update).delete(favorites::delete),
        )
        .route("/api/v2/safeboxes/new", get(safeboxes::initialize))
        .route(
            "/api/v2/safeboxes",
            get(safeboxes::list).post(commit::commit),
        )
        .route(safebox, get(safeboxes::info))
        .route(
            &format!("{safebox}/security_options"),
            get(safeboxes::security_options),
        )
        .route(
            &format!("{safebox}/download_activity"),
            get(safeboxes::download_activity),
        )
        .route(
            &format!("{safebox}/event_history"),
            get(safeboxes::event_history),
        )
        .route(
            &format!("{safebox}/messages"),
            get(safeboxes::messages).post(replies::reply),
        )
        .route(&format!("{safebox}/uploads"), post(replies::new_file))
        .route(
            &format!("{safebox}/participants"),
            get(participants::list).post(participants::create),
        )
        .route(
            &format!("{safebox}/participants/{{participant_id}}"),
            patch(participants::update),
        )
        .route("/api/v2/recipients/autocomplete", get(participants::search))
        .route(
            "/api/v2/participants/autocomplete",
            get(participants::search),
        )
        .route(&format!("{safebox}/add_time"), patch(actions::add_time))
        .route(&format!("{safebox}/close"), patch(actions::close))
        .route(
            &format!("{safebox}/delete_content"),
            patch(actions::delete_content),
        )
        .route(
            &format!("{safebox}/mark_as_read"),
            patch(actions::mark_as_read),
        )
        .route(
            &format!("{safebox}/mark_as_unread"),
            patch(actions::mark_as_unread),
        )
        .route(
            &format!("{safebox}/messages/{{message_id}}/read"),
            patch(actions::mark_message_read),
        )
        .route(
            &format!("{safebox}/messages/{{message_id}}/unread"),
            patch(actions::mark_message_unread),
        )
        .route(&format!("{safebox}/tag/{{tag}}"), post(actions::tag))
        .route(&format!("{safebox}/untag/{{tag}}"), post(actions::untag))
        .route(&format!("{safebox}/follow"), patch(actions::follow))
        .route(&format!("{safebox}/unfollow"), patch(actions::unfollow))
        .route(
            &format!("{safebox}/documents/{{document_id}}/url"),
            get(documents::document_url),
        )
        .route(
            &format!("{safebox}/audit_record_pdf"),
            get(documents::audit_record_url),
        )
        // Uploads are streamed to disk, so no body limit (only the enterprise's file size).
        .route(
            "/xmss/{capability}",
            post(upload::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/files/{capability}", get(documents::download))
        .route("/s/{file}", get(documents::audit_record_pdf))
        .fallback(|| async { ApiError::RouteNotFound })
        // Rails answers a known path with an unrouted verb like an unknown path (not 405).
        .method_not_allowed_fallback(|| async { ApiError::RouteNotFound })
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults))
        .layer(axum::extract::DefaultBodyLimit::max(4 << 20));
    let app = if state.control_enabled {
        api.merge(control::router())
    } else {
        api
    };
    app.with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let uri: Uri = s.parse().unwrap();
        normalize_uri(&uri)
            .map(|u| u.to_string())
            .unwrap_or_else(|| s.to_string())
    }

    #[tokio::test]
    async fn a_respond_fault_can_add_headers_such_as_a_redirect() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"kind":"respond","status":302,"body_text":"moved",
                "headers":{"Location":"http://127.0.0.1:9/elsewhere","X-Extra":"1"}}"#,
        )
        .unwrap();
        assert!(rule.validate().is_ok());
        let response = canned_response(rule);
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(
            response.headers()[header::LOCATION],
            "http://127.0.0.1:9/elsewhere"
        );
        assert_eq!(response.headers()["x-extra"], "1");
        let body = axum::body::to_bytes(response.into_body(), 1 << 10)
            .await
            .unwrap();
        assert_eq!(&body[..], b"moved");

        let bad = |json: &str| serde_json::from_str::<FaultRule>(json).unwrap().validate();
        assert!(bad(r#"{"kind":"respond","status":302,"headers":{"Bad Name":"x"}}"#).is_err());
        assert!(bad(r#"{"kind":"respond","status":302,"headers":{"Location":"a\r\nb"}}"#).is_err());
        assert!(bad(r#"{"kind":"delay","delay_ms":1,"headers":{"Location":"x"}}"#).is_err());
    }

    #[tokio::test]
    async fn a_respond_fault_can_stream_a_huge_body() {
        use futures_util::StreamExt;
        let rule: FaultRule = serde_json::from_str(
            r#"{"kind":"respond","status":200,
                "body_repeat":{"prefix":"[","text":"1,","bytes":3000000,"suffix":"1]"}}"#,
        )
        .unwrap();
        assert!(rule.validate().is_ok());
        let response = canned_response(rule);
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(response.headers()[header::CONTENT_LENGTH], "3000003");
        let mut body = response.into_body().into_data_stream();
        let (mut total, mut largest) = (0usize, 0usize);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.unwrap();
            total += chunk.len();
            largest = largest.max(chunk.len());
        }
        assert_eq!(total, 3_000_003);
        assert!(
            largest <= 64 << 10,
            "sent in blocks of at most 64 KiB: {largest}"
        );

        // Chunked: no length announced.
        let rule: FaultRule = serde_json::from_str(
            r#"{"kind":"respond","status":500,"body_repeat":{"text":"<p>oops</p>","bytes":100,
                "content_type":"text/html","chunked":true}}"#,
        )
        .unwrap();
        let response = canned_response(rule);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html");
        assert!(response.headers().get(header::CONTENT_LENGTH).is_none());
        let body = axum::body::to_bytes(response.into_body(), 1 << 10)
            .await
            .unwrap();
        assert_eq!(body.len(), 100);
    }

    #[test]
    fn json_suffix_and_cs_malformed_queries_are_normalized() {
        assert_eq!(
            norm("/api/v2/safeboxes/new.json?user_email=a@b.c"),
            "/api/v2/safeboxes/new?user_email=a@b.c"
        );
        assert_eq!(
            norm("/api/v2/safeboxes.json&locale=en"),
            "/api/v2/safeboxes?locale=en"
        );
        assert_eq!(
            norm("/api/v2/safeboxes/abc.json&locale=en"),
            "/api/v2/safeboxes/abc?locale=en"
        );
        assert_eq!(
            norm("/api/v2/safeboxes/abc/messages/1/read"),
            "/api/v2/safeboxes/abc/messages/1/read"
        );
    }
}
