//! SendSafely send-flow test helpers (included with `#[path]` by the tests that use them): a client of the emulator's demo user, a stored file read back
//! segment by segment from the control API and decrypted with GnuPG.

use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::sendsafely::model::Package;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use crate::support::Emulator;

/// A client of the demo user (`demo@acme.example`).
#[allow(dead_code)] // not every test binary needs it
pub fn demo_client(emu: &Emulator) -> Client {
    Client::new(
        &emu.url,
        "demo-api-key",
        "demo-api-secret",
        ClientOptions::default(),
    )
    .unwrap()
}

/// The stored encrypted bytes of part `n` of a file (control API).
pub async fn stored_segment(emu: &Emulator, pid: &str, fid: &str, n: u64) -> Vec<u8> {
    let url = format!(
        "{}/_emulator/packages/{pid}/files/{fid}/segments/{n}",
        emu.url
    );
    let response = reqwest::get(&url).await.expect("control call");
    assert_eq!(response.status(), 200, "segment {n} of {fid} is not stored");
    response.bytes().await.unwrap().to_vec()
}

/// Decrypts one OpenPGP message with GnuPG under `passphrase`, in a temporary GNUPGHOME
/// (0700). GnuPG missing fails the test.
pub fn gpg_decrypt(ciphertext: &[u8], passphrase: &str) -> Vec<u8> {
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let input = home.path().join("segment.gpg");
    std::fs::write(&input, ciphertext).unwrap();
    let mut child = Command::new("gpg")
        .env("GNUPGHOME", home.path())
        .args([
            "--batch",
            "--quiet",
            "--no-tty",
            "--pinentry-mode",
            "loopback",
            "--passphrase-fd",
            "0",
            "--decrypt",
        ])
        .arg(&input)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("GnuPG (`gpg`) is needed to check the segments and could not be run: {e}")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{passphrase}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "gpg could not decrypt: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The SHA-256 (hex) of a stored file: every part read back and decrypted with GnuPG, in
/// order.
pub async fn stored_sha256(emu: &Emulator, package: &Package, file_id: &str, parts: u64) -> String {
    let passphrase =
        sendsafely_crypto::secrets::passphrase(&package.server_secret, &package.keycode);
    let mut hash = Sha256::new();
    for n in 1..=parts {
        let sealed = stored_segment(emu, &package.package_id, file_id, n).await;
        hash.update(gpg_decrypt(&sealed, &passphrase));
    }
    hex::encode(hash.finalize())
}

/// The SHA-256 (hex) of bytes.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Bytes that are not all alike (so a misplaced segment shows).
pub fn pattern(size: usize, seed: u8) -> Vec<u8> {
    (0..size)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0] ^ seed)
        .collect()
}
