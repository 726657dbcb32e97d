//! Lenient reading of request bodies and query strings, per spec §13.5–13.6: empty bodies are
//! `{}`, `null` means absent, and the string-typed scalars some SDKs send (`"true"`, `"10485"`)
//! are accepted. Anything else of the wrong type is a validation error naming the field.

use crate::sendsecure::error::{ApiError, ApiResult};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Parses a JSON request body; an empty body is `{}`.
pub fn parse_body(body: &Bytes) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid("body", "must be a JSON object")),
        Err(_) => Err(ApiError::invalid("body", "is not valid JSON")),
    }
}

/// Returns the object under `key` (e.g. `safebox`), or a validation error when missing.
pub fn resource<'a>(body: &'a Map<String, Value>, key: &str) -> ApiResult<&'a Map<String, Value>> {
    match body.get(key) {
        Some(Value::Object(map)) => Ok(map),
        Some(Value::Null) | None => Err(ApiError::invalid(key, "cannot be blank")),
        Some(_) => Err(ApiError::invalid(key, "is invalid")),
    }
}

/// An optional string field; numbers are accepted and turned into text.
pub fn opt_str(obj: &Map<String, Value>, key: &str) -> ApiResult<Option<String>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(ApiError::invalid(key, "is invalid")),
    }
}

/// An optional boolean field; `"true"`, `"false"`, `"1"`, `"0"`, `1` and `0` are accepted.
pub fn opt_bool(obj: &Map<String, Value>, key: &str) -> ApiResult<Option<bool>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => truthy(v)
            .map(Some)
            .ok_or_else(|| ApiError::invalid(key, "is invalid")),
    }
}

/// Reads a JSON value as a boolean the way Rails does, or `None` when it is not one.
pub fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.as_str() {
            "true" | "1" | "t" => Some(true),
            "false" | "0" | "f" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An optional integer field; numeric strings are accepted.
pub fn opt_i64(obj: &Map<String, Value>, key: &str) -> ApiResult<Option<i64>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => as_i64(v)
            .map(Some)
            .ok_or_else(|| ApiError::invalid(key, "is not a number")),
    }
}

/// Reads an integer from a number or a numeric string.
pub fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An optional array field.
pub fn opt_array<'a>(obj: &'a Map<String, Value>, key: &str) -> ApiResult<Option<&'a Vec<Value>>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(_) => Err(ApiError::invalid(key, "is invalid")),
    }
}

/// A query string as a map; raw (`@`, `,`) and percent-encoded values are both accepted, and
/// the last value of a repeated key wins. As in Rails, `+` means a space (so an SDK that sends
/// a raw `+` in an e-mail address breaks, as spec §11 reports of the Python SDK).
pub fn parse_query(query: Option<&str>) -> HashMap<String, String> {
    let Some(query) = query else {
        return HashMap::new();
    };
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_body_is_an_empty_object() {
        assert!(parse_body(&Bytes::from_static(b"")).unwrap().is_empty());
        assert!(parse_body(&Bytes::from_static(b"  \n")).unwrap().is_empty());
        assert_eq!(
            parse_body(&Bytes::from_static(b"{oops")).unwrap_err(),
            ApiError::invalid("body", "is not valid JSON")
        );
    }

    #[test]
    fn string_scalars_are_coerced() {
        let obj = json!({"a": "true", "b": "10485", "c": null, "d": [1]});
        let obj = obj.as_object().unwrap();
        assert_eq!(opt_bool(obj, "a").unwrap(), Some(true));
        assert_eq!(opt_i64(obj, "b").unwrap(), Some(10485));
        assert_eq!(opt_i64(obj, "c").unwrap(), None);
        assert!(opt_bool(obj, "d").is_err());
    }

    #[test]
    fn query_accepts_raw_and_encoded_values() {
        let q = parse_query(Some(
            "user_email=a%2Bb@x.com&sections=messages,participants&e=u%40x.com&s=box+3",
        ));
        assert_eq!(q["user_email"], "a+b@x.com");
        assert_eq!(q["s"], "box 3");
        assert_eq!(q["sections"], "messages,participants");
        assert_eq!(q["e"], "u@x.com");
    }
}
