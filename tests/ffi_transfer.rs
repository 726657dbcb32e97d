//! The C ABI on existing SafeBoxes against the in-process emulator: actions (read back through
//! the emulator's control API), replies with every kind of attachment, downloads to a file and
//! to a write callback, stops and failures, NULL and invalid UTF-8 arguments, and the round trip
//! upload → download of files from 0 bytes to 256 MiB, byte-identical, in bounded memory.

#[path = "support/ffi.rs"]
mod ffi_support;
mod support;

use ffi_support::{c, last_message};
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::last_error::{ss_last_error_body, ss_last_error_http_status};
use sendsecure::ffi::options::*;
use sendsecure::ffi::runtime::ss_progress;
use sendsecure::ffi::strings::ss_string_free;
use sendsecure::sendsecure::ffi::actions::*;
use sendsecure::sendsecure::ffi::client::*;
use sendsecure::sendsecure::ffi::download::*;
use sendsecure::sendsecure::ffi::reply::*;
use sendsecure::sendsecure::ffi::safebox::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use ss_result::*;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::ptr::{null, null_mut};
use std::sync::{RwLock, RwLockReadGuard};
use std::thread::ThreadId;
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};

/// The round trip measures the process's peak memory, so it runs alone: it takes this lock
/// for writing, every other test for reading.
static EXCLUSIVE: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    EXCLUSIVE.read().unwrap_or_else(|p| p.into_inner())
}

/// Not UTF-8.
const BAD: &[u8] = b"caf\xe9\0";

fn bad() -> *const c_char {
    BAD.as_ptr().cast()
}

fn last_body() -> String {
    let mut buf = vec![0u8; 4096];
    ss_last_error_body(buf.as_mut_ptr().cast(), buf.len());
    CStr::from_bytes_until_nul(&buf)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[track_caller]
fn ok(rc: ss_result) {
    assert_eq!(rc, SS_OK, "{}", last_message());
}

#[track_caller]
fn fails(rc: ss_result, want: ss_result, what: &str) {
    assert_eq!(rc, want, "{what}: {}", last_message());
}

/// Takes a string the library handed over, and frees it.
fn owned(p: *mut c_char) -> String {
    assert!(!p.is_null());
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
    ss_string_free(p);
    s
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn sha_file(path: &Path) -> String {
    let mut file = std::fs::File::open(path).unwrap();
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut block).unwrap();
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    hex::encode(hasher.finalize())
}

/// An emulator and a logged-in C client.
struct Session {
    client: *mut ss_client,
    emu: Emulator,
}

impl Drop for Session {
    fn drop(&mut self) {
        ss_client_free(self.client);
    }
}

impl Session {
    fn new() -> Session {
        let emu = Emulator::demo();
        let (account, user, password, device, endpoint) =
            (c(ACCOUNT), c(USER), c(PASSWORD), c("dev"), c(&emu.url));
        let mut token = null_mut();
        ok(ss_get_user_token(
            account.as_ptr(),
            user.as_ptr(),
            password.as_ptr(),
            device.as_ptr(),
            device.as_ptr(),
            null(),
            endpoint.as_ptr(),
            null(),
            null(),
            &mut token,
        ));
        let mut options: ss_client_options = unsafe { std::mem::zeroed() };
        ss_client_options_init(&mut options);
        options.user_id = ss_user_token_user_id(token);
        let mut client = null_mut();
        ok(ss_client_new(
            ss_user_token_token(token),
            account.as_ptr(),
            endpoint.as_ptr(),
            &options,
            &mut client,
        ));
        ss_user_token_free(token);
        Session { client, emu }
    }

    /// Creates a SafeBox through the C API with these attachments and answers its GUID.
    fn submit(&self, profile_id: i64, attachments: &[Attach]) -> String {
        let sb = new_safebox(profile_id, attachments);
        let mut response = null_mut();
        ok(ss_submit_safebox(
            self.client,
            sb,
            None,
            null_mut(),
            &mut response,
        ));
        let guid = unsafe { CStr::from_ptr(ss_safebox_response_guid(response)) }
            .to_str()
            .unwrap()
            .to_string();
        ss_safebox_response_free(response);
        ss_safebox_free(sb);
        guid
    }

    /// The emulator's view of a SafeBox (status, followed, tags, documents with SHA-256).
    fn state(&self, guid: &str) -> Value {
        self.emu
            .control_blocking("GET", &format!("safeboxes/{guid}"), None)
    }

    /// (id, name, size, sha256) of every document of a SafeBox, in message order.
    fn documents(&self, guid: &str) -> Vec<(String, String, u64, String)> {
        self.state(guid)["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().to_string(),
                    d["name"].as_str().unwrap().to_string(),
                    d["size"].as_u64().unwrap(),
                    d["sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The SafeBox's messages, read with the core client (no C accessor needed here).
    fn messages(&self, guid: &str) -> Vec<sendsecure::Message> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let request = sendsecure::TokenRequest {
                enterprise_account: ACCOUNT,
                username: USER,
                password: PASSWORD,
                device_id: "d",
                device_name: "tests",
                endpoint: Some(&self.emu.url),
                ..sendsecure::TokenRequest::default()
            };
            let options = sendsecure::ClientOptions::default();
            let token = sendsecure::get_user_token(&request, &options)
                .await
                .unwrap();
            let options = sendsecure::ClientOptions {
                user_id: Some(token.user_id),
                ..sendsecure::ClientOptions::default()
            };
            let client =
                sendsecure::Client::new(&token.token, ACCOUNT, Some(&self.emu.url), options)
                    .unwrap();
            client.get_safebox_messages(guid).await.unwrap()
        })
    }

    fn upload_bytes(&self) -> u64 {
        self.emu.control_blocking("GET", "stats", None)["upload_bytes"]
            .as_u64()
            .unwrap()
    }
}

/// A SafeBox to one guest with these attachments, built through the C API (the caller frees
/// it).
fn new_safebox(profile_id: i64, attachments: &[Attach]) -> *mut ss_safebox {
    let mut sb = null_mut();
    ok(ss_safebox_new(c(EMAIL).as_ptr(), &mut sb));
    ok(ss_safebox_set_subject(sb, c("transfer tests").as_ptr()));
    ok(ss_safebox_set_message(sb, c("first message").as_ptr()));
    ok(ss_safebox_set_security_profile_id(sb, profile_id));
    let mut recipient = null_mut();
    ok(ss_safebox_add_recipient(
        sb,
        c("guest@example.com").as_ptr(),
        &mut recipient,
    ));
    ok(ss_recipient_add_contact_method(
        recipient,
        c("+15145550000").as_ptr(),
        1,
    ));
    for a in attachments {
        match a {
            Attach::Bytes(name, bytes) => ok(ss_safebox_add_attachment_bytes(
                sb,
                bytes.as_ptr(),
                bytes.len(),
                c(name).as_ptr(),
                null(),
            )),
            Attach::Path(path) => ok(ss_safebox_add_attachment_file(
                sb,
                c(path.to_str().unwrap()).as_ptr(),
                null(),
                null(),
            )),
        }
    }
    sb
}

enum Attach<'a> {
    Bytes(&'a str, &'a [u8]),
    Path(&'a Path),
}

/// What a progress callback saw.
struct Watch {
    thread: ThreadId,
    calls: usize,
    wrong_thread: usize,
    backwards: usize,
    last_sent: u64,
    last_total: u64,
    /// Ask to stop once this many bytes are reported.
    stop_at: Option<u64>,
}

impl Watch {
    fn new() -> Watch {
        Watch {
            thread: std::thread::current().id(),
            calls: 0,
            wrong_thread: 0,
            backwards: 0,
            last_sent: 0,
            last_total: 0,
            stop_at: None,
        }
    }

    fn ptr(&mut self) -> *mut c_void {
        self as *mut Watch as *mut c_void
    }
}

unsafe extern "C" fn on_progress(user_data: *mut c_void, p: *const ss_progress) -> c_int {
    let w = &mut *(user_data as *mut Watch);
    let p = &*p;
    w.calls += 1;
    if std::thread::current().id() != w.thread {
        w.wrong_thread += 1;
    }
    if p.bytes_sent < w.last_sent {
        w.backwards += 1;
    }
    w.last_sent = p.bytes_sent;
    w.last_total = p.bytes_total;
    match w.stop_at {
        Some(limit) if p.bytes_sent >= limit => 1,
        _ => 0,
    }
}

/// A write callback's destination: hashes what it gets.
struct Sink {
    thread: ThreadId,
    hasher: Sha256,
    bytes: u64,
    calls: usize,
    wrong_thread: usize,
    largest: usize,
    /// Return this instead of `len` at call number `fail_at.0`.
    fail_at: Option<(usize, i64)>,
    /// Call a blocking function from inside the callback and keep its result.
    nested: Option<(*const ss_client, ss_result)>,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            thread: std::thread::current().id(),
            hasher: Sha256::new(),
            bytes: 0,
            calls: 0,
            wrong_thread: 0,
            largest: 0,
            fail_at: None,
            nested: None,
        }
    }

    fn ptr(&mut self) -> *mut c_void {
        self as *mut Sink as *mut c_void
    }

    fn sha(&self) -> String {
        hex::encode(self.hasher.clone().finalize())
    }
}

