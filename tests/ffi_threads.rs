//! The C ABI from many threads at once: one shared `ss_client`, concurrent calls, and progress
//! callbacks that each run on the thread that made the call.

#[path = "support/ffi.rs"]
mod ffi_support;
mod support;

use ffi_support::last_message;
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::runtime::ss_progress;
use sendsecure::sendsecure::ffi::client::*;
use sendsecure::sendsecure::ffi::enterprise::*;
use sendsecure::sendsecure::ffi::safebox::*;
use std::ffi::{c_int, c_void, CStr, CString};
use std::ptr::{null, null_mut};
use support::{Emulator, EMAIL, PASSWORD, USER};

struct SharedClient(*mut ss_client);
// SAFETY: ss_client is documented thread-safe; the test only passes it as `const *`.
unsafe impl Send for SharedClient {}
unsafe impl Sync for SharedClient {}

fn login(emu: &Emulator) -> *mut ss_client {
    ffi_support::login(emu, USER, PASSWORD, |_, _| {}).0
}

struct Observed {
    thread: std::thread::ThreadId,
    calls: usize,
    wrong_thread: usize,
    last_sent: u64,
    backwards: usize,
    last_total: u64,
}

unsafe extern "C" fn on_progress(user_data: *mut c_void, p: *const ss_progress) -> c_int {
    let seen = &mut *(user_data as *mut Observed);
    let p = &*p;
    seen.calls += 1;
    if std::thread::current().id() != seen.thread {
        seen.wrong_thread += 1;
    }
    if p.bytes_sent < seen.last_sent {
        seen.backwards += 1;
    }
    seen.last_sent = p.bytes_sent;
    seen.last_total = p.bytes_total;
    0
}

#[test]
fn one_client_many_threads() {
    let emu = Emulator::demo();
    let client = SharedClient(login(&emu));
    let client = &client;
    std::thread::scope(|scope| {
        for t in 0..8 {
            scope.spawn(move || {
                for _ in 0..10 {
                    let mut settings = null_mut();
                    let rc = ss_get_enterprise_settings(client.0, &mut settings);
                    assert_eq!(rc, ss_result::SS_OK, "thread {t}: {}", last_message());
                    assert_eq!(
                        ss_enterprise_settings_default_security_profile_id(settings),
                        1
                    );
                    ss_enterprise_settings_free(settings);
                }
                let email = CString::new(EMAIL).unwrap();
                let mut sb = null_mut();
                assert_eq!(ss_safebox_new(email.as_ptr(), &mut sb), ss_result::SS_OK);
                let guest = CString::new(format!("guest{t}@example.com")).unwrap();
                assert_eq!(
                    ss_safebox_add_recipient(sb, guest.as_ptr(), null_mut()),
                    ss_result::SS_OK
                );
                let data = vec![t as u8; 300_000 + t * 1000];
                let name = CString::new(format!("part{t}.dat")).unwrap();
                let rc = ss_safebox_add_attachment_bytes(
                    sb,
                    data.as_ptr(),
                    data.len(),
                    name.as_ptr(),
                    null(),
                );
                assert_eq!(rc, ss_result::SS_OK);
                let mut seen = Observed {
                    thread: std::thread::current().id(),
                    calls: 0,
                    wrong_thread: 0,
                    last_sent: 0,
                    backwards: 0,
                    last_total: 0,
                };
                let mut response = null_mut();
                let rc = ss_submit_safebox(
                    client.0,
                    sb,
                    Some(on_progress),
                    &mut seen as *mut Observed as *mut c_void,
                    &mut response,
                );
                assert_eq!(rc, ss_result::SS_OK, "thread {t}: {}", last_message());
                assert!(seen.calls >= 2, "progress was reported");
                assert_eq!(
                    seen.wrong_thread, 0,
                    "every callback ran on the calling thread"
                );
                assert_eq!(seen.backwards, 0, "bytes never go backwards");
                assert_eq!(
                    (seen.last_sent, seen.last_total),
                    (data.len() as u64, data.len() as u64)
                );
                let guid = unsafe { CStr::from_ptr(ss_safebox_response_guid(response)) };
                assert_eq!(guid.to_bytes().len(), 32);
                ss_safebox_response_free(response);
                ss_safebox_free(sb);
            });
        }
    });
    ss_client_free(client.0);
    let state = emu.control_blocking("GET", "safeboxes", None);
    assert_eq!(
        state["safeboxes"].as_array().unwrap().len(),
        8,
        "one SafeBox per thread, no more"
    );
}
