//! Test support for the tests that build and run programs: running commands with a time limit
//! and their output in files, compiler and linker calls, the built libraries of the target
//! directory, and checks that the tools a test needs are installed.
//!
//! Include it with `#[path = "support/tools.rs"] mod tools;` next to `mod support;`.
#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The repository root.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The target directory (`target`, or `$CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                manifest_dir().join(dir)
            }
        }
        None => manifest_dir().join("target"),
    }
}

/// `target/debug`, checked to hold both C libraries built from the current sources:
/// `cargo test` builds the library as an rlib only, so they come from `cargo build`.
pub fn library_dir() -> PathBuf {
    let dir = target_dir().join("debug");
    let newest_source = newest_modification(&manifest_dir().join("src"))
        .max(newest_modification(&manifest_dir().join("build.rs")));
    for name in ["libsendsecure.so", "libsendsecure.a"] {
        let path = dir.join(name);
        assert!(
            path.is_file(),
            "{} is missing: run `cargo build -p sendsecure` first",
            path.display()
        );
        assert!(
            modified(&path) >= newest_source,
            "{} is older than the sources: run `cargo build -p sendsecure` first",
            path.display()
        );
    }
    dir
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The latest modification time of a file or of the files under a directory.
fn newest_modification(path: &Path) -> SystemTime {
    let mut newest = modified(path);
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            newest = newest.max(newest_modification(&entry.path()));
        }
    }
    newest
}

/// A command's outcome.
pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a command to completion (output to `logs`.stdout and .stderr, so that a chatty program
/// cannot block on a full pipe), killing it after `limit`.
pub fn run(mut command: Command, limit: Duration, logs: &Path) -> Output {
    let out_path = logs.with_extension("stdout");
    let err_path = logs.with_extension("stderr");
    command
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("stdout file"))
        .stderr(File::create(&err_path).expect("stderr file"));
    let description = format!("{command:?}");
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {description}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
            let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
            panic!("{description} did not finish within {limit:?}\n{stdout}\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    }
}

/// Runs a command that must succeed (a compiler, a build tool): its failure fails the test with
/// its output. Returns its stdout.
pub fn build(command: Command, logs: &Path) -> String {
    build_within(command, Duration::from_secs(600), logs)
}

/// [`build`], killed after `limit`.
pub fn build_within(command: Command, limit: Duration, logs: &Path) -> String {
    let description = format!("{command:?}");
    let out = run(command, limit, logs);
    assert!(
        out.status.success(),
        "{description} failed ({}):\n{}{}",
        out.status,
        out.stdout,
        out.stderr
    );
    out.stdout
}

/// Fails the test with a clear message when `program` cannot run (`program args` must succeed);
/// `install` says how to get it.
pub fn require_tool(program: &str, args: &[&str], install: &str) {
    let ok = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "`{program}` is not installed or does not work (needed by this test; CI installs it): \
         {install}"
    );
}
