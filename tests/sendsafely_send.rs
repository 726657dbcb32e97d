//! The SendSafely send flow against the emulator: packages, recipients, files uploaded in
//! encrypted segments (read back and decrypted with GnuPG), finalize and the secure link;
//! life bounds, lists with paging, deletion, refused recipients, progress and its stop.

#[path = "support/sendsafely_send.rs"]
mod send_support;
mod support;

use send_support::{demo_client, pattern, sha256, stored_sha256};
use sendsecure::sendsafely::model::{
    FileUpload, PackageList, UploadProgress, UploadProgressFn, UploadSource,
};
use sendsecure::{Error, ServiceCode};
use serde_json::json;
use std::sync::{Arc, Mutex};
use support::Emulator;

/// A progress callback that keeps every report and answers `go_on(report)`.
fn recording(
    go_on: impl Fn(&UploadProgress) -> bool + Send + Sync + 'static,
) -> (UploadProgressFn, Arc<Mutex<Vec<UploadProgress>>>) {
    let seen = Arc::new(Mutex::new(vec![]));
    let kept = seen.clone();
    let callback: UploadProgressFn = Arc::new(move |p| {
        kept.lock().unwrap().push(p);
        go_on(&p)
    });
    (callback, seen)
}

fn service_code(e: &Error) -> &str {
    match e {
        Error::Service {
            code: ServiceCode::Name(code),
            ..
        } => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_package_is_sent_and_every_file_decrypts_with_gnupg() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    assert_eq!(package.keycode.len(), 43);
    assert!(!format!("{package:?}").contains(&*package.keycode));

    let bob = client
        .add_recipient(&package.package_id, "bob@acme.example")
        .await
        .unwrap();
    client
        .update_recipient_phone(
            &package.package_id,
            &bob.recipient_id,
            "(123) 456-7890",
            "US",
        )
        .await
        .unwrap();
    let read_back = client
        .recipient(&package.package_id, &bob.recipient_id)
        .await
        .unwrap();
    assert_eq!(read_back.email, "bob@acme.example");
    assert_eq!(read_back.phone_numbers.len(), 1);
    assert_eq!(read_back.phone_numbers[0].number, "(123) 456-7890");
    assert_eq!(read_back.phone_numbers[0].country_code, Some(1));
    assert!(read_back.sms_auth);
    let many = client
        .add_recipients(
            &package.package_id,
            &["carol@example.com", "dave@example.com"],
        )
        .await
        .unwrap();
    assert_eq!(many.len(), 2);
    assert!(many
        .iter()
        .all(|o| o.code == "SUCCESS" && o.recipient.is_some()));

    let dir = tempfile::tempdir().unwrap();
    let big = pattern(6_000_000, 7);
    let big_path = dir.path().join("big.bin");
    std::fs::write(&big_path, &big).unwrap();
    let streamed = pattern(300_001, 3);
    let files = vec![
        FileUpload::new("empty.txt", UploadSource::Bytes(vec![])),
        FileUpload::from_path(&big_path),
        FileUpload::new(
            "streamed.bin",
            UploadSource::Reader {
                reader: Box::new(std::io::Cursor::new(streamed.clone())),
                size: streamed.len() as u64,
            },
        ),
    ];
    let (progress, seen) = recording(|_| true);
    let uploaded = client
        .upload_files(&package, files, Some(progress))
        .await
        .unwrap();
    let parts: Vec<u64> = uploaded.iter().map(|f| f.parts).collect();
    assert_eq!(parts, vec![1, 3, 1]);
    assert_eq!(uploaded[1].file_name, "big.bin");

    let total = 6_000_000 + 300_001;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 5, "one report per segment: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0].bytes_done <= w[1].bytes_done),
        "{seen:?}"
    );
    assert!(seen.iter().all(|p| p.bytes_total == total));
    assert_eq!(seen.last().unwrap().bytes_done, total);
    let big_parts: Vec<u64> = {
        let mut v: Vec<u64> = seen
            .iter()
            .filter(|p| p.file_index == 1)
            .map(|p| p.part)
            .collect();
        v.sort();
        v
    };
    assert_eq!(big_parts, vec![1, 2, 3]);
    assert!(seen
        .iter()
        .filter(|p| p.file_index == 1)
        .all(|p| p.parts == 3));

    let info = client
        .package_information(&package.package_id)
        .await
        .unwrap();
    assert_eq!(info.files.len(), 3);
    assert!(info.files.iter().all(|f| f.uploaded), "{:?}", info.files);
    assert_eq!(info.files[1].file_size, 6_000_000);
    assert_eq!(info.recipients.len(), 3);
    let by_code = client
        .package_information(&package.package_code)
        .await
        .unwrap();
    assert_eq!(by_code.package_id, package.package_id);
    let file = client
        .file_information(&package.package_id, &uploaded[1].file_id)
        .await
        .unwrap();
    assert_eq!((file.file_name.as_str(), file.parts), ("big.bin", 3));

    // The emulator verifies the checksum against the keycode it is told.
    emu.control(
        "POST",
        &format!("packages/{}/keycode", package.package_id),
        Some(json!({"keycode": &*package.keycode})),
    )
    .await;
    let finalized = client.finalize_package(&package).await.unwrap();
    assert!(!finalized.needs_approval);
    assert!(finalized.skipped_keys.is_empty());
    assert_eq!(
        &*finalized.secure_link,
        format!(
            "{}/receive/?thread={}&packageCode={}#keyCode={}",
            emu.url, package.package_id, package.package_code, &*package.keycode
        )
    );
    assert!(!format!("{finalized:?}").contains(&*package.keycode));
    let state = client
        .package_information(&package.package_id)
        .await
        .unwrap()
        .state;
    assert_ne!(state, "PACKAGE_STATE_IN_PROGRESS");

    let originals = [vec![], big, streamed];
    for (file, original) in uploaded.iter().zip(&originals) {
        assert_eq!(
            stored_sha256(&emu, &package, &file.file_id, file.parts).await,
            sha256(original),
            "{} does not decrypt to its bytes",
            file.file_name
        );
    }
}

