//! SendSafely's fault injection, request journal, admin listener and storage over real HTTP
//! (spec §10.5, §10.7-§10.10): each fault action on a segment PUT (S21) and on API routes,
//! every-Nth and counted rules, the journal's fields, the control API only on the admin
//! listener, the package quota, per-code HTTP statuses, file deletion five days after expiry,
//! oversize segments and overwritten retries.

mod sendsafely_support;
mod support;

use reqwest::{Method, StatusCode};
use sendsafely_support::{put_raw, segment, start, start_with, start_with_args, Ss};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use support::{read_response, Emulator};

/// A control call to `base` (the main or the admin listener): the status and JSON answer.
async fn control(
    base: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{base}/_emulator/{path}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    read_response(request.send().await.expect("control call sent")).await
}

/// Adds a fault rule, which must be accepted.
async fn add_fault(base: &str, rule: Value) {
    let (status, answer) = control(base, Method::POST, "faults", Some(rule.clone())).await;
    assert_eq!(status, StatusCode::OK, "{rule}: {answer}");
}

/// A package of the demo user with one file of `parts` parts: (packageId, fileId, upload URLs).
async fn file_to_upload(demo: &Ss, parts: u64) -> (String, String, Vec<String>) {
    let p = demo.create_package().await;
    let pid = p["packageId"].as_str().unwrap().to_string();
    let reg = demo
        .register_file(
            &pid,
            &json!({"filename": "f.bin", "parts": parts, "filesize": parts * 10}),
        )
        .await;
    let fid = reg["fileId"].as_str().unwrap().to_string();
    let urls = demo.upload_urls(&pid, &fid, 1).await["uploadUrls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["url"].as_str().unwrap().to_string())
        .collect();
    (pid, fid, urls)
}

/// The stored parts of file `fid` in the control state: part → (length, SHA-256).
async fn stored(base: &str, pid: &str, fid: &str) -> Vec<(u64, u64, String)> {
    let (status, state) = control(base, Method::GET, &format!("packages/{pid}"), None).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let file = state["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fileId"] == fid)
        .unwrap_or_else(|| panic!("no file {fid} in {state}"))
        .clone();
    file["stored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["part"].as_u64().unwrap(),
                s["length"].as_u64().unwrap(),
                s["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The journal's entries.
async fn journal(base: &str) -> Vec<Value> {
    let (status, log) = control(base, Method::GET, "requests", None).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    log["requests"].as_array().unwrap().clone()
}

#[tokio::test]
async fn each_fault_action_on_a_segment_put() {
    let emu = start(&[]);
    let base = emu.url.clone();
    let demo = Ss::demo(&emu);
    let (pid, fid, urls) = file_to_upload(&demo, 8).await;
    let client = reqwest::Client::new();
    let bytes = segment(1, 1000);

    // drop: the connection closes without an answer; nothing is stored.
    add_fault(&base, json!({"match": {"route": "S21"}, "action": "drop"})).await;
    let dropped = client.put(&urls[0]).body(bytes.clone()).send().await;
    assert!(dropped.is_err(), "no answer to a dropped PUT: {dropped:?}");
    assert!(stored(&base, &pid, &fid).await.is_empty());

    // expire_url: 403 as for an expired URL, the segment not stored.
    add_fault(
        &base,
        json!({"match": {"kind": "storage-put"}, "action": "expire_url"}),
    )
    .await;
    let (status, text) = put_raw(&urls[0], bytes.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("Request has expired"), "{text}");
    assert!(stored(&base, &pid, &fid).await.is_empty());

    // status + body: the canned answer, nothing stored.
    add_fault(
        &base,
        json!({"match": {"method": "PUT", "route": "S21"}, "action": {"status": 503, "body": "busy"}}),
    )
    .await;
    let (status, text) = put_raw(&urls[0], bytes.clone()).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "busy")
    );
    assert!(stored(&base, &pid, &fid).await.is_empty());

    // empty_body with a status, and non_json_body: canned, nothing stored.
    add_fault(
        &base,
        json!({"match": {"route": "S21"}, "action": {"empty_body": 500}}),
    )
    .await;
    let (status, text) = put_raw(&urls[0], bytes.clone()).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, "")
    );
    add_fault(
        &base,
        json!({"match": {"route": "S21"}, "action": "non_json_body"}),
    )
    .await;
    let (status, text) = put_raw(&urls[0], bytes.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert!(stored(&base, &pid, &fid).await.is_empty());

    // truncate_store: 200, and only the prefix is stored.
    add_fault(
        &base,
        json!({"match": {"route": "S21"}, "action": {"truncate_store": 300}}),
    )
    .await;
    let (status, _) = put_raw(&urls[0], bytes.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored(&base, &pid, &fid).await,
        vec![(1, 300, sha(&bytes[..300]))]
    );
    // By default half of the announced length.
    add_fault(
        &base,
        json!({"match": {"route": "S21"}, "action": "truncate_store"}),
    )
    .await;
    let (status, _) = put_raw(&urls[1], bytes.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored(&base, &pid, &fid).await[1],
        (2, 500, sha(&bytes[..500]))
    );

    // reset_mid_body: the answer's headers come, then the connection closes before its end;
    // the segment was stored (the server did its work, the client cannot know).
    add_fault(
        &base,
        json!({"match": {"route": "S21"}, "action": "reset_mid_body"}),
    )
    .await;
    let response = client
        .put(&urls[2])
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err(), "the answer is cut short");
    assert_eq!(stored(&base, &pid, &fid).await[2], (3, 1000, sha(&bytes)));

    // delay_ms: answered, stored.
    add_fault(
        &base,
        json!({"match": {"route": "S21"}, "action": {"delay_ms": 50}}),
    )
    .await;
    let (status, _) = put_raw(&urls[3], bytes.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored(&base, &pid, &fid).await.len(), 4);

    // A rule for downloads does not touch uploads; none is left now.
    add_fault(
        &base,
        json!({"match": {"kind": "storage-get"}, "action": "expire_url"}),
    )
    .await;
    let (status, _) = put_raw(&urls[4], bytes.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (_, listed) = control(&base, Method::GET, "faults", None).await;
    assert_eq!(listed["faults"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["faults"][0]["action"], "expire_url");
    assert_eq!(listed["faults"][0]["remaining"], 1);

    // The journal names each fault on its S21 PUT.
    let faults: Vec<Value> = journal(&base)
        .await
        .into_iter()
        .filter(|e| e["route"] == "S21")
        .map(|e| e["fault"].clone())
        .collect();
    assert_eq!(
        faults,
        vec![
            json!("drop_connection"),
            json!("expire_url"),
            json!("respond"),
            json!("empty_body"),
            json!("non_json_body"),
            json!("truncate_store"),
            json!("truncate_store"),
            json!("reset_mid_body"),
            json!("delay"),
            Value::Null,
        ]
    );
}

#[tokio::test]
async fn fault_actions_on_api_routes_and_downloads() {
    let emu = start(&[]);
    let base = emu.url.clone();
    let demo = Ss::demo(&emu);

    // drop on S5: no answer, no package.
    add_fault(&base, json!({"match": {"route": "S5"}, "action": "drop"})).await;
    let path = "/api/v2.0/package/";
    let body = br#"{"vdr":false}"#.to_vec();
    let headers = demo.signed_headers(path, &body);
    let mut request = reqwest::Client::new()
        .put(format!("{base}{path}"))
        .body(body.clone());
    for (name, value) in &headers {
        request = request.header(*name, value);
    }
    assert!(request.send().await.is_err(), "S5 dropped");
    let (_, packages) = control(&base, Method::GET, "packages", None).await;
    assert_eq!(
        packages["packages"],
        json!([]),
        "the dropped S5 made nothing"
    );

    // status + JSON body: SendSafely's TIMEOUT with 200.
    add_fault(
        &base,
        json!({"match": {"route": "S1"}, "action": {"status": 200, "body": {"response": "TIMEOUT"}}}),
    )
    .await;
    let (status, answer) = demo.call(Method::GET, "/user", None).await;
    assert_eq!(
        (status, answer),
        (StatusCode::OK, json!({"response": "TIMEOUT"}))
    );

    // empty_body and non_json_body on S1.
    add_fault(
        &base,
        json!({"match": {"route": "S1"}, "action": "empty_body"}),
    )
    .await;
    let (status, answer) = demo.call(Method::GET, "/user", None).await;
    assert_eq!((status, answer), (StatusCode::OK, Value::Null));
    add_fault(
        &base,
        json!({"match": {"route": "S1"}, "action": {"non_json_body": 502}}),
    )
    .await;
    let (status, answer) = demo.call(Method::GET, "/user", None).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(answer.as_str().unwrap().contains("Bad Gateway"), "{answer}");

    // delay_ms on S1: answered after the delay, as usual.
    add_fault(
        &base,
        json!({"match": {"route": "S1"}, "action": {"delay_ms": 50}}),
    )
    .await;
    let me = demo.get_ok("/user").await;
    assert_eq!(me["email"], "demo@acme.example");
    let log = journal(&base).await;
    assert_eq!(log.last().unwrap()["fault"], "delay");
    assert_eq!(log.last().unwrap()["response"], "SUCCESS");

    // reset_mid_body on S6: headers and part of the JSON, then the connection closes.
    let p = demo.create_package().await;
    let pid = p["packageId"].as_str().unwrap().to_string();
    add_fault(
        &base,
        json!({"match": {"route": "S6"}, "action": {"reset_mid_body": 10}}),
    )
    .await;
    let endpoint = format!("/api/v2.0/package/{pid}");
    let headers = demo.signed_headers(&endpoint, b"");
    let mut request = reqwest::Client::new().get(format!("{base}{endpoint}"));
    for (name, value) in &headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err(), "the answer is cut short");
    // Even when the whole answer fits in the bytes sent, it is never completed.
    add_fault(
        &base,
        json!({"match": {"route": "S6"}, "action": {"reset_mid_body": 1_000_000}}),
    )
    .await;
    let headers = demo.signed_headers(&endpoint, b"");
    let mut request = reqwest::Client::new().get(format!("{base}{endpoint}"));
    for (name, value) in &headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    assert!(response.bytes().await.is_err(), "no end of the answer");
    demo.get_ok(&format!("/package/{pid}")).await;

    // A path glob: `*` stays within one segment.
    add_fault(
        &base,
        json!({"match": {"method": "GET", "route": "/api/v2.0/package/*"}, "times": 0,
               "action": {"status": 500}}),
    )
    .await;
    let (status, _) = demo
        .call(Method::GET, &format!("/package/{pid}"), None)
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (status, _) = demo
        .call(Method::GET, &format!("/package/{pid}/"), None)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the trailing slash is one more segment"
    );
    let (status, _) = control(&base, Method::DELETE, "faults", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // expire_url on a download URL (S27): 403; the next download works.
    let reg = demo
        .register_file(&pid, &json!({"filename": "f", "parts": 1, "filesize": 3}))
        .await;
    let fid = reg["fileId"].as_str().unwrap();
    let urls = demo.upload_urls(&pid, fid, 1).await;
    let (status, _) = put_raw(
        urls["uploadUrls"][0]["url"].as_str().unwrap(),
        b"abc".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let checksum = "c".repeat(64);
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/finalize/"),
        Some(&json!({"checksum": checksum})),
    )
    .await;
    let down = demo
        .ok(
            Method::POST,
            &format!("/package/{pid}/file/{fid}/download-urls/"),
            Some(&json!({"checksum": checksum, "startSegment": 1, "endSegment": 1})),
        )
        .await;
    let url = down["downloadUrls"][0]["url"].as_str().unwrap();
    add_fault(
        &base,
        json!({"match": {"route": "S27"}, "action": "expire_url"}),
    )
    .await;
    let r = reqwest::get(url).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = reqwest::get(url).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"abc");

    // Refused rules say why.
    for bad in [
        json!({"match": {"route": "21"}, "action": "drop"}),
        json!({"match": {"kind": "api"}, "action": "expire_url"}),
        json!({"action": "explode"}),
        json!({"action": {"status": 99}}),
        json!({"times": {"every": 0}, "action": "drop"}),
        json!({"match": {"kind": "upload"}, "action": "drop"}),
    ] {
        let (status, answer) = control(&base, Method::POST, "faults", Some(bad.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {answer}");
    }
}

#[tokio::test]
async fn every_nth_alternates_and_counted_rules_run_out() {
    let emu = start(&[]);
    let base = emu.url.clone();
    let demo = Ss::demo(&emu);
    add_fault(
        &base,
        json!({"match": {"route": "S1"}, "times": {"every": 2}, "action": {"status": 503}}),
    )
    .await;
    let mut statuses = vec![];
    for _ in 0..6 {
        statuses.push(demo.call(Method::GET, "/user", None).await.0.as_u16());
    }
    assert_eq!(statuses, [200, 503, 200, 503, 200, 503]);
    let (_, listed) = control(&base, Method::GET, "faults", None).await;
    assert_eq!(
        listed["faults"][0]["remaining"],
        Value::Null,
        "until cleared: {listed}"
    );
    assert_eq!(listed["faults"][0]["rule"]["matched"], 6);
    control(&base, Method::DELETE, "faults", None).await;

    add_fault(
        &base,
        json!({"match": {"route": "S2"}, "times": 2, "action": {"status": 500}}),
    )
    .await;
    let remaining = || async {
        let (_, listed) = control(&base, Method::GET, "faults", None).await;
        listed["faults"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["remaining"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(remaining().await, [json!(2)]);
    let verify = "/config/verify-credentials/";
    assert_eq!(
        demo.call(Method::GET, verify, None).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(remaining().await, [json!(1)]);
    assert_eq!(
        demo.call(Method::GET, "/user", None).await.0,
        StatusCode::OK,
        "S1 is not S2"
    );
    assert_eq!(
        demo.call(Method::GET, verify, None).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(remaining().await.is_empty(), "the rule is used up");
    let (status, answer) = demo.call(Method::GET, verify, None).await;
    assert_eq!(
        (status, &answer["response"]),
        (StatusCode::OK, &json!("SUCCESS"))
    );
}

#[tokio::test]
async fn the_journal_records_requests_their_outcome_and_faults() {
    let emu = start(&[]);
    let base = emu.url.clone();
    let demo = Ss::demo(&emu);
    let body = r#"{"vdr":false}"#;
    let path = "/api/v2.0/package/";
    let headers = demo.signed_headers(path, body.as_bytes());
    let signature = headers[2].1.clone();
    let (status, created) = demo
        .raw(
            Method::PUT,
            &format!("{path}?x=1"),
            Some(body.as_bytes().to_vec()),
            &headers,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let pid = created["packageId"].as_str().unwrap().to_string();
    let mut wrong = demo.clone();
    wrong.secret = "not-the-secret".into();
    let (_, refused) = wrong.call(Method::GET, "/user", None).await;
    assert_eq!(refused["response"], "AUTHENTICATION_FAILED");
    let reg = demo
        .register_file(&pid, &json!({"filename": "f", "parts": 1, "filesize": 4}))
        .await;
    let fid = reg["fileId"].as_str().unwrap();
    let urls = demo.upload_urls(&pid, fid, 1).await;
    let url = urls["uploadUrls"][0]["url"].as_str().unwrap();
    add_fault(&base, json!({"match": {"route": "S21"}, "action": "drop"})).await;
    assert!(reqwest::Client::new()
        .put(url)
        .body(vec![1, 2])
        .send()
        .await
        .is_err());
    let (status, _) = put_raw(url, b"data".to_vec()).await;
    assert_eq!(status, StatusCode::OK);

    let mut with_basic = demo.signed_headers("/api/v2.0/user", b"");
    with_basic.push(("authorization", "Basic c2VjcmV0".into()));
    let (status, _) = demo
        .raw(Method::GET, "/api/v2.0/user", None, &with_basic)
        .await;
    assert_eq!(status, StatusCode::OK);

    let log = journal(&base).await;
    let text = serde_json::to_string(&log).unwrap();
    assert!(
        !text.contains("c2VjcmV0"),
        "no authorization value in the journal"
    );
    let basic = log.last().unwrap()["header_values"].as_array().unwrap();
    assert!(
        basic.contains(&json!(["authorization", "<hidden>"])),
        "{basic:?}"
    );
    assert!(
        !text.contains("demo-api-secret"),
        "no API secret in the journal"
    );

    let create = &log[0];
    assert_eq!(create["method"], "PUT");
    assert_eq!(create["target"], "/api/v2.0/package/?x=1");
    assert_eq!(create["route"], "S5");
    assert_eq!(create["kind"], "api");
    assert_eq!(create["body_length"], body.len());
    assert_eq!(create["body_sha256"], sha(body.as_bytes()));
    assert_eq!(create["auth"], "ok");
    assert_eq!(create["status"], 200);
    assert_eq!(create["response"], "SUCCESS");
    assert_eq!(create["fault"], Value::Null);
    let values = create["header_values"].as_array().unwrap();
    assert!(
        values.contains(&json!(["ss-request-signature", signature])),
        "{values:?}"
    );
    assert!(
        values.contains(&json!(["ss-api-key", "demo-api-key"])),
        "{values:?}"
    );

    let refused = &log[1];
    assert_eq!(refused["route"], "S1");
    assert_eq!(refused["auth"], "Invalid request signature");
    assert_eq!(refused["response"], "AUTHENTICATION_FAILED");
    assert_eq!(refused["body_length"], 0);
    assert_eq!(refused["body_sha256"], sha(b""));

    let puts: Vec<&Value> = log.iter().filter(|e| e["route"] == "S21").collect();
    assert_eq!(puts.len(), 2, "{log:?}");
    assert_eq!(puts[0]["fault"], "drop_connection");
    assert_eq!(puts[0]["status"], Value::Null, "no answer was sent");
    assert_eq!(puts[1]["kind"], "storage-put");
    assert_eq!(puts[1]["auth"], "not-checked");
    assert_eq!(puts[1]["status"], 200);
    assert_eq!(puts[1]["body_length"], 4);
    assert_eq!(puts[1]["body_sha256"], sha(b"data"));
    assert_eq!(puts[1]["fault"], Value::Null);
}

#[tokio::test]
async fn the_admin_listener_serves_control_and_the_main_one_does_not() {
    let emu = start(&["--admin-listen", "127.0.0.1:0"]);
    let admin = emu.admin.clone().expect("an admin line");
    assert_ne!(admin, emu.url);
    let (status, stats) = control(&admin, Method::GET, "stats", None).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let (status, answer) = control(&emu.url, Method::GET, "stats", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let (status, answer) =
        control(&format!("{}/api/v2.0", emu.url), Method::GET, "stats", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    assert_eq!(answer["response"], "FAIL");
    // The admin listener serves nothing else.
    let r = reqwest::get(format!("{admin}/api/v2.0/user"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Faults set there apply to the main listener, and its journal is the main one's.
    add_fault(
        &admin,
        json!({"match": {"route": "S1"}, "action": {"status": 503}}),
    )
    .await;
    let demo = Ss::demo(&emu);
    assert_eq!(
        demo.call(Method::GET, "/user", None).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // Control calls are not journaled: only the main listener's two refusals are.
    let log = journal(&admin).await;
    let targets: Vec<(&str, &Value)> = log
        .iter()
        .map(|e| (e["target"].as_str().unwrap(), &e["status"]))
        .collect();
    assert_eq!(
        targets,
        [
            ("/_emulator/stats", &json!(404)),
            ("/api/v2.0/_emulator/stats", &json!(404)),
            ("/api/v2.0/user", &json!(503)),
        ]
    );
    assert_eq!(log[2]["fault"], "respond");

    // A non-loopback admin address is refused, in one clear line.
    let out = std::process::Command::new(Emulator::binary())
        .args([
            "--service",
            "sendsafely",
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "0.0.0.0:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loopback"), "{err}");
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn package_quota_and_per_code_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_with(
        dir.path(),
        "package_quota = 2\n[error_status]\nUNKNOWN_PACKAGE = 404\nAUTHENTICATION_FAILED = 401\n",
    );
    let demo = Ss::demo(&emu);
    let first = demo.create_package().await;
    demo.create_package().await;
    let (status, refused) = demo
        .json(Method::PUT, "/package/", &json!({"vdr": false}))
        .await;
    assert_eq!(
        (status, &refused["response"]),
        (StatusCode::OK, &json!("LIMIT_EXCEEDED"))
    );
    let pid = first["packageId"].as_str().unwrap();
    demo.ok(Method::DELETE, &format!("/package/{pid}/"), None)
        .await;
    demo.create_package().await;

    let (status, gone) = demo
        .call(Method::GET, &format!("/package/{pid}"), None)
        .await;
    assert_eq!(
        (status, &gone["response"]),
        (StatusCode::NOT_FOUND, &json!("UNKNOWN_PACKAGE"))
    );
    let bad = Ss::new(&emu, "demo-api-key", "wrong");
    let (status, refused) = bad.call(Method::GET, "/user", None).await;
    assert_eq!(
        (status, &refused["response"]),
        (StatusCode::UNAUTHORIZED, &json!("AUTHENTICATION_FAILED"))
    );
    // Codes not named stay 200; an unknown route stays 404.
    let (status, invalid) = demo
        .json(Method::PUT, "/package/", &json!({"vdr": "maybe"}))
        .await;
    assert_eq!(
        (status, &invalid["response"]),
        (StatusCode::OK, &json!("INVALID_INPUT"))
    );
    let (status, _) = demo.call(Method::GET, "/no-such-route", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn files_are_deleted_five_days_after_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let emu = start_with_args(dir.path(), "", &["--data-dir", data.to_str().unwrap()]);
    let base = emu.url.clone();
    let demo = Ss::demo(&emu);
    let (pid, fid, urls) = file_to_upload(&demo, 1).await;
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/"),
        Some(&json!({"life": 1})),
    )
    .await;
    let (status, _) = put_raw(&urls[0], b"segment".to_vec()).await;
    assert_eq!(status, StatusCode::OK);
    let checksum = "d".repeat(64);
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/finalize/"),
        Some(&json!({"checksum": checksum})),
    )
    .await;
    let on_disk = data.join("sendsafely").join(&pid).join(&fid).join("1");
    assert_eq!(std::fs::read(&on_disk).unwrap(), b"segment");
    let download = format!("/package/{pid}/file/{fid}/download-urls/");
    let ask = json!({"checksum": checksum, "startSegment": 1, "endSegment": 1});

    // Expired after a day and a bit, the files still there until five days later.
    let advance = |s: i64| control(&base, Method::POST, "clock", Some(json!({"advance_s": s})));
    assert_eq!(advance(86_400 + 60).await.0, StatusCode::OK);
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(info["state"], "PACKAGE_STATE_EXPIRED_COMPLETE");
    demo.ok(Method::POST, &download, Some(&ask)).await;
    assert_eq!(advance(4 * 86_400).await.0, StatusCode::OK);
    assert!(on_disk.exists(), "4 days after expiry the segment is kept");

    // Past five days: moving the clock deletes the segments, before any read.
    assert_eq!(advance(86_400).await.0, StatusCode::OK);
    assert!(!on_disk.exists(), "deleted when the clock moved");
    assert!(stored(&base, &pid, &fid).await.is_empty());
    let file = demo.get_ok(&format!("/package/{pid}/file/{fid}")).await;
    assert_eq!(file["file"]["fileDeleted"], true, "{file}");
    assert_eq!(file["file"]["fileUploaded"], false, "{file}");
    let (_, refused) = demo.json(Method::POST, &download, &ask).await;
    assert_eq!(refused["response"], "FAIL", "{refused}");
}

#[tokio::test]
async fn oversize_segments_store_nothing_and_retries_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let emu = start_with_args(
        dir.path(),
        "max_segment_bytes = 1000",
        &["--data-dir", data.to_str().unwrap()],
    );
    let base = emu.url.clone();
    let demo = Ss::demo(&emu);
    let (pid, fid, urls) = file_to_upload(&demo, 2).await;
    let file_dir = data.join("sendsafely").join(&pid).join(&fid);

    // Announced too large: refused before reading.
    let (status, text) = put_raw(&urls[0], vec![7; 1001]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("EntityTooLarge"), "{text}");
    // Chunked, found too large while streaming.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..5).map(|_| Ok(vec![8; 300])).collect();
    let r = reqwest::Client::new()
        .put(&urls[0])
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("EntityTooLarge"));
    assert!(stored(&base, &pid, &fid).await.is_empty());
    let files: Vec<_> = std::fs::read_dir(&file_dir)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(
        files.is_empty(),
        "nothing on disk, no temporary file: {files:?}"
    );

    // Exactly the maximum is stored; a retry replaces it whole.
    let (status, _) = put_raw(&urls[0], segment(1, 1000)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = put_raw(&urls[0], segment(2, 600)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored(&base, &pid, &fid).await,
        vec![(1, 600, sha(&segment(2, 600)))]
    );
    assert_eq!(std::fs::read(file_dir.join("1")).unwrap(), segment(2, 600));
    let names: Vec<_> = std::fs::read_dir(&file_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["1"]);
    let done = demo.upload_complete(&pid, &fid).await;
    assert_eq!(done["message"], "false", "part 2 is missing");
}
