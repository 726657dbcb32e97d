//! The import directions of the emulator's sources: the core (`src/core/`) names no service,
//! and a service (`src/<service>/`) names the core and itself, never another service.
//!
//! Read from the sources, so that a `use crate::sendsecure::…` slipped into the core fails here
//! and not months later when a second service cannot be built without the first.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![];
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The top-level modules a source names through `crate::` paths, grouped ones
/// (`crate::{core::x, y}`) included. Comments count too: a doc link to another layer is a
/// dependency all the same.
fn crate_modules(source: &str) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    let mut rest = source;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| is_ident_char(c) || c == '$') {
            continue; // `$crate::` or `other_crate::`
        }
        let rest_trimmed = rest.trim_start();
        if let Some(group) = rest_trimmed.strip_prefix('{') {
            // The first name of each top-level item of the group.
            for item in top_level_items(group) {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| is_ident_char(*c))
                    .collect();
                if !name.is_empty() {
                    modules.insert(name);
                }
            }
        } else {
            let name: String = rest_trimmed
                .chars()
                .take_while(|c| is_ident_char(*c))
                .collect();
            if !name.is_empty() {
                modules.insert(name);
            }
        }
    }
    modules
}

/// The comma-separated items of a `{…}` group's body, up to its closing brace.
fn top_level_items(group: &str) -> Vec<&str> {
    let mut items = vec![];
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The service modules: every directory of `src/` but the core's.
fn services() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "core")
        .collect();
    names.sort();
    names
}

/// The modules each file under `dir` names that it may not, as `file: module` lines.
fn violations(dir: &Path, allowed: &[&str]) -> Vec<String> {
    let mut found = vec![];
    for file in rust_files(dir) {
        let source = std::fs::read_to_string(&file).unwrap();
        let shown = file
            .strip_prefix(src())
            .unwrap_or(&file)
            .display()
            .to_string();
        for module in crate_modules(&source) {
            if !allowed.contains(&module.as_str()) {
                found.push(format!("src/{shown}: crate::{module}"));
            }
        }
        // The other way out of a module: `super::` up to the crate root, then down.
        for service in services() {
            let path = format!("super::{service}");
            if !allowed.contains(&service.as_str()) && source.contains(&path) {
                found.push(format!("src/{shown}: {path}"));
            }
        }
    }
    found
}

#[test]
fn the_core_names_no_service() {
    let core = src().join("core");
    assert!(
        rust_files(&core).len() > 5,
        "the core is at {}",
        core.display()
    );
    let found = violations(&core, &["core"]);
    assert!(
        found.is_empty(),
        "the core may only use crate::core:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_service_names_the_core_and_itself_only() {
    let services = services();
    assert!(services.contains(&"sendsecure".to_string()), "{services:?}");
    for service in &services {
        let found = violations(&src().join(service), &["core", service]);
        assert!(
            found.is_empty(),
            "service {service} may only use crate::core and crate::{service}:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn crate_paths_are_found_in_every_form() {
    let source = r#"
        use crate::core::clock;
        use crate::{sendsecure::store, core::{faults, stats}};
        /// See [`x`](crate::passbyme::y).
        macro_rules! m { () => { $crate::ignored::path } }
        use other_crate::ignored;
    "#;
    let found: Vec<String> = crate_modules(source).into_iter().collect();
    assert_eq!(found, ["core", "passbyme", "sendsecure"]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.rs"), "use crate::sendsafely::x;\n").unwrap();
    assert_eq!(violations(dir.path(), &["core"]).len(), 1);
    assert!(violations(dir.path(), &["core", "sendsafely"]).is_empty());
}
