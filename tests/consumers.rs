//! libsendsecure as its users get it: `scripts/install.sh` into a temporary prefix, then
//! - a C program (tests/consumer/app.c) built with `pkg-config` (sendsecure, sendsecure-static)
//!   and with CMake's `find_package(sendsecure)` (tests/consumer/CMakeLists.txt: targets
//!   `sendsecure::sendsecure` and `sendsecure::sendsecure_static`, plus a C++ program), linked
//!   shared and static, run against the in-process emulator;
//! - the C++ wrapper include/sendsecure.hpp: examples/cpp/*.cpp and tests/cpp/test_*.cpp built
//!   with `-std=c++17 -Wall -Wextra -Wpedantic -Werror` under AddressSanitizer and
//!   UndefinedBehaviorSanitizer (leak detection on, with a control: a program leaking a handle
//!   on purpose must be reported), run against the emulator;
//! - the installed layout: versioned shared library and its SONAME links, and the header's
//!   `SS_VERSION_*` against Cargo.toml.
//!
//! Needs pkg-config, cmake and make, and gcc/g++ with their sanitizer runtimes (CI installs
//! them; a missing one fails the test with a message saying so). The libraries come from the
//! target directory: run `cargo build -p sendsecure` first (CI does); `install.sh --no-build`
//! copies them.

mod sendsafely_sender;
mod support;
#[path = "support/tools.rs"]
mod tools;
// RECEIVE: the packages test_wrapper's receive test reads.
#[path = "support/sendsafely_seed.rs"]
mod sendsafely_seed;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::Emulator;
use tools::{build, manifest_dir, require_tool, run};

/// The package version, from Cargo.toml.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The SONAME's ABI version: the major version, or `0.MINOR` before 1.0.
fn abi() -> String {
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    if major == "0" {
        format!("0.{}", env!("CARGO_PKG_VERSION_MINOR"))
    } else {
        major.to_string()
    }
}

fn soname() -> String {
    format!("libsendsecure.so.{}", abi())
}

/// `MAJOR.MINOR.PATCH` without any pre-release or build suffix.
fn plain_version() -> String {
    format!(
        "{}.{}.{}",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH")
    )
}

/// An installation into a temporary prefix, removed when dropped.
struct Installed {
    dir: tempfile::TempDir,
    /// Where the files are (`$DESTDIR$prefix`).
    root: PathBuf,
    /// The libraries' directory under `root`.
    libdir: PathBuf,
}

/// Runs `scripts/install.sh --no-build --libdir LIBDIR` into a new temporary directory: with
/// `destdir`, `--prefix PREFIX` staged with `DESTDIR=<tmp>/stage`; else `--prefix <tmp>PREFIX`.
fn install(prefix: &str, libdir: &str, destdir: bool) -> Installed {
    let _ = tools::library_dir(); // built and up to date
    let dir = tempfile::tempdir().expect("temp dir");
    let stage = dir.path().join("stage");
    let prefix_path = if destdir {
        format!("{}{prefix}", stage.display())
    } else {
        format!("{}{prefix}", dir.path().display())
    };
    let mut command = Command::new("bash");
    command
        .current_dir(manifest_dir())
        .arg("scripts/install.sh")
        .arg("--no-build")
        .arg("--libdir")
        .arg(libdir)
        .env_remove("DESTDIR");
    if destdir {
        command.arg("--prefix").arg(prefix).env("DESTDIR", &stage);
    } else {
        command.arg("--prefix").arg(&prefix_path);
    }
    let stdout = build(command, &dir.path().join("install"));
    assert!(
        stdout.contains(&format!("installed libsendsecure {VERSION}")),
        "{stdout}"
    );
    let root = PathBuf::from(prefix_path);
    let libdir = root.join(libdir);
    Installed { dir, root, libdir }
}

/// An installation under `/usr/local`-style layout: `--prefix <tmp>/usr/local --libdir lib`.
fn install_default() -> Installed {
    install("/usr/local", "lib", false)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `#define name value` of the committed header.
fn header_define(header: &str, name: &str) -> String {
    header
        .lines()
        .find_map(|l| l.strip_prefix(&format!("#define {name} ")))
        .unwrap_or_else(|| panic!("include/sendsecure.h defines no {name}"))
        .trim()
        .to_string()
}

/// The shared libraries an ELF file needs, and its SONAME (`readelf -d`).
fn dynamic_section(path: &Path) -> (Vec<String>, Option<String>) {
    require_tool("readelf", &["--version"], "apt-get install binutils");
    let out = Command::new("readelf")
        .arg("-d")
        .arg(path)
        .output()
        .expect("readelf");
    assert!(out.status.success(), "readelf -d {}", path.display());
    let text = String::from_utf8_lossy(&out.stdout);
    let bracketed = |l: &str| {
        l.split_once('[')
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(name, _)| name.to_string())
    };
    let needed = text
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(bracketed)
        .collect();
    let soname = text
        .lines()
        .find(|l| l.contains("(SONAME)"))
        .and_then(bracketed);
    (needed, soname)
}

