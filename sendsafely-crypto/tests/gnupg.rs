//! OpenPGP interop with GnuPG, an implementation nobody here wrote: GnuPG decrypts what this
//! crate encrypts, and this crate decrypts what GnuPG writes in the forms other SendSafely
//! clients use (SHA-1 or SHA-256 S2K, other counts, compression, text literals), byte for byte.
//! GnuPG (`gpg`, Debian package `gnupg`) is installed by `scripts/require.sh`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use sendsafely_crypto::segment::{self, LiteralFormat};
use sendsafely_crypto::{keys, Error};

/// Runs gpg in its own home with `input` on stdin; answers stdout, or panics with stderr.
fn gpg(home: &Path, args: &[&str], input: &[u8]) -> Vec<u8> {
    let out = gpg_result(home, args, input);
    match out {
        Ok(stdout) => stdout,
        Err(stderr) => panic!("gpg {args:?} failed: {stderr}"),
    }
}

fn gpg_result(home: &Path, args: &[&str], input: &[u8]) -> Result<Vec<u8>, String> {
    let mut child = Command::new("gpg")
        .arg("--homedir")
        .arg(home)
        .args([
            "--batch",
            "--yes",
            "--quiet",
            "--no-tty",
            "--pinentry-mode",
            "loopback",
        ])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gpg (GnuPG) must be installed: scripts/require.sh installs it");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    dir
}

/// Bytes of every value, a CR, LF and CRLF among them, that a text conversion would change.
fn awkward_bytes(len: usize) -> Vec<u8> {
    let mut data: Vec<u8> = (0..len).map(|i| (i * 131 + i / 7) as u8).collect();
    data.extend_from_slice(b"\r\n\n\r\xff\x00");
    data
}

#[test]
fn gnupg_decrypts_segments_to_the_same_bytes() {
    let home = home();
    for data in [
        Vec::new(),
        awkward_bytes(10),
        awkward_bytes(segment::SEGMENT_SIZE),
    ] {
        let sealed = segment::encrypt_segment("server-secretKEYCODE", &data).unwrap();
        let file = home.path().join("segment.pgp");
        std::fs::write(&file, &sealed).unwrap();
        let opened = gpg(
            home.path(),
            &[
                "--passphrase",
                "server-secretKEYCODE",
                "--decrypt",
                file.to_str().unwrap(),
            ],
            b"",
        );
        assert_eq!(opened, data, "{} bytes", data.len());
    }
}

#[test]
fn gnupg_reads_the_parameters_the_spec_names() {
    let home = home();
    let sealed = segment::encrypt_segment("pw", b"x").unwrap();
    let file = home.path().join("segment.pgp");
    std::fs::write(&file, &sealed).unwrap();
    let packets = String::from_utf8(gpg(
        home.path(),
        &[
            "--passphrase",
            "pw",
            "--list-packets",
            file.to_str().unwrap(),
        ],
        b"",
    ))
    .unwrap();
    // SKESK v4, AES-256 (9), S2K 3 with SHA-256 (8) and count byte 96; SEIPD with MDC; literal b.
    assert!(
        packets.contains("symkey enc packet: version 4, cipher 9"),
        "{packets}"
    );
    assert!(packets.contains("s2k 3, hash 8"), "{packets}");
    assert!(packets.contains("(96)"), "{packets}");
    assert!(packets.contains("tag=18"), "{packets}");
    assert!(packets.contains("mdc_method: 2"), "{packets}");
    assert!(
        packets.contains("literal data packet:\n\tmode b"),
        "{packets}"
    );
    assert!(!packets.contains("compressed packet"), "{packets}");
}

