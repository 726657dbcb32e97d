//! Receiving a package (spec §6.12, §11.8): the package resolved from its link (S6 by
//! packageCode), each file's segment count (S24), its download URLs in batches of 25 (S26), each
//! segment fetched (S27) and decrypted, and the plaintext written in part order.
//!
//! Segments are fetched and decrypted ahead of the one being written, at most
//! `transfer_concurrency` at a time (so memory is bounded whatever the file's size), decrypted
//! on the blocking pool, at most `crypto_threads` at once; the buffers of their ciphertext and
//! plaintext come from a pool of the call (see `buffers`), the plaintext's wiped when it goes
//! back. A download to a path writes a
//! partial file renamed to the path once every segment is written: on any failure (a segment
//! that does not decrypt, a wrong keycode, a stop) there is no file at the path.

use crate::sendsafely::api::buffers::{Buffer, BufferPool};
use crate::sendsafely::client::Client;
use crate::sendsafely::crypto_task;
use crate::sendsafely::link::SecureLink;
use crate::sendsafely::model::{
    DownloadProgress, DownloadProgressFn, DownloadedPackage, FileInfo, ReceivedPackage, Secret,
};
use crate::transport::error::{Error, Result};
use crate::transport::http::{read_truncated_within, MAX_ERROR_BODY};
use crate::transport::json_fields::{object, required_int, required_list, required_text};
use crate::transport::retry::{note_answered, retry_after, with_retries, Failure, Idempotency};
use crate::transport::transfer::{create_partial, settle_progress, DownloadSink, PartialFile};
use futures_util::{StreamExt, TryStreamExt};
use reqwest::Method;
use sendsafely_crypto::segment::{MESSAGE_OVERHEAD, SEGMENT_SIZE};
use serde_json::json;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;
use url::Url;
use zeroize::Zeroizing;

/// Download URLs per S26 request, as every SDK asks for them.
const URL_BATCH: u64 = 25;

/// The largest encrypted segment accepted: the largest plaintext plus far more than OpenPGP's
/// overhead.
const MAX_ENCRYPTED_SEGMENT: usize = sendsafely_crypto::segment::MAX_SEGMENT_PLAINTEXT + (1 << 20);

/// Awaits one step of a segment fetch, failing it with a timeout after `stall` without data.
async fn within_stall<T>(
    stall: Option<Duration>,
    step: impl Future<Output = std::result::Result<T, Failure>>,
) -> std::result::Result<T, Failure> {
    match stall {
        Some(stall) => tokio::time::timeout(stall, step).await.unwrap_or_else(|_| {
            Err(Failure::timeout(format!(
                "segment download: no data for {} ms (the stall timeout)",
                stall.as_millis()
            )))
        }),
        None => step.await,
    }
}

/// Where the plaintext goes: a writer, or a partial file renamed to its path at the end.
struct Output {
    writer: Box<dyn tokio::io::AsyncWrite + Send + Unpin>,
    /// The partial file and the path it becomes, for a download to a path.
    partial: Option<(PartialFile, PathBuf)>,
}

impl Output {
    fn open(sink: DownloadSink) -> Result<Output> {
        Ok(match sink {
            DownloadSink::Path(path) => {
                let (file, part) = create_partial(&path)?;
                Output {
                    writer: Box::new(tokio::fs::File::from_std(file)),
                    partial: Some((PartialFile::armed(part), path)),
                }
            }
            DownloadSink::Writer(writer) => Output {
                writer,
                partial: None,
            },
        })
    }

    fn io_error(&self, source: std::io::Error) -> Error {
        let path = match &self.partial {
            Some((_, path)) => path.display().to_string(),
            None => "download".into(),
        };
        Error::Io { path, source }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match self.writer.write_all(bytes).await {
            Ok(()) => Ok(()),
            Err(e) => Err(self.io_error(e)),
        }
    }

    /// Flushes (and ends a writer), then renames a partial file to its path.
    async fn finish(mut self) -> Result<()> {
        let ended = match self.partial {
            Some(_) => self.writer.flush().await,
            None => match self.writer.flush().await {
                Ok(()) => self.writer.shutdown().await,
                Err(e) => Err(e),
            },
        };
        if let Err(e) = ended {
            return Err(self.io_error(e));
        }
        drop(self.writer);
        settle_progress().await;
        match self.partial.as_mut() {
            Some((partial, path)) => partial.persist(path),
            None => Ok(()),
        }
    }
}

