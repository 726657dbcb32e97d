//! Every refusal the emulator sends, in the exact error shapes of spec §3.3 and §4.1.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// An error answered to the client.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 400 `{"error":"Some entered values are incorrect.","attributes":{field:[messages]}}`.
    Validation(Vec<(String, String)>),
    /// 400 `{"result":false,"message":...}`: an action that cannot be done in the current state.
    ActionFailed(String),
    /// `{"error": ...}` with the given status.
    Simple(StatusCode, String),
    /// 403 `{"message":"Access denied"}`.
    AccessDenied,
    /// 404 `{"message":"The requested URL cannot be found."}`: an unknown GUID or id.
    NotFound,
    /// 404 `{"status":"404","error":"Not Found"}`: an unknown route (Rails' own 404).
    RouteNotFound,
    /// `{"result":false,"code":...,"message":...}` for `api/user_token`.
    Token(StatusCode, i64, String),
    /// 413 `{"error": ...}`: an upload over the enterprise's maximum file size.
    TooLarge(String),
}

/// The message of every validation refusal.
pub const VALIDATION_MESSAGE: &str = "Some entered values are incorrect.";

impl ApiError {
    /// A validation error on one attribute.
    pub fn invalid(attribute: &str, message: &str) -> ApiError {
        ApiError::Validation(vec![(attribute.to_string(), message.to_string())])
    }

    /// A 400 `{"error": ...}`.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::Simple(StatusCode::BAD_REQUEST, message.into())
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::ActionFailed(_) => StatusCode::BAD_REQUEST,
            ApiError::Simple(status, _) | ApiError::Token(status, _, _) => *status,
            ApiError::AccessDenied => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    /// The JSON body of this error.
    pub fn body(&self) -> Value {
        match self {
            ApiError::Validation(fields) => {
                let mut attributes = Map::new();
                for (field, message) in fields {
                    let entry = attributes
                        .entry(field.clone())
                        .or_insert_with(|| Value::Array(vec![]));
                    if let Value::Array(list) = entry {
                        list.push(Value::String(message.clone()));
                    }
                }
                json!({"error": VALIDATION_MESSAGE, "attributes": attributes})
            }
            ApiError::ActionFailed(message) => json!({"result": false, "message": message}),
            ApiError::Simple(_, message) | ApiError::TooLarge(message) => json!({"error": message}),
            ApiError::AccessDenied => json!({"message": "Access denied"}),
            ApiError::NotFound => json!({"message": "The requested URL cannot be found."}),
            ApiError::RouteNotFound => json!({"status": "404", "error": "Not Found"}),
            ApiError::Token(_, code, message) => {
                json!({"result": false, "code": code, "message": message})
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(self.body())).into_response()
    }
}

/// The result type of every handler.
pub type ApiResult<T> = Result<T, ApiError>;