unsafe extern "C" fn on_write(user_data: *mut c_void, buf: *const u8, len: usize) -> i64 {
    let s = &mut *(user_data as *mut Sink);
    if std::thread::current().id() != s.thread {
        s.wrong_thread += 1;
    }
    if let Some((client, _)) = s.nested {
        let guid = c("0123456789abcdef0123456789abcdef");
        s.nested = Some((client, ss_close_safebox(client, guid.as_ptr())));
    }
    let call = s.calls;
    s.calls += 1;
    if let Some((at, answer)) = s.fail_at {
        if call == at {
            return answer;
        }
    }
    s.hasher.update(std::slice::from_raw_parts(buf, len));
    s.bytes += len as u64;
    s.largest = s.largest.max(len);
    len as i64
}

/// A stream attachment's source.
struct Source {
    thread: ThreadId,
    data: Vec<u8>,
    at: usize,
    wrong_thread: usize,
    fail: bool,
}

unsafe extern "C" fn on_read(user_data: *mut c_void, buf: *mut u8, len: usize) -> i64 {
    let s = &mut *(user_data as *mut Source);
    if std::thread::current().id() != s.thread {
        s.wrong_thread += 1;
    }
    if s.fail {
        return -1;
    }
    let n = len.min(s.data.len() - s.at);
    std::ptr::copy_nonoverlapping(s.data[s.at..].as_ptr(), buf, n);
    s.at += n;
    n as i64
}

/// Checks a refusal came back as `SS_ERR_HTTP_STATUS` with the server's message and body.
#[track_caller]
fn refused(rc: ss_result, message: &str) {
    assert_eq!(rc, SS_ERR_HTTP_STATUS, "{}", last_message());
    assert_eq!(ss_last_error_http_status(), 400);
    assert!(
        last_message().contains(message),
        "`{}` should say `{message}`",
        last_message()
    );
    let body: Value = serde_json::from_str(&last_body()).expect("the body is the server's JSON");
    assert_eq!(
        body,
        serde_json::json!({"result": false, "message": message})
    );
}

#[test]
fn actions_change_the_safebox_and_refusals_come_back_readable() {
    let _lock = shared();
    let s = Session::new();
    let client = s.client;
    let guid = s.submit(1, &[Attach::Bytes("a.txt", b"hello")]);
    let g = c(&guid);
    assert_eq!(s.state(&guid)["status"], "in_progress");

    // Add time: the new expiration comes back (or not, with NULL), and moves forward.
    let mut first = null_mut();
    ok(ss_add_time(
        client,
        g.as_ptr(),
        2,
        c("days").as_ptr(),
        &mut first,
    ));
    let first = owned(first);
    let mut second = null_mut();
    ok(ss_add_time(
        client,
        g.as_ptr(),
        1,
        c("weeks").as_ptr(),
        &mut second,
    ));
    let second = owned(second);
    assert!(second > first, "{second} after {first}");
    ok(ss_add_time(
        client,
        g.as_ptr(),
        3,
        c("hours").as_ptr(),
        null_mut(),
    ));
    let mut untouched = 7usize as *mut c_char;
    fails(
        ss_add_time(
            client,
            g.as_ptr(),
            1,
            c("fortnights").as_ptr(),
            &mut untouched,
        ),
        SS_ERR_INVALID_ARGUMENT,
        "unknown unit",
    );
    fails(
        ss_add_time(client, g.as_ptr(), 0, c("days").as_ptr(), &mut untouched),
        SS_ERR_INVALID_ARGUMENT,
        "zero",
    );
    assert_eq!(untouched as usize, 7, "out-parameter untouched on failure");

    // Messages read and unread, all or one.
    let messages = s.messages(&guid);
    assert_eq!(messages.len(), 1);
    let id = messages[0].id;
    ok(ss_mark_message_unread(client, g.as_ptr(), id));
    assert!(!s.messages(&guid)[0].read);
    ok(ss_mark_message_read(client, g.as_ptr(), id));
    assert!(s.messages(&guid)[0].read);
    ok(ss_mark_as_unread(client, g.as_ptr()));
    assert!(!s.messages(&guid)[0].read);
    ok(ss_mark_as_read(client, g.as_ptr()));
    assert!(s.messages(&guid)[0].read);
    refused(
        ss_mark_message_read(client, g.as_ptr(), id + 1000),
        "Unable to mark the message as read.",
    );
    refused(
        ss_mark_message_unread(client, g.as_ptr(), id + 1000),
        "Unable to mark the message as Unread.",
    );
    fails(
        ss_mark_message_read(client, g.as_ptr(), 0),
        SS_ERR_INVALID_ARGUMENT,
        "message id 0",
    );

    // Archive: the "archive" tag comes and goes; twice, or for someone else, is refused.
    let owner = c(EMAIL);
    ok(ss_archive_safebox(client, g.as_ptr(), owner.as_ptr()));
    assert_eq!(s.state(&guid)["tags"], serde_json::json!(["archive"]));
    refused(
        ss_archive_safebox(client, g.as_ptr(), owner.as_ptr()),
        "Unable to add Safebox to Archives",
    );
    ok(ss_unarchive_safebox(client, g.as_ptr(), owner.as_ptr()));
    assert_eq!(s.state(&guid)["tags"], serde_json::json!([]));
    refused(
        ss_unarchive_safebox(client, g.as_ptr(), owner.as_ptr()),
        "Unable to remove Safebox from Archives",
    );
    refused(
        ss_archive_safebox(client, g.as_ptr(), c("bob@acme.example").as_ptr()),
        "Unable to add Safebox to Archives",
    );
    fails(
        ss_archive_safebox(client, g.as_ptr(), c(" ").as_ptr()),
        SS_ERR_INVALID_ARGUMENT,
        "blank e-mail",
    );

    // Follow: new SafeBoxes are followed.
    assert_eq!(s.state(&guid)["followed"], true);
    ok(ss_unfollow_safebox(client, g.as_ptr()));
    assert_eq!(s.state(&guid)["followed"], false);
    ok(ss_follow_safebox(client, g.as_ptr()));
    assert_eq!(s.state(&guid)["followed"], true);

    // Delete content needs a closed SafeBox; close works once.
    refused(
        ss_delete_safebox_content(client, g.as_ptr()),
        "Unable to delete the SafeBox content.",
    );
    ok(ss_close_safebox(client, g.as_ptr()));
    assert_eq!(s.state(&guid)["status"], "closed");
    refused(
        ss_close_safebox(client, g.as_ptr()),
        "Unable to close the SafeBox.",
    );
    refused(
        ss_add_time(client, g.as_ptr(), 1, c("days").as_ptr(), null_mut()),
        "Unable to extend the SafeBox duration.",
    );
    ok(ss_delete_safebox_content(client, g.as_ptr()));
    let state = s.state(&guid);
    assert_eq!(state["status"], "content_deleted");
    assert_eq!(state["documents"][0]["stored"], false);
    refused(
        ss_delete_safebox_content(client, g.as_ptr()),
        "Unable to delete the SafeBox content.",
    );
    refused(
        ss_mark_as_read(client, g.as_ptr()),
        "Unable to mark the SafeBox as Read.",
    );
    refused(
        ss_mark_as_unread(client, g.as_ptr()),
        "Unable to mark the SafeBox as Unread.",
    );

    // A profile without manual close.
    let locked = s.submit(20, &[]);
    refused(
        ss_close_safebox(client, c(&locked).as_ptr()),
        "Unable to close the SafeBox.",
    );
    assert_eq!(s.state(&locked)["status"], "in_progress");

    // Unknown and empty GUIDs.
    let unknown = c("0123456789abcdef0123456789abcdef");
    fails(
        ss_follow_safebox(client, unknown.as_ptr()),
        SS_ERR_HTTP_STATUS,
        "unknown GUID",
    );
    assert_eq!(ss_last_error_http_status(), 404);
    fails(
        ss_close_safebox(client, c("").as_ptr()),
        SS_ERR_INVALID_ARGUMENT,
        "empty GUID",
    );
}