/// Runs a consumer program against a fresh emulator; checks it exits 0 and prints `expect`.
fn run_consumer(exe: &Path, envs: &[(&str, &Path)], expect: &str) -> String {
    let emu = Emulator::demo();
    let mut command = Command::new(exe);
    command
        .env("SS_TEST_URL", &emu.url)
        .env_remove("LD_LIBRARY_PATH");
    for (k, v) in envs {
        command.env(k, v);
    }
    let out = run(
        command,
        Duration::from_secs(120),
        &exe.with_extension("run"),
    );
    assert!(
        out.status.success() && out.stdout.contains(expect),
        "{} exited with {}:\n{}{}",
        exe.display(),
        out.status,
        out.stdout,
        out.stderr
    );
    out.stdout
}

#[test]
fn header_version_matches_cargo_toml() {
    let header = read(&manifest_dir().join("include/sendsecure.h"));
    assert_eq!(
        header_define(&header, "SS_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        header_define(&header, "SS_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        header_define(&header, "SS_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        header_define(&header, "SS_VERSION_STRING"),
        format!("\"{VERSION}\"")
    );
}

#[test]
fn install_lays_out_versioned_libraries_headers_and_packages() {
    let inst = install_default();
    let lib = &inst.libdir;
    let realname = format!("libsendsecure.so.{}", plain_version());

    // libsendsecure.so -> libsendsecure.so.ABI -> libsendsecure.so.X.Y.Z (the file).
    let real = lib.join(&realname);
    assert!(
        real.is_file() && !real.is_symlink(),
        "{} is not a file",
        real.display()
    );
    assert_eq!(
        std::fs::read_link(lib.join(soname())).expect("SONAME link"),
        PathBuf::from(&realname)
    );
    assert_eq!(
        std::fs::read_link(lib.join("libsendsecure.so")).expect("development link"),
        PathBuf::from(soname())
    );
    assert!(lib.join("libsendsecure.a").is_file());
    let (_, installed_soname) = dynamic_section(&real);
    assert_eq!(installed_soname, Some(soname()), "SONAME of {realname}");

    // The headers, as committed.
    for header in ["sendsecure.h", "sendsecure.hpp"] {
        assert_eq!(
            read(&inst.root.join("include").join(header)),
            read(&manifest_dir().join("include").join(header)),
            "installed {header}"
        );
    }

    // pkg-config and CMake files, for this version and prefix.
    let pc = read(&lib.join("pkgconfig/sendsecure.pc"));
    assert!(pc.contains(&format!("Version: {VERSION}")), "{pc}");
    assert!(
        pc.contains(&format!("prefix={}", inst.root.display())),
        "{pc}"
    );
    assert!(
        pc.contains("Libs.private: ") && pc.contains("-lpthread"),
        "{pc}"
    );
    let static_pc = read(&lib.join("pkgconfig/sendsecure-static.pc"));
    assert!(
        static_pc.contains("${libdir}/libsendsecure.a"),
        "{static_pc}"
    );
    let config = read(&lib.join("cmake/sendsecure/sendsecureConfig.cmake"));
    assert!(config.contains("sendsecure::sendsecure_static") && config.contains(&soname()));
    assert!(
        !config.contains('@'),
        "unsubstituted template variable:\n{config}"
    );
    let version = read(&lib.join("cmake/sendsecure/sendsecureConfigVersion.cmake"));
    assert!(version.contains(&format!("\"{VERSION}\"")) && !version.contains('@'));

    // pkg-config reads them.
    require_tool("pkg-config", &["--version"], "apt-get install pkg-config");
    let out = Command::new("pkg-config")
        .args(["--modversion", "sendsecure", "sendsecure-static"])
        .env("PKG_CONFIG_LIBDIR", lib.join("pkgconfig"))
        .env_remove("PKG_CONFIG_PATH")
        .output()
        .expect("pkg-config");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{VERSION}\n{VERSION}\n")
    );
}

/// `pkg-config ARGS` against the installation only, split into arguments.
fn pkg_config(inst: &Installed, args: &[&str]) -> Vec<String> {
    let out = Command::new("pkg-config")
        .args(args)
        .env("PKG_CONFIG_LIBDIR", inst.libdir.join("pkgconfig"))
        .env_remove("PKG_CONFIG_PATH")
        .output()
        .expect("pkg-config runs");
    assert!(
        out.status.success(),
        "pkg-config {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_c_program_builds_with_pkg_config_shared_and_static() {
    require_tool("pkg-config", &["--version"], "apt-get install pkg-config");
    require_tool("cc", &["--version"], "apt-get install gcc");
    let inst = install_default();
    let dir = inst.dir.path();
    let source = manifest_dir().join("tests/consumer/app.c");

    // Shared: `cc app.c $(pkg-config --cflags --libs sendsecure)`, run with the library found
    // through LD_LIBRARY_PATH (no rpath), by its SONAME.
    let shared = dir.join("app_shared");
    let mut cc = Command::new("cc");
    cc.args(["-std=c11", "-Wall", "-Wextra", "-Werror"])
        .arg(&source)
        .arg("-o")
        .arg(&shared)
        .args(pkg_config(&inst, &["--cflags", "--libs", "sendsecure"]));
    build(cc, &dir.join("cc-shared"));
    let (needed, _) = dynamic_section(&shared);
    assert!(needed.contains(&soname()), "app_shared needs {needed:?}");
    run_consumer(
        &shared,
        &[("LD_LIBRARY_PATH", &inst.libdir)],
        &format!("consumer ok {VERSION} "),
    );

    // Static: `cc app.c $(pkg-config --cflags --libs sendsecure-static)`: no libsendsecure at
    // run time.
    let fixed = dir.join("app_static");
    let mut cc = Command::new("cc");
    cc.args(["-std=c11", "-Wall", "-Wextra", "-Werror"])
        .arg(&source)
        .arg("-o")
        .arg(&fixed)
        .args(pkg_config(
            &inst,
            &["--cflags", "--libs", "sendsecure-static"],
        ));
    build(cc, &dir.join("cc-static"));
    let (needed, _) = dynamic_section(&fixed);
    assert!(
        !needed.iter().any(|n| n.starts_with("libsendsecure")),
        "app_static needs {needed:?}"
    );
    run_consumer(&fixed, &[], &format!("consumer ok {VERSION} "));

    // `pkg-config --static sendsecure` gives the same system libraries (Libs.private).
    let private = pkg_config(&inst, &["--static", "--libs", "sendsecure"]);
    assert!(
        private.contains(&"-lsendsecure".to_string()) && private.contains(&"-lpthread".to_string())
    );
}

#[test]
fn a_cmake_project_finds_the_package_shared_and_static() {
    require_tool("cmake", &["--version"], "apt-get install cmake");
    if std::env::var_os("CMAKE_GENERATOR").is_none() {
        require_tool(
            "make",
            &["--version"],
            "apt-get install make (CMake's default generator)",
        );
    }
    require_tool("cc", &["--version"], "apt-get install gcc");
    require_tool("c++", &["--version"], "apt-get install g++");
    // Staged with DESTDIR under a multiarch libdir, as a distribution package would: the CMake
    // package finds its files relative to itself, so the staged tree works where it is.
    let arch = String::from_utf8(
        Command::new("cc")
            .arg("-dumpmachine")
            .output()
            .expect("cc -dumpmachine")
            .stdout,
    )
    .expect("UTF-8")
    .trim()
    .to_string();
    let inst = install("/opt/sendsecure", &format!("lib/{arch}"), true);
    let dir = inst.dir.path();
    let source = manifest_dir().join("tests/consumer");

    let configure = |build_dir: &Path, version: &str| {
        let mut cmake = Command::new("cmake");
        cmake
            .arg("-S")
            .arg(&source)
            .arg("-B")
            .arg(build_dir)
            .arg(format!("-DCMAKE_PREFIX_PATH={}", inst.root.display()))
            .arg(format!("-DSS_FIND_VERSION={version}"))
            .arg("-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF")
            .arg("-DCMAKE_C_FLAGS=-Wall -Wextra -Werror")
            .arg("-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror");
        run(
            cmake,
            Duration::from_secs(300),
            &dir.join(format!("configure-{}", version.replace('.', "_"))),
        )
    };

    let build_dir = dir.join("build");
    let out = configure(&build_dir, &plain_version());
    assert!(
        out.status.success(),
        "cmake configure failed:\n{}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stdout.contains(&format!(
            "found sendsecure {VERSION} in {}",
            inst.root.join("include").display()
        )),
        "{}",
        out.stdout
    );
    let mut cmake = Command::new("cmake");
    cmake.arg("--build").arg(&build_dir);
    build(cmake, &dir.join("cmake-build"));

    let shared = build_dir.join("app_shared");
    let (needed, _) = dynamic_section(&shared);
    assert!(needed.contains(&soname()), "app_shared needs {needed:?}");
    run_consumer(&shared, &[], &format!("consumer ok {VERSION} "));
    let fixed = build_dir.join("app_static");
    let (needed, _) = dynamic_section(&fixed);
    assert!(
        !needed.iter().any(|n| n.starts_with("libsendsecure")),
        "app_static needs {needed:?}"
    );
    run_consumer(&fixed, &[], &format!("consumer ok {VERSION} "));
    run_consumer(
        &build_dir.join("app_cpp"),
        &[],
        &format!("consumer++ ok {VERSION} Default"),
    );

    // The version check: same ABI (0.MINOR before 1.0, else MAJOR) and not newer than this.
    let major: u64 = env!("CARGO_PKG_VERSION_MAJOR").parse().expect("major");
    let minor: u64 = env!("CARGO_PKG_VERSION_MINOR").parse().expect("minor");
    let accepted = [format!("{major}.{minor}"), format!("{major}")];
    let refused = [
        format!("{}.0", major + 1),
        format!("{major}.{}", minor + 1),
        if major == 0 && minor > 0 {
            format!("0.{}", minor - 1)
        } else {
            format!("{}.0", major + 2)
        },
    ];
    for (i, version) in accepted.iter().enumerate() {
        if major == 0 && version == "0" && minor > 0 {
            continue; // "0" means 0.0, another ABI before 1.0
        }
        let out = configure(&dir.join(format!("ok-{i}")), version);
        assert!(
            out.status.success(),
            "find_package(sendsecure {version}) refused {VERSION}:\n{}",
            out.stderr
        );
    }
    for (i, version) in refused.iter().enumerate() {
        let out = configure(&dir.join(format!("refused-{i}")), version);
        assert!(
            !out.status.success() && out.stderr.contains("sendsecure"),
            "find_package(sendsecure {version}) accepted {VERSION}:\n{}",
            out.stdout
        );
    }
}

