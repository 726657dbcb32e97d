//! The C examples of `examples/c`, built as the README tells a user to (`-std=c11 -Wall -Wextra
//! -Werror`, linked to the shared library) and run against the emulator. What each prints is
//! checked against the server's own record (the emulator's control API): the SafeBox, its
//! documents' names and SHA-256, its status, and the files the examples saved.
//!
//! Needs a C compiler and the C libraries of `cargo build -p sendsecure` (as tests/c_api.rs).

mod sendsafely_sender;
mod support;
#[path = "support/tools.rs"]
mod tools;
// RECEIVE: the package sendsafely_download downloads.
#[path = "support/sendsafely_seed.rs"]
mod sendsafely_seed;

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::Emulator;
use tools::{build, library_dir, manifest_dir, require_tool, run, Output};

/// The examples, built once per test into `dir`.
struct Examples {
    dir: PathBuf,
}

impl Examples {
    fn build(dir: &Path) -> Examples {
        require_tool("cc", &["--version"], "apt-get install gcc");
        let lib = library_dir();
        let root = manifest_dir();
        for name in [
            "get_user_token",
            "submit_safebox",
            "follow_safebox",
            "sendsafely_send",
            // RECEIVE
            "sendsafely_download",
        ] {
            let mut cc = Command::new("cc");
            cc.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
                .arg(root.join("include"))
                .arg(root.join("examples/c").join(format!("{name}.c")))
                .arg("-o")
                .arg(dir.join(name))
                .arg("-L")
                .arg(&lib)
                .arg("-lsendsecure")
                .arg(format!("-Wl,-rpath,{}", lib.display()));
            build(cc, &dir.join(format!("cc-{name}")));
        }
        Examples {
            dir: dir.to_path_buf(),
        }
    }

    /// Runs example `name` with `args` against `emu` (SS_ENDPOINT; the demo account's defaults
    /// for the rest, as a user trying the examples would).
    fn run(&self, name: &str, emu: &Emulator, args: &[&Path], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(self.dir.join(name));
        command.args(args).env("SS_ENDPOINT", &emu.url);
        for (key, value) in env {
            command.env(key, value);
        }
        run(
            command,
            Duration::from_secs(120),
            &self.dir.join(format!("run-{name}")),
        )
    }
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The value after `prefix` on the first line of `text` that starts with it.
fn after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|line| line.strip_prefix(prefix))
        .map(str::trim)
}

/// The emulator's record of one SafeBox.
fn record(emu: &Emulator, guid: &str) -> Value {
    emu.control_blocking("GET", &format!("safeboxes/{guid}"), None)
}

/// Every file an example said it saved ("saved PATH"), with its SHA-256.
fn saved_files(stdout: &str) -> Vec<(PathBuf, String)> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("saved "))
        .map(|path| {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("saved file {path}: {e}"));
            (PathBuf::from(path), sha256_hex(&data))
        })
        .collect()
}

/// Checks that `saved` holds exactly the documents of the SafeBox `guid`, byte for byte.
fn check_saved_documents(emu: &Emulator, guid: &str, saved: &[(PathBuf, String)]) {
    let documents = record(emu, guid)["documents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(saved.len(), documents.len(), "one saved file per document");
    for document in &documents {
        let name = document["name"].as_str().unwrap();
        let (path, sha) = saved
            .iter()
            .find(|(path, _)| path.file_name().and_then(|n| n.to_str()) == Some(name))
            .unwrap_or_else(|| panic!("{name} was not saved: {saved:?}"));
        assert_eq!(
            Some(sha.as_str()),
            document["sha256"].as_str(),
            "{} differs from the stored document",
            path.display()
        );
        assert!(
            !path.with_extension("part").exists(),
            "no partial file is left"
        );
    }
}

#[test]
fn get_user_token_prints_the_token_and_explains_a_refusal() {
    let work = tempfile::tempdir().unwrap();
    let examples = Examples::build(work.path());
    let emu = Emulator::demo();

    let out = examples.run("get_user_token", &emu, &[], &[]);
    assert!(out.status.success(), "{}{}", out.stdout, out.stderr);
    let token = after(&out.stdout, "token:").expect("a token line");
    assert!(token.starts_with("USER|") && token.len() > 10, "{token}");
    assert_eq!(after(&out.stdout, "user id:"), Some("1"), "{}", out.stdout);

    // A wrong password: a failure exit, SendSecure's code and the library's message.
    let out = examples.run(
        "get_user_token",
        &emu,
        &[],
        &[("SS_PASSWORD", "not-the-password")],
    );
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains("login refused, SendSecure code 102"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("not-the-password"), "{}", out.stderr);

    // Nothing listening: a failure exit with a connection error, not a crash.
    let out = {
        let gone = Emulator::demo();
        let url = gone.url.clone();
        drop(gone);
        let mut command = Command::new(work.path().join("get_user_token"));
        command.arg(&url);
        run(
            command,
            Duration::from_secs(120),
            &work.path().join("run-unreachable"),
        )
    };
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("connection"), "{}", out.stderr);
}

