//! The vendors' own SendSafely SDKs, unmodified, against the emulator (issue 14): each test
//! installs a pinned SDK from its registry into a temporary directory, runs the committed
//! flow script (tests/vendor_sdks/flow.py, flow.js) against an emulator on a free port, and
//! checks the JSON summary the script prints and the emulator's own copy of the file.
//! Missing tools or an unreachable registry fail the test, naming what is missing.

mod sendsafely_support;
mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const PYTHON_SDK: &str = "sendsafely==1.0.11";
const NODE_SDK: &str = "@sendsafely/sendsafely@3.0.6";
/// More than two of the SDKs' 2.5 MiB segments.
const FILE_SIZE: usize = 6_000_000;
const FILE_NAME: &str = "report.bin";
const MESSAGE: &str = "Here are the documents, ünïcødé included.";
/// Every step of the flow scripts, in order, up to reading the message.
const SEND_STEPS: [&str; 12] = [
    "user_information",
    "trusted_device_key",
    "add_recipient",
    "add_phone_number",
    "upload_file",
    "upload_message",
    "finalize",
    "trusted_device_keycode",
    "revoke_trusted_device_key",
    "package_information",
    "download_file",
    "read_message",
];
/// A guard against a hung installer or script, not a measure: the flows take seconds.
const PROCESS_LIMIT: Duration = Duration::from_secs(600);

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vendor_sdks")
        .join(name)
}

/// Runs `command` to its end (killed after [`PROCESS_LIMIT`]); panics naming `what` when it
/// cannot start, so that a missing tool fails the test with a clear message.
fn run(what: &str, command: &mut Command) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start {command:?} ({e}); is it installed?"));
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(PROCESS_LIMIT) {
        Ok(output) => output.unwrap_or_else(|e| panic!("{what}: {e}")),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &id.to_string()])
                .status();
            panic!("{what}: {command:?} did not end within {PROCESS_LIMIT:?}")
        }
    }
}

/// [`run`], requiring success.
fn run_ok(what: &str, command: &mut Command) -> Output {
    let output = run(what, command);
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The file the SDKs upload: 6,000,000 bytes that do not repeat, and its SHA-256.
fn write_input(dir: &Path) -> (PathBuf, String) {
    let mut bytes = Vec::with_capacity(FILE_SIZE);
    let mut block = Sha256::digest(b"vendor sdk input").to_vec();
    while bytes.len() < FILE_SIZE {
        block = Sha256::digest(&block).to_vec();
        bytes.extend_from_slice(&block);
    }
    bytes.truncate(FILE_SIZE);
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, &bytes).unwrap();
    (path, hex::encode(Sha256::digest(&bytes)))
}

