//! Adding files to a package (spec §5, §11.4-§11.6): each file registered (S19), cut into
//! segments of [`SEGMENT_SIZE`] bytes, each segment encrypted on a blocking thread and PUT to
//! the pre-signed URL of its part (S20, S21), then the file marked complete (S22).
//!
//! Memory is bounded whatever the size: a segment is read only when one of
//! `max(transfer_concurrency, crypto_threads + 1)` buffer slots is free, and its slot is released once
//! it is stored, so at most that many segments (plaintext, then ciphertext; both while it is
//! encrypted) are alive. Their buffers come from a pool of the call (see `buffers`) and go
//! back to it: the plaintext's once encrypted, the ciphertext's once stored.
//!
//! Resuming: every call records in an [`UploadState`] each file's id once registered, the parts
//! stored and whether it is complete. [`Client::upload_files_resumable`] given that state again
//! with the same files skips what is done; a caller that keeps it (with the package's id and
//! keycode, see [`Client::reopen_package`]) resumes in another process. [`Client::resume_file`]
//! is the same for one file whose id and stored parts (those reported by the progress
//! callback) the caller knows. The server lists no stored parts: a part not known as stored is
//! sent again, which is harmless (a PUT overwrites it).

use crate::sendsafely::answers::RULES;
use crate::sendsafely::api::buffers::{Buffer, BufferPool};
use crate::sendsafely::api::files::file_path;
use crate::sendsafely::client::Client;
use crate::sendsafely::model::{
    FileState, FileUpload, Package, UploadProgress, UploadProgressFn, UploadSource, UploadState,
    UploadedFile,
};
use crate::transport::error::{Error, Result};
use crate::transport::http::{read_truncated_within, send_logged, MAX_ERROR_BODY};
use crate::transport::json_fields::{object, opt_text, required_int, required_list, required_text};
use crate::transport::retry::{retry_after, with_retries, Failure, Idempotency};
use bytes::Bytes;
use reqwest::Method;
use sendsafely_crypto::segment::{parts_for, MESSAGE_OVERHEAD, SEGMENT_SIZE};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use url::Url;
use zeroize::Zeroizing;

/// How many URLs one S20 answer gives at most (spec §6.5).
const URL_BATCH: u64 = 25;

/// How many times the URL of one part is asked again after it was refused as expired (403).
const MAX_URL_RENEWALS: u32 = 3;

/// How many times upload-complete is asked before giving up, and the waits between (doubling
/// from the first, capped at the last).
const COMPLETE_CHECKS: u32 = 8;
const COMPLETE_FIRST_WAIT: Duration = Duration::from_millis(200);
const COMPLETE_MAX_WAIT: Duration = Duration::from_secs(2);

/// The error of an upload its progress callback stopped.
fn cancelled() -> Error {
    Error::InvalidState("the upload was cancelled by its progress callback".into())
}

/// A file's source, opened: its bytes read in order, segment by segment.
struct Segments {
    reader: Box<dyn Read + Send>,
    /// For errors: the path, or the file's name.
    label: String,
    size: u64,
}

impl Segments {
    /// Opens `source` (on a blocking thread: opening and reading a file may block).
    async fn open(name: &str, source: UploadSource) -> Result<Segments> {
        let label = name.to_string();
        let opened = tokio::task::spawn_blocking(move || -> Result<Segments> {
            let of_file = |file: std::fs::File, label: String| {
                let io = |source| Error::Io {
                    path: label.clone(),
                    source,
                };
                let meta = file.metadata().map_err(io)?;
                if !meta.is_file() {
                    return Err(Error::InvalidArgument(format!(
                        "`{label}` is not a regular file"
                    )));
                }
                let mut file = file;
                let position = std::io::Seek::stream_position(&mut file).map_err(io)?;
                Ok(Segments {
                    size: meta.len().saturating_sub(position),
                    reader: Box::new(file),
                    label,
                })
            };
            match source {
                UploadSource::Path(path) => {
                    let label = path.display().to_string();
                    let file = std::fs::File::open(&path).map_err(|source| Error::Io {
                        path: label.clone(),
                        source,
                    })?;
                    of_file(file, label)
                }
                UploadSource::File(file) => of_file(file, label),
                UploadSource::Bytes(bytes) => Ok(Segments {
                    size: bytes.len() as u64,
                    reader: Box::new(std::io::Cursor::new(bytes)),
                    label,
                }),
                UploadSource::Reader { reader, size } => Ok(Segments {
                    reader,
                    label,
                    size,
                }),
            }
        });
        opened
            .await
            .map_err(|e| Error::InvalidState(format!("opening failed: {e}")))?
    }

