//! The request log of `/_emulator/requests`: what a client really sent (the raw target, which
//! headers), to check percent-encoding and where a credential goes.

use crate::core::conn::{ConnInfo, RawTarget};
use axum::extract::Request;
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

/// How many requests `/_emulator/requests` remembers (the oldest are forgotten first).
pub const REQUEST_LOG_SIZE: usize = 1000;

/// One request as received.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedRequest {
    /// The HTTP method.
    pub method: String,
    /// The request target exactly as received (path and query, percent-encoding kept).
    pub target: String,
    /// `HTTP/1.1` or `HTTP/2.0`.
    pub http_version: String,
    /// The negotiated TLS version (`TLSv1_2`, `TLSv1_3`), absent over plain HTTP.
    pub tls_version: Option<String>,
    /// Whether the connection presented a client certificate (mutual TLS).
    pub client_certificate: bool,
    /// The names of the request headers, lower-case, in order.
    pub headers: Vec<String>,
    /// Whether one of the service's credential headers (for SendSecure `Authorization-Token`
    /// or `XM-Token-Authorization`) was sent.
    pub token: bool,
}

/// The last [`REQUEST_LOG_SIZE`] requests (control API excepted), oldest first.
#[derive(Debug)]
pub struct RequestLog {
    entries: Mutex<VecDeque<LoggedRequest>>,
    /// The header names (lower-case) whose presence sets [`LoggedRequest::token`].
    credential_headers: &'static [&'static str],
}

impl RequestLog {
    /// An empty log that notes the presence of these (lower-case) header names.
    pub fn new(credential_headers: &'static [&'static str]) -> RequestLog {
        RequestLog {
            entries: Mutex::default(),
            credential_headers,
        }
    }

    /// The entries, oldest first. A panic while the lock was held leaves whole entries, so a
    /// poisoned lock is taken over.
    pub fn entries(&self) -> MutexGuard<'_, VecDeque<LoggedRequest>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.entries().clear();
    }

    /// Remembers a request.
    pub fn record(&self, request: &Request) {
        let conn = request.extensions().get::<ConnInfo>();
        let target = request
            .extensions()
            .get::<RawTarget>()
            .map(|t| t.0.clone())
            .unwrap_or_else(|| request.uri().to_string());
        let headers = request.headers();
        let entry = LoggedRequest {
            method: request.method().to_string(),
            target,
            http_version: format!("{:?}", request.version()),
            tls_version: conn.and_then(|c| c.tls_version.clone()),
            client_certificate: conn.is_some_and(|c| c.client_certificate),
            headers: headers.keys().map(|k| k.as_str().to_string()).collect(),
            token: self
                .credential_headers
                .iter()
                .any(|name| headers.contains_key(*name)),
        };
        let mut log = self.entries();
        if log.len() >= REQUEST_LOG_SIZE {
            log.pop_front();
        }
        log.push_back(entry);
    }
}
