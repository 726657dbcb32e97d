//! SafeBox reads: initialize (E1), list (E28), info (E29), messages (E30), security options (E31),
//! download activity (E32) and event history (E33).

use crate::core::conn::BaseUrl;
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::json_input::parse_query;
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{new_guid, PendingSafebox, Safebox, Status, UploadSlot, SECTIONS};
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

/// `GET api/v2/safeboxes/new?user_email=`: reserves a GUID and an upload URL.
pub async fn initialize(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    base: BaseUrl,
) -> JsonResult {
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let query = parse_query(query.as_deref());
    let email = query.get("user_email").map(String::as_str).unwrap_or("");
    if !store
        .user_email(caller.account, caller.user_id)
        .eq_ignore_ascii_case(email)
    {
        return Err(ApiError::AccessDenied);
    }
    let guid = new_guid();
    let public_encryption_key = format!("{}{}", new_guid(), new_guid());
    let upload_capability = format!("{}{}", new_guid(), new_guid());
    store.upload_slots.insert(
        upload_capability.clone(),
        UploadSlot::Safebox { guid: guid.clone() },
    );
    store.pending.insert(
        guid.clone(),
        PendingSafebox {
            account: caller.account,
            owner_id: caller.user_id,
            public_encryption_key: public_encryption_key.clone(),
            upload_capability: upload_capability.clone(),
        },
    );
    Ok(Json(json!({
        "guid": guid,
        "public_encryption_key": public_encryption_key,
        "upload_url": format!("{}xmss/{upload_capability}", base.0),
    })))
}

/// The list filters of E28.
struct ListQuery {
    statuses: Vec<String>,
    unread: bool,
    search: Option<String>,
    per_page: usize,
    page: usize,
    raw_status: Option<String>,
    raw_per_page: Option<String>,
}

fn list_query(query: &HashMap<String, String>) -> ApiResult<ListQuery> {
    let per_page = match query.get("per_page") {
        None => 100,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "Invalid per_page parameter value ({raw})"
                )))
            }
        },
    };
    let page = match query.get("page") {
        None => 1,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "Invalid page parameter value ({raw})"
                )))
            }
        },
    };
    let mut statuses = vec![];
    let mut unread = false;
    if let Some(raw) = query.get("status").filter(|s| !s.is_empty()) {
        for status in raw.split(',').map(str::trim) {
            match status {
                "unread" => unread = true,
                "in_progress" | "closed" | "content_deleted" => statuses.push(status.to_string()),
                other => {
                    return Err(ApiError::bad_request(format!(
                        "Invalid status parameter value ({other})"
                    )))
                }
            }
        }
    }
    let search = query
        .get("search")
        .or_else(|| query.get("search_term"))
        .filter(|s| !s.is_empty())
        .cloned();
    Ok(ListQuery {
        statuses,
        unread,
        search,
        per_page,
        page,
        raw_status: query.get("status").cloned(),
        raw_per_page: query.get("per_page").cloned(),
    })
}

impl ListQuery {
    /// `in_progress`, `closed` and `content_deleted` are alternatives; `unread` narrows further.
    fn accepts(&self, sb: &Safebox) -> bool {
        (self.statuses.is_empty() || self.statuses.iter().any(|s| s == sb.status.as_str()))
            && (!self.unread || sb.unread_count() > 0)
            && self
                .search
                .as_deref()
                .map(|t| sb.matches(t))
                .unwrap_or(true)
    }

    /// A relative page URL, without leading slash, as in fixture G-63.
    fn page_url(&self, page: usize) -> String {
        let mut params = vec![];
        if let Some(s) = &self.raw_status {
            params.push(("status", s.clone()));
        }
        if let Some(s) = &self.search {
            params.push(("search", s.clone()));
        }
        if let Some(p) = &self.raw_per_page {
            params.push(("per_page", p.clone()));
        }
        params.push(("page", page.to_string()));
        let query = serde_urlencoded::to_string(&params).unwrap_or_default();
        format!("api/v2/safeboxes?{query}")
    }
}

