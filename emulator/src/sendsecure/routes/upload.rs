//! File upload on a capability URL (E2, spec §6): no token; a multipart body with one file part
//! (any field name) or a raw body named by `Content-Disposition`. The bytes are streamed to the
//! data directory while their size and SHA-256 are computed, so memory stays bounded whatever
//! the file size.

use crate::core::conn::ConnInfo;
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{new_guid, StoredFile, UploadSlot};
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use futures_util::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tokio::io::{AsyncWriteExt, BufWriter};

/// Where an upload is going and the limits it must respect.
struct Target {
    slot: UploadSlot,
    safebox_guid: String,
    max_size: Option<u64>,
    filter: crate::sendsecure::config::ExtensionFilterConfig,
}

/// Streams bytes to a file, hashing and counting them, and enforcing the size limit and an
/// injected connection drop.
struct FileSink {
    writer: BufWriter<tokio::fs::File>,
    path: PathBuf,
    hasher: Sha256,
    size: u64,
    max_size: Option<u64>,
    drop_after: Option<u64>,
    conn: Option<ConnInfo>,
    state: Shared,
}

impl FileSink {
    async fn create(
        state: &Shared,
        max_size: Option<u64>,
        drop_after: Option<u64>,
        conn: Option<ConnInfo>,
    ) -> ApiResult<FileSink> {
        let path = state.core.data_dir.join(format!("{}.part", new_guid()));
        let file = tokio::fs::File::create(&path).await.map_err(|e| {
            ApiError::Simple(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot store the file: {e}"),
            )
        })?;
        Ok(FileSink {
            writer: BufWriter::with_capacity(1 << 20, file),
            path,
            hasher: Sha256::new(),
            size: 0,
            max_size,
            drop_after,
            conn,
            state: state.clone(),
        })
    }

    async fn write(&mut self, chunk: Bytes) -> ApiResult<()> {
        self.size += chunk.len() as u64;
        self.state
            .core
            .stats
            .upload_bytes
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
        if let (Some(after), Some(conn)) = (self.drop_after, &self.conn) {
            if self.size >= after {
                let _ = tokio::fs::remove_file(&self.path).await;
                return conn.drop_connection().await;
            }
        }
        if let Some(max) = self.max_size {
            if self.size > max {
                return Err(ApiError::TooLarge(format!(
                    "File size exceeds the maximum allowed ({max} bytes)"
                )));
            }
        }
        self.hasher.update(&chunk);
        self.writer.write_all(&chunk).await.map_err(|e| {
            ApiError::Simple(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot store the file: {e}"),
            )
        })
    }

    /// Flushes and moves the file to its final name; returns (path, size, sha256 hex).
    async fn finish(mut self, document_guid: &str) -> ApiResult<(PathBuf, u64, String)> {
        let io_error = |e: std::io::Error| {
            ApiError::Simple(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot store the file: {e}"),
            )
        };
        self.writer.flush().await.map_err(io_error)?;
        let final_path = self.state.core.data_dir.join(document_guid);
        tokio::fs::rename(&self.path, &final_path)
            .await
            .map_err(io_error)?;
        let digest = hex::encode(self.hasher.clone().finalize());
        self.path = PathBuf::new();
        Ok((final_path, self.size, digest))
    }
}

