//! What an upload is given (files and their sources, a progress callback) and what it gives.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a file's bytes come from.
pub enum UploadSource {
    /// A regular file, opened when the upload starts.
    Path(PathBuf),
    /// A file already open, read from its current position to its end.
    File(std::fs::File),
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// A reader giving exactly `size` bytes (the server is told the size first): fewer or
    /// more is an error.
    Reader {
        /// The reader, read on a blocking thread.
        reader: Box<dyn Read + Send>,
        /// How many bytes it gives.
        size: u64,
    },
}

impl std::fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UploadSource::Path(p) => f.debug_tuple("Path").field(p).finish(),
            UploadSource::File(file) => f.debug_tuple("File").field(file).finish(),
            UploadSource::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            UploadSource::Reader { size, .. } => write!(f, "Reader({size} bytes)"),
        }
    }
}

/// A file to add to a package.
#[derive(Debug)]
pub struct FileUpload {
    /// The name the recipients see.
    pub name: String,
    /// Its bytes.
    pub source: UploadSource,
    /// The Workspace directory to put it in (`None`: the package itself).
    pub directory_id: Option<String>,
}

impl FileUpload {
    /// A file named `name` read from `source`.
    pub fn new(name: impl Into<String>, source: UploadSource) -> FileUpload {
        FileUpload {
            name: name.into(),
            source,
            directory_id: None,
        }
    }

    /// The file at `path`, under its own name.
    pub fn from_path(path: impl Into<PathBuf>) -> FileUpload {
        let path = path.into();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        FileUpload::new(name, UploadSource::Path(path))
    }
}

/// Where an upload stands, reported after each segment is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Plaintext bytes of all the call's files stored so far (never decreases).
    pub bytes_done: u64,
    /// Plaintext bytes of all the call's files.
    pub bytes_total: u64,
    /// Which file of the call (0 first) the segment belongs to.
    pub file_index: usize,
    /// How many files the call uploads.
    pub file_count: usize,
    /// Plaintext bytes of that file stored so far.
    pub file_bytes_done: u64,
    /// That file's plaintext size.
    pub file_bytes_total: u64,
    /// The segment just stored (1 first).
    pub part: u64,
    /// The file's number of segments.
    pub parts: u64,
}

/// Receives progress reports, from any thread; answering `false` stops the upload, which then
/// fails (no file of it is marked complete).
pub type UploadProgressFn = Arc<dyn Fn(UploadProgress) -> bool + Send + Sync>;

/// A file stored and marked complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// The file's id: with the package's id and keycode, what resuming needs.
    pub file_id: String,
    /// Its name.
    pub file_name: String,
    /// Its plaintext size.
    pub file_size: u64,
    /// Its number of segments.
    pub parts: u64,
}
