//! The counters exposed by `/_emulator/stats`.

use std::sync::atomic::AtomicU64;

/// Counters exposed by `/_emulator/stats`.
#[derive(Debug, Default)]
pub struct Stats {
    /// TCP connections accepted since start.
    pub connections: AtomicU64,
    /// HTTP requests received since start.
    pub requests: AtomicU64,
    /// Those of them that came over HTTP/2.
    pub http2_requests: AtomicU64,
    /// Bytes of upload bodies received since start (counted by the services that take
    /// uploads).
    pub upload_bytes: AtomicU64,
}
