//! Streaming uploads (spec §6, wire format A): one multipart part named `file`, with an exact
//! `Content-Length`, read from the source in large blocks so memory stays bounded, counting the
//! bytes handed to the connection for progress reports. And streamed downloads.
//!
//! Transfers are not limited by the request timeout (a large file on a slow link takes as long
//! as it takes) but by the stall timeout: an upload fails with [`Error::Timeout`] when the
//! connection takes no byte of its body for that long, or when no answer comes that long after
//! its last byte; a download when no byte arrives for that long.
//!
//! Failed transfers are retried like idempotent calls (see `retry.rs`): an upload is sent
//! again from its start when its source can be read again (every source but a plain reader),
//! a download resumes where it stopped (`Range`).

use crate::transport::error::{Error, Result};
use crate::transport::http::{
    answer_json, read_truncated_within, AnswerRules, Pool, MAX_ERROR_BODY,
};
use crate::transport::retry::{retry_after, run, Failure, Fate, Idempotency, Plan, RetryPolicy};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::Stream;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio_util::io::ReaderStream;

/// Size of the blocks read from files and readers.
pub const BLOCK_SIZE: usize = 256 << 10;

/// Where an upload stands. Reported after every block handed to the connection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Which attachment (0-based) this report is about.
    pub attachment_index: usize,
    /// How many attachments the call uploads.
    pub attachment_count: usize,
    /// Bytes of this attachment sent so far.
    pub attachment_bytes_sent: u64,
    /// This attachment's size.
    pub attachment_bytes_total: u64,
    /// Bytes of all attachments sent so far.
    pub bytes_sent: u64,
    /// Size of all attachments of the call.
    pub bytes_total: u64,
}

/// Receives progress reports. Called from the task that drives the upload.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Escapes a file name for a quoted multipart header the way browsers do (HTML forms): `"`,
/// CR and LF become `%22`, `%0D`, `%0A`, so a name can never end the header or add one; and `%`
/// becomes `%25`, so that the server's decoding (Rails decodes the escapes of a form's file
/// name) gives back exactly the name, whatever it holds.
pub fn escape_header_filename(name: &str) -> String {
    name.replace('%', "%25")
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn random_boundary() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| Error::InvalidState(format!("no randomness: {e}")))?;
    Ok(format!("sendsecure-{}", hex_of(&bytes)))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of an upload, block by block.
pub type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// Something uploaded as one multipart file: its name, type and size, and its bytes, opened
/// from their start for each attempt.
pub trait UploadSource: Send {
    /// The file name sent in the part's header.
    fn file_name(&self) -> &str;
    /// The part's MIME type.
    fn content_type(&self) -> &str;
    /// The exact number of bytes [`UploadSource::open`] gives.
    fn size(&self) -> u64;
    /// Whether the bytes can be opened again from their start (for a retry).
    fn can_reopen(&self) -> bool;
    /// How a failure to read the bytes names them (a path, or the file name).
    fn source_name(&self) -> String;
    /// The bytes from their start.
    fn open(&mut self) -> BoxFuture<'_, Result<ByteStream>>;
}

/// What transfers need from their client: the connection pool, the retry policy, the stall
/// timeout.
#[derive(Clone, Copy)]
pub(crate) struct Transfer<'a> {
    /// The pool, with its TLS settings to check a closed connection for a TLS refusal
    /// (`tls_probe`).
    pub pool: &'a Pool,
    pub retry: RetryPolicy,
    pub stall: Option<Duration>,
    /// The most bytes of a download whose size is not announced (`None`: no limit).
    pub max_unsized_download: Option<u64>,
    /// How the service's answers (to uploads, and errors) are read.
    pub rules: AnswerRules,
}

/// When a transfer last moved a byte, shared by a body and its watchdog. Time spent waiting
/// for the local source (a slow reader, a C read callback) is not a stall of the connection.
#[derive(Clone)]
struct Activity {
    since: Instant,
    /// Milliseconds from `since` to the last byte moved.
    last: Arc<AtomicU64>,
    /// Whether the body is waiting for its source.
    reading: Arc<std::sync::atomic::AtomicBool>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            since: Instant::now(),
            last: Arc::new(AtomicU64::new(0)),
            reading: Arc::default(),
        }
    }

    fn touch(&self) {
        let now = self.since.elapsed().as_millis() as u64;
        self.last.fetch_max(now, Ordering::Relaxed);
    }

    /// Marks the start or the end of a wait for the source.
    fn reading(&self, waiting: bool) {
        self.reading.store(waiting, Ordering::Relaxed);
        self.touch();
    }

    fn idle(&self) -> Duration {
        if self.reading.load(Ordering::Relaxed) {
            return Duration::ZERO;
        }
        self.since
            .elapsed()
            .saturating_sub(Duration::from_millis(self.last.load(Ordering::Relaxed)))
    }
}

