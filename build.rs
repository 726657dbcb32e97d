//! Generates `include/sendsecure.h` from `src/ffi` with cbindgen, writing it only when its
//! content changes (so builds from a clean checkout leave it untouched). Set
//! `SENDSECURE_NO_HEADER=1` to skip generation (e.g. read-only source trees).

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=SENDSECURE_NO_HEADER");
    if std::env::var_os("SENDSECURE_NO_HEADER").is_some() {
        return;
    }
    let crate_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is valid");
    let version = |name: &str| std::env::var(name).expect("cargo sets the package version");
    config.after_includes = Some(format!(
        "\n#define SS_VERSION_MAJOR {}\n#define SS_VERSION_MINOR {}\n#define SS_VERSION_PATCH {}\n#define SS_VERSION_STRING \"{}\"\n\n\
#if defined(__GNUC__) || defined(__clang__)\n#define SS_MUST_USE __attribute__((warn_unused_result))\n#else\n#define SS_MUST_USE\n#endif\n",
        version("CARGO_PKG_VERSION_MAJOR"),
        version("CARGO_PKG_VERSION_MINOR"),
        version("CARGO_PKG_VERSION_PATCH"),
        version("CARGO_PKG_VERSION"),
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen can read src/ffi");
    let mut text = Vec::new();
    bindings.write(&mut text);
    let path = crate_dir.join("include").join("sendsecure.h");
    if std::fs::read(&path).ok().as_deref() != Some(text.as_slice()) {
        if let Err(e) = std::fs::create_dir_all(crate_dir.join("include"))
            .and_then(|_| std::fs::write(&path, &text))
        {
            println!("cargo:warning=cannot write {}: {e}", path.display());
        }
    }
}
