//! A file to attach: a path on disk, bytes in memory, an open file, or any async reader of
//! known size (one that can be opened again, or one read once).

use crate::transport::error::{printable, Error, Result};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use std::fmt;
use std::path::{Path, PathBuf};
use tokio::io::AsyncRead;

/// A reader of an attachment's bytes.
pub type AttachmentReader = Box<dyn AsyncRead + Send + Sync + Unpin>;

/// Opens an attachment's bytes from their start: called before every upload attempt, the
/// first one included, and gives a fresh reader of exactly the attachment's size.
pub type ReopenFn =
    Box<dyn FnMut() -> BoxFuture<'static, std::io::Result<AttachmentReader>> + Send + Sync>;

/// Where an attachment's bytes come from.
///
/// A failed upload is sent again from its start (see [`crate::Client`]) only when its source
/// can be read again: every source but [`AttachmentSource::Reader`].
pub enum AttachmentSource {
    /// A file, opened when it is uploaded (again for each attempt) and read in large blocks.
    Path(PathBuf),
    /// Bytes in memory.
    Bytes(Bytes),
    /// A reader yielding exactly the attachment's size. It can be read once: its upload is not
    /// retried, and a second upload of the same attachment fails with [`Error::InvalidState`].
    Reader(Option<AttachmentReader>),
    /// A reader that can be opened again from its start (see [`ReopenFn`]), so that a failed
    /// upload can be retried.
    Reopen(ReopenFn),
}

impl AttachmentSource {
    /// Whether the bytes can be read again from their start (for a retry).
    pub fn can_reopen(&self) -> bool {
        !matches!(self, AttachmentSource::Reader(_))
    }
}

impl fmt::Debug for AttachmentSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttachmentSource::Path(p) => f.debug_tuple("Path").field(p).finish(),
            AttachmentSource::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            AttachmentSource::Reader(r) => write!(
                f,
                "Reader({})",
                if r.is_some() { "unread" } else { "consumed" }
            ),
            AttachmentSource::Reopen(_) => f.write_str("Reopen"),
        }
    }
}

/// A file attached to a SafeBox or a reply.
#[derive(Debug)]
pub struct Attachment {
    /// Where the bytes come from.
    pub source: AttachmentSource,
    /// The name recipients see.
    pub file_name: String,
    /// MIME type; guessed from the name when not given.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// The document GUID, once uploaded.
    pub guid: Option<String>,
}

fn guess_type(file_name: &str) -> String {
    mime_guess::from_path(file_name)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_string()
}

fn pick(
    file_name: Option<&str>,
    content_type: Option<&str>,
    fallback_name: &str,
) -> (String, String) {
    let name = file_name
        .filter(|n| !n.is_empty())
        .unwrap_or(fallback_name)
        .to_string();
    let ty = content_type
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| guess_type(&name));
    (name, ty)
}

