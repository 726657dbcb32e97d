//! Receiving SendSafely packages against the emulator: links opened, files of 0 B, 10 B,
//! 6,000,000 B and of 30 small segments (two URL batches) downloaded to a path and to a writer,
//! GnuPG's segments decrypted, wrong keycodes and altered segments refused with nothing written,
//! the secure message, a whole package, a download stopped by its progress callback.

#[allow(dead_code)] // the send tests' helpers, not all used here
#[path = "support/sendsafely_send.rs"]
mod sendsafely_send;
mod sendsafely_sender;
mod support;

use sendsafely_crypto::secrets::{new_keycode, passphrase};
use sendsafely_crypto::segment::SEGMENT_SIZE;
use sendsafely_send::pattern as content;
use sendsafely_send::sha256;
use sendsafely_sender::{encrypt_segments, names_in, NewPackage, Sender, SharedBuffer};
use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::sendsafely::link::SecureLink;
use sendsecure::sendsafely::model::{
    DownloadProgress, DownloadProgressFn, FileUpload, ReceivedPackage, UploadSource,
};
use sendsecure::{DownloadSink, Error, ServiceCode};
use std::sync::{Arc, Mutex};
use support::Emulator;

fn demo(emu: &Emulator) -> Client {
    Client::new(
        &emu.url,
        "demo-api-key",
        "demo-api-secret",
        ClientOptions::default(),
    )
    .unwrap()
}

fn bob(emu: &Emulator) -> Client {
    Client::new(
        &emu.url,
        "bob-api-key",
        "bob-api-secret",
        ClientOptions::default(),
    )
    .unwrap()
}

fn demo_sender(emu: &Emulator) -> Sender {
    Sender::new(&emu.url, "demo-api-key", "demo-api-secret")
}

/// A package of demo's with these files (name, content, segment size), not finalized.
async fn package_with(
    sender: &Sender,
    keycode: &str,
    files: &[(&str, &[u8], usize)],
) -> (NewPackage, Vec<String>) {
    let package = sender.create_package(false).await;
    let pass = passphrase(&package.server_secret, keycode);
    let mut ids = vec![];
    for (name, data, segment_size) in files {
        let segments = encrypt_segments(&pass, data, *segment_size);
        ids.push(
            sender
                .add_file(&package.id, name, data.len() as u64, &segments, None)
                .await,
        );
    }
    (package, ids)
}

fn recorder() -> (DownloadProgressFn, Arc<Mutex<Vec<DownloadProgress>>>) {
    let seen = Arc::new(Mutex::new(vec![]));
    let sink = seen.clone();
    let report: DownloadProgressFn = Arc::new(move |p| {
        sink.lock().unwrap().push(p);
        true
    });
    (report, seen)
}

/// Downloads `id` of `received` to a path and to a writer, checks both against `data` and the
/// progress reports against `parts`.
async fn download_both_ways(
    client: &Client,
    received: &ReceivedPackage,
    id: &str,
    data: &[u8],
    parts: u64,
    dir: &std::path::Path,
) {
    let path = dir.join(format!("{id}.out"));
    let (report, seen) = recorder();
    let written = client
        .download_file(received, id, DownloadSink::Path(path.clone()), Some(report))
        .await
        .unwrap();
    assert_eq!(written, data.len() as u64);
    assert_eq!(sha256(&std::fs::read(&path).unwrap()), sha256(data), "{id}");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        *seen.last().unwrap(),
        DownloadProgress {
            file_index: 0,
            file_count: 1,
            bytes: data.len() as u64,
            bytes_total: data.len() as u64,
            part: parts,
            parts
        }
    );
    assert_eq!(
        seen.len() as u64,
        parts + 1,
        "one report before, one per segment"
    );
    assert!(seen
        .windows(2)
        .all(|w| w[0].bytes <= w[1].bytes && w[0].part + 1 == w[1].part));

    let buffer = SharedBuffer::default();
    let written = client
        .download_file(
            received,
            id,
            DownloadSink::Writer(Box::new(buffer.clone())),
            None,
        )
        .await
        .unwrap();
    assert_eq!(written, data.len() as u64);
    assert_eq!(sha256(&buffer.bytes()), sha256(data), "{id}");
}