#[test]
fn submit_then_follow_a_safebox_as_the_readme_shows() {
    let work = tempfile::tempdir().unwrap();
    let examples = Examples::build(work.path());
    let emu = Emulator::demo();

    // submit_safebox: two files, one with a non-ASCII name, one empty.
    let files = [
        (
            "relevé de compte.pdf",
            (0..300_000u32)
                .map(|i| (i * 7 % 251) as u8)
                .collect::<Vec<u8>>(),
        ),
        ("empty.txt", Vec::new()),
    ];
    let mut paths = vec![];
    for (name, data) in &files {
        let path = work.path().join(name);
        std::fs::write(&path, data).unwrap();
        paths.push(path);
    }
    let args: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let out = examples.run("submit_safebox", &emu, &args, &[]);
    assert!(out.status.success(), "{}{}", out.stdout, out.stderr);
    let guid = after(&out.stdout, "SafeBox GUID:")
        .expect("the GUID is printed")
        .to_string();
    assert!(
        after(&out.stdout, "Preview URL:").is_some_and(|u| u.starts_with("http")),
        "{}",
        out.stdout
    );
    let submitted = record(&emu, &guid);
    assert_eq!(submitted["status"], "in_progress");
    let documents = submitted["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2);
    for (name, data) in &files {
        let stored = documents
            .iter()
            .find(|d| d["name"] == *name)
            .unwrap_or_else(|| panic!("{name} stored: {documents:?}"));
        assert_eq!(stored["sha256"].as_str(), Some(sha256_hex(data).as_str()));
        assert_eq!(stored["size"].as_u64(), Some(data.len() as u64));
    }

    // follow_safebox: finds that open SafeBox, replies with an attachment, saves every
    // document, closes it.
    let downloads = work.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let out = examples.run("follow_safebox", &emu, &[&downloads], &[]);
    assert!(out.status.success(), "{}{}", out.stdout, out.stderr);
    assert_eq!(
        after(&out.stdout, "1 open SafeBox(es)"),
        Some(""),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("created SafeBox"), "{}", out.stdout);
    assert_eq!(
        after(&out.stdout, "replied to"),
        Some(guid.as_str()),
        "{}",
        out.stdout
    );
    assert_eq!(after(&out.stdout, "closed SafeBox"), Some(guid.as_str()));
    let followed = record(&emu, &guid);
    assert_eq!(followed["status"], "closed");
    assert_eq!(
        followed["message_count"], 2,
        "the first message and the reply"
    );
    let saved = saved_files(&out.stdout);
    assert_eq!(saved.len(), 3, "two attachments and the reply's: {saved:?}");
    check_saved_documents(&emu, &guid, &saved);
    assert!(
        out.stderr.contains("100%"),
        "a progress bar was drawn: {}",
        out.stderr
    );

    // Again: no open SafeBox is left, so it creates one and follows it the same way.
    let again = work.path().join("again");
    std::fs::create_dir(&again).unwrap();
    let out = examples.run("follow_safebox", &emu, &[&again], &[]);
    assert!(out.status.success(), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.starts_with("0 open SafeBox(es)"),
        "{}",
        out.stdout
    );
    let created = after(&out.stdout, "created SafeBox")
        .expect("a SafeBox is created")
        .to_string();
    assert_ne!(created, guid);
    assert_eq!(after(&out.stdout, "closed SafeBox"), Some(created.as_str()));
    assert_eq!(record(&emu, &created)["status"], "closed");
    check_saved_documents(&emu, &created, &saved_files(&out.stdout));

    // A file that does not exist: the example fails with the library's message naming it, and
    // no SafeBox is created.
    let count = || {
        emu.control_blocking("GET", "safeboxes", None)["safeboxes"]
            .as_array()
            .map(Vec::len)
    };
    let before = count();
    let missing = work.path().join("no-such-file.pdf");
    let out = examples.run("submit_safebox", &emu, &[&missing], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no-such-file.pdf failed: file input/output error")
            && out.stderr.contains("No such file or directory"),
        "{}",
        out.stderr
    );
    assert_eq!(count(), before);
}

/// sendsafely_send: two files (one of two segments, one empty) to a recipient with a message;
/// the link it prints opens with the library's Rust API, as the recipient, and every file
/// decrypts to the bytes sent.
#[test]
fn sendsafely_send_prints_a_link_that_opens_and_decrypts() {
    use sendsecure::sendsafely::client::{Client, ClientOptions};
    use sendsecure::sendsafely::link::SecureLink;
    let work = tempfile::tempdir().unwrap();
    let examples = Examples::build(work.path());
    let emu = Emulator::sendsafely();
    let files = [
        (
            "quarterly report.pdf",
            (0..2_700_000u32)
                .map(|i| (i * 13 % 251) as u8)
                .collect::<Vec<u8>>(),
        ),
        ("empty.txt", Vec::new()),
    ];
    let sent = work.path().join("sent");
    std::fs::create_dir(&sent).unwrap();
    let mut args: Vec<PathBuf> = ["-r", "bob@acme.example", "-m", "The figures."]
        .iter()
        .map(PathBuf::from)
        .collect();
    for (name, data) in &files {
        let path = sent.join(name);
        std::fs::write(&path, data).unwrap();
        args.push(path);
    }
    let args: Vec<&Path> = args.iter().map(PathBuf::as_path).collect();
    let out = examples.run(
        "sendsafely_send",
        &emu,
        &args,
        &[("SS_SENDSAFELY_HOST", emu.url.as_str())],
    );
    assert!(out.status.success(), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("100%"),
        "a progress bar was drawn: {}",
        out.stderr
    );
    let link = out.stdout.trim();
    assert!(link.contains("#keyCode="), "{link}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let bob = Client::new(
            &emu.url,
            "bob-api-key",
            "bob-api-secret",
            ClientOptions::default(),
        )
        .unwrap();
        let received = bob
            .open_link(&SecureLink::parse(link).unwrap())
            .await
            .unwrap();
        assert!(received
            .info
            .recipients
            .iter()
            .any(|r| r.email == "bob@acme.example"));
        let downloads = work.path().join("received");
        std::fs::create_dir(&downloads).unwrap();
        let got = bob
            .download_package(&received, &downloads, None)
            .await
            .unwrap();
        assert_eq!(got.message.as_str(), "The figures.");
        assert_eq!(got.files.len(), files.len());
        for (name, data) in &files {
            let path = downloads.join(name);
            let read = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(sha256_hex(&read), sha256_hex(data), "{name}");
        }
    });
    let journal = emu.control_blocking("GET", "requests", None);
    let text = journal.to_string();
    assert!(
        !text.contains("demo-api-secret"),
        "the secret is never sent"
    );
}

