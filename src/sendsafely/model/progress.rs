//! Where a download stands, for its progress callback.

use std::sync::Arc;

/// A download's progress, reported after each segment is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DownloadProgress {
    /// Which file of the call (0 first) is being written.
    pub file_index: usize,
    /// How many files the call downloads.
    pub file_count: usize,
    /// Plaintext bytes of this file written so far.
    pub bytes: u64,
    /// The file's size, as the server declares it.
    pub bytes_total: u64,
    /// Segments written so far.
    pub part: u64,
    /// The file's segments.
    pub parts: u64,
}

/// Receives progress reports; answering `false` stops the download (a file at a path is then
/// not written).
pub type DownloadProgressFn = Arc<dyn Fn(DownloadProgress) -> bool + Send + Sync>;