/// Runs `work`, failing it with a timeout once `activity` has been idle for `stall`.
async fn watch_stall<T>(
    stall: Option<Duration>,
    activity: &Activity,
    what: &str,
    work: impl Future<Output = std::result::Result<T, Failure>>,
) -> std::result::Result<T, Failure> {
    let Some(stall) = stall else {
        return work.await;
    };
    tokio::pin!(work);
    loop {
        let left = stall.saturating_sub(activity.idle());
        if left.is_zero() {
            return Err(Failure::timeout(stall_message(what, stall)));
        }
        tokio::select! {
            biased;
            result = &mut work => return result,
            () = tokio::time::sleep(left) => {}
        }
    }
}

fn stall_message(what: &str, stall: Duration) -> String {
    format!(
        "{what}: no data moved for {} ms (the stall timeout)",
        stall.as_millis()
    )
}

/// Awaits one step of a download, failing it with a timeout after `stall`.
async fn within_stall<T>(
    stall: Option<Duration>,
    what: &str,
    step: impl Future<Output = std::result::Result<T, Failure>>,
) -> std::result::Result<T, Failure> {
    match stall {
        Some(stall) => tokio::time::timeout(stall, step)
            .await
            .unwrap_or_else(|_| Err(Failure::timeout(stall_message(what, stall)))),
        None => step.await,
    }
}

/// The multipart body: head, the file's bytes (counted, checked against the declared size),
/// tail.
struct UploadBody {
    head: Option<Bytes>,
    content: Option<ByteStream>,
    tail: Option<Bytes>,
    sent: u64,
    expected: u64,
    on_bytes: Arc<dyn Fn(u64) + Send + Sync>,
    /// A copy of the source's failure (read error, wrong size): the HTTP client only reports
    /// that the body failed, and the caller must learn it was the local source, not the server.
    failure: Arc<Mutex<Option<io::Error>>>,
    /// Stamped whenever the connection takes a block.
    activity: Activity,
}

impl UploadBody {
    fn fail(&self, e: io::Error) -> Poll<Option<io::Result<Bytes>>> {
        if let Ok(mut slot) = self.failure.lock() {
            slot.get_or_insert_with(|| io::Error::new(e.kind(), e.to_string()));
        }
        Poll::Ready(Some(Err(e)))
    }
}

impl Stream for UploadBody {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let next = self.as_mut().next_block(cx);
        if next.is_ready() {
            self.activity.reading(false);
        }
        next
    }
}

impl UploadBody {
    fn next_block(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<io::Result<Bytes>>> {
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(head)));
        }
        if let Some(content) = self.content.as_mut() {
            match content.as_mut().poll_next(cx) {
                Poll::Pending => {
                    self.activity.reading(true);
                    return Poll::Pending;
                }
                Poll::Ready(Some(Ok(chunk))) => {
                    self.sent += chunk.len() as u64;
                    if self.sent > self.expected {
                        let expected = self.expected;
                        return self.fail(io::Error::other(format!(
                            "the source gave more than its declared {expected} bytes"
                        )));
                    }
                    (self.on_bytes)(self.sent);
                    return Poll::Ready(Some(Ok(chunk)));
                }
                Poll::Ready(Some(Err(e))) => return self.fail(e),
                Poll::Ready(None) => {
                    self.content = None;
                    if self.sent != self.expected {
                        let text = format!(
                            "the source ended after {} of its declared {} bytes",
                            self.sent, self.expected
                        );
                        return self.fail(io::Error::new(io::ErrorKind::UnexpectedEof, text));
                    }
                }
            }
        }
        Poll::Ready(self.tail.take().map(Ok))
    }
}

