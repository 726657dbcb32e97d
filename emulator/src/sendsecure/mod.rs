//! SendSecure: discovery, user token, every `api/v2` endpoint, capability-URL uploads and
//! downloads, with real state, the same rules and error shapes (spec `sendsecure-api.md`).
//!
//! Plugged into the core as a [`Service`]; it uses the core and no other service.

pub mod config;
pub mod control;
pub mod error;
pub mod json_input;
pub mod pdf;
pub mod router;
pub mod routes;
pub mod state;
pub mod store;
pub mod time_units;
pub mod uri;

use crate::core::service::{RequestClass, Service, ServiceRoutes};
use crate::core::state::CoreShared;
use axum::http::Uri;
use config::Config;
use state::SendSecureState;
use std::sync::Arc;
use store::{Store, TOKEN_HEADERS};

/// The SendSecure service for one configuration (accounts, users, profiles).
#[derive(Debug, Clone)]
pub struct SendSecure {
    config: Config,
}

impl SendSecure {
    /// The service for these accounts.
    pub fn new(config: Config) -> SendSecure {
        SendSecure { config }
    }
}

impl Service for SendSecure {
    fn credential_headers(&self) -> &'static [&'static str] {
        &TOKEN_HEADERS
    }

    fn rewrite_uri(&self, uri: &Uri) -> Option<Uri> {
        uri::normalize_uri(uri)
    }

    fn classify(&self, _method: &axum::http::Method, path: &str) -> RequestClass {
        RequestClass {
            // The login's body holds the password.
            secret_body: path.trim_end_matches(".json").ends_with("/user_token"),
            ..RequestClass::default()
        }
    }

    fn build(&self, core: &CoreShared) -> ServiceRoutes {
        let store = Store::new(&self.config, core.clock.now());
        let state = Arc::new(SendSecureState::new(core.clone(), store));
        ServiceRoutes {
            api: router::router(state.clone()),
            control: control::router(state.clone()),
            state,
        }
    }
}
