//! Files (spec §6.5-§6.7, §6.12, §10.5): registration with a part count (S19), upload URLs
//! (S20) to storage the emulator serves itself (S21, S27: `/_storage/{token}`, expiring, bound
//! to package, file, part and direction), completion (S22), the multipart upload through the
//! API (S23), file information and delete (S24, S25) and download URLs (S26).

use crate::core::fault_layer::AppliedFault;
use crate::core::faults::{FaultKind, FaultRule};
use crate::core::request_log::JournalNote;
use crate::sendsafely::api::Call;
use crate::sendsafely::error::{SsError, SsResult};
use crate::sendsafely::packages::{check_checksum, file_json, owned, readable};
use crate::sendsafely::segments::{self, SegmentWriter, WriteError};
use crate::sendsafely::state::{SendSafelyState, Shared};
use crate::sendsafely::store::{Direction, FileEntry, PackageState, StorageToken};
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

/// URLs per S20/S26 answer.
pub const BATCH: u32 = 25;

/// How long a segment upload may send nothing before it is given up (nothing is stored).
pub const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

fn whole(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn writable(p: &crate::sendsafely::store::Package) -> Result<(), SsError> {
    if p.state == PackageState::InProgress || p.vdr {
        Ok(())
    } else {
        Err(SsError::fail("The package is not in progress"))
    }
}

/// S19: register a file.
pub fn register(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json()?;
    let name = body
        .get("filename")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| SsError::invalid("filename is required"))?
        .to_string();
    let parts = whole(body.get("parts"))
        .filter(|p| (1..=i64::from(u32::MAX)).contains(p))
        .ok_or_else(|| SsError::invalid("parts must be a whole number >= 1"))?;
    let size = whole(body.get("filesize"))
        .filter(|s| *s >= 0)
        .ok_or_else(|| SsError::invalid("filesize must be a whole number >= 0"))?;
    let directory = body
        .get("directoryId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let now = call.state.core.clock.now();
    let mut store = call.state.store();
    let fid = store.new_id("file-");
    let p = owned(call, &mut store, id)?;
    writable(p)?;
    if let Some(d) = &directory {
        if !p.directories.contains_key(d) {
            return Err(SsError::invalid("Unknown directoryId"));
        }
    }
    if call.state.config.duplicate_file {
        let root = p.root_directory_id.clone();
        let here = directory.clone().unwrap_or_else(|| root.clone());
        if p.files.iter().any(|f| {
            f.name == name && f.directory_id.clone().unwrap_or_else(|| root.clone()) == here
        }) {
            return Err(SsError::new(
                "DUPLICATE_FILE",
                format!("{name} already exists"),
            ));
        }
    }
    p.log(now, &call.user.email, "FILE_ADDED", name.clone());
    p.files.push(FileEntry {
        id: fid.clone(),
        name,
        size: size as u64,
        parts: parts as u32,
        directory_id: directory,
        created_by: call.user.email.clone(),
        segments: Default::default(),
        created: now,
        discarded: false,
    });
    Ok(json!({"message": fid, "fileId": fid}))
}

/// The base of storage URLs (configured, or the URL the client reached us at).
fn storage_base(call: &Call<'_>) -> String {
    if call.state.config.base_url.is_empty() {
        call.base.clone()
    } else {
        call.state.config.base_url.trim_end_matches('/').to_string()
    }
}

/// Storage URLs for parts `from..=to` of a file.
fn urls(
    call: &Call<'_>,
    pid: &str,
    fid: &str,
    from: u32,
    to: u32,
    direction: Direction,
) -> Vec<Value> {
    let expires =
        call.state.core.clock.now() + chrono::Duration::seconds(call.state.config.url_lifetime_s);
    let base = storage_base(call);
    let mut store = call.state.store();
    (from..=to)
        .map(|part| {
            let token = store.new_token(StorageToken {
                package_id: pid.to_string(),
                file_id: fid.to_string(),
                part,
                direction,
                expires,
            });
            json!({"part": part, "url": format!("{base}/_storage/{token}")})
        })
        .collect()
}

/// S20: upload URLs for `part`..min(`part`+24, parts).
pub fn upload_urls(call: &Call<'_>, id: &str, fid: &str) -> SsResult {
    let body = call.json()?;
    let (pid, parts) = {
        let mut store = call.state.store();
        let p = owned(call, &mut store, id)?;
        writable(p)?;
        let pid = p.id.clone();
        let f = p
            .file_mut(fid)
            .ok_or_else(|| SsError::invalid("Unknown file"))?;
        (pid, f.parts)
    };
    let part = whole(body.get("part"))
        .filter(|n| (1..=i64::from(parts)).contains(n))
        .ok_or_else(|| SsError::invalid(format!("part must be between 1 and {parts}")))?
        as u32;
    let to = parts.min(part.saturating_add(BATCH - 1));
    Ok(json!({"uploadUrls": urls(call, &pid, fid, part, to, Direction::Upload)}))
}

/// S22: whether every part is stored (`"true"` / `"false"`).
pub fn upload_complete(call: &Call<'_>, id: &str, fid: &str) -> SsResult {
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    let f = p
        .file_mut(fid)
        .ok_or_else(|| SsError::invalid("Unknown file"))?;
    Ok(json!({"message": if f.uploaded() { "true" } else { "false" }}))
}

/// Writes part `part` of a file from `chunks` as they come and records its length and
/// SHA-256, replacing an earlier copy in one step (§10.5). More than the maximum segment size
/// stores nothing; with `keep`, only that prefix is stored (a `truncate_store` fault).
async fn store_segment<S, E>(
    state: &SendSafelyState,
    (pid, fid, part): (&str, &str, u32),
    keep: Option<u64>,
    mut chunks: S,
) -> Result<(), StoreError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
{
    use futures_util::StreamExt;
    let path = state.store().segment_path(pid, fid, part);
    let max = state.config.max_segment_bytes as u64;
    let mut writer = SegmentWriter::create(&path, max, keep)?;
    // A client that stops sending gives its segment up rather than hold it open forever.
    while let Some(chunk) = tokio::time::timeout(BODY_IDLE_TIMEOUT, chunks.next())
        .await
        .map_err(|_| StoreError::Incomplete)?
    {
        let chunk = chunk.map_err(|_| StoreError::Incomplete)?;
        writer.write(&chunk)?;
    }
    state
        .core
        .stats
        .upload_bytes
        .fetch_add(writer.received(), Ordering::Relaxed);
    let mut store = state.store();
    let file = store
        .packages
        .get_mut(pid)
        .filter(|p| !p.state.is_deleted())
        .and_then(|p| p.file_mut(fid))
        .ok_or(StoreError::Gone)?;
    // Under the lock: the file in place and the digest recorded are the same upload's.
    let segment = writer.commit(&path)?;
    file.segments.insert(part, segment);
    Ok(())
}

/// Why a segment was not stored.
#[derive(Debug)]
enum StoreError {
    Write(WriteError),
    /// The client stopped sending before the end, or sent nothing for
    /// [`BODY_IDLE_TIMEOUT`].
    Incomplete,
    /// The file or its package went away meanwhile.
    Gone,
}

impl From<WriteError> for StoreError {
    fn from(e: WriteError) -> StoreError {
        StoreError::Write(e)
    }
}

impl StoreError {
    /// The refusal of a storage PUT, in S3's manner.
    fn s3(&self) -> Response {
        match self {
            StoreError::Write(WriteError::TooLarge) => too_large(),
            StoreError::Write(WriteError::Io(e)) => {
                s3_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", e)
            }
            StoreError::Incomplete => s3_error(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                "The body ended early or stopped arriving",
            ),
            StoreError::Gone => s3_error(StatusCode::FORBIDDEN, "AccessDenied", "The file is gone"),
        }
    }

    /// The refusal of a multipart upload (S23), as an API error.
    fn api(&self) -> SsError {
        match self {
            StoreError::Write(WriteError::TooLarge) => {
                SsError::invalid("The segment exceeds the maximum segment size")
            }
            StoreError::Write(WriteError::Io(e)) => SsError::fail(e.clone()),
            StoreError::Incomplete => SsError::invalid("The segment is incomplete"),
            StoreError::Gone => SsError::fail("the file is gone"),
        }
    }
}

fn too_large() -> Response {
    s3_error(
        StatusCode::BAD_REQUEST,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    )
}

/// S23: a segment sent to the API as multipart (`requestData` JSON with `filePart`, and
/// `textFile`).
pub fn multipart_upload(call: &Call<'_>, id: &str, fid: &str) -> SsResult {
    let Some((request_data, file)) = &call.upload else {
        return Err(SsError::invalid(
            "multipart/form-data with requestData and textFile expected",
        ));
    };
    let data: Value = serde_json::from_str(request_data)
        .map_err(|_| SsError::invalid("requestData is not JSON"))?;
    let (pid, part) = {
        let mut store = call.state.store();
        let p = owned(call, &mut store, id)?;
        writable(p)?;
        let pid = p.id.clone();
        let parts = p
            .file_mut(fid)
            .ok_or_else(|| SsError::invalid("Unknown file"))?
            .parts;
        let part = whole(data.get("filePart"))
            .filter(|n| (1..=i64::from(parts)).contains(n))
            .ok_or_else(|| SsError::invalid(format!("filePart must be between 1 and {parts}")))?;
        (pid, part as u32)
    };
    let chunks = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(file.clone())]);
    // The body is already in memory: the stream is ready, so this never waits.
    let stored = store_segment(call.state, (&pid, fid, part), None, chunks);
    futures_util::FutureExt::now_or_never(stored)
        .unwrap_or(Err(StoreError::Incomplete))
        .map_err(|e| e.api())?;
    Ok(json!({"message": "Upload complete"}))
}

