//! How a protocol plugs into the core: a [`Service`] builds its routes and its own state from
//! the core state, and tells the core the little it must know about the protocol's requests.
//!
//! The core never names a service; a service uses the core and nothing of another service.

use crate::core::state::CoreShared;
use axum::http::Uri;
use axum::Router;
use std::any::Any;
use std::sync::Arc;

/// One protocol served by the emulator (SendSecure, and next SendSafely and PassBy\[ME\]).
pub trait Service: Send + Sync + 'static {
    /// The header names (lower-case) that carry the protocol's credential: the request log
    /// notes whether one was sent.
    fn credential_headers(&self) -> &'static [&'static str] {
        &[]
    }

    /// Rewrites a request's URI before routing, the way the real server routes it (SendSecure
    /// drops an optional `.json`); `None` keeps it. The request log keeps the target as sent.
    fn rewrite_uri(&self, _uri: &Uri) -> Option<Uri> {
        None
    }

    /// Builds the service's state and routes. Called once, when the server starts.
    fn build(&self, core: &CoreShared) -> ServiceRoutes;
}

/// What a service hands to the core.
pub struct ServiceRoutes {
    /// The protocol's routes, fallback included. The core puts them behind the fault layer
    /// (request counting, request log, latency, injected faults).
    pub api: Router,
    /// The service's own control routes under `/_emulator/` (state inspection), served beside
    /// the generic ones with `--control` and, like them, spared by faults.
    pub control: Router,
    /// The service's state, for in-process inspection
    /// ([`RunningServer::service_state`](crate::core::server::RunningServer::service_state)).
    pub state: Arc<dyn Any + Send + Sync>,
}