/// `GET api/v2/safeboxes`: the caller's SafeBoxes, newest activity first, paginated.
pub async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> JsonResult {
    let now = state.core.clock.now();
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let filter = list_query(&parse_query(query.as_deref()))?;
    let mut matching: Vec<&Safebox> = store
        .safeboxes
        .values_mut()
        .filter(|sb| sb.account == caller.account && sb.owner_id == caller.user_id)
        .map(|sb| {
            sb.refresh(now);
            &*sb
        })
        .filter(|sb| filter.accepts(sb))
        .collect();
    matching.sort_by(|a, b| {
        b.latest_activity
            .cmp(&a.latest_activity)
            .then(a.guid.cmp(&b.guid))
    });
    let count = matching.len();
    let start = (filter.page - 1).saturating_mul(filter.per_page);
    let items: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(filter.per_page)
        .map(|sb| json!({"safebox": sb.core_json()}))
        .collect();
    let next = (start + filter.per_page < count).then(|| filter.page_url(filter.page + 1));
    let previous = (filter.page > 1).then(|| filter.page_url(filter.page - 1));
    Ok(Json(json!({
        "count": count,
        "previous_page_url": previous,
        "next_page_url": next,
        "safeboxes": items,
    })))
}

/// Runs `view` on the caller's SafeBox `guid`.
fn with_safebox(
    state: &Shared,
    headers: &HeaderMap,
    guid: &str,
    view: impl FnOnce(&Safebox) -> Value,
) -> JsonResult {
    let now = state.core.clock.now();
    let mut store = state.store();
    let caller = store.authenticate(headers)?;
    let sb = store.safebox_mut(caller, guid, now)?;
    Ok(Json(view(sb)))
}

/// `GET api/v2/safeboxes/{guid}[?sections=a,b]`: all sections unless some are named.
pub async fn info(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
    RawQuery(query): RawQuery,
    base: BaseUrl,
) -> JsonResult {
    let query = parse_query(query.as_deref());
    let sections: Vec<&str> = match query.get("sections") {
        None => SECTIONS.to_vec(),
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if let Some(unknown) = sections.iter().find(|s| !SECTIONS.contains(s)) {
        return Err(ApiError::bad_request(format!(
            "Invalid sections parameter value ({unknown})"
        )));
    }
    with_safebox(&state, &headers, &guid, |sb| {
        sb.info_json(&sections, &base.0)
    })
}

/// `GET api/v2/safeboxes/{guid}/messages`.
pub async fn messages(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
    base: BaseUrl,
) -> JsonResult {
    with_safebox(
        &state,
        &headers,
        &guid,
        |sb| json!({"messages": sb.messages_json(&base.0)}),
    )
}

/// `GET api/v2/safeboxes/{guid}/security_options`.
pub async fn security_options(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    with_safebox(
        &state,
        &headers,
        &guid,
        |sb| json!({"security_options": sb.security_options_json()}),
    )
}

/// `GET api/v2/safeboxes/{guid}/download_activity`.
pub async fn download_activity(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    with_safebox(
        &state,
        &headers,
        &guid,
        |sb| json!({"download_activity": sb.download_activity_json()}),
    )
}

/// `GET api/v2/safeboxes/{guid}/event_history`.
pub async fn event_history(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> JsonResult {
    with_safebox(
        &state,
        &headers,
        &guid,
        |sb| json!({"event_history": sb.event_history_json()}),
    )
}

/// Whether the caller may still change the SafeBox's content (reply, add participants, ...).
pub fn require_open(sb: &Safebox, failure: &str) -> ApiResult<()> {
    if sb.status == Status::InProgress {
        Ok(())
    } else {
        Err(ApiError::ActionFailed(failure.to_string()))
    }
}