/// S24: one file.
pub fn info(call: &Call<'_>, id: &str, fid: &str) -> SsResult {
    let mut store = call.state.store();
    let p = readable(call, &mut store, id)?;
    let f = p
        .file_mut(fid)
        .ok_or_else(|| SsError::invalid("Unknown file"))?;
    Ok(json!({"file": file_json(f)}))
}

/// S25: delete a file and its segments.
pub fn delete(call: &Call<'_>, id: &str, fid: &str) -> SsResult {
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    writable(p)?;
    let before = p.files.len();
    p.files.retain(|f| f.id != fid);
    if p.files.len() == before {
        return Err(SsError::invalid("Unknown file"));
    }
    let dir = store.package_dir(id).join(fid);
    let _ = std::fs::remove_dir_all(dir);
    store.tokens.retain(|_, t| t.file_id != fid);
    Ok(json!({"message": "File deleted"}))
}

/// S26: download URLs for `startSegment`..min(`endSegment`, parts), with the checksum.
pub fn download_urls(call: &Call<'_>, id: &str, fid: &str) -> SsResult {
    let body = call.json()?;
    let (pid, parts) = {
        let mut store = call.state.store();
        let p = readable(call, &mut store, id)?;
        check_checksum(p, body.get("checksum").and_then(Value::as_str))?;
        let pid = p.id.clone();
        let f = p
            .file_mut(fid)
            .ok_or_else(|| SsError::invalid("Unknown file"))?;
        if f.discarded {
            return Err(SsError::fail(
                "The file was deleted after the package expired",
            ));
        }
        if !f.uploaded() {
            return Err(SsError::fail("The file is not completely uploaded"));
        }
        (pid, f.parts)
    };
    let start = whole(body.get("startSegment")).unwrap_or(1);
    let end = whole(body.get("endSegment")).unwrap_or(i64::from(parts));
    if start < 1 || start > i64::from(parts) || end < start {
        return Err(SsError::invalid(format!(
            "segments must be within 1..{parts}"
        )));
    }
    let to = parts.min(u32::try_from(end).unwrap_or(u32::MAX));
    Ok(json!({"downloadUrls": urls(call, &pid, fid, start as u32, to, Direction::Download)}))
}