#[tokio::test]
async fn an_open_file_is_read_from_its_position() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    let bytes = pattern(70_000, 9);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.bin");
    std::fs::write(&path, &bytes).unwrap();
    let mut file = std::fs::File::open(&path).unwrap();
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(1_000)).unwrap();
    let uploaded = client
        .upload_files(
            &package,
            vec![FileUpload::new("f.bin", UploadSource::File(file))],
            None,
        )
        .await
        .unwrap();
    assert_eq!(uploaded[0].file_size, 69_000);
    assert_eq!(
        stored_sha256(&emu, &package, &uploaded[0].file_id, 1).await,
        sha256(&bytes[1_000..])
    );
}

#[tokio::test]
async fn a_reader_that_gives_fewer_bytes_than_announced_is_refused() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    let short = FileUpload::new(
        "short.bin",
        UploadSource::Reader {
            reader: Box::new(std::io::Cursor::new(vec![1u8; 10])),
            size: 11,
        },
    );
    match client.upload_files(&package, vec![short], None).await {
        Err(Error::InvalidArgument(m)) => assert!(m.contains("ended before its 11 bytes"), "{m}"),
        other => panic!("{other:?}"),
    }
    let long = FileUpload::new(
        "long.bin",
        UploadSource::Reader {
            reader: Box::new(std::io::Cursor::new(vec![1u8; 12])),
            size: 11,
        },
    );
    match client.upload_files(&package, vec![long], None).await {
        Err(Error::InvalidArgument(m)) => assert!(m.contains("more than its 11 bytes"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn life_outside_one_to_365_days_is_refused_before_sending() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    for days in [0, -1, 366] {
        match client.update_package_life(&package.package_id, days).await {
            Err(Error::InvalidArgument(m)) => assert!(m.contains("1 to 365"), "{m}"),
            other => panic!("{days}: {other:?}"),
        }
    }
    client
        .update_package_life(&package.package_id, 10)
        .await
        .unwrap();
    client
        .update_package_label(&package.package_id, "Q3 figures")
        .await
        .unwrap();
    let info = client
        .package_information(&package.package_id)
        .await
        .unwrap();
    assert_eq!((info.life, info.label.as_str()), (Some(10), "Q3 figures"));
    let workspace = client.create_workspace().await.unwrap();
    let info = client
        .package_information(&workspace.package_id)
        .await
        .unwrap();
    assert!(info.is_vdr);
    assert!(!info.root_directory_id.is_empty());
}

#[tokio::test]
async fn lists_page_through_every_sent_package() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let mut created = vec![];
    for _ in 0..5 {
        created.push(client.create_package().await.unwrap().package_id);
    }
    let mut listed = vec![];
    let mut row = Some(0);
    let mut pages = 0;
    while let Some(from) = row {
        let page = client
            .list_packages(PackageList::Sent, from, 2)
            .await
            .unwrap();
        assert!(page.packages.len() <= 2);
        listed.extend(page.packages.into_iter().map(|p| p.package_id));
        row = page.next_row_index;
        pages += 1;
        assert!(pages <= 5, "the pages never end");
    }
    assert_eq!(pages, 3);
    listed.sort();
    created.sort();
    assert_eq!(listed, created);
    assert!(matches!(
        client.list_packages(PackageList::Sent, 0, 0).await,
        Err(Error::InvalidArgument(_))
    ));
    let received = client
        .list_packages(PackageList::Received, 0, 10)
        .await
        .unwrap();
    assert!(received.packages.is_empty());
}

#[tokio::test]
async fn deleted_packages_and_files_are_gone() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    let uploaded = client
        .upload_files(
            &package,
            vec![
                FileUpload::new("a.txt", UploadSource::Bytes(b"a".to_vec())),
                FileUpload::new("b.txt", UploadSource::Bytes(b"b".to_vec())),
            ],
            None,
        )
        .await
        .unwrap();
    client
        .delete_file(&package.package_id, &uploaded[0].file_id)
        .await
        .unwrap();
    let info = client
        .package_information(&package.package_id)
        .await
        .unwrap();
    let ids: Vec<&str> = info.files.iter().map(|f| f.file_id.as_str()).collect();
    assert_eq!(ids, vec![uploaded[1].file_id.as_str()]);
    client.delete_package(&package.package_id).await.unwrap();
    let gone = client
        .package_information(&package.package_id)
        .await
        .unwrap_err();
    assert_eq!(service_code(&gone), "UNKNOWN_PACKAGE");
    let temporary = client.create_package().await.unwrap();
    client
        .delete_temporary_package(&temporary.package_id)
        .await
        .unwrap();
    let gone = client
        .package_information(&temporary.package_id)
        .await
        .unwrap_err();
    assert_eq!(service_code(&gone), "UNKNOWN_PACKAGE");
}

