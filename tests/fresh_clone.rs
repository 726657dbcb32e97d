//! What a fresh clone promises: the README's test command sets up the tools it needs or names
//! them before building anything (`scripts/require.sh`), and nothing of the project reads files
//! outside its repository (a clone with nothing beside it passes its tests).

#[path = "support/tools.rs"]
mod tools;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

/// A `PATH` holding every tool of this machine's `PATH` but `left_out` and apt-get, as a
/// machine without them (and without the means to install them) has.
fn path_without(left_out: &str, dir: &Path) -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    for entry in std::env::split_paths(&path) {
        let Ok(programs) = std::fs::read_dir(&entry) else {
            continue;
        };
        for program in programs.flatten() {
            let name = program.file_name();
            let skip = name == left_out || name.to_string_lossy().starts_with("apt");
            if !skip && !dir.join(&name).exists() {
                symlink(program.path(), dir.join(&name)).unwrap();
            }
        }
    }
    dir.display().to_string()
}

#[test]
fn a_missing_tool_that_cannot_be_installed_is_named_with_its_install_command() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new("bash")
        .arg(tools::manifest_dir().join("scripts/require.sh"))
        .env("PATH", path_without("cmake", dir.path()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(
        lines[0].starts_with("missing: cmake;") && lines[0].ends_with("sudo apt-get install cmake"),
        "{stderr}"
    );
}

#[test]
fn the_test_command_checks_the_tools_before_it_builds() {
    let script = std::fs::read_to_string(tools::manifest_dir().join("scripts/test.sh")).unwrap();
    let commands: Vec<&str> = script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let require = commands.iter().position(|l| *l == "./scripts/require.sh");
    let build = commands.iter().position(|l| l.starts_with("cargo "));
    assert!(
        matches!((require, build), (Some(r), Some(b)) if r < b),
        "scripts/test.sh must run ./scripts/require.sh before cargo"
    );
}

/// Every tracked source, script and build file, searched for a path into the folder beside the
/// repository where the spec lives on the developers' machines (and nowhere on a user's). The
/// patterns are assembled so that this file does not hold them itself.
#[test]
fn nothing_reads_outside_the_repository() {
    let root = tools::manifest_dir();
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(listed.status.success(), "git ls-files failed");
    let code = [
        "rs", "c", "h", "hpp", "cpp", "py", "sh", "toml", "txt", "cmake", "in", "run",
    ];
    let outside = ["..", "shared"].join("/");
    let spec = ["", "shared", "spec"].join("/");
    let mut offenders = Vec::new();
    for name in listed.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let extension = Path::new(&name)
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !code.contains(&extension.as_str()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&name)) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.contains(&outside) || line.contains(&spec) {
                offenders.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