/// Opens the file of an attachment for reading, refusing anything but a regular file: it may
/// have been swapped for something else (a FIFO, a device) since it was added. The open does
/// not wait (`O_NONBLOCK`: opening a FIFO that no one writes would block forever) and the
/// check is made on the opened file, so that no swap can come between them.
async fn open_regular_file(path: &std::path::Path) -> Result<std::fs::File> {
    let io = |source| Error::Io {
        path: crate::transport::error::printable(&path.display().to_string()),
        source,
    };
    let mut options = tokio::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NONBLOCK);
    let file = options.open(path).await.map_err(io)?.into_std().await;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(io(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    #[cfg(unix)]
    {
        // Reads of a regular file never wait anyway; cleared so the file is read as usual.
        use std::os::unix::io::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl on a file descriptor this function owns, with integer arguments.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

/// The blocks of a regular file, from its start (see [`open_regular_file`]).
pub(crate) async fn file_stream(path: &std::path::Path) -> Result<ByteStream> {
    Ok(Box::pin(crate::transport::file_blocks::file_blocks(
        open_regular_file(path).await?,
        BLOCK_SIZE,
    )))
}

/// The blocks of bytes in memory.
pub(crate) fn bytes_stream(bytes: &Bytes) -> ByteStream {
    let bytes = bytes.clone();
    let blocks: Vec<io::Result<Bytes>> = (0..bytes.len())
        .step_by(BLOCK_SIZE)
        .map(|start| Ok(bytes.slice(start..(start + BLOCK_SIZE).min(bytes.len()))))
        .collect();
    Box::pin(futures_util::stream::iter(blocks))
}

/// The blocks of a reader.
pub(crate) fn reader_stream(reader: impl tokio::io::AsyncRead + Send + 'static) -> ByteStream {
    Box::pin(ReaderStream::with_capacity(reader, BLOCK_SIZE))
}

/// How a service reads the answer to an upload into its source (e.g. the GUID the server gave
/// the document); a failure is final.
pub type UploadAnswer<'a, S> = &'a (dyn Fn(&mut S, &serde_json::Value) -> Result<()> + Sync);

/// One attempt to upload a source to an upload URL (no token: it is a capability URL), from its
/// start; `read_answer` takes its answer. `on_bytes` receives the source's bytes sent so far.
async fn upload_attempt<S: UploadSource>(
    transfer: &Transfer<'_>,
    upload_url: &str,
    attachment: &mut S,
    on_bytes: Arc<dyn Fn(u64) + Send + Sync>,
    read_answer: UploadAnswer<'_, S>,
) -> std::result::Result<(), Failure> {
    if attachment.content_type().chars().any(|c| c.is_control()) {
        return Err(Failure::fatal(Error::InvalidArgument(format!(
            "attachment `{}`: content type contains control characters",
            attachment.file_name()
        ))));
    }
    let boundary = random_boundary().map_err(Failure::fatal)?;
    let head = Bytes::from(format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
        escape_header_filename(attachment.file_name()),
        attachment.content_type()
    ));
    let tail = Bytes::from(format!("\r\n--{boundary}--\r\n"));
    let length = head.len() as u64 + attachment.size() + tail.len() as u64;
    let source_name = attachment.source_name();
    let content = attachment.open().await.map_err(Failure::fatal)?;
    let failure = Arc::new(Mutex::new(None));
    let activity = Activity::new();
    let body = UploadBody {
        head: Some(head),
        content: Some(content),
        tail: Some(tail),
        sent: 0,
        expected: attachment.size(),
        on_bytes,
        failure: failure.clone(),
        activity: activity.clone(),
    };
    let request = transfer
        .pool
        .http
        .post(upload_url)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("Content-Length", length)
        .header("Accept", "application/json")
        .body(reqwest::Body::wrap_stream(body));
    let what = format!("upload of `{}`", attachment.file_name());
    let answer = watch_stall(transfer.stall, &activity, &what, async {
        let response = match request.send().await {
            Ok(response) => {
                crate::transport::retry::note_answered(&response);
                response
            }
            Err(e) => {
                return Err(match failure.lock().ok().and_then(|mut f| f.take()) {
                    // The local source failed: another attempt would not change that.
                    Some(source) => Failure::fatal(Error::Io {
                        path: source_name,
                        source,
                    }),
                    None => {
                        crate::transport::tls_probe::failure(
                            e,
                            &transfer.pool.tls,
                            transfer.pool.connect_timeout,
                        )
                        .await
                    }
                });
            }
        };
        activity.touch();
        answer_json(response, transfer.rules).await
    })
    .await?;
    read_answer(attachment, &answer).map_err(Failure::fatal)
}

/// Uploads one source, retried (from its start, to the URL `upload_url` gives for each
/// attempt) on connection failures, stalls, and 429/502/503/504, when it can be read again.
async fn upload_attachment<S, F, Fut>(
    transfer: &Transfer<'_>,
    attachment: &mut S,
    upload_url: &F,
    on_bytes: Arc<dyn Fn(u64) + Send + Sync>,
    read_answer: UploadAnswer<'_, S>,
) -> Result<()>
where
    S: UploadSource,
    F: Fn(&S) -> Fut,
    Fut: Future<Output = Result<String>> + Send,
{
    let size = attachment.size();
    let idempotency = if attachment.can_reopen() {
        Idempotency::Idempotent
    } else {
        Idempotency::Unrepeatable
    };
    let log_retry = |_, failure: &Failure, wait: Duration| {
        log::info!(
            target: "sendsecure::upload",
            "upload of an attachment of {} bytes failed ({}): sending it again in {} ms",
            size,
            failure.error.kind_for_log(),
            wait.as_millis()
        );
    };
    let plan = Plan {
        policy: &transfer.retry,
        idempotency,
        deadline: None,
        log_retry: &log_retry,
    };
    // The URL's own failure ends the upload as it is, not as a failed attempt of it.
    let url_failure = Mutex::new(None);
    let attachment = tokio::sync::Mutex::new(attachment);
    let uploaded = run(&plan, |_| async {
        let mut attachment = attachment.lock().await;
        let url = match upload_url(&**attachment).await {
            Ok(url) => url,
            Err(e) => {
                if let Ok(mut slot) = url_failure.lock() {
                    *slot = Some(e);
                }
                return Err(Failure::fatal(Error::InvalidState("no upload URL".into())));
            }
        };
        let started = std::time::Instant::now();
        upload_attempt(
            transfer,
            &url,
            &mut **attachment,
            on_bytes.clone(),
            read_answer,
        )
        .await?;
        log::debug!(
            target: "sendsecure::upload",
            "uploaded an attachment of {size} bytes in {} ms",
            started.elapsed().as_millis()
        );
        Ok(())
    })
    .await;
    match (uploaded, url_failure.into_inner().ok().flatten()) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => Err(e),
        (Err(failure), None) => Err(failure.error),
    }
}

/// Uploads every source of `pending`, up to `concurrency` at a time (1 = one after the
/// other), each to the URL `upload_url` gives for it (asked again before each retry), and gives
/// each answer to `read_answer` as soon as its upload succeeds (a service notes there what the
/// server made of it, so that a failed call can be repeated without re-sending those). A failed upload is retried on its own (see [`upload_attachment`]);
/// the first failure for good cancels the uploads still running.
///
/// Progress is reported over all of them: `bytes_sent` is the sum over attachments, reported
/// under one lock so that the reports reach the callback in increasing order. An attachment
/// sent again is not reported again until it passes what was reported of it before, so the
/// bytes never go backwards.
pub(crate) async fn upload_all<S, F, Fut>(
    transfer: &Transfer<'_>,
    pending: Vec<&mut S>,
    progress: Option<ProgressFn>,
    concurrency: usize,
    upload_url: F,
    read_answer: UploadAnswer<'_, S>,
) -> Result<()>
where
    S: UploadSource,
    F: Fn(&S) -> Fut + Sync,
    Fut: Future<Output = Result<String>> + Send,
{
    use futures_util::{StreamExt, TryStreamExt};
    let count = pending.len();
    let bytes_total: u64 = pending.iter().map(|a| a.size()).sum();
    let overall = Arc::new(std::sync::Mutex::new(0u64));
    type Upload<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;
    let mut uploads: Vec<Upload<'_>> = Vec::with_capacity(count);
    let upload_url = &upload_url;
    for (n, attachment) in pending.into_iter().enumerate() {
        let base = Progress {
            attachment_index: n,
            attachment_count: count,
            attachment_bytes_total: attachment.size(),
            bytes_total,
            ..Progress::default()
        };
        let report = progress.clone();
        let overall = overall.clone();
        let reported = AtomicU64::new(0);
        let on_bytes: Arc<dyn Fn(u64) + Send + Sync> = Arc::new(move |sent| {
            let Some(report) = &report else { return };
            let mut total = overall.lock().unwrap_or_else(|p| p.into_inner());
            let before = reported.fetch_max(sent, Ordering::Relaxed);
            if sent < before {
                return; // a retry, still below what was reported
            }
            *total += sent - before;
            report(Progress {
                attachment_bytes_sent: sent,
                bytes_sent: *total,
                ..base
            });
        });
        uploads.push(Box::pin(async move {
            on_bytes(0);
            upload_attachment(transfer, attachment, upload_url, on_bytes, read_answer).await
        }));
    }
    futures_util::stream::iter(uploads)
        .buffer_unordered(concurrency.max(1))
        .try_collect::<Vec<()>>()
        .await?;
    settle_progress().await;
    Ok(())
}

/// Gives whoever watches the progress the chance to see the reports made so far, and to stop
/// the call, before it goes on to something that cannot be undone (a commit, a rename). A
/// watcher that relays reports to another thread (the C API serves them while the future is
/// pending) would otherwise see the last ones only after the call has completed.
pub(crate) async fn settle_progress() {
    tokio::task::yield_now().await;
}

/// Where a download goes.
pub enum DownloadSink {
    /// A file, written to a new file of an unpredictable name in its directory
    /// (`<name>.<random>.part`) and renamed to it when complete (removed on failure).
    Path(std::path::PathBuf),
    /// Any writer; on failure it may have received part of the content.
    Writer(Box<dyn tokio::io::AsyncWrite + Send + Unpin>),
}

impl std::fmt::Debug for DownloadSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DownloadSink::Path(p) => f.debug_tuple("Path").field(p).finish(),
            DownloadSink::Writer(_) => f.write_str("Writer"),
        }
    }
}

