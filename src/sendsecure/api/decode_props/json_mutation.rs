//! A JSON mutation engine for property tests of decoders, knowing nothing of the answers it
//! is used on: arbitrary JSON values (odd text, odd numbers, deep and wide), the paths of a
//! value and their JSON pointers (with `*` patterns), structural changes at a path (dropped,
//! null, retyped, huge, nested, arrays and objects swapped, replaced), and raw byte edits.
//!
//! Text it generates is marked with [`MARK`], so that an error message quoting it is seen.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

// Arbitrary JSON.

/// Marks the text this file generates, so that a message quoting it is seen.
pub(super) const MARK: char = '\u{2603}';

pub(super) fn character() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => (0x20u8..0x7f).prop_map(char::from),
        2 => (0u8..0x20).prop_map(char::from),
        3 => any::<char>(),
        1 => prop::sample::select(vec![
            '\u{7f}', '\u{85}', '\u{200b}', '\u{202e}', '\u{2028}', '\u{feff}', '\u{fffd}',
            '\u{10ffff}', '"', '\\', '/', 'é', '日', '😀',
        ]),
    ]
}

/// Text: short and odd, numeric (ids may be numeric text), blank, or (rarely: one value in a
/// few has one) huge.
pub(super) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        100 => prop::collection::vec(character(), 0..24).prop_map(String::from_iter),
        20 => (any::<i64>(), prop::sample::select(vec!["", " ", "\t", "+", "0", "e3", ".5"]))
            .prop_map(|(n, affix)| format!("{affix}{n}{affix}")),
        10 => prop::sample::select(vec!["", " ", "\n", "true", "false", "null", "NaN", "1e400",
            "99999999999999999999999"]).prop_map(String::from),
        1 => (character(), 1_000..70_000usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

pub(super) fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("not finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        prop::sample::select(vec![
            json!(0),
            json!(-1),
            json!(i64::MIN),
            json!(i64::MAX),
            json!(u64::MAX),
            json!(1e308),
            json!(-1e308),
            json!(-0.0),
            json!(0.5),
            json!(9_007_199_254_740_993_f64),
        ]),
    ]
}

/// A key: one of `keys` (so that arbitrary objects often look like answers), or any text.
pub(super) fn key(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(keys).prop_map(String::from),
        1 => text(),
    ]
}

/// Any JSON value, at most 5 levels deep and about 128 nodes.
pub(super) fn json_value(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 128, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key(keys), inner), 0..8)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// `value` with [`MARK`] before every text (keys excepted).
pub(super) fn marked(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{MARK}{s}")),
        Value::Array(items) => Value::Array(items.into_iter().map(marked).collect()),
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (k, marked(v))).collect())
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations.

/// A step of a path in a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    Key(String),
    At(usize),
}

pub(super) type Path = Vec<Step>;

/// The JSON pointer of a path.
pub(super) fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{k}"),
            Step::At(i) => format!("/{i}"),
        })
        .collect()
}

/// Every path in `value`, the root's included, parents before children.
pub(super) fn paths(value: &Value) -> Vec<Path> {
    fn walk(v: &Value, at: &mut Path, out: &mut Vec<Path>) {
        out.push(at.clone());
        match v {
            Value::Object(fields) => {
                for (k, child) in fields {
                    at.push(Step::Key(k.clone()));
                    walk(child, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(Step::At(i));
                    walk(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = vec![];
    walk(value, &mut vec![], &mut out);
    out
}

/// Whether `pattern` (a pointer whose `*` segments match any one segment) names `path`.
pub(super) fn matches(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| *a == "*" || a == b)
}

/// The path `at` picks in `list` (not empty).
pub(super) fn pick<'a>(at: &Index, list: &'a [Path]) -> &'a Path {
    at.get(list)
}

pub(super) fn get_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match (v, step) {
        (Value::Object(fields), Step::Key(k)) => fields.get_mut(k),
        (Value::Array(items), Step::At(i)) => items.get_mut(*i),
        _ => None,
    })
}

/// A change to one place of an answer.
#[derive(Debug, Clone)]
pub(super) enum Change {
    /// Removed from its object or array (the root becomes null).
    Drop,
    Null,
    /// Of another type, keeping what can be kept (text and numbers swap, arrays and objects
    /// swap, ...).
    Retype,
    /// A huge text.
    Huge,
    /// Nested one level down in an object.
    Nest,
    /// Arrays become objects (keys "0", "1", ...) and objects arrays of their values; a scalar
    /// becomes a one-item array.
    Swap,
    /// Replaced by any value.
    Set(Value),
}

pub(super) fn change(keys: &'static [&'static str]) -> impl Strategy<Value = Change> {
    prop_oneof![
        2 => Just(Change::Drop),
        2 => Just(Change::Null),
        2 => Just(Change::Retype),
        1 => Just(Change::Huge),
        1 => Just(Change::Nest),
        1 => Just(Change::Swap),
        3 => json_value(keys).prop_map(|v| Change::Set(marked(v))),
    ]
}

