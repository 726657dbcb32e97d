//! SendSafely's OpenPGP side of the emulator over real HTTP (spec §4, §10.6, §10.10): what it
//! stores is real OpenPGP (GnuPG decrypts every segment), the plaintext control route, the
//! escrow key that lets it read the keycode, and trusted-device keys checked on S3.

mod sendsafely_support;
mod support;

use reqwest::{Method, StatusCode};
use sendsafely_crypto::keys;
use sendsafely_crypto::secrets::{checksum, new_keycode};
use sendsafely_crypto::segment::{encrypt_message, encrypt_segment};
use sendsafely_support::openpgp::{
    create, plaintext, plaintext_refused, put_parts, random_bytes, register, send_file,
    set_keycode, stored_segment, Gpg,
};
use sendsafely_support::{start, start_with, Ss};
use serde_json::json;
use sha2::{Digest, Sha256};

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The proof: a client sends a 6,000,000-byte file as the library does; GnuPG decrypts
/// every stored segment, read back through the control route and from the data directory, to
/// the original bytes; the plaintext route answers the same bytes and SHA-256.
#[tokio::test]
async fn stored_segments_are_openpgp_that_gnupg_decrypts_and_the_plaintext_route_serves() {
    let gpg = Gpg::new();
    let data_dir = tempfile::tempdir().unwrap();
    let emu = start(&["--data-dir", data_dir.path().to_str().unwrap()]);
    let demo = Ss::demo(&emu);
    let keycode = new_keycode();
    let data = random_bytes(6_000_000);
    let (package, fid) = send_file(&demo, &data, &keycode).await;
    let pid = package.id.clone();
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(info["files"][0]["parts"], 3, "§11.4: 3 parts: {info}");
    let keys = demo.get_ok(&format!("/package/{pid}/public-keys/")).await;
    assert_eq!(keys["publicKeys"], json!([]), "no escrow key by default");

    // Unknown keycode: no plaintext, and none in the package's state.
    let why = plaintext_refused(&emu, &pid, &fid, StatusCode::CONFLICT).await;
    assert!(why.contains("keycode"), "{why}");
    let (_, state) = emu
        .control(Method::GET, &format!("packages/{pid}"), None)
        .await;
    assert_eq!(state["files"][0]["plaintext"], json!(null), "{state}");

    // The message, then finalize with the right checksum once the emulator knows the keycode.
    let pass = package.passphrase(&keycode);
    demo.ok(
        Method::PUT,
        &format!("/package/{pid}/message/"),
        Some(&json!({"message": encrypt_message(&pass, "six million bytes").unwrap()})),
    )
    .await;
    let expected = set_keycode(&emu, &pid, &keycode).await;
    assert_eq!(expected, checksum(&keycode, &package.code));
    let done = demo.finalize_with(&pid, &expected).await;
    assert_eq!(done["response"], "SUCCESS", "{done}");

    // Every stored segment, from the control route and from disk, decrypted by GnuPG.
    let mut joined = vec![];
    for n in 1..=3u64 {
        let served = stored_segment(&emu, &pid, &fid, n).await;
        let on_disk = std::fs::read(
            data_dir
                .path()
                .join("sendsafely")
                .join(&pid)
                .join(&fid)
                .join(n.to_string()),
        )
        .expect("the segment is a file under --data-dir");
        assert_eq!(served, on_disk, "part {n}");
        let opened = gpg.decrypt(&pass, &served);
        assert_eq!(
            opened.len(),
            [2_621_440, 2_621_440, 757_120][n as usize - 1]
        );
        joined.extend_from_slice(&opened);
    }
    assert_eq!(sha256_hex(&joined), sha256_hex(&data));

    // The plaintext route: the same bytes, their SHA-256; and both in the package's state.
    let (status, sha, body) = plaintext(&emu, &pid, &fid).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sha.as_deref(), Some(sha256_hex(&data).as_str()));
    assert!(
        body == data,
        "the plaintext route answers the original bytes"
    );
    let (_, state) = emu
        .control(Method::GET, &format!("packages/{pid}"), None)
        .await;
    assert_eq!(
        state["files"][0]["plaintext"],
        json!({"sha256": sha256_hex(&data), "length": 6_000_000}),
        "{state}"
    );
}

