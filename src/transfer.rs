//! Streaming uploads (spec §6, wire format A): one multipart part named `file`, with an exact
//! `Content-Length`, read from the source in large blocks so memory stays bounded, counting the
//! bytes handed to the connection for progress reports.

use crate::client::json_or_error;
use crate::error::{Error, Result};
use crate::model::{Attachment, AttachmentSource};
use bytes::Bytes;
use futures_util::Stream;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
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
/// CR and LF become `%22`, `%0D`, `%0A`, so a name can never end the header or add one.
pub fn escape_header_filename(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn random_boundary() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| Error::InvalidState(format!("no randomness: {e}")))?;
    Ok(format!(
        "sendsecure-{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

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
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(head)));
        }
        if let Some(content) = self.content.as_mut() {
            match content.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
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

/// Opens an attachment's bytes as a stream of blocks.
async fn open_source(attachment: &mut Attachment) -> Result<ByteStream> {
    Ok(match &mut attachment.source {
        AttachmentSource::Path(path) => {
            let file = tokio::fs::File::open(&path)
                .await
                .map_err(|source| Error::Io {
                    path: path.display().to_string(),
                    source,
                })?;
            Box::pin(ReaderStream::with_capacity(file, BLOCK_SIZE))
        }
        AttachmentSource::Bytes(bytes) => {
            let bytes = bytes.clone();
            let blocks: Vec<io::Result<Bytes>> = (0..bytes.len())
                .step_by(BLOCK_SIZE)
                .map(|start| Ok(bytes.slice(start..(start + BLOCK_SIZE).min(bytes.len()))))
                .collect();
            Box::pin(futures_util::stream::iter(blocks))
        }
        AttachmentSource::Reader(reader) => {
            let reader = reader.take().ok_or_else(|| {
                Error::InvalidState(format!(
                    "attachment `{}`: its stream was already read",
                    attachment.file_name
                ))
            })?;
            Box::pin(ReaderStream::with_capacity(reader, BLOCK_SIZE))
        }
    })
}

/// Uploads one attachment to an upload URL (no token: it is a capability URL) and answers the
/// document GUID. `on_bytes` receives the attachment's bytes sent so far.
pub(crate) async fn upload_attachment(
    http: &reqwest::Client,
    upload_url: &str,
    attachment: &mut Attachment,
    on_bytes: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<String> {
    if attachment.content_type.chars().any(|c| c.is_control()) {
        return Err(Error::InvalidArgument(format!(
            "attachment `{}`: content type contains control characters",
            attachment.file_name
        )));
    }
    let boundary = random_boundary()?;
    let head = Bytes::from(format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
        escape_header_filename(&attachment.file_name),
        attachment.content_type
    ));
    let tail = Bytes::from(format!("\r\n--{boundary}--\r\n"));
    let length = head.len() as u64 + attachment.size + tail.len() as u64;
    let source_name = match &attachment.source {
        AttachmentSource::Path(path) => path.display().to_string(),
        _ => attachment.file_name.clone(),
    };
    let content = open_source(attachment).await?;
    let failure = Arc::new(Mutex::new(None));
    let body = UploadBody {
        head: Some(head),
        content: Some(content),
        tail: Some(tail),
        sent: 0,
        expected: attachment.size,
        on_bytes,
        failure: failure.clone(),
    };
    let response = http
        .post(upload_url)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("Content-Length", length)
        .header("Accept", "application/json")
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await
        .map_err(|e| match failure.lock().ok().and_then(|mut f| f.take()) {
            Some(source) => Error::Io {
                path: source_name,
                source,
            },
            None => Error::from_reqwest(e),
        })?;
    let answer = json_or_error(response).await?;
    answer
        .pointer("/temporary_document/document_guid")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            Error::Decode("upload answer without `temporary_document.document_guid`".into())
        })
}