    /// The plaintext length of `part` (1 first).
    fn length_of(&self, part: u64) -> usize {
        let start = (part - 1) * SEGMENT_SIZE as u64;
        self.size.saturating_sub(start).min(SEGMENT_SIZE as u64) as usize
    }

    /// Reads exactly `length` bytes (blocking) into `buffer`, emptied first.
    fn read(&mut self, buffer: &mut Vec<u8>, length: usize) -> Result<()> {
        buffer.clear();
        buffer.reserve(length);
        (&mut self.reader)
            .take(length as u64)
            .read_to_end(buffer)
            .map_err(|source| Error::Io {
                path: self.label.clone(),
                source,
            })?;
        if buffer.len() < length {
            return Err(Error::InvalidArgument(format!(
                "`{}` ended before its {} bytes",
                self.label, self.size
            )));
        }
        Ok(())
    }

    /// Checks that nothing follows the announced size (blocking).
    fn check_end(&mut self) -> Result<()> {
        let mut probe = [0u8; 1];
        loop {
            match self.reader.read(&mut probe) {
                Ok(0) => return Ok(()),
                Ok(_) => {
                    return Err(Error::InvalidArgument(format!(
                        "`{}` holds more than its {} bytes",
                        self.label, self.size
                    )))
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(Error::Io {
                        path: self.label.clone(),
                        source,
                    })
                }
            }
        }
    }
}

/// The progress of one call, over all its files: bytes are added and reported under one lock,
/// so reports never go back.
struct Tracker {
    callback: Option<UploadProgressFn>,
    /// Each file's size.
    sizes: Vec<u64>,
    /// Bytes stored: of all the files, and of each.
    done: Mutex<(u64, Vec<u64>)>,
    stopped: AtomicBool,
    /// Where each file stands, for a later resume.
    state: UploadState,
}

impl Tracker {
    /// A tracker of files of `sizes`, `already` bytes of each stored before the call.
    fn new(
        callback: Option<UploadProgressFn>,
        sizes: Vec<u64>,
        already: Vec<u64>,
        state: UploadState,
    ) -> Tracker {
        Tracker {
            callback,
            sizes,
            done: Mutex::new((already.iter().sum(), already)),
            stopped: AtomicBool::new(false),
            state,
        }
    }

    fn report(&self, file_index: usize, part: u64, parts: u64, bytes: u64) {
        // Recorded before the callback hears of it: a stop keeps the part as stored.
        self.state.part_stored(file_index, part);
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.0 += bytes;
        if let Some(file) = done.1.get_mut(file_index) {
            *file += bytes;
        }
        if let Some(callback) = &self.callback {
            let go_on = callback(UploadProgress {
                bytes_done: done.0,
                bytes_total: self.sizes.iter().sum(),
                file_index,
                file_count: self.sizes.len(),
                file_bytes_done: done.1.get(file_index).copied().unwrap_or(0),
                file_bytes_total: self.sizes.get(file_index).copied().unwrap_or(0),
                part,
                parts,
            });
            if !go_on {
                self.stopped.store(true, Ordering::SeqCst);
            }
        }
    }

    fn check(&self) -> Result<()> {
        if self.stopped.load(Ordering::SeqCst) {
            return Err(cancelled());
        }
        Ok(())
    }
}

