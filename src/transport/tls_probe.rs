//! Finding out why a TLS connection was closed.
//!
//! With TLS 1.3 a server checks the client certificate (or its absence) after the client has
//! finished its side of the handshake: the connection looks established, the request is sent,
//! and the server's refusal (a fatal alert such as `certificate_required`) arrives afterwards.
//! Over HTTP/2 the HTTP layer then reports only "connection closed" or "channel closed" (the
//! alert is read by the connection's task, whose error is not given to the request), and over
//! HTTP/1.1 the write of the request may fail first ("broken pipe"). So when a request over
//! https fails that way, [`failure`] makes one bare handshake with the same TLS settings (the
//! same roots, `ca_file`, client certificate and versions), sends nothing over it and waits for
//! the server's first word: an alert is a TLS failure ([`Error::Tls`], never retried); session
//! tickets, or nothing within a short wait, mean TLS is not the cause and the original failure
//! stands.

use crate::transport::error::{tls_hint, Error};
use crate::transport::retry::Failure;
use rustls::pki_types::ServerName;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use url::Url;

/// The longest a probe waits for the server's answer to its handshake.
const ANSWER_WAIT: Duration = Duration::from_secs(3);

/// The failure of a request that failed with `e`: [`Failure::from_reqwest`], unless the
/// connection was closed over https and a probe handshake finds that the server refuses the TLS
/// connection (see the module's documentation).
pub(crate) async fn failure(
    e: reqwest::Error,
    tls: &Arc<rustls::ClientConfig>,
    connect_timeout: Duration,
) -> Failure {
    let url = e.url().filter(|url| worth_probing(&e, url)).cloned();
    if let Some(url) = url {
        if let Some(found) = probe(&url, tls, connect_timeout).await {
            return Failure::fatal(Error::Tls(format!(
                "{found} (found by a new handshake after the connection failed: {})",
                crate::transport::error::error_chain(&e)
            )));
        }
    }
    Failure::from_reqwest(e)
}

/// Whether a failure may hide a TLS refusal: a request over https whose connection was closed,
/// reset or cut, without a TLS error already known. Timeouts, refused connections and proxies
/// (which a direct handshake would bypass) are not probed.
fn worth_probing(e: &reqwest::Error, url: &Url) -> bool {
    if url.scheme() != "https"
        || e.is_timeout()
        || e.is_builder()
        || e.is_redirect()
        || e.is_status()
        || crate::transport::error::tls_failure(e).is_some()
        || proxy_configured()
    {
        return false;
    }
    crate::transport::error::sources(e).any(closed_connection)
}

/// Whether one error of a failure's chain says the connection was closed, reset or cut.
fn closed_connection(source: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io) = source.downcast_ref::<std::io::Error>() {
        return matches!(
            io.kind(),
            std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::UnexpectedEof
        );
    }
    // hyper's "connection closed" (the connection's task ended with the request pending),
    // "connection closed before message completed", and "channel closed" (the task ended
    // before it took the request: seen on slow runs, e.g. under AddressSanitizer).
    let text = source.to_string();
    text.starts_with("connection closed") || text.starts_with("channel closed")
}

/// Whether reqwest would send https requests through a proxy (from the environment).
fn proxy_configured() -> bool {
    ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// One handshake with `url`'s server; the explanation of its TLS failure, if it fails.
async fn probe(
    url: &Url,
    tls: &Arc<rustls::ClientConfig>,
    connect_timeout: Duration,
) -> Option<String> {
    let config = tls.clone();
    let host = url.host_str()?;
    let port = url.port_or_known_default()?;
    let name = match url.host()? {
        url::Host::Domain(domain) => ServerName::try_from(domain.to_string()).ok()?,
        url::Host::Ipv4(ip) => ServerName::IpAddress(std::net::IpAddr::V4(ip).into()),
        url::Host::Ipv6(ip) => ServerName::IpAddress(std::net::IpAddr::V6(ip).into()),
    };
    let connect = async {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let tcp = tokio::net::TcpStream::connect((host, port)).await.ok()?;
        let _ = tcp.set_nodelay(true);
        Some(
            tokio_rustls::TlsConnector::from(config)
                .connect(name, tcp)
                .await,
        )
    };
    let mut stream = match tokio::time::timeout(connect_timeout, connect).await {
        Ok(Some(Ok(stream))) => stream,
        Ok(Some(Err(e))) => return tls_message(&e),
        // No connection, or no handshake in time: nothing learned.
        _ => return None,
    };
    // The handshake is complete on this side. Send nothing; the server answers the client's
    // last handshake message with session tickets (TLS 1.3), or with an alert if it refuses.
    let end = Instant::now() + ANSWER_WAIT.min(connect_timeout);
    let mut buf = [0u8; 512];
    // Short looks first (the answer usually comes within milliseconds), then longer ones.
    let mut step = Duration::from_millis(10);
    while Instant::now() < end {
        step = (step * 2).min(Duration::from_millis(250));
        let step = step.min(end.saturating_duration_since(Instant::now()));
        match tokio::time::timeout(step, stream.read(&mut buf)).await {
            // Closed, or application data: not a TLS refusal.
            Ok(Ok(_)) => return None,
            Ok(Err(e)) => return tls_message(&e),
            Err(_) => {
                if stream.get_ref().1.tls13_tickets_received() > 0 {
                    return None;
                }
            }
        }
    }
    None
}

/// The message of a TLS failure, or `None` when `e` is not one.
fn tls_message(e: &std::io::Error) -> Option<String> {
    crate::transport::error::sources(e).find_map(|s| {
        s.downcast_ref::<rustls::Error>()
            .map(|tls| format!("{}{tls}", tls_hint(tls)))
    })
}

#[cfg(test)]
mod tests {
    use super::closed_connection;
    use std::io::{Error as IoError, ErrorKind};

    #[derive(Debug)]
    struct Text(&'static str);
    impl std::fmt::Display for Text {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Text {}

    #[test]
    fn closed_connections_are_recognised_by_kind_or_by_hypers_words() {
        for kind in [
            ErrorKind::ConnectionReset,
            ErrorKind::ConnectionAborted,
            ErrorKind::BrokenPipe,
            ErrorKind::UnexpectedEof,
        ] {
            assert!(closed_connection(&IoError::from(kind)), "{kind:?}");
        }
        for words in [
            "connection closed",
            "connection closed before message completed",
            "channel closed",
        ] {
            assert!(closed_connection(&Text(words)), "{words}");
        }
    }

    #[test]
    fn other_failures_are_not_closed_connections() {
        for kind in [
            ErrorKind::ConnectionRefused,
            ErrorKind::TimedOut,
            ErrorKind::NotFound,
        ] {
            assert!(!closed_connection(&IoError::from(kind)), "{kind:?}");
        }
        for words in ["dns error", "invalid certificate", "operation timed out"] {
            assert!(!closed_connection(&Text(words)), "{words}");
        }
    }
}