/// The plaintext route refuses what it cannot decrypt: parts missing (409), a segment under
/// another passphrase, with a flipped byte or without integrity check (422); it reads segments
/// other writers produce (GnuPG: SHA-1 S2K, compressed).
#[tokio::test]
async fn the_plaintext_route_refuses_missing_parts_wrong_passphrases_altered_bytes_and_no_mdc() {
    let gpg = Gpg::new();
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let keycode = new_keycode();
    let data = random_bytes(100_000);

    // Parts missing.
    let package = create(&demo).await;
    let fid = register(&demo, &package.id, 10, 3).await;
    let pass = package.passphrase(&keycode);
    put_parts(
        &demo,
        &package.id,
        &fid,
        &[(2, encrypt_segment(&pass, b"0123456789").unwrap())],
    )
    .await;
    set_keycode(&emu, &package.id, &keycode).await;
    let why = plaintext_refused(&emu, &package.id, &fid, StatusCode::CONFLICT).await;
    assert!(why.contains("1, 3 of 3"), "{why}");

    // Another passphrase.
    let package = create(&demo).await;
    let fid = register(&demo, &package.id, data.len(), 1).await;
    let other = package.passphrase(&new_keycode());
    put_parts(
        &demo,
        &package.id,
        &fid,
        &[(1, encrypt_segment(&other, &data).unwrap())],
    )
    .await;
    set_keycode(&emu, &package.id, &keycode).await;
    let why = plaintext_refused(&emu, &package.id, &fid, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(why.contains("part 1"), "{why}");
    let (_, state) = emu
        .control(Method::GET, &format!("packages/{}", package.id), None)
        .await;
    assert!(
        state["files"][0]["plaintext"]["error"].is_string(),
        "{state}"
    );

    // A flipped byte in the second of two parts.
    let package = create(&demo).await;
    let fid = register(&demo, &package.id, data.len(), 2).await;
    let pass = package.passphrase(&keycode);
    let first = encrypt_segment(&pass, &data[..50_000]).unwrap();
    let mut second = encrypt_segment(&pass, &data[50_000..]).unwrap();
    let at = second.len() / 2;
    second[at] ^= 0x01;
    put_parts(&demo, &package.id, &fid, &[(1, first), (2, second)]).await;
    set_keycode(&emu, &package.id, &keycode).await;
    let why = plaintext_refused(&emu, &package.id, &fid, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(why.contains("part 2"), "{why}");

    // GnuPG's own segments: without integrity check (RFC 2440 mode: a tag 9 packet), refused;
    // with SHA-1 S2K (as JV writes) and zlib compression, read.
    let gpg_segment = |extra: &[&str], pass: &str| {
        let mut args = vec![
            "--passphrase",
            pass,
            "--symmetric",
            "--cipher-algo",
            "AES256",
        ];
        args.extend_from_slice(extra);
        gpg.run(&args, &data)
    };
    let package = create(&demo).await;
    let fid = register(&demo, &package.id, data.len(), 1).await;
    let sealed = gpg_segment(&["--rfc2440"], &package.passphrase(&keycode));
    put_parts(&demo, &package.id, &fid, &[(1, sealed)]).await;
    set_keycode(&emu, &package.id, &keycode).await;
    let why = plaintext_refused(&emu, &package.id, &fid, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(why.contains("part 1"), "{why}");
    let package = create(&demo).await;
    let fid = register(&demo, &package.id, data.len(), 1).await;
    let sealed = gpg_segment(
        &["--s2k-digest-algo", "SHA1", "--compress-algo", "ZLIB"],
        &package.passphrase(&keycode),
    );
    put_parts(&demo, &package.id, &fid, &[(1, sealed)]).await;
    set_keycode(&emu, &package.id, &keycode).await;
    let (status, sha, body) = plaintext(&emu, &package.id, &fid).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sha.as_deref(), Some(sha256_hex(&data).as_str()));
    assert!(
        body == data,
        "GnuPG's segment decrypts to the original bytes"
    );
}

/// Escrow mode (§10.6 b): S16 lists the emulator's key; the keycode wrapped to it is read on
/// S17, so finalize verifies the checksum and the plaintext route needs no control call.
#[tokio::test]
async fn with_the_escrow_key_the_emulator_reads_the_keycode_from_s17() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_with(dir.path(), "escrow_key = true");
    let demo = Ss::demo(&emu);
    let data = random_bytes(3_000_000);

    // The right checksum: SUCCESS, and the plaintext without the control keycode call.
    let keycode = new_keycode();
    let (package, fid) = send_file(&demo, &data, &keycode).await;
    let pid = package.id.clone();
    let keys_answer = demo.get_ok(&format!("/package/{pid}/public-keys/")).await;
    let listed = keys_answer["publicKeys"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{keys_answer}");
    let (kid, key) = (
        listed[0]["id"].as_str().unwrap().to_string(),
        listed[0]["key"].as_str().unwrap().to_string(),
    );
    keys::check_public_key(&key).expect("a key clients can wrap to");
    let why = plaintext_refused(&emu, &pid, &fid, StatusCode::CONFLICT).await;
    assert!(why.contains("keycode"), "{why}");
    let (_, refused) = demo
        .json(
            Method::PUT,
            &format!("/package/{pid}/link/{kid}/"),
            &json!({"keycode": "-----BEGIN PGP MESSAGE-----\n\nnot one\n-----END PGP MESSAGE-----\n"}),
        )
        .await;
    assert_eq!(refused["response"], "INVALID_INPUT", "{refused}");
    let wrapped = keys::wrap_keycode(&key, &keycode).unwrap();
    demo.ok(
        Method::PUT,
        &format!("/package/{pid}/link/{kid}/"),
        Some(&json!({"keycode": wrapped})),
    )
    .await;
    let done = demo
        .finalize_with(&pid, &checksum(&keycode, &package.code))
        .await;
    assert_eq!(done["response"], "SUCCESS", "{done}");
    let (status, sha, body) = plaintext(&emu, &pid, &fid).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sha.as_deref(), Some(sha256_hex(&data).as_str()));
    assert!(
        body == data,
        "the plaintext route answers the original bytes"
    );

    // Another package, the same key, a checksum of another keycode: FAIL with errors.
    let keycode = new_keycode();
    let (package, _) = send_file(&demo, b"small", &keycode).await;
    let pid = package.id.clone();
    let again = demo.get_ok(&format!("/package/{pid}/public-keys/")).await;
    assert_eq!(
        again["publicKeys"], keys_answer["publicKeys"],
        "one escrow key"
    );
    demo.ok(
        Method::PUT,
        &format!("/package/{pid}/link/{kid}/"),
        Some(&json!({"keycode": keys::wrap_keycode(&key, &keycode).unwrap()})),
    )
    .await;
    let wrong = demo
        .finalize_with(&pid, &checksum(&new_keycode(), &package.code))
        .await;
    assert_eq!(wrong["response"], "FAIL", "{wrong}");
    assert!(
        wrong["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "{wrong}"
    );
    let right = demo
        .finalize_with(&pid, &checksum(&keycode, &package.code))
        .await;
    assert_eq!(right["response"], "SUCCESS", "{right}");
}

/// S3 takes only an OpenPGP public key with a user ID and an encryption subkey.
#[tokio::test]
async fn s3_refuses_garbage_and_keys_without_an_encryption_subkey() {
    let gpg = Gpg::new();
    let emu = start(&[]);
    let bob = Ss::bob(&emu);
    let add = |key: String| {
        let bob = bob.clone();
        async move {
            bob.json(
                Method::PUT,
                "/public-key/",
                &json!({"publicKey": key, "description": "laptop"}),
            )
            .await
            .1
        }
    };
    let garbage = add("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBGAAAAA=\n-----END PGP PUBLIC KEY BLOCK-----\n".into()).await;
    assert_eq!(garbage["response"], "INVALID_INPUT", "{garbage}");
    let text = add("junk".into()).await;
    assert_eq!(text["response"], "INVALID_INPUT", "{text}");

    // GnuPG's sign-only key: a user ID, no subkey.
    gpg.run(
        &[
            "--passphrase",
            "",
            "--quick-generate-key",
            "Sign Only <sign@acme.example>",
            "ed25519",
            "sign",
            "never",
        ],
        b"",
    );
    let sign_only = String::from_utf8(gpg.run(&["--armor", "--export"], b"")).unwrap();
    assert!(sign_only.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    let refused = add(sign_only).await;
    assert_eq!(refused["response"], "INVALID_INPUT", "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("no encryption subkey"),
        "{refused}"
    );

    let pair = keys::generate("Trusted Browser <bob@acme.example>").unwrap();
    let accepted = add(pair.public_armored.clone()).await;
    assert_eq!(accepted["response"], "SUCCESS", "{accepted}");
    let kid = accepted["id"].as_str().unwrap();
    let demo = Ss::demo(&emu);
    let package = create(&demo).await;
    demo.ok(
        Method::PUT,
        &format!("/package/{}/recipient/", package.id),
        Some(&json!({"email": "bob@acme.example"})),
    )
    .await;
    let listed = demo
        .get_ok(&format!("/package/{}/public-keys/", package.id))
        .await;
    assert_eq!(
        listed["publicKeys"],
        json!([{"id": kid, "key": pair.public_armored}])
    );
}
