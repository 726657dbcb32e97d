//! The C API from C: every `tests/c/test_*.c` program compiled with `-Wall -Wextra -Werror`
//! against the committed `include/sendsecure.h`, linked against the shared and the static
//! library, run against its own emulator, and run under valgrind (no definite leaks, no invalid
//! reads or writes). The same sources also compile and link as C++17, which proves the header is
//! C++-compatible. Between them the programs must call every function of the header.
//!
//! The libraries come from the target directory: run `cargo build -p sendsecure` first (CI does).
//! valgrind must be installed (CI installs it); without it the valgrind test fails.

mod sendsafely_sender;
mod support;
#[path = "support/tools.rs"]
mod tools;
// RECEIVE: the packages test_sendsafely_receive reads.
#[path = "support/sendsafely_seed.rs"]
mod sendsafely_seed;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use support::Emulator;
use tools::{library_dir, manifest_dir, run};

/// The C test programs: `tests/c/test_*.c`, sorted.
fn sources() -> Vec<PathBuf> {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("tests/c"))
        .expect("tests/c")
        .map(|e| e.expect("tests/c entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("test_") && name.ends_with(".c")
        })
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no tests/c/test_*.c");
    sources
}

/// A C test program's name: its file name without `.c`.
fn program(source: &Path) -> String {
    source
        .file_stem()
        .expect("source name")
        .to_string_lossy()
        .into_owned()
}

/// Runs a compiler or linker; its failure fails the test with the diagnostics.
fn build(command: Command, logs: &Path) {
    tools::build_within(command, Duration::from_secs(300), logs);
}

fn compiler(name: &str) -> Command {
    let mut command = Command::new(name);
    command.current_dir(manifest_dir()).args([
        "-Wall",
        "-Wextra",
        "-Werror",
        "-g",
        "-Iinclude",
        "-Itests/c",
    ]);
    command
}

/// Compiles a C test program against the shared library (`-lsendsecure`, rpath to it).
fn build_shared(dir: &Path, source: &Path) -> PathBuf {
    let libs = library_dir();
    let exe = dir.join(format!("{}_shared", program(source)));
    let mut cc = compiler("cc");
    cc.arg("-std=c11")
        .arg(source)
        .arg("-o")
        .arg(&exe)
        .arg(format!("-L{}", libs.display()))
        .arg("-lsendsecure")
        .arg(format!("-Wl,-rpath,{}", libs.display()))
        .arg("-lpthread");
    build(cc, &dir.join(format!("cc-shared-{}", program(source))));
    exe
}

/// Compiles a C test program against the static library.
fn build_static(dir: &Path, source: &Path) -> PathBuf {
    let libs = library_dir();
    let exe = dir.join(format!("{}_static", program(source)));
    let mut cc = compiler("cc");
    cc.arg("-std=c11")
        .arg(source)
        .arg(libs.join("libsendsecure.a"))
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe);
    build(cc, &dir.join(format!("cc-static-{}", program(source))));
    exe
}

/// HTTPS emulators for `test_security`'s checks of `SS_ERR_TLS`: one with a certificate for
/// 127.0.0.1 signed by a test authority, one that also requires client certificates of another
/// test authority; and the files the program needs (the server authority, a client certificate
/// and key).
struct TlsEmulators {
    tls: Emulator,
    mtls: Emulator,
    ca: PathBuf,
    client_cert: PathBuf,
    client_key: PathBuf,
}

