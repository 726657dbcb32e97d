//! Fault injection through the control API: latency, canned answers, dropped connections and
//! responses, interrupted uploads; the connection counters; and the control API's absence
//! without `--control`.

mod support;

use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::{read_response, Api, Emulator};

const OWNER: &str = "demo@acme.example";

async fn add_fault(emu: &Emulator, rule: Value) {
    let (status, body) = emu
        .control(Method::POST, "faults", Some(rule.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{rule}: {body}");
}

async fn timed_get(api: &Api, path: &str) -> (Duration, StatusCode) {
    let started = Instant::now();
    let (status, _) = api.get(path).await;
    (started.elapsed(), status)
}

#[tokio::test]
async fn latency_delays_every_api_call() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let (status, body) = emu
        .control(Method::PUT, "latency", Some(json!({"ms": 200})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["latency_ms"], json!(200));
    for path in [
        "api/v2/safeboxes.json",
        "api/v2/enterprises/acme/settings.json",
        "api/v2/nothing",
    ] {
        let (elapsed, _) = timed_get(&api, path).await;
        assert!(
            elapsed >= Duration::from_millis(200),
            "{path} took only {elapsed:?}"
        );
    }
    emu.control(Method::PUT, "latency", Some(json!({"ms": 0})))
        .await;

    // A one-off delay rule.
    add_fault(
        &emu,
        json!({"kind": "delay", "delay_ms": 300, "method": "GET", "path": "/api/v2/safeboxes"}),
    )
    .await;
    let (elapsed, status) = timed_get(&api, "api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        elapsed >= Duration::from_millis(300),
        "took only {elapsed:?}"
    );

    // The same from the command line.
    let slow = Emulator::start(&["--latency-ms", "150"]);
    let api = slow.demo_user().await;
    let (elapsed, status) = timed_get(&api, "api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        elapsed >= Duration::from_millis(150),
        "took only {elapsed:?}"
    );
}

#[tokio::test]
async fn canned_answers_for_the_next_requests_of_a_route() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    add_fault(
        &emu,
        json!({"kind": "respond", "status": 503, "method": "GET", "path": "/api/v2/safeboxes", "count": 2}),
    )
    .await;
    // Another route and another method are not affected.
    let (status, _) = api.get("api/v2/enterprises/acme/settings.json").await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..2 {
        let (status, body) = api.get("api/v2/safeboxes.json").await;
        assert_eq!(
            (status, body),
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "Service Unavailable"})
            )
        );
    }
    let (status, body) = api.get("api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["count"], json!(0));

    // An HTML error page, as a proxy in front of the real service would send.
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    add_fault(&emu, json!({"kind": "respond", "status": 502, "path": "/api/v2/safeboxes/new", "body_text": html})).await;
    let response = api
        .request(
            Method::GET,
            &format!("api/v2/safeboxes/new.json?user_email={OWNER}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(response.text().await.unwrap(), html);
    let (status, body) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A JSON body of one's choosing.
    add_fault(
        &emu,
        json!({"kind": "respond", "status": 429, "body": {"error": "Slow down"}}),
    )
    .await;
    let (status, body) = api.get("api/v2/enterprises/acme/settings.json").await;
    assert_eq!(
        (status, body),
        (StatusCode::TOO_MANY_REQUESTS, json!({"error": "Slow down"}))
    );

    // A rule for every request until cleared; the control API itself is never faulted.
    add_fault(&emu, json!({"kind": "respond", "status": 500, "count": 0})).await;
    for _ in 0..3 {
        let (status, _) = api.get("api/v2/safeboxes.json").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    }
    let (status, _) = emu.control(Method::GET, "stats", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = emu.control(Method::DELETE, "faults", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.get("api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK);

    // Incomplete rules are refused.
    for rule in [
        json!({"kind": "respond"}),
        json!({"kind": "drop_upload"}),
        json!({"kind": "delay"}),
        json!({"kind": "explode"}),
    ] {
        let (status, _) = emu
            .control(Method::POST, "faults", Some(rule.clone()))
            .await;
        assert!(status.is_client_error(), "{rule} accepted: {status}");
    }
    let (status, _) = api.get("api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK);
}

async fn state_of(emu: &Emulator, guid: &str) -> Value {
    let (status, body) = emu
        .control(Method::GET, &format!("safeboxes/{guid}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn a_dropped_connection_changes_nothing() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let guid = api.create_safebox("Drop me", &[]).await;
    add_fault(&emu, json!({"kind": "drop_connection", "method": "PATCH", "path": format!("/api/v2/safeboxes/{guid}/close")})).await;
    let fresh = api.with_fresh_client();
    let result = fresh
        .request(
            Method::PATCH,
            &format!("api/v2/safeboxes/{guid}/close.json"),
        )
        .send()
        .await;
    let error = result.expect_err("the connection was dropped");
    assert!(!error.is_status() && !error.is_decode(), "{error:?}");
    assert_eq!(state_of(&emu, &guid).await["status"], json!("in_progress"));
    let (status, body) = api.get(&format!("api/v2/safeboxes/{guid}.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["safebox"]["closed_at"], Value::Null);
    // The rule was used up: the retry goes through.
    let (status, body) = fresh
        .patch(&format!("api/v2/safeboxes/{guid}/close.json"), None)
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"result": true, "message": "SafeBox successfully closed."})
        )
    );
    assert_eq!(state_of(&emu, &guid).await["status"], json!("closed"));
}

#[tokio::test]
async fn a_dropped_commit_response_still_commits_once() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let (status, init) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let guid = init["guid"].as_str().unwrap().to_string();
    let doc = api
        .upload(
            init["upload_url"].as_str().unwrap(),
            "a.txt",
            b"attached".to_vec(),
        )
        .await;
    add_fault(
        &emu,
        json!({"kind": "drop_response", "method": "POST", "path": "/api/v2/safeboxes"}),
    )
    .await;
    let commit = json!({"safebox": {
        "guid": guid, "user_email": OWNER, "message": "hi", "security_profile_id": 1, "notification_language": "en",
        "recipients": [{"email": "guest@example.com"}], "document_ids": [doc],
    }});
    let fresh = api.with_fresh_client();
    let result = fresh
        .request(Method::POST, "api/v2/safeboxes.json")
        .json(&commit)
        .send()
        .await;
    let error = result.expect_err("the response was dropped");
    assert!(!error.is_status(), "{error:?}");

    let (status, all) = emu.control(Method::GET, "safeboxes", None).await;
    assert_eq!(status, StatusCode::OK);
    let matching: Vec<&Value> = all["safeboxes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["guid"] == json!(guid))
        .collect();
    assert_eq!(matching.len(), 1, "{all}");
    assert_eq!(all["safeboxes"].as_array().unwrap().len(), 1);
    let stored = matching[0];
    assert_eq!(stored["status"], json!("in_progress"));
    assert_eq!(stored["message_count"], json!(1));
    assert_eq!(stored["documents"].as_array().unwrap().len(), 1);
    assert_eq!(stored["documents"][0]["size"], json!(8));
    // A client that retries learns that the commit happened; nothing is duplicated.
    let (status, body) = fresh.post("api/v2/safeboxes.json", commit.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["attributes"]["guid"],
        json!(["has already been committed"])
    );
    let (status, list) = api.get("api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["count"], json!(1));
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_interrupted_upload_leaves_nothing_behind() {
    let data = tempfile::tempdir().unwrap();
    let emu = Emulator::start(&["--data-dir", data.path().to_str().unwrap()]);
    let api = emu.demo_user().await;
    let (status, init) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let guid = init["guid"].as_str().unwrap().to_string();
    let upload_url = init["upload_url"].as_str().unwrap().to_string();
    add_fault(
        &emu,
        json!({"kind": "drop_upload", "after_bytes": 65_536, "path": "/xmss/"}),
    )
    .await;
    let (_, before) = emu.control(Method::GET, "stats", None).await;

    let big = vec![7u8; 4 << 20];
    let result = reqwest::Client::new()
        .post(&upload_url)
        .header(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"big.bin.txt\"",
        )
        .body(big.clone())
        .send()
        .await;
    assert!(
        result.is_err(),
        "the upload was cut: {:?}",
        result.map(|r| r.status())
    );
    assert_eq!(
        files_in(data.path()),
        Vec::<String>::new(),
        "no partial file is kept"
    );
    let (_, after) = emu.control(Method::GET, "stats", None).await;
    let received =
        after["upload_bytes"].as_u64().unwrap() - before["upload_bytes"].as_u64().unwrap();
    assert!(
        (65_536..(4 << 20)).contains(&received),
        "received {received} bytes"
    );

    // A multipart upload is cut the same way.
    add_fault(&emu, json!({"kind": "drop_upload", "after_bytes": 1000})).await;
    let part = reqwest::multipart::Part::bytes(big.clone()).file_name("big.txt");
    let result = reqwest::Client::new()
        .post(&upload_url)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await;
    assert!(
        result.is_err(),
        "the upload was cut: {:?}",
        result.map(|r| r.status())
    );
    assert_eq!(files_in(data.path()), Vec::<String>::new());

    // The next upload works, and is the only file the SafeBox gets.
    let doc = api.upload(&upload_url, "big.txt", big.clone()).await;
    assert_eq!(files_in(data.path()), vec![doc.clone()]);
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            json!({"safebox": {"guid": guid, "user_email": OWNER, "security_profile_id": 1, "notification_language": "en",
                "recipients": [{"email": "guest@example.com"}], "document_ids": [doc]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored = state_of(&emu, &guid).await;
    assert_eq!(stored["documents"].as_array().unwrap().len(), 1);
    assert_eq!(stored["documents"][0]["size"], json!(big.len()));
    assert_eq!(stored["documents"][0]["stored"], json!(true));
}

#[tokio::test]
async fn stats_count_connections_and_requests() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    // One keep-alive client for the control calls, so that they open one connection.
    let control = Api {
        client: reqwest::Client::new(),
        base: format!("{}/", emu.url),
        token: None,
    };
    let stats = || async {
        let (status, body) = control.get("_emulator/stats").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (
            body["connections"].as_u64().unwrap(),
            body["requests"].as_u64().unwrap(),
        )
    };
    let (connections0, requests0) = stats().await;

    let keep_alive = api.with_fresh_client();
    for _ in 0..5 {
        let (status, _) = keep_alive.get("api/v2/safeboxes.json").await;
        assert_eq!(status, StatusCode::OK);
    }
    let (connections1, requests1) = stats().await;
    assert_eq!(
        connections1,
        connections0 + 1,
        "five requests on one kept-alive connection"
    );
    assert_eq!(
        requests1,
        requests0 + 5,
        "control calls are not counted as API requests"
    );

    let no_keep_alive = Api {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
        ..api.clone()
    };
    for _ in 0..5 {
        let (status, _) = no_keep_alive.get("api/v2/safeboxes.json").await;
        assert_eq!(status, StatusCode::OK);
    }
    let (connections2, requests2) = stats().await;
    assert_eq!(
        connections2,
        connections1 + 5,
        "one connection per request without keep-alive"
    );
    assert_eq!(requests2, requests1 + 5);
}

#[tokio::test]
async fn without_control_there_is_no_control_api() {
    let emu = Emulator::start_without_control(&[]);
    let rails_404 = json!({"status": "404", "error": "Not Found"});
    for (method, path, body) in [
        (Method::GET, "stats", None),
        (Method::GET, "safeboxes", None),
        (
            Method::POST,
            "faults",
            Some(json!({"kind": "respond", "status": 500})),
        ),
        (Method::DELETE, "faults", None),
        (Method::PUT, "latency", Some(json!({"ms": 1000}))),
        (Method::POST, "clock", Some(json!({"advance_seconds": 1}))),
    ] {
        let (status, answer) = emu.control(method.clone(), path, body).await;
        assert_eq!(
            (status, &answer),
            (StatusCode::NOT_FOUND, &rails_404),
            "{method} {path}"
        );
    }
    // The API itself is served, unfaulted.
    let api = emu.demo_user().await;
    let started = Instant::now();
    let (status, body) = api.get("api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(started.elapsed() < Duration::from_secs(1));
    let guid = api.create_safebox("no control", &[]).await;
    let (status, body) = api.get(&format!("api/v2/safeboxes/{guid}.json")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let response = api
        .client
        .get(format!("{}/_emulator/safeboxes/{guid}", emu.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        read_response(response).await,
        (StatusCode::NOT_FOUND, rails_404)
    );
}

#[tokio::test]
async fn the_journal_keeps_no_digest_of_a_login_body() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await; // a login (POST api/user_token) with the password
    let (_, safeboxes) = api.get("api/v2/safeboxes.json").await;
    assert!(safeboxes.is_object(), "{safeboxes}");
    let control = Api {
        client: reqwest::Client::new(),
        base: format!("{}/", emu.url),
        token: None,
    };
    let (status, journal) = control.get("_emulator/requests").await;
    assert_eq!(status, StatusCode::OK, "{journal}");
    let entries = journal["requests"].as_array().unwrap();
    let login = entries
        .iter()
        .find(|e| e["target"].as_str().unwrap_or("").contains("user_token"))
        .expect("the login in the journal");
    assert!(login["body_length"].as_u64().unwrap() > 0, "{login}");
    assert!(login["body_sha256"].is_null(), "{login}");
    // Other requests keep theirs.
    let other = entries
        .iter()
        .find(|e| e["target"].as_str().unwrap_or("").contains("safeboxes"))
        .expect("the listing in the journal");
    assert!(other["body_sha256"].is_string(), "{other}");
}