// RECEIVE: sendsafely_download on a package sent first.
#[test]
fn sendsafely_download_writes_every_file_of_a_link_and_prints_the_message() {
    let work = tempfile::tempdir().unwrap();
    let examples = Examples::build(work.path());
    let emu = Emulator::sendsafely();
    let seeded: std::collections::HashMap<_, _> = sendsafely_seed::seed_packages(&emu.url)
        .into_iter()
        .collect();
    let host = [("SS_SENDSAFELY_HOST", emu.url.as_str())];
    let dir = work.path().join("received");
    std::fs::create_dir(&dir).unwrap();
    let link = Path::new(&seeded["SS_TEST_SS_LINK"]);
    let out = examples.run("sendsafely_download", &emu, &[link, &dir], &host);
    assert!(out.status.success(), "{}{}", out.stdout, out.stderr);
    let saved = saved_files(&out.stdout);
    let want: Vec<(PathBuf, String)> = [("report.pdf", 0), (".._notes_1.txt", 1)]
        .iter()
        .map(|(name, i)| {
            let (_, size, seed) = sendsafely_seed::FULL_FILES[*i];
            (
                dir.join(name),
                sha256_hex(&sendsafely_seed::content(size, seed)),
            )
        })
        .collect();
    assert_eq!(saved, want, "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("message:\n{}", sendsafely_seed::MESSAGE)),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("file 2/2"), "progress: {}", out.stderr);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "no partial file"
    );

    // An altered segment: a failure exit, the library's reason, no file written.
    let dir = work.path().join("tampered");
    std::fs::create_dir(&dir).unwrap();
    let link = Path::new(&seeded["SS_TEST_SS_TAMPERED_LINK"]);
    let out = examples.run("sendsafely_download", &emu, &[link, &dir], &host);
    assert_eq!(out.status.code(), Some(1), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("decryption failed (18)"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}
