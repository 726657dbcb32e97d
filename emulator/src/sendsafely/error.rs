//! SendSafely's refusals (spec §7, §10.7): HTTP 200 (configurable per code) with
//! `{"response":"<CODE>","message":"…"}`, `errors` added on finalize; an unknown route is 404.
//! Every answer tells the request journal its `response` code.

use crate::core::request_log::JournalNote;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// An API error answered to the client.
#[derive(Debug, Clone, PartialEq)]
pub struct SsError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Finalize failures carry `errors` (strings, an inference of the spec).
    pub errors: Option<Vec<String>>,
}

impl SsError {
    /// `code` with `message`, HTTP 200.
    pub fn new(code: &'static str, message: impl Into<String>) -> SsError {
        SsError {
            status: StatusCode::OK,
            code,
            message: message.into(),
            errors: None,
        }
    }

    pub fn auth(status: StatusCode, message: impl Into<String>) -> SsError {
        SsError {
            status,
            ..SsError::new("AUTHENTICATION_FAILED", message)
        }
    }

    pub fn fail(message: impl Into<String>) -> SsError {
        SsError::new("FAIL", message)
    }

    pub fn invalid(message: impl Into<String>) -> SsError {
        SsError::new("INVALID_INPUT", message)
    }

    pub fn unknown_package() -> SsError {
        SsError::new("UNKNOWN_PACKAGE", "The package does not exist")
    }

    pub fn denied() -> SsError {
        SsError::new("DENIED", "You do not have access to this package")
    }

    /// A finalize failure: `FAIL` with `errors`.
    pub fn finalize(message: impl Into<String>) -> SsError {
        let message = message.into();
        SsError {
            errors: Some(vec![message.clone()]),
            ..SsError::fail(message)
        }
    }

    /// An unknown route under `/api/v2.0` (or anywhere): 404 `FAIL`.
    pub fn route_not_found() -> SsError {
        SsError {
            status: StatusCode::NOT_FOUND,
            ..SsError::fail("Unknown API endpoint")
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut body = json!({"response": self.code, "message": self.message});
        if let Some(errors) = &self.errors {
            body["errors"] = json!(errors);
        }
        body
    }
}

impl IntoResponse for SsError {
    fn into_response(self) -> Response {
        noted((self.status, Json(self.body())).into_response(), self.code)
    }
}

/// `response` with its `response` code noted for the journal.
fn noted(mut response: Response, code: &str) -> Response {
    response.extensions_mut().insert(JournalNote {
        auth: None,
        response: Some(code.to_string()),
    });
    response
}

/// The result of every API handler: the success body (to which `response: SUCCESS` is added).
pub type SsResult = Result<Value, SsError>;

/// A success answer: `body` with `"response":"SUCCESS"` first.
pub fn success(body: Value) -> Response {
    let mut out = serde_json::Map::new();
    out.insert("response".into(), json!("SUCCESS"));
    if let Value::Object(map) = body {
        for (k, v) in map {
            if k != "response" {
                out.insert(k, v);
            }
        }
    }
    noted(Json(Value::Object(out)).into_response(), "SUCCESS")
}

/// sendsafely-crypto's reason for a refusal, cut short: rPGP's parser errors quote the rest of
/// their input, which may be megabytes.
pub fn crypto_reason(e: &sendsafely_crypto::Error) -> String {
    const MAX_CHARS: usize = 160;
    let text = e.to_string();
    match text.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}
