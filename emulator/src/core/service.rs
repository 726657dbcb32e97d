//! How a protocol plugs into the core: a [`Service`] builds its routes and its own state from
//! the core state, and tells the core the little it must know about the protocol's requests.
//!
//! The core never names a service; a service uses the core and nothing of another service.

use crate::core::state::CoreShared;
use axum::http::{Method, Uri};
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

    /// The header names (lower-case) whose values are secrets: the request journal keeps
    /// their names, never their values. By default the credential headers (bearer tokens);
    /// `authorization`, `cookie` and `proxy-authorization` are always hidden.
    fn secret_headers(&self) -> &'static [&'static str] {
        self.credential_headers()
    }

    /// What a request is, for fault rules and the journal: its route name (SendSafely's
    /// `S21`) and its kind. By default an API call of no named route.
    fn classify(&self, _method: &Method, _path: &str) -> RequestClass {
        RequestClass::default()
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

/// Which way a request goes, as fault rules match it (`api`, `storage-put`, `storage-get`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestKind {
    /// A call of the service's API.
    #[default]
    Api,
    /// An upload to a storage URL the service handed out.
    StoragePut,
    /// A download from such a URL.
    StorageGet,
}

impl RequestKind {
    /// Whether it goes to a storage URL.
    pub fn is_storage(self) -> bool {
        self != RequestKind::Api
    }
}

/// What a service says a request is (a request extension set before routing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestClass {
    /// The route's name in the service's specification (`S21`), when it has one.
    pub route: Option<&'static str>,
    pub kind: RequestKind,
    /// Whether the body carries a secret (a login's password): the journal then keeps its
    /// length only, no digest that could be checked against guesses.
    pub secret_body: bool,
}
