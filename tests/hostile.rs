//! A hostile or broken server, through the C ABI: huge answers (2 GiB of JSON, with or without
//! `Content-Length`, and 2 GiB error pages) fail with `SS_ERR_DECODE` or `SS_ERR_HTTP_STATUS`
//! quickly and without the process's memory growing (the client stops reading at its cap and
//! closes the connection), and an HTML error page gives `SS_ERR_HTTP_STATUS` with its status, a
//! readable message and the page as the error body. The emulator generates the huge bodies as
//! it sends them (`body_repeat`), so its memory stays flat too (it runs in this process, and is
//! measured with it).
//!
//! `cargo test --test hostile -- --nocapture` prints the figures.

#[path = "support/ffi.rs"]
mod ffi_support;
#[path = "support/raw_http.rs"]
mod raw_http;
mod support;

use ffi_support::{c, last_message, login};
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::last_error::{
    ss_last_error_body, ss_last_error_code, ss_last_error_http_status,
};
use sendsecure::ffi::options::*;
use sendsecure::sendsecure::ffi::client::*;
use sendsecure::sendsecure::ffi::download::{
    ss_download_audit_record_to, ss_download_document, ss_get_document_url,
};
use sendsecure::sendsecure::ffi::enterprise::{
    ss_enterprise_settings_free, ss_get_enterprise_settings,
};
use sendsecure::transport::http::{MAX_ERROR_BODY, MAX_JSON_BODY};
use serde_json::json;
use std::ffi::CStr;
use std::ptr::null_mut;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use support::{Emulator, PASSWORD, USER};

use ss_result::*;

/// The tests of this file one at a time, so that each measures its own memory.
static SERIAL: Mutex<()> = Mutex::new(());

const GIB: u64 = 1 << 30;
const SETTINGS: &str = "/api/v2/enterprises/acme/settings";

/// How much the process's resident memory may grow while it refuses a huge answer: the JSON
/// cap (16 MiB, the most that is read) and room for the allocator and the threads.
const MEMORY_BOUND: u64 = 64 << 20;

/// A field of `/proc/self/status`, in bytes (`VmRSS`, `VmHWM`).
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

/// Resets the peak resident size (`VmHWM`) to the current one; false when the kernel does not
/// allow it (then the growth is measured against the older peak, which can only overstate it).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// How `f` went: its time and how much the process's peak resident size rose above its resident
/// size before (the peak is reset first).
fn measured<T>(f: impl FnOnce() -> T) -> (T, Duration, u64) {
    reset_peak();
    let before = status_bytes("VmRSS");
    let started = Instant::now();
    let value = f();
    let elapsed = started.elapsed();
    let growth = status_bytes("VmHWM").saturating_sub(before);
    (value, elapsed, growth)
}

/// The last error's body, and its full length.
fn last_body() -> (String, usize) {
    let length = ss_last_error_body(null_mut(), 0);
    let mut buf = vec![0u8; length + 1];
    ss_last_error_body(buf.as_mut_ptr().cast(), buf.len());
    let text = CStr::from_bytes_until_nul(&buf)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (text, length)
}

/// A logged-in client of `emu` (C ABI), with retries fast enough for a test.
fn client(emu: &Emulator) -> *mut ss_client {
    login(emu, USER, PASSWORD, |options, user_id| {
        options.user_id = user_id;
        options.retry_base_delay_ms = 10;
    })
    .0
}

/// The next enterprise settings call gets this `respond` fault.
fn answer_next_settings_call(emu: &Emulator, rule: serde_json::Value) {
    let mut rule = rule;
    rule["kind"] = json!("respond");
    rule["path"] = json!(SETTINGS);
    let answer = emu.control_blocking("POST", "faults", Some(rule.clone()));
    assert_eq!(answer["result"], true, "fault {rule} refused: {answer}");
}

/// `ss_get_enterprise_settings`'s result (the settings, if any, freed).
fn get_settings(client: *mut ss_client) -> ss_result {
    let mut settings = null_mut();
    let rc = ss_get_enterprise_settings(client, &mut settings);
    ss_enterprise_settings_free(settings);
    rc
}

/// The emulator's request counter.
fn requests_served(emu: &Emulator) -> u64 {
    emu.control_blocking("GET", "stats", None)["requests"]
        .as_u64()
        .expect("requests counter")
}