#[test]
fn gnupg_decrypts_messages_to_the_text() {
    let home = home();
    let text = "Bonjour,\nvoici le dossier.\n— ü\n";
    let b64 = segment::encrypt_message("pw", text).unwrap();
    let raw = base64_decode(&b64);
    let file = home.path().join("message.pgp");
    std::fs::write(&file, &raw).unwrap();
    let opened = gpg(
        home.path(),
        &["--passphrase", "pw", "--decrypt", file.to_str().unwrap()],
        b"",
    );
    // The message is sent with CRLF line ends, which GnuPG strips from text literals on output.
    assert_eq!(
        String::from_utf8(opened).unwrap().replace("\r\n", "\n"),
        text
    );
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[test]
fn gnupg_output_in_every_form_other_clients_write_decrypts_byte_exact() {
    let home = home();
    let data = awkward_bytes(100_000);
    let plain = home.path().join("plain");
    std::fs::write(&plain, &data).unwrap();
    let forms: &[(&[&str], LiteralFormat, bool)] = &[
        // PY: SHA-256, count 255, no compression.
        (
            &[
                "--s2k-digest-algo",
                "SHA256",
                "--s2k-count",
                "65011712",
                "-z",
                "0",
            ],
            LiteralFormat::Binary,
            false,
        ),
        // JV: SHA-1, count byte 0x60.
        (
            &[
                "--s2k-digest-algo",
                "SHA1",
                "--s2k-count",
                "65536",
                "-z",
                "0",
            ],
            LiteralFormat::Binary,
            false,
        ),
        // Compressed (ZIP and ZLIB), as JV's decrypt accepts.
        (
            &["--compress-algo", "zip", "-z", "6"],
            LiteralFormat::Binary,
            true,
        ),
        (
            &["--compress-algo", "zlib", "-z", "9"],
            LiteralFormat::Binary,
            true,
        ),
    ];
    for (args, format, compressed) in forms {
        let out = home.path().join("out.pgp");
        let mut all = vec![
            "--passphrase",
            "pw",
            "--symmetric",
            "--cipher-algo",
            "AES256",
            "-o",
            out.to_str().unwrap(),
        ];
        all.extend_from_slice(args);
        all.push(plain.to_str().unwrap());
        gpg(home.path(), &all, b"");
        let opened = segment::decrypt("pw", &std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(*opened.plaintext, data, "{args:?}");
        assert_eq!(opened.format, *format, "{args:?}");
        assert_eq!(opened.compressed, *compressed, "{args:?}");
    }
}

#[test]
fn a_text_literal_from_gnupg_keeps_its_line_ends() {
    let home = home();
    let text = b"line one\r\nline two\r\n";
    let plain = home.path().join("text");
    std::fs::write(&plain, text).unwrap();
    let out = home.path().join("out.pgp");
    gpg(
        home.path(),
        &[
            "--passphrase",
            "pw",
            "--symmetric",
            "--textmode",
            "-z",
            "0",
            "-o",
            out.to_str().unwrap(),
            plain.to_str().unwrap(),
        ],
        b"",
    );
    let opened = segment::decrypt("pw", &std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(opened.format, LiteralFormat::Text);
    assert_eq!(*opened.plaintext, text);
}

#[test]
fn data_without_an_integrity_check_is_refused() {
    let home = home();
    let plain = home.path().join("plain");
    std::fs::write(&plain, b"secret").unwrap();
    let out = home.path().join("out.pgp");
    // --rfc2440 writes a tag 9 packet, with no MDC.
    gpg(
        home.path(),
        &[
            "--passphrase",
            "pw",
            "--symmetric",
            "--rfc2440",
            "--cipher-algo",
            "AES256",
            "-z",
            "0",
            "-o",
            out.to_str().unwrap(),
            plain.to_str().unwrap(),
        ],
        b"",
    );
    assert!(matches!(
        segment::decrypt("pw", &std::fs::read(&out).unwrap()),
        Err(Error::Decrypt(_))
    ));
}

#[test]
fn a_keycode_wrapped_to_a_gnupg_key_opens_in_gnupg_and_ours_opens_there_too() {
    let home = home();
    // A key GnuPG made: RSA-2048 primary and RSA encryption subkey.
    gpg(
        home.path(),
        &[
            "--passphrase",
            "",
            "--quick-generate-key",
            "Trusted Browser <g@acme.example>",
            "rsa2048",
            "sign,cert",
            "never",
        ],
        b"",
    );
    let fpr_line =
        String::from_utf8(gpg(home.path(), &["--list-keys", "--with-colons"], b"")).unwrap();
    let fpr = fpr_line
        .lines()
        .find_map(|l| {
            l.strip_prefix("fpr:::::::::")
                .map(|f| f.trim_end_matches(':').to_string())
        })
        .unwrap();
    gpg(
        home.path(),
        &[
            "--passphrase",
            "",
            "--quick-add-key",
            &fpr,
            "rsa2048",
            "encr",
            "never",
        ],
        b"",
    );
    let public = String::from_utf8(gpg(home.path(), &["--armor", "--export", &fpr], b"")).unwrap();
    keys::check_public_key(&public).unwrap();
    let wrapped = keys::wrap_keycode(&public, "KEYCODE-43").unwrap();
    let opened = gpg(home.path(), &["--decrypt"], wrapped.as_bytes());
    assert_eq!(opened, b"KEYCODE-43");

    // A key pair of ours, imported into GnuPG.
    let pair = keys::generate("Trusted Browser <o@acme.example>").unwrap();
    gpg(home.path(), &["--import"], pair.secret_armored.as_bytes());
    let wrapped = keys::wrap_keycode(&pair.public_armored, "OURS").unwrap();
    assert_eq!(
        gpg(home.path(), &["--decrypt"], wrapped.as_bytes()),
        b"OURS"
    );
    // And what GnuPG wraps to our key, we unwrap.
    let ours = String::from_utf8(gpg(
        home.path(),
        &["--list-keys", "--with-colons", "o@acme.example"],
        b"",
    ))
    .unwrap();
    let ours_fpr = ours
        .lines()
        .find_map(|l| {
            l.strip_prefix("fpr:::::::::")
                .map(|f| f.trim_end_matches(':').to_string())
        })
        .unwrap();
    let from_gpg = String::from_utf8(gpg(
        home.path(),
        &[
            "--armor",
            "--trust-model",
            "always",
            "--encrypt",
            "-r",
            &ours_fpr,
        ],
        b"FROM-GNUPG",
    ))
    .unwrap();
    assert_eq!(
        *keys::unwrap_keycode(&pair.secret_armored, &from_gpg).unwrap(),
        "FROM-GNUPG"
    );
}

#[test]
fn a_key_without_an_encryption_subkey_is_refused() {
    let home = home();
    gpg(
        home.path(),
        &[
            "--passphrase",
            "",
            "--quick-generate-key",
            "Signer <s@acme.example>",
            "rsa2048",
            "sign,cert",
            "never",
        ],
        b"",
    );
    let public = String::from_utf8(gpg(
        home.path(),
        &["--armor", "--export", "s@acme.example"],
        b"",
    ))
    .unwrap();
    assert!(matches!(
        keys::check_public_key(&public),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        keys::wrap_keycode(&public, "k"),
        Err(Error::Key(_))
    ));
}
