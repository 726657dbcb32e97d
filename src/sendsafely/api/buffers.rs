//! Segment buffers reused within one transfer: a call takes its buffers from a pool it owns
//! and each goes back to it when dropped, so that a file of any size is carried by the same
//! few allocations (no fresh pages faulted in per segment, no allocator arenas growing with
//! buffers freed on other threads than the ones that made them).
//!
//! The pool does not bound how many buffers are out (the transfer's semaphores do); it keeps
//! at most `keep` free buffers, of at least its capacity and at most twice it (a larger one,
//! as another client's 10 MiB segment, is freed on return).

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};
use zeroize::Zeroize;

/// The free buffers of one transfer. Shared between its tasks (`Arc`), locked briefly.
pub(crate) struct BufferPool {
    free: Mutex<Vec<Vec<u8>>>,
    capacity: usize,
    keep: usize,
}

impl BufferPool {
    /// A pool of buffers of `capacity` bytes, keeping at most `keep` of them free.
    pub(crate) fn new(capacity: usize, keep: usize) -> Arc<BufferPool> {
        Arc::new(BufferPool {
            free: Mutex::new(Vec::with_capacity(keep)),
            capacity,
            keep,
        })
    }

    /// An empty buffer of at least the pool's capacity: a free one, else a new one. With
    /// `wipe`, its bytes are zeroed before it goes back (for plaintext).
    pub(crate) fn take(self: &Arc<Self>, wipe: bool) -> Buffer {
        let reused = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Buffer {
            bytes: reused.unwrap_or_else(|| Vec::with_capacity(self.capacity)),
            pool: self.clone(),
            wipe,
        }
    }

    fn give(&self, bytes: Vec<u8>) {
        if !(self.capacity..=2 * self.capacity).contains(&bytes.capacity()) {
            return;
        }
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < self.keep {
            free.push(bytes);
        }
    }
}

/// A buffer of a [`BufferPool`], returned to it (emptied, wiped if asked) when dropped.
pub(crate) struct Buffer {
    bytes: Vec<u8>,
    pool: Arc<BufferPool>,
    wipe: bool,
}

impl Deref for Buffer {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.bytes
    }
}

impl DerefMut for Buffer {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }
}

impl AsRef<[u8]> for Buffer {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.bytes);
        if self.wipe {
            // Zeroes the whole capacity, and empties it.
            bytes.zeroize();
        } else {
            bytes.clear();
        }
        self.pool.give(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_returned_buffer_is_reused_and_emptied() {
        let pool = BufferPool::new(1024, 1);
        let mut first = pool.take(true);
        first.extend_from_slice(b"secret");
        let address = first.as_ptr();
        drop(first);
        let again = pool.take(false);
        assert_eq!(again.as_ptr(), address, "the same allocation");
        assert!(again.is_empty());
    }

    #[test]
    fn the_pool_keeps_only_so_many_buffers_of_its_size() {
        let pool = BufferPool::new(1024, 1);
        let (a, b) = (pool.take(false), pool.take(false));
        drop(a);
        drop(b);
        assert_eq!(pool.free.lock().unwrap().len(), 1);
        let mut large = pool.take(false);
        large.reserve(10_000);
        drop(large);
        let mut small = pool.take(false);
        small.shrink_to(10);
        drop(small);
        assert_eq!(pool.free.lock().unwrap().len(), 0, "neither is kept");
    }
}
