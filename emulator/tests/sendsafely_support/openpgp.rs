//! Test support for SendSafely's OpenPGP side: a client that sends a file as the library does
//! (segments of `SEGMENT_SIZE` encrypted with sendsafely-crypto under the package's passphrase,
//! PUT through their upload URLs), and GnuPG in a throw-away home as an independent OpenPGP
//! implementation.
#![allow(dead_code)]

use super::Ss;
use crate::support::Emulator;
use reqwest::{Method, StatusCode};
use sendsafely_crypto::secrets::passphrase;
use sendsafely_crypto::segment::{encrypt_segment, parts_for, SEGMENT_SIZE};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `n` bytes from the OS generator.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(n);
    std::fs::File::open("/dev/urandom")
        .expect("/dev/urandom opens")
        .take(n as u64)
        .read_to_end(&mut bytes)
        .expect("/dev/urandom reads");
    assert_eq!(bytes.len(), n);
    bytes
}

/// A package as its creator knows it.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub code: String,
    pub server_secret: String,
}

impl Created {
    /// The passphrase of its segments under `keycode`.
    pub fn passphrase(&self, keycode: &str) -> String {
        passphrase(&self.server_secret, keycode).to_string()
    }
}

/// S5: a new package.
pub async fn create(ss: &Ss) -> Created {
    let p = ss.create_package().await;
    let field = |name: &str| p[name].as_str().unwrap().to_string();
    Created {
        id: field("packageId"),
        code: field("packageCode"),
        server_secret: field("serverSecret"),
    }
}

/// S19: registers a file of `size` bytes in `parts` parts: its id.
pub async fn register(ss: &Ss, pid: &str, size: usize, parts: u64) -> String {
    let reg = ss
        .register_file(
            pid,
            &json!({"filename": "data.bin", "parts": parts, "filesize": size}),
        )
        .await;
    reg["fileId"].as_str().unwrap().to_string()
}

/// S20 + S21: PUTs each `(part, bytes)` through its upload URL, which must succeed.
pub async fn put_parts(ss: &Ss, pid: &str, fid: &str, parts: &[(u64, Vec<u8>)]) {
    for (part, bytes) in parts {
        let urls = ss.upload_urls(pid, fid, *part).await;
        let url = urls["uploadUrls"][0]["url"].as_str().unwrap();
        assert_eq!(urls["uploadUrls"][0]["part"], *part, "{urls}");
        let (status, body) = super::put_raw(url, bytes.clone()).await;
        assert_eq!(status, StatusCode::OK, "PUT part {part}: {body}");
    }
}

/// Sends `data` as one file of a new package, as the library does: `parts_for` parts of
/// `SEGMENT_SIZE` plaintext bytes, each encrypted under `passphrase(serverSecret, keycode)`,
/// then S22 must answer `"true"`. The package and the file id.
pub async fn send_file(ss: &Ss, data: &[u8], keycode: &str) -> (Created, String) {
    let package = create(ss).await;
    let parts = parts_for(data.len() as u64);
    let fid = register(ss, &package.id, data.len(), parts).await;
    let pass = package.passphrase(keycode);
    let mut sealed = vec![];
    for part in 1..=parts {
        let from = ((part - 1) as usize * SEGMENT_SIZE).min(data.len());
        let to = (from + SEGMENT_SIZE).min(data.len());
        sealed.push((part, encrypt_segment(&pass, &data[from..to]).unwrap()));
    }
    put_parts(ss, &package.id, &fid, &sealed).await;
    let done = ss.upload_complete(&package.id, &fid).await;
    assert_eq!(done["message"], "true", "{done}");
    (package, fid)
}

/// `POST /_emulator/packages/{pid}/keycode`, which must succeed: the checksum it answers.
pub async fn set_keycode(emu: &Emulator, pid: &str, keycode: &str) -> String {
    let (status, set) = emu
        .control(
            Method::POST,
            &format!("packages/{pid}/keycode"),
            Some(json!({"keycode": keycode})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{set}");
    set["checksum"].as_str().unwrap().to_string()
}

/// `GET /_emulator/packages/{pid}/files/{fid}/plaintext`: status, `x-sha256` and body bytes.
pub async fn plaintext(
    emu: &Emulator,
    pid: &str,
    fid: &str,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let r = reqwest::get(format!(
        "{}/_emulator/packages/{pid}/files/{fid}/plaintext",
        emu.url
    ))
    .await
    .unwrap();
    let status = r.status();
    let sha = r
        .headers()
        .get("x-sha256")
        .map(|v| v.to_str().unwrap().to_string());
    (status, sha, r.bytes().await.unwrap().to_vec())
}

/// The JSON `error` of a refused plaintext request with `status`.
pub async fn plaintext_refused(emu: &Emulator, pid: &str, fid: &str, status: StatusCode) -> String {
    let (got, sha, body) = plaintext(emu, pid, fid).await;
    let text = String::from_utf8_lossy(&body).to_string();
    assert_eq!(got, status, "{text}");
    assert_eq!(sha, None);
    let answer: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    answer["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {answer}"))
        .to_string()
}

/// `GET /_emulator/packages/{pid}/files/{fid}/segments/{n}`, which must succeed.
pub async fn stored_segment(emu: &Emulator, pid: &str, fid: &str, n: u64) -> Vec<u8> {
    let r = reqwest::get(format!(
        "{}/_emulator/packages/{pid}/files/{fid}/segments/{n}",
        emu.url
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "segment {n}");
    r.bytes().await.unwrap().to_vec()
}

/// GnuPG with a home of its own (mode 0700), removed with its agent when dropped.
pub struct Gpg {
    home: tempfile::TempDir,
}

impl Gpg {
    /// A fresh home; fails the test (never skips it) when `gpg` cannot run.
    pub fn new() -> Gpg {
        let found = Command::new("gpg")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            found,
            "GnuPG (`gpg`) is required by this test and does not run here: \
             install it with scripts/require.sh (Debian package gnupg)"
        );
        let home = tempfile::Builder::new().prefix("gpg").tempdir().unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        Gpg { home }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Runs `gpg --batch --pinentry-mode loopback ARGS` with `input` on standard input; the
    /// run must succeed: its standard output.
    pub fn run(&self, args: &[&str], input: &[u8]) -> Vec<u8> {
        let mut child = Command::new("gpg")
            .env("GNUPGHOME", self.home())
            .args(["--batch", "--no-tty", "--pinentry-mode", "loopback"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gpg starts");
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert!(
            status.success(),
            "gpg {args:?}: {status}: {}",
            String::from_utf8_lossy(&stderr)
        );
        stdout
    }

    /// `gpg --decrypt` of a passphrase-encrypted message.
    pub fn decrypt(&self, passphrase: &str, message: &[u8]) -> Vec<u8> {
        self.run(&["--passphrase", passphrase, "--decrypt"], message)
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        // The agent gpg started for this home only.
        let _ = Command::new("gpgconf")
            .env("GNUPGHOME", self.home())
            .args(["--kill", "gpg-agent"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
