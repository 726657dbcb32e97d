//! HTTP for every service: the connection pool and its options, TLS, URL policy, capped bodies,
//! retries, streamed uploads and resumable downloads, and the error type.

pub mod client;
pub mod error;
mod file_blocks;
pub(crate) mod retry;
pub(crate) mod secret;
mod tls_probe;
pub mod transfer;