impl Drop for FileSink {
    fn drop(&mut self) {
        // An upload that failed half-way leaves no partial file behind.
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Reads `filename` or `filename*=UTF-8''…` from a `Content-Disposition` header.
pub fn disposition_filename(value: &str) -> Option<String> {
    let params: Vec<&str> = value.split(';').map(str::trim).collect();
    for param in &params {
        if let Some(encoded) = param.strip_prefix("filename*=") {
            let encoded = encoded.trim_matches('"');
            let raw = match encoded.find("''") {
                Some(i) => &encoded[i + 2..],
                None => encoded,
            };
            // py2 encodes with quote_plus, so `+` stands for a space.
            let decoded = percent_encoding::percent_decode_str(&raw.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned();
            return Some(decoded);
        }
    }
    params.iter().find_map(|param| {
        let v = param.strip_prefix("filename=")?;
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        Some(v.replace("\\\"", "\"").replace("\\\\", "\\"))
    })
}

/// A multipart file name as Rails reads it (Rack's multipart parser): percent-decoded when
/// every `%` in it starts an escape of two hex digits (`+` stays a `+`), else kept as sent.
/// Browsers escape `"`, CR and LF in the file names of HTML forms as `%22`, `%0D`, `%0A`; so
/// does libsendsecure, with `%` as `%25`, and the name comes back intact.
pub fn form_filename(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let escapes_only = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || (i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit())
    });
    if escapes_only && raw.contains('%') {
        percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .into_owned()
    } else {
        raw.to_string()
    }
}

fn find_target(state: &Shared, capability: &str) -> ApiResult<Target> {
    let store = state.store();
    let slot = store
        .upload_slots
        .get(capability)
        .cloned()
        .ok_or(ApiError::NotFound)?;
    let (safebox_guid, account) = match &slot {
        UploadSlot::Safebox { guid } => (guid.clone(), store.pending.get(guid).map(|p| p.account)),
        UploadSlot::Temporary { safebox_guid, .. } => (
            safebox_guid.clone(),
            store.safeboxes.get(safebox_guid).map(|s| s.account),
        ),
    };
    let settings = &store.accounts[account.ok_or(ApiError::NotFound)?]
        .config
        .settings;
    Ok(Target {
        slot,
        safebox_guid,
        max_size: settings.max_file_size_bytes(),
        filter: settings.extension_filter.clone(),
    })
}

fn check_name(target: &Target, name: &str) -> ApiResult<()> {
    if target.filter.allows(name) {
        Ok(())
    } else {
        Err(ApiError::invalid("file", "has a forbidden extension"))
    }
}

/// `POST /xmss/{capability}`.
pub async fn upload(
    State(state): State<Shared>,
    Path(capability): Path<String>,
    request: Request,
) -> JsonResult {
    let target = find_target(&state, &capability)?;
    let conn = request.extensions().get::<ConnInfo>().cloned();
    let drop_after = state.core.faults.take_upload_drop(request.uri().path());
    let headers: HeaderMap = request.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let mut sink = FileSink::create(&state, target.max_size, drop_after, conn).await?;
    let (name, file_type, parts, part_headers) = if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        let mut multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|e| ApiError::bad_request(format!("Malformed multipart body: {e}")))?;
        let mut found = None;
        let mut parts = 0;
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(|e| ApiError::bad_request(format!("Malformed multipart body: {e}")))?
        {
            parts += 1;
            let is_file = field.file_name().is_some() || field.name() == Some("file");
            if !is_file || found.is_some() {
                continue;
            }
            let name = form_filename(field.file_name().unwrap_or("file"));
            let part_headers: Vec<String> = field
                .headers()
                .iter()
                .map(|(name, _)| name.as_str().to_string())
                .collect();
            check_name(&target, &name)?;
            let file_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| ApiError::bad_request(format!("Upload interrupted: {e}")))?
            {
                sink.write(chunk).await?;
            }
            found = Some((name, file_type, part_headers));
        }
        let (name, file_type, part_headers) =
            found.ok_or_else(|| ApiError::invalid("file", "cannot be blank"))?;
        (name, file_type, parts, part_headers)
    } else {
        let name = headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .and_then(disposition_filename)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ApiError::invalid("file", "needs a Content-Disposition file name"))?;
        check_name(&target, &name)?;
        let mut body = request.into_body().into_data_stream();
        while let Some(chunk) = body.next().await {
            let chunk =
                chunk.map_err(|e| ApiError::bad_request(format!("Upload interrupted: {e}")))?;
            sink.write(chunk).await?;
        }
        let file_type = content_type.trim_end_matches(';').trim().to_string();
        (name, file_type, 0, Vec::new())
    };
    let (document_guid, public_encryption_key) = match &target.slot {
        UploadSlot::Temporary {
            document_guid,
            public_encryption_key,
            ..
        } => (document_guid.clone(), public_encryption_key.clone()),
        UploadSlot::Safebox { .. } => (new_guid(), None),
    };
    let (path, size, sha256) = sink.finish(&document_guid).await?;
    let mut store = state.store();
    if let UploadSlot::Temporary { .. } = target.slot {
        // A reply's upload URL is good for one file.
        store.upload_slots.remove(&capability);
    }
    store.temporary_files.insert(
        document_guid.clone(),
        StoredFile {
            safebox_guid: target.safebox_guid,
            name,
            content_type: file_type,
            size,
            sha256,
            path,
            parts,
            part_headers,
            public_encryption_key,
        },
    );
    Ok(Json(
        json!({"temporary_document": {"document_guid": document_guid}}),
    ))
}

#[cfg(test)]
mod tests {
    use super::{disposition_filename, form_filename};

    #[test]
    fn form_file_names_are_percent_decoded_like_rails_does() {
        assert_eq!(
            form_filename("evil%22; name=%22x%0D%0AX: 1%25.txt"),
            "evil\"; name=\"x\r\nX: 1%.txt"
        );
        assert_eq!(form_filename("r%C3%A9sum%C3%A9+1.pdf"), "résumé+1.pdf");
        // A `%` that does not start an escape: the name is kept as sent.
        assert_eq!(form_filename("100% sure %41.txt"), "100% sure %41.txt");
        assert_eq!(form_filename("a%4"), "a%4");
        assert_eq!(form_filename("plain.txt"), "plain.txt");
    }

    #[test]
    fn reads_plain_quoted_and_rfc5987_file_names() {
        assert_eq!(
            disposition_filename("attachment; filename=\"a b.txt\"").unwrap(),
            "a b.txt"
        );
        assert_eq!(
            disposition_filename("attachment; filename=plain.pdf").unwrap(),
            "plain.pdf"
        );
        assert_eq!(
            disposition_filename("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9+final.txt")
                .unwrap(),
            "résumé final.txt"
        );
        assert!(disposition_filename("attachment").is_none());
    }
}
