//! SendSafely (Client API v2.0, spec `sendsafely-api.md`): signed requests, packages,
//! recipients, keys, files through emulator-served pre-signed URLs, messages, finalize and
//! download, with real state and the service's error shapes.
//!
//! Plugged into the core as a [`Service`]; it uses the core and no other service.

pub mod api;
pub mod auth;
pub mod config;
pub mod control;
pub mod cors;
pub mod error;
pub mod escrow;
pub mod files;
pub mod packages;
pub mod plaintext;
pub mod segments;
pub mod state;
pub mod store;
pub mod workspaces;

use crate::core::service::{RequestClass, Service, ServiceRoutes};
use crate::core::state::CoreShared;
use config::Config;
use state::SendSafelyState;
use std::sync::Arc;

/// The headers that carry SendSafely's credential (noted by the request log).
pub const CREDENTIAL_HEADERS: [&str; 2] = ["ss-api-key", "ss-request-signature"];

/// The SendSafely service for one organisation.
#[derive(Debug, Clone)]
pub struct SendSafely {
    config: Config,
}

impl SendSafely {
    /// The service for this organisation.
    pub fn new(config: Config) -> SendSafely {
        SendSafely { config }
    }
}

impl Service for SendSafely {
    fn credential_headers(&self) -> &'static [&'static str] {
        &CREDENTIAL_HEADERS
    }

    /// None: the API key names a user and the signature proves one request (spec §10.10
    /// keeps it in the journal); the secret itself is never sent.
    fn secret_headers(&self) -> &'static [&'static str] {
        &[]
    }

    fn classify(&self, method: &axum::http::Method, path: &str) -> RequestClass {
        api::classify(method, path)
    }

    fn build(&self, core: &CoreShared) -> ServiceRoutes {
        let state = Arc::new(SendSafelyState::new(core.clone(), self.config.clone()));
        // Expiry is evaluated when the clock moves, not only on the next read (§10.8).
        let weak = Arc::downgrade(&state);
        let _ = core.clock_moved.0.set(Box::new(move || {
            if let Some(state) = weak.upgrade() {
                let now = state.core.clock.now();
                state.store().refresh_all(now);
            }
        }));
        ServiceRoutes {
            api: api::router(state.clone()),
            control: control::router(state.clone()),
            state,
        }
    }
}
