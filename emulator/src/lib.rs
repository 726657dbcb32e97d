//! `sendsecure-emulator`: a faithful, stateful local SendSecure server.
//!
//! It speaks the protocol of the SendSecure API spec (discovery, user token, every
//! `api/v2` endpoint, capability-URL uploads and downloads), keeps real state, enforces the same
//! rules and error shapes, and can inject faults. Start it from Rust with [`start`], or run the
//! `sendsecure-emulator` binary. See `docs/emulator.md`.

pub mod app;
pub mod clock;
pub mod config;
pub mod error;
pub mod faults;
pub mod json_input;
pub mod pdf;
pub mod routes;
pub mod server;
pub mod store;

pub use config::Config;
pub use server::{start, RunningServer, ServerOptions};
