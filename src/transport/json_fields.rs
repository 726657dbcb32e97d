//! Reading the server's JSON answers: strict about their shape, tolerant about the rest.
//!
//! An answer's envelope and each object in it must be a JSON object, lists must be arrays of
//! objects, and the fields that identify an object (a SafeBox's `guid`, a participant's `id`, …)
//! must be there with a usable type; any other field may be missing, `null` or of another type
//! (it then reads as empty). Ids may be integers or numeric text (SendSecure spec §1.5, §13). Failures are
//! [`Error::Decode`] naming what was wrong and where, never quoting values (only their kind).

use crate::transport::error::{Error, Result};
use serde_json::{Map, Value};

/// An object of the answer.
pub(crate) type Object = Map<String, Value>;

/// The kind of a JSON value, for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A decode error.
pub(crate) fn fail(message: impl Into<String>) -> Error {
    Error::Decode(message.into())
}

/// `v` as an object, or "`what` is not an object".
pub(crate) fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Object> {
    v.as_object()
        .ok_or_else(|| fail(format!("{what} is not an object (found {})", kind(v))))
}

/// The value of `key`, when present and not null.
pub(crate) fn present<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// A text field, empty when missing or not text.
pub(crate) fn text(obj: &Object, key: &str) -> String {
    opt_text(obj, key).unwrap_or_default()
}

/// A text field, `None` when missing or not text.
pub(crate) fn opt_text(obj: &Object, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A text field that must be there and not be empty.
pub(crate) fn required_text(obj: &Object, key: &str, what: &str) -> Result<String> {
    match present(obj, key) {
        None => Err(fail(format!("{what} has no `{key}`"))),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(fail(format!("`{key}` of {what} is empty")))
        }
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err(fail(format!("`{key}` of {what} is {}, not text", kind(v)))),
    }
}

/// A text field that must be there, possibly empty.
pub(crate) fn required_string(obj: &Object, key: &str, what: &str) -> Result<String> {
    match present(obj, key) {
        None => Err(fail(format!("{what} has no `{key}`"))),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err(fail(format!("`{key}` of {what} is {}, not text", kind(v)))),
    }
}

/// An integer or numeric text.
fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An integer field that may be missing or null; anything else but an integer or numeric text
/// is an error.
pub(crate) fn optional_int(obj: &Object, key: &str, what: &str) -> Result<Option<i64>> {
    match present(obj, key) {
        None => Ok(None),
        Some(v) => as_int(v)
            .map(Some)
            .ok_or_else(|| fail(format!("`{key}` of {what} is {}, not an integer", kind(v)))),
    }
}

/// An integer field that must be there (an integer or numeric text).
pub(crate) fn required_int(obj: &Object, key: &str, what: &str) -> Result<i64> {
    optional_int(obj, key, what)?.ok_or_else(|| fail(format!("{what} has no `{key}`")))
}

/// An id that may be text (GUIDs, guest ids) or an integer (user ids), kept as text; `None`
/// when missing or null.
pub(crate) fn optional_id_text(obj: &Object, key: &str, what: &str) -> Result<Option<String>> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(fail(format!("`{key}` of {what} is empty")))
        }
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(v) => Err(fail(format!(
            "`{key}` of {what} is {}, not text or an integer",
            kind(v)
        ))),
    }
}

/// An id that must be there, text or an integer, kept as text.
pub(crate) fn required_id_text(obj: &Object, key: &str, what: &str) -> Result<String> {
    optional_id_text(obj, key, what)?.ok_or_else(|| fail(format!("{what} has no `{key}`")))
}

/// A lenient id: text or an integer kept as text; anything else reads as empty.
pub(crate) fn lenient_id_text(obj: &Object, key: &str) -> String {
    match obj.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => String::new(),
    }
}

/// A lenient integer: missing, null or malformed reads as 0.
pub(crate) fn int(obj: &Object, key: &str) -> i64 {
    obj.get(key).and_then(as_int).unwrap_or(0)
}

/// A lenient flag: `true` or `"true"`; anything else reads as false.
pub(crate) fn flag(obj: &Object, key: &str) -> bool {
    match obj.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// An object field that may be missing or null.
pub(crate) fn optional_object<'a>(
    obj: &'a Object,
    key: &str,
    what: &str,
) -> Result<Option<&'a Object>> {
    match present(obj, key) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(v) => Err(fail(format!(
            "`{key}` of {what} is {}, not an object",
            kind(v)
        ))),
    }
}

/// An object field that must be there.
pub(crate) fn required_object<'a>(obj: &'a Object, key: &str, what: &str) -> Result<&'a Object> {
    optional_object(obj, key, what)?.ok_or_else(|| fail(format!("{what} has no `{key}` object")))
}

/// The items of an array, each with its place for messages (`"{item} {n} of {what}"`, from 1).
fn items<'a>(list: &'a [Value], what: &str, item: &str) -> Vec<(String, &'a Value)> {
    list.iter()
        .enumerate()
        .map(|(i, v)| (format!("{item} {} of {what}", i + 1), v))
        .collect()
}

/// A list field that must be there: an array, each item with its place.
pub(crate) fn required_list<'a>(
    obj: &'a Object,
    key: &str,
    what: &str,
    item: &str,
) -> Result<Vec<(String, &'a Value)>> {
    match present(obj, key) {
        None => Err(fail(format!("{what} has no `{key}` array"))),
        Some(Value::Array(list)) => Ok(items(list, what, item)),
        Some(v) => Err(fail(format!(
            "`{key}` of {what} is {}, not an array",
            kind(v)
        ))),
    }
}

/// A list field that may be missing or null (then empty).
pub(crate) fn optional_list<'a>(
    obj: &'a Object,
    key: &str,
    what: &str,
    item: &str,
) -> Result<Vec<(String, &'a Value)>> {
    if present(obj, key).is_none() {
        return Ok(vec![]);
    }
    required_list(obj, key, what, item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(Error::Decode(m)) => m,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn fields_are_checked_by_kind() {
        let v = json!({"guid": "", "id": 1.5, "n": "12", "list": 3, "o": [], "name": 5});
        let o = object(&v, "the thing").unwrap();
        assert_eq!(
            message(required_text(o, "guid", "the thing")),
            "`guid` of the thing is empty"
        );
        assert_eq!(
            message(required_text(o, "name", "the thing")),
            "`name` of the thing is a number, not text"
        );
        assert_eq!(
            message(required_id_text(o, "id", "the thing")),
            "`id` of the thing is a number, not text or an integer"
        );
        assert_eq!(required_int(o, "n", "the thing").unwrap(), 12);
        assert_eq!(
            message(required_int(o, "missing", "the thing")),
            "the thing has no `missing`"
        );
        assert_eq!(
            message(optional_list(o, "list", "the thing", "item")),
            "`list` of the thing is a number, not an array"
        );
        assert_eq!(
            message(optional_object(o, "o", "the thing")),
            "`o` of the thing is an array, not an object"
        );
        assert!(optional_list(o, "absent", "the thing", "item")
            .unwrap()
            .is_empty());
        assert_eq!(text(o, "name"), "");
        assert_eq!(
            message(object(&json!([1]), "the answer")),
            "the answer is not an object (found an array)"
        );
    }
}