/// A 403 in S3's manner.
fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/xml")],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        ),
    )
        .into_response()
}

/// The token, if valid for `direction` now.
fn token(
    state: &SendSafelyState,
    id: &str,
    direction: Direction,
) -> Result<StorageToken, &'static str> {
    let now = state.core.clock.now();
    let store = state.store();
    match store.tokens.get(id) {
        Some(t) if t.direction == direction && t.expires > now => Ok(t.clone()),
        Some(t) if t.direction == direction => Err("Request has expired"),
        _ => Err("Invalid or unknown URL"),
    }
}

/// A storage answer, noted in the journal as not authenticated (the URL is the capability).
fn not_checked(mut response: Response) -> Response {
    JournalNote::set_auth(&mut response, "not-checked");
    response
}

/// The storage fault the fault layer handed over, if any.
fn applied(request: &Request) -> Option<FaultRule> {
    request
        .extensions()
        .get::<AppliedFault>()
        .map(|f| f.0.clone())
}

fn expired() -> Response {
    s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Request has expired")
}

/// S21: `PUT /_storage/{token}`: the segment, byte for byte, streamed to disk; 200 with an
/// empty body.
pub async fn storage_put(
    State(state): State<Shared>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    not_checked(put_segment(&state, &id, request).await)
}

async fn put_segment(state: &SendSafelyState, id: &str, request: Request) -> Response {
    let t = match token(state, id, Direction::Upload) {
        Ok(t) => t,
        Err(why) => return s3_error(StatusCode::FORBIDDEN, "AccessDenied", why),
    };
    let fault = applied(&request);
    if fault
        .as_ref()
        .is_some_and(|f| f.kind == FaultKind::ExpireUrl)
    {
        return expired();
    }
    {
        let store = state.store();
        let open = store.packages.get(&t.package_id).is_some_and(|p| {
            (p.state == PackageState::InProgress || p.vdr)
                && p.files.iter().any(|f| f.id == t.file_id)
        });
        if !open {
            return s3_error(StatusCode::FORBIDDEN, "AccessDenied", "The file is closed");
        }
    }
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > state.config.max_segment_bytes as u64) {
        return too_large();
    }
    // truncate_store keeps `after_bytes`, by default half of the announced length.
    let keep = fault
        .filter(|f| f.kind == FaultKind::TruncateStore)
        .map(|f| f.after_bytes.unwrap_or(announced.unwrap_or(0) / 2));
    let chunks = request.into_body().into_data_stream();
    let target = (t.package_id.as_str(), t.file_id.as_str(), t.part);
    match store_segment(state, target, keep, chunks).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => e.s3(),
    }
}

