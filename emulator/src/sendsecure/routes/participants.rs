//! Participants of a SafeBox: list (E16), create (E14), update or delete contact methods (E15),
//! and recipient search (E17).

use crate::core::clock;
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::json_input::{opt_array, opt_bool, parse_body, parse_query, resource};
use crate::sendsecure::routes::safeboxes::require_open;
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{
    apply_contact_methods, new_guid, owned_safebox, GuestOptions, Participant, ParticipantId,
    Person, Store,
};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Map, Value};

/// Reads a new guest from a request object (commit recipients and E14 share this).
///
/// When the SafeBox's security options do not allow e-mail codes, a guest needs a phone.
pub fn read_guest(
    obj: &Map<String, Value>,
    now: &str,
    next_id: &mut dyn FnMut() -> i64,
    allow_email: bool,
) -> ApiResult<Participant> {
    let person = Person::read(obj, None)?;
    let mut contact_methods = vec![];
    if let Some(methods) = opt_array(obj, "contact_methods")? {
        apply_contact_methods(&mut contact_methods, methods, now, next_id)?;
    }
    if !allow_email && contact_methods.is_empty() {
        return Err(ApiError::invalid("contact_methods", "cannot be blank"));
    }
    Ok(Participant {
        id: ParticipantId::Guest(new_guid()),
        person,
        privileged: opt_bool(obj, "privileged")?.unwrap_or(false),
        guest: Some(GuestOptions {
            locked: opt_bool(obj, "locked")?.unwrap_or(false),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            contact_methods,
        }),
    })
}

/// `GET api/v2/safeboxes/{guid}/participants`.
pub async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    let now = state.core.clock.now();
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let sb = store.safebox_mut(caller, &guid, now)?;
    Ok(Json(json!({"participants": sb.participants_json(false)})))
}

/// `POST api/v2/safeboxes/{guid}/participants`.
pub async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
    body: Bytes,
) -> JsonResult {
    let now = state.core.clock.now();
    let now_text = clock::format(now);
    let body = parse_body(&body)?;
    let input = resource(&body, "participant")?;
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let Store { safeboxes, ids, .. } = &mut *store;
    let sb = owned_safebox(safeboxes, caller, &guid, now)?;
    require_open(sb, "Unable to add the participant.")?;
    let participant = read_guest(
        input,
        &now_text,
        &mut || ids.fresh(),
        sb.option_bool("allow_email"),
    )?;
    if sb.participants.iter().any(|p| {
        p.person
            .email
            .eq_ignore_ascii_case(&participant.person.email)
    }) {
        return Err(ApiError::invalid("email", "has already been taken"));
    }
    let response = sb.participant_json(&participant, false);
    let email = participant.person.email.clone();
    sb.participants.push(participant);
    sb.touch(now);
    sb.event(
        "participant_added",
        now,
        json!({"emails": [email]}),
        format!("{email} added to the SafeBox"),
    );
    Ok(Json(response))
}

/// `PATCH api/v2/safeboxes/{guid}/participants/{participant_id}`.
pub async fn update(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((guid, participant_id)): Path<(String, String)>,
    body: Bytes,
) -> JsonResult {
    let now = state.core.clock.now();
    let now_text = clock::format(now);
    let body = parse_body(&body)?;
    let input = resource(&body, "participant")?;
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let Store { safeboxes, ids, .. } = &mut *store;
    let sb = owned_safebox(safeboxes, caller, &guid, now)?;
    require_open(sb, "Unable to update the participant.")?;
    let allow_email = sb.option_bool("allow_email");
    let index = sb
        .participants
        .iter()
        .position(|p| p.id == ParticipantId::Guest(participant_id.clone()))
        .ok_or(ApiError::NotFound)?;
    let mut updated = sb.participants[index].clone();
    updated.person = Person::read(input, Some(&updated.person))?;
    if let Some(p) = opt_bool(input, "privileged")? {
        updated.privileged = p;
    }
    if let Some(guest) = updated.guest.as_mut() {
        if let Some(locked) = opt_bool(input, "locked")? {
            guest.locked = locked;
        }
        if let Some(methods) = opt_array(input, "contact_methods")? {
            apply_contact_methods(&mut guest.contact_methods, methods, &now_text, &mut || {
                ids.fresh()
            })?;
        }
        if !allow_email && guest.contact_methods.is_empty() {
            return Err(ApiError::invalid("contact_methods", "cannot be blank"));
        }
        guest.updated_at = now_text;
    }
    let response = sb.participant_json(&updated, false);
    sb.participants[index] = updated;
    sb.touch(now);
    Ok(Json(response))
}

/// `GET api/v2/recipients/autocomplete?term=` (and `api/v2/participants/autocomplete`): the
/// caller's favorites and the account's users whose name or e-mail contains the term.
pub async fn search(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> JsonResult {
    let store = state.store();
    let caller = store.authenticate(&headers)?;
    let query = parse_query(query.as_deref());
    let term = query
        .get("term")
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::bad_request("Search term cannot be blank"))?;
    let account = &store.accounts[caller.account];
    let hit = |p: &Person| {
        [&p.email, &p.first_name, &p.last_name]
            .iter()
            .any(|s| s.to_lowercase().contains(&term))
    };
    let mut results = vec![];
    if account.config.settings.include_favorites_in_autocomplete {
        for favorite in account.favorites.get(&caller.user_id).into_iter().flatten() {
            if hit(&favorite.person) {
                results.push(json!({
                    "id": favorite.id, "type": "favorite",
                    "first_name": favorite.person.first_name, "last_name": favorite.person.last_name,
                    "email": favorite.person.email, "company_name": favorite.person.company_name,
                }));
            }
        }
    }
    if account.config.settings.include_users_in_autocomplete {
        for user in &account.config.users {
            let person = Person {
                email: user.email.clone(),
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
                company_name: String::new(),
            };
            if hit(&person) {
                results.push(json!({
                    "id": user.id, "type": "user",
                    "first_name": user.first_name, "last_name": user.last_name,
                    "email": user.email, "company_name": "",
                }));
            }
        }
    }
    Ok(Json(json!({ "results": results })))
}
