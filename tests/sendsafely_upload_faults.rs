//! SendSafely uploads through a faulty storage: segment PUTs dropped, answered 503,
//! or refused 403 as an expired URL. Every package still ends complete and finalized, and
//! every file decrypts (GnuPG) to its SHA-256.
//!
//! The emulator's rules match storage PUTs by method and path prefix (`PUT /_storage`); its
//! `drop_upload` matches POST uploads only, so a dropped PUT is `drop_connection` (closed
//! before it is handled); `expire_url` (spec §10.9) is not there yet, so an expired URL is a
//! `respond` rule answering 403 on the same requests.

#[path = "support/sendsafely_send.rs"]
mod send_support;
mod support;

use send_support::{pattern, sha256, stored_sha256};
use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::sendsafely::model::{FileUpload, UploadSource};
use sendsecure::TransportOptions;
use serde_json::{json, Value};
use std::time::Duration;
use support::Emulator;

const PACKAGES: usize = 8;
/// Sizes cycled through: 1, 1, 2 and 3 segments.
const SIZES: [usize; 4] = [0, 700_001, 2_621_441, 5_300_000];

async fn fault(emu: &Emulator, rule: Value) {
    let answer = emu.control("POST", "faults", Some(rule.clone())).await;
    assert_eq!(answer["result"], true, "fault {rule} refused: {answer}");
}

fn fired(stats: &Value, kind: &str) -> u64 {
    stats["faults"][kind].as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_package_ends_complete_through_dropped_and_refused_segment_puts() {
    let emu = Emulator::sendsafely();
    let options = ClientOptions {
        transport: TransportOptions {
            max_retries: 8,
            retry_base_delay: Duration::from_millis(10),
            retry_max_delay: Duration::from_millis(200),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::new(&emu.url, "demo-api-key", "demo-api-secret", options).unwrap();
    // Seeded: the same requests in the same order get the same faults.
    for rule in [
        json!({"kind": "drop_connection", "method": "PUT", "path": "/_storage",
               "count": 0, "probability": 0.10, "seed": 1}),
        json!({"kind": "respond", "method": "PUT", "path": "/_storage", "status": 503,
               "body_text": "Slow Down", "count": 0, "probability": 0.05, "seed": 2}),
        json!({"kind": "respond", "method": "PUT", "path": "/_storage", "status": 403,
               "body_text": "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
               "count": 0, "probability": 0.05, "seed": 3}),
    ] {
        fault(&emu, rule).await;
    }
    let before = emu.control("GET", "stats", None).await;

    let mut sent = vec![];
    for i in 0..PACKAGES {
        let package = client.create_package().await.unwrap();
        client
            .add_recipient(&package.package_id, "bob@acme.example")
            .await
            .unwrap();
        let originals: Vec<Vec<u8>> = (0..2)
            .map(|j| pattern(SIZES[(i * 2 + j) % SIZES.len()], (i * 2 + j) as u8))
            .collect();
        let files = originals
            .iter()
            .enumerate()
            .map(|(j, bytes)| {
                FileUpload::new(format!("f{j}.bin"), UploadSource::Bytes(bytes.clone()))
            })
            .collect();
        let uploaded = client
            .upload_files(&package, files, None)
            .await
            .unwrap_or_else(|e| panic!("package {i}: {e}"));
        emu.control(
            "POST",
            &format!("packages/{}/keycode", package.package_id),
            Some(json!({"keycode": &*package.keycode})),
        )
        .await;
        client
            .finalize_package(&package)
            .await
            .unwrap_or_else(|e| panic!("package {i} finalize: {e}"));
        sent.push((package, uploaded, originals));
    }

    let after = emu.control("GET", "stats", None).await;
    for kind in ["drop_connection", "respond"] {
        assert!(
            fired(&after, kind) > fired(&before, kind),
            "no `{kind}` fault fired: {}",
            after["faults"]
        );
    }
    emu.control("DELETE", "faults", None).await;

    for (package, uploaded, originals) in &sent {
        let info = client
            .package_information(&package.package_id)
            .await
            .unwrap();
        assert!(info.files.iter().all(|f| f.uploaded), "{:?}", info.files);
        assert_ne!(info.state, "PACKAGE_STATE_IN_PROGRESS");
        for (file, original) in uploaded.iter().zip(originals) {
            assert_eq!(
                stored_sha256(&emu, package, &file.file_id, file.parts).await,
                sha256(original),
                "{} of {}",
                file.file_name,
                package.package_id
            );
        }
    }
}

/// The targets of the journal's requests containing `part`.
async fn requests_to(emu: &Emulator, part: &str) -> usize {
    emu.control("GET", "requests", None).await["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["target"].as_str().unwrap_or_default().contains(part))
        .count()
}

#[tokio::test]
async fn an_expired_url_is_asked_again_for_its_part_and_a_lasting_refusal_fails() {
    let emu = Emulator::sendsafely();
    let client = Client::new(
        &emu.url,
        "demo-api-key",
        "demo-api-secret",
        ClientOptions::default(),
    )
    .unwrap();
    let package = client.create_package().await.unwrap();
    let expired = json!({"kind": "respond", "method": "PUT", "path": "/_storage", "status": 403,
                         "body_text": "Request has expired", "count": 2});
    fault(&emu, expired).await;
    emu.control("DELETE", "requests", None).await;
    let bytes = pattern(1_000, 5);
    let uploaded = client
        .upload_files(
            &package,
            vec![FileUpload::new("a.bin", UploadSource::Bytes(bytes.clone()))],
            None,
        )
        .await
        .unwrap();
    // The first URL request, then one per refusal.
    assert_eq!(requests_to(&emu, "/upload-urls").await, 3);
    assert_eq!(
        stored_sha256(&emu, &package, &uploaded[0].file_id, 1).await,
        sha256(&bytes)
    );

    let always = json!({"kind": "respond", "method": "PUT", "path": "/_storage", "status": 403,
                        "body_text": "Request has expired", "count": 0});
    fault(&emu, always).await;
    let refused = client
        .upload_files(
            &package,
            vec![FileUpload::new("b.bin", UploadSource::Bytes(bytes))],
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(refused.http_status(), Some(403), "{refused:?}");
    assert_eq!(refused.body(), Some("Request has expired"));
}
