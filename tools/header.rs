// Generation of include/sendsecure.h, shared by build.rs and tests/header.rs (included with
// `include!`, so it is plain items without a module).

/// The parts of the C ABI, each a directory of exported functions, in the header's order: the
/// part every service shares, then one per service. Each part's functions open with a banner.
pub const HEADER_PARTS: &[(&str, &str)] = &[
    (
        "src/ffi",
        "Common to every service: result codes, the last error, strings, the version, the log",
    ),
    (
        "src/sendsecure/ffi",
        "SendSecure: the client, SafeBoxes, participants, replies, downloads, enterprise settings",
    ),
    (
        "src/sendsafely/ffi",
        "SendSafely: the client (signed requests), encrypted packages, secure links",
    ),
];

/// The header text cbindgen generates from `crate_dir` with `cbindgen.toml`, plus the version
/// macros of `version` (`MAJOR.MINOR.PATCH`).
pub fn generate_header(crate_dir: &std::path::Path, version: &str) -> Result<Vec<u8>, String> {
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))?;
    let parts: Vec<&str> = version.split(['.', '-', '+']).collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or("0");
    config.after_includes = Some(format!(
        "\n#define SS_VERSION_MAJOR {}\n#define SS_VERSION_MINOR {}\n#define SS_VERSION_PATCH {}\n#define SS_VERSION_STRING \"{version}\"\n\n\
#if defined(__GNUC__) || defined(__clang__)\n#define SS_MUST_USE __attribute__((warn_unused_result))\n#else\n#define SS_MUST_USE\n#endif\n",
        part(0),
        part(1),
        part(2),
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .map_err(|e| e.to_string())?;
    let mut text = Vec::new();
    bindings.write(&mut text);
    let text = String::from_utf8(text).map_err(|e| e.to_string())?;
    Ok(with_part_banners(crate_dir, &text)?.into_bytes())
}

/// `header` with a banner comment before the first function of each part of [`HEADER_PARTS`]
/// (the doc comment above that function included).
fn with_part_banners(crate_dir: &std::path::Path, header: &str) -> Result<String, String> {
    let mut lines: Vec<String> = header.lines().map(str::to_owned).collect();
    for (dir, title) in HEADER_PARTS.iter().rev() {
        let names = exported_functions(&crate_dir.join(dir))?;
        let declaration = lines.iter().position(|line| {
            !line.starts_with(" *")
                && !line.starts_with("/*")
                && names.iter().any(|name| {
                    line.contains(&format!(" {name}(")) || line.contains(&format!("*{name}("))
                })
        });
        let Some(declaration) = declaration else {
            return Err(format!("no function of {dir} in the header"));
        };
        let start = lines[..declaration]
            .iter()
            .rposition(|line| line == "/**")
            .filter(|&doc| {
                lines[doc..declaration]
                    .iter()
                    .all(|l| l.starts_with(" *") || l == "/**")
            })
            .unwrap_or(declaration);
        let rule = "=".repeat(title.len().min(100));
        lines.splice(
            start..start,
            [
                format!("/* {rule}"),
                format!(" * {title}"),
                format!(" * {rule} */"),
                String::new(),
            ],
        );
    }
    let mut text = lines.join("\n");
    text.push('\n');
    Ok(text)
}

/// The names of the `extern "C"` functions defined in the `.rs` files of `dir`.
fn exported_functions(dir: &std::path::Path) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "rs") {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for line in text.lines() {
                if let Some((_, rest)) = line.split_once("extern \"C\" fn ") {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        names.push(name);
                    }
                }
            }
        }
    }
    Ok(names)
}
