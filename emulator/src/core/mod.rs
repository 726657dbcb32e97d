//! The emulator core: what every served protocol shares and none of them defines.
//!
//! The server and its accept loop (TCP, TLS, mutual TLS, HTTP/1.1 and HTTP/2, graceful
//! shutdown), the clock, fault rules and the fault layer, counters, the request log, the
//! generic control routes and the extractors built on a request's connection. A protocol plugs
//! in as a [`service::Service`]; nothing here names one.

pub mod clock;
pub mod config;
pub mod conn;
pub mod control;
pub mod fault_layer;
pub mod faults;
pub mod request_log;
pub mod server;
pub mod service;
pub mod state;
pub mod stats;
pub mod tls;
