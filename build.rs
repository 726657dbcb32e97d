//! Generates `include/sendsecure.h` from `src/ffi` with cbindgen, writing it only when its
//! content changes (so builds from a clean checkout leave it untouched). Set
//! `SENDSECURE_NO_HEADER=1` to skip generation (e.g. read-only source trees).

include!("tools/header.rs");

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=tools/header.rs");
    println!("cargo:rerun-if-env-changed=SENDSECURE_NO_HEADER");
    if std::env::var_os("SENDSECURE_NO_HEADER").is_some() {
        return;
    }
    let crate_dir = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let text = generate_header(&crate_dir, &version)
        .unwrap_or_else(|e| panic!("cbindgen cannot read src/ffi: {e}"));
    let path = crate_dir.join("include").join("sendsecure.h");
    if std::fs::read(&path).ok().as_deref() != Some(text.as_slice()) {
        if let Err(e) = std::fs::create_dir_all(crate_dir.join("include"))
            .and_then(|_| std::fs::write(&path, &text))
        {
            println!("cargo:warning=cannot write {}: {e}", path.display());
        }
    }
}
