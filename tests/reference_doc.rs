//! `docs/reference.md`, the C API reference, is generated from `include/sendsecure.h` (itself
//! generated from the Rust doc comments): every type and function with its declaration and its
//! documentation, in the header's order, with an index. This test fails when the committed
//! reference differs from what the header gives; `SS_UPDATE_REFERENCE=1 cargo test --test
//! reference_doc` rewrites it.

use std::path::PathBuf;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One documented declaration of the header.
struct Item {
    name: String,
    kind: &'static str,
    declaration: String,
    doc: String,
}

/// The text of a `/** ... */` block, without its frame.
fn doc_text(block: &str) -> String {
    block
        .trim_start_matches("/**")
        .trim_end_matches("*/")
        .lines()
        .map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix('*').unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l).trim_end()
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The name and kind of a declaration.
fn name_of(declaration: &str) -> Option<(String, &'static str)> {
    let first = declaration.lines().next()?.trim();
    let word_after = |prefix: &str| {
        first.strip_prefix(prefix).map(|r| {
            r.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
                .to_string()
        })
    };
    if let Some(n) = word_after("enum ") {
        return Some((n, "enum"));
    }
    if let Some(n) = word_after("typedef struct ") {
        return Some((n, "struct"));
    }
    if let Some(n) = word_after("struct ") {
        return Some((n, "struct"));
    }
    if first.starts_with("typedef") {
        // `typedef R (*name)(...)` or `typedef T name;`
        if let Some(start) = first.find("(*") {
            let rest = &first[start + 2..];
            return Some((rest.split(')').next()?.to_string(), "callback"));
        }
        let last = first.trim_end_matches(';').split_whitespace().last()?;
        return Some((last.to_string(), "type"));
    }
    let open = declaration.find('(')?;
    let before = declaration[..open].trim_end();
    let name = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?
        .to_string();
    name.starts_with("ss_").then_some((name, "function"))
}

/// Every documented declaration, in the header's order.
fn items(header: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut rest = header;
    while let Some(start) = rest.find("/**") {
        let after = &rest[start..];
        let Some(end) = after.find("*/") else { break };
        let doc = doc_text(&after[..end + 2]);
        let tail = &after[end + 2..];
        // The declaration: up to the `;` that ends it at brace depth 0, skipping preprocessor
        // lines (the header guards C23/C++ enum forms with #if).
        let mut declaration = String::new();
        let mut depth = 0i32;
        let mut consumed = 0;
        for line in tail.split_inclusive('\n') {
            consumed += line.len();
            let trimmed = line.trim();
            if trimmed.starts_with('#') || (declaration.is_empty() && trimmed.is_empty()) {
                continue;
            }
            declaration.push_str(line.trim_end());
            declaration.push('\n');
            depth += trimmed.matches('{').count() as i32 - trimmed.matches('}').count() as i32;
            if depth == 0 && trimmed.ends_with(';') {
                break;
            }
        }
        rest = &tail[consumed.min(tail.len())..];
        if let Some((name, kind)) = name_of(&declaration) {
            items.push(Item {
                name,
                kind,
                declaration: declaration.trim_end().to_string(),
                doc,
            });
        }
    }
    items
}

fn reference(header: &str) -> String {
    let items = items(header);
    let mut out = String::from(
        "# libsendsecure C API reference\n\n\
         Generated from `include/sendsecure.h` by `tests/reference_doc.rs` \
         (`SS_UPDATE_REFERENCE=1 cargo test --test reference_doc`); do not edit. The rules every \
         function follows (errors, memory, threads, progress, cancellation, logging, security) \
         are in [c-api.md](c-api.md).\n\n",
    );
    for (title, kinds) in [
        ("Types", &["enum", "struct", "type", "callback"][..]),
        ("Functions", &["function"][..]),
    ] {
        out.push_str(&format!("## {title}\n\n"));
        let names: Vec<String> = items
            .iter()
            .filter(|i| kinds.contains(&i.kind))
            .map(|i| format!("[`{}`](#{})", i.name, i.name.to_lowercase()))
            .collect();
        out.push_str(&names.join(" · "));
        out.push_str("\n\n");
        for item in items.iter().filter(|i| kinds.contains(&i.kind)) {
            out.push_str(&format!(
                "### {}\n\n```c\n{}\n```\n\n{}\n\n",
                item.name, item.declaration, item.doc
            ));
        }
    }
    out.trim_end().to_string() + "\n"
}

#[test]
fn the_reference_is_generated_from_the_header() {
    let header = std::fs::read_to_string(manifest_dir().join("include/sendsecure.h"))
        .expect("include/sendsecure.h");
    let generated = reference(&header);
    let items = items(&header);
    // Every function the header declares (a name `ss_...` followed by `(`, outside comments
    // and typedefs) is in the reference.
    let documented: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i.name.as_str()).collect();
    let mut declared = std::collections::BTreeSet::new();
    for item_free in header
        .split("*/")
        .map(|part| part.split("/**").next().unwrap_or(""))
    {
        for line in item_free
            .lines()
            .filter(|l| !l.trim_start().starts_with("typedef"))
        {
            if let Some(at) = line.find("ss_") {
                let name: String = line[at..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if line[at + name.len()..].starts_with('(') {
                    declared.insert(name);
                }
            }
        }
    }
    let missing: Vec<&String> = declared
        .iter()
        .filter(|n| !documented.contains(n.as_str()))
        .collect();
    assert!(
        declared.len() > 100,
        "parsed too few functions: {declared:?}"
    );
    assert!(
        missing.is_empty(),
        "functions missing from the reference: {missing:?}"
    );
    assert!(items
        .iter()
        .any(|i| i.name == "ss_result" && i.kind == "enum"));
    assert!(items
        .iter()
        .any(|i| i.name == "ss_progress_cb" && i.kind == "callback"));
    assert!(
        items.iter().all(|i| !i.doc.is_empty()),
        "every declaration has its documentation"
    );
    let path = manifest_dir().join("docs/reference.md");
    if std::env::var_os("SS_UPDATE_REFERENCE").is_some() {
        std::fs::write(&path, &generated).expect("write docs/reference.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/reference.md is out of date: run `SS_UPDATE_REFERENCE=1 cargo test --test \
         reference_doc` and commit it"
    );
}
