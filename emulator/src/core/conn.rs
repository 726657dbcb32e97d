//! What the accept loop tells each request about its connection, and the extractors built on
//! it: the client's IP address and the base URL the client reached us at.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::Notify;

/// What the connection loop tells each request about its connection (a request extension).
#[derive(Debug, Clone)]
pub struct ConnInfo {
    /// Notified to close the connection at once (fault injection).
    pub kill: Arc<Notify>,
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The address the connection was accepted on.
    pub local_addr: SocketAddr,
    /// The client's address.
    pub peer_addr: SocketAddr,
    /// The negotiated TLS version (`TLSv1_2`, `TLSv1_3`), `None` over plain HTTP.
    pub tls_version: Option<String>,
    /// Whether the client presented a certificate (mutual TLS).
    pub client_certificate: bool,
    /// The DER of the client's leaf certificate, when it presented one: a service that names
    /// its callers by certificate (PassBy\[ME\]'s applications) reads it here.
    pub client_certificate_der: Option<Arc<[u8]>>,
}

impl ConnInfo {
    /// Closes this request's connection; the returned future never completes, so no answer
    /// is ever written.
    pub async fn drop_connection<T>(&self) -> T {
        self.kill.notify_one();
        std::future::pending().await
    }

    /// The SHA-256 fingerprint of the client's leaf certificate, lower-case hex.
    pub fn client_certificate_sha256(&self) -> Option<String> {
        self.client_certificate_der
            .as_deref()
            .map(|der| hex::encode(Sha256::digest(der)))
    }
}

/// The request target (path and query) exactly as the client sent it, before a service
/// rewrote it (a request extension).
#[derive(Debug, Clone)]
pub struct RawTarget(pub String);

/// The client's IP address as text (`0.0.0.0` when unknown), for event messages.
#[derive(Debug, Clone)]
pub struct PeerIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnInfo>()
            .map(|c| c.peer_addr.ip().to_string());
        Ok(PeerIp(ip.unwrap_or_else(|| "0.0.0.0".into())))
    }
}

/// The base URL the client reached us at, with a trailing slash (`http://127.0.0.1:8080/`).
///
/// Taken from the request's authority so that URLs we hand out (upload, download, next page)
/// use the same host name the client used.
#[derive(Debug, Clone)]
pub struct BaseUrl(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BaseUrl {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let conn = parts.extensions.get::<ConnInfo>();
        let scheme = conn.map(|c| c.scheme).unwrap_or("http");
        let host = parts
            .uri
            .authority()
            .map(|a| a.to_string())
            .or_else(|| {
                parts
                    .headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .map(str::to_string)
            })
            .or_else(|| conn.map(|c| c.local_addr.to_string()))
            .unwrap_or_else(|| "localhost".into());
        Ok(BaseUrl(format!("{scheme}://{host}/")))
    }
}