pub(super) fn retype(v: Value) -> Value {
    match v {
        Value::Null => Value::Bool(true),
        Value::Bool(b) => Value::from(u8::from(b)),
        Value::Number(n) => Value::String(format!("{MARK}{n}")),
        Value::String(s) => Value::from(s.len()),
        Value::Array(items) => Value::Object(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
        ),
        Value::Object(fields) => Value::Array(fields.into_iter().map(|(_, v)| v).collect()),
    }
}

pub(super) fn swap(v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Object(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
        ),
        Value::Object(fields) => Value::Array(fields.into_iter().map(|(_, v)| v).collect()),
        scalar => Value::Array(vec![scalar]),
    }
}

/// Applies `change` at `path` (nothing when the path is gone).
pub(super) fn apply(root: &mut Value, path: &[Step], change: &Change) {
    if let Change::Drop = change {
        match path.split_last() {
            None => *root = Value::Null,
            Some((last, parent)) => match (get_mut(root, parent), last) {
                (Some(Value::Object(fields)), Step::Key(k)) => {
                    fields.shift_remove(k);
                }
                (Some(Value::Array(items)), Step::At(i)) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            },
        }
        return;
    }
    let Some(target) = get_mut(root, path) else {
        return;
    };
    let old = target.take();
    *target = match change {
        Change::Drop | Change::Null => Value::Null,
        Change::Retype => retype(old),
        Change::Huge => Value::String(MARK.to_string().repeat(100_000)),
        Change::Nest => json!({ "nested": old }),
        Change::Swap => swap(old),
        Change::Set(v) => v.clone(),
    };
}

/// The paths of the objects in `value`.
pub(super) fn object_paths(value: &Value) -> Vec<Path> {
    let mut out = paths(value);
    out.retain(|p| matches!(get_ref(value, p), Some(Value::Object(_))));
    out
}

pub(super) fn get_ref<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match (v, step) {
        (Value::Object(fields), Step::Key(k)) => fields.get(k),
        (Value::Array(items), Step::At(i)) => items.get(*i),
        _ => None,
    })
}

/// Edits of raw bytes.
#[derive(Debug, Clone)]
pub(super) enum ByteEdit {
    Flip(Index, u8),
    Insert(Index, u8),
    Remove(Index),
    Cut(Index),
}

pub(super) fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        (
            any::<Index>(),
            prop::sample::select(b"{}[]\",:\\0-e.tfn \x00\xff\xc3".to_vec())
        )
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        any::<Index>().prop_map(ByteEdit::Remove),
        any::<Index>().prop_map(ByteEdit::Cut),
    ]
}

pub(super) fn edit_bytes(bytes: &mut Vec<u8>, edit: &ByteEdit) {
    if bytes.is_empty() {
        return;
    }
    match edit {
        ByteEdit::Flip(i, b) => {
            let i = i.index(bytes.len());
            bytes[i] ^= b | 1;
        }
        ByteEdit::Insert(i, b) => bytes.insert(i.index(bytes.len() + 1), *b),
        ByteEdit::Remove(i) => {
            bytes.remove(i.index(bytes.len()));
        }
        ByteEdit::Cut(i) => bytes.truncate(i.index(bytes.len())),
    }
}
