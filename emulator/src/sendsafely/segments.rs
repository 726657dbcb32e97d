//! Segments on disk (spec §10.5): written to a temporary file beside their place as they
//! arrive, their length and SHA-256 computed on the way and the configured maximum enforced
//! before anything is kept, then moved into place in one step, so that a retry overwrites a
//! part whole or not at all; read back as a stream.

use crate::sendsafely::store::Segment;
use axum::body::Body;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a segment was not stored.
#[derive(Debug)]
pub enum WriteError {
    /// More than the maximum segment size arrived (nothing is stored).
    TooLarge,
    /// The disk refused (the text names the file, never a secret).
    Io(String),
}

/// A segment being written: a temporary file, removed unless [`SegmentWriter::commit`] puts
/// it in place.
pub struct SegmentWriter {
    file: std::fs::File,
    temp: PathBuf,
    hasher: Sha256,
    /// Bytes received (checked against `max`).
    received: u64,
    /// Bytes kept: all of them, or the prefix a `truncate_store` fault leaves.
    stored: u64,
    keep: Option<u64>,
    max: u64,
    committed: bool,
}

impl SegmentWriter {
    /// A writer for the segment that goes to `target`, refusing more than `max` bytes and
    /// keeping only the first `keep` of them when given (a `truncate_store` fault).
    pub fn create(target: &Path, max: u64, keep: Option<u64>) -> Result<SegmentWriter, WriteError> {
        let dir = target
            .parent()
            .ok_or_else(|| WriteError::Io("a segment path has a directory".into()))?;
        std::fs::create_dir_all(dir)
            .map_err(|e| WriteError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(
            ".{name}.{}.partial",
            hex::encode(crate::sendsafely::store::random_bytes(8))
        ));
        let file = std::fs::File::create(&temp)
            .map_err(|e| WriteError::Io(format!("cannot create {}: {e}", temp.display())))?;
        Ok(SegmentWriter {
            file,
            temp,
            hasher: Sha256::new(),
            received: 0,
            stored: 0,
            keep,
            max,
            committed: false,
        })
    }

    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Takes the next bytes of the segment.
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), WriteError> {
        self.received += chunk.len() as u64;
        if self.received > self.max {
            return Err(WriteError::TooLarge);
        }
        let room = self.keep.map(|k| k.saturating_sub(self.stored));
        let kept = match room {
            Some(room) => &chunk[..chunk.len().min(room as usize)],
            None => chunk,
        };
        self.file
            .write_all(kept)
            .map_err(|e| WriteError::Io(format!("cannot write {}: {e}", self.temp.display())))?;
        self.hasher.update(kept);
        self.stored += kept.len() as u64;
        Ok(())
    }

    /// Puts the segment in place at `target` (replacing an earlier copy in one step) and
    /// answers its length and SHA-256. Call it while holding the store's lock, so that the
    /// file in place and the recorded digest are those of the same upload.
    pub fn commit(mut self, target: &Path) -> Result<Segment, WriteError> {
        std::fs::rename(&self.temp, target)
            .map_err(|e| WriteError::Io(format!("cannot store {}: {e}", target.display())))?;
        self.committed = true;
        Ok(Segment {
            len: self.stored,
            sha256: hex::encode(std::mem::take(&mut self.hasher).finalize()),
        })
    }
}

impl Drop for SegmentWriter {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// The stored segment at `path` as a body streamed from disk.
pub async fn read(path: &Path) -> std::io::Result<Body> {
    let file = tokio::fs::File::open(path).await?;
    Ok(Body::from_stream(tokio_util::io::ReaderStream::new(file)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_refused_whole_beyond_the_maximum_and_kept_short_when_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f").join("1");
        let mut w = SegmentWriter::create(&target, 10, None).unwrap();
        w.write(b"123456").unwrap();
        assert!(matches!(w.write(b"78901"), Err(WriteError::TooLarge)));
        drop(w);
        let left: Vec<_> = std::fs::read_dir(dir.path().join("f")).unwrap().collect();
        assert!(left.is_empty(), "the temporary file is removed: {left:?}");

        let mut w = SegmentWriter::create(&target, 10, Some(4)).unwrap();
        w.write(b"abc").unwrap();
        w.write(b"defg").unwrap();
        assert_eq!(w.received(), 7);
        let segment = w.commit(&target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"abcd");
        assert_eq!(segment.len, 4);
        assert_eq!(segment.sha256, hex::encode(Sha256::digest(b"abcd")));
    }
}
