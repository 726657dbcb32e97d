//! `sendsecure-emulator`: faithful, stateful local servers of the secure-exchange services
//! the library talks to (SendSecure and SendSafely; PassBy\[ME\] next).
//!
//! [`core`] is what every protocol shares (server, TLS, faults, clock, counters, request log,
//! generic control routes); each protocol is a service module ([`sendsecure`], [`sendsafely`])
//! plugged into it; [`services`] names the services and starts one. Start SendSecure from Rust
//! with [`start`], SendSafely with [`start_sendsafely`], or run the `sendsecure-emulator`
//! binary. See `docs/emulator.md`.

pub mod core;
pub mod sendsafely;
pub mod sendsecure;
pub mod services;

pub use crate::core::server::CoreOptions;
pub use crate::core::server::RunningServer;
pub use crate::sendsecure::config::Config;
pub use crate::services::{start, start_sendsafely, SendSafelyOptions, ServerOptions, ServiceName};

// The paths of the modules before the core and the services were separated, which the
// library's tests and tools name.
pub use crate::core::{clock, faults};
pub use crate::sendsecure::{config, error, json_input, pdf, routes, store};
