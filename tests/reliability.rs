//! Reliability against the emulator's fault injection (real HTTP): timeouts, retries with
//! backoff, `Retry-After`, uploads re-sent from their start, downloads resumed, and the
//! exactly-once commit. The first test is a fault-injection run over 200 submits whose figures
//! are printed (`cargo test --test reliability -- --nocapture`).

#[path = "support/raw_http.rs"]
mod raw_http;
mod support;

use futures_util::StreamExt;
use sendsecure::{
    get_user_token, Attachment, Client, ClientOptions, ContactEdit, DownloadSink, Error, Recipient,
    Reply, Safebox, TokenRequest, TransportOptions, UserToken,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

async fn login(emu: &Emulator) -> UserToken {
    get_user_token(
        &TokenRequest {
            enterprise_account: ACCOUNT,
            username: USER,
            password: PASSWORD,
            device_id: "device-1",
            device_name: "reliability tests",
            endpoint: Some(&emu.url),
            ..TokenRequest::default()
        },
        &ClientOptions::default(),
    )
    .await
    .expect("demo login")
}

/// A client with quick retries (so tests do not wait), changed by `tune`.
async fn client(emu: &Emulator, tune: impl FnOnce(&mut ClientOptions)) -> (Client, UserToken) {
    let token = login(emu).await;
    let mut options = ClientOptions {
        user_id: Some(token.user_id),
        transport: TransportOptions {
            retry_base_delay: Duration::from_millis(20),
            retry_max_delay: Duration::from_secs(2),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    tune(&mut options);
    let client = Client::new(&token.token, ACCOUNT, Some(&emu.url), options).expect("client");
    (client, token)
}

async fn fault(emu: &Emulator, rule: Value) {
    let answer = emu.control("POST", "faults", Some(rule.clone())).await;
    assert_eq!(answer["result"], true, "fault {rule} refused: {answer}");
}

async fn clear_faults(emu: &Emulator) {
    emu.control("DELETE", "faults", None).await;
}

async fn stats(emu: &Emulator) -> Value {
    emu.control("GET", "stats", None).await
}

/// Every committed SafeBox, as the control API shows them.
async fn stored(emu: &Emulator) -> Vec<Value> {
    emu.control("GET", "safeboxes", None).await["safeboxes"]
        .as_array()
        .cloned()
        .expect("safeboxes")
}

/// The SafeBoxes stored with this subject.
async fn with_subject(emu: &Emulator, subject: &str) -> Vec<Value> {
    stored(emu)
        .await
        .into_iter()
        .filter(|sb| sb["subject"] == subject)
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Deterministic bytes (xorshift), so runs are reproducible.
fn data(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn safebox(subject: &str) -> Safebox {
    let mut sb = Safebox::new(EMAIL);
    sb.subject = Some(subject.to_string());
    sb.message = Some("reliability".into());
    sb.recipients.push(Recipient::new("guest@example.com"));
    sb.security_profile_id = Some(1);
    sb
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_injection_run_creates_every_safebox_once_with_intact_files() {
    const SUBMITS: usize = 200;
    const PARALLEL: usize = 8;
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |o| {
        o.transport.request_timeout = Some(Duration::from_secs(2));
        o.transport.stall_timeout = Some(Duration::from_millis(300));
        o.transport.max_retries = 4;
        o.transport.retry_base_delay = Duration::from_millis(20);
        o.transport.retry_max_delay = Duration::from_millis(500);
        o.upload_concurrency = 3;
    })
    .await;
    // Warm up (discovery) before the faults, so every figure below is about submits.
    client.get_enterprise_settings().await.expect("settings");
    // Seeded rules: the same requests in the same order get the same faults.
    for rule in [
        json!({"kind": "drop_upload", "path": "/xmss", "after_bytes": 1000, "count": 0, "probability": 0.10, "seed": 1}),
        json!({"kind": "respond", "status": 503, "count": 0, "probability": 0.05, "seed": 2}),
        json!({"kind": "delay", "path": "/xmss", "delay_ms": 800, "count": 0, "probability": 0.03, "seed": 3}),
        json!({"kind": "drop_response", "method": "POST", "path": "/api/v2/safeboxes", "count": 0, "probability": 0.05, "seed": 4}),
        json!({"kind": "drop_connection", "method": "GET", "count": 0, "probability": 0.02, "seed": 5}),
    ] {
        fault(&emu, rule).await;
    }
    let before = stats(&emu).await;

    // 200 submits of 3 small attachments each, 8 at a time.
    let mut expected: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut jobs = Vec::new();
    let mut payload = 0u64;
    for i in 0..SUBMITS {
        let subject = format!("reliability-{i:03}");
        let mut sb = safebox(&subject);
        let mut files = HashMap::new();
        for j in 0..3u64 {
            let bytes = data(
                (i as u64) * 3 + j,
                2_000 + ((i * 7919 + j as usize * 104_729) % 30_000),
            );
            let name = format!("file-{i:03}-{j}.dat");
            files.insert(name.clone(), sha256(&bytes));
            payload += bytes.len() as u64;
            sb.attachments
                .push(Attachment::from_bytes(bytes, &name, None).expect("attachment"));
        }
        expected.insert(subject.clone(), files);
        jobs.push((subject, sb));
    }
    let started = Instant::now();
    let results: Vec<(
        String,
        Duration,
        sendsecure::Result<sendsecure::SafeboxResponse>,
    )> = futures_util::stream::iter(jobs.into_iter().map(|(subject, mut sb)| {
        let client = client.clone();
        async move {
            let t = Instant::now();
            let result = client.submit_safebox(&mut sb, None).await;
            (subject, t.elapsed(), result)
        }
    }))
    .buffer_unordered(PARALLEL)
    .collect()
    .await;
    let elapsed = started.elapsed();
    let after = stats(&emu).await;
    clear_faults(&emu).await;

    // Check the emulator's state against what each submit said.
    let mut by_subject: HashMap<String, Vec<Value>> = HashMap::new();
    for sb in stored(&emu).await {
        if let Some(subject) = sb["subject"].as_str() {
            by_subject.entry(subject.to_string()).or_default().push(sb);
        }
    }
    let (mut ok, mut recovered, mut failures) = (0, 0, Vec::new());
    let mut durations = Vec::new();
    for (subject, took, result) in &results {
        durations.push(*took);
        let found = by_subject.get(subject).map(Vec::as_slice).unwrap_or(&[]);
        assert!(found.len() <= 1, "{subject}: {} SafeBoxes", found.len());
        match result {
            Ok(response) => {
                ok += 1;
                if response.recovered {
                    recovered += 1;
                    assert!(response.encryption_key.is_none());
                }
                assert_eq!(found.len(), 1, "{subject} succeeded but is not stored");
                assert_eq!(found[0]["guid"], response.guid.as_str());
                let documents = found[0]["documents"].as_array().expect("documents");
                let want = &expected[subject];
                assert_eq!(documents.len(), want.len(), "{subject}: {documents:?}");
                for d in documents {
                    let name = d["name"].as_str().expect("name");
                    assert_eq!(
                        d["sha256"].as_str(),
                        Some(want[name].as_str()),
                        "{subject}/{name}"
                    );
                }
            }
            Err(e) => {
                let message = e.to_string();
                assert!(!message.is_empty());
                // A failure for a SafeBox that exists is allowed only when the outcome could
                // not be learned, and then the error says so.
                if !found.is_empty() {
                    assert!(
                        message.contains("unknown"),
                        "{subject}: stored, but: {message}"
                    );
                }
                failures.push(format!("{subject}: {message}"));
            }
        }
    }
    durations.sort();
    let count = |s: &Value, k: &str| s[k].as_u64().unwrap_or(0);
    let fired = |kind: &str| count(&after["faults"], kind) - count(&before["faults"], kind);
    let uploaded = count(&after, "upload_bytes") - count(&before, "upload_bytes");
    println!("fault-injection run: {SUBMITS} submits x 3 attachments, {PARALLEL} at a time, in {elapsed:.2?}");
    println!(
        "  faults fired: drop_upload {}, respond 503 {}, delay 800 ms (stall timeout 300 ms) {}, \
         drop_response on commit {}, drop_connection on GET {}",
        fired("drop_upload"),
        fired("respond"),
        fired("delay"),
        fired("drop_response"),
        fired("drop_connection")
    );
    println!(
        "  requests {}, connections {}; upload bytes {} for {} bytes of files ({:.1}% re-sent or \
         multipart overhead)",
        count(&after, "requests") - count(&before, "requests"),
        count(&after, "connections") - count(&before, "connections"),
        uploaded,
        payload,
        (uploaded as f64 / payload as f64 - 1.0) * 100.0
    );
    println!(
        "  succeeded {ok}/{SUBMITS} ({recovered} after a lost commit answer, found by GUID), \
         failed {}; SafeBoxes stored {}, duplicates 0, every stored file's SHA-256 matches",
        failures.len(),
        by_subject.len()
    );
    println!(
        "  submit time p50 {:.0?}, p95 {:.0?}, max {:.0?}",
        percentile(&durations, 0.5),
        percentile(&durations, 0.95),
        percentile(&durations, 1.0)
    );
    for f in &failures {
        println!("  failure: {f}");
    }
    assert!(fired("drop_upload") > 0 && fired("respond") > 0 && fired("delay") > 0);
    assert!(fired("drop_response") > 0, "no commit answer was lost");
    assert!(failures.is_empty(), "submits failed: {failures:#?}");
}

#[tokio::test]
async fn a_lost_commit_answer_ends_as_one_successful_safebox() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |_| {}).await;
    let mut sb = safebox("lost answer");
    sb.security_options.double_encryption = Some(true);
    sb.attachments
        .push(Attachment::from_bytes(data(1, 5000), "a.dat", None).unwrap());
    // The emulator commits, then closes the connection without answering.
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "POST", "path": "/api/v2/safeboxes"}),
    )
    .await;
    let response = client
        .submit_safebox(&mut sb, None)
        .await
        .expect("the SafeBox was created: the submit succeeds");
    assert!(response.recovered);
    assert_eq!(Some(response.guid.as_str()), sb.guid.as_deref());
    assert_eq!(response.encryption_key, None, "only in the lost answer");
    let found = with_subject(&emu, "lost answer").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["guid"], response.guid.as_str());
    assert_eq!(found[0]["documents"][0]["sha256"], sha256(&data(1, 5000)));
}

