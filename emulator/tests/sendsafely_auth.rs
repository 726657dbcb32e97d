//! SendSafely request authentication (spec §2, §10.3) over real HTTP: the golden signatures
//! verify, and missing, malformed, stale, tampered, mis-keyed and (when configured) replayed
//! requests are refused with `AUTHENTICATION_FAILED`, never a crash.

mod sendsafely_support;
mod support;

use reqwest::{Method, StatusCode};
use sendsafely_support::{fixture, now_timestamp, sign, start, start_with, Ss};
use serde_json::json;

/// The `signed = |…|` and `hmac = …` of a text fixture.
fn signed_and_hmac(id: &str) -> Vec<(String, String)> {
    let text = fixture(id)["text"].as_str().unwrap().to_string();
    let mut pairs = vec![];
    let mut signed = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("signed") {
            let rest = rest.trim_start().trim_start_matches('=').trim_start();
            signed = Some(
                rest.trim_start_matches('|')
                    .trim_end_matches('|')
                    .to_string(),
            );
        } else if let Some(rest) = line.strip_prefix("hmac") {
            let h = rest.trim_start().trim_start_matches('=').trim().to_string();
            pairs.push((signed.take().expect("signed before hmac"), h));
        }
    }
    pairs
}

#[test]
fn the_golden_signature_strings_give_the_golden_hmacs() {
    let mut n = 0;
    for id in ["SF-02", "SF-03", "SF-05"] {
        for (signed, hmac) in signed_and_hmac(id) {
            let mac = sign("", "EXAMPLE-API-SECRET", "", "", signed.as_bytes());
            assert_eq!(mac, hmac, "{id}: {signed}");
            n += 1;
        }
    }
    assert_eq!(n, 5);
}

