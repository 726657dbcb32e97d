//! Uploads far larger than memory: a 2 GiB raw-body upload streamed from a generator while the
//! emulator's resident memory is watched, and a large streamed multipart upload.

mod support;

use bytes::Bytes;
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{read_response, Api, Emulator};

const OWNER: &str = "demo@acme.example";
const CHUNK: usize = 1 << 20;
const MIB: u64 = 1 << 20;

/// A memory figure (`VmRSS`, `VmHWM`, …) of a process, in bytes.
fn proc_status_bytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("/proc/<pid>/status is readable");
    let line = status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"));
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

/// A stream of `chunks` chunks of 1 MiB: one buffer, with the chunk's number written into it,
/// hashed as it goes; `produced` counts the bytes handed out.
fn generated_body(
    chunks: u64,
    hasher: Arc<Mutex<Sha256>>,
    produced: Arc<AtomicU64>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let pattern: Vec<u8> = (0..CHUNK).map(|i| (i % 251) as u8).collect();
    futures_util::stream::unfold((0u64, pattern), move |(n, mut buffer)| {
        let hasher = hasher.clone();
        let produced = produced.clone();
        async move {
            if n == chunks {
                return None;
            }
            buffer[..8].copy_from_slice(&n.to_le_bytes());
            buffer[CHUNK - 8..].copy_from_slice(&(!n).to_le_bytes());
            let chunk = Bytes::copy_from_slice(&buffer);
            hasher.lock().unwrap().update(&chunk);
            produced.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            Some((Ok(chunk), (n + 1, buffer)))
        }
    })
}

async fn initialize(api: &Api) -> (String, String) {
    let (status, init) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{init}");
    (
        init["guid"].as_str().unwrap().to_string(),
        init["upload_url"].as_str().unwrap().to_string(),
    )
}

