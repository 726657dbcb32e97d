//! Connection reuse, counted by the emulator: over HTTPS the client negotiates HTTP/2 (the
//! emulator offers it by ALPN, as a production front end would) and a whole submit, service
//! discovery, settings, initialization, parallel uploads and commit, travels on one connection.

mod support;

use sendsecure::{
    get_user_token, Attachment, Client, ClientOptions, Recipient, Safebox, TokenRequest,
    TransportOptions,
};
use sendsecure_emulator::ServerOptions;
use serde_json::Value;
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};

/// An emulator serving HTTPS with a fresh self-signed certificate for 127.0.0.1, and that
/// certificate's PEM file (to trust it).
fn https_emulator(dir: &std::path::Path) -> (Emulator, std::path::PathBuf) {
    let rcgen::CertifiedKey { cert, key_pair } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).expect("certificate");
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    std::fs::write(&cert_path, cert.pem()).expect("write certificate");
    std::fs::write(&key_path, key_pair.serialize_pem()).expect("write key");
    let mut options = ServerOptions::local_demo();
    options.core.tls = Some((cert_path.clone(), key_path));
    let emu = Emulator::with_options(options);
    assert!(emu.url.starts_with("https://127.0.0.1:"), "{}", emu.url);
    (emu, cert_path)
}

/// Reads the emulator's counters with `control` (a client of its own, kept across reads so
/// that it does not add connections after the first read).
async fn stats(control: &reqwest::Client, emu: &Emulator) -> Value {
    control
        .get(format!("{}/_emulator/stats", emu.url))
        .send()
        .await
        .expect("stats")
        .json()
        .await
        .expect("stats JSON")
}

fn count(stats: &Value, name: &str) -> u64 {
    stats[name]
        .as_u64()
        .unwrap_or_else(|| panic!("no `{name}` in {stats}"))
}

#[tokio::test]
async fn over_https_a_parallel_submit_uses_one_http2_connection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (emu, ca) = https_emulator(dir.path());
    let pem = std::fs::read(&ca).expect("read certificate");
    let control = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("PEM"))
        .build()
        .expect("control client");
    let options = ClientOptions {
        upload_concurrency: 4,
        transport: TransportOptions {
            ca_file: Some(ca.clone()),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    // The login has its own connection (it is not made through a client).
    let token = get_user_token(
        &TokenRequest {
            enterprise_account: ACCOUNT,
            username: USER,
            password: PASSWORD,
            device_id: "device-1",
            device_name: "tests",
            endpoint: Some(&emu.url),
            ..TokenRequest::default()
        },
        &options,
    )
    .await
    .expect("login over HTTPS");

    let before = stats(&control, &emu).await;
    let client = Client::new(
        &token.token,
        ACCOUNT,
        Some(&emu.url),
        ClientOptions {
            user_id: Some(token.user_id),
            ..options
        },
    )
    .expect("client");
    let mut safebox = Safebox::new(EMAIL);
    safebox.recipients.push(Recipient::new("guest@example.com"));
    for i in 0..10u8 {
        safebox.attachments.push(
            Attachment::from_bytes(vec![i; 200_000], &format!("part{i}.dat"), None)
                .expect("attachment"),
        );
    }
    let response = client
        .submit_safebox(&mut safebox, None)
        .await
        .expect("submit over HTTPS");
    let after = stats(&control, &emu).await;

    let connections = count(&after, "connections") - count(&before, "connections");
    let requests = count(&after, "requests") - count(&before, "requests");
    let http2 = count(&after, "http2_requests") - count(&before, "http2_requests");
    println!(
        "submit of 10 attachments, 4 at a time, over HTTPS: {connections} connection(s), \
         {requests} requests ({http2} over HTTP/2, the last stats read included)"
    );
    // Discovery, settings, profiles, initialize, 10 uploads, commit, and the second read of
    // the counters.
    assert!(requests >= 14, "{requests} requests");
    assert_eq!(http2, requests, "every request went over HTTP/2");
    assert_eq!(
        connections, 1,
        "the client opened one connection for the whole submit"
    );
    let state: Value = control
        .get(format!("{}/_emulator/safeboxes/{}", emu.url, response.guid))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("state JSON");
    assert_eq!(state["documents"].as_array().map(Vec::len), Some(10));
}
