//! How SendSecure's answers are read: the message of an error body the way the vendor's Ruby
//! SDK reads it.

use crate::transport::error::{Error, Result};
use crate::transport::http::{
    answer_json, never_transient, no_refusal, ok_json_or_error, AnswerRules,
};
use crate::transport::retry::Failure;
use serde_json::Value;

/// The rules of SendSecure's answers, for the transport.
pub(crate) const RULES: AnswerRules = AnswerRules {
    error_message,
    refusal: no_refusal,
    transient: never_transient,
    retry_statuses: &[],
};

/// The message of an error body: `error` plus `attributes`, else `message`, else `error`
/// (spec §4.1 shapes); `None` when it has none of them.
fn error_message(body: &str) -> Option<String> {
    let parsed: Value = serde_json::from_str(body).ok()?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let error = text(parsed.get("error"));
    match (error, parsed.get("attributes")) {
        (Some(e), Some(a)) if a.is_object() => Some(format!("{e} {a}")),
        (e, _) => text(parsed.get("message")).or(e),
    }
}

impl Error {
    /// The error of a SendSecure HTTP error answer, its message read from the body (see
    /// [`Error::of_status`]).
    pub fn from_status(status: u16, body: String) -> Error {
        RULES.error(status, body)
    }
}

/// The JSON value of a SendSecure success answer's body (an empty body is `null`).
#[cfg(test)]
pub(crate) fn decode_answer(body: &[u8]) -> Result<Value> {
    crate::transport::http::decode_json(body)
}

/// A SendSecure answer's JSON, or the error its status says (see [`ok_json_or_error`]).
pub(crate) async fn ok_answer_or_error(response: reqwest::Response) -> Result<Value> {
    ok_json_or_error(response, RULES).await
}

/// [`ok_answer_or_error`] with what is known of the request's fate.
pub(crate) async fn answer_or_failure(
    response: reqwest::Response,
) -> std::result::Result<Value, Failure> {
    answer_json(response, RULES).await
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
