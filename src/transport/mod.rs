//! HTTP for every service: the connection pool and its options, TLS, URL policy, capped bodies,
//! retries, streamed uploads and resumable downloads, and the error type.
//!
//! Files import only files below them: `options` < `error` < `url_policy`, `tls`,
//! `retry`, `json_nul` < `tls_probe` < `http` < `file_blocks`, `transfer` < `client`.

pub mod client;
pub mod error;
mod file_blocks;
pub mod http;
pub(crate) mod json_fields;
mod json_nul;
pub mod options;
pub(crate) mod retry;
mod tls;
mod tls_probe;
pub mod transfer;
pub(crate) mod url_policy;