/// One registered file being uploaded.
struct FileJob {
    package_id: String,
    file_id: String,
    file_index: usize,
    parts: u64,
    passphrase: Zeroizing<String>,
}

impl Client {
    /// Adds `files` to `package`, one after the other: each is registered, its segments
    /// encrypted and stored (at most `transfer_concurrency` at once, `crypto_threads`
    /// encrypting), then marked complete. `progress` gets one report per stored segment over
    /// all the files; answering `false` stops the call, which then fails and marks no further
    /// file complete. Dropping the future stops it too.
    pub async fn upload_files(
        &self,
        package: &Package,
        files: Vec<FileUpload>,
        progress: Option<UploadProgressFn>,
    ) -> Result<Vec<UploadedFile>> {
        self.upload_files_resumable(package, files, progress, &UploadState::new())
            .await
    }

    /// As [`Client::upload_files`], recording in `state` where each file stands and starting
    /// from it: a file `state` says is complete is not sent again, a registered one sends only
    /// the parts not yet stored (read past, not sent), the others are registered and sent.
    /// Give the same files (same bytes, same order) as the call that made `state`. Progress
    /// reports start at the bytes already stored.
    pub async fn upload_files_resumable(
        &self,
        package: &Package,
        files: Vec<FileUpload>,
        progress: Option<UploadProgressFn>,
        state: &UploadState,
    ) -> Result<Vec<UploadedFile>> {
        let mut opened = Vec::with_capacity(files.len());
        for file in files {
            check_name(&file.name)?;
            let segments = Segments::open(&file.name, file.source).await?;
            opened.push((file.name, file.directory_id, segments));
        }
        let known: Vec<FileState> = (0..opened.len())
            .map(|i| {
                let mut known = state.file(i);
                known.parts_done.sort_unstable();
                known.parts_done.dedup();
                known
            })
            .collect();
        let mut already = Vec::with_capacity(opened.len());
        for ((_, _, segments), known) in opened.iter().zip(&known) {
            let parts = parts_for(segments.size);
            if known
                .file_id
                .as_deref()
                .is_some_and(|id| id.trim().is_empty())
            {
                return Err(Error::InvalidArgument("the file id must be given".into()));
            }
            if let Some(bad) = known.parts_done.iter().find(|p| !(1..=parts).contains(*p)) {
                return Err(Error::InvalidArgument(format!(
                    "part {bad} is not a part of this file (1 to {parts})"
                )));
            }
            already.push(if known.complete {
                segments.size
            } else {
                known
                    .parts_done
                    .iter()
                    .map(|p| segments.length_of(*p) as u64)
                    .sum()
            });
        }
        let sizes: Vec<u64> = opened.iter().map(|(_, _, s)| s.size).collect();
        let tracker = Arc::new(Tracker::new(progress, sizes, already, state.clone()));
        let mut uploaded = Vec::with_capacity(opened.len());
        for (file_index, ((name, directory_id, segments), known)) in
            opened.into_iter().zip(known).enumerate()
        {
            let parts = parts_for(segments.size);
            let size = segments.size;
            let file_id = match known.file_id {
                Some(id) if known.complete => {
                    uploaded.push(UploadedFile {
                        file_id: id,
                        file_name: name,
                        file_size: size,
                        parts,
                    });
                    continue;
                }
                Some(id) => id,
                None => {
                    let id = self
                        .register_file(package, &name, parts, size, directory_id.as_deref())
                        .await?;
                    state.update(file_index, |f| {
                        f.file_id = Some(id.clone());
                        f.parts_done.clear();
                    });
                    id
                }
            };
            let job = self.file_job(package, file_id, file_index, parts);
            self.send_parts(&job, segments, &known.parts_done, &tracker)
                .await?;
            self.mark_complete(&job, directory_id.as_deref()).await?;
            state.update(file_index, |f| f.complete = true);
            uploaded.push(UploadedFile {
                file_id: job.file_id.clone(),
                file_name: name,
                file_size: size,
                parts,
            });
        }
        Ok(uploaded)
    }

