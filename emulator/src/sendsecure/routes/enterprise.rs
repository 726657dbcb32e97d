//! Enterprise-level reads: security profiles (E4), enterprise settings (E5), user settings (E6)
//! and consent message groups (E11).

use crate::core::conn::BaseUrl;
use crate::sendsecure::error::ApiError;
use crate::sendsecure::json_input::parse_query;
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::json;

/// `GET api/v2/enterprises/{acct}/security_profiles?user_email=`.
pub async fn security_profiles(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(acct): Path<String>,
    RawQuery(query): RawQuery,
) -> JsonResult {
    let store = state.store();
    let caller = store.authenticate(&headers)?;
    let account = store.check_account(caller, &acct)?;
    let query = parse_query(query.as_deref());
    let email = query.get("user_email").map(String::as_str).unwrap_or("");
    if account.user_by_email(email).is_none() {
        return Err(ApiError::AccessDenied);
    }
    let profiles: Vec<_> = account
        .profiles
        .iter()
        .map(|p| p.to_json(&account.created_at))
        .collect();
    Ok(Json(
        json!({"default": account.default_profile_id(), "security_profiles": profiles}),
    ))
}

/// `GET api/v2/enterprises/{acct}/settings`.
pub async fn settings(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(acct): Path<String>,
) -> JsonResult {
    let store = state.store();
    let caller = store.authenticate(&headers)?;
    Ok(Json(store.check_account(caller, &acct)?.settings_json()))
}

/// `GET api/v2/enterprises/{acct}/users/{user_id}/settings`.
pub async fn user_settings(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((acct, user_id)): Path<(String, String)>,
    base: BaseUrl,
) -> JsonResult {
    let store = state.store();
    let caller = store.authenticate(&headers)?;
    let account = store.check_account(caller, &acct)?;
    if user_id.parse::<i64>().ok() != Some(caller.user_id) {
        return Err(ApiError::AccessDenied);
    }
    Ok(Json(json!({
        "created_at": account.created_at,
        "updated_at": account.created_at,
        "mask_note": false,
        "open_first_transaction": false,
        "mark_as_read": true,
        "mark_as_read_delay": 5,
        "remember_key": true,
        "default_filter": "everything",
        // Guests' default language: the account's language (G-18 has a string here).
        "recipient_language": account.config.settings.pdf_language,
        "secure_link": {
            "enabled": false,
            "url": format!("{}r/{:032x}", base.0, caller.user_id),
            "security_profile_id": account.default_profile_id(),
        },
        "always_promote_as_privileged": false,
    })))
}

/// `GET api/v2/enterprises/{acct}/consent_message_groups/{id}`.
pub async fn consent_group(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((acct, id)): Path<(String, String)>,
) -> JsonResult {
    let store = state.store();
    let caller = store.authenticate(&headers)?;
    let account = store.check_account(caller, &acct)?;
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let group = account
        .config
        .consent_message_groups
        .iter()
        .find(|g| g.id == id)
        .ok_or(ApiError::NotFound)?;
    let messages: Vec<_> = group
        .messages
        .iter()
        .map(|(locale, value)| {
            json!({"locale": locale, "value": value, "created_at": account.created_at, "updated_at": account.created_at})
        })
        .collect();
    Ok(Json(json!({"consent_message_group": {
        "id": group.id,
        "name": group.name,
        "created_at": account.created_at,
        "updated_at": account.created_at,
        "consent_messages": messages,
    }})))
}