/// The error of segments whose plaintext is not the size the file information declares.
fn size_mismatch(declared: u64, found: &str) -> Error {
    Error::Decode(format!(
        "the file's segments hold {found} the {declared} bytes its information declares \
         (fileSize): the file is refused"
    ))
}

/// A file name of the server made safe to create in a directory: PY's replacement of
/// `<>:"/\|?*` (and of control characters) by `_`, and never empty, `.` or `..`.
fn local_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    match safe.trim() {
        "" | "." | ".." => "_".into(),
        _ => safe,
    }
}

/// `name`, or `name (2)`, `name (3)`, … (before the extension) when taken.
fn unused_name(name: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    };
    let mut candidate = name.to_string();
    let mut n = 1;
    while !taken.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = format!("{stem} ({n}){extension}");
    }
    candidate
}

impl Client {
    /// Opens the package `id_or_code` (its packageId, or the packageCode of its link: S6
    /// resolves both) with `keycode`: its id, code, server secret and files.
    pub async fn open_package(&self, id_or_code: &str, keycode: &str) -> Result<ReceivedPackage> {
        if keycode.is_empty() {
            return Err(Error::InvalidArgument("the keycode must be given".into()));
        }
        Ok(ReceivedPackage {
            info: self.package_information(id_or_code).await?,
            keycode: Secret::from(keycode.to_string()),
        })
    }

    /// Opens the package of a secure link, resolved by its packageCode (§11.8).
    pub async fn open_link(&self, link: &SecureLink) -> Result<ReceivedPackage> {
        self.open_package(&link.package_code, &link.keycode).await
    }

    /// `package/{pid}/file/{fid}`, or its form under the file's workspace directory.
    fn file_path(package: &ReceivedPackage, file_id: &str) -> Result<String> {
        let directory = package
            .info
            .files
            .iter()
            .find(|f| f.file_id == file_id)
            .and_then(|f| f.directory_id.as_deref());
        let package_id = Client::id("package id", &package.info.package_id)?;
        let file_id = Client::id("file id", file_id)?;
        Ok(match directory {
            Some(directory) => format!(
                "package/{package_id}/directory/{}/file/{file_id}",
                Client::id("directory id", directory)?
            ),
            None => format!("package/{package_id}/file/{file_id}"),
        })
    }

    /// The download URLs of segments `start..=end` (S26), in part order: exactly those parts,
    /// each once, or the answer is refused.
    async fn download_urls(
        &self,
        file_path: &str,
        checksum: &str,
        start: u64,
        end: u64,
    ) -> Result<Vec<(u64, Url)>> {
        let body = json!({ "checksum": checksum, "startSegment": start, "endSegment": end });
        let path = format!("{file_path}/download-urls/");
        let answer = self
            .send_json(Method::POST, &path, &body, Idempotency::Idempotent)
            .await?;
        let what = "the download URLs";
        let mut urls = vec![None; (end - start + 1) as usize];
        for (place, item) in required_list(object(&answer, what)?, "downloadUrls", what, "URL")? {
            let o = object(item, &place)?;
            let part = required_int(o, "part", &place)?;
            let url = required_text(o, "url", &place)?;
            let slot = u64::try_from(part)
                .ok()
                .filter(|p| (start..=end).contains(p))
                .and_then(|p| urls.get_mut((p - start) as usize))
                .ok_or_else(|| {
                    Error::Decode(format!(
                        "{place} is for part {part}, not one of {start}..{end}"
                    ))
                })?;
            if slot.is_some() {
                return Err(Error::Decode(format!("{what} give part {part} twice")));
            }
            self.http().check_transfer_url(&url)?;
            let url = Url::parse(&url)
                .map_err(|e| Error::Decode(format!("{place} is not a URL: {e}")))?;
            *slot = Some(url);
        }
        urls.into_iter()
            .zip(start..)
            .map(|(url, part)| {
                url.map(|url| (part, url)).ok_or_else(|| {
                    Error::Decode(format!("{what} of parts {start}..{end} miss part {part}"))
                })
            })
            .collect()
    }