#[tokio::test]
async fn a_reply_whose_answer_is_lost_is_found_by_its_documents_and_posted_once() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |_| {}).await;
    let mut sb = safebox("lost reply answer");
    let guid = client.submit_safebox(&mut sb, None).await.unwrap().guid;
    let path = format!("/api/v2/safeboxes/{guid}/messages");
    let messages = |client: Client, guid: String| async move {
        client.get_safebox_messages(&guid).await.unwrap()
    };
    let before = messages(client.clone(), guid.clone()).await.len();

    // With an attachment: the server posts it, then the connection closes without an answer.
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "POST", "path": path}),
    )
    .await;
    let mut reply = Reply {
        message: Some("signed copy".into()),
        attachments: vec![Attachment::from_bytes(data(3, 7000), "signed.dat", None).unwrap()],
        ..Reply::default()
    };
    client
        .reply(&guid, &mut reply, None)
        .await
        .expect("the reply was posted: the call succeeds");
    assert!(reply.sent);
    let after = messages(client.clone(), guid.clone()).await;
    assert_eq!(after.len(), before + 1, "posted once");
    let posted = after.last().unwrap();
    assert_eq!(posted.note, "signed copy");
    assert_eq!(posted.documents.len(), 1);
    assert_eq!(posted.documents[0].name, "signed.dat");
    assert!(matches!(
        client.reply(&guid, &mut reply, None).await,
        Err(Error::InvalidState(_))
    ));

    // Refused with 503 before posting: not found among the messages, the error stands, and
    // the same reply (its documents uploaded already) can be sent again.
    fault(
        &emu,
        json!({"kind": "respond", "method": "POST", "path": path, "status": 503}),
    )
    .await;
    let mut reply = Reply {
        message: Some("second try".into()),
        attachments: vec![Attachment::from_bytes(data(4, 3000), "second.dat", None).unwrap()],
        ..Reply::default()
    };
    let error = client.reply(&guid, &mut reply, None).await.unwrap_err();
    assert_eq!(error.http_status(), Some(503));
    assert!(!reply.sent);
    assert_eq!(
        messages(client.clone(), guid.clone()).await.len(),
        before + 1
    );
    client.reply(&guid, &mut reply, None).await.unwrap();
    let after = messages(client.clone(), guid.clone()).await;
    assert_eq!(after.len(), before + 2);
    assert_eq!(after.last().unwrap().documents[0].name, "second.dat");

    // Without an attachment nothing tells it apart from another message with the same text:
    // the lost answer stays an error (the message was posted, once).
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "POST", "path": path}),
    )
    .await;
    let mut reply = Reply {
        message: Some("text only".into()),
        ..Reply::default()
    };
    let error = client.reply(&guid, &mut reply, None).await.unwrap_err();
    assert!(matches!(error, Error::Connect(_)), "{error:?}");
    let after = messages(client.clone(), guid.clone()).await;
    assert_eq!(after.iter().filter(|m| m.note == "text only").count(), 1);
}

