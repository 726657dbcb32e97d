//! The error type of the core client.

use serde_json::Value;

/// What can go wrong in a SendSecure call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument failed a client-side check (spec §9); nothing was sent.
    #[error("{0}")]
    InvalidArgument(String),
    /// The call does not fit the object's state (e.g. committing a SafeBox never initialized).
    #[error("{0}")]
    InvalidState(String),
    /// A local file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The portal refused the login (`{"result":false,"code":10x}`, spec §3.3).
    #[error("user token refused (code {code}): {message}")]
    Token {
        /// HTTP status of the answer.
        status: u16,
        /// SendSecure's error code (101 invalid permalink ... 106 otp needed).
        code: i64,
        /// The server's message.
        message: String,
        /// The response body, verbatim.
        body: String,
    },
    /// The server answered with an error status.
    #[error("HTTP {status}: {message}")]
    Http {
        /// HTTP status.
        status: u16,
        /// A readable message built from the error body (spec §4.1 shapes).
        message: String,
        /// The response body, verbatim (capped).
        body: String,
    },
    /// The server could not be reached, or the connection broke.
    #[error("connection failed: {0}")]
    Connect(String),
    /// The TLS handshake failed: the server's certificate does not verify (unknown issuer,
    /// expired, another host's name), the server refused the client certificate, or no TLS
    /// version or cipher both sides support. Never retried: it would fail the same way.
    #[error("TLS failed: {0}")]
    Tls(String),
    /// A time limit was reached.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The server's answer was not what the protocol says.
    #[error("unexpected server response: {0}")]
    Decode(String),
}

/// The result type of the core client.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// What kind of failure this is, for log lines: never the server's text (which could echo
    /// a secret), only the status or the category.
    pub(crate) fn kind_for_log(&self) -> String {
        match self {
            Error::InvalidArgument(_) => "invalid argument".into(),
            Error::InvalidState(_) => "invalid state".into(),
            Error::Io { .. } => "local I/O error".into(),
            Error::Token { status, code, .. } => {
                format!("login refused (HTTP {status}, code {code})")
            }
            Error::Http { status, .. } => format!("HTTP {status}"),
            Error::Connect(_) => "connection failed".into(),
            Error::Tls(_) => "TLS failed".into(),
            Error::Timeout(_) => "timed out".into(),
            Error::Decode(_) => "unexpected answer".into(),
        }
    }

    /// Builds the error for an HTTP error answer, reading the body's message the way the vendor's
    /// Ruby SDK does: `error` plus `attributes`, else `message`, else `error`, else the reason.
    pub fn from_status(status: u16, body: String) -> Error {
        let parsed: Option<Value> = serde_json::from_str(&body).ok();
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let message = parsed
            .as_ref()
            .and_then(|v| {
                let error = text(v.get("error"));
                match (error, v.get("attributes")) {
                    (Some(e), Some(a)) if a.is_object() => Some(format!("{e} {a}")),
                    (e, _) => text(v.get("message")).or(e),
                }
            })
            .unwrap_or_else(|| {
                reqwest::StatusCode::from_u16(status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("error")
                    .to_string()
            });
        let message = if (300..400).contains(&status) {
            format!(
                "redirect not followed ({message}): redirects are followed only to the same \
                 scheme, host and port, so that the API token never goes to another server"
            )
        } else {
            message
        };
        Error::Http {
            status,
            message,
            body,
        }
    }

    /// The HTTP status behind this error, if any.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } | Error::Token { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's response body behind this error, if any.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Http { body, .. } | Error::Token { body, .. } => Some(body),
            _ => None,
        }
    }

    /// This error with `secret` (as is, JSON-escaped, or percent-encoded) replaced by
    /// `<redacted>` in its message and body: a server may echo what it received.
    pub(crate) fn redact(self, secret: &str) -> Error {
        if secret.is_empty() {
            return self;
        }
        self.redact_forms(&SecretForms::new(secret))
    }

    /// [`Error::redact`] with the forms of the secret made beforehand.
    pub(crate) fn redact_forms(self, forms: &SecretForms) -> Error {
        let clean = |text: String| forms.redact(text);
        match self {
            Error::InvalidArgument(m) => Error::InvalidArgument(clean(m)),
            Error::InvalidState(m) => Error::InvalidState(clean(m)),
            Error::Io { path, source } => {
                let text = source.to_string();
                let cleaned = clean(text.clone());
                Error::Io {
                    path: clean(path),
                    source: if cleaned == text {
                        source
                    } else {
                        std::io::Error::new(source.kind(), cleaned)
                    },
                }
            }
            Error::Token {
                status,
                code,
                message,
                body,
            } => Error::Token {
                status,
                code,
                message: clean(message),
                body: clean(body),
            },
            Error::Http {
                status,
                message,
                body,
            } => Error::Http {
                status,
                message: clean(message),
                body: clean(body),
            },
            Error::Connect(m) => Error::Connect(clean(m)),
            Error::Tls(m) => Error::Tls(clean(m)),
            Error::Timeout(m) => Error::Timeout(clean(m)),
            Error::Decode(m) => Error::Decode(clean(m)),
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
        // reqwest's Display can include the URL; our URLs never carry secrets (the token is a
        // header), so the message is safe to show.
        if let Some(hint) = tls_failure(&e) {
            Error::Tls(format!("{hint}{}", crate::client::error_chain(&e)))
        } else if e.is_timeout() {
            Error::Timeout(e.to_string())
        } else if e.is_decode() {
            // reqwest reports a failure while reading a body as a decode error; the library
            // never has reqwest decode (no decompression, no `Response::json`), so this is the
            // connection breaking in the middle of an answer.
            Error::Connect(format!(
                "the connection broke while receiving the answer: {}",
                crate::client::error_chain(&e)
            ))
        } else {
            Error::Connect(crate::client::error_chain(&e))
        }
    }
}

