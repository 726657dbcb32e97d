//! SendSafely's API areas, each a set of [`Client`](crate::sendsafely::client::Client) methods.

mod download;
mod keys;
mod message;
mod user;
mod workspaces;