#[tokio::test]
async fn files_sent_with_the_library_download_from_their_link_byte_for_byte() {
    let emu = Emulator::sendsafely();
    let sender = demo(&emu);
    let files = [
        ("empty.bin", vec![], 1u64),
        ("ten.txt", content(10, 1), 1),
        ("large.bin", content(6_000_000, 2), 3),
    ];
    let package = sender.create_package().await.unwrap();
    let uploads = files
        .iter()
        .map(|(name, data, _)| FileUpload {
            name: name.to_string(),
            source: UploadSource::Bytes(data.clone()),
            directory_id: None,
        })
        .collect();
    let uploaded = sender.upload_files(&package, uploads, None).await.unwrap();
    let text = "Bonjour,\nvoici les pièces.\n";
    sender
        .put_message(
            &package.package_id,
            &package.server_secret,
            &package.keycode,
            text,
        )
        .await
        .unwrap();
    let finalized = sender.finalize_package(&package).await.unwrap();
    // Bob, who is no recipient, reads it by the link's packageCode.
    let client = bob(&emu);
    let link = SecureLink::parse(&finalized.secure_link).unwrap();
    assert_eq!(
        link.package_id.as_deref(),
        Some(package.package_id.as_str())
    );
    let received = client.open_link(&link).await.unwrap();
    assert_eq!(received.info.package_id, package.package_id);
    assert_eq!(received.info.files.len(), 3);
    assert_eq!(client.read_message(&received).await.unwrap().as_str(), text);
    let dir = tempfile::tempdir().unwrap();
    for ((_, data, parts), file) in files.iter().zip(&uploaded) {
        download_both_ways(&client, &received, &file.file_id, data, *parts, dir.path()).await;
    }
    // Only the downloaded files: no partial file left.
    assert_eq!(names_in(dir.path()).len(), 3);
}

#[tokio::test]
async fn a_file_of_thirty_segments_takes_two_batches_of_urls() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let keycode = new_keycode();
    let data = content(30 * 7, 3);
    // 30 segments of 7 bytes: the URLs come in two batches, 1..25 and 26..30.
    let (package, ids) = package_with(&sender, &keycode, &[("thirty.bin", &data, 7)]).await;
    let link = sender.finalize(&package, &keycode).await;
    let client = bob(&emu);
    let received = client
        .open_link(&SecureLink::parse(&link).unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    download_both_ways(&client, &received, &ids[0], &data, 30, dir.path()).await;
    let log = emu.control("GET", "requests", None).await;
    let batches: Vec<&serde_json::Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["target"]
                .as_str()
                .is_some_and(|p| p.ends_with("/download-urls/"))
        })
        .collect();
    assert_eq!(batches.len(), 4, "two batches per download: {batches:?}");
}

