//! A read model's fields are declared once, in `src/sendsecure/model/` (a `read_model!` table:
//! each field with its type and decoding rule); the C accessors
//! (`include/sendsecure.h`), the C++ wrapper (`include/sendsecure.hpp`) and the Python reader
//! (`bindings/python/src/sendsecure/_read.py`) are written by hand after them. This test reads
//! the declarations and fails when a field has no accessor in one of the three, or when the
//! header has an accessor of a read model for no field: a field added (or removed) on one side
//! only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A read model: its Rust struct, the file that declares it, and the prefix of its C accessors.
struct Model {
    rust: &'static str,
    file: &'static str,
    c_prefix: &'static str,
}

const MODELS: &[Model] = &[
    Model {
        rust: "SavedContactMethod",
        file: "participant.rs",
        c_prefix: "ss_contact_method_",
    },
    Model {
        rust: "Participant",
        file: "participant.rs",
        c_prefix: "ss_participant_",
    },
    Model {
        rust: "Document",
        file: "message.rs",
        c_prefix: "ss_document_",
    },
    Model {
        rust: "Message",
        file: "message.rs",
        c_prefix: "ss_message_",
    },
    Model {
        rust: "Event",
        file: "event.rs",
        c_prefix: "ss_event_",
    },
    Model {
        rust: "Favorite",
        file: "favorite.rs",
        c_prefix: "ss_favorite_",
    },
    Model {
        rust: "RecipientMatch",
        file: "recipient_match.rs",
        c_prefix: "ss_recipient_match_",
    },
    Model {
        rust: "ConsentGroup",
        file: "consent_group.rs",
        c_prefix: "ss_consent_group_",
    },
    Model {
        rust: "SafeboxInfo",
        file: "safebox_info.rs",
        c_prefix: "ss_safebox_info_",
    },
];

/// Fields whose accessors do not follow the naming rule of [`accessors`], with theirs (none:
/// the field is deliberately not exposed to C).
const EXCEPTIONS: &[(&str, &str, &[&str])] = &[
    ("SavedContactMethod", "destination_type", &["type"]),
    ("SafeboxInfo", "event_history", &["event_count", "event_at"]),
    (
        "ConsentGroup",
        "messages",
        &["message_count", "message_locale_at", "message_text_at"],
    ),
    // Only a SafeBox being created needs the key (to encrypt its attachments).
    ("SafeboxInfo", "public_encryption_key", &[]),
    // A consent group has no JSON view in C: its typed fields are the whole object.
    ("ConsentGroup", "raw", &[]),
];

/// Functions with the prefix of a read model that read no field: the handle's own free, and
/// the list types whose names start with the model's.
const NOT_FIELDS: &[&str] = &["free", "list_count", "list_at", "list_free"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fields of `pub struct name { ... }` in `source`, with their types: a `read_model!` table
/// (`field: Type = rule,`) or a plain struct (`pub field: Type,`).
fn fields(source: &str, name: &str) -> Vec<(String, String)> {
    let start = source
        .find(&format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("no `pub struct {name}` in its model file"));
    let mut lines = source[start..].lines().skip(1).peekable();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let field_indent = lines.peek().map(|l| indent(l)).unwrap_or(0);
    lines
        .take_while(|l| l.trim().is_empty() || indent(l) >= field_indent)
        .filter(|l| indent(l) == field_indent)
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#'))
        .filter_map(|l| {
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let (field, rest) = l.split_once(": ")?;
            let ty = match rest.split_once(" =") {
                Some((ty, _)) => ty,
                None => rest.trim_end_matches(','),
            };
            Some((field.trim().to_string(), ty.trim().to_string()))
        })
        .collect()
}

/// The accessors a field gets (without the model's prefix): `kind` reads as `type`, `raw` as
/// `to_json`, other JSON values as `<field>_json`, a list of `<items>` as `<item>_count` and
/// `<item>_at`, any other field under its own name.
fn accessors(model: &str, field: &str, ty: &str) -> Vec<String> {
    if let Some((_, _, names)) = EXCEPTIONS
        .iter()
        .find(|(m, f, _)| *m == model && *f == field)
    {
        return names.iter().map(|n| n.to_string()).collect();
    }
    if field == "kind" {
        return vec!["type".into()];
    }
    if field == "raw" {
        return vec!["to_json".into()];
    }
    if ty == "Value" || ty == "Option<Value>" {
        return vec![format!("{field}_json")];
    }
    if ty.starts_with("Vec<") {
        let item = field.strip_suffix('s').unwrap_or(field);
        return vec![format!("{item}_count"), format!("{item}_at")];
    }
    vec![field.to_string()]
}

/// Every identifier starting with `prefix` in `text`.
fn names_with_prefix(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            found.insert(tail[..end].to_string());
        }
        rest = &tail[end.max(1)..];
    }
    found
}

/// The functions the C header declares with `prefix` (a call's name is followed by `(`).
fn header_functions(header: &str, prefix: &str) -> BTreeSet<String> {
    names_with_prefix(header, prefix)
        .into_iter()
        .filter(|n| header.contains(&format!("{n}(")))
        .collect()
}

#[test]
fn every_read_model_field_has_its_accessors_and_every_accessor_a_field() {
    let header = read(&root().join("include/sendsecure.h"));
    let cpp = read(&root().join("include/sendsecure.hpp"));
    let python = read(&root().join("bindings/python/src/sendsecure/_read.py"));
    let mut problems = Vec::new();
    for model in MODELS {
        let source = read(&root().join("src/sendsecure/model").join(model.file));
        let mut expected = BTreeSet::new();
        for (field, ty) in fields(&source, model.rust) {
            for accessor in accessors(model.rust, &field, &ty) {
                let name = format!("{}{accessor}", model.c_prefix);
                for (place, text) in [
                    ("include/sendsecure.h", &header),
                    ("include/sendsecure.hpp", &cpp),
                    ("bindings/python/src/sendsecure/_read.py", &python),
                ] {
                    if !names_with_prefix(text, &name).contains(&name) {
                        problems.push(format!("{}.{field}: no `{name}` in {place}", model.rust));
                    }
                }
                expected.insert(name);
            }
        }
        for function in header_functions(&header, model.c_prefix) {
            let suffix = &function[model.c_prefix.len()..];
            let other_model = MODELS.iter().any(|m| {
                m.c_prefix.len() > model.c_prefix.len() && function.starts_with(m.c_prefix)
            });
            if !expected.contains(&function) && !NOT_FIELDS.contains(&suffix) && !other_model {
                problems.push(format!(
                    "`{function}` in include/sendsecure.h reads no field of {}",
                    model.rust
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_drift_check_sees_a_missing_accessor() {
    let source =
        "pub struct M {\n    pub id: i64,\n    pub kind: String,\n    pub items: Vec<I>,\n}\n";
    let got: Vec<String> = fields(source, "M")
        .iter()
        .flat_map(|(f, t)| accessors("M", f, t))
        .collect();
    assert_eq!(got, ["id", "type", "item_count", "item_at"]);
    let header = "int64_t ss_m_id(const ss_m *m);";
    assert!(names_with_prefix(header, "ss_m_id").contains("ss_m_id"));
    assert!(!names_with_prefix(header, "ss_m_type").contains("ss_m_type"));
}