/// An error and its sources, first to last. Unlike [`std::error::Error::source`] alone, this
/// goes into an `io::Error`'s wrapped error (`io::Error::source` skips it, giving the wrapped
/// error's own source): the HTTP and TLS layers wrap their failures in `io::Error`s, sometimes
/// nested (`Other` around `InvalidData` around a `rustls::Error`).
pub(crate) fn sources<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |s| {
        match s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => s.source(),
        }
    })
}

/// Whether an HTTP client error is a TLS failure (a `rustls::Error` anywhere in its sources),
/// and if so a short explanation of it, to put before the TLS layer's own message (empty
/// when there is none to add).
pub(crate) fn tls_failure(e: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    sources(e).find_map(|s| {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Some(tls_hint(tls));
        }
        // An alert read after the handshake can come as text only (rustls's message for
        // `AlertReceived`).
        let text = s.to_string();
        text.strip_prefix("received fatal alert: ").map(alert_hint)
    })
}

/// The explanation of a TLS failure (see [`tls_failure`]).
pub(crate) fn tls_hint(e: &rustls::Error) -> &'static str {
    use rustls::CertificateError as Cert;
    match e {
        rustls::Error::InvalidCertificate(Cert::UnknownIssuer) => {
            "the server's certificate is not signed by a trusted authority (a private CA \
             must be given in ca_file): "
        }
        rustls::Error::InvalidCertificate(
            Cert::NotValidForName | Cert::NotValidForNameContext { .. },
        ) => "the server's certificate is for another host name: ",
        rustls::Error::InvalidCertificate(
            Cert::Expired
            | Cert::ExpiredContext { .. }
            | Cert::NotValidYet
            | Cert::NotValidYetContext { .. },
        ) => "the server's certificate is expired or not valid yet: ",
        rustls::Error::InvalidCertificate(_) => "the server's certificate was refused: ",
        rustls::Error::AlertReceived(alert) => alert_hint(&format!("{alert:?}")),
        rustls::Error::PeerIncompatible(_) => {
            "the server and the client have no TLS version or algorithm in common: "
        }
        rustls::Error::InvalidMessage(_) => {
            "the server did not answer in TLS (a plain-http server on this port?): "
        }
        _ => "",
    }
}

