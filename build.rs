//! Generates `include/sendsecure.h` from `src/ffi` and each service's `ffi` with cbindgen,
//! writing it only when its content changes (so builds from a clean checkout leave it
//! untouched). Set `SENDSECURE_NO_HEADER=1` to skip generation (e.g. read-only source trees).

include!("tools/header.rs");

fn main() {
    set_soname();
    for (dir, _) in HEADER_PARTS {
        println!("cargo:rerun-if-changed={dir}");
    }
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
        .unwrap_or_else(|e| panic!("cbindgen cannot read the sources: {e}"));
    let path = crate_dir.join("include").join("sendsecure.h");
    if std::fs::read(&path).ok().as_deref() != Some(text.as_slice()) {
        if let Err(e) = std::fs::create_dir_all(crate_dir.join("include"))
            .and_then(|_| std::fs::write(&path, &text))
        {
            println!("cargo:warning=cannot write {}: {e}", path.display());
        }
    }
}

/// Gives the shared library its SONAME, `libsendsecure.so.<ABI>`, where ABI is the major
/// version, or `0.<minor>` before 1.0 (minor versions may break the ABI then): see
/// docs/install.md. Programs linked against the library record that name, so it is also made a
/// symbolic link to the library beside it in the target directory, for programs linked there
/// (the C tests, the demo) to keep running from there. scripts/install.sh installs the links.
fn set_soname() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let gnu_style_elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly"
    );
    if !gnu_style_elf {
        return;
    }
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets the version");
    let abi = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    let soname = format!("libsendsecure.so.{abi}");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    // OUT_DIR is <target>/<profile>/build/sendsecure-<hash>/out; the library goes to
    // <target>/<profile>.
    #[cfg(unix)]
    if let Some(out_dir) = std::env::var_os("OUT_DIR").map(std::path::PathBuf::from) {
        let mut up = out_dir.ancestors().skip(2);
        if let (Some(build), Some(profile)) = (up.next(), up.next()) {
            let link = profile.join(&soname);
            if build.file_name() == Some("build".as_ref())
                && std::fs::symlink_metadata(&link).is_err()
            {
                if let Err(e) = std::os::unix::fs::symlink("libsendsecure.so", &link) {
                    println!("cargo:warning=cannot link {}: {e}", link.display());
                }
            }
        }
    }
}
