//! The fault layer every service route sits behind: it counts and logs each request, adds the
//! latency, and applies the first matching fault rule (canned answers, delays, dropped
//! connections, answers cut short).

use crate::core::conn::ConnInfo;
use crate::core::faults::{FaultKind, FaultRule};
use crate::core::state::CoreShared;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;

/// Applies the active faults to a request (the middleware of [`crate::core::server`]).
pub async fn inject_faults(
    State(state): State<CoreShared>,
    request: Request,
    next: Next,
) -> Response {
    state.stats.requests.fetch_add(1, Ordering::Relaxed);
    state.requests.record(&request);
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