#[test]
fn replies_carry_file_bytes_fd_and_stream_attachments() {
    let _lock = shared();
    let s = Session::new();
    let client = s.client;
    let guid = s.submit(1, &[]);
    let g = c(&guid);
    let dir = tempfile::tempdir().unwrap();

    let file_bytes: Vec<u8> = (0..700_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let file_path = dir.path().join("scan.pdf");
    std::fs::write(&file_path, &file_bytes).unwrap();
    let memory = b"notes from memory".to_vec();
    let fd_bytes = vec![42u8; 300_000];
    let fd_path = dir.path().join("fd.dat");
    std::fs::write(&fd_path, &fd_bytes).unwrap();
    let mut source = Source {
        thread: std::thread::current().id(),
        data: (0..1_000_000u32).map(|i| (i % 253) as u8).collect(),
        at: 0,
        wrong_thread: 0,
        fail: false,
    };
    let stream_sha = sha_hex(&source.data);

    let mut reply = null_mut();
    ok(ss_reply_new(&mut reply));
    ok(ss_reply_set_message(
        reply,
        c("Here is my answer.").as_ptr(),
    ));
    ok(ss_reply_set_consent(reply, true));
    ok(ss_reply_add_attachment_file(
        reply,
        c(file_path.to_str().unwrap()).as_ptr(),
        null(),
        null(),
    ));
    ok(ss_reply_add_attachment_bytes(
        reply,
        memory.as_ptr(),
        memory.len(),
        c("memo.txt").as_ptr(),
        c("text/plain").as_ptr(),
    ));
    {
        let fd_file = std::fs::File::open(&fd_path).unwrap();
        use std::os::fd::AsRawFd;
        ok(ss_reply_add_attachment_fd(
            reply,
            fd_file.as_raw_fd(),
            c("fd.dat").as_ptr(),
            null(),
        ));
        // Closed here: the library keeps its own duplicate.
    }
    ok(ss_reply_add_attachment_stream(
        reply,
        Some(on_read),
        &mut source as *mut Source as *mut c_void,
        source.data.len() as u64,
        c("stream.dat").as_ptr(),
        null(),
    ));
    assert_eq!(ss_reply_attachment_count(reply), 4);
    let mut watch = Watch::new();
    ok(ss_send_reply(
        client,
        g.as_ptr(),
        reply,
        Some(on_progress),
        watch.ptr(),
    ));
    ss_reply_free(reply);

    let total = (file_bytes.len() + memory.len() + fd_bytes.len() + source.data.len()) as u64;
    assert!(watch.calls >= 4);
    assert_eq!(watch.wrong_thread, 0, "progress ran on the calling thread");
    assert_eq!(source.wrong_thread, 0, "reads ran on the calling thread");
    assert_eq!(watch.backwards, 0);
    assert_eq!((watch.last_sent, watch.last_total), (total, total));

    let messages = s.messages(&guid);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].note, "Here is my answer.");
    let mut got: Vec<(String, u64, String)> = s
        .documents(&guid)
        .into_iter()
        .map(|(_, name, size, sha)| (name, size, sha))
        .collect();
    got.sort();
    let mut want = vec![
        (
            "scan.pdf".to_string(),
            file_bytes.len() as u64,
            sha_hex(&file_bytes),
        ),
        ("memo.txt".into(), memory.len() as u64, sha_hex(&memory)),
        ("fd.dat".into(), fd_bytes.len() as u64, sha_hex(&fd_bytes)),
        ("stream.dat".into(), source.data.len() as u64, stream_sha),
    ];
    want.sort();
    assert_eq!(got, want);

    // Nothing to say: refused before sending.
    let mut empty = null_mut();
    ok(ss_reply_new(&mut empty));
    fails(
        ss_send_reply(client, g.as_ptr(), empty, None, null_mut()),
        SS_ERR_INVALID_ARGUMENT,
        "empty reply",
    );
    assert!(last_message().contains("Reply message cannot be empty"));
    ss_reply_free(empty);

    // A stream that fails, and a progress callback that stops.
    let mut failing = Source {
        thread: std::thread::current().id(),
        data: vec![1; 10],
        at: 0,
        wrong_thread: 0,
        fail: true,
    };
    let mut r = null_mut();
    ok(ss_reply_new(&mut r));
    ok(ss_reply_add_attachment_stream(
        r,
        Some(on_read),
        &mut failing as *mut Source as *mut c_void,
        10,
        c("bad.dat").as_ptr(),
        null(),
    ));
    fails(
        ss_send_reply(client, g.as_ptr(), r, None, null_mut()),
        SS_ERR_IO,
        "failing stream",
    );
    ss_reply_free(r);
    let mut r = null_mut();
    ok(ss_reply_new(&mut r));
    ok(ss_reply_add_attachment_bytes(
        r,
        file_bytes.as_ptr(),
        file_bytes.len(),
        c("big.dat").as_ptr(),
        null(),
    ));
    let mut stopper = Watch::new();
    stopper.stop_at = Some(1);
    fails(
        ss_send_reply(client, g.as_ptr(), r, Some(on_progress), stopper.ptr()),
        SS_ERR_ABORTED_BY_CALLBACK,
        "stopping progress",
    );
    ss_reply_free(r);
    assert_eq!(s.messages(&guid).len(), 2, "no reply was posted");

    // Consent required: the refusal comes after the uploads, and a retry does not resend them.
    let locked = s.submit(20, &[]);
    let l = c(&locked);
    let mut r = null_mut();
    ok(ss_reply_new(&mut r));
    ok(ss_reply_set_message(r, c("without consent").as_ptr()));
    ok(ss_reply_add_attachment_bytes(
        r,
        file_bytes.as_ptr(),
        file_bytes.len(),
        c("again.dat").as_ptr(),
        null(),
    ));
    fails(
        ss_send_reply(client, l.as_ptr(), r, None, null_mut()),
        SS_ERR_HTTP_STATUS,
        "consent missing",
    );
    assert_eq!(ss_last_error_http_status(), 400);
    assert!(last_body().contains("consent"), "{}", last_body());
    let uploaded = s.upload_bytes();
    ok(ss_reply_set_consent(r, true));
    ok(ss_send_reply(client, l.as_ptr(), r, None, null_mut()));
    assert_eq!(s.upload_bytes(), uploaded, "the retry sent no file again");
    ss_reply_free(r);
    assert_eq!(s.messages(&locked).len(), 2);
    assert_eq!(s.documents(&locked)[0].3, sha_hex(&file_bytes));

    // Closed SafeBoxes take no reply.
    ok(ss_close_safebox(client, g.as_ptr()));
    let mut r = null_mut();
    ok(ss_reply_new(&mut r));
    ok(ss_reply_set_message(r, c("too late").as_ptr()));
    fails(
        ss_send_reply(client, g.as_ptr(), r, None, null_mut()),
        SS_ERR_HTTP_STATUS,
        "closed",
    );
    ss_reply_free(r);
}