/// `data` encrypted by GnuPG with `args`, passphrase on a pipe.
fn gpg_encrypt(pass: &str, data: &[u8], args: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let home = tempfile::tempdir().unwrap();
    let input = home.path().join("in");
    let output = home.path().join("out.gpg");
    std::fs::write(&input, data).unwrap();
    let mut child = std::process::Command::new("gpg")
        .arg("--homedir")
        .arg(home.path())
        .args([
            "--batch",
            "--quiet",
            "--pinentry-mode",
            "loopback",
            "--passphrase-fd",
            "0",
        ])
        .args(["--symmetric", "--cipher-algo", "AES256"])
        .args(args)
        .arg("--output")
        .arg(&output)
        .arg(&input)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("gpg runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{pass}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    std::fs::read(output).unwrap()
}

#[tokio::test]
async fn segments_gnupg_encrypted_download_to_the_original() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let keycode = new_keycode();
    let package = sender.create_package(false).await;
    let pass = passphrase(&package.server_secret, &keycode);
    // Binary, compressed (-z 6), SHA-1 S2K as JV writes it; text in text mode (literal `t`,
    // CRLF kept as is); and SHA-256 S2K, uncompressed.
    let binary = content(100_000, 4);
    let text = b"line one\r\nline two\r\nend\r\n".to_vec();
    let third = content(5_000, 5);
    let segments = vec![
        gpg_encrypt(&pass, &binary, &["--s2k-digest-algo", "SHA1", "-z", "6"]),
        gpg_encrypt(
            &pass,
            &text,
            &["--s2k-digest-algo", "SHA1", "-z", "6", "--textmode"],
        ),
        gpg_encrypt(&pass, &third, &["--s2k-digest-algo", "SHA256", "-z", "0"]),
    ];
    let original = [binary, text, third].concat();
    let fid = sender
        .add_file(
            &package.id,
            "gpg.bin",
            original.len() as u64,
            &segments,
            None,
        )
        .await;
    let link = sender.finalize(&package, &keycode).await;
    let client = demo(&emu);
    let received = client
        .open_link(&SecureLink::parse(&link).unwrap())
        .await
        .unwrap();
    let buffer = SharedBuffer::default();
    client
        .download_file(
            &received,
            &fid,
            DownloadSink::Writer(Box::new(buffer.clone())),
            None,
        )
        .await
        .unwrap();
    assert_eq!(sha256(&buffer.bytes()), sha256(&original));
}