/// The explanation of a fatal alert from the server, by the alert's name.
fn alert_hint(alert: &str) -> &'static str {
    match alert.trim() {
        "CertificateRequired"
        | "BadCertificate"
        | "UnknownCA"
        | "CertificateUnknown"
        | "UnsupportedCertificate"
        | "CertificateExpired"
        | "CertificateRevoked"
        | "AccessDenied" => {
            "the server refused the client certificate (client_cert_file, client_key_file), \
             or requires one: "
        }
        "ProtocolVersion" | "HandshakeFailure" | "InsufficientSecurity" => {
            "the server and the client have no TLS version or algorithm in common: "
        }
        _ => "the server broke off the TLS handshake: ",
    }
}

/// The forms of one secret (see [`secret_forms`]), made once for many redactions, and the
/// longest run of ASCII letters and digits of the secret: every form holds it as is (no
/// escaping or encoding changes a letter or a digit), so a text without it holds no form and
/// is passed over with one search. Wiped when dropped.
pub(crate) struct SecretForms {
    forms: Vec<String>,
    common: String,
}

impl SecretForms {
    pub(crate) fn new(secret: &str) -> SecretForms {
        let common = secret
            .split(|c: char| !c.is_ascii_alphanumeric())
            .fold("", |longest, run| {
                if run.len() > longest.len() {
                    run
                } else {
                    longest
                }
            })
            .to_string();
        SecretForms {
            forms: secret_forms(secret),
            common,
        }
    }

    /// Whether `text` may hold one of the forms (`false`: it holds none).
    pub(crate) fn may_be_in(&self, text: &str) -> bool {
        !self.forms.is_empty() && text.contains(self.common.as_str())
    }

    /// `text` with every form replaced by `<redacted>`.
    pub(crate) fn redact(&self, text: String) -> String {
        if !self.may_be_in(&text) {
            return text;
        }
        let mut text = text;
        for form in &self.forms {
            if text.contains(form.as_str()) {
                text = text.replace(form.as_str(), "<redacted>");
            }
        }
        text
    }
}

impl Drop for SecretForms {
    fn drop(&mut self) {
        self.forms.iter_mut().for_each(crate::secret::wipe_string);
        crate::secret::wipe_string(&mut self.common);
    }
}