/// S27: `GET /_storage/{token}`: the stored segment, streamed from disk.
pub async fn storage_get(
    State(state): State<Shared>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let fault = applied(&request);
    not_checked(get_segment(&state, &id, fault).await)
}

async fn get_segment(state: &SendSafelyState, id: &str, fault: Option<FaultRule>) -> Response {
    let t = match token(state, id, Direction::Download) {
        Ok(t) => t,
        Err(why) => return s3_error(StatusCode::FORBIDDEN, "AccessDenied", why),
    };
    if fault.is_some_and(|f| f.kind == FaultKind::ExpireUrl) {
        return expired();
    }
    let missing = || {
        s3_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The segment does not exist",
        )
    };
    let (path, len) = {
        let now = state.core.clock.now();
        let mut store = state.store();
        store.refresh_all(now);
        let stored = store
            .packages
            .get(&t.package_id)
            .filter(|p| !p.state.is_deleted())
            .and_then(|p| p.files.iter().find(|f| f.id == t.file_id))
            .and_then(|f| f.segments.get(&t.part))
            .map(|s| s.len);
        let Some(len) = stored else {
            return missing();
        };
        (store.segment_path(&t.package_id, &t.file_id, t.part), len)
    };
    match segments::read(&path).await {
        Ok(body) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                (header::CONTENT_LENGTH, len.to_string()),
            ],
            body,
        )
            .into_response(),
        Err(_) => missing(),
    }
}
