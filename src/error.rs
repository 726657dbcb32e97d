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

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
        // reqwest's Display can include the URL; our URLs never carry secrets (the token is a
        // header), so the message is safe to show.
        if e.is_timeout() {
            Error::Timeout(e.to_string())
        } else if e.is_decode() {
            Error::Decode(e.to_string())
        } else {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            Error::Connect(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
