//! A file to attach: a path on disk, bytes in memory, or any async reader of known size.

use crate::error::{Error, Result};
use bytes::Bytes;
use std::fmt;
use std::path::{Path, PathBuf};
use tokio::io::AsyncRead;

/// Where an attachment's bytes come from.
pub enum AttachmentSource {
    /// A file, opened when it is uploaded and read in large blocks.
    Path(PathBuf),
    /// Bytes in memory.
    Bytes(Bytes),
    /// A reader yielding exactly the attachment's size. It can be read once: a second upload
    /// of the same attachment fails with [`Error::InvalidState`].
    Reader(Option<Box<dyn AsyncRead + Send + Sync + Unpin>>),
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
            path: path.display().to_string(),
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

    /// An open file, read from its current position to its end.
    pub fn from_file(
        file: std::fs::File,
        file_name: &str,
        content_type: Option<&str>,
    ) -> Result<Attachment> {
        use std::io::Seek;
        let mut file = file;
        let io = |source| Error::Io {
            path: file_name.to_string(),
            source,
        };
        let len = file.metadata().map_err(io)?.len();
        let position = file.stream_position().map_err(io)?;
        Attachment::from_reader(
            Box::new(tokio::fs::File::from_std(file)),
            len.saturating_sub(position),
            file_name,
            content_type,
        )
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
        assert_eq!(
            Attachment::from_bytes(vec![1], "x.bin", None)
                .unwrap()
                .content_type,
            "application/octet-stream"
        );
    }
}
