//! A user's favorites: list (E7), create (E8), update or delete contact methods (E9), delete (E10).

use crate::core::clock;
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::json_input::{opt_array, opt_bool, opt_i64, parse_body, resource};
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{apply_contact_methods, Account, Caller, Favorite, Person, Store};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::json;

/// Authenticates and checks that the path's account and user are the caller's.
fn caller_for(store: &Store, headers: &HeaderMap, acct: &str, user_id: &str) -> ApiResult<Caller> {
    let caller = store.authenticate(headers)?;
    store.check_account(caller, acct)?;
    if user_id.parse::<i64>().ok() != Some(caller.user_id) {
        return Err(ApiError::AccessDenied);
    }
    Ok(caller)
}

fn favorites_of(accounts: &mut [Account], caller: Caller) -> &mut Vec<Favorite> {
    accounts[caller.account]
        .favorites
        .entry(caller.user_id)
        .or_default()
}

/// `GET …/users/{user_id}/favorites`.
pub async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((acct, user_id)): Path<(String, String)>,
) -> JsonResult {
    let mut store = state.store();
    let caller = caller_for(&store, &headers, &acct, &user_id)?;
    let list: Vec<_> = favorites_of(&mut store.accounts, caller)
        .iter()
        .map(Favorite::to_json)
        .collect();
    Ok(Json(json!({ "favorites": list })))
}

/// `POST …/users/{user_id}/favorites`.
pub async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((acct, user_id)): Path<(String, String)>,
    body: Bytes,
) -> JsonResult {
    let now = clock::format(state.core.clock.now());
    let body = parse_body(&body)?;
    let input = resource(&body, "favorite")?;
    let mut store = state.store();
    let caller = caller_for(&store, &headers, &acct, &user_id)?;
    let person = Person::read(input, None)?;
    let Store { accounts, ids, .. } = &mut *store;
    let mut contact_methods = vec![];
    if let Some(methods) = opt_array(input, "contact_methods")? {
        apply_contact_methods(&mut contact_methods, methods, &now, &mut || ids.fresh())?;
    }
    let id = ids.fresh();
    let list = favorites_of(accounts, caller);
    let order_number = opt_i64(input, "order_number")?
        .filter(|n| *n > 0)
        .unwrap_or(list.iter().map(|f| f.order_number).max().unwrap_or(0) + 1);
    let favorite = Favorite {
        id,
        person,
        order_number,
        always_promote: opt_bool(input, "always_promote")?.unwrap_or(false),
        created_at: now.clone(),
        updated_at: now,
        contact_methods,
    };
    list.push(favorite.clone());
    Ok(Json(favorite.to_json()))
}

/// `PATCH …/users/{user_id}/favorites/{favorite_id}`.
pub async fn update(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((acct, user_id, favorite_id)): Path<(String, String, String)>,
    body: Bytes,
) -> JsonResult {
    let now = clock::format(state.core.clock.now());
    let body = parse_body(&body)?;
    let input = resource(&body, "favorite")?;
    let mut store = state.store();
    let caller = caller_for(&store, &headers, &acct, &user_id)?;
    let favorite_id: i64 = favorite_id.parse().map_err(|_| ApiError::NotFound)?;
    let Store { accounts, ids, .. } = &mut *store;
    let list = favorites_of(accounts, caller);
    let favorite = list
        .iter_mut()
        .find(|f| f.id == favorite_id)
        .ok_or(ApiError::NotFound)?;
    let mut updated = favorite.clone();
    updated.person = Person::read(input, Some(&favorite.person))?;
    if let Some(methods) = opt_array(input, "contact_methods")? {
        apply_contact_methods(&mut updated.contact_methods, methods, &now, &mut || {
            ids.fresh()
        })?;
    }
    if let Some(n) = opt_i64(input, "order_number")? {
        updated.order_number = n;
    }
    if let Some(b) = opt_bool(input, "always_promote")? {
        updated.always_promote = b;
    }
    updated.updated_at = now;
    *favorite = updated.clone();
    Ok(Json(updated.to_json()))
}

/// `DELETE …/users/{user_id}/favorites/{favorite_id}`: 204 with an empty body.
pub async fn delete(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((acct, user_id, favorite_id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let mut store = state.store();
    let caller = caller_for(&store, &headers, &acct, &user_id)?;
    let favorite_id: i64 = favorite_id.parse().map_err(|_| ApiError::NotFound)?;
    let list = favorites_of(&mut store.accounts, caller);
    let before = list.len();
    list.retain(|f| f.id != favorite_id);
    if list.len() == before {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
