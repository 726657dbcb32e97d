//! SendSecure's route table (paths without `.json`; see [`normalize_uri`]).
//!
//! [`normalize_uri`]: crate::sendsecure::uri::normalize_uri

use crate::sendsecure::error::ApiError;
use crate::sendsecure::routes;
use crate::sendsecure::state::Shared;
use axum::routing::{get, patch, post};
use axum::Router;

/// The public routes, fallback included (the core adds the fault layer and control routes).
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
        .layer(axum::extract::DefaultBodyLimit::max(4 << 20));
    api.with_state(state)
}