/// The ways a secret can appear in what a server echoes: as is, escaped in JSON, and
/// percent-encoded (upper- or lower-case hex, with or without the unreserved `-._~` encoded,
/// `+` or `%20` for spaces), longest first.
fn secret_forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(secret)
        .to_string();
    let encode = |keep_unreserved: bool, lower: bool, plus: bool| -> String {
        let mut out = String::new();
        for b in secret.bytes() {
            if b.is_ascii_alphanumeric() || (keep_unreserved && b"-._~".contains(&b)) {
                out.push(char::from(b));
            } else if plus && b == b' ' {
                out.push('+');
            } else if lower {
                out.push_str(&format!("%{b:02x}"));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    };
    let mut forms = vec![secret.to_string(), json];
    for keep in [false, true] {
        for lower in [false, true] {
            for plus in [false, true] {
                forms.push(encode(keep, lower, plus));
            }
        }
    }
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    forms.dedup();
    forms.retain(|f| !f.is_empty());
    forms
}

/// Text for an error message with its control characters escaped (`\n`, `\u{1}`), so that a
/// message quoting something given by the caller or the server stays one readable line.
pub(crate) fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_every_form() {
        let secret = "USER|a b\"c";
        let e = Error::Http {
            status: 500,
            message: format!("echo {secret}"),
            body: r#"{"t":"USER|a b\"c"} q=USER%7Ca%20b%22c f=USER%7ca+b%22c"#.into(),
        }
        .redact(secret);
        let text = format!("{e} {e:?}");
        assert!(!text.contains("USER"), "{text}");
        // Nothing to redact: unchanged.
        let e = Error::Connect("refused".into()).redact(secret);
        assert_eq!(e.to_string(), "connection failed: refused");
        let e = Error::Decode("x".into()).redact("");
        assert_eq!(e.to_string(), "unexpected server response: x");
    }

    #[test]
    fn secret_forms_skip_texts_without_the_longest_run_and_redact_every_form() {
        let forms = SecretForms::new("USER|ab c\"defgh");
        assert_eq!(forms.common, "defgh");
        for text in [
            "x USER|ab c\"defgh y",
            r#"{"t":"USER|ab c\"defgh"}"#,
            "q=USER%7Cab%20c%22defgh",
            "q=USER%7cab+c%22defgh",
        ] {
            assert!(forms.may_be_in(text), "{text}");
            assert!(!forms.redact(text.into()).contains("defgh"), "{text}");
        }
        // Without the run: passed over, unchanged.
        assert!(!forms.may_be_in("USER|ab c\"defg"));
        assert_eq!(forms.redact("USER|ab".into()), "USER|ab");
        // A secret without letters or digits: every text is searched for every form.
        let forms = SecretForms::new("|%|");
        assert!(forms.may_be_in("nothing"));
        assert_eq!(forms.redact("a |%| b".into()), "a <redacted> b");
        // Nothing to hide.
        let forms = SecretForms::new("");
        assert!(!forms.may_be_in("anything"));
        assert_eq!(forms.redact("anything".into()), "anything");
    }

    #[test]
    fn tls_failures_are_found_inside_nested_io_errors() {
        use std::io::{Error as IoError, ErrorKind};
        // As hyper-rustls reports a refused server certificate: Other around InvalidData around
        // the rustls error (io::Error::source alone would skip it).
        let inner = IoError::new(
            ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        let outer = IoError::other(inner);
        assert_eq!(sources(&outer).count(), 3);
        let hint = tls_failure(&outer).expect("a TLS failure");
        assert!(hint.contains("trusted authority"), "{hint}");
        // An alert read after the handshake, as text.
        let alert = IoError::new(
            ErrorKind::InvalidData,
            "received fatal alert: CertificateRequired",
        );
        assert!(tls_failure(&alert).unwrap().contains("client certificate"));
        let alert = IoError::new(
            ErrorKind::InvalidData,
            rustls::Error::AlertReceived(rustls::AlertDescription::UnknownCA),
        );
        assert!(tls_failure(&alert).unwrap().contains("client certificate"));
        // Not TLS.
        let reset = IoError::other(IoError::from(ErrorKind::ConnectionReset));
        assert!(tls_failure(&reset).is_none());
        // Redacted like any message.
        let e = Error::Tls("x USER|t".into()).redact("USER|t");
        assert_eq!(e.to_string(), "TLS failed: x <redacted>");
    }

    #[test]
    fn redirects_say_they_were_not_followed() {
        let e = Error::from_status(302, String::new());
        assert!(e.to_string().contains("redirect not followed"), "{e}");
    }

    #[test]
    fn messages_follow_the_error_body_shapes() {
        let m = |body: &str| match Error::from_status(400, body.to_string()) {
            Error::Http { message, .. } => message,
            _ => unreachable!(),
        };
        assert_eq!(
            m(
                r#"{"error":"Some entered values are incorrect.","attributes":{"language":["cannot be blank"]}}"#
            ),
            r#"Some entered values are incorrect. {"language":["cannot be blank"]}"#
        );
        assert_eq!(
            m(r#"{"result":false,"message":"Unable to close the SafeBox."}"#),
            "Unable to close the SafeBox."
        );
        assert_eq!(
            m(r#"{"error":"User email not found"}"#),
            "User email not found"
        );
        assert_eq!(m("<html>oops</html>"), "Bad Request");
    }
}