#[test]
fn downloads_to_a_file_and_to_a_callback_give_back_the_uploaded_bytes() {
    let _lock = shared();
    let s = Session::new();
    let client = s.client;
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i ^ (i >> 9)) as u8).collect();
    let guid = s.submit(1, &[Attach::Bytes("report.dat", &content)]);
    let g = c(&guid);
    let docs = s.documents(&guid);
    let doc = c(&docs[0].0);
    let owner = c(EMAIL);
    let dir = tempfile::tempdir().unwrap();

    // URL.
    let mut url = null_mut();
    ok(ss_get_document_url(
        client,
        g.as_ptr(),
        doc.as_ptr(),
        owner.as_ptr(),
        &mut url,
    ));
    let url = owned(url);
    assert!(url.starts_with(&s.emu.url), "{url}");
    let mut untouched = 7usize as *mut c_char;
    fails(
        ss_get_document_url(
            client,
            g.as_ptr(),
            doc.as_ptr(),
            c("stranger@example.com").as_ptr(),
            &mut untouched,
        ),
        SS_ERR_HTTP_STATUS,
        "not a participant",
    );
    assert!(last_message().contains("User email not found"));
    fails(
        ss_get_document_url(
            client,
            g.as_ptr(),
            c("nope").as_ptr(),
            owner.as_ptr(),
            &mut untouched,
        ),
        SS_ERR_HTTP_STATUS,
        "unknown document",
    );
    assert_eq!(ss_last_error_http_status(), 404);
    assert_eq!(untouched as usize, 7);

    // To a file.
    let path = dir.path().join("report.dat");
    let p = c(path.to_str().unwrap());
    let mut watch = Watch::new();
    ok(ss_download_document(
        client,
        g.as_ptr(),
        doc.as_ptr(),
        owner.as_ptr(),
        p.as_ptr(),
        Some(on_progress),
        watch.ptr(),
    ));
    assert_eq!(sha_file(&path), sha_hex(&content));
    assert_eq!(watch.wrong_thread, 0, "progress ran on the calling thread");
    assert_eq!(watch.backwards, 0);
    assert!(watch.calls >= 2);
    let size = content.len() as u64;
    assert_eq!((watch.last_sent, watch.last_total), (size, size));
    assert!(!dir.path().join("report.dat.part").exists());
    // Again, replacing the file; no progress callback.
    ok(ss_download_document(
        client,
        g.as_ptr(),
        doc.as_ptr(),
        owner.as_ptr(),
        p.as_ptr(),
        None,
        null_mut(),
    ));
    assert_eq!(sha_file(&path), sha_hex(&content));

    // To a callback.
    let mut sink = Sink::new();
    let mut watch = Watch::new();
    ok(ss_download_document_to(
        client,
        g.as_ptr(),
        doc.as_ptr(),
        owner.as_ptr(),
        Some(on_write),
        sink.ptr(),
        Some(on_progress),
        watch.ptr(),
    ));
    assert_eq!(sink.sha(), sha_hex(&content));
    assert_eq!(sink.bytes, size);
    assert_eq!(sink.wrong_thread, 0, "writes ran on the calling thread");
    assert_eq!(watch.wrong_thread, 0);
    assert!(sink.largest <= 256 << 10, "blocks of at most 256 KiB");
    assert_eq!((watch.last_sent, watch.last_total), (size, size));

    // Download errors: not a participant, unwritable path.
    let other = dir.path().join("other.dat");
    fails(
        ss_download_document(
            client,
            g.as_ptr(),
            doc.as_ptr(),
            c("stranger@example.com").as_ptr(),
            c(other.to_str().unwrap()).as_ptr(),
            None,
            null_mut(),
        ),
        SS_ERR_HTTP_STATUS,
        "not a participant",
    );
    assert!(!other.exists());
    let nowhere = dir.path().join("missing-dir").join("x.dat");
    fails(
        ss_download_document(
            client,
            g.as_ptr(),
            doc.as_ptr(),
            owner.as_ptr(),
            c(nowhere.to_str().unwrap()).as_ptr(),
            None,
            null_mut(),
        ),
        SS_ERR_IO,
        "unwritable path",
    );
    fails(
        ss_download_document(
            client,
            g.as_ptr(),
            doc.as_ptr(),
            owner.as_ptr(),
            c("").as_ptr(),
            None,
            null_mut(),
        ),
        SS_ERR_INVALID_ARGUMENT,
        "empty path",
    );

    // The audit record: URL, file, callback.
    let mut audit_url = null_mut();
    ok(ss_get_audit_record_url(client, g.as_ptr(), &mut audit_url));
    let audit_url = owned(audit_url);
    assert!(audit_url.ends_with(&format!("{guid}.pdf")), "{audit_url}");
    let pdf = dir.path().join("audit.pdf");
    let mut watch = Watch::new();
    ok(ss_download_audit_record(
        client,
        g.as_ptr(),
        c(pdf.to_str().unwrap()).as_ptr(),
        Some(on_progress),
        watch.ptr(),
    ));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert_eq!(watch.wrong_thread, 0);
    assert_eq!(watch.last_sent, bytes.len() as u64);
    let mut sink = Sink::new();
    ok(ss_download_audit_record_to(
        client,
        g.as_ptr(),
        Some(on_write),
        sink.ptr(),
        None,
        null_mut(),
    ));
    assert_eq!(sink.wrong_thread, 0);
    assert!(sink.bytes > 0);
    let unknown = c("0123456789abcdef0123456789abcdef");
    let mut untouched = 7usize as *mut c_char;
    fails(
        ss_get_audit_record_url(client, unknown.as_ptr(), &mut untouched),
        SS_ERR_HTTP_STATUS,
        "unknown SafeBox",
    );
    assert_eq!(untouched as usize, 7);
    let missing_pdf = dir.path().join("missing.pdf");
    fails(
        ss_download_audit_record(
            client,
            unknown.as_ptr(),
            c(missing_pdf.to_str().unwrap()).as_ptr(),
            None,
            null_mut(),
        ),
        SS_ERR_HTTP_STATUS,
        "unknown SafeBox",
    );
    assert!(!missing_pdf.exists());
}