/// The sanitizers' settings for the C++ programs: leaks and undefined behaviour fail the run.
fn sanitizer_env(command: &mut Command) {
    command
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1",
        )
        .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        .env("LSAN_OPTIONS", "")
        .env_remove("LD_PRELOAD");
}

/// Compiles a C++ program against the installation, as C++17 with warnings as errors, under
/// AddressSanitizer and UndefinedBehaviorSanitizer, linked with the shared library.
fn build_cpp(inst: &Installed, source: &Path) -> PathBuf {
    let name = source
        .file_stem()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let exe = inst.dir.path().join(&name);
    let mut cxx = Command::new("c++");
    cxx.args([
        "-std=c++17",
        "-Wall",
        "-Wextra",
        "-Wpedantic",
        "-Werror",
        "-g",
        "-O1",
        "-fno-omit-frame-pointer",
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",
    ])
    .arg(format!("-I{}", inst.root.join("include").display()))
    .arg(source)
    .arg("-o")
    .arg(&exe)
    .arg(format!("-L{}", inst.libdir.display()))
    .arg("-lsendsecure")
    .arg(format!("-Wl,-rpath,{}", inst.libdir.display()));
    build(cxx, &inst.dir.path().join(format!("cxx-{name}")));
    exe
}

/// `dir/*.cpp` whose names start with `prefix`, sorted.
fn cpp_sources(dir: &str, prefix: &str) -> Vec<PathBuf> {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".cpp")
        })
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no {dir}/{prefix}*.cpp");
    sources
}