impl TlsEmulators {
    fn start(dir: &Path) -> TlsEmulators {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        };
        let authority = |name: &str| {
            let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.distinguished_name.push(DnType::CommonName, name);
            let key = KeyPair::generate().expect("CA key");
            let cert = params.self_signed(&key).expect("CA certificate");
            (cert, key)
        };
        let issue = |ca: &(rcgen::Certificate, KeyPair), name: &str, usage| {
            let mut params = CertificateParams::new(vec![name.to_string()]).expect("params");
            params.distinguished_name.push(DnType::CommonName, name);
            params.extended_key_usages = vec![usage];
            let key = KeyPair::generate().expect("key");
            let cert = params.signed_by(&key, &ca.0, &ca.1).expect("certificate");
            (cert.pem(), key.serialize_pem())
        };
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write PEM");
            path
        };
        let server_ca = authority("libsendsecure C tests server CA");
        let client_ca = authority("libsendsecure C tests client CA");
        let (server_cert, server_key) =
            issue(&server_ca, "127.0.0.1", ExtendedKeyUsagePurpose::ServerAuth);
        let (client_cert, client_key) = issue(
            &client_ca,
            "c-tests.example",
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        let ca = write("tls-server-ca.pem", &server_ca.0.pem());
        let server_cert = write("tls-server.pem", &server_cert);
        let server_key = write("tls-server-key.pem", &server_key);
        let client_ca = write("tls-client-ca.pem", &client_ca.0.pem());
        let client_cert = write("tls-client.pem", &client_cert);
        let client_key = write("tls-client-key.pem", &client_key);
        let options = |client_ca: Option<PathBuf>| {
            let mut options = sendsecure_emulator::ServerOptions::local_demo();
            options.core.tls = Some((server_cert.clone(), server_key.clone()));
            options.core.tls_client_ca = client_ca;
            options
        };
        TlsEmulators {
            tls: Emulator::with_options(options(None)),
            mtls: Emulator::with_options(options(Some(client_ca))),
            ca,
            client_cert,
            client_key,
        }
    }

    fn set_env(&self, command: &mut Command) {
        command
            .env("SS_TEST_TLS_URL", &self.tls.url)
            .env("SS_TEST_TLS_CA", &self.ca)
            .env("SS_TEST_MTLS_URL", &self.mtls.url)
            .env("SS_TEST_CLIENT_CERT", &self.client_cert)
            .env("SS_TEST_CLIENT_KEY", &self.client_key);
    }
}

/// Runs a built C test program (optionally under `wrapper`) against a fresh emulator (and, for
/// `test_security`, HTTPS ones), prints its output, and checks it reports `N passed, 0 failed`
/// and exits 0.
fn run_c_tests(exe: &Path, wrapper: &[&str], limit: Duration) -> String {
    run_c_tests_with(exe, wrapper, limit, &[])
}

/// [`run_c_tests`] with extra environment variables.
fn run_c_tests_with(exe: &Path, wrapper: &[&str], limit: Duration, env: &[(&str, &str)]) -> String {
    let emu = Emulator::demo();
    let sendsafely = Emulator::sendsafely();
    let dir = exe.parent().expect("exe dir");
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    command
        .env("SS_TEST_URL", &emu.url)
        .env("SS_TEST_SENDSAFELY_URL", &sendsafely.url)
        .env("SS_TEST_TMPDIR", dir)
        .env_remove("SS_TEST_VERBOSE")
        .envs(env.iter().copied());
    let name = exe
        .file_name()
        .expect("exe name")
        .to_string_lossy()
        .to_string();
    // RECEIVE: packages sent before the receive tests run.
    if name.starts_with("test_sendsafely_receive") {
        command.envs(sendsafely_seed::seed_packages(&sendsafely.url));
    }
    // HTTPS emulators for test_security, except under valgrind: memcheck cannot follow the
    // assembly of ring's AES-GCM (it reports the encrypted records as uninitialised); the TLS
    // checks run in the other runs, ASan's included.
    let tls_dir = tempfile::tempdir().expect("temp dir");
    let under_valgrind = wrapper.first() == Some(&"valgrind");
    let tls = (name.starts_with("test_security") && !under_valgrind).then(|| {
        let tls = TlsEmulators::start(tls_dir.path());
        tls.set_env(&mut command);
        tls
    });
    let tools::Output {
        status,
        stdout,
        stderr,
    } = run(command, limit, &dir.join(format!("run-{name}")));
    eprintln!("---- {name} (stdout) ----\n{stdout}---- {name} (stderr) ----\n{stderr}");
    let summary = stdout
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
    assert!(counts[0] > 20, "{name}: too few checks ran: `{summary}`");
    assert_eq!(
        counts[1], 0,
        "{name}: `{summary}` (see the FAILED lines above)"
    );
    assert!(status.success(), "{name} exited with {status}");
    assert!(
        tls.is_none() || !stdout.contains("TLS checks skipped"),
        "{name} skipped its TLS checks"
    );
    stderr
}