#[tokio::test]
async fn a_commit_refused_as_already_committed_after_a_lost_answer_is_a_success() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |_| {}).await;
    let mut sb = safebox("already committed");
    client.initialize_safebox(&mut sb).await.unwrap();
    // The commit is made but its answer lost; the check is told "not found" once (a lagging
    // replica); the commit sent again is refused "has already been committed": checked again.
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "POST", "path": "/api/v2/safeboxes"}),
    )
    .await;
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/safeboxes/", "status": 404,
               "body": {"message": "The requested URL cannot be found."}}),
    )
    .await;
    let response = client.commit_safebox(&sb).await.expect("committed once");
    assert!(response.recovered);
    assert_eq!(with_subject(&emu, "already committed").await.len(), 1);
    // A commit that simply repeats a success is still refused.
    let again = client.commit_safebox(&sb).await.unwrap_err();
    assert_eq!(again.http_status(), Some(400), "{again}");
}

#[tokio::test]
async fn a_commit_whose_outcome_cannot_be_learned_says_so_and_the_next_call_resolves_it() {
    let emu = Emulator::demo();
    let (client, token) = client(&emu, |_| {}).await;
    let mut sb = safebox("unknown outcome");
    client.initialize_safebox(&mut sb).await.unwrap();
    let guid = sb.guid.clone().unwrap();
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "POST", "path": "/api/v2/safeboxes"}),
    )
    .await;
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/safeboxes/", "status": 500, "count": 0}),
    )
    .await;
    let error = client.commit_safebox(&sb).await.unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Connect(_)), "{error:?}");
    assert!(
        message.contains("unknown") && message.contains(&guid),
        "{message}"
    );
    assert!(!message.contains(&token.token));
    clear_faults(&emu).await;
    // Committing again is safe: refused as already committed, checked, found.
    let response = client.commit_safebox(&sb).await.expect("resolved");
    assert!(response.recovered);
    assert_eq!(response.guid, guid);
    assert_eq!(with_subject(&emu, "unknown outcome").await.len(), 1);
}

