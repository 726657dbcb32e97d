//! How SendSafely's answers are read: HTTP 200 with `{"response": "<CODE>", "message": ...}`,
//! where any code but `SUCCESS` is a refusal (spec §7), `AUTHENTICATION_FAILED` one of the
//! credentials and `TIMEOUT` the service's "try again"; 408 and 500 are retried too (spec §11.6).

use crate::transport::error::{Error, ServiceCode};
use crate::transport::http::AnswerRules;
use serde_json::Value;

/// The rules of SendSafely's answers, for the transport.
pub(crate) const RULES: AnswerRules = AnswerRules {
    error_message,
    refusal,
    transient,
    retry_statuses: &[408, 500],
};

/// The codes of a successful answer: finalize answers `PACKAGE_NEEDS_APPROVAL` when the
/// package waits for an approver, which is a success the caller is told of.
const SUCCESS_CODES: [&str; 2] = ["SUCCESS", "PACKAGE_NEEDS_APPROVAL"];

/// The message of an error body: its `message`, else its `response` code.
fn error_message(body: &str) -> Option<String> {
    let parsed: Value = serde_json::from_str(body).ok()?;
    let text = |name: &str| parsed.get(name).and_then(Value::as_str).map(str::to_string);
    text("message").or_else(|| text("response"))
}

/// The refusal a 200 answer carries: a `response` other than the success codes. An answer
/// without `response` is a decode error for the call that reads it, not a refusal.
fn refusal(status: u16, answer: &Value, body: &[u8]) -> Option<Error> {
    let code = answer.get("response")?.as_str()?;
    if SUCCESS_CODES.contains(&code) {
        return None;
    }
    let message = answer
        .get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .unwrap_or(code)
        .to_string();
    Some(Error::Service {
        call: "SendSafely request",
        code: ServiceCode::Name(code.into()),
        credentials: code == "AUTHENTICATION_FAILED",
        status,
        message,
        body: String::from_utf8_lossy(body).into_owned(),
    })
}

/// `TIMEOUT` is retried (spec §11.6), as PY11 does.
fn transient(e: &Error) -> bool {
    matches!(e, Error::Service { code: ServiceCode::Name(code), .. } if &**code == "TIMEOUT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_their_code_message_and_body() {
        let body = br#"{"response":"UNKNOWN_PACKAGE","message":"Package not found"}"#;
        let answer: Value = serde_json::from_slice(body).unwrap();
        match refusal(200, &answer, body) {
            Some(Error::Service {
                code: ServiceCode::Name(code),
                credentials: false,
                status: 200,
                message,
                body: kept,
                ..
            }) => {
                assert_eq!(&*code, "UNKNOWN_PACKAGE");
                assert_eq!(message, "Package not found");
                assert_eq!(kept.as_bytes(), body);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn success_codes_and_answers_without_a_code_are_not_refusals() {
        for body in [
            r#"{"response":"SUCCESS"}"#,
            r#"{"response":"PACKAGE_NEEDS_APPROVAL","message":"x"}"#,
            r#"{"packageId":"X"}"#,
        ] {
            let answer: Value = serde_json::from_str(body).unwrap();
            assert!(refusal(200, &answer, body.as_bytes()).is_none(), "{body}");
        }
    }

    #[test]
    fn authentication_failures_are_refused_credentials_and_timeouts_are_transient() {
        let body = br#"{"response":"AUTHENTICATION_FAILED","message":""}"#;
        let refused = refusal(200, &serde_json::from_slice(body).unwrap(), body).unwrap();
        assert!(
            matches!(refused, Error::Service { credentials: true, ref message, .. } if message == "AUTHENTICATION_FAILED")
        );
        assert!(!transient(&refused));
        let body = br#"{"response":"TIMEOUT"}"#;
        let refused = refusal(200, &serde_json::from_slice(body).unwrap(), body).unwrap();
        assert!(transient(&refused));
    }
}