#[tokio::test]
async fn refused_recipients_keep_their_code_and_body() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    let refused = client
        .add_recipient(&package.package_id, "not-an-address")
        .await
        .unwrap_err();
    assert_eq!(service_code(&refused), "INVALID_EMAIL");
    let body = refused.body().unwrap();
    assert!(
        body.contains("INVALID_EMAIL") && body.contains("not-an-address"),
        "{body}"
    );
    let outcomes = client
        .add_recipients(&package.package_id, &["ok@example.com", "bad"])
        .await
        .unwrap();
    assert_eq!(outcomes[0].code, "SUCCESS");
    assert_eq!(
        (outcomes[1].code.as_str(), outcomes[1].email.as_str()),
        ("INVALID_EMAIL", "bad")
    );
    assert!(outcomes[1].recipient.is_none());
    let rid = outcomes[0].recipient.as_ref().unwrap().recipient_id.clone();
    assert!(matches!(
        client
            .update_recipient_phone(&package.package_id, &rid, "12345", "usa")
            .await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        client
            .update_recipient_role(&package.package_id, &rid, "BOSS")
            .await,
        Err(Error::InvalidArgument(_))
    ));
    client
        .remove_recipient(&package.package_id, &rid)
        .await
        .unwrap();
    let gone = client
        .recipient(&package.package_id, &rid)
        .await
        .unwrap_err();
    assert_eq!(service_code(&gone), "INVALID_RECIPIENT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_progress_stop_cancels_and_the_file_is_not_completed_then_resumes() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    let bytes = pattern(2 * 2_621_440 + 5, 1);
    let (progress, seen) = recording(|_| false);
    emu.control("DELETE", "requests", None).await;
    let stopped = client
        .upload_files(
            &package,
            vec![FileUpload::new(
                "big.bin",
                UploadSource::Bytes(bytes.clone()),
            )],
            Some(progress),
        )
        .await;
    match stopped {
        Err(Error::InvalidState(m)) => assert!(m.contains("cancelled"), "{m}"),
        other => panic!("{other:?}"),
    }
    let journal = emu.control("GET", "requests", None).await;
    let targets: Vec<String> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !targets.iter().any(|t| t.contains("upload-complete")),
        "{targets:?}"
    );
    let info = client
        .package_information(&package.package_id)
        .await
        .unwrap();
    let file_id = info.files[0].file_id.clone();
    assert!(!info.files[0].uploaded);

    // Resumed from the parts the callback saw stored.
    let done: Vec<u64> = seen.lock().unwrap().iter().map(|p| p.part).collect();
    assert!(!done.is_empty());
    let (progress, resumed_seen) = recording(|_| true);
    let resumed = client
        .resume_file(
            &package,
            &file_id,
            FileUpload::new("big.bin", UploadSource::Bytes(bytes.clone())),
            &done,
            Some(progress),
        )
        .await
        .unwrap();
    assert_eq!(resumed.parts, 3);
    let resumed_seen = resumed_seen.lock().unwrap().clone();
    assert_eq!(resumed_seen.len(), 3 - done.len());
    if let Some(last) = resumed_seen.last() {
        assert_eq!(last.bytes_done, bytes.len() as u64);
    }
    assert!(
        client
            .file_information(&package.package_id, &file_id)
            .await
            .unwrap()
            .uploaded
    );
    assert_eq!(
        stored_sha256(&emu, &package, &file_id, 3).await,
        sha256(&bytes)
    );
}