/// Removes a partial download unless disarmed.
pub(crate) struct PartialFile(Option<std::path::PathBuf>);

impl PartialFile {
    /// Guards `part`, removed when the guard is dropped unless it was persisted.
    pub(crate) fn armed(part: std::path::PathBuf) -> PartialFile {
        PartialFile(Some(part))
    }

    /// Renames the partial file to `path` and disarms the guard. Renamed synchronously (a
    /// quick metadata operation), in the poll that completes the download: a rename on the
    /// blocking pool would still happen after the future was dropped, so a download cancelled
    /// at its end (e.g. by a progress callback) could leave the file after reporting that it
    /// stopped. Now `path` is written if and only if the download succeeds.
    pub(crate) fn persist(&mut self, path: &std::path::Path) -> Result<()> {
        if let Some(part) = self.0.as_ref() {
            std::fs::rename(part, path).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            self.0 = None;
        }
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Creates the file a download to `path` is written to before it is renamed to `path`: in the
/// same directory (so that the rename is atomic), under a name nobody can predict, created new
/// and never through a link (`O_CREAT|O_EXCL|O_NOFOLLOW`). So a link planted under the name is
/// never followed, a file already there (the caller's own `<path>.part`) is never touched, and
/// concurrent downloads to one path never share a file: the last rename wins, whole.
pub(crate) fn create_partial(
    path: &std::path::Path,
) -> Result<(std::fs::File, std::path::PathBuf)> {
    use std::path::Path;
    let name = path.file_name().ok_or_else(|| Error::Io {
        path: path.display().to_string(),
        source: io::Error::new(io::ErrorKind::InvalidInput, "not a file name"),
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    // The name, unless that would pass the usual limit of 255 bytes of a file name.
    let base = if name.len() <= 200 {
        name.to_os_string()
    } else {
        ".sendsecure".into()
    };
    loop {
        let mut random = [0u8; 8];
        getrandom::getrandom(&mut random)
            .map_err(|e| Error::InvalidState(format!("no randomness: {e}")))?;
        let mut part = base.clone();
        part.push(format!(".{}.part", hex_of(&random)));
        let part = dir.join(part);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        match options.open(&part) {
            Ok(file) => return Ok((file, part)),
            // 64 random bits taken: drawn again.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(Error::Io {
                    path: part.display().to_string(),
                    source,
                })
            }
        }
    }
}

/// Where a download's bytes go, once opened.
enum SinkWriter {
    File(crate::transport::file_blocks::BlockWriter),
    Writer(Box<dyn tokio::io::AsyncWrite + Send + Unpin>),
}

impl SinkWriter {
    async fn write(&mut self, chunk: Bytes) -> io::Result<()> {
        use tokio::io::AsyncWriteExt;
        match self {
            SinkWriter::File(file) => file.write(chunk).await,
            SinkWriter::Writer(writer) => writer.write_all(&chunk).await,
        }
    }