#[test]
fn stopped_and_failed_downloads_leave_nothing_behind() {
    let _lock = shared();
    let s = Session::new();
    let client = s.client;
    let content: Vec<u8> = (0..4_000_000u32).map(|i| (i % 241) as u8).collect();
    let guid = s.submit(1, &[Attach::Bytes("big.dat", &content)]);
    let g = c(&guid);
    let doc = c(&s.documents(&guid)[0].0);
    let owner = c(EMAIL);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.dat");
    let part = dir.path().join("big.dat.part");
    let p = c(path.to_str().unwrap());

    // Stopped at the first report and in the middle.
    for stop_at in [0, 1, 1_000_000] {
        let mut watch = Watch::new();
        watch.stop_at = Some(stop_at);
        fails(
            ss_download_document(
                client,
                g.as_ptr(),
                doc.as_ptr(),
                owner.as_ptr(),
                p.as_ptr(),
                Some(on_progress),
                watch.ptr(),
            ),
            SS_ERR_ABORTED_BY_CALLBACK,
            "stopped download",
        );
        assert_eq!(watch.wrong_thread, 0);
        // Nothing finishes later in the background either.
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!path.exists(), "no file after a stop at {stop_at}");
        assert!(!part.exists(), "no partial file after a stop at {stop_at}");
    }
    // Stopped at the last report: either in time (no file) or too late (complete file), never
    // in between.
    for _ in 0..5 {
        let mut watch = Watch::new();
        watch.stop_at = Some(content.len() as u64);
        let rc = ss_download_document(
            client,
            g.as_ptr(),
            doc.as_ptr(),
            owner.as_ptr(),
            p.as_ptr(),
            Some(on_progress),
            watch.ptr(),
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        match rc {
            SS_ERR_ABORTED_BY_CALLBACK => assert!(!path.exists()),
            SS_OK => {
                assert_eq!(sha_file(&path), sha_hex(&content));
                std::fs::remove_file(&path).unwrap();
            }
            other => panic!("{other:?}: {}", last_message()),
        }
        assert!(!part.exists());
    }

    // A stopped download leaves an existing file as it was.
    std::fs::write(&path, b"previous content").unwrap();
    let mut watch = Watch::new();
    watch.stop_at = Some(1);
    fails(
        ss_download_document(
            client,
            g.as_ptr(),
            doc.as_ptr(),
            owner.as_ptr(),
            p.as_ptr(),
            Some(on_progress),
            watch.ptr(),
        ),
        SS_ERR_ABORTED_BY_CALLBACK,
        "stopped download",
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"previous content");
    assert!(!part.exists());
    std::fs::remove_file(&path).unwrap();

    // Stopped through the callback sink too.
    let mut sink = Sink::new();
    let mut watch = Watch::new();
    watch.stop_at = Some(1);
    fails(
        ss_download_document_to(
            client,
            g.as_ptr(),
            doc.as_ptr(),
            owner.as_ptr(),
            Some(on_write),
            sink.ptr(),
            Some(on_progress),
            watch.ptr(),
        ),
        SS_ERR_ABORTED_BY_CALLBACK,
        "stopped download",
    );
    assert!(sink.bytes < content.len() as u64);

    // A write callback that fails: -1 on the first block, a short count later.
    for fail_at in [(0, -1), (3, -1), (1, 10)] {
        let mut sink = Sink::new();
        sink.fail_at = Some(fail_at);
        fails(
            ss_download_document_to(
                client,
                g.as_ptr(),
                doc.as_ptr(),
                owner.as_ptr(),
                Some(on_write),
                sink.ptr(),
                None,
                null_mut(),
            ),
            SS_ERR_IO,
            "failing write callback",
        );
        assert!(
            last_message().contains("write callback"),
            "{}",
            last_message()
        );
        assert_eq!(sink.calls, fail_at.0 + 1, "no write after the failure");
    }
    let mut sink = Sink::new();
    sink.fail_at = Some((0, -1));
    fails(
        ss_download_audit_record_to(
            client,
            g.as_ptr(),
            Some(on_write),
            sink.ptr(),
            None,
            null_mut(),
        ),
        SS_ERR_IO,
        "failing write callback",
    );

    // A blocking call from inside a callback is refused; the download goes on.
    let mut sink = Sink::new();
    sink.nested = Some((client, SS_OK));
    ok(ss_download_document_to(
        client,
        g.as_ptr(),
        doc.as_ptr(),
        owner.as_ptr(),
        Some(on_write),
        sink.ptr(),
        None,
        null_mut(),
    ));
    assert_eq!(sink.nested.unwrap().1, SS_ERR_INVALID_STATE);
    assert_eq!(sink.sha(), sha_hex(&content));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// Downloads `doc` of `guid` to `path` with `ss_download_document`, without progress.
fn download_to(s: &Session, guid: &str, doc: &str, path: &Path) -> ss_result {
    ss_download_document(
        s.client,
        c(guid).as_ptr(),
        c(doc).as_ptr(),
        c(EMAIL).as_ptr(),
        c(path.to_str().unwrap()).as_ptr(),
        None,
        null_mut(),
    )
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn a_link_planted_at_the_partial_file_name_is_not_followed() {
    let _lock = shared();
    let s = Session::new();
    let content: Vec<u8> = (0..500_000u32).map(|i| (i % 239) as u8).collect();
    let guid = s.submit(1, &[Attach::Bytes("doc.dat", &content)]);
    let doc = s.documents(&guid)[0].0.clone();
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.dat");
    let part = dir.path().join("doc.dat.part");
    // A link to a file of someone else's, and a dangling one (which would create a file).
    let victim = elsewhere.path().join("victim");
    std::fs::write(&victim, b"not yours").unwrap();
    let absent = elsewhere.path().join("absent");
    for target in [&victim, &absent] {
        std::os::unix::fs::symlink(target, &part).unwrap();
        ok(download_to(&s, &guid, &doc, &path));
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.file_type().is_file(), "{path:?} is not a link");
        assert_eq!(sha_file(&path), sha_hex(&content));
        assert_eq!(
            std::fs::read_link(&part).unwrap(),
            *target,
            "the link stays"
        );
        assert_eq!(std::fs::read(&victim).unwrap(), b"not yours");
        assert!(!absent.exists(), "nothing created through the link");
        assert_eq!(names_in(dir.path()), ["doc.dat", "doc.dat.part"]);
        std::fs::remove_file(&part).unwrap();
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn a_partial_file_of_the_caller_is_left_untouched() {
    let _lock = shared();
    let s = Session::new();
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 233) as u8).collect();
    let guid = s.submit(1, &[Attach::Bytes("doc.dat", &content)]);
    let doc = s.documents(&guid)[0].0.clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.dat");
    let part = dir.path().join("doc.dat.part");
    std::fs::write(&part, b"the caller's own partial file").unwrap();
    ok(download_to(&s, &guid, &doc, &path));
    assert_eq!(sha_file(&path), sha_hex(&content));
    assert_eq!(
        std::fs::read(&part).unwrap(),
        b"the caller's own partial file"
    );
    assert_eq!(names_in(dir.path()), ["doc.dat", "doc.dat.part"]);
    // A failed download leaves it too.
    assert_eq!(
        download_to(&s, &guid, "0123456789abcdef0123456789abcdef", &path),
        SS_ERR_HTTP_STATUS
    );
    assert_eq!(
        std::fs::read(&part).unwrap(),
        b"the caller's own partial file"
    );
    assert_eq!(names_in(dir.path()), ["doc.dat", "doc.dat.part"]);
}

/// Waits at `Barrier` on its first progress report: a download that reports has its file open.
unsafe extern "C" fn meet_at_first_report(user_data: *mut c_void, p: *const ss_progress) -> c_int {
    if (*p).bytes_sent == 0 {
        (*(user_data as *const std::sync::Barrier)).wait();
    }
    0
}

#[test]
fn concurrent_downloads_to_one_path_leave_one_whole_document() {
    let _lock = shared();
    let s = Session::new();
    let first: Vec<u8> = (0..2_000_000u32).map(|i| (i % 251) as u8).collect();
    let second: Vec<u8> = (0..2_500_000u32).map(|i| (i % 13) as u8 ^ 0x5a).collect();
    let guid = s.submit(
        1,
        &[
            Attach::Bytes("a.dat", &first),
            Attach::Bytes("b.dat", &second),
        ],
    );
    let docs = s.documents(&guid);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("same.dat");
    // Both downloads have opened their file before either writes much of it.
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let client = s.client as usize;
    let threads: Vec<_> = docs
        .iter()
        .map(|doc| {
            let (guid, doc, path, barrier) = (
                c(&guid),
                c(&doc.0),
                c(path.to_str().unwrap()),
                barrier.clone(),
            );
            std::thread::spawn(move || {
                let rc = ss_download_document(
                    client as *const ss_client,
                    guid.as_ptr(),
                    doc.as_ptr(),
                    c(EMAIL).as_ptr(),
                    path.as_ptr(),
                    Some(meet_at_first_report),
                    std::sync::Arc::as_ptr(&barrier) as *mut c_void,
                );
                (rc, last_message())
            })
        })
        .collect();
    for thread in threads {
        let (rc, message) = thread.join().unwrap();
        assert_eq!(rc, SS_OK, "{message}");
    }
    let got = sha_file(&path);
    assert!(
        got == sha_hex(&first) || got == sha_hex(&second),
        "the file is neither document whole"
    );
    assert_eq!(names_in(dir.path()), ["same.dat"]);
}

#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_fifo_before_its_upload_is_refused_without_blocking() {
    use std::os::unix::ffi::OsStrExt;
    let _lock = shared();
    let s = Session::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    std::fs::write(&path, b"a regular file when added").unwrap();
    let sb = new_safebox(1, &[Attach::Path(&path)]);
    // A FIFO that no one writes: opening it for reading would wait for a writer forever.
    std::fs::remove_file(&path).unwrap();
    let fifo = c(std::str::from_utf8(path.as_os_str().as_bytes()).unwrap());
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let (client, sb) = (s.client as usize, sb as usize);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut response = null_mut();
        let rc = ss_submit_safebox(
            client as *const ss_client,
            sb as *mut ss_safebox,
            None,
            null_mut(),
            &mut response,
        );
        ss_safebox_response_free(response);
        let _ = tx.send((rc, last_message()));
    });
    let Ok((rc, message)) = rx.recv_timeout(std::time::Duration::from_secs(60)) else {
        // Opened for writing too (which never waits), the FIFO lets the upload go on.
        let _unblock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path);
        panic!("the upload blocked opening a FIFO");
    };
    fails(rc, SS_ERR_IO, "a FIFO instead of the file");
    assert!(message.contains("not a regular file"), "{message}");
    assert!(message.contains("report.txt"), "{message}");
    ss_safebox_free(sb as *mut ss_safebox);
}