/// Adds a trusted-device key of the demo user (S3) by a request signed here, since adding keys
/// is not part of the send flow; answers its id.
async fn add_demo_key(emu: &Emulator, armored: &str) -> String {
    let path = "/api/v2.0/public-key/";
    let body = serde_json::to_vec(&json!({"publicKey": armored, "description": "test"})).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let timestamp = sendsafely_crypto::signature::timestamp(now);
    let signature = sendsafely_crypto::signature::sign(
        "demo-api-secret",
        "demo-api-key",
        path,
        &timestamp,
        &body,
    );
    let answer: serde_json::Value = reqwest::Client::new()
        .put(format!("{}{path}", emu.url))
        .header("ss-api-key", "demo-api-key")
        .header("ss-request-timestamp", timestamp)
        .header("ss-request-signature", signature)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["response"], "SUCCESS", "{answer}");
    answer["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn finalize_wraps_the_keycode_to_usable_keys_and_reports_the_others() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let pair = sendsafely_crypto::keys::generate("Trusted Browser <demo@acme.example>").unwrap();
    let good = add_demo_key(&emu, &pair.public_armored).await;
    let unusable = add_demo_key(
        &emu,
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n",
    )
    .await;
    let package = client.create_package().await.unwrap();
    client
        .add_recipient(&package.package_id, "bob@acme.example")
        .await
        .unwrap();
    let finalized = client.finalize_package(&package).await.unwrap();
    assert_eq!(finalized.wrapped_keys, vec![good.clone()]);
    assert_eq!(finalized.skipped_keys.len(), 1);
    assert_eq!(finalized.skipped_keys[0].key_id, unusable);
    assert!(!finalized.skipped_keys[0].reason.is_empty());
    let stored = emu
        .control("GET", &format!("packages/{}", package.package_id), None)
        .await;
    let wrapped = stored["links"][&good].as_str().expect("a wrapped keycode");
    let unwrapped = sendsafely_crypto::keys::unwrap_keycode(&pair.secret_armored, wrapped).unwrap();
    assert_eq!(&*unwrapped, &*package.keycode);
}

#[tokio::test]
async fn a_finalize_refused_for_its_checksum_keeps_the_errors_in_its_body() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    client
        .add_recipient(&package.package_id, "bob@acme.example")
        .await
        .unwrap();
    let other = sendsafely_crypto::secrets::new_keycode();
    emu.control(
        "POST",
        &format!("packages/{}/keycode", package.package_id),
        Some(json!({"keycode": &*other})),
    )
    .await;
    let refused = client.finalize_package(&package).await.unwrap_err();
    assert_eq!(service_code(&refused), "FAIL");
    let body: serde_json::Value = serde_json::from_str(refused.body().unwrap()).unwrap();
    assert!(
        body["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    assert!(!format!("{refused} {refused:?}").contains(&*package.keycode));
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_counts_as_done_when_the_retry_finds_nothing() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    let lost = json!({"kind": "drop_response", "method": "DELETE",
                      "path": format!("/api/v2.0/package/{}", package.package_id), "count": 1});
    let answer = emu.control("POST", "faults", Some(lost)).await;
    assert_eq!(answer["result"], true, "{answer}");
    client.delete_package(&package.package_id).await.unwrap();
    let stats = emu.control("GET", "stats", None).await;
    assert_eq!(stats["faults"]["drop_response"], 1, "{stats}");
    // Without a lost answer, deleting what is not there is still refused.
    let refused = client
        .delete_package(&package.package_id)
        .await
        .unwrap_err();
    assert_eq!(service_code(&refused), "UNKNOWN_PACKAGE");
}

#[tokio::test]
async fn a_source_that_cannot_be_read_registers_no_file() {
    let emu = Emulator::sendsafely();
    let client = demo_client(&emu);
    let package = client.create_package().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.bin");
    let files = vec![
        FileUpload::new("ok.txt", UploadSource::Bytes(b"ok".to_vec())),
        FileUpload::from_path(&missing),
    ];
    match client.upload_files(&package, files, None).await {
        Err(Error::Io { path, .. }) => assert!(path.ends_with("missing.bin"), "{path}"),
        other => panic!("{other:?}"),
    }
    let directory = FileUpload::new("dir", UploadSource::Path(dir.path().to_path_buf()));
    assert!(matches!(
        client.upload_files(&package, vec![directory], None).await,
        Err(Error::InvalidArgument(_))
    ));
    let unnamed = FileUpload::new(" ", UploadSource::Bytes(vec![]));
    assert!(matches!(
        client.upload_files(&package, vec![unnamed], None).await,
        Err(Error::InvalidArgument(_))
    ));
    let info = client
        .package_information(&package.package_id)
        .await
        .unwrap();
    assert!(info.files.is_empty(), "{:?}", info.files);
}