    /// Writes what is pending, and ends a writer.
    async fn finish(&mut self) -> io::Result<()> {
        use tokio::io::AsyncWriteExt;
        match self {
            SinkWriter::File(file) => file.flush().await,
            SinkWriter::Writer(writer) => {
                writer.flush().await?;
                writer.shutdown().await
            }
        }
    }
}

/// The writer a download fills, once opened.
struct OpenSink {
    writer: SinkWriter,
    partial: PartialFile,
    final_path: Option<std::path::PathBuf>,
}

impl OpenSink {
    fn open(sink: DownloadSink) -> Result<OpenSink> {
        Ok(match sink {
            DownloadSink::Path(path) => {
                // Created synchronously (a quick metadata operation), like the rename below.
                let (file, part) = create_partial(&path)?;
                OpenSink {
                    writer: SinkWriter::File(crate::transport::file_blocks::BlockWriter::new(
                        file, BLOCK_SIZE,
                    )),
                    partial: PartialFile::armed(part),
                    final_path: Some(path),
                }
            }
            DownloadSink::Writer(writer) => OpenSink {
                writer: SinkWriter::Writer(writer),
                partial: PartialFile(None),
                final_path: None,
            },
        })
    }

    fn io_error(&self, source: std::io::Error) -> Error {
        Error::Io {
            path: self
                .final_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "download".into()),
            source,
        }
    }
}

