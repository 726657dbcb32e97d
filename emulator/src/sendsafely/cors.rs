//! Cross-origin answers for the vendors' JavaScript SDK. The Node SDK sends its API calls
//! through jQuery in jsdom, whose XMLHttpRequest applies the browser's CORS rules: a preflight
//! `OPTIONS` before every call with `ss-*` headers, and `Access-Control-Allow-Origin` required
//! on every answer. The spec is silent on CORS; without this the SDK's first call fails.

use axum::extract::Request;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Every method an SDK uses (§1.3).
const METHODS: &str = "GET, PUT, POST, DELETE, PATCH";

/// Answers a preflight itself (204, any requested headers allowed: authentication is by
/// signature, not by origin); lets every other request through, allowing any origin to read
/// the answer.
pub async fn allow_any_origin(request: Request, next: Next) -> Response {
    let any = HeaderValue::from_static("*");
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let requested = request
            .headers()
            .get(ACCESS_CONTROL_REQUEST_HEADERS)
            .cloned();
        let mut answer = StatusCode::NO_CONTENT.into_response();
        let headers = answer.headers_mut();
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, any);
        headers.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(METHODS),
        );
        if let Some(requested) = requested {
            headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested);
        }
        headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        return answer;
    }
    let mut answer = next.run(request).await;
    answer
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, any);
    answer
}
