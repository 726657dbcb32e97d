//! SendSafely's control API over real HTTP (spec §10.8-§10.10): the expected keycode and the
//! finalize checksum it verifies (SF-19), the emulated clock and package expiry (the signature
//! window stays on the host clock), the stored segments, users added and reset, and the
//! core's faults on SendSafely routes.

mod sendsafely_support;
mod support;

use reqwest::{Method, StatusCode};
use sendsafely_support::{fixture, start, Ss};
use serde_json::{json, Value};
use sha2::Digest;

#[tokio::test]
async fn expected_keycode_clock_segments_users_and_reset() {
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let sf19 = fixture("SF-19")["block"].clone();
    let keycode = sf19["keycode"]["body"]["keycode"]
        .as_str()
        .unwrap()
        .to_string();

    let p = demo.create_package().await;
    let pid = p["packageId"].as_str().unwrap().to_string();
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/"),
        Some(&json!({"life": 1})),
    )
    .await;
    let reg = demo
        .register_file(&pid, &json!({"filename": "f", "parts": 1, "filesize": 5}))
        .await;
    let fid = reg["fileId"].as_str().unwrap().to_string();
    let urls = demo.upload_urls(&pid, &fid, 1).await;
    let bytes = b"\x00\x01segment\xff".to_vec();
    let put = reqwest::Client::new()
        .put(urls["uploadUrls"][0]["url"].as_str().unwrap())
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::OK);

    // The plaintext needs the keycode.
    let r = reqwest::get(format!(
        "{}/_emulator/packages/{pid}/files/{fid}/plaintext",
        emu.url
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // SF-19: register the keycode; a wrong checksum is then refused.
    let path = sf19["keycode"]["path"]
        .as_str()
        .unwrap()
        .replace("4B88-CV9G", &pid);
    let path = path.trim_start_matches("/_emulator/").to_string();
    let (status, set) = emu
        .control(Method::POST, &path, Some(sf19["keycode"]["body"].clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{set}");
    let checksum = set["checksum"].as_str().unwrap().to_string();
    let wrong = demo.finalize_with(&pid, &"b".repeat(64)).await;
    assert_eq!(wrong["response"], "FAIL", "{wrong}");
    assert!(wrong["errors"].is_array());
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/finalize/"),
        Some(&json!({"checksum": checksum})),
    )
    .await;

    // The full state: parts with length and SHA-256, checksum, expected keycode.
    let (status, state) = emu
        .control(Method::GET, &format!("packages/{pid}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["state"], "PACKAGE_STATE_ACTIVE_COMPLETE");
    assert_eq!(state["checksum"], json!(checksum));
    assert_eq!(state["expectedKeycode"], json!(keycode));
    let stored = &state["files"][0]["stored"][0];
    assert_eq!(stored["length"], bytes.len());
    assert_eq!(stored["sha256"], hex::encode(sha2::Sha256::digest(&bytes)));
    let r = reqwest::get(format!(
        "{}/_emulator/packages/{pid}/files/{fid}/segments/1",
        emu.url
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().to_vec(), bytes);
    let (status, _) = emu
        .control(
            Method::GET,
            &format!("packages/{pid}/files/{fid}/segments/2"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // SF-19: advance one day: the 1-day package expires; signed calls still pass.
    let (status, now) = emu
        .control(Method::POST, "clock", Some(sf19["clock"]["body"].clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{now}");
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(info["state"], "PACKAGE_STATE_EXPIRED_COMPLETE");
    let (_, clock) = emu.control(Method::GET, "clock", None).await;
    let t = chrono::DateTime::parse_from_rfc3339(clock["now"].as_str().unwrap()).unwrap();
    assert!(t.with_timezone(&chrono::Utc) > chrono::Utc::now() + chrono::Duration::hours(23));
    let (status, _) = emu
        .control(Method::POST, "clock", Some(json!({"host": true})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, set) = emu
        .control(
            Method::POST,
            "clock",
            Some(json!({"set": "2030-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{set}");
    let t = chrono::DateTime::parse_from_rfc3339(set["now"].as_str().unwrap()).unwrap();
    let target = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap();
    assert!((t - target).num_seconds().abs() <= 2, "{set}");
    let (status, _) = emu
        .control(Method::POST, "clock", Some(json!({"set": "tomorrow"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A user added through the control API signs requests; reset forgets it and the packages.
    let (status, added) = emu
        .control(
            Method::POST,
            "users",
            Some(json!({"email": "eve@acme.example", "apiKey": "eve-key", "apiSecret": "eve-secret"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let eve = Ss::new(&emu, "eve-key", "eve-secret");
    let me = eve.ok(Method::GET, "/user", None).await;
    assert_eq!(me["email"], "eve@acme.example");
    let (status, _) = emu
        .control(
            Method::POST,
            "users",
            Some(json!({"email": "x@y.z", "apiKey": "eve-key", "apiSecret": "s"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = emu.control(Method::POST, "reset", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, gone) = eve.call(Method::GET, "/user", None).await;
    assert_eq!(gone["response"], "AUTHENTICATION_FAILED", "{gone}");
    let (_, gone) = demo
        .call(Method::GET, &format!("/package/{pid}"), None)
        .await;
    assert_eq!(gone["response"], "UNKNOWN_PACKAGE", "{gone}");
    let (status, _) = emu
        .control(Method::GET, &format!("packages/{pid}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn core_faults_apply_to_sendsafely_routes_and_storage() {
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let (status, _) = emu
        .control(
            Method::POST,
            "faults",
            Some(
                json!({"kind": "respond", "path": "/api/v2.0/package", "count": 1,
                        "status": 200, "body": {"response": "TIMEOUT", "message": "injected"}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, timeout) = demo
        .json(Method::PUT, "/package/", &json!({"vdr": false}))
        .await;
    assert_eq!(timeout["response"], "TIMEOUT", "{timeout}");
    let p = demo.create_package().await;
    let pid = p["packageId"].as_str().unwrap();
    let reg = demo
        .register_file(pid, &json!({"filename": "f", "parts": 1, "filesize": 1}))
        .await;
    let fid = reg["fileId"].as_str().unwrap();
    let urls = demo.upload_urls(pid, fid, 1).await;
    let url = urls["uploadUrls"][0]["url"].as_str().unwrap();
    emu.control(
        Method::POST,
        "faults",
        Some(json!({"kind": "respond", "method": "PUT", "path": "/_storage/", "count": 1, "status": 503})),
    )
    .await;
    let client = reqwest::Client::new();
    let first = client.put(url).body(vec![7]).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
    let done = demo.upload_complete(pid, fid).await;
    assert_eq!(done["message"], "false", "the faulted PUT stored nothing");
    let second = client.put(url).body(vec![7]).send().await.unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    let (_, stats) = emu.control(Method::GET, "stats", None).await;
    assert!(stats["upload_bytes"].as_u64().unwrap() >= 1, "{stats}");
    let (_, log) = emu.control(Method::GET, "requests", None).await;
    let signed: Vec<&Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["token"] == true)
        .collect();
    assert!(signed.len() >= 4, "the credential headers are noted: {log}");
}
