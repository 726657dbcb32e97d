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
            Error::Timeout(_) => "timed out".into(),
            Error::Decode(_) => "unexpected answer".into(),
            #[allow(unreachable_patterns)]
            _ => "error".into(),
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
        let forms = secret_forms(secret);
        let clean = |text: String| redact_text(text, &forms);
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
            Error::Timeout(m) => Error::Timeout(clean(m)),
            Error::Decode(m) => Error::Decode(clean(m)),
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
        // reqwest's Display can include the URL; our URLs never carry secrets (the token is a
        // header), so the message is safe to show.
        if e.is_timeout() {
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

/// `text` with every one of `forms` (from [`secret_forms`]) replaced by `<redacted>`.
pub(crate) fn redact_text(text: String, forms: &[String]) -> String {
    let mut text = text;
    for form in forms {
        if text.contains(form.as_str()) {
            text = text.replace(form.as_str(), "<redacted>");
        }
    }
    text
}

/// The ways a secret can appear in what a server echoes: as is, escaped in JSON, and
/// percent-encoded (upper- or lower-case hex, with or without the unreserved `-._~` encoded,
/// `+` or `%20` for spaces), longest first.
pub(crate) fn secret_forms(secret: &str) -> Vec<String> {
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