fn assert_crypto(result: Result<u64, Error>) {
    match result {
        Err(Error::Crypto(message)) => assert!(message.contains("segment"), "{message}"),
        other => panic!("expected a decryption failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_keycode_or_an_altered_segment_fails_and_writes_nothing() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let client = demo(&emu);
    let keycode = new_keycode();
    let wrong = new_keycode();
    let data = content(SEGMENT_SIZE + 1000, 6);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.bin");

    // A finalized package: the server refuses a wrong keycode's checksum itself.
    let (finalized, ids) = package_with(&sender, &keycode, &[("f.bin", &data, SEGMENT_SIZE)]).await;
    sender.finalize(&finalized, &keycode).await;
    let opened = client.open_package(&finalized.code, &wrong).await.unwrap();
    match client
        .download_file(&opened, &ids[0], DownloadSink::Path(path.clone()), None)
        .await
    {
        Err(Error::Service { code, .. }) => assert_eq!(code, ServiceCode::Name("FAIL".into())),
        other => panic!("expected the checksum refused, got {other:?}"),
    }
    assert!(names_in(dir.path()).is_empty());

    // Not finalized: the emulator pins the first checksum it sees (§10.6), so the wrong keycode
    // gets its segments, which do not decrypt.
    let (open, ids) = package_with(&sender, &keycode, &[("f.bin", &data, SEGMENT_SIZE)]).await;
    let opened = client.open_package(&open.id, &wrong).await.unwrap();
    assert_crypto(
        client
            .download_file(&opened, &ids[0], DownloadSink::Path(path.clone()), None)
            .await,
    );
    assert!(names_in(dir.path()).is_empty());
    let buffer = SharedBuffer::default();
    assert_crypto(
        client
            .download_file(
                &opened,
                &ids[0],
                DownloadSink::Writer(Box::new(buffer.clone())),
                None,
            )
            .await,
    );
    assert!(
        buffer.bytes().is_empty(),
        "the first segment never decrypted"
    );

    // The second segment altered before upload: a path gets nothing, a writer the first.
    let altered = sender.create_package(false).await;
    let pass = passphrase(&altered.server_secret, &keycode);
    let mut segments = encrypt_segments(&pass, &data, SEGMENT_SIZE);
    let last = segments[1].len() - 5;
    segments[1][last] ^= 0x40;
    let fid = sender
        .add_file(&altered.id, "f.bin", data.len() as u64, &segments, None)
        .await;
    let link = sender.finalize(&altered, &keycode).await;
    let opened = client
        .open_link(&SecureLink::parse(&link).unwrap())
        .await
        .unwrap();
    assert_crypto(
        client
            .download_file(&opened, &fid, DownloadSink::Path(path.clone()), None)
            .await,
    );
    assert!(names_in(dir.path()).is_empty());
    let buffer = SharedBuffer::default();
    assert_crypto(
        client
            .download_file(
                &opened,
                &fid,
                DownloadSink::Writer(Box::new(buffer.clone())),
                None,
            )
            .await,
    );
    assert_eq!(buffer.bytes(), data[..SEGMENT_SIZE]);
}

#[tokio::test]
async fn a_download_stopped_by_its_progress_callback_writes_no_file() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let client = demo(&emu);
    let keycode = new_keycode();
    let data = content(100, 7);
    let (package, ids) = package_with(&sender, &keycode, &[("f.bin", &data, 10)]).await;
    let opened = client.open_package(&package.id, &keycode).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let stop_at_three: DownloadProgressFn = Arc::new(|p| p.part < 3);
    match client
        .download_file(
            &opened,
            &ids[0],
            DownloadSink::Path(dir.path().join("f.bin")),
            Some(stop_at_three),
        )
        .await
    {
        Err(Error::InvalidState(message)) => assert!(message.contains("stopped"), "{message}"),
        other => panic!("expected a stop, got {other:?}"),
    }
    assert!(names_in(dir.path()).is_empty());
}

#[tokio::test]
async fn the_secure_message_and_a_whole_package_come_back() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let client = demo(&emu);
    let keycode = new_keycode();
    let one = content(1234, 8);
    let two = content(10, 9);
    let (package, _) = package_with(
        &sender,
        &keycode,
        &[
            ("report.pdf", &one, SEGMENT_SIZE),
            ("../notes:1.txt", &two, SEGMENT_SIZE),
        ],
    )
    .await;
    let text = "Bonjour,\nvoici les pièces — 2 fichiers.\n";
    client
        .put_message(&package.id, &package.server_secret, &keycode, text)
        .await
        .unwrap();
    let link = sender.finalize(&package, &keycode).await;
    let reader = bob(&emu);
    let opened = reader
        .open_link(&SecureLink::parse(&link).unwrap())
        .await
        .unwrap();
    assert!(opened.info.contains_message);
    assert_eq!(reader.read_message(&opened).await.unwrap().as_str(), text);
    let dir = tempfile::tempdir().unwrap();
    let downloaded = reader
        .download_package(&opened, dir.path(), None)
        .await
        .unwrap();
    assert_eq!(downloaded.message.as_str(), text);
    assert_eq!(names_in(dir.path()), [".._notes_1.txt", "report.pdf"]);
    assert_eq!(
        downloaded.files,
        [
            dir.path().join("report.pdf"),
            dir.path().join(".._notes_1.txt")
        ]
    );
    assert_eq!(std::fs::read(dir.path().join("report.pdf")).unwrap(), one);
    assert_eq!(
        std::fs::read(dir.path().join(".._notes_1.txt")).unwrap(),
        two
    );
    // Secrets stay out of Debug.
    let shown = format!("{opened:?} {downloaded:?}");
    assert!(!shown.contains(keycode.as_str()) && !shown.contains(&package.server_secret));
}

#[tokio::test]
async fn a_message_under_another_keycode_is_a_decryption_failure() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let client = demo(&emu);
    let keycode = new_keycode();
    let package = sender.create_package(false).await;
    client
        .put_message(
            &package.id,
            &package.server_secret,
            &keycode,
            "secret plans",
        )
        .await
        .unwrap();
    // Not finalized: the first checksum seen is pinned, so the wrong keycode's is accepted.
    let wrong = client
        .open_package(&package.id, &new_keycode())
        .await
        .unwrap();
    match client.read_message(&wrong).await {
        Err(Error::Crypto(message)) => assert!(!message.contains("secret plans")),
        other => panic!("expected a decryption failure, got {other:?}"),
    }
}