#[test]
fn a_2_gib_json_answer_is_refused_at_the_cap_without_memory_growth() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let emu = Emulator::demo();
    let client = client(&emu);
    // Warm up: the runtime's threads, the connection pool and the emulator are running before
    // anything is measured.
    assert_eq!(get_settings(client), SS_OK, "{}", last_message());

    let cases = [
        // A JSON string of 2 GiB, announced by Content-Length: refused before reading.
        ("2 GiB, Content-Length", 2 * GIB, false, "Content-Length"),
        // The same without a length (chunked): read up to the cap, then the connection closes.
        ("2 GiB, chunked", 2 * GIB, true, "larger than"),
        // Far more than could be read in the time allowed: proves nothing is drained.
        ("1 TiB, chunked", 1024 * GIB, true, "larger than"),
    ];
    for (name, bytes, chunked, needle) in cases {
        answer_next_settings_call(
            &emu,
            json!({"status": 200, "body_repeat": {"prefix": "{\"filler\":\"", "text": "a",
                   "bytes": bytes, "suffix": "\"}", "chunked": chunked}}),
        );
        let served = requests_served(&emu);
        let (rc, elapsed, growth) = measured(|| get_settings(client));
        let message = last_message();
        println!(
            "{name}: {:?} in {elapsed:.2?}, resident memory +{:.1} MiB: {message}",
            rc,
            growth as f64 / (1 << 20) as f64
        );
        assert_eq!(rc, SS_ERR_DECODE, "{name}: {message}");
        assert_eq!(ss_last_error_code(), SS_ERR_DECODE);
        assert_eq!(ss_last_error_http_status(), 0);
        assert!(
            message.contains(needle) && message.contains(&MAX_JSON_BODY.to_string()),
            "{name}: {message}"
        );
        assert!(
            elapsed < Duration::from_secs(20),
            "{name}: took {elapsed:?}"
        );
        assert!(
            growth < MEMORY_BOUND,
            "{name}: resident memory grew by {growth} bytes"
        );
        // Not retried (the answer will not get smaller): one request, plus the stats call.
        assert_eq!(requests_served(&emu) - served, 1, "{name}: retried");
    }
    // The client is still usable: the closed connection was not put back in the pool.
    assert_eq!(get_settings(client), SS_OK, "{}", last_message());
    ss_client_free(client);
}

#[test]
fn a_2_gib_error_page_is_kept_up_to_its_cap() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let emu = Emulator::demo();
    let client = client(&emu);
    assert_eq!(get_settings(client), SS_OK, "{}", last_message());
    for chunked in [false, true] {
        answer_next_settings_call(
            &emu,
            json!({"status": 500, "body_repeat": {"prefix": "<html><body>", "text": "<p>error</p>",
                   "bytes": 2 * GIB, "content_type": "text/html", "chunked": chunked}}),
        );
        let (rc, elapsed, growth) = measured(|| get_settings(client));
        let message = last_message();
        println!(
            "2 GiB error page (chunked: {chunked}): {rc:?} in {elapsed:.2?}, resident memory \
             +{:.1} MiB: {message}",
            growth as f64 / (1 << 20) as f64
        );
        assert_eq!(rc, SS_ERR_HTTP_STATUS, "{message}");
        assert_eq!(ss_last_error_http_status(), 500);
        assert_eq!(message, "HTTP 500: Internal Server Error");
        let (body, length) = last_body();
        assert_eq!(length, MAX_ERROR_BODY, "the body is kept up to its cap");
        assert!(body.starts_with("<html><body><p>error</p>"), "{body:.40}");
        assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
        assert!(
            growth < MEMORY_BOUND,
            "resident memory grew by {growth} bytes"
        );
    }
    ss_client_free(client);
}

#[test]
fn an_html_error_page_is_an_http_status_error_with_a_readable_message() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let emu = Emulator::demo();
    let client = client(&emu);
    let page = "<!DOCTYPE html>\n<html><head><title>We're sorry, but something went wrong \
                (500)</title></head>\n<body><h1>We're sorry, but something went wrong.</h1>\
                </body></html>\n";
    for (status, reason) in [(500, "Internal Server Error"), (502, "Bad Gateway")] {
        // 502 is retried (a proxy): every attempt gets the page.
        let rule = json!({"status": status, "body_text": page, "count": 4});
        answer_next_settings_call(&emu, rule);
        let rc = get_settings(client);
        let message = last_message();
        assert_eq!(rc, SS_ERR_HTTP_STATUS, "{message}");
        assert_eq!(ss_last_error_code(), SS_ERR_HTTP_STATUS);
        assert_eq!(ss_last_error_http_status(), status);
        // The reason of the status, not the page's markup.
        assert!(
            message.starts_with(&format!("HTTP {status}: {reason}")),
            "{message}"
        );
        assert!(!message.contains('<'), "{message}");
        assert_eq!(
            last_body(),
            (page.to_string(), page.len()),
            "the page, verbatim"
        );
        emu.control_blocking("DELETE", "faults", None);
    }
    // An HTML page with a success status is not JSON: a decode error.
    answer_next_settings_call(&emu, json!({"status": 200, "body_text": page}));
    assert_eq!(get_settings(client), SS_ERR_DECODE, "{}", last_message());
    assert!(
        last_message().contains("invalid JSON"),
        "{}",
        last_message()
    );
    ss_client_free(client);
}