#[tokio::test]
async fn a_commit_without_answer_in_time_is_checked_and_made_once() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |o| {
        o.transport.request_timeout = Some(Duration::from_millis(1000));
        o.transport.retry_base_delay = Duration::from_millis(600);
    })
    .await;
    let mut sb = safebox("slow commit");
    client.initialize_safebox(&mut sb).await.unwrap();
    fault(
        &emu,
        json!({"kind": "delay", "method": "POST", "path": "/api/v2/safeboxes", "delay_ms": 1200}),
    )
    .await;
    let started = Instant::now();
    let response = client.commit_safebox(&sb).await.expect("created once");
    let took = started.elapsed();
    println!(
        "commit answered after the 1 s request timeout: created once in {took:.2?} (recovered: {})",
        response.recovered
    );
    assert!(took >= Duration::from_millis(1000), "{took:?}");
    assert!(took < Duration::from_secs(6), "{took:?}");
    // Let the delayed first commit finish whatever it does, then count.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(with_subject(&emu, "slow commit").await.len(), 1);
}

#[tokio::test]
async fn a_commit_answered_503_is_checked_and_sent_again() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |_| {}).await;
    let mut sb = safebox("busy commit");
    client.initialize_safebox(&mut sb).await.unwrap();
    fault(
        &emu,
        json!({"kind": "respond", "method": "POST", "path": "/api/v2/safeboxes", "status": 503, "count": 2}),
    )
    .await;
    let response = client.commit_safebox(&sb).await.expect("third attempt");
    assert!(!response.recovered, "the answer came");
    assert!(response.encryption_key.is_none() || !response.preview_url.is_empty());
    assert_eq!(with_subject(&emu, "busy commit").await.len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_longer_one_is_reported() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |o| {
        o.transport.retry_max_delay = Duration::from_secs(5)
    })
    .await;
    client.get_enterprise_settings().await.expect("warm up");
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/enterprises", "status": 429,
               "headers": {"Retry-After": "1"}}),
    )
    .await;
    let started = Instant::now();
    client.get_enterprise_settings().await.expect("retried");
    let waited = started.elapsed();
    println!("429 with Retry-After: 1 -> retried after {waited:.2?}");
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
    assert!(waited < Duration::from_secs(4), "{waited:?}");

    // Longer than retry_max_delay: reported at once.
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/enterprises", "status": 429,
               "headers": {"Retry-After": "3600"}}),
    )
    .await;
    let started = Instant::now();
    let error = client.get_enterprise_settings().await.unwrap_err();
    assert_eq!(error.http_status(), Some(429));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_for() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |o| {
        o.transport.retry_max_delay = Duration::from_secs(5)
    })
    .await;
    client.get_enterprise_settings().await.expect("warm up");
    // Two seconds from now (to the second): the emulator's Date is this second or the next, so
    // the wait is one or two seconds, not the 250 ms backoff.
    let at = std::time::SystemTime::now() + Duration::from_secs(2);
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/enterprises", "status": 503,
               "headers": {"Retry-After": httpdate::fmt_http_date(at)}}),
    )
    .await;
    let started = Instant::now();
    client.get_enterprise_settings().await.expect("retried");
    let waited = started.elapsed();
    println!("503 with Retry-After: <in 2 s> -> retried after {waited:.2?}");
    assert!(waited >= Duration::from_millis(900), "{waited:?}");

    // A date an hour away is longer than retry_max_delay: reported at once.
    let at = std::time::SystemTime::now() + Duration::from_secs(3600);
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/enterprises", "status": 503,
               "headers": {"Retry-After": httpdate::fmt_http_date(at)}}),
    )
    .await;
    let started = Instant::now();
    let error = client.get_enterprise_settings().await.unwrap_err();
    assert_eq!(error.http_status(), Some(503));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn a_get_is_retried_on_503_and_a_creating_post_is_not() {
    let emu = Emulator::demo();
    let (client, token) = client(&emu, |_| {}).await;
    client.get_enterprise_settings().await.expect("warm up");
    let before = stats(&emu).await["requests"].as_u64().unwrap();
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/enterprises", "status": 503, "count": 2}),
    )
    .await;
    client
        .get_enterprise_settings()
        .await
        .expect("third attempt");
    let after = stats(&emu).await["requests"].as_u64().unwrap();
    assert_eq!(
        after - before,
        3,
        "two 503, then the success (the control API is not counted)"
    );

    // Spent retries: the last answer, with the number of attempts.
    fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/enterprises", "status": 503, "count": 0}),
    )
    .await;
    let error = client.get_enterprise_settings().await.unwrap_err();
    assert_eq!(error.http_status(), Some(503));
    assert!(error.to_string().contains("4 attempts"), "{error}");
    assert!(!error.to_string().contains(&token.token));
    clear_faults(&emu).await;

    // Creating a participant is not idempotent: a 503 is reported, nothing is sent again.
    let guid = client
        .submit_safebox(&mut safebox("participants"), None)
        .await
        .unwrap()
        .guid;
    let path = format!("/api/v2/safeboxes/{guid}/participants");
    fault(
        &emu,
        json!({"kind": "respond", "method": "POST", "path": path, "status": 503}),
    )
    .await;
    let edit = ContactEdit {
        email: Some("new.guest@example.com".into()),
        ..ContactEdit::default()
    };
    let error = client.create_participant(&guid, &edit).await.unwrap_err();
    assert_eq!(error.http_status(), Some(503));
    let participants = client.get_safebox_participants(&guid).await.unwrap();
    assert!(!participants
        .iter()
        .any(|p| p.email == "new.guest@example.com"));
    // Nor when its answer is lost (the server created it: sending again would make two).
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "POST", "path": path}),
    )
    .await;
    let error = client.create_participant(&guid, &edit).await.unwrap_err();
    assert!(matches!(error, Error::Connect(_)), "{error:?}");
    let participants = client.get_safebox_participants(&guid).await.unwrap();
    let created = participants
        .iter()
        .filter(|p| p.email == "new.guest@example.com")
        .count();
    assert_eq!(created, 1);
}