#[test]
fn c_tests_pass_against_the_shared_library() {
    let dir = tempfile::tempdir().expect("temp dir");
    for source in sources() {
        let exe = build_shared(dir.path(), &source);
        run_c_tests(&exe, &[], Duration::from_secs(300));
    }
}

#[test]
fn c_tests_pass_against_the_static_library() {
    let dir = tempfile::tempdir().expect("temp dir");
    for source in sources() {
        let exe = build_static(dir.path(), &source);
        run_c_tests(&exe, &[], Duration::from_secs(300));
    }
}

#[test]
fn c_tests_are_clean_under_valgrind() {
    let version = Command::new("valgrind").arg("--version").output();
    assert!(
        matches!(&version, Ok(o) if o.status.success()),
        "valgrind is not installed (e.g. `apt-get install valgrind`): the C tests must run under \
         it, as in CI"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    for source in sources() {
        let exe = build_shared(dir.path(), &source);
        let stderr = run_c_tests(
            &exe,
            &[
                "valgrind",
                "--error-exitcode=99",
                "--leak-check=full",
                "--errors-for-leak-kinds=definite",
                "--show-leak-kinds=definite",
            ],
            Duration::from_secs(900),
        );
        // Exit status 0 already means no memcheck error and no definite leak; say so in the log.
        assert!(
            stderr.contains("ERROR SUMMARY: 0 errors"),
            "valgrind reported errors in {}",
            program(&source)
        );
    }
}

/// Compiles a C test program against the shared library under AddressSanitizer (with
/// LeakSanitizer) and UndefinedBehaviorSanitizer: any error stops it.
fn build_sanitized(dir: &Path, source: &Path) -> PathBuf {
    let libs = library_dir();
    let exe = dir.join(format!("{}_asan", program(source)));
    let mut cc = compiler("cc");
    cc.args([
        "-std=c11",
        "-O1",
        "-fno-omit-frame-pointer",
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",
    ])
    .arg(source)
    .arg("-o")
    .arg(&exe)
    .arg(format!("-L{}", libs.display()))
    .arg("-lsendsecure")
    .arg(format!("-Wl,-rpath,{}", libs.display()))
    .arg("-lpthread");
    build(cc, &dir.join(format!("cc-asan-{}", program(source))));
    exe
}

/// Every C test program (each passes every pointer argument of every function as NULL and
/// every string as invalid UTF-8, besides its normal calls) under AddressSanitizer,
/// LeakSanitizer and UndefinedBehaviorSanitizer: no invalid access, no leak, no undefined
/// behaviour, in the programs or at the C boundary. The library itself is not instrumented,
/// but its allocations go through ASan's allocator, so a leak or a double free of a handle
/// shows; no suppression is needed (the library's runtime threads keep their memory
/// reachable).
/// The sanitizer options of the C test programs: any error ends the program with a failure.
const SANITIZER_ENV: [(&str, &str); 3] = [
    (
        "ASAN_OPTIONS",
        "detect_leaks=1:halt_on_error=1:exitcode=97:check_initialization_order=1:\
         strict_init_order=1:detect_stack_use_after_return=1",
    ),
    ("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1"),
    ("LSAN_OPTIONS", "exitcode=98"),
];

/// A program that misuses the library on purpose: `leak` leaks a SafeBox handle, `double-free`
/// frees one twice. The sanitizers must catch both, inside the (uninstrumented) library too.
const MISUSE_C: &str = r#"#include <stdio.h>
#include <string.h>
#include "sendsecure.h"
int main(int argc, char **argv) {
    ss_safebox *sb = NULL;
    if (argc < 2 || ss_safebox_new("demo@acme.example", &sb) != SS_OK) return 2;
    printf("misuse %s %p\n", argv[1], (void *)sb);
    fflush(stdout);
    if (strcmp(argv[1], "double-free") == 0) {
        ss_safebox_free(sb);
        ss_safebox_free(sb);
    }
    return 0;
}
"#;

/// Checks that the sanitizers work here: a leaked handle and a handle freed twice are reported.
fn sanitizers_catch_misuse(dir: &Path) {
    let source = dir.join("test_misuse.c");
    std::fs::write(&source, MISUSE_C).expect("write misuse program");
    let exe = build_sanitized(dir, &source);
    for (mode, report) in [
        ("leak", "ERROR: LeakSanitizer: detected memory leaks"),
        (
            "double-free",
            "ERROR: AddressSanitizer: attempting double-free",
        ),
    ] {
        let mut command = Command::new(&exe);
        command.arg(mode).envs(SANITIZER_ENV);
        let tools::Output {
            status,
            stdout,
            stderr,
        } = run(
            command,
            Duration::from_secs(60),
            &dir.join(format!("misuse-{mode}")),
        );
        assert!(
            stdout.contains("misuse"),
            "the misuse program did not run:
{stdout}{stderr}"
        );
        assert!(
            !status.success() && stderr.contains(report),
            "{mode} went unreported (exit {status}): the sanitizers do not work here
{stderr}"
        );
    }
}

#[test]
fn c_tests_are_clean_under_address_and_undefined_behavior_sanitizers() {
    let dir = tempfile::tempdir().expect("temp dir");
    sanitizers_catch_misuse(dir.path());
    for source in sources() {
        let exe = build_sanitized(dir.path(), &source);
        let started = Instant::now();
        let stderr = run_c_tests_with(&exe, &[], Duration::from_secs(300), &SANITIZER_ENV);
        let name = program(&source);
        for marker in [
            "ERROR: AddressSanitizer",
            "ERROR: LeakSanitizer",
            "runtime error:",
        ] {
            assert!(
                !stderr.contains(marker),
                "{name}: the sanitizers reported errors (above)"
            );
        }
        eprintln!("{name} under ASan/UBSan: {:?}", started.elapsed());
    }
}

#[test]
fn the_header_compiles_and_links_as_cpp() {
    let dir = tempfile::tempdir().expect("temp dir");
    let libs = library_dir();
    for source in sources() {
        let exe = dir.path().join(format!("{}_cpp", program(&source)));
        let mut cxx = compiler("c++");
        cxx.args(["-x", "c++", "-std=c++17"])
            .arg(&source)
            .args(["-x", "none", "-o"])
            .arg(&exe)
            .arg(format!("-L{}", libs.display()))
            .arg("-lsendsecure")
            .arg(format!("-Wl,-rpath,{}", libs.display()))
            .arg("-lpthread");
        // Linking proves the declarations are `extern "C"` (no mangled names).
        build(cxx, &dir.path().join(format!("cxx-{}", program(&source))));
        assert!(exe.is_file());
    }
}

/// The functions the header declares.
fn header_functions() -> BTreeSet<String> {
    let header = std::fs::read_to_string(manifest_dir().join("include/sendsecure.h"))
        .expect("include/sendsecure.h");
    // Drop comments, then take every `ss_name(`.
    let mut code = String::new();
    let mut rest = header.as_str();
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    code.push_str(rest);
    let code: String = code
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while let Some(pos) = code[i..].find("ss_") {
        let start = i + pos;
        let boundary =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        let after = code[end..].trim_start();
        if boundary && after.starts_with('(') {
            names.insert(code[start..end].to_string());
        }
        i = end.max(start + 3);
    }
    names
}

#[test]
fn the_c_tests_call_every_function_of_the_header() {
    let functions = header_functions();
    assert!(
        functions.len() > 50,
        "parsed too few functions: {functions:?}"
    );
    let source: String = sources()
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("C test source"))
        .collect();
    let missing: Vec<&String> = functions
        .iter()
        .filter(|f| !source.contains(&format!("{f}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "no tests/c/test_*.c calls {missing:?}: every function of include/sendsecure.h must be \
         tested"
    );

    // And the shared library exports exactly those (when binutils' nm is there).
    let so = library_dir().join("libsendsecure.so");
    if let Ok(out) = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&so)
        .output()
    {
        if out.status.success() {
            let exported: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| l.split_whitespace().nth(2))
                .filter(|s| s.starts_with("ss_"))
                .map(str::to_string)
                .collect();
            assert_eq!(
                exported, functions,
                "libsendsecure.so's ss_ symbols differ from include/sendsecure.h's functions"
            );
        }
    }
}
