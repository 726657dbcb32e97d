//! SendSafely's API areas, each a set of [`Client`](crate::sendsafely::client::Client) methods.

mod buffers;
mod download;
mod files;
mod finalize;
mod keys;
mod message;
mod packages;
mod recipients;
mod upload;
mod user;
mod workspaces;

pub use packages::{MAX_PACKAGE_LIFE, MAX_PAGE_SIZE};
pub use recipients::RECIPIENT_ROLES;