    /// Finishes the upload of a file registered earlier (see the module's documentation):
    /// `file` must give the same bytes as the first time; the parts in `parts_done` are read
    /// past but not sent again; then the file is marked complete. Progress reports start at
    /// the bytes of `parts_done`.
    pub async fn resume_file(
        &self,
        package: &Package,
        file_id: &str,
        file: FileUpload,
        parts_done: &[u64],
        progress: Option<UploadProgressFn>,
    ) -> Result<UploadedFile> {
        Client::id("file id", file_id)?;
        let state = UploadState::with_files(vec![FileState {
            file_id: Some(file_id.to_string()),
            parts_done: parts_done.to_vec(),
            complete: false,
        }]);
        let mut uploaded = self
            .upload_files_resumable(package, vec![file], progress, &state)
            .await?;
        uploaded
            .pop()
            .ok_or_else(|| Error::InvalidState("the resumed file was not uploaded".into()))
    }

    fn file_job(
        &self,
        package: &Package,
        file_id: String,
        file_index: usize,
        parts: u64,
    ) -> FileJob {
        FileJob {
            package_id: package.package_id.clone(),
            file_id,
            file_index,
            parts,
            passphrase: sendsafely_crypto::secrets::passphrase(
                &package.server_secret,
                &package.keycode,
            ),
        }
    }

    /// S19: the new file's id (`fileId`, else `message`).
    async fn register_file(
        &self,
        package: &Package,
        name: &str,
        parts: u64,
        size: u64,
        directory_id: Option<&str>,
    ) -> Result<String> {
        let path = format!(
            "package/{}/file/",
            Client::id("package id", &package.package_id)?
        );
        let mut body = json!({"filename": name, "parts": parts, "filesize": size});
        if let Some(directory) = directory_id {
            body["directoryId"] = json!(directory);
        }
        // A second registration would leave a stray file: sent again only when nothing was.
        let answer = self
            .send_json(Method::PUT, &path, &body, Idempotency::NotIdempotent)
            .await?;
        let what = "the file registration";
        let o = object(&answer, what)?;
        opt_text(o, "fileId")
            .filter(|id| !id.trim().is_empty())
            .or_else(|| opt_text(o, "message").filter(|id| !id.trim().is_empty()))
            .ok_or_else(|| Error::Decode(format!("{what} has no `fileId` nor `message`")))
    }

    /// S20: the URLs of the parts from `part` on (up to [`URL_BATCH`]), by part.
    async fn upload_urls(
        &self,
        package_id: &str,
        file_id: &str,
        parts: u64,
        part: u64,
    ) -> Result<HashMap<u64, String>> {
        let path = format!("{}upload-urls/", file_path(package_id, file_id)?);
        let answer = self
            .send_json(
                Method::POST,
                &path,
                &json!({"part": part}),
                Idempotency::Idempotent,
            )
            .await?;
        let what = "the upload URLs";
        let mut urls = HashMap::new();
        for (place, entry) in required_list(object(&answer, what)?, "uploadUrls", what, "URL")? {
            let entry = object(entry, &place)?;
            let number = required_int(entry, "part", &place)?;
            let url = required_text(entry, "url", &place)?;
            if let Ok(number) = u64::try_from(number) {
                if (part..part + URL_BATCH).contains(&number) && number <= parts {
                    urls.insert(number, url);
                }
            }
        }
        Ok(urls)
    }