    /// One encrypted segment (S27): a plain GET of its URL (no API headers), which must answer
    /// 200; retried as any GET, each step failing after the stall timeout without data.
    async fn fetch_segment(&self, url: &Url, buffers: &Arc<BufferPool>) -> Result<Buffer> {
        let transfer = self.http().transfer();
        let stall = transfer.stall;
        with_retries(&transfer.retry, Idempotency::Idempotent, None, |_| async {
            let request = transfer.pool.http.get(url.clone());
            let mut response = within_stall(stall, async {
                request.send().await.map_err(Failure::from_reqwest)
            })
            .await?;
            note_answered(&response);
            let status = response.status().as_u16();
            if status != 200 {
                let wait = retry_after(response.headers());
                let body = read_truncated_within(response, MAX_ERROR_BODY, stall).await;
                let text = String::from_utf8_lossy(&body).into_owned();
                return Err(transfer.rules.answered(
                    transfer.rules.error(status, text),
                    status,
                    wait,
                ));
            }
            let too_large = || {
                Failure::fatal(Error::Decode(format!(
                    "a segment is larger than {MAX_ENCRYPTED_SEGMENT} bytes"
                )))
            };
            let announced = response.content_length().unwrap_or(0);
            if announced > MAX_ENCRYPTED_SEGMENT as u64 {
                return Err(too_large());
            }
            let mut bytes = buffers.take(false);
            bytes.reserve(announced as usize);
            while let Some(chunk) = within_stall(stall, async {
                response.chunk().await.map_err(Failure::from_reqwest)
            })
            .await?
            {
                if bytes.len() + chunk.len() > MAX_ENCRYPTED_SEGMENT {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(bytes)
        })
        .await
        .map_err(|failure| self.http().redact(failure.error))
    }

    /// Downloads and decrypts the file `file_id` of `package` into `sink`, and answers the
    /// plaintext bytes written. `progress` hears of each segment written and may stop the
    /// download by answering `false` ([`Error::InvalidState`]).
    ///
    /// A segment that does not decrypt (a wrong keycode, an altered segment, no integrity
    /// check) is [`Error::Crypto`]. Segments whose plaintext is not exactly the file's declared
    /// `fileSize` (when S24 declares one, as it does) are [`Error::Decode`] (refused as soon as they exceed it, so nothing beyond it
    /// is written). To a path, a failed download leaves no file there (nor any partial file). A writer receives only whole segments, each checked before it is
    /// written: after a failure it may hold the segments before the one that failed (nothing
    /// when the first one does not decrypt, as with a wrong keycode).
    pub async fn download_file(
        &self,
        package: &ReceivedPackage,
        file_id: &str,
        sink: DownloadSink,
        progress: Option<DownloadProgressFn>,
    ) -> Result<u64> {
        let file_path = Client::file_path(package, file_id)?;
        let answer = self.get(&file_path, &[]).await?;
        let file = FileInfo::from_answer(&answer)?;
        // The size the plaintext must have, when the server declares one (S24 does).
        let declared = answer
            .pointer("/file/fileSize")
            .is_some_and(|v| !v.is_null())
            .then_some(file.file_size);
        let parts = file.parts;
        if parts == 0 {
            return Err(Error::Decode(
                "the file information declares no segments".into(),
            ));
        }
        let mut output = Output::open(sink)?;
        let report = |bytes: u64, part: u64| match &progress {
            Some(report) => report(DownloadProgress {
                file_index: 0,
                file_count: 1,
                bytes,
                bytes_total: file.file_size,
                part,
                parts,
            }),
            None => true,
        };
        let stopped =
            || Error::InvalidState("the download was stopped by its progress callback".into());
        if !report(0, 0) {
            return Err(stopped());
        }
        let checksum = package.checksum();
        let passphrase = Arc::new(package.passphrase());
        let crypto_slots = Arc::new(Semaphore::new(self.crypto_threads().max(1)));
        // Each segment fetched ahead as ciphertext, then plaintext; the one being written.
        let buffers = BufferPool::new(
            SEGMENT_SIZE + MESSAGE_OVERHEAD,
            2 * self.transfer_concurrency() + 1,
        );
        let batches = (1..=parts)
            .step_by(URL_BATCH as usize)
            .map(|start| (start, (start + URL_BATCH - 1).min(parts)));
        let file_path = &file_path;
        let checksum = &checksum;
        let segments = futures_util::stream::iter(batches)
            .then(|(start, end)| self.download_urls(file_path, checksum, start, end))
            .map_ok(|urls| futures_util::stream::iter(urls.into_iter().map(Ok)))
            .try_flatten()
            .map(|next| {
                let passphrase = passphrase.clone();
                let crypto_slots = crypto_slots.clone();
                let buffers = buffers.clone();
                async move {
                    let (part, url) = next?;
                    let encrypted = self.fetch_segment(&url, &buffers).await?;
                    let _slot = crypto_slots
                        .acquire_owned()
                        .await
                        .map_err(|_| Error::InvalidState("the decryption slots closed".into()))?;
                    // Wiped when it goes back to the pool, whether written or refused.
                    let mut plaintext = buffers.take(true);
                    let plaintext = crypto_task::run(move || {
                        sendsafely_crypto::segment::decrypt_into(
                            &passphrase,
                            &encrypted,
                            &mut plaintext,
                        )
                        .map(|_| plaintext)
                    })
                    .await
                    .map_err(|e| match e {
                        Error::Crypto(m) => {
                            Error::Crypto(format!("segment {part} of {parts}: {m}"))
                        }
                        other => other,
                    })?;
                    Ok::<_, Error>((part, plaintext))
                }
            })
            .buffered(self.transfer_concurrency());
        let mut segments = std::pin::pin!(segments);
        let mut written = 0u64;
        let mut bytes = 0u64;
        while let Some(segment) = segments.next().await {
            let (part, plaintext) = segment?;
            if part != written + 1 {
                return Err(Error::InvalidState(format!(
                    "segment {part} came where segment {} belongs",
                    written + 1
                )));
            }
            // More than the declared size is refused before it is written.
            let after = bytes + plaintext.len() as u64;
            if let Some(declared) = declared.filter(|&d| after > d) {
                return Err(size_mismatch(declared, "more than"));
            }
            output.write(&plaintext).await?;
            written = part;
            bytes = after;
            if !report(bytes, written) {
                return Err(stopped());
            }
        }
        if written != parts {
            return Err(Error::Decode(format!(
                "the server gave {written} of the file's {parts} segments"
            )));
        }
        if let Some(declared) = declared.filter(|&d| bytes != d) {
            return Err(size_mismatch(declared, &format!("only {bytes} of")));
        }
        output.finish().await?;
        Ok(bytes)
    }

    /// Downloads every file of `package` into `directory` (under its name made safe: the
    /// characters `<>:"/\\|?*` and control characters become `_`; `name (2)` for a name given
    /// twice; a file already there is replaced), then reads its secure message. `progress` hears of each file in turn (its `file_index` and `file_count` say which). The
    /// first failure ends the download; the files written before it stay.
    pub async fn download_package(
        &self,
        package: &ReceivedPackage,
        directory: &Path,
        progress: Option<DownloadProgressFn>,
    ) -> Result<DownloadedPackage> {
        let mut taken = std::collections::HashSet::new();
        let file_count = package.info.files.len();
        let mut files = Vec::with_capacity(file_count);
        for (file_index, file) in package.info.files.iter().enumerate() {
            let path = directory.join(unused_name(&local_name(&file.file_name), &mut taken));
            let progress = progress.clone().map(|report| -> DownloadProgressFn {
                Arc::new(move |p| {
                    report(DownloadProgress {
                        file_index,
                        file_count,
                        ..p
                    })
                })
            });
            self.download_file(
                package,
                &file.file_id,
                DownloadSink::Path(path.clone()),
                progress,
            )
            .await?;
            files.push(path);
        }
        let message = if package.info.contains_message {
            self.read_message(package).await?
        } else {
            Zeroizing::new(String::new())
        };
        Ok(DownloadedPackage { files, message })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_file_names_become_safe_local_names() {
        assert_eq!(local_name("report.pdf"), "report.pdf");
        assert_eq!(local_name("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(local_name("a<b>c:d\"e|f?g*h\\i"), "a_b_c_d_e_f_g_h_i");
        assert_eq!(local_name("line\nbreak"), "line_break");
        assert_eq!(local_name(".."), "_");
        assert_eq!(local_name(""), "_");
        let mut taken = std::collections::HashSet::new();
        assert_eq!(unused_name("a.txt", &mut taken), "a.txt");
        assert_eq!(unused_name("A.txt", &mut taken), "A (2).txt");
        assert_eq!(unused_name("a.txt", &mut taken), "a (3).txt");
        assert_eq!(unused_name(".profile", &mut taken), ".profile");
        assert_eq!(unused_name(".profile", &mut taken), ".profile (2)");
    }
}
