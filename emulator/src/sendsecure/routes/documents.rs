//! Getting documents back: the document URL (E25) and the file it points to, streamed from
//! disk (with single-range support), and the audit record URL (E26) and PDF (E27).

use crate::core::clock;
use crate::core::conn::BaseUrl;
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::json_input::parse_query;
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{new_guid, DownloadLink, DownloadRecord};
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// `GET …/documents/{document_id}/url?user_email=`: a download link for one participant.
pub async fn document_url(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((guid, document_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    base: BaseUrl,
) -> JsonResult {
    let now = state.core.clock.now();
    let query = parse_query(query.as_deref());
    let email = query.get("user_email").cloned().unwrap_or_default();
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let sb = store.safebox_mut(caller, &guid, now)?;
    let participant = sb
        .participants
        .iter()
        .find(|p| !email.is_empty() && p.person.email.eq_ignore_ascii_case(&email))
        .ok_or_else(|| ApiError::bad_request("User email not found"))?;
    let participant_id = participant.id.key();
    let document = sb.document(&document_id).ok_or(ApiError::NotFound)?;
    if document.path.is_none() {
        return Err(ApiError::bad_request(
            "The content of this SafeBox has been deleted",
        ));
    }
    let capability = format!("{}{}", new_guid(), new_guid());
    store.download_links.insert(
        capability.clone(),
        DownloadLink {
            safebox_guid: guid,
            document_id,
            participant_id,
        },
    );
    Ok(Json(
        json!({"url": format!("{}files/{capability}", base.0)}),
    ))
}

/// Parses `bytes=START-[END]` against a file size; `None` for anything else.
fn single_range(value: &str, size: u64) -> Option<(u64, u64)> {
    let spec = value.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().ok()?;
            (size.saturating_sub(n), size.checked_sub(1)?)
        }
        (s, "") => (s.parse().ok()?, size.checked_sub(1)?),
        (s, e) => (
            s.parse().ok()?,
            e.parse::<u64>().ok()?.min(size.checked_sub(1)?),
        ),
    };
    (start <= end && end < size).then_some((start, end))
}

/// `GET /files/{capability}`: the document's bytes.
pub async fn download(
    State(state): State<Shared>,
    Path(capability): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let now = state.core.clock.now();
    let (link, document) = {
        let mut store = state.store();
        let link = store
            .download_links
            .get(&capability)
            .cloned()
            .ok_or(ApiError::NotFound)?;
        let sb = store
            .safeboxes
            .get_mut(&link.safebox_guid)
            .ok_or(ApiError::NotFound)?;
        sb.refresh(now);
        let document = sb
            .document(&link.document_id)
            .cloned()
            .ok_or(ApiError::NotFound)?;
        (link, document)
    };
    let path = document.path.clone().ok_or(ApiError::NotFound)?;
    let mut file = tokio::fs::File::open(&path)
        .await
        .map_err(|_| ApiError::NotFound)?;
    let size = document.size;
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| single_range(v, size));
    let (status, start, len) = match range {
        None => (StatusCode::OK, 0, size),
        Some(Some((start, end))) => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        Some(None) => {
            let headers = [(header::CONTENT_RANGE, format!("bytes */{size}"))];
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, headers).into_response());
        }
    };
    if start > 0 {
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(|_| ApiError::NotFound)?;
    }
    {
        let mut store = state.store();
        if let Some(sb) = store.safeboxes.get_mut(&link.safebox_guid) {
            sb.downloads.push(DownloadRecord {
                participant_id: link.participant_id.clone(),
                document_id: link.document_id.clone(),
                downloaded_bytes: start + len,
                date: clock::format(now),
            });
        }
    }
    let stream = tokio_util::io::ReaderStream::with_capacity(file.take(len), 256 << 10);
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        utf8_percent_encode(&document.name, NON_ALPHANUMERIC)
    );
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, document.content_type.clone())
        .header(header::CONTENT_LENGTH, len)
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::ACCEPT_RANGES, "bytes")
        .header("x-sha256", document.sha256.clone());
    if status == StatusCode::PARTIAL_CONTENT {
        response = response.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", start + len - 1),
        );
    }
    response
        .body(Body::from_stream(stream))
        .map_err(|e| ApiError::Simple(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// `GET …/audit_record_pdf`: the URL of the audit record.
pub async fn audit_record_url(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(guid): Path<String>,
    base: BaseUrl,
) -> JsonResult {
    let now = state.core.clock.now();
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    store.safebox_mut(caller, &guid, now)?;
    Ok(Json(json!({"url": format!("{}s/{guid}.pdf", base.0)})))
}

/// `GET /s/{guid}.pdf`: the audit record, a real PDF listing the SafeBox's events. Like the
/// real service it is reachable with or without the token.
pub async fn audit_record_pdf(
    State(state): State<Shared>,
    Path(file): Path<String>,
) -> ApiResult<Response> {
    let guid = file.strip_suffix(".pdf").ok_or(ApiError::RouteNotFound)?;
    let now = state.core.clock.now();
    let mut store = state.store();
    let sb = store.safeboxes.get_mut(guid).ok_or(ApiError::NotFound)?;
    sb.refresh(now);
    let mut lines = vec![
        format!("SafeBox: {}", sb.guid),
        format!("Subject: {}", sb.subject.clone().unwrap_or_default()),
        format!("Owner: {}", sb.owner_email),
        format!("Status: {}", sb.status.as_str()),
        format!("Created: {}", clock::format(sb.created_at)),
        format!("Expiration: {}", clock::format(sb.expiration)),
        format!(
            "Participants: {}",
            sb.participants
                .iter()
                .map(|p| p.person.email.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        String::new(),
        "Events:".to_string(),
    ];
    lines.extend(
        sb.events
            .iter()
            .map(|e| format!("{}  {}  {}", e.date, e.kind, e.message)),
    );
    let pdf = crate::sendsecure::pdf::text_document("SendSecure audit record", &lines);
    Ok(([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response())
}

#[cfg(test)]
mod tests {
    use super::single_range;

    #[test]
    fn ranges_are_clamped_or_refused() {
        assert_eq!(single_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(single_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(single_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(single_range("bytes=50-500", 100), Some((50, 99)));
        assert_eq!(single_range("bytes=100-", 100), None);
        assert_eq!(single_range("bytes=0-1,3-4", 100), None);
        assert_eq!(single_range("bytes=0-", 0), None);
    }
}
