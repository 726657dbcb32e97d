//! The committed header is what cbindgen generates from the code, and its version macros are
//! the crate's version. (CI also checks that a build leaves `include/` unchanged in git.)

include!("../tools/header.rs");

fn committed_header() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("include/sendsecure.h");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn committed_header_matches_the_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = generate_header(dir, env!("CARGO_PKG_VERSION")).expect("cbindgen runs");
    let generated = String::from_utf8(generated).expect("UTF-8 header");
    assert!(
        generated == committed_header(),
        "include/sendsecure.h differs from what cbindgen generates: run `cargo build` and commit the header"
    );
}

#[test]
fn version_macros_match_cargo_toml() {
    let header = committed_header();
    let define = |name: &str| -> String {
        header
            .lines()
            .find_map(|l| l.strip_prefix(&format!("#define {name} ")))
            .unwrap_or_else(|| panic!("{name} is not defined"))
            .trim_matches('"')
            .to_string()
    };
    assert_eq!(define("SS_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MAJOR"));
    assert_eq!(define("SS_VERSION_MINOR"), env!("CARGO_PKG_VERSION_MINOR"));
    assert_eq!(define("SS_VERSION_PATCH"), env!("CARGO_PKG_VERSION_PATCH"));
    assert_eq!(define("SS_VERSION_STRING"), env!("CARGO_PKG_VERSION"));
}

#[test]
fn every_exported_symbol_is_documented_and_prefixed() {
    let header = committed_header();
    let mut previous_was_doc = false;
    for line in header.lines() {
        let declares = line.starts_with("ss_result ss_")
            || (line.contains(" ss_")
                && line.contains('(')
                && !line.starts_with(' ')
                && !line.starts_with("typedef"));
        if declares {
            assert!(previous_was_doc, "undocumented declaration: {line}");
        }
        if !line.trim().is_empty() {
            previous_was_doc = line.trim_start().starts_with("*/");
        }
        if let Some(name) = line.strip_prefix("#define ") {
            assert!(name.starts_with("SS_"), "unprefixed macro: {line}");
        }
    }
}
