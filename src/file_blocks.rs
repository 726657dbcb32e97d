//! A file read as a stream of blocks for an upload, each block read by the kernel straight into
//! the buffer that is then sent. `tokio::fs::File` reads into a buffer of its own and copies
//! from it: one more pass over every byte, a third of the library's CPU time on a large upload.

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use std::fs::File;
use std::io;

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