    /// Reads, encrypts and stores the parts of a file not in `skip`.
    async fn send_parts(
        &self,
        job: &FileJob,
        mut segments: Segments,
        skip: &[u64],
        tracker: &Arc<Tracker>,
    ) -> Result<()> {
        let crypto_threads = self.crypto_threads().max(1);
        // One segment more than the crypto threads, so that one is stored while they encrypt.
        let slot_count = self.transfer_concurrency().max(crypto_threads + 1);
        let slots = Arc::new(Semaphore::new(slot_count));
        let crypto = Arc::new(Semaphore::new(crypto_threads));
        let puts = Arc::new(Semaphore::new(self.transfer_concurrency()));
        // Every slot's buffer, and the ciphertext of each segment being encrypted.
        let buffers = BufferPool::new(SEGMENT_SIZE + MESSAGE_OVERHEAD, slot_count + crypto_threads);
        let passphrase = Arc::new(job.passphrase.clone());
        let mut urls: HashMap<u64, String> = HashMap::new();
        let mut running = JoinSet::new();
        for part in 1..=job.parts {
            while let Some(finished) = running.try_join_next() {
                joined(finished)?;
            }
            tracker.check()?;
            // Waits for a free buffer: this is what bounds memory.
            let slot = slots.clone().acquire_owned().await.map_err(closed)?;
            let length = segments.length_of(part);
            let mut plaintext = buffers.take(false);
            let (back, plaintext, read) = tokio::task::spawn_blocking(move || {
                let read = segments.read(&mut plaintext, length);
                (segments, plaintext, read)
            })
            .await
            .map_err(|e| Error::InvalidState(format!("reading failed: {e}")))?;
            segments = back;
            read?;
            if skip.binary_search(&part).is_ok() {
                continue;
            }
            if !urls.contains_key(&part) {
                urls.extend(
                    self.upload_urls(&job.package_id, &job.file_id, job.parts, part)
                        .await?,
                );
            }
            let url = urls.remove(&part).ok_or_else(|| {
                Error::Decode(format!("the upload URLs have none for part {part}"))
            })?;
            let segment = Segment {
                client: self.clone(),
                package_id: job.package_id.clone(),
                file_id: job.file_id.clone(),
                file_index: job.file_index,
                parts: job.parts,
                part,
            };
            running.spawn(segment.send(
                plaintext,
                buffers.clone(),
                url,
                passphrase.clone(),
                crypto.clone(),
                puts.clone(),
                slot,
                tracker.clone(),
            ));
        }
        let checked = tokio::task::spawn_blocking(move || segments.check_end())
            .await
            .map_err(|e| Error::InvalidState(format!("reading failed: {e}")))?;
        checked?;
        while let Some(finished) = running.join_next().await {
            joined(finished)?;
            // A stop ends the call now: the segments still running are aborted with the set.
            tracker.check()?;
        }
        tracker.check()
    }

    /// S22, asked again (with capped waits) until the server says every part is stored.
    async fn mark_complete(&self, job: &FileJob, directory_id: Option<&str>) -> Result<()> {
        let path = format!(
            "{}upload-complete/",
            file_path(&job.package_id, &job.file_id)?
        );
        let mut body = json!({"complete": true});
        if let Some(directory) = directory_id {
            body["directoryId"] = json!(directory);
        }
        let mut wait = COMPLETE_FIRST_WAIT;
        for check in 1..=COMPLETE_CHECKS {
            let answer = self
                .send_json(Method::POST, &path, &body, Idempotency::Idempotent)
                .await?;
            if answer.get("message").and_then(Value::as_str) == Some("true") {
                return Ok(());
            }
            if check < COMPLETE_CHECKS {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(COMPLETE_MAX_WAIT);
            }
        }
        Err(Error::InvalidState(format!(
            "the server did not report the file {} complete after {COMPLETE_CHECKS} checks",
            job.file_id
        )))
    }
}

/// A file name the server will take: not empty, no control characters.
fn check_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::InvalidArgument("a file's name must be given".into()));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidArgument(
            "a file's name cannot hold control characters".into(),
        ));
    }
    Ok(())
}

fn closed(_: tokio::sync::AcquireError) -> Error {
    Error::InvalidState("the upload's buffers were closed".into())
}

fn joined(finished: std::result::Result<Result<()>, tokio::task::JoinError>) -> Result<()> {
    finished.map_err(|e| Error::InvalidState(format!("a segment's upload failed: {e}")))?
}