/// Runs one phase of a flow script and returns its JSON summary.
fn flow(what: &str, command: &mut Command) -> Value {
    let output = run_ok(what, command);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| {
        panic!(
            "{what}: the last line is not the JSON summary ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Checks a send-phase summary against what was uploaded; returns the package id.
fn check_send_summary(sdk: &str, summary: &Value, url: &str, sha256: &str) -> String {
    for (step, outcome) in summary["steps"].as_object().expect("steps") {
        assert_eq!(
            outcome,
            &json!("SUCCESS"),
            "{sdk}: step {step}: {summary:#}"
        );
    }
    for step in SEND_STEPS {
        assert_eq!(
            summary["steps"][step],
            json!("SUCCESS"),
            "{sdk}: step {step}: {summary:#}"
        );
    }
    let pid = summary["package_id"]
        .as_str()
        .expect("package_id")
        .to_string();
    assert_eq!(summary["user_email"], json!("demo@acme.example"), "{sdk}");
    let link = summary["link"].as_str().expect("link");
    let prefix = format!("{url}/receive/?thread={pid}&packageCode=");
    let rest = link
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{sdk}: link {link} does not start with {prefix}"));
    let (code, keycode) = rest
        .split_once("#keyCode=")
        .unwrap_or_else(|| panic!("{sdk}: link {link} has no #keyCode="));
    assert_eq!(code.len(), 43, "{sdk}: packageCode in {link}");
    assert!(keycode.len() >= 43, "{sdk}: keycode in {link}");
    assert_eq!(
        summary["trusted_device_keycode"],
        json!(keycode),
        "{sdk}: the keycode wrapped to the trusted device is the link's"
    );
    assert_eq!(summary["file_names"], json!([FILE_NAME]), "{sdk}");
    assert_eq!(summary["downloaded_sha256"], json!(sha256), "{sdk}");
    assert_eq!(summary["message"], json!(MESSAGE), "{sdk}");
    pid
}

/// The emulator's stored segments of the SDK's file decrypt, once it knows the link's
/// keycode, to exactly the uploaded bytes.
async fn check_stored_plaintext(emu: &support::Emulator, summary: &Value, sha256: &str) {
    let pid = summary["package_id"].as_str().unwrap();
    let fid = summary["file_id"].as_str().expect("file_id");
    let link = summary["link"].as_str().unwrap();
    let keycode = link.split_once("#keyCode=").unwrap().1;
    let (status, body) = emu
        .control(
            Method::POST,
            &format!("packages/{pid}/keycode"),
            Some(json!({ "keycode": keycode })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer = reqwest::get(format!(
        "{}/_emulator/packages/{pid}/files/{fid}/plaintext",
        emu.url
    ))
    .await
    .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["x-sha256"], sha256);
    let plaintext = answer.bytes().await.unwrap();
    assert_eq!(plaintext.len(), FILE_SIZE);
    assert_eq!(hex::encode(Sha256::digest(&plaintext)), sha256);
}

/// After the delete phase the package is gone for its owner.
fn check_deleted(sdk: &str, summary: &Value) {
    assert_eq!(
        summary["steps"]["delete_package"],
        json!("SUCCESS"),
        "{sdk}: {summary:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_python_sdk_runs_its_whole_flow() {
    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("venv");
    run_ok(
        "python3 -m venv (python3 with venv is needed)",
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
    );
    let python = venv.join("bin/python");
    run_ok(
        &format!("pip install {PYTHON_SDK} (PyPI must be reachable)"),
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg(PYTHON_SDK)
            .env("PIP_NO_CACHE_DIR", "1"),
    );
    let (input, sha256) = write_input(dir.path());
    let emu = sendsafely_support::start(&[]);
    let started = Instant::now();
    let summary = flow(
        "flow.py send",
        Command::new(&python)
            .arg(script("flow.py"))
            .args([&emu.url, "send"])
            .arg(&input)
            .arg(dir.path()),
    );
    let pid = check_send_summary("python", &summary, &emu.url, &sha256);
    check_stored_plaintext(&emu, &summary, &sha256).await;
    let deleted = flow(
        "flow.py delete",
        Command::new(&python)
            .arg(script("flow.py"))
            .args([&emu.url, "delete", &pid]),
    );
    check_deleted("python", &deleted);
    eprintln!("python SDK flow: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_node_sdk_runs_its_whole_flow() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("node");
    std::fs::create_dir(&prefix).unwrap();
    run_ok(
        "node (Node.js is needed)",
        Command::new("node").arg("--version"),
    );
    run_ok(
        &format!("npm install {NODE_SDK} (npm and its registry must be reachable)"),
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&prefix)
            .arg(NODE_SDK)
            .env("npm_config_cache", dir.path().join("npm-cache")),
    );
    let (input, sha256) = write_input(dir.path());
    let emu = sendsafely_support::start(&[]);
    let started = Instant::now();
    let node = |args: &[&str]| {
        let mut command = Command::new("node");
        command
            .arg(script("flow.js"))
            .args(args)
            .env("NODE_PATH", prefix.join("node_modules"));
        command
    };
    let summary = flow(
        "flow.js send",
        &mut node(&[&emu.url, "send", input.to_str().unwrap()]),
    );
    let pid = check_send_summary("node", &summary, &emu.url, &sha256);
    check_stored_plaintext(&emu, &summary, &sha256).await;
    let deleted = flow("flow.js delete", &mut node(&[&emu.url, "delete", &pid]));
    check_deleted("node", &deleted);
    eprintln!("node SDK flow: {:?}", started.elapsed());
}

/// What jsdom's XMLHttpRequest needs before and with every signed call of the Node SDK: a
/// preflight answered with the method and the requested headers allowed, and an allowed
/// origin on the answer itself (here checked without the SDK or any registry).
#[tokio::test]
async fn a_cross_origin_preflight_and_call_are_allowed() {
    let emu = sendsafely_support::start(&[]);
    let requested = "ss-api-key, ss-request-timestamp, ss-request-signature, ss-request-api";
    let preflight = reqwest::Client::new()
        .request(Method::OPTIONS, format!("{}/api/v2.0/package/", emu.url))
        .header("origin", "null")
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", requested)
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    assert_eq!(headers["access-control-allow-headers"], requested);
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    for method in ["GET", "PUT", "POST", "DELETE"] {
        assert!(methods.contains(method), "{methods}");
    }
    let ss = sendsafely_support::Ss::demo(&emu);
    let path = "/api/v2.0/user/";
    let mut call = ss
        .client
        .get(format!("{}{path}", emu.url))
        .header("origin", "null");
    for (name, value) in ss.signed_headers(path, b"") {
        call = call.header(name, value);
    }
    let answer = call.send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["access-control-allow-origin"], "*");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["response"], json!("SUCCESS"), "{body}");
    // An OPTIONS without a preflight's header is no preflight: an unknown route, as before.
    let plain = reqwest::Client::new()
        .request(Method::OPTIONS, format!("{}/api/v2.0/package/", emu.url))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::NOT_FOUND);
}