#[test]
fn cpp_tests_pass_under_address_and_undefined_behavior_sanitizers() {
    require_tool("c++", &["--version"], "apt-get install g++");
    let inst = install_default();
    for source in cpp_sources("tests/cpp", "test_") {
        let exe = build_cpp(&inst, &source);
        if exe.ends_with("test_wrapper") {
            leak_check_control(&exe);
        }
        let emu = Emulator::demo();
        let sendsafely = Emulator::sendsafely();
        let files = inst.dir.path().join(format!(
            "files-{}",
            exe.file_name().expect("name").to_string_lossy()
        ));
        std::fs::create_dir_all(&files).expect("files dir");
        let mut command = Command::new(&exe);
        command
            .env("SS_TEST_URL", &emu.url)
            .env("SS_TEST_SENDSAFELY_URL", &sendsafely.url)
            .env("SS_TEST_TMPDIR", &files);
        // RECEIVE
        command.envs(sendsafely_seed::seed_packages(&sendsafely.url));
        sanitizer_env(&mut command);
        let out = run(
            command,
            Duration::from_secs(600),
            &exe.with_extension("run"),
        );
        let name = exe.file_name().expect("name").to_string_lossy().to_string();
        eprintln!(
            "---- {name} (stdout) ----\n{}---- {name} (stderr) ----\n{}",
            out.stdout, out.stderr
        );
        assert!(
            !out.stderr.contains("Sanitizer"),
            "{name}: the sanitizers reported errors (above)"
        );
        let summary = out
            .stdout
            .lines()
            .rev()
            .find(|l| l.ends_with(" failed"))
            .unwrap_or_else(|| panic!("{name} printed no `N passed, M failed` line"));
        let counts: Vec<u32> = summary
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("count"))
            .collect();
        assert_eq!(counts.len(), 2, "unexpected summary `{summary}`");
        assert!(counts[0] > 50, "{name}: too few checks ran: `{summary}`");
        assert_eq!(counts[1], 0, "{name}: `{summary}` (FAILED lines above)");
        assert!(out.status.success(), "{name} exited with {}", out.status);
    }
}