/// Where a download stands across its attempts.
struct DownloadState {
    /// The sink until it is opened (at the first successful answer).
    sink: Option<DownloadSink>,
    open: Option<OpenSink>,
    /// Bytes written to the sink.
    received: u64,
    /// The size the first answer announced (0 when unknown).
    total: u64,
}

/// The error of a download that would have `received` bytes, if that passes its size: `total`,
/// the size its first answer announced (0: none; a resumed answer can be longer, or chunked),
/// or else `cap`, so that an endless answer cannot fill the disk.
fn past_the_size(received: u64, total: u64, cap: Option<u64>) -> Option<Error> {
    if total != 0 {
        return (received > total).then(|| {
            Error::Decode(format!(
                "the download's server sent more than the {total} bytes it announced"
            ))
        });
    }
    let cap = cap.filter(|cap| received > *cap)?;
    Some(Error::Decode(format!(
        "the download passed {cap} bytes without its server announcing a size (the limit of \
         downloads of unknown size)"
    )))
}

/// Reads the start offset of a `Content-Range: bytes START-END/TOTAL`.
fn range_start(response: &reqwest::Response) -> Option<u64> {
    let value = response
        .headers()
        .get(reqwest::header::CONTENT_RANGE)?
        .to_str()
        .ok()?;
    let range = value.trim().strip_prefix("bytes ")?;
    range.split('-').next()?.trim().parse().ok()
}