#[tokio::test]
async fn a_stalled_upload_times_out_promptly_or_is_sent_again() {
    let emu = Emulator::demo();
    let stall = Duration::from_millis(500);
    let (client, _) = client(&emu, |o| {
        o.transport.stall_timeout = Some(stall);
        o.transport.max_retries = 0;
    })
    .await;
    let mut sb = safebox("stall");
    sb.attachments
        .push(Attachment::from_bytes(data(2, 20_000), "s.dat", None).unwrap());
    client.initialize_safebox(&mut sb).await.unwrap();
    // The server takes the request but does not answer for 5 s.
    fault(
        &emu,
        json!({"kind": "delay", "path": "/xmss", "delay_ms": 5000}),
    )
    .await;
    let started = Instant::now();
    let error = client.upload_attachments(&mut sb, None).await.unwrap_err();
    let took = started.elapsed();
    println!("upload to a server that does not answer, stall timeout {stall:?}: {error} after {took:.2?}");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(
        took >= stall && took < stall + Duration::from_millis(1500),
        "{took:?}"
    );
    clear_faults(&emu).await;

    // With retries, the stalled attempt is abandoned and the upload sent again.
    let (client, _) = self::client(&emu, |o| o.transport.stall_timeout = Some(stall)).await;
    fault(
        &emu,
        json!({"kind": "delay", "path": "/xmss", "delay_ms": 5000}),
    )
    .await;
    let started = Instant::now();
    client
        .upload_attachments(&mut sb, None)
        .await
        .expect("second attempt");
    assert!(started.elapsed() < Duration::from_secs(3));
    client.commit_safebox(&sb).await.unwrap();
    let found = with_subject(&emu, "stall").await;
    assert_eq!(found[0]["documents"][0]["sha256"], sha256(&data(2, 20_000)));
}

/// A reader that gives `block` bytes every `pause`: slow, but always moving.
struct Trickle {
    data: Vec<u8>,
    at: usize,
    block: usize,
    pause: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl AsyncRead for Trickle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.at == self.data.len() {
            return Poll::Ready(Ok(()));
        }
        let pause = self.pause;
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(pause)));
        std::task::ready!(sleep.as_mut().poll(cx));
        self.sleep = None;
        let n = self
            .block
            .min(self.data.len() - self.at)
            .min(buf.remaining());
        let at = self.at;
        buf.put_slice(&self.data[at..at + n]);
        self.at += n;
        Poll::Ready(Ok(()))
    }
}

/// A writer that pauses every `every` bytes: a slow sink.
struct SlowSink {
    data: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    every: usize,
    pause: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl AsyncWrite for SlowSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let written = self.data.lock().unwrap().len();
        if written > 0 && written % self.every == 0 {
            let pause = self.pause;
            let sleep = self
                .sleep
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(pause)));
            std::task::ready!(sleep.as_mut().poll(cx));
            self.sleep = None;
        }
        let room = self.every - written % self.every;
        let n = buf.len().min(room);
        self.data.lock().unwrap().extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_transfers_that_keep_moving_outlive_the_request_timeout() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |o| {
        o.transport.request_timeout = Some(Duration::from_secs(1));
        o.transport.stall_timeout = Some(Duration::from_secs(1));
    })
    .await;
    // 1 MiB at 64 KiB every 150 ms: about 2.4 s, more than twice the request timeout.
    let content = data(3, 1 << 20);
    let mut sb = safebox("trickle");
    let source = content.clone();
    sb.attachments.push(
        Attachment::from_reopen(
            Box::new(move || {
                let reader: sendsecure::AttachmentReader = Box::new(Trickle {
                    data: source.clone(),
                    at: 0,
                    block: 64 << 10,
                    pause: Duration::from_millis(150),
                    sleep: None,
                });
                Box::pin(std::future::ready(Ok(reader)))
            }),
            content.len() as u64,
            "trickle.dat",
            None,
        )
        .unwrap(),
    );
    let started = Instant::now();
    let response = client.submit_safebox(&mut sb, None).await.expect("upload");
    let upload_took = started.elapsed();
    assert!(upload_took > Duration::from_secs(2), "{upload_took:?}");

    // And back, into a sink that pauses 300 ms every 128 KiB: about 2.4 s.
    let found = with_subject(&emu, "trickle").await;
    let document = found[0]["documents"][0]["id"].as_str().unwrap().to_string();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = SlowSink {
        data: received.clone(),
        every: 128 << 10,
        pause: Duration::from_millis(300),
        sleep: None,
    };
    let started = Instant::now();
    let n = client
        .download_document(
            &response.guid,
            &document,
            EMAIL,
            DownloadSink::Writer(Box::new(sink)),
            None,
        )
        .await
        .expect("download");
    let download_took = started.elapsed();
    println!(
        "request timeout 1 s, stall timeout 1 s: 1 MiB trickled up in {upload_took:.2?} and \
         down in {download_took:.2?}, neither cut"
    );
    assert_eq!(n, content.len() as u64);
    assert!(download_took > Duration::from_secs(2), "{download_took:?}");
    assert_eq!(sha256(&received.lock().unwrap()), sha256(&content));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_slow_source_is_not_a_stall() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |o| {
        o.transport.stall_timeout = Some(Duration::from_millis(300));
        o.transport.max_retries = 0;
    })
    .await;
    // Three blocks, 700 ms apart: the connection waits for the source, not the other way.
    let content = data(6, 3 * 10_000);
    let mut sb = safebox("slow source");
    let source = content.clone();
    sb.attachments.push(
        Attachment::from_reopen(
            Box::new(move || {
                let reader: sendsecure::AttachmentReader = Box::new(Trickle {
                    data: source.clone(),
                    at: 0,
                    block: 10_000,
                    pause: Duration::from_millis(700),
                    sleep: None,
                });
                Box::pin(std::future::ready(Ok(reader)))
            }),
            content.len() as u64,
            "slow.dat",
            None,
        )
        .unwrap(),
    );
    client
        .submit_safebox(&mut sb, None)
        .await
        .expect("no stall: the source was slow");
    let found = with_subject(&emu, "slow source").await;
    assert_eq!(found[0]["documents"][0]["sha256"], sha256(&content));
}