#[tokio::test]
async fn segment_fetches_are_retried_and_must_answer_200() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let mut options = ClientOptions::default();
    options.transport.retry_base_delay = std::time::Duration::from_millis(10);
    options.transport.retry_max_delay = std::time::Duration::from_millis(50);
    options.transport.max_retries = 3;
    let client = Client::new(&emu.url, "demo-api-key", "demo-api-secret", options).unwrap();
    let keycode = new_keycode();
    let data = content(3000, 12);
    let (package, ids) = package_with(&sender, &keycode, &[("f.bin", &data, 1000)]).await;
    let opened = client.open_package(&package.id, &keycode).await.unwrap();
    let fault = |rule: serde_json::Value| emu.control("POST", "faults", Some(rule));
    // Two 503s and a connection cut mid-body: each segment GET is sent again.
    fault(
        serde_json::json!({"kind": "respond", "method": "GET", "path": "/_storage/",
                             "count": 2, "status": 503}),
    )
    .await;
    fault(
        serde_json::json!({"kind": "drop_response", "method": "GET", "path": "/_storage/",
                             "count": 1, "after_bytes": 100}),
    )
    .await;
    let buffer = SharedBuffer::default();
    client
        .download_file(
            &opened,
            &ids[0],
            DownloadSink::Writer(Box::new(buffer.clone())),
            None,
        )
        .await
        .unwrap();
    assert_eq!(buffer.bytes(), data);
    let stats = emu.control("GET", "stats", None).await;
    assert_eq!(stats["faults"]["respond"], 2, "{stats}");
    assert_eq!(stats["faults"]["drop_response"], 1, "{stats}");
    // A success that is not 200 is not a segment.
    fault(
        serde_json::json!({"kind": "respond", "method": "GET", "path": "/_storage/",
                             "count": 1, "status": 202, "body_text": "queued"}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    match client
        .download_file(
            &opened,
            &ids[0],
            DownloadSink::Path(dir.path().join("f.bin")),
            None,
        )
        .await
    {
        Err(Error::Http { status: 202, .. }) => {}
        other => panic!("expected the 202 refused, got {other:?}"),
    }
    assert!(names_in(dir.path()).is_empty());
}

#[tokio::test]
async fn a_file_whose_segments_differ_from_its_declared_size_is_refused_and_removed() {
    let emu = Emulator::sendsafely();
    let sender = demo_sender(&emu);
    let client = demo(&emu);
    let keycode = new_keycode();
    let data = content(3000, 13);
    let package = sender.create_package(false).await;
    let pass = passphrase(&package.server_secret, &keycode);
    let segments = encrypt_segments(&pass, &data, 1000);
    // The server declares one byte more, one byte less, and the exact size.
    let mut ids = vec![];
    for declared in [data.len() + 1, data.len() - 1, data.len()] {
        let name = format!("declared-{declared}.bin");
        ids.push(
            sender
                .add_file(&package.id, &name, declared as u64, &segments, None)
                .await,
        );
    }
    let link = sender.finalize(&package, &keycode).await;
    let opened = client
        .open_link(&SecureLink::parse(&link).unwrap())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.bin");
    for (id, found) in [
        (&ids[0], "only 3000 of the 3001"),
        (&ids[1], "more than the 2999"),
    ] {
        match client
            .download_file(&opened, id, DownloadSink::Path(path.clone()), None)
            .await
        {
            Err(Error::Decode(message)) => {
                assert!(message.contains(found), "{message}");
                assert!(message.contains("fileSize"), "{message}");
            }
            other => panic!("expected the size refused, got {other:?}"),
        }
        assert!(names_in(dir.path()).is_empty(), "a refused file was left");
    }
    // To a writer, nothing beyond the declared size is written: the third segment would pass
    // it, so only the first two arrive.
    let buffer = SharedBuffer::default();
    assert!(matches!(
        client
            .download_file(
                &opened,
                &ids[1],
                DownloadSink::Writer(Box::new(buffer.clone())),
                None
            )
            .await,
        Err(Error::Decode(_))
    ));
    assert_eq!(buffer.bytes(), data[..2000]);
    // The exact size downloads.
    let written = client
        .download_file(&opened, &ids[2], DownloadSink::Path(path.clone()), None)
        .await
        .unwrap();
    assert_eq!(written, 3000);
    assert_eq!(std::fs::read(&path).unwrap(), data);
}