/// One attempt of a download: from the start, or (after a failed attempt that wrote some
/// bytes) from where it stopped, asked with `Range` (an answer with the whole content has its
/// first bytes skipped).
async fn download_attempt(
    transfer: &Transfer<'_>,
    url: &url::Url,
    state: &mut DownloadState,
    report: &(dyn Fn(u64, u64) + Send + Sync),
) -> std::result::Result<(), Failure> {
    let mut request = transfer.pool.http.get(url.clone());
    if state.received > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={}-", state.received));
    }
    let mut response = within_stall(transfer.stall, "download", async {
        match request.send().await {
            Ok(response) => {
                crate::transport::retry::note_answered(&response);
                Ok(response)
            }
            Err(e) => Err(crate::transport::tls_probe::failure(
                e,
                &transfer.pool.tls,
                transfer.pool.connect_timeout,
            )
            .await),
        }
    })
    .await?;
    let status = response.status();
    if !status.is_success() {
        let wait = retry_after(response.headers());
        // The body of an error is read within one stall timeout in all, not one per byte:
        // it only explains the status, which is known already.
        let body = read_truncated_within(response, MAX_ERROR_BODY, transfer.stall).await;
        return Err(Failure::answered(
            transfer
                .rules
                .error(status.as_u16(), String::from_utf8_lossy(&body).into_owned()),
            status.as_u16(),
            wait,
        ));
    }
    // Bytes of this answer to drop: those already written, when the server sent it all again.
    let mut skip = 0u64;
    if state.received > 0 {
        if status == reqwest::StatusCode::PARTIAL_CONTENT {
            if range_start(&response) != Some(state.received) {
                return Err(Failure::fatal(Error::Decode(format!(
                    "the download's server resumed at another place than byte {}",
                    state.received
                ))));
            }
        } else {
            skip = state.received;
        }
    }
    if state.open.is_none() {
        state.total = response.content_length().unwrap_or(0);
        let sink = state
            .sink
            .take()
            .ok_or_else(|| Failure::fatal(Error::InvalidState("no download sink".into())))?;
        state.open = Some(OpenSink::open(sink).map_err(Failure::fatal)?);
        report(0, state.total);
    }
    let open = state.open.as_mut().expect("opened above");
    while let Some(chunk) = within_stall(transfer.stall, "download", async {
        response.chunk().await.map_err(Failure::from_reqwest)
    })
    .await?
    {
        let mut chunk = chunk;
        if skip > 0 {
            let n = skip.min(chunk.len() as u64);
            skip -= n;
            chunk = chunk.slice(n as usize..);
            if chunk.is_empty() {
                continue;
            }
        }
        let len = chunk.len() as u64;
        let after = state.received.saturating_add(len);
        if let Some(error) = past_the_size(after, state.total, transfer.max_unsized_download) {
            return Err(Failure::fatal(error));
        }
        if let Err(e) = open.writer.write(chunk).await {
            return Err(Failure::fatal(open.io_error(e)));
        }
        state.received += len;
        report(state.received, state.total);
    }
    if state.total != 0 && state.received != state.total {
        // The connection ended early: another attempt resumes from here.
        return Err(Failure {
            error: Error::Connect(format!(
                "the download ended after {} of {} bytes",
                state.received, state.total
            )),
            fate: Fate::Unknown,
        });
    }
    Ok(())
}

/// Streams a capability URL (no token) into `sink`, never holding the whole content, and
/// answers the number of bytes written. A failed attempt is retried like any GET, resuming
/// where it stopped (the sink never receives a byte twice); each attempt fails after the
/// stall timeout without data.
pub(crate) async fn download(
    transfer: &Transfer<'_>,
    url: &str,
    sink: DownloadSink,
    progress: Option<ProgressFn>,
) -> Result<u64> {
    let parsed = url::Url::parse(url)
        .map_err(|e| Error::Decode(format!("bad download URL `{url}`: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Decode(format!(
            "bad download URL `{url}`: not http(s)"
        )));
    }
    let report = move |received: u64, total: u64| {
        if let Some(report) = &progress {
            report(Progress {
                attachment_index: 0,
                attachment_count: 1,
                attachment_bytes_sent: received,
                attachment_bytes_total: total,
                bytes_sent: received,
                bytes_total: total,
            });
        }
    };
    let mut state = DownloadState {
        sink: Some(sink),
        open: None,
        received: 0,
        total: 0,
    };
    let log_retry = |_, failure: &Failure, wait: Duration| {
        log::info!(
            target: "sendsecure::download",
            "download failed ({}): resuming in {} ms",
            failure.error.kind_for_log(),
            wait.as_millis()
        );
    };
    let plan = Plan {
        policy: &transfer.retry,
        idempotency: Idempotency::Idempotent,
        deadline: None,
        log_retry: &log_retry,
    };
    let shared = tokio::sync::Mutex::new(&mut state);
    run(&plan, |_| async {
        let mut state = shared.lock().await;
        download_attempt(transfer, &parsed, &mut state, &report).await
    })
    .await
    .map_err(|failure| failure.error)?;
    let Some(mut open) = state.open.take() else {
        return Err(Error::InvalidState("the download never started".into()));
    };
    if let Err(e) = open.writer.finish().await {
        return Err(open.io_error(e));
    }
    let OpenSink {
        writer,
        mut partial,
        final_path,
    } = open;
    drop(writer);
    settle_progress().await;
    if let Some(path) = final_path {
        // On failure the guard removes the partial file.
        partial.persist(&path)?;
    }
    Ok(state.received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_break_the_header() {
        assert_eq!(
            escape_header_filename("a\"b\r\nX-Evil: 1.txt"),
            "a%22b%0D%0AX-Evil: 1.txt"
        );
        assert_eq!(escape_header_filename("résumé.pdf"), "résumé.pdf");
        assert_eq!(
            escape_header_filename("100% %22 sure.txt"),
            "100%25 %2522 sure.txt"
        );
    }
}