/// Answers `status` with `Content-Length: 1000`, sends 5 bytes of the body and goes silent.
fn five_bytes_of_1000(tcp: &mut std::net::TcpStream, status: u16) -> raw_http::Then {
    use std::io::Write;
    let head = format!("HTTP/1.1 {status} X\r\nContent-Length: 1000\r\n\r\nabcde");
    let _ = tcp.write_all(head.as_bytes());
    raw_http::Then::GoSilent
}

/// Runs `call` on its own thread and answers its result and last error message, failing the
/// test if it does not return within a minute: a hang, far beyond any timeout it was given.
fn returns<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> (T, String) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let value = call();
        let _ = tx.send((value, last_message()));
    });
    let (value, message) = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the call never returned: a body read without a time limit");
    (value, message)
}

#[test]
fn an_error_answer_whose_body_goes_silent_ends_within_the_stall_timeout() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let guid = "0123456789abcdef0123456789abcdef";
    let server = raw_http::RawServer::api(
        &[
            (
                &format!("/api/v2/safeboxes/{guid}/documents/doc/url.json"),
                r#"{"url": "{url}/files/doc"}"#,
            ),
            (
                &format!("/api/v2/safeboxes/{guid}/audit_record_pdf.json"),
                r#"{"url": "{url}/files/audit"}"#,
            ),
        ],
        |request, tcp, _| match request.target.as_str() {
            "/files/doc" => five_bytes_of_1000(tcp, 404),
            "/files/audit" => five_bytes_of_1000(tcp, 500),
            // An API call's error body: under the request timeout.
            _ => five_bytes_of_1000(tcp, 404),
        },
    );
    let mut options: ss_client_options = unsafe { std::mem::zeroed() };
    ss_client_options_init(&mut options);
    options.stall_timeout_ms = 300;
    options.request_timeout_ms = 1000;
    options.max_retries = 0;
    let mut client = null_mut();
    let rc = ss_client_new(
        c("USER|token").as_ptr(),
        c("acme").as_ptr(),
        c(&server.url).as_ptr(),
        &options,
        &mut client,
    );
    assert_eq!(rc, SS_OK, "{}", last_message());
    let client = client as usize;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    let p = path.to_str().unwrap().to_string();

    // To a file: the status, with the part of the body that came.
    let ((rc, status, body), message) = returns(move || {
        let (g, d, e, p) = (c(guid), c("doc"), c("owner@example.com"), c(&p));
        let rc = ss_download_document(
            client as *const ss_client,
            g.as_ptr(),
            d.as_ptr(),
            e.as_ptr(),
            p.as_ptr(),
            None,
            null_mut(),
        );
        (rc, ss_last_error_http_status(), last_body().0)
    });
    assert_eq!(rc, SS_ERR_HTTP_STATUS, "{message}");
    assert_eq!(status, 404);
    assert_eq!(body, "abcde");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());

    // Through a write callback.
    unsafe extern "C" fn never(_: *mut std::ffi::c_void, _: *const u8, _: usize) -> i64 {
        panic!("no byte of an error answer is a document's")
    }
    let ((rc, status), message) = returns(move || {
        let g = c(guid);
        let rc = ss_download_audit_record_to(
            client as *const ss_client,
            g.as_ptr(),
            Some(never),
            null_mut(),
            None,
            null_mut(),
        );
        (rc, ss_last_error_http_status())
    });
    assert_eq!(rc, SS_ERR_HTTP_STATUS, "{message}");
    assert_eq!(status, 500);

    // An API call's error body is read within the request timeout.
    let (rc, message) = returns(move || {
        let (g, d, e) = (c(guid), c("other"), c("owner@example.com"));
        let mut url = null_mut();
        ss_get_document_url(
            client as *const ss_client,
            g.as_ptr(),
            d.as_ptr(),
            e.as_ptr(),
            &mut url,
        )
    });
    assert_eq!(rc, SS_ERR_TIMEOUT, "{message}");
    ss_client_free(client as *mut ss_client);
}