/// Uploads every attachment without a GUID, up to `concurrency` at a time (1 = one after the
/// other), each to the URL `upload_url` gives for it, and sets each attachment's GUID as soon as
/// its upload succeeds, so a failed call can be repeated without re-sending those. The first
/// failure cancels the uploads still running.
///
/// Progress is reported over all of them: `bytes_sent` is the sum over attachments, reported
/// under one lock so that the reports reach the callback in increasing order.
pub(crate) async fn upload_all<F, Fut>(
    http: &reqwest::Client,
    attachments: &mut [Attachment],
    progress: Option<ProgressFn>,
    concurrency: usize,
    upload_url: F,
) -> Result<()>
where
    F: Fn(&Attachment) -> Fut,
    Fut: std::future::Future<Output = Result<String>> + Send,
{
    use futures_util::{StreamExt, TryStreamExt};
    let pending: Vec<&mut Attachment> = attachments
        .iter_mut()
        .filter(|a| a.guid.is_none())
        .collect();
    let count = pending.len();
    let bytes_total: u64 = pending.iter().map(|a| a.size).sum();
    let overall = Arc::new(std::sync::Mutex::new(0u64));
    type Upload<'a> = Pin<Box<dyn std::future::Future<Output = Result<()>> + Send + 'a>>;
    let mut uploads: Vec<Upload<'_>> = Vec::with_capacity(count);
    for (n, attachment) in pending.into_iter().enumerate() {
        let base = Progress {
            attachment_index: n,
            attachment_count: count,
            attachment_bytes_total: attachment.size,
            bytes_total,
            ..Progress::default()
        };
        let report = progress.clone();
        let overall = overall.clone();
        let last = std::sync::atomic::AtomicU64::new(0);
        let on_bytes: Arc<dyn Fn(u64) + Send + Sync> = Arc::new(move |sent| {
            let Some(report) = &report else { return };
            let mut total = overall.lock().unwrap_or_else(|p| p.into_inner());
            *total += sent - last.swap(sent, std::sync::atomic::Ordering::Relaxed);
            report(Progress {
                attachment_bytes_sent: sent,
                bytes_sent: *total,
                ..base
            });
        });
        let url = upload_url(attachment);
        uploads.push(Box::pin(async move {
            on_bytes(0);
            let url = url.await?;
            let guid = upload_attachment(http, &url, attachment, on_bytes).await?;
            attachment.guid = Some(guid);
            Ok(())
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
async fn settle_progress() {
    tokio::task::yield_now().await;
}

/// Where a download goes.
pub enum DownloadSink {
    /// A file, written as `<path>.part` and renamed when complete (removed on failure).
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
struct PartialFile(Option<std::path::PathBuf>);

impl Drop for PartialFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Streams a capability URL (no token) into `sink`, never holding the whole content, and
/// answers the number of bytes written.
pub(crate) async fn download(
    http: &reqwest::Client,
    url: &str,
    sink: DownloadSink,
    progress: Option<ProgressFn>,
) -> Result<u64> {
    use tokio::io::AsyncWriteExt;
    let parsed = url::Url::parse(url)
        .map_err(|e| Error::Decode(format!("bad download URL `{url}`: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Decode(format!(
            "bad download URL `{url}`: not http(s)"
        )));
    }
    let mut response = http.get(parsed).send().await.map_err(Error::from_reqwest)?;
    let status = response.status();
    if !status.is_success() {
        let body = crate::client::read_capped(response, 64 << 10)
            .await
            .unwrap_or_default();
        return Err(Error::from_status(
            status.as_u16(),
            String::from_utf8_lossy(&body).into_owned(),
        ));
    }
    let total = response.content_length().unwrap_or(0);
    let (mut writer, partial, final_path): (
        Box<dyn tokio::io::AsyncWrite + Send + Unpin>,
        PartialFile,
        _,
    ) = match sink {
        DownloadSink::Path(path) => {
            let mut part = path.clone().into_os_string();
            part.push(".part");
            let part = std::path::PathBuf::from(part);
            let file = tokio::fs::File::create(&part)
                .await
                .map_err(|source| Error::Io {
                    path: part.display().to_string(),
                    source,
                })?;
            let writer = tokio::io::BufWriter::with_capacity(BLOCK_SIZE, file);
            (Box::new(writer), PartialFile(Some(part)), Some(path))
        }
        DownloadSink::Writer(w) => (w, PartialFile(None), None),
    };
    let io_error = |source: std::io::Error| Error::Io {
        path: final_path
            .as_ref()
            .map(|p: &std::path::PathBuf| p.display().to_string())
            .unwrap_or_else(|| "download".into()),
        source,
    };
    let mut received = 0u64;
    let report = |received: u64| {
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
    report(0);
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        writer.write_all(&chunk).await.map_err(io_error)?;
        received += chunk.len() as u64;
        report(received);
    }
    if total != 0 && received != total {
        return Err(Error::Connect(format!(
            "the download ended after {received} of {total} bytes"
        )));
    }
    writer.flush().await.map_err(io_error)?;
    writer.shutdown().await.map_err(io_error)?;
    drop(writer);
    settle_progress().await;
    let mut partial = partial;
    if let (Some(part), Some(path)) = (partial.0.as_ref(), final_path) {
        // Renamed synchronously (a quick metadata operation), in the poll that completes the
        // download: a rename on the blocking pool would still happen after the future was
        // dropped, so a download cancelled at its end (e.g. by a progress callback) could leave
        // the file after reporting that it stopped. Now `path` is written if and only if the
        // download succeeds. On failure the guard removes the partial file.
        std::fs::rename(part, &path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        partial.0 = None;
    }
    Ok(received)
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
    }
}
