//! libsendsecure: clients of secure-exchange services with a C ABI.
//!
//! The crate is layered (see docs/architecture.md): [`transport`] speaks HTTP (TLS, retries,
//! streamed transfers, errors) and knows no service; [`ffi`] holds what every service's C ABI
//! shares (the boundary, last error, strings, runtime, cancellation, log); each service is a
//! module of its own with its client, API areas, models and C ABI: [`sendsecure`]. Services
//! never import each other. The header is `include/sendsecure.h`.

#![warn(missing_docs)]

pub mod ffi;
pub mod sendsecure;
pub mod transport;

pub use sendsecure::api::{Reply, SafeboxPages, MAX_SAFEBOX_PAGES};
pub use sendsecure::auth::{get_user_token, TokenRequest};
pub use sendsecure::client::{Client, ClientOptions};
pub use sendsecure::model::*;
pub use transport::error::{Error, Result};
pub use transport::options::TransportOptions;
pub use transport::transfer::{DownloadSink, Progress, ProgressFn};
