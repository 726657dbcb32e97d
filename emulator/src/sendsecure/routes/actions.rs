//! State changes on a SafeBox: add time (E18), close (E19), delete content (E20), mark read or
//! unread (E21–E24), archive (E34–E35) and follow (E36–E37). Refusals are 400
//! `{"result":false,"message":...}` with the vendor's messages.

use crate::core::clock;
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::json_input::{opt_i64, opt_str, parse_body, resource};
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{Safebox, Status};
use crate::sendsecure::time_units::TIME_UNITS;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// Runs `action` on the caller's SafeBox `guid` and answers its value.
fn act(
    state: &Shared,
    headers: &HeaderMap,
    guid: &str,
    action: impl FnOnce(&mut Safebox, DateTime<Utc>) -> ApiResult<Value>,
) -> JsonResult {
    let now = state.core.clock.now();
    let mut store = state.store();
    let caller = store.authenticate(headers)?;
    let sb = store.safebox_mut(caller, guid, now)?;
    Ok(Json(action(sb, now)?))
}

fn failed(message: &str) -> ApiError {
    ApiError::ActionFailed(message.to_string())
}

/// `PATCH …/add_time` with `{"safebox":{"add_time_value":n,"add_time_unit":u}}`.
pub async fn add_time(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
    body: Bytes,
) -> JsonResult {
    const FAILURE: &str = "Unable to extend the SafeBox duration.";
    let body = parse_body(&body)?;
    let input = resource(&body, "safebox")?;
    let value = opt_i64(input, "add_time_value")
        .ok()
        .flatten()
        .filter(|v| *v > 0);
    let unit = opt_str(input, "add_time_unit").ok().flatten();
    act(&state, &headers, &guid, |sb, now| {
        let (Some(value), Some(unit)) = (value, unit) else {
            return Err(failed(FAILURE));
        };
        if sb.status != Status::InProgress || !TIME_UNITS.contains(&unit.as_str()) {
            return Err(failed(FAILURE));
        }
        let new_expiration =
            clock::add(sb.expiration, value, &unit).ok_or_else(|| failed(FAILURE))?;
        sb.expiration = new_expiration;
        sb.touch(now);
        let text = format!("SafeBox extended by {value} {unit}");
        sb.event(
            "safebox_extended_owner",
            now,
            json!({"value": value, "unit": unit}),
            text,
        );
        Ok(json!({
            "result": true,
            "message": "SafeBox duration successfully extended.",
            "new_expiration": clock::format(new_expiration),
        }))
    })
}

/// `PATCH …/close`: only an `in_progress` SafeBox whose options allow manual close.
pub async fn close(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    act(&state, &headers, &guid, |sb, now| {
        if sb.status != Status::InProgress || !sb.option_bool("allow_manual_close") {
            return Err(failed("Unable to close the SafeBox."));
        }
        sb.close(now, "safebox_closed_owner", "SafeBox closed by its owner");
        Ok(json!({"result": true, "message": "SafeBox successfully closed."}))
    })
}

/// `PATCH …/delete_content`: only a `closed` SafeBox whose options allow manual delete.
pub async fn delete_content(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    act(&state, &headers, &guid, |sb, now| {
        if sb.status != Status::Closed || !sb.option_bool("allow_manual_delete") {
            return Err(failed("Unable to delete the SafeBox content."));
        }
        sb.delete_content(
            now,
            "safebox_content_deleted_owner",
            "SafeBox content deleted by its owner",
        );
        Ok(json!({"result": true, "message": "SafeBox content successfully deleted."}))
    })
}

fn mark_all(
    state: &Shared,
    headers: &HeaderMap,
    guid: &str,
    read: bool,
    failure: &str,
) -> JsonResult {
    act(state, headers, guid, |sb, _| {
        if sb.status == Status::ContentDeleted {
            return Err(failed(failure));
        }
        sb.messages.iter_mut().for_each(|m| m.read = read);
        Ok(json!({"result": true}))
    })
}

/// `PATCH …/mark_as_read`: every message read.
pub async fn mark_as_read(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    mark_all(
        &state,
        &headers,
        &guid,
        true,
        "Unable to mark the SafeBox as Read.",
    )
}

/// `PATCH …/mark_as_unread`: every message unread.
pub async fn mark_as_unread(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    mark_all(
        &state,
        &headers,
        &guid,
        false,
        "Unable to mark the SafeBox as Unread.",
    )
}

fn mark_message(
    state: &Shared,
    headers: &HeaderMap,
    guid: &str,
    id: &str,
    read: bool,
    failure: &str,
) -> JsonResult {
    act(state, headers, guid, |sb, _| {
        let id: i64 = id.parse().map_err(|_| failed(failure))?;
        let message = sb
            .messages
            .iter_mut()
            .find(|m| m.id == id)
            .ok_or_else(|| failed(failure))?;
        message.read = read;
        Ok(json!({"result": true}))
    })
}

/// `PATCH …/messages/{message_id}/read`.
pub async fn mark_message_read(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((guid, id)): Path<(String, String)>,
) -> JsonResult {
    mark_message(
        &state,
        &headers,
        &guid,
        &id,
        true,
        "Unable to mark the message as read.",
    )
}

/// `PATCH …/messages/{message_id}/unread`.
pub async fn mark_message_unread(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((guid, id)): Path<(String, String)>,
) -> JsonResult {
    mark_message(
        &state,
        &headers,
        &guid,
        &id,
        false,
        "Unable to mark the message as Unread.",
    )
}

/// Adds or removes the `archive` tag; the body names the owner: `{"user_email": ...}`.
fn retag(
    state: &Shared,
    headers: &HeaderMap,
    guid: &str,
    tag: &str,
    body: &Bytes,
    add: bool,
) -> JsonResult {
    if tag != "archive" {
        return Err(ApiError::RouteNotFound);
    }
    let (failure, success) = if add {
        (
            "Unable to add Safebox to Archives",
            "SafeBox successfully archived",
        )
    } else {
        (
            "Unable to remove Safebox from Archives",
            "SafeBox successfully removed from Archives",
        )
    };
    let email = parse_body(body)
        .ok()
        .and_then(|b| opt_str(&b, "user_email").ok().flatten());
    act(state, headers, guid, |sb, _| {
        let owner = email
            .map(|e| e.eq_ignore_ascii_case(&sb.owner_email))
            .unwrap_or(false);
        if !owner || sb.tags.contains(tag) == add {
            return Err(failed(failure));
        }
        if add {
            sb.tags.insert(tag.to_string());
        } else {
            sb.tags.remove(tag);
        }
        Ok(json!({"result": true, "message": success}))
    })
}

/// `POST …/tag/archive`.
pub async fn tag(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((guid, tag)): Path<(String, String)>,
    body: Bytes,
) -> JsonResult {
    retag(&state, &headers, &guid, &tag, &body, true)
}

/// `POST …/untag/archive`.
pub async fn untag(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((guid, tag)): Path<(String, String)>,
    body: Bytes,
) -> JsonResult {
    retag(&state, &headers, &guid, &tag, &body, false)
}

fn set_followed(state: &Shared, headers: &HeaderMap, guid: &str, followed: bool) -> JsonResult {
    act(state, headers, guid, |sb, _| {
        sb.followed = followed;
        let word = if followed { "followed" } else { "unfollowed" };
        Ok(json!({"result": true, "message": format!("The SafeBox is now {word}.")}))
    })
}

/// `PATCH …/follow`.
pub async fn follow(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    set_followed(&state, &headers, &guid, true)
}

/// `PATCH …/unfollow`.
pub async fn unfollow(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    set_followed(&state, &headers, &guid, false)
}
