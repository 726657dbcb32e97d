//! NUL characters in a JSON answer: the texts of an answer end up as C strings, which end at
//! the first NUL, so an answer holding one is refused, whatever the service.

use crate::transport::error::{printable, Error, Result};
use serde_json::Value;

/// Refuses an answer holding a NUL character in any text or field name: C strings end at the
/// first NUL, so the getters would hand C a silently shortened text (a filter's `forbid\0allow`
/// read as `forbid`). The error names where it is (`safebox.messages[0].note`), not the text.
pub(crate) fn refuse_nul(answer: &Value, what: &str) -> Result<()> {
    match nul_path(answer) {
        None => Ok(()),
        Some((path, in_name)) => {
            let place = if path.is_empty() && in_name {
                format!("a field name of {what}")
            } else if path.is_empty() {
                format!("{what} is text that")
            } else if in_name {
                format!("a field name in `{path}` of {what}")
            } else {
                format!("`{path}` of {what}")
            };
            Err(Error::Decode(format!(
                "{place} contains a NUL character, which C strings cannot carry"
            )))
        }
    }
}

/// Where the first NUL of `v` is: the path of the text (or of the object whose field name has
/// it, then `true`), `""` for `v` itself.
fn nul_path(v: &Value) -> Option<(String, bool)> {
    let join = |outer: String, (inner, in_name): (String, bool)| {
        let sep = if inner.is_empty() || inner.starts_with('[') {
            ""
        } else {
            "."
        };
        (format!("{outer}{sep}{inner}"), in_name)
    };
    match v {
        Value::String(s) if s.contains('\0') => Some((String::new(), false)),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_path(item).map(|inner| join(format!("[{i}]"), inner))),
        Value::Object(obj) => obj.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                return Some((String::new(), true));
            }
            nul_path(item).map(|inner| join(printable(key), inner))
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(r: Result<()>) -> String {
        match r {
            Err(Error::Decode(m)) => m,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn a_nul_is_found_and_placed_without_quoting_the_text() {
        let at = |v: Value| message(refuse_nul(&v, "the answer"));
        assert_eq!(
            at(json!({"a": [1, {"b\n": ["ok", "x\u{0}y"]}]})),
            "`a[1].b\\n[1]` of the answer contains a NUL character, which C strings cannot carry"
        );
        assert!(at(json!({"a": {"k\u{0}": 1}})).starts_with("a field name in `a` of the answer"));
        assert!(at(json!({"k\u{0}": 1})).starts_with("a field name of the answer"));
        assert!(at(json!("\u{0}")).starts_with("the answer is text that contains"));
        assert!(refuse_nul(&json!({"a": ["\u{1}", 0, null]}), "the answer").is_ok());
    }
}