#[test]
fn null_and_invalid_utf8_arguments_are_refused() {
    let _lock = shared();
    let s = Session::new();
    let cl = s.client as *const ss_client;
    let guid = s.submit(1, &[Attach::Bytes("a.txt", b"abc")]);
    let g = c(&guid);
    let g = g.as_ptr();
    let doc_id = c(&s.documents(&guid)[0].0);
    let d = doc_id.as_ptr();
    let email = c(EMAIL);
    let e = email.as_ptr();
    let days = c("days");
    let dir = tempfile::tempdir().unwrap();
    let target = c(dir.path().join("out.dat").to_str().unwrap());
    let t = target.as_ptr();
    let name = c("n.txt");
    let n = name.as_ptr();
    let none = null::<c_char>();
    let nc = null::<ss_client>();
    const NUL: ss_result = SS_ERR_NULL_ARGUMENT;
    const UTF: ss_result = SS_ERR_INVALID_UTF8;
    let mut out = 7usize as *mut c_char;
    let o = &mut out as *mut *mut c_char;

    // Actions.
    fails(
        ss_add_time(nc, g, 1, days.as_ptr(), o),
        NUL,
        "add_time client",
    );
    fails(
        ss_add_time(cl, none, 1, days.as_ptr(), o),
        NUL,
        "add_time guid",
    );
    fails(ss_add_time(cl, g, 1, none, o), NUL, "add_time unit");
    fails(
        ss_add_time(cl, bad(), 1, days.as_ptr(), o),
        UTF,
        "add_time guid",
    );
    fails(ss_add_time(cl, g, 1, bad(), o), UTF, "add_time unit");
    type Action = extern "C" fn(*const ss_client, *const c_char) -> ss_result;
    let actions: [(&str, Action); 6] = [
        ("close", ss_close_safebox),
        ("delete_content", ss_delete_safebox_content),
        ("mark_as_read", ss_mark_as_read),
        ("mark_as_unread", ss_mark_as_unread),
        ("follow", ss_follow_safebox),
        ("unfollow", ss_unfollow_safebox),
    ];
    for (what, f) in actions {
        fails(f(nc, g), NUL, what);
        fails(f(cl, none), NUL, what);
        fails(f(cl, bad()), UTF, what);
    }
    type MessageAction = extern "C" fn(*const ss_client, *const c_char, i64) -> ss_result;
    let message_actions: [(&str, MessageAction); 2] = [
        ("mark_message_read", ss_mark_message_read),
        ("mark_message_unread", ss_mark_message_unread),
    ];
    for (what, f) in message_actions {
        fails(f(nc, g, 1), NUL, what);
        fails(f(cl, none, 1), NUL, what);
        fails(f(cl, bad(), 1), UTF, what);
    }
    type Archive = extern "C" fn(*const ss_client, *const c_char, *const c_char) -> ss_result;
    let archives: [(&str, Archive); 2] = [
        ("archive", ss_archive_safebox),
        ("unarchive", ss_unarchive_safebox),
    ];
    for (what, f) in archives {
        fails(f(nc, g, e), NUL, what);
        fails(f(cl, none, e), NUL, what);
        fails(f(cl, g, none), NUL, what);
        fails(f(cl, bad(), e), UTF, what);
        fails(f(cl, g, bad()), UTF, what);
    }

    // Reply builder.
    fails(ss_reply_new(null_mut()), NUL, "reply_new");
    ss_reply_free(null_mut());
    assert_eq!(ss_reply_attachment_count(null()), 0);
    let mut r = null_mut();
    ok(ss_reply_new(&mut r));
    let nr = null_mut::<ss_reply>();
    fails(ss_reply_set_message(nr, n), NUL, "set_message reply");
    fails(ss_reply_set_message(r, bad()), UTF, "set_message text");
    ok(ss_reply_set_message(r, none));
    fails(ss_reply_set_consent(nr, true), NUL, "set_consent");
    let file = dir.path().join("f.txt");
    std::fs::write(&file, b"x").unwrap();
    let f = c(file.to_str().unwrap());
    fails(
        ss_reply_add_attachment_file(nr, f.as_ptr(), none, none),
        NUL,
        "file reply",
    );
    fails(
        ss_reply_add_attachment_file(r, none, none, none),
        NUL,
        "file path",
    );
    fails(
        ss_reply_add_attachment_file(r, bad(), none, none),
        UTF,
        "file path",
    );
    fails(
        ss_reply_add_attachment_file(r, f.as_ptr(), bad(), none),
        UTF,
        "file type",
    );
    fails(
        ss_reply_add_attachment_file(r, f.as_ptr(), none, bad()),
        UTF,
        "file name",
    );
    fails(
        ss_reply_add_attachment_file(r, c("/nonexistent/x").as_ptr(), none, none),
        SS_ERR_IO,
        "missing file",
    );
    let data = [1u8, 2, 3];
    fails(
        ss_reply_add_attachment_bytes(nr, data.as_ptr(), 3, n, none),
        NUL,
        "bytes reply",
    );
    fails(
        ss_reply_add_attachment_bytes(r, null(), 3, n, none),
        NUL,
        "bytes data",
    );
    fails(
        ss_reply_add_attachment_bytes(r, data.as_ptr(), 3, none, none),
        NUL,
        "bytes name",
    );
    fails(
        ss_reply_add_attachment_bytes(r, data.as_ptr(), 3, bad(), none),
        UTF,
        "bytes name",
    );
    fails(
        ss_reply_add_attachment_bytes(r, data.as_ptr(), 3, n, bad()),
        UTF,
        "bytes type",
    );
    fails(
        ss_reply_add_attachment_bytes(r, data.as_ptr(), 3, c("").as_ptr(), none),
        SS_ERR_INVALID_ARGUMENT,
        "empty name",
    );
    {
        use std::os::fd::AsRawFd;
        let fd_file = std::fs::File::open(&file).unwrap();
        let fd = fd_file.as_raw_fd();
        fails(ss_reply_add_attachment_fd(nr, fd, n, none), NUL, "fd reply");
        fails(
            ss_reply_add_attachment_fd(r, fd, none, none),
            NUL,
            "fd name",
        );
        fails(
            ss_reply_add_attachment_fd(r, fd, bad(), none),
            UTF,
            "fd name",
        );
        fails(ss_reply_add_attachment_fd(r, fd, n, bad()), UTF, "fd type");
        fails(
            ss_reply_add_attachment_fd(r, -1, n, none),
            SS_ERR_IO,
            "bad fd",
        );
    }
    let ud = null_mut();
    fails(
        ss_reply_add_attachment_stream(nr, Some(on_read), ud, 1, n, none),
        NUL,
        "stream reply",
    );
    fails(
        ss_reply_add_attachment_stream(r, None, ud, 1, n, none),
        NUL,
        "stream read",
    );
    fails(
        ss_reply_add_attachment_stream(r, Some(on_read), ud, 1, none, none),
        NUL,
        "stream name",
    );
    fails(
        ss_reply_add_attachment_stream(r, Some(on_read), ud, 1, bad(), none),
        UTF,
        "stream name",
    );
    fails(
        ss_reply_add_attachment_stream(r, Some(on_read), ud, 1, n, bad()),
        UTF,
        "stream type",
    );
    assert_eq!(ss_reply_attachment_count(r), 0, "nothing was added");
    ok(ss_reply_set_message(r, n));
    fails(
        ss_send_reply(nc, g, r, None, null_mut()),
        NUL,
        "send client",
    );
    fails(
        ss_send_reply(cl, none, r, None, null_mut()),
        NUL,
        "send guid",
    );
    fails(
        ss_send_reply(cl, g, nr, None, null_mut()),
        NUL,
        "send reply",
    );
    fails(
        ss_send_reply(cl, bad(), r, None, null_mut()),
        UTF,
        "send guid",
    );
    ss_reply_free(r);

    // Downloads.
    fails(ss_get_document_url(nc, g, d, e, o), NUL, "url client");
    fails(ss_get_document_url(cl, none, d, e, o), NUL, "url guid");
    fails(ss_get_document_url(cl, g, none, e, o), NUL, "url document");
    fails(ss_get_document_url(cl, g, d, none, o), NUL, "url email");
    fails(ss_get_document_url(cl, g, d, e, null_mut()), NUL, "url out");
    fails(ss_get_document_url(cl, bad(), d, e, o), UTF, "url guid");
    fails(ss_get_document_url(cl, g, bad(), e, o), UTF, "url document");
    fails(ss_get_document_url(cl, g, d, bad(), o), UTF, "url email");
    let (np, nu) = (None, null_mut());
    fails(
        ss_download_document(nc, g, d, e, t, np, nu),
        NUL,
        "download client",
    );
    fails(
        ss_download_document(cl, none, d, e, t, np, nu),
        NUL,
        "download guid",
    );
    fails(
        ss_download_document(cl, g, none, e, t, np, nu),
        NUL,
        "download document",
    );
    fails(
        ss_download_document(cl, g, d, none, t, np, nu),
        NUL,
        "download email",
    );
    fails(
        ss_download_document(cl, g, d, e, none, np, nu),
        NUL,
        "download path",
    );
    fails(
        ss_download_document(cl, bad(), d, e, t, np, nu),
        UTF,
        "download guid",
    );
    fails(
        ss_download_document(cl, g, bad(), e, t, np, nu),
        UTF,
        "download document",
    );
    fails(
        ss_download_document(cl, g, d, bad(), t, np, nu),
        UTF,
        "download email",
    );
    fails(
        ss_download_document(cl, g, d, e, bad(), np, nu),
        UTF,
        "download path",
    );
    let w = Some(on_write as unsafe extern "C" fn(*mut c_void, *const u8, usize) -> i64);
    fails(
        ss_download_document_to(nc, g, d, e, w, nu, np, nu),
        NUL,
        "to client",
    );
    fails(
        ss_download_document_to(cl, none, d, e, w, nu, np, nu),
        NUL,
        "to guid",
    );
    fails(
        ss_download_document_to(cl, g, none, e, w, nu, np, nu),
        NUL,
        "to document",
    );
    fails(
        ss_download_document_to(cl, g, d, none, w, nu, np, nu),
        NUL,
        "to email",
    );
    fails(
        ss_download_document_to(cl, g, d, e, None, nu, np, nu),
        NUL,
        "to write",
    );
    fails(
        ss_download_document_to(cl, bad(), d, e, w, nu, np, nu),
        UTF,
        "to guid",
    );
    fails(
        ss_download_document_to(cl, g, bad(), e, w, nu, np, nu),
        UTF,
        "to document",
    );
    fails(
        ss_download_document_to(cl, g, d, bad(), w, nu, np, nu),
        UTF,
        "to email",
    );
    fails(ss_get_audit_record_url(nc, g, o), NUL, "audit url client");
    fails(ss_get_audit_record_url(cl, none, o), NUL, "audit url guid");
    fails(
        ss_get_audit_record_url(cl, g, null_mut()),
        NUL,
        "audit url out",
    );
    fails(ss_get_audit_record_url(cl, bad(), o), UTF, "audit url guid");
    fails(
        ss_download_audit_record(nc, g, t, np, nu),
        NUL,
        "audit client",
    );
    fails(
        ss_download_audit_record(cl, none, t, np, nu),
        NUL,
        "audit guid",
    );
    fails(
        ss_download_audit_record(cl, g, none, np, nu),
        NUL,
        "audit path",
    );
    fails(
        ss_download_audit_record(cl, bad(), t, np, nu),
        UTF,
        "audit guid",
    );
    fails(
        ss_download_audit_record(cl, g, bad(), np, nu),
        UTF,
        "audit path",
    );
    fails(
        ss_download_audit_record_to(nc, g, w, nu, np, nu),
        NUL,
        "audit to client",
    );
    fails(
        ss_download_audit_record_to(cl, none, w, nu, np, nu),
        NUL,
        "audit to guid",
    );
    fails(
        ss_download_audit_record_to(cl, g, None, nu, np, nu),
        NUL,
        "audit to write",
    );
    fails(
        ss_download_audit_record_to(cl, bad(), w, nu, np, nu),
        UTF,
        "audit to guid",
    );

    assert_eq!(out as usize, 7, "out-parameters untouched by failures");
    assert!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .all(|e| e.unwrap().file_name() == "f.txt"),
        "no download started"
    );
    // Nothing reached the SafeBox.
    let state = s.state(&guid);
    assert_eq!(
        (
            &state["status"],
            &state["followed"],
            &state["message_count"]
        ),
        (
            &Value::from("in_progress"),
            &Value::from(true),
            &Value::from(1)
        )
    );
}