async fn commit(api: &Api, guid: &str, document: &str) {
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            json!({"safebox": {"guid": guid, "user_email": OWNER, "security_profile_id": 1, "notification_language": "en",
                "recipients": [{"email": "guest@example.com"}], "document_ids": [document]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn stored_document(emu: &Emulator, guid: &str) -> Value {
    let (status, body) = emu
        .control(Method::GET, &format!("safeboxes/{guid}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["documents"].as_array().unwrap().len(), 1, "{body}");
    body["documents"][0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2_gib_streamed_upload_keeps_the_emulator_small() {
    const CHUNKS: u64 = 2048;
    const TOTAL: u64 = CHUNKS * CHUNK as u64;
    const LIMIT: u64 = 200 * MIB;
    // A data directory this test owns, so the 2 GiB file goes away whatever happens.
    let data = tempfile::tempdir().unwrap();
    let emu = Emulator::start(&["--data-dir", data.path().to_str().unwrap()]);
    let pid = emu.pid();
    let api = emu.demo_user().await;
    let (guid, upload_url) = initialize(&api).await;
    let rss_at_start = proc_status_bytes(pid, "VmRSS");

    // Watch the resident set size while the upload runs.
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(Ordering::Relaxed) {
                peak = peak.max(proc_status_bytes(pid, "VmRSS"));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };

    let hasher = Arc::new(Mutex::new(Sha256::new()));
    let produced = Arc::new(AtomicU64::new(0));
    let body = reqwest::Body::wrap_stream(generated_body(CHUNKS, hasher.clone(), produced.clone()));
    let started = Instant::now();
    let upload = tokio::spawn(
        api.client
            .post(&upload_url)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header(header::CONTENT_LENGTH, TOTAL)
            .header(
                header::CONTENT_DISPOSITION,
                "attachment; filename*=UTF-8''big%20archive.tar",
            )
            .body(body)
            .send(),
    );

    // Half-way through, the emulator has stored part of the file: it streams, not buffers.
    while produced.load(Ordering::Relaxed) < TOTAL / 2 {
        assert!(!upload.is_finished(), "the upload ended early");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (_, stats) = emu.control(Method::GET, "stats", None).await;
    let received = stats["upload_bytes"].as_u64().unwrap();
    assert!(
        received > 0 && received < TOTAL,
        "received {received} of {TOTAL} bytes half-way"
    );
    let rss_half_way = proc_status_bytes(pid, "VmRSS");

    let response = upload.await.unwrap().expect("the upload completes");
    let elapsed = started.elapsed();
    let (status, answer) = read_response(response).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    done.store(true, Ordering::Relaxed);
    let sampled_peak = sampler.join().unwrap();
    let hwm = proc_status_bytes(pid, "VmHWM");
    let rss_after = proc_status_bytes(pid, "VmRSS");
    assert_eq!(produced.load(Ordering::Relaxed), TOTAL);
    let sha256 = hex::encode(hasher.lock().unwrap().clone().finalize());
    println!(
        "2 GiB upload in {elapsed:.1?}: emulator VmRSS start {} MiB, half-way {} MiB, sampled peak {} MiB, \
         after {} MiB; VmHWM (peak RSS) {} MiB",
        rss_at_start / MIB,
        rss_half_way / MIB,
        sampled_peak / MIB,
        rss_after / MIB,
        hwm / MIB
    );
    assert!(
        sampled_peak < LIMIT,
        "sampled RSS peak {} MiB",
        sampled_peak / MIB
    );
    assert!(hwm < LIMIT, "peak RSS (VmHWM) {} MiB", hwm / MIB);

    let document = answer["temporary_document"]["document_guid"]
        .as_str()
        .unwrap()
        .to_string();
    commit(&api, &guid, &document).await;
    let stored = stored_document(&emu, &guid).await;
    assert_eq!(stored["id"], json!(document));
    assert_eq!(stored["name"], json!("big archive.tar"));
    assert_eq!(stored["size"], json!(TOTAL));
    assert_eq!(stored["sha256"], json!(sha256));
    assert_eq!(stored["stored"], json!(true));
    let (_, stats) = emu.control(Method::GET, "stats", None).await;
    assert!(stats["upload_bytes"].as_u64().unwrap() >= TOTAL);
    // The messages API reports the same.
    let (status, messages) = api
        .get(&format!("api/v2/safeboxes/{guid}/messages.json"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        messages["messages"][0]["documents"][0]["size"],
        json!(TOTAL)
    );
    assert_eq!(
        messages["messages"][0]["documents"][0]["sha"],
        json!(sha256)
    );
    assert!(proc_status_bytes(pid, "VmHWM") < LIMIT);
}

#[tokio::test]
async fn a_large_streamed_multipart_upload() {
    const CHUNKS: u64 = 64;
    const TOTAL: u64 = CHUNKS * CHUNK as u64;
    let data = tempfile::tempdir().unwrap();
    let emu = Emulator::start(&["--data-dir", data.path().to_str().unwrap()]);
    let api = emu.demo_user().await;
    let (guid, upload_url) = initialize(&api).await;
    let hasher = Arc::new(Mutex::new(Sha256::new()));
    let produced = Arc::new(AtomicU64::new(0));
    let body = reqwest::Body::wrap_stream(generated_body(CHUNKS, hasher.clone(), produced));
    let part = reqwest::multipart::Part::stream_with_length(body, TOTAL)
        .file_name("video.mp4")
        .mime_str("video/mp4")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("type", "video/mp4")
        .part("file", part);
    let (status, answer) = read_response(
        api.client
            .post(&upload_url)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let document = answer["temporary_document"]["document_guid"]
        .as_str()
        .unwrap()
        .to_string();
    commit(&api, &guid, &document).await;
    let stored = stored_document(&emu, &guid).await;
    assert_eq!(stored["name"], json!("video.mp4"));
    assert_eq!(stored["size"], json!(TOTAL));
    assert_eq!(
        stored["sha256"],
        json!(hex::encode(hasher.lock().unwrap().clone().finalize()))
    );
}