impl Attachment {
    /// A file on disk; its name defaults to the path's last component. Fails when the path is
    /// not a readable regular file.
    pub fn from_path(
        path: impl AsRef<Path>,
        content_type: Option<&str>,
        file_name: Option<&str>,
    ) -> Result<Attachment> {
        let path = path.as_ref();
        let io = |source| Error::Io {
            path: printable(&path.display().to_string()),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file",
            )));
        }
        let base = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (file_name, content_type) = pick(file_name, content_type, &base);
        Ok(Attachment {
            source: AttachmentSource::Path(path.to_path_buf()),
            file_name,
            content_type,
            size: meta.len(),
            guid: None,
        })
    }

    /// An open file, read from its current position to its end. On Unix it is read with
    /// positional reads from that position (its offset is never moved), so a failed upload
    /// can be sent again; elsewhere it is read once.
    pub fn from_file(
        file: std::fs::File,
        file_name: &str,
        content_type: Option<&str>,
    ) -> Result<Attachment> {
        use std::io::Seek;
        let mut file = file;
        let io = |source| Error::Io {
            path: printable(file_name),
            source,
        };
        let len = file.metadata().map_err(io)?.len();
        let position = file.stream_position().map_err(io)?;
        let size = len.saturating_sub(position);
        #[cfg(unix)]
        {
            let file = std::sync::Arc::new(file);
            Attachment::from_reopen(
                Box::new(move || {
                    let reader: AttachmentReader =
                        Box::new(PositionalReader::new(file.clone(), position));
                    Box::pin(std::future::ready(Ok(reader)))
                }),
                size,
                file_name,
                content_type,
            )
        }
        #[cfg(not(unix))]
        Attachment::from_reader(
            Box::new(tokio::fs::File::from_std(file)),
            size,
            file_name,
            content_type,
        )
    }

    /// A reader of exactly `size` bytes that `reopen` opens again from its start for every
    /// upload attempt (the first one included), so that a failed upload can be retried.
    pub fn from_reopen(
        reopen: ReopenFn,
        size: u64,
        file_name: &str,
        content_type: Option<&str>,
    ) -> Result<Attachment> {
        let mut attachment =
            Attachment::from_reader(Box::new(tokio::io::empty()), size, file_name, content_type)?;
        attachment.source = AttachmentSource::Reopen(reopen);
        Ok(attachment)
    }

    /// Bytes in memory.
    pub fn from_bytes(
        bytes: impl Into<Bytes>,
        file_name: &str,
        content_type: Option<&str>,
    ) -> Result<Attachment> {
        if file_name.is_empty() {
            return Err(Error::InvalidArgument(
                "Attachment file name cannot be empty".into(),
            ));
        }
        let bytes = bytes.into();
        let (file_name, content_type) = pick(Some(file_name), content_type, file_name);
        Ok(Attachment {
            size: bytes.len() as u64,
            source: AttachmentSource::Bytes(bytes),
            file_name,
            content_type,
            guid: None,
        })
    }

    /// A reader that yields exactly `size` bytes.
    pub fn from_reader(
        reader: Box<dyn AsyncRead + Send + Sync + Unpin>,
        size: u64,
        file_name: &str,
        content_type: Option<&str>,
    ) -> Result<Attachment> {
        if file_name.is_empty() {
            return Err(Error::InvalidArgument(
                "Attachment file name cannot be empty".into(),
            ));
        }
        let (file_name, content_type) = pick(Some(file_name), content_type, file_name);
        Ok(Attachment {
            source: AttachmentSource::Reader(Some(reader)),
            file_name,
            content_type,
            size,
            guid: None,
        })
    }
}

/// Reads a file from `offset` on with positional reads (on the blocking pool), never through
/// the descriptor's shared offset: a read still running for an abandoned earlier attempt
/// cannot move what a new attempt reads.
#[cfg(unix)]
pub(crate) struct PositionalReader {
    file: std::sync::Arc<std::fs::File>,
    offset: u64,
    pending: Option<tokio::task::JoinHandle<std::io::Result<Vec<u8>>>>,
}

#[cfg(unix)]
impl PositionalReader {
    /// A reader of `file` from `offset` to its end.
    pub(crate) fn new(file: std::sync::Arc<std::fs::File>, offset: u64) -> PositionalReader {
        PositionalReader {
            file,
            offset,
            pending: None,
        }
    }
}

#[cfg(unix)]
impl AsyncRead for PositionalReader {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::future::Future;
        use std::os::unix::fs::FileExt;
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return std::task::Poll::Ready(Ok(()));
        }
        let pending = this.pending.get_or_insert_with(|| {
            let (file, offset, len) = (this.file.clone(), this.offset, buf.remaining());
            tokio::task::spawn_blocking(move || {
                let mut block = vec![0u8; len];
                let n = file.read_at(&mut block, offset)?;
                block.truncate(n);
                Ok(block)
            })
        });
        let result = std::task::ready!(std::pin::Pin::new(pending).poll(cx));
        this.pending = None;
        let block = result.map_err(std::io::Error::other)??;
        // Positional: what does not fit now is simply read again next time.
        let n = block.len().min(buf.remaining());
        buf.put_slice(&block[..n]);
        this.offset += n as u64;
        std::task::Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types_are_derived() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, b"%PDF").unwrap();
        let a = Attachment::from_path(&path, None, None).unwrap();
        assert_eq!(
            (a.file_name.as_str(), a.content_type.as_str(), a.size),
            ("report.pdf", "application/pdf", 4)
        );
        let b = Attachment::from_path(&path, Some("text/plain"), Some("other.txt")).unwrap();
        assert_eq!(
            (b.file_name.as_str(), b.content_type.as_str()),
            ("other.txt", "text/plain")
        );
        assert!(matches!(
            Attachment::from_path(dir.path().join("missing"), None, None),
            Err(Error::Io { .. })
        ));
        assert!(matches!(
            Attachment::from_path(dir.path(), None, None),
            Err(Error::Io { .. })
        ));
        // A path quoted in an error keeps to one readable line.
        match Attachment::from_path("/nonexistent/a\nb\u{1}.txt", None, None) {
            Err(Error::Io { path, .. }) => assert_eq!(path, "/nonexistent/a\\nb\\u{1}.txt"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            Attachment::from_bytes(vec![1], "x.bin", None)
                .unwrap()
                .content_type,
            "application/octet-stream"
        );
    }
}
