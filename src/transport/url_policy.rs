//! Which URLs a request may go to: endpoints and server-given URLs checked against the
//! plain-http policy, path segments escaped, request URLs of bounded length.

use crate::transport::error::{Error, Result};
use crate::transport::options::TransportOptions;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use url::{Host, Url};

/// The longest API request URL sent: RFC 9110 §4.1 recommends that servers take at least 8000
/// bytes, and many refuse more. A longer one (an id or a search term of megabytes) is refused
/// before anything is sent.
pub const MAX_URL_LENGTH: usize = 8000;

/// Characters escaped in a path segment: a GUID or id from a caller or a server can never add
/// a segment, a query or a fragment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'&')
    .add(b';')
    .add(b'=');

/// Percent-encodes one path segment.
pub fn segment(s: &str) -> String {
    let encoded = utf8_percent_encode(s, SEGMENT).to_string();
    // `.` and `..` would be resolved by URL joining.
    match encoded.as_str() {
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        _ => encoded,
    }
}

/// Whether `url`'s host is a loopback one: 127.0.0.0/8, ::1 (or ::ffff:127.x) or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Some(Host::Domain(name)) => {
            let name = name.strip_suffix('.').unwrap_or(name);
            name.eq_ignore_ascii_case("localhost")
        }
        None => false,
    }
}

/// The refusal of a plain `http://` URL to a host that is not a loopback one, unless
/// `allow_insecure_http`; `None` when the URL may be used.
pub(crate) fn insecure_http_refusal(url: &Url, allow_insecure_http: bool) -> Option<String> {
    if url.scheme() != "http" || allow_insecure_http || is_loopback(url) {
        return None;
    }
    Some(format!(
        "plain http:// to `{}` is refused: credentials, passwords and documents would travel \
         unencrypted. Use https://; plain http is only allowed to loopback hosts (127.0.0.0/8, \
         ::1, localhost), or with the allow_insecure_http option",
        url.host_str().unwrap_or_default()
    ))
}

/// Checks a URL the caller gave (the endpoint) against the plain-http policy.
pub(crate) fn check_endpoint(url: &Url, options: &TransportOptions) -> Result<()> {
    match insecure_http_refusal(url, options.allow_insecure_http) {
        Some(refusal) => Err(Error::InvalidArgument(refusal)),
        None => Ok(()),
    }
}

/// Checks a URL the server gave (discovery, upload and download URLs) against the plain-http
/// policy.
pub(crate) fn check_server_url(url: &Url, options: &TransportOptions) -> Result<()> {
    match insecure_http_refusal(url, options.allow_insecure_http) {
        Some(refusal) => Err(Error::Decode(format!(
            "the server sent a URL with {refusal}"
        ))),
        None => Ok(()),
    }
}

/// Parses an endpoint URL (http or https).
pub(crate) fn parse_endpoint(endpoint: &str) -> Result<Url> {
    let url = Url::parse(endpoint.trim())
        .map_err(|e| Error::InvalidArgument(format!("invalid endpoint URL `{endpoint}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::InvalidArgument(format!(
            "invalid endpoint URL `{endpoint}`: not http(s)"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: it holds credentials.
        return Err(Error::InvalidArgument(
            "invalid endpoint URL: it must not contain a user name or password".into(),
        ));
    }
    Ok(url)
}

/// Refuses a request URL of `length` bytes longer than [`MAX_URL_LENGTH`].
pub(crate) fn check_url_length(length: usize) -> Result<()> {
    if length <= MAX_URL_LENGTH {
        return Ok(());
    }
    Err(Error::InvalidArgument(format!(
        "the request's URL would be at least {length} bytes long, more than the \
         {MAX_URL_LENGTH} servers are sure to take: an id or search term is too long"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_escape_their_place() {
        assert_eq!(segment("../../admin?x=1#f"), "..%2F..%2Fadmin%3Fx%3D1%23f");
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(
            segment("1c820789a50747df8746aa5d71922a3f"),
            "1c820789a50747df8746aa5d71922a3f"
        );
    }

    #[test]
    fn plain_http_is_for_loopback_hosts() {
        let refused =
            |u: &str, allow: bool| insecure_http_refusal(&Url::parse(u).unwrap(), allow).is_some();
        for u in [
            "http://127.0.0.1/",
            "http://127.255.0.9:8/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost/",
            "http://LocalHost./",
            "https://example.com/",
        ] {
            assert!(!refused(u, false), "{u}");
        }
        for u in [
            "http://example.com/",
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "http://0.0.0.0/",
        ] {
            assert!(refused(u, false), "{u}");
            assert!(!refused(u, true), "{u}");
        }
        assert!(parse_endpoint("https://u:p@example.com").is_err());
    }
}