#[tokio::test]
async fn golden_requests_verify_with_their_fixed_timestamp() {
    let dir = tempfile::tempdir().unwrap();
    // The fixtures are of 2024: a window wide enough to accept them.
    let emu = start_with(dir.path(), "timestamp_window_s = 100000000000");
    let ss = Ss::new(&emu, "EXAMPLE-API-KEY", "EXAMPLE-API-SECRET");
    let ts = "2024-01-02T03:04:05+0000".to_string();
    let headers = |sig: &str| {
        vec![
            ("ss-api-key", "EXAMPLE-API-KEY".to_string()),
            ("ss-request-timestamp", ts.clone()),
            ("ss-request-signature", sig.to_string()),
            ("ss-request-api", "PYTHON_API".to_string()),
        ]
    };
    // SF-05: PY GET /user.
    let (status, body) = ss
        .raw(
            Method::GET,
            "/api/v2.0/user",
            None,
            &headers("e12ea2d24349ed3192ff5ff34c34d9c814a3097e3797650a11ba94473cf6bf06"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["response"], "SUCCESS", "{body}");
    assert_eq!(body["email"], "example@acme.example");
    // Upper-case hex is accepted too.
    let (_, body) = ss
        .raw(
            Method::GET,
            "/api/v2.0/user",
            None,
            &headers(
                &"e12ea2d24349ed3192ff5ff34c34d9c814a3097e3797650a11ba94473cf6bf06".to_uppercase(),
            ),
        )
        .await;
    assert_eq!(body["response"], "SUCCESS", "{body}");
    // SF-01 and SF-04 exactly as in the fixtures (headers and body): packages are created.
    for id in ["SF-01", "SF-04"] {
        let text = fixture(id)["text"].as_str().unwrap().to_string();
        let (head, body) = text.split_once("\n\n").unwrap();
        let mut lines = head.lines();
        let path = lines.next().unwrap().split(' ').nth(1).unwrap().to_string();
        let sent: Vec<(&str, String)> = lines
            .filter_map(|l| l.split_once(": "))
            .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
            .map(|(name, value)| (name, value.to_string()))
            .collect();
        let (status, answer) = ss
            .raw(Method::PUT, &path, Some(body.as_bytes().to_vec()), &sent)
            .await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(answer["response"], "SUCCESS", "{id}: {answer}");
        assert!(answer["packageId"].is_string(), "{id}: {answer}");
    }
    // SF-01 sent with SF-06's near misses: the signature no longer verifies.
    let sf01 = "d815cc29c8886a454411dc6108385f019102359b662aa8797767a76abae4ac91";
    for (path, body) in [
        ("/api/v2.0/package/", r#"{"vdr": false}"#),
        ("/api/v2.0/package", r#"{"vdr":false}"#),
    ] {
        let (status, answer) = ss
            .raw(
                Method::PUT,
                path,
                Some(body.as_bytes().to_vec()),
                &headers(sf01),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            answer["response"], "AUTHENTICATION_FAILED",
            "{path} {body}: {answer}"
        );
    }
    // SF-03: the query is not signed.
    let (_, body) = ss
        .raw(
            Method::GET,
            "/api/v2.0/user?rowIndex=0&pageSize=100",
            None,
            &headers("e12ea2d24349ed3192ff5ff34c34d9c814a3097e3797650a11ba94473cf6bf06"),
        )
        .await;
    assert_eq!(body["response"], "SUCCESS", "{body}");
    // The same key with the wrong secret (SF-06).
    let wrong = Ss::new(&emu, "EXAMPLE-API-KEY", "WRONG-SECRET");
    let (_, body) = wrong.call(Method::GET, "/user", None).await;
    assert_eq!(body["response"], "AUTHENTICATION_FAILED", "{body}");
}

#[tokio::test]
async fn bad_credentials_are_refused_with_the_error_shape() {
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let (status, body) = demo.call(Method::GET, "/user/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["response"], "SUCCESS", "{body}");
    assert_eq!(body["email"], "demo@acme.example");
    let (_, body) = Ss::bob(&emu)
        .call(Method::GET, "/config/verify-credentials/", None)
        .await;
    assert_eq!(body["message"], "bob@acme.example", "{body}");

    let ts = now_timestamp();
    let good = sign(
        "demo-api-key",
        "demo-api-secret",
        "/api/v2.0/user",
        &ts,
        b"",
    );
    let refused = |headers: Vec<(&'static str, String)>| {
        let demo = demo.clone();
        async move {
            let (status, body) = demo
                .raw(Method::GET, "/api/v2.0/user", None, &headers)
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(
                body["response"], "AUTHENTICATION_FAILED",
                "{headers:?}: {body}"
            );
            assert!(body["message"].is_string(), "{body}");
            assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
        }
    };
    let key = ("ss-api-key", "demo-api-key".to_string());
    let stamp = ("ss-request-timestamp", ts.clone());
    let signature = ("ss-request-signature", good.clone());
    // Each header missing.
    refused(vec![stamp.clone(), signature.clone()]).await;
    refused(vec![key.clone(), signature.clone()]).await;
    refused(vec![key.clone(), stamp.clone()]).await;
    refused(vec![]).await;
    // Unknown key; the key of another user with this signature.
    refused(vec![
        ("ss-api-key", "nobody".into()),
        stamp.clone(),
        signature.clone(),
    ])
    .await;
    refused(vec![
        ("ss-api-key", "bob-api-key".into()),
        stamp.clone(),
        signature.clone(),
    ])
    .await;
    // Malformed signatures.
    for bad in ["", "zz", &good[..63], &format!("{good}00")] {
        refused(vec![
            key.clone(),
            stamp.clone(),
            ("ss-request-signature", bad.to_string()),
        ])
        .await;
    }
    // Timestamps in other formats, signed correctly.
    let now = chrono::Utc::now();
    for bad in [
        now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        now.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string(),
        now.format("%Y-%m-%dT%H:%M:%S+0100").to_string(),
        now.timestamp().to_string(),
    ] {
        let sig = sign(
            "demo-api-key",
            "demo-api-secret",
            "/api/v2.0/user",
            &bad,
            b"",
        );
        refused(vec![
            key.clone(),
            ("ss-request-timestamp", bad),
            ("ss-request-signature", sig),
        ])
        .await;
    }
    // Stale and future timestamps beyond the default 15 minutes, signed correctly.
    for offset in [-16 * 60, 16 * 60, -86400] {
        let t = (now + chrono::Duration::seconds(offset))
            .format("%Y-%m-%dT%H:%M:%S+0000")
            .to_string();
        let sig = sign("demo-api-key", "demo-api-secret", "/api/v2.0/user", &t, b"");
        refused(vec![
            key.clone(),
            ("ss-request-timestamp", t),
            ("ss-request-signature", sig),
        ])
        .await;
    }
    // Within the window: accepted.
    let t = (now - chrono::Duration::seconds(14 * 60))
        .format("%Y-%m-%dT%H:%M:%S+0000")
        .to_string();
    let sig = sign("demo-api-key", "demo-api-secret", "/api/v2.0/user", &t, b"");
    let (_, body) = demo
        .raw(
            Method::GET,
            "/api/v2.0/user",
            None,
            &[
                key.clone(),
                ("ss-request-timestamp", t),
                ("ss-request-signature", sig),
            ],
        )
        .await;
    assert_eq!(body["response"], "SUCCESS", "{body}");
    // A body sent but not signed, and a signature of another path.
    let (_, body) = demo
        .raw(
            Method::GET,
            "/api/v2.0/user",
            Some(b"{}".to_vec()),
            &[key.clone(), stamp.clone(), signature.clone()],
        )
        .await;
    assert_eq!(body["response"], "AUTHENTICATION_FAILED", "{body}");
    let (_, body) = demo
        .raw(
            Method::GET,
            "/api/v2.0/user/",
            None,
            &[key, stamp, signature],
        )
        .await;
    assert_eq!(body["response"], "AUTHENTICATION_FAILED", "{body}");
    // Non-ASCII header bytes do not crash it.
    let raw = format!(
        "GET /api/v2.0/user HTTP/1.1\r\nHost: x\r\nss-api-key: \u{e9}\u{ff}\r\nss-request-timestamp: {ts}\r\nss-request-signature: {good}\r\nConnection: close\r\n\r\n"
    );
    let addr = emu.url.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    use std::io::{Read, Write};
    stream.write_all(raw.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.contains("AUTHENTICATION_FAILED"), "{answer}");
    // Still serving.
    let (_, body) = demo.call(Method::GET, "/user", None).await;
    assert_eq!(body["response"], "SUCCESS", "{body}");
}

#[tokio::test]
async fn replays_and_the_failure_status_are_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_with(
        dir.path(),
        "reject_replays = true\nauth_failure_status = 401",
    );
    let demo = Ss::demo(&emu);
    let headers = demo.signed_headers("/api/v2.0/user", b"");
    let (status, body) = demo
        .raw(Method::GET, "/api/v2.0/user", None, &headers)
        .await;
    assert_eq!(
        (status, &body["response"]),
        (StatusCode::OK, &json!("SUCCESS")),
        "{body}"
    );
    let (status, body) = demo
        .raw(Method::GET, "/api/v2.0/user", None, &headers)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["response"], "AUTHENTICATION_FAILED", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("replay"),
        "{body}"
    );
    // By default a replay within the window is accepted (SDKs may repeat a call in a second).
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let headers = demo.signed_headers("/api/v2.0/user", b"");
    for _ in 0..2 {
        let (_, body) = demo
            .raw(Method::GET, "/api/v2.0/user", None, &headers)
            .await;
        assert_eq!(body["response"], "SUCCESS", "{body}");
    }
}