#[tokio::test]
async fn downloads_time_out_when_stalled_and_are_retried_when_cut() {
    let emu = Emulator::demo();
    let stall = Duration::from_millis(400);
    let (client, _) = client(&emu, |o| {
        o.transport.stall_timeout = Some(stall);
        o.transport.max_retries = 0;
    })
    .await;
    let content = data(4, 300_000);
    let mut sb = safebox("download");
    sb.attachments
        .push(Attachment::from_bytes(content.clone(), "d.dat", None).unwrap());
    let guid = client.submit_safebox(&mut sb, None).await.unwrap().guid;
    let document = with_subject(&emu, "download").await[0]["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("d.dat");

    fault(
        &emu,
        json!({"kind": "delay", "path": "/files", "delay_ms": 5000}),
    )
    .await;
    let started = Instant::now();
    let error = client
        .download_document(
            &guid,
            &document,
            EMAIL,
            DownloadSink::Path(target.clone()),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < stall + Duration::from_millis(1500));
    assert!(!target.exists());
    clear_faults(&emu).await;

    let (client, _) = self::client(&emu, |_| {}).await;
    fault(&emu, json!({"kind": "drop_connection", "path": "/files"})).await;
    fault(
        &emu,
        json!({"kind": "respond", "path": "/files", "status": 502}),
    )
    .await;
    let n = client
        .download_document(
            &guid,
            &document,
            EMAIL,
            DownloadSink::Path(target.clone()),
            None,
        )
        .await
        .expect("third attempt");
    assert_eq!(n, content.len() as u64);
    assert_eq!(sha256(&std::fs::read(&target).unwrap()), sha256(&content));
}

#[tokio::test]
async fn a_download_cut_short_resumes_where_it_stopped() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |_| {}).await;
    let content = data(5, 1_000_000);
    let mut sb = safebox("resume");
    sb.attachments
        .push(Attachment::from_bytes(content.clone(), "big.dat", None).unwrap());
    let guid = client.submit_safebox(&mut sb, None).await.unwrap().guid;
    let document = with_subject(&emu, "resume").await[0]["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Two answers cut after 300000 bytes of their body: the first attempt gets bytes 0-300000,
    // the second (from 300000) up to 600000, the third the rest.
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "GET", "path": "/files", "after_bytes": 300000, "count": 2}),
    )
    .await;
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = SlowSink {
        data: received.clone(),
        every: usize::MAX,
        pause: Duration::ZERO,
        sleep: None,
    };
    let reports = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = reports.clone();
    let before = stats(&emu).await["requests"].as_u64().unwrap();
    let n = client
        .download_document(
            &guid,
            &document,
            EMAIL,
            DownloadSink::Writer(Box::new(sink)),
            Some(std::sync::Arc::new(move |p: sendsecure::Progress| {
                seen.lock().unwrap().push((p.bytes_sent, p.bytes_total))
            })),
        )
        .await
        .expect("resumed");
    let requests = stats(&emu).await["requests"].as_u64().unwrap() - before;
    assert_eq!(n, content.len() as u64);
    {
        let received = received.lock().unwrap();
        assert_eq!(received.len(), content.len(), "no byte twice, none missing");
        assert_eq!(sha256(&received), sha256(&content));
        // The URL once, then three attempts at the file.
        assert_eq!(requests, 4);
        let reports = reports.lock().unwrap();
        assert!(
            reports.windows(2).all(|w| w[0].0 <= w[1].0),
            "progress went back"
        );
        assert!(reports.iter().all(|r| r.1 == content.len() as u64));
    }

    // To a file: resumed in the one file it writes, which becomes the document.
    fault(
        &emu,
        json!({"kind": "drop_response", "method": "GET", "path": "/files", "after_bytes": 300000, "count": 2}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.dat");
    let sink = DownloadSink::Path(target.clone());
    let n = client
        .download_document(&guid, &document, EMAIL, sink, None)
        .await
        .expect("resumed to a file");
    assert_eq!(n, content.len() as u64);
    assert_eq!(sha256(&std::fs::read(&target).unwrap()), sha256(&content));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "only the document: {names:?}");
    assert_eq!(stats(&emu).await["faults"]["drop_response"], json!(4));
}