/// The control of the leak check: a handle leaked on purpose (`test_wrapper
/// --leak-on-purpose`) is reported, so a clean run means every handle was freed.
fn leak_check_control(exe: &Path) {
    let emu = Emulator::demo();
    let mut command = Command::new(exe);
    command
        .arg("--leak-on-purpose")
        .env("SS_TEST_URL", &emu.url);
    sanitizer_env(&mut command);
    let out = run(
        command,
        Duration::from_secs(120),
        &exe.with_extension("leak"),
    );
    assert!(
        out.stdout.contains("leaked 0x"),
        "the program did not run:\n{}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        !out.status.success() && out.stderr.contains("LeakSanitizer: detected memory leaks"),
        "a leaked ss_safebox_info went unreported (exit {}): LeakSanitizer does not work here\n{}",
        out.status,
        out.stderr
    );
}

#[test]
fn the_cpp_example_submits_a_safebox() {
    require_tool("c++", &["--version"], "apt-get install g++");
    let inst = install_default();
    // Every example compiles cleanly; submit_safebox runs.
    let built: Vec<PathBuf> = cpp_sources("examples/cpp", "")
        .iter()
        .map(|source| build_cpp(&inst, source))
        .collect();
    let exe = built
        .iter()
        .find(|exe| exe.ends_with("submit_safebox"))
        .expect("examples/cpp/submit_safebox.cpp");
    {
        let emu = Emulator::demo();
        let scan = inst.dir.path().join("scan.pdf");
        let notes = inst.dir.path().join("notes.txt");
        std::fs::write(&scan, vec![7u8; 700 * 1024]).expect("scan.pdf");
        std::fs::write(&notes, "Quarterly figures\n").expect("notes.txt");
        let mut command = Command::new(exe);
        command.arg(&scan).arg(&notes).env("SS_ENDPOINT", &emu.url);
        for var in [
            "SS_ACCOUNT",
            "SS_USERNAME",
            "SS_PASSWORD",
            "SS_OTP",
            "SS_USER_EMAIL",
            "SS_RECIPIENT",
            "SS_RECIPIENT_PHONE",
        ] {
            command.env_remove(var);
        }
        sanitizer_env(&mut command);
        let out = run(
            command,
            Duration::from_secs(120),
            &exe.with_extension("run"),
        );
        assert!(
            out.status.success() && !out.stderr.contains("Sanitizer"),
            "submit_safebox exited with {}:\n{}{}",
            out.status,
            out.stdout,
            out.stderr
        );
        let guid = out
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("SafeBox GUID: "))
            .unwrap_or_else(|| panic!("no GUID in:\n{}", out.stdout));
        assert_eq!(guid.len(), 32, "{guid}");
        assert!(out.stdout.contains("Preview URL: http"), "{}", out.stdout);
        // The progress bar reached 100%, over both files.
        assert!(
            out.stderr.contains("100%") && out.stderr.contains("of 2)"),
            "{}",
            out.stderr
        );

        // A failure is reported with the server's answer.
        let mut command = Command::new(exe);
        command
            .arg(&notes)
            .env("SS_ENDPOINT", &emu.url)
            .env("SS_USER_EMAIL", "bob@acme.example");
        sanitizer_env(&mut command);
        let out = run(
            command,
            Duration::from_secs(120),
            &exe.with_extension("refused"),
        );
        assert_eq!(out.status.code(), Some(1), "{}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("HTTP 403"), "{}", out.stderr);
    }
}