/// A KiB figure of this process from /proc/self/status.
fn proc_status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Writes `size` bytes of a fast, non-repeating pattern to `path`, answering their SHA-256.
fn write_pattern(path: &Path, size: u64) -> String {
    let mut block = vec![0u8; 1 << 20];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for chunk in block.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut hasher = Sha256::new();
    let mut written = 0u64;
    let mut index = 0u64;
    while written < size {
        block[..8].copy_from_slice(&index.to_le_bytes());
        let n = (size - written).min(block.len() as u64) as usize;
        out.write_all(&block[..n]).unwrap();
        hasher.update(&block[..n]);
        written += n as u64;
        index += 1;
    }
    out.flush().unwrap();
    hex::encode(hasher.finalize())
}

#[test]
fn round_trip_is_byte_identical_from_empty_to_256_mib_in_bounded_memory() {
    let _alone = EXCLUSIVE.write().unwrap_or_else(|p| p.into_inner());
    let s = Session::new();
    let client = s.client;
    let dir = tempfile::tempdir().unwrap();
    let up = dir.path().join("up");
    let down = dir.path().join("down");
    std::fs::create_dir_all(&up).unwrap();
    std::fs::create_dir_all(&down).unwrap();
    let owner = c(EMAIL);

    // Small files.
    let small: [(&str, &[u8]); 3] = [
        ("empty.txt", b""),
        ("one.dat", b"\x7f"),
        (
            "résumé 2026 – été.txt",
            "Curriculum vitæ — été 2026\n".as_bytes(),
        ),
    ];
    let mut want = vec![];
    for (name, bytes) in small {
        let path = up.join(name);
        std::fs::write(&path, bytes).unwrap();
        want.push((name.to_string(), sha_hex(bytes), path));
    }
    let attachments: Vec<Attach> = want.iter().map(|(_, _, p)| Attach::Path(p)).collect();
    let guid = s.submit(1, &attachments);
    let g = c(&guid);
    let docs = s.documents(&guid);
    assert_eq!(docs.len(), 3);
    for ((name, sha, _), (id, stored_name, _, stored_sha)) in want.iter().zip(&docs) {
        assert_eq!(stored_name, name, "the server got the name as it is");
        assert_eq!(stored_sha, sha, "the server got the bytes of {name}");
        let back = down.join(name);
        let mut watch = Watch::new();
        ok(ss_download_document(
            client,
            g.as_ptr(),
            c(id).as_ptr(),
            owner.as_ptr(),
            c(back.to_str().unwrap()).as_ptr(),
            Some(on_progress),
            watch.ptr(),
        ));
        assert_eq!(&sha_file(&back), sha, "{name} came back identical");
        assert_eq!(watch.last_sent, std::fs::metadata(&back).unwrap().len());
        let mut sink = Sink::new();
        ok(ss_download_document_to(
            client,
            g.as_ptr(),
            c(id).as_ptr(),
            owner.as_ptr(),
            Some(on_write),
            sink.ptr(),
            None,
            null_mut(),
        ));
        assert_eq!(
            &sink.sha(),
            sha,
            "{name} came back identical through a callback"
        );
    }

    // 256 MiB, on disk, with the process's peak memory watched.
    const SIZE: u64 = 256 << 20;
    let big = up.join("big.dat");
    let big_sha = write_pattern(&big, SIZE);
    // Resetting the peak (Linux ≥ 4.0) makes VmHWM measure only what follows; without it the
    // growth is measured against the current RSS, which can only overstate it.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let rss_before = proc_status_kib("VmRSS:");
    let started = std::time::Instant::now();
    let mut watch = Watch::new();
    let mut sb = null_mut();
    ok(ss_safebox_new(owner.as_ptr(), &mut sb));
    ok(ss_safebox_set_message(sb, c("a big one").as_ptr()));
    let mut recipient = null_mut();
    ok(ss_safebox_add_recipient(
        sb,
        c("guest@example.com").as_ptr(),
        &mut recipient,
    ));
    ok(ss_safebox_add_attachment_file(
        sb,
        c(big.to_str().unwrap()).as_ptr(),
        null(),
        null(),
    ));
    let mut response = null_mut();
    ok(ss_submit_safebox(
        client,
        sb,
        Some(on_progress),
        watch.ptr(),
        &mut response,
    ));
    assert_eq!((watch.last_sent, watch.last_total), (SIZE, SIZE));
    let big_guid = unsafe { CStr::from_ptr(ss_safebox_response_guid(response)) }
        .to_str()
        .unwrap()
        .to_string();
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
    let uploaded = started.elapsed();
    let docs = s.documents(&big_guid);
    assert_eq!((docs[0].2, &docs[0].3), (SIZE, &big_sha));
    let bg = c(&big_guid);
    let id = c(&docs[0].0);
    let back: PathBuf = down.join("big.dat");
    let mut watch = Watch::new();
    ok(ss_download_document(
        client,
        bg.as_ptr(),
        id.as_ptr(),
        owner.as_ptr(),
        c(back.to_str().unwrap()).as_ptr(),
        Some(on_progress),
        watch.ptr(),
    ));
    assert_eq!((watch.last_sent, watch.last_total), (SIZE, SIZE));
    assert_eq!(watch.wrong_thread, 0);
    let mut sink = Sink::new();
    ok(ss_download_document_to(
        client,
        bg.as_ptr(),
        id.as_ptr(),
        owner.as_ptr(),
        Some(on_write),
        sink.ptr(),
        None,
        null_mut(),
    ));
    let peak = proc_status_kib("VmHWM:");
    let elapsed = started.elapsed();
    assert_eq!(sink.bytes, SIZE);
    assert_eq!(
        sink.sha(),
        big_sha,
        "256 MiB came back identical through a callback"
    );
    assert_eq!(
        sha_file(&back),
        big_sha,
        "256 MiB came back identical to a file"
    );
    let growth_mib = peak.saturating_sub(rss_before) as f64 / 1024.0;
    println!(
        "256 MiB round trip: upload {:.1}s, upload + 2 downloads {:.1}s; peak RSS growth {growth_mib:.1} MiB (RSS before {:.1} MiB, peak {:.1} MiB, peak reset: {reset})",
        uploaded.as_secs_f64(),
        elapsed.as_secs_f64(),
        rss_before as f64 / 1024.0,
        peak as f64 / 1024.0,
    );
    assert!(
        growth_mib < 128.0,
        "peak RSS grew by {growth_mib:.1} MiB for a 256 MiB round trip"
    );
}
