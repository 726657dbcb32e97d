//! HTTP handlers, one file per API area. Each handler locks the store for one state change
//! and answers in the shapes of the spec.

pub mod actions;
pub mod commit;
pub mod discovery;
pub mod documents;
pub mod enterprise;
pub mod favorites;
pub mod participants;
pub mod replies;
pub mod safeboxes;
pub mod upload;
pub mod user_token;

use crate::sendsecure::error::ApiResult;
use axum::Json;
use serde_json::Value;

/// What a JSON endpoint returns.
pub type JsonResult = ApiResult<Json<Value>>;
