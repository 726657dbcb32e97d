//! What an upload is given (files and their sources, a progress callback) and what it gives.

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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

/// Where one file of an upload stands (see [`UploadState`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileState {
    /// The file's id once registered (S19); `None` before.
    pub file_id: Option<String>,
    /// The parts stored so far (1 first), ascending.
    pub parts_done: Vec<u64>,
    /// Whether the file was marked complete (S22).
    pub complete: bool,
}

/// What an upload did to each of its files (numbered as the call's files), updated as the
/// call goes: after a failure or a stop, the same state given to
/// [`Client::upload_files_resumable`](crate::sendsafely::client::Client::upload_files_resumable)
/// with the same files resumes the upload (complete files are skipped, a registered file sends
/// only its missing parts). Kept elsewhere (its file ids and parts, with the package's id and
/// keycode), it resumes in another process: [`UploadState::with_files`]. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct UploadState(Arc<Mutex<Vec<FileState>>>);

impl UploadState {
    /// A state where nothing is done yet.
    pub fn new() -> UploadState {
        UploadState::default()
    }

    /// A state known from an earlier upload: `files[i]` is where file `i` stands.
    pub fn with_files(files: Vec<FileState>) -> UploadState {
        UploadState(Arc::new(Mutex::new(files)))
    }

    /// Where every file stands now.
    pub fn files(&self) -> Vec<FileState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Where file `index` stands (nothing done when the state does not know it).
    pub fn file(&self, index: usize) -> FileState {
        self.files().get(index).cloned().unwrap_or_default()
    }

    /// Changes what is known of file `index`.
    pub fn update(&self, index: usize, change: impl FnOnce(&mut FileState)) {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if files.len() <= index {
            files.resize(index + 1, FileState::default());
        }
        change(&mut files[index]);
    }

    /// Records that `part` of file `index` is stored.
    pub(crate) fn part_stored(&self, index: usize, part: u64) {
        self.update(index, |f| {
            if let Err(at) = f.parts_done.binary_search(&part) {
                f.parts_done.insert(at, part);
            }
        });
    }
}