/// One segment of a file, sent by its own task.
struct Segment {
    client: Client,
    package_id: String,
    file_id: String,
    file_index: usize,
    parts: u64,
    part: u64,
}

impl Segment {
    /// Encrypts the segment into a buffer of `buffers` (waiting for a crypto thread; the
    /// plaintext's buffer goes back to the pool then), stores it (waiting for a transfer place), reports it, then
    /// frees its buffer slot.
    #[allow(clippy::too_many_arguments)]
    async fn send(
        self,
        mut plaintext: Buffer,
        buffers: Arc<BufferPool>,
        url: String,
        passphrase: Arc<Zeroizing<String>>,
        crypto: Arc<Semaphore>,
        puts: Arc<Semaphore>,
        _slot: OwnedSemaphorePermit,
        tracker: Arc<Tracker>,
    ) -> Result<()> {
        let length = plaintext.len() as u64;
        let sealed = {
            let _thread = crypto.acquire_owned().await.map_err(closed)?;
            let mut sealed = buffers.take(false);
            tokio::task::spawn_blocking(move || {
                sendsafely_crypto::segment::encrypt_segment_into(
                    &passphrase,
                    &mut plaintext,
                    &mut sealed,
                )
                .map(|()| sealed)
            })
            .await
            .map_err(|e| Error::Crypto(format!("encrypting a segment failed: {e}")))?
            .map_err(|e| Error::Crypto(e.to_string()))?
        };
        // The buffer goes back to the pool when the last clone of the body is dropped.
        let body = Bytes::from_owner(sealed);
        let _place = puts.acquire_owned().await.map_err(closed)?;
        self.store(body, url).await?;
        tracker.report(self.file_index, self.part, self.parts, length);
        Ok(())
    }

    /// S21: PUTs the ciphertext to its URL, sent again like any overwrite; a URL refused as
    /// expired (403) is asked again for this part alone (S20 with `part`).
    async fn store(&self, body: Bytes, mut url: String) -> Result<()> {
        let http = self.client.http();
        let mut renewals = 0;
        loop {
            http.check_transfer_url(&url)?;
            let parsed = Url::parse(&url)
                .map_err(|e| Error::Decode(format!("bad upload URL from the server: {e}")))?;
            let stored = with_retries(&http.retry_policy(), Idempotency::Idempotent, None, |_| {
                self.put(&parsed, body.clone())
            })
            .await;
            match stored {
                Ok(()) => return Ok(()),
                Err(Failure {
                    error: Error::Http { status: 403, .. },
                    ..
                }) if renewals < MAX_URL_RENEWALS => {
                    renewals += 1;
                    url = self.renew_url().await?;
                }
                Err(failure) => return Err(http.redact(failure.error)),
            }
        }
    }

    /// The URL of this part alone, asked again.
    async fn renew_url(&self) -> Result<String> {
        self.client
            .upload_urls(&self.package_id, &self.file_id, self.parts, self.part)
            .await?
            .remove(&self.part)
            .ok_or_else(|| {
                Error::Decode(format!("the upload URLs have none for part {}", self.part))
            })
    }

    /// One PUT: no SendSafely headers, no Content-Type, the exact Content-Length (reqwest
    /// sets it from the body); the whole of it within the stall timeout.
    async fn put(&self, url: &Url, body: Bytes) -> std::result::Result<(), Failure> {
        let http = self.client.http();
        let pool = http.pool();
        let stall = http.options().stall_timeout;
        let mut request = pool.http.put(url.clone()).body(body);
        if let Some(stall) = stall {
            request = request.timeout(stall);
        }
        let response = send_logged(request, &Method::PUT, url, pool).await?;
        let status = response.status().as_u16();
        let wait = retry_after(response.headers());
        let answer = read_truncated_within(response, MAX_ERROR_BODY, stall).await;
        if (200..300).contains(&status) {
            return Ok(());
        }
        let body = String::from_utf8_lossy(&answer).into_owned();
        Err(RULES.answered(RULES.error(status, body), status, wait))
    }
}
