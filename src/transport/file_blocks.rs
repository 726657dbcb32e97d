//! Files read and written in blocks on the blocking pool without copying the bytes: an upload's
//! file is read by the kernel straight into the buffers that are sent, and a download's blocks
//! are written to the file from the buffers they arrived in. `tokio::fs::File` (and a
//! `BufWriter` over it) goes through buffers of its own: one or two more passes over every
//! byte, a third of the library's CPU time on a large upload.

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use std::fs::File;
use std::io::{self, Write};

/// The blocks of `file` from its current position to its end, `block_size` bytes each (the
/// last one shorter), read on the blocking pool.
pub(crate) fn file_blocks(
    file: File,
    block_size: usize,
) -> impl Stream<Item = io::Result<Bytes>> + Send {
    futures_util::stream::try_unfold(Some(file), move |file| async move {
        let Some(file) = file else {
            return Ok(None);
        };
        let (file, block) = tokio::task::spawn_blocking(move || {
            read_block(&file, block_size).map(|block| (file, block))
        })
        .await
        .map_err(io::Error::other)??;
        Ok(if block.is_empty() {
            None
        } else {
            Some((block.freeze(), Some(file)))
        })
    })
}

/// Up to `size` bytes of `file`: fewer only at its end (empty there).
fn read_block(file: &File, size: usize) -> io::Result<BytesMut> {
    let mut block = BytesMut::with_capacity(size);
    while block.len() < size {
        let wanted = size - block.len();
        let n = read_into_spare(file, &mut block, wanted)?;
        if n == 0 {
            break;
        }
    }
    Ok(block)
}

/// One read of at most `max` bytes into `block`'s spare capacity (not initialized first: the
/// kernel writes it); answers how many bytes were added.
#[cfg(unix)]
fn read_into_spare(file: &File, block: &mut BytesMut, max: usize) -> io::Result<usize> {
    use std::os::unix::io::AsRawFd;
    let spare = block.spare_capacity_mut();
    let max = max.min(spare.len());
    let spare = spare.as_mut_ptr();
    loop {
        // SAFETY: `spare` is valid for writes of `max` bytes; read(2) writes at most that many
        // and initializes exactly the `n` it returns, which `set_len` then covers.
        let n = unsafe { libc::read(file.as_raw_fd(), spare.cast(), max) };
        if n >= 0 {
            let n = n as usize;
            unsafe { block.set_len(block.len() + n) };
            return Ok(n);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(not(unix))]
fn read_into_spare(file: &File, block: &mut BytesMut, max: usize) -> io::Result<usize> {
    use std::io::Read;
    let start = block.len();
    block.resize(start + max, 0);
    let n = loop {
        match (&*file).read(&mut block[start..]) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    block.truncate(start + n.as_ref().copied().unwrap_or(0));
    n
}

/// A file written from the blocks of a download: blocks are kept as they came (not copied)
/// until `block_size` bytes are pending, then written on the blocking pool.
pub(crate) struct BlockWriter {
    /// `None` after a write failed (or was dropped while it ran).
    file: Option<File>,
    pending: Vec<Bytes>,
    pending_len: usize,
    block_size: usize,
}

impl BlockWriter {
    pub(crate) fn new(file: File, block_size: usize) -> BlockWriter {
        BlockWriter {
            file: Some(file),
            pending: Vec::new(),
            pending_len: 0,
            block_size,
        }
    }

    /// Takes `block`; writes what is pending once it reaches the block size.
    pub(crate) async fn write(&mut self, block: Bytes) -> io::Result<()> {
        self.pending_len += block.len();
        self.pending.push(block);
        if self.pending_len >= self.block_size {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes what is pending; when it returns, the bytes are in the file.
    pub(crate) async fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("an earlier write to this file failed"))?;
        let blocks = std::mem::take(&mut self.pending);
        self.pending_len = 0;
        let (file, written) = tokio::task::spawn_blocking(move || {
            let written = blocks.iter().try_for_each(|b| (&file).write_all(b));
            (file, written)
        })
        .await
        .map_err(io::Error::other)?;
        written?;
        self.file = Some(file);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt;

    fn blocks_of(data: &[u8], block_size: usize) -> Vec<Bytes> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, data).unwrap();
        let file = File::open(&path).unwrap();
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(file_blocks(file, block_size).try_collect())
            .unwrap()
    }

    #[test]
    fn a_file_comes_back_whole_in_blocks_of_the_size_asked() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 251) as u8).collect();
        let blocks = blocks_of(&data, 4096);
        let sizes: Vec<usize> = blocks.iter().map(Bytes::len).collect();
        assert_eq!(sizes, vec![4096, 4096, 1808]);
        assert_eq!(blocks.concat(), data);
        // An exact multiple: no empty block at the end.
        assert_eq!(blocks_of(&data[..8192], 4096).len(), 2);
        // An empty file: no block at all.
        assert!(blocks_of(&[], 4096).is_empty());
    }

    #[test]
    fn blocks_are_written_whole_and_in_order_once_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let data: Vec<u8> = (0..9_000u32).map(|i| (i * 7 % 253) as u8).collect();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let mut writer = BlockWriter::new(File::create(&path).unwrap(), 4096);
            for piece in data.chunks(1000) {
                writer.write(Bytes::copy_from_slice(piece)).await.unwrap();
            }
            // The first 5000 bytes went out once 4096 were pending; the last 4000 wait for
            // the flush.
            assert_eq!(std::fs::read(&path).unwrap(), data[..5000]);
            writer.flush().await.unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), data);
            writer.flush().await.unwrap(); // nothing pending: nothing happens
        });
        assert_eq!(std::fs::read(&path).unwrap(), data);
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_write_is_reported_then_and_after() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            // Opened read-only: writing fails.
            let file = File::open("/dev/null").unwrap();
            let mut writer = BlockWriter::new(file, 4);
            assert!(writer.write(Bytes::from_static(b"12345")).await.is_err());
            let later = writer
                .write(Bytes::from_static(b"67890"))
                .await
                .unwrap_err();
            assert!(later.to_string().contains("earlier write"), "{later}");
        });
    }

    #[cfg(unix)]
    #[test]
    fn a_read_error_ends_the_stream_with_it() {
        // A directory opens as a File on Unix, but reading it fails (EISDIR).
        let dir = tempfile::tempdir().unwrap();
        let file = File::open(dir.path()).unwrap();
        let result: io::Result<Vec<Bytes>> = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(file_blocks(file, 4096).try_collect());
        assert!(result.is_err());
    }
}
