//! libsendsecure: a SendSecure client with a C ABI.
//!
//! The core (this crate's Rust API) is async and typed: [`Client`], [`get_user_token`], the
//! models in [`model`], streaming uploads with [`Progress`] reports. The C ABI in [`ffi`] wraps it
//! with opaque handles, `ss_result` codes and callbacks; its header is `include/sendsecure.h`.

#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod client;
pub mod error;
pub mod ffi;
mod file_blocks;
pub mod model;
mod retry;
mod secret;
mod tls_probe;
pub mod transfer;

pub use api::{Reply, SafeboxPages, MAX_SAFEBOX_PAGES};
pub use auth::{get_user_token, TokenRequest};
pub use client::{Client, ClientOptions};
pub use error::{Error, Result};
pub use model::*;
pub use transfer::{DownloadSink, Progress, ProgressFn};
