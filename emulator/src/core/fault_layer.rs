//! The fault layer every service route sits behind: it counts each request and records it in
//! the journal, adds the latency, and applies the first matching fault rule (canned answers,
//! empty or non-JSON bodies, delays, dropped connections, answers cut short); the storage
//! faults (`expire_url`, `truncate_store`) it hands to the service's handler.

use crate::core::conn::ConnInfo;
use crate::core::faults::{FaultKind, FaultRule, FaultTarget};
use crate::core::service::RequestClass;
use crate::core::state::CoreShared;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A fault the service's handler applies itself (a request extension): `expire_url` or
/// `truncate_store`.
#[derive(Debug, Clone)]
pub struct AppliedFault(pub FaultRule);

/// The page of a `non_json_body` fault: what a proxy in the way answers.
const NON_JSON_PAGE: &str =
    "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";

/// Applies the active faults to a request (the middleware of [`crate::core::server`]).
pub async fn inject_faults(
    State(state): State<CoreShared>,
    mut request: Request,
    next: Next,
) -> Response {
    state.stats.requests.fetch_add(1, Ordering::Relaxed);
    let class = request
        .extensions()
        .get::<RequestClass>()
        .copied()
        .unwrap_or_default();
    let seq = state.requests.record(&mut request, class);
    if request.version() == axum::http::Version::HTTP_2 {
        state.stats.http2_requests.fetch_add(1, Ordering::Relaxed);
    }
    let latency = state.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let conn = request.extensions().get::<ConnInfo>().cloned();
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let rule = state.faults.take_fault(&FaultTarget {
        method: &method,
        path: &path,
        class,
    });
    let Some(rule) = rule else {
        let response = next.run(request).await;
        state.requests.note_response(seq, &response);
        return response;
    };
    state.requests.note_fault(seq, rule.kind_name());
    if let Some(code) = rule
        .body
        .as_ref()
        .and_then(|b| b.get("response"))
        .and_then(|c| c.as_str())
    {
        state.requests.note_response_code(seq, code.to_string());
    }
    let response = match rule.kind {
        FaultKind::Respond => canned_response(rule),
        FaultKind::EmptyBody | FaultKind::NonJsonBody => bad_body(&rule),
        FaultKind::Delay => {
            tokio::time::sleep(Duration::from_millis(rule.delay_ms.unwrap_or(0))).await;
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
                (Some(conn), Some(after)) => cut_after(response, after, conn, false),
                (Some(conn), None) => conn.drop_connection().await,
                (None, _) => response,
            }
        }
        FaultKind::ResetMidBody => {
            let response = next.run(request).await;
            state.requests.note_response(seq, &response);
            return match conn {
                Some(conn) => reset_mid_body(response, rule.after_bytes, conn),
                None => response,
            };
        }
        FaultKind::ExpireUrl | FaultKind::TruncateStore => {
            request.extensions_mut().insert(AppliedFault(rule));
            next.run(request).await
        }
        FaultKind::DropUpload => next.run(request).await,
    };
    state.requests.note_response(seq, &response);
    response
}

/// The answer of an `empty_body` or `non_json_body` fault.
fn bad_body(rule: &FaultRule) -> Response {
    let status = rule
        .status
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    if rule.kind == FaultKind::EmptyBody {
        (status, [(header::CONTENT_TYPE, "application/json")], "").into_response()
    } else {
        (status, [(header::CONTENT_TYPE, "text/html")], NON_JSON_PAGE).into_response()
    }
}

/// `response` with its headers and the first `after` bytes of its body (half of it by
/// default), then the connection closed: never a complete answer, even an empty one (whose
/// length is then left unannounced, so that the client waits for more).
fn reset_mid_body(mut response: Response, after: Option<u64>, conn: ConnInfo) -> Response {
    use axum::body::HttpBody;
    let length = response.body().size_hint().exact();
    let after = after.unwrap_or(length.unwrap_or(0) / 2);
    if length.map(|len| len <= after).unwrap_or(true) {
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
    cut_after(response, after, conn, true)
}

/// `response` with only the first `after` bytes of its body (its headers unchanged), then
/// the connection closed; with `at_end`, closed even when the body had no more than that.
fn cut_after(response: Response, after: u64, conn: ConnInfo, at_end: bool) -> Response {
    use futures_util::StreamExt;
    type Chunk = Result<axum::body::Bytes, axum::Error>;
    let (parts, body) = response.into_parts();
    let cut = move |conn: ConnInfo| async move {
        // Give the bytes a moment to leave, then close without finishing.
        tokio::time::sleep(Duration::from_millis(50)).await;
        conn.drop_connection::<Option<(Chunk, _)>>().await
    };
    let body = futures_util::stream::unfold(
        (body.into_data_stream(), after, false),
        move |(mut inner, left, failed)| {
            let conn = conn.clone();
            async move {
                if failed {
                    return None;
                }
                if left == 0 {
                    return cut(conn).await;
                }
                loop {
                    match inner.next().await {
                        Some(Ok(mut chunk)) if !chunk.is_empty() => {
                            chunk.truncate(left.min(chunk.len() as u64) as usize);
                            let left = left - chunk.len() as u64;
                            return Some((Ok(chunk), (inner, left, false)));
                        }
                        Some(Ok(_)) => continue,
                        Some(Err(e)) => return Some((Err(e), (inner, left, true))),
                        None if at_end => return cut(conn).await,
                        None => return None,
                    }
                }
            }
        },
    );
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

#[cfg(test)]
mod tests {
    use super::*;
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
}
