//! Service discovery (spec §2): the portal host and the SendSecure server URL of an account.
//! Both are this emulator, so both answer the base URL the client used, with a trailing slash
//! and no newline.

use crate::core::conn::BaseUrl;
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::state::Shared;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;

fn base_url_of(state: &Shared, acct: &str, base: BaseUrl) -> ApiResult<impl IntoResponse> {
    if state.store().account_index(acct).is_none() {
        return Err(ApiError::RouteNotFound);
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        base.0,
    ))
}

/// `GET /services/{acct}/portal/host`.
pub async fn portal_host(
    State(state): State<Shared>,
    Path(acct): Path<String>,
    base: BaseUrl,
) -> ApiResult<impl IntoResponse> {
    base_url_of(&state, &acct, base)
}

/// `GET /services/{acct}/sendsecure/server/url`.
pub async fn server_url(
    State(state): State<Shared>,
    Path(acct): Path<String>,
    base: BaseUrl,
) -> ApiResult<impl IntoResponse> {
    base_url_of(&state, &acct, base)
}
