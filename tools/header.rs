// Generation of include/sendsecure.h, shared by build.rs and tests/header.rs (included with
// `include!`, so it is plain items without a module).

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
    Ok(text)
}