#[tokio::test]
async fn only_the_failed_attachment_is_sent_again_and_plain_readers_are_not() {
    let emu = Emulator::demo();
    let (client, _) = client(&emu, |o| o.upload_concurrency = 1).await;
    let sizes = [50_000usize, 60_000, 70_000];
    let mut sb = safebox("resend");
    for (i, size) in sizes.iter().enumerate() {
        sb.attachments.push(
            Attachment::from_bytes(data(10 + i as u64, *size), &format!("r{i}.dat"), None).unwrap(),
        );
    }
    client.initialize_safebox(&mut sb).await.unwrap();
    // The second upload is cut after 20000 bytes of its body.
    fault(
        &emu,
        json!({"kind": "drop_upload", "path": "/xmss", "after_bytes": 20000}),
    )
    .await;
    let reports = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = reports.clone();
    let before = stats(&emu).await["upload_bytes"].as_u64().unwrap();
    client
        .upload_attachments(
            &mut sb,
            Some(std::sync::Arc::new(move |p: sendsecure::Progress| {
                seen.lock().unwrap().push(p.bytes_sent)
            })),
        )
        .await
        .expect("retried");
    let uploaded = stats(&emu).await["upload_bytes"].as_u64().unwrap() - before;
    let total: usize = sizes.iter().sum();
    // Each body is the file plus ~250 bytes of multipart framing; the cut one counts twice
    // from its start up to the cut (the drop happens at the first block over 20000 bytes).
    assert!(uploaded as usize > total + 20_000, "{uploaded}");
    assert!(
        (uploaded as usize) < total + sizes[0] + 2_000,
        "{uploaded}: more than one re-sent"
    );
    {
        let reports = reports.lock().unwrap();
        assert!(
            reports.windows(2).all(|w| w[0] <= w[1]),
            "progress went back"
        );
        assert_eq!(reports.last(), Some(&(total as u64)));
    }
    client.commit_safebox(&sb).await.unwrap();
    let stored = &with_subject(&emu, "resend").await[0];
    for (i, size) in sizes.iter().enumerate() {
        let d = stored["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == format!("r{i}.dat"))
            .unwrap();
        assert_eq!(d["sha256"], sha256(&data(10 + i as u64, *size)));
    }

    // A plain reader cannot be read again: its cut upload is reported.
    let mut sb = safebox("plain reader");
    let content = data(20, 50_000);
    sb.attachments.push(
        Attachment::from_reader(
            Box::new(std::io::Cursor::new(content.clone())),
            content.len() as u64,
            "p.dat",
            None,
        )
        .unwrap(),
    );
    client.initialize_safebox(&mut sb).await.unwrap();
    fault(
        &emu,
        json!({"kind": "drop_upload", "path": "/xmss", "after_bytes": 10000}),
    )
    .await;
    let error = client.upload_attachments(&mut sb, None).await.unwrap_err();
    assert!(matches!(error, Error::Connect(_)), "{error:?}");
}

/// A client of no server in particular, for downloads from a raw server's URLs.
fn raw_client(tune: impl FnOnce(&mut ClientOptions)) -> Client {
    let mut options = ClientOptions {
        transport: TransportOptions {
            retry_base_delay: Duration::from_millis(10),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    tune(&mut options);
    Client::new("USER|x", ACCOUNT, Some("http://127.0.0.1:9"), options).expect("client")
}

/// A sink that keeps what it gets, and what it kept.
fn kept() -> (DownloadSink, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
    let data = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = SlowSink {
        data: data.clone(),
        every: usize::MAX,
        pause: Duration::ZERO,
        sleep: None,
    };
    (DownloadSink::Writer(Box::new(sink)), data)
}

#[tokio::test]
async fn a_download_stops_at_the_size_its_server_announced() {
    use std::io::Write;
    // 1000 bytes announced, 500 sent; the rest, asked with `Range`, comes as a chunked body of
    // 5000 bytes.
    let server = raw_http::RawServer::start(|request, tcp, _| {
        if request.header("range").is_none() {
            let _ = tcp.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            let _ = tcp.write_all(&[b'a'; 500]);
        } else {
            let _ = tcp.write_all(
                b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 500-999/1000\r\n\
                  Transfer-Encoding: chunked\r\n\r\n",
            );
            for _ in 0..5 {
                raw_http::write_chunk(tcp, &[b'b'; 1000]);
            }
            raw_http::end_chunks(tcp);
        }
        raw_http::Then::Close
    });
    let client = raw_client(|_| {});
    let url = format!("{}/files/doc", server.url);
    let (sink, data) = kept();
    let error = client.download_url(&url, sink, None).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode(m) if m.contains("1000")),
        "{error:?}"
    );
    assert!(
        data.lock().unwrap().len() <= 1000,
        "no byte past the announced size"
    );

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("doc");
    let error = client
        .download_url(&url, DownloadSink::Path(target), None)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[tokio::test]
async fn a_download_without_an_announced_size_stops_at_the_cap() {
    use std::io::Write;
    const SENT: usize = 8 << 20;
    // A chunked body of 8 MiB (an endless one, as far as a 1 MiB cap is concerned).
    let server = raw_http::RawServer::start(|_, tcp, _| {
        let _ = tcp.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        let block = vec![b'x'; 64 << 10];
        for _ in 0..SENT / block.len() {
            if !raw_http::write_chunk(tcp, &block) {
                return raw_http::Then::Close;
            }
        }
        raw_http::end_chunks(tcp);
        raw_http::Then::Close
    });
    let url = format!("{}/files/endless", server.url);
    let client = raw_client(|o| o.transport.max_unsized_download = Some(1 << 20));
    let dir = tempfile::tempdir().unwrap();
    let error = client
        .download_url(&url, DownloadSink::Path(dir.path().join("doc")), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode(m) if m.contains("1048576")),
        "{error:?}"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    let (sink, data) = kept();
    let error = client.download_url(&url, sink, None).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(data.lock().unwrap().len() <= 1 << 20);

    // Without a cap, the same answer is a document of 8 MiB.
    let client = raw_client(|o| o.transport.max_unsized_download = None);
    let (sink, data) = kept();
    let n = client.download_url(&url, sink, None).await.expect("no cap");
    assert_eq!(n, SENT as u64);
    assert_eq!(data.lock().unwrap().len(), SENT);
}

/// A keep-alive HTTP/1.1 server on loopback that answers `200 {}` (discovery: its own URL),
/// except the second request of each connection: it reads the whole of it, then closes the
/// connection without a byte of answer, as a server closing an idle keep-alive connection just
/// as the next request arrives. Records the path of every request it read.
struct ClosesIdleConnections {
    url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl ClosesIdleConnections {
    async fn start() -> ClosesIdleConnections {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (base, log) = (url.clone(), received.clone());
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                let (base, log) = (base.clone(), log.clone());
                tokio::spawn(async move {
                    let mut pending = Vec::new();
                    let mut buf = vec![0u8; 64 << 10];
                    for served in 0.. {
                        // One whole request: its head, then its Content-Length of body.
                        let head_end = loop {
                            if let Some(at) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                                break at + 4;
                            }
                            match tcp.read(&mut buf).await {
                                Ok(n) if n > 0 => pending.extend_from_slice(&buf[..n]),
                                _ => return,
                            }
                        };
                        let head = String::from_utf8_lossy(&pending[..head_end]).to_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        while pending.len() < head_end + length {
                            match tcp.read(&mut buf).await {
                                Ok(n) if n > 0 => pending.extend_from_slice(&buf[..n]),
                                _ => return,
                            }
                        }
                        let path = head.split(' ').nth(1).unwrap_or("").to_string();
                        pending.drain(..head_end + length);
                        log.lock().unwrap().push(path.clone());
                        if served == 1 {
                            return; // closed, the request read and unanswered
                        }
                        let (kind, body) = if path.contains("/sendsecure/server/url") {
                            ("text/plain", format!("{base}/"))
                        } else {
                            ("application/json", "{}".to_string())
                        };
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                             Connection: keep-alive\r\n\r\n{body}",
                            body.len()
                        );
                        if tcp.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        ClosesIdleConnections { url, received }
    }

    fn received(&self, path_part: &str) -> usize {
        let received = self.received.lock().unwrap();
        received.iter().filter(|p| p.contains(path_part)).count()
    }

    fn client(&self) -> Client {
        Client::new(
            "USER|token",
            ACCOUNT,
            Some(&self.url),
            ClientOptions {
                user_id: Some(1),
                transport: TransportOptions {
                    max_retries: 0,
                    ..TransportOptions::default()
                },
                ..ClientOptions::default()
            },
        )
        .expect("client")
    }
}

#[tokio::test]
async fn a_request_on_a_pooled_connection_the_server_closed_is_sent_again_without_an_attempt() {
    let server = ClosesIdleConnections::start().await;
    // Discovery, then the settings on the same (pooled) connection, which the server closes:
    // one attempt allowed, and the call still succeeds, on a fresh connection.
    let settings = server
        .client()
        .get_user_settings()
        .await
        .expect("sent again on a fresh connection");
    assert_eq!(settings, json!({}));
    assert_eq!(server.received("/settings.json"), 2);
    // Downloads too: the second one goes out on the first one's connection.
    let client = server.client();
    for _ in 0..2 {
        let got = client
            .download_url(
                &format!("{}/files/doc", server.url),
                DownloadSink::Writer(Box::new(tokio::io::sink())),
                None,
            )
            .await
            .expect("download sent again on a fresh connection");
        assert_eq!(got, 2);
    }
    assert_eq!(server.received("/files/doc"), 3);

    // A creation whose bytes reached the server may have been handled: not sent again.
    let edit = ContactEdit {
        email: Some("friend@example.com".into()),
        ..ContactEdit::default()
    };
    let error = server.client().create_favorite(&edit).await.unwrap_err();
    assert!(matches!(error, Error::Connect(_)), "{error:?}");
    assert_eq!(server.received("/favorites.json"), 1);
}
