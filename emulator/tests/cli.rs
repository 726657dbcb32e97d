//! The command line: clean shutdown on SIGTERM, the demo config round trip, refused config
//! files, and HTTPS with a certificate of one's own.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{read_response, Api, Emulator};

/// Runs the binary with `args` and collects its exit status and output; panics if it is still
/// running after 20 s (a config that should have been refused is being served).
fn run(args: &[&str]) -> (std::process::ExitStatus, String, String) {
    let mut child = Command::new(Emulator::binary())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{}` did not exit", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status, stdout, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_cleanly_after_finishing_open_requests() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let guid = api.create_safebox("before shutdown", &[]).await;
    // A request that is still being handled when the signal arrives is answered.
    let (status, _) = emu
        .control(Method::PUT, "latency", Some(json!({"ms": 700})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let slow = {
        let api = api.clone();
        let guid = guid.clone();
        tokio::spawn(async move { api.get(&format!("api/v2/safeboxes/{guid}.json")).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let url = emu.url.clone();
    let clean = tokio::task::spawn_blocking(move || emu.terminate())
        .await
        .unwrap();
    assert!(clean, "SIGTERM ends the process with exit status 0");
    let (status, body) = slow.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["safebox"]["guid"], json!(guid));
    // Nothing listens any more.
    assert!(reqwest::get(format!("{url}/api/v2/safeboxes"))
        .await
        .is_err());
}

#[tokio::test]
async fn sigterm_on_an_idle_server() {
    let emu = Emulator::demo();
    let (status, _) = emu.anonymous().get("services/acme/portal/host").await;
    assert_eq!(status, StatusCode::OK);
    assert!(emu.terminate());
}

#[test]
fn sigterm_as_soon_as_it_says_it_listens_stops_it_cleanly() {
    // The signal handlers must be in place before the "listening on" line: a script may stop
    // the emulator right after reading it.
    for _ in 0..5 {
        let emu = Emulator::demo();
        assert!(
            emu.terminate(),
            "SIGTERM ends the process with exit status 0"
        );
    }
}

#[tokio::test]
async fn the_printed_demo_config_is_a_valid_config() {
    let (status, printed, _) = run(&["--print-demo-config"]);
    assert!(status.success());
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/demo.toml")).unwrap();
    assert_eq!(printed, shipped);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.toml");
    std::fs::write(&path, &printed).unwrap();

    let emu = Emulator::start(&["--config", path.to_str().unwrap()]);
    let api = emu.demo_user().await;
    let (status, profiles) = api
        .get("api/v2/enterprises/acme/security_profiles.json?user_email=demo@acme.example")
        .await;
    assert_eq!(status, StatusCode::OK, "{profiles}");
    let ids: Vec<i64> = profiles["security_profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 10, 20]);
    let carol = emu.anonymous();
    let (status, body) = carol
        .post(
            "api/user_token",
            json!({"permalink": "acme", "username": "carol", "password": "carol-password",
                   "application_type": "t", "device_id": "d", "device_name": "n", "otp": "123456"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user_id"], json!(3));
    assert!(emu.terminate());
}

#[tokio::test]
async fn a_config_file_of_ones_own_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("globex.toml");
    std::fs::write(
        &path,
        r#"
[[accounts]]
permalink = "globex"
enterprise_id = 77

[[accounts.users]]
id = 42
username = "hank"
password = "scorpio"
email = "hank@globex.example"

[[accounts.security_profiles]]
id = 5
name = "Strict"
[accounts.security_profiles.settings]
expiration_value = { value = 2, modifiable = false }
expiration_unit = { value = "hours", modifiable = false }
"#,
    )
    .unwrap();
    let emu = Emulator::start(&["--config", path.to_str().unwrap()]);
    let anonymous = emu.anonymous();
    let (status, _) = anonymous.get("services/acme/portal/host").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the demo account is not served"
    );
    let (status, host) = anonymous.get("services/globex/portal/host").await;
    assert_eq!(
        (status, host),
        (StatusCode::OK, json!(format!("{}/", emu.url)))
    );
    let (status, token) = anonymous
        .post(
            "api/user_token",
            json!({"permalink": "globex", "username": "hank", "password": "scorpio",
                   "application_type": "t", "device_id": "d", "device_name": "n"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(token["user_id"], json!(42));
    let api = Api {
        token: Some(token["token"].as_str().unwrap().to_string()),
        ..anonymous.clone()
    };
    let (status, settings) = api.get("api/v2/enterprises/globex/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["default_security_profile_id"], json!(5));
    let (status, init) = api
        .get("api/v2/safeboxes/new?user_email=hank@globex.example")
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, committed) = api
        .post(
            "api/v2/safeboxes",
            json!({"safebox": {"guid": init["guid"], "user_email": "hank@globex.example", "message": "m",
                "security_profile_id": 5, "recipients": [{"email": "g@example.com"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{committed}");
    assert_eq!(committed["enterprise_id"], json!(77));
    assert_eq!(committed["user_id"], json!(42));
    assert_eq!(committed["security_profile_name"], json!("Strict"));
    let created =
        chrono::DateTime::parse_from_rfc3339(committed["created_at"].as_str().unwrap()).unwrap();
    let expiration =
        chrono::DateTime::parse_from_rfc3339(committed["expiration"].as_str().unwrap()).unwrap();
    assert_eq!(expiration - created, chrono::Duration::hours(2));
}

#[test]
fn bad_config_files_are_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &str); 5] = [
        ("syntax.toml", "[[accounts]\npermalink = ", "syntax.toml"),
        ("unknown.toml", "[[accounts]]\npermalink = \"a\"\ncolour = \"blue\"\nusers = []\n", "unknown field"),
        ("nousers.toml", "[[accounts]]\npermalink = \"a\"\nusers = []\n", "has no users"),
        ("noaccounts.toml", "accounts = []\n", "at least one account"),
        (
            "badprofile.toml",
            "[[accounts]]\npermalink = \"a\"\n[[accounts.users]]\nid = 1\nusername = \"u\"\npassword = \"p\"\nemail = \"u@a.example\"\n\
             [[accounts.security_profiles]]\nid = 1\nname = \"x\"\nsettings = { warp_speed = 9 }\n",
            "unknown security profile setting `warp_speed`",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let (status, stdout, stderr) = run(&[
            "--listen",
            "127.0.0.1:0",
            "--config",
            path.to_str().unwrap(),
        ]);
        assert!(!status.success(), "{name} was accepted");
        assert!(
            stdout.is_empty(),
            "{name}: nothing is served, stdout {stdout:?}"
        );
        assert!(
            stderr.contains(expected),
            "{name}: stderr {stderr:?} lacks {expected:?}"
        );
        assert!(
            stderr.starts_with("sendsecure-emulator: "),
            "{name}: {stderr:?}"
        );
    }
    let missing = dir.path().join("missing.toml");
    let (status, stdout, stderr) = run(&[
        "--listen",
        "127.0.0.1:0",
        "--config",
        missing.to_str().unwrap(),
    ]);
    assert!(!status.success());
    assert!(stdout.is_empty());
    assert!(stderr.contains("cannot read config file"), "{stderr:?}");

    // Bad command lines: a certificate without its key, an unknown flag, a bad address.
    for args in [
        &["--tls-cert", "cert.pem"][..],
        &["--frobnicate"][..],
        &["--listen", "not-an-address"][..],
    ] {
        let (status, stdout, stderr) = run(args);
        assert!(!status.success(), "{args:?} accepted");
        assert!(stdout.is_empty(), "{args:?}: {stdout:?}");
        assert!(!stderr.is_empty(), "{args:?}: no message");
    }
    // Unreadable TLS files.
    let (status, stdout, stderr) = run(&[
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        missing.to_str().unwrap(),
        "--tls-key",
        missing.to_str().unwrap(),
    ]);
    assert!(!status.success());
    assert!(stdout.is_empty());
    assert!(stderr.contains("cannot read"), "{stderr:?}");
}

#[tokio::test]
async fn https_with_a_self_signed_certificate() {
    let rcgen::CertifiedKey { cert, key_pair } =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key_pair.serialize_pem()).unwrap();

    let emu = Emulator::start(&[
        "--tls-cert",
        cert_path.to_str().unwrap(),
        "--tls-key",
        key_path.to_str().unwrap(),
    ]);
    assert!(
        emu.url.starts_with("https://127.0.0.1:"),
        "listening line: {}",
        emu.url
    );
    let port: u16 = emu.url.rsplit(':').next().unwrap().parse().unwrap();
    let trusted = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.pem().as_bytes()).unwrap())
        .resolve(
            "localhost",
            std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        )
        .build()
        .unwrap();
    let base = format!("https://localhost:{port}/");
    let anonymous = Api {
        client: trusted.clone(),
        base: base.clone(),
        token: None,
    };

    // Discovery answers the HTTPS base URL the client used.
    let response = trusted
        .get(format!("{base}services/acme/sendsecure/server/url"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), base);

    let (status, token) = anonymous
        .post(
            "api/user_token",
            json!({"permalink": "acme", "username": "demo", "password": "demo-password",
                   "application_type": "t", "device_id": "tls", "device_name": "n", "otp": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let api = Api {
        token: Some(token["token"].as_str().unwrap().to_string()),
        ..anonymous
    };
    let (status, init) = api
        .get("api/v2/safeboxes/new.json?user_email=demo@acme.example")
        .await;
    assert_eq!(status, StatusCode::OK, "{init}");
    let upload_url = init["upload_url"].as_str().unwrap();
    assert!(
        upload_url.starts_with(&format!("{base}xmss/")),
        "{upload_url}"
    );
    let doc = api
        .upload(upload_url, "secret.txt", b"over TLS".to_vec())
        .await;
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            json!({"safebox": {"guid": init["guid"], "user_email": "demo@acme.example", "security_profile_id": 1,
                "notification_language": "en", "recipients": [{"email": "guest@example.com"}], "document_ids": [doc]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["preview_url"].as_str().unwrap().starts_with(&base),
        "{body}"
    );

    // The IP address is in the certificate too.
    let by_ip = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let response = by_ip
        .get(format!("{}/services/acme/portal/host", emu.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        read_response(response).await,
        (StatusCode::OK, json!(format!("{}/", emu.url)))
    );

    // A client that does not trust the certificate, and plain HTTP on the TLS port, fail.
    let untrusting = reqwest::Client::builder()
        .resolve(
            "localhost",
            std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        )
        .build()
        .unwrap();
    assert!(untrusting
        .get(format!("{base}services/acme/portal/host"))
        .send()
        .await
        .is_err());
    let plain = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let answer = plain
        .get(format!("http://127.0.0.1:{port}/services/acme/portal/host"))
        .send()
        .await;
    assert!(answer.is_err() || !answer.unwrap().status().is_success());
    // The server is still fine after those failed handshakes.
    let (status, _) = api.get("api/v2/safeboxes.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(emu.terminate());
}

#[tokio::test]
async fn service_sendsecure_is_served_as_without_the_flag() {
    let emu = Emulator::start(&["--service", "sendsecure"]);
    let (status, body) = emu.anonymous().get("services/acme/portal/host").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let api = emu.demo_user().await;
    let guid = api.create_safebox("with --service", &[]).await;
    let (status, body) = api.get(&format!("api/v2/safeboxes/{guid}.json")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["safebox"]["guid"], json!(guid));
    // The generic control routes and SendSecure's own are both served.
    let (status, stats) = emu.control(Method::GET, "stats", None).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert!(stats["requests"].as_u64().unwrap() >= 3, "{stats}");
    let (status, inspected) = emu
        .control(Method::GET, &format!("safeboxes/{guid}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{inspected}");
    assert_eq!(inspected["subject"], json!("with --service"));
    assert!(emu.terminate());
}

#[tokio::test]
async fn service_sendsafely_is_served_with_its_demo_organisation() {
    let (status, stdout, stderr) = run(&["--service", "sendsafely", "--print-demo-config"]);
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("api_key = \"demo-api-key\""), "{stdout}");
    assert!(stdout.contains("api_key = \"bob-api-key\""), "{stdout}");
    assert!(
        !stdout.contains("[[accounts]]"),
        "not SendSecure's: {stdout}"
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ss.toml");
    std::fs::write(&config, &stdout).unwrap();
    let data = dir.path().join("data");
    let emu = Emulator::start(&[
        "--service",
        "sendsafely",
        "--config",
        config.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(emu.url.starts_with("http://127.0.0.1:"), "{}", emu.url);
    // An unknown route answers SendSafely's 404, not SendSecure's.
    let answer = reqwest::get(format!("{}/no/such/route", emu.url))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["response"], json!("FAIL"), "{body}");
    let (status, stats) = emu.control(Method::GET, "stats", None).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert!(data.is_dir());
    assert!(emu.terminate());
    // A SendSecure config is not a SendSafely one.
    let (_, sendsecure_config, _) = run(&["--print-demo-config"]);
    std::fs::write(&config, sendsecure_config).unwrap();
    let (status, _, stderr) = run(&[
        "--service",
        "sendsafely",
        "--listen",
        "127.0.0.1:0",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("config file"), "{stderr}");
}

#[test]
fn services_not_served_yet_and_unknown_ones_are_refused_in_one_line() {
    let name = "passbyme";
    let (status, stdout, stderr) = run(&["--listen", "127.0.0.1:0", "--service", name]);
    assert_eq!(status.code(), Some(2), "{name}: {stderr}");
    assert_eq!(stdout, "", "{name}: nothing is served");
    assert_eq!(
        stderr,
        format!("sendsecure-emulator: service {name} is not served yet\n")
    );
    let (status, stdout, stderr) = run(&["--listen", "127.0.0.1:0", "--service", "dropbox"]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "sendsecure-emulator: unknown service `dropbox` (known: sendsecure, sendsafely, passbyme)\n"
    );
}
