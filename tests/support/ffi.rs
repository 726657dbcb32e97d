//! Test support for the Rust tests of the C ABI: C strings, the last error's message, and a
//! client logged in through the C functions.
//!
//! Include it with `#[path = "support/ffi.rs"] mod ffi_support;` next to `mod support;`.
#![allow(dead_code)]

use crate::support::{Emulator, ACCOUNT};
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::last_error::ss_last_error_message;
use sendsecure::ffi::options::*;
use sendsecure::sendsecure::ffi::client::*;
use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

/// `s` as a C string (no NUL inside).
pub fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// This thread's last error message (`ss_last_error_message`).
pub fn last_message() -> String {
    let mut buf = vec![0u8; 4096];
    ss_last_error_message(buf.as_mut_ptr().cast(), buf.len());
    CStr::from_bytes_until_nul(&buf)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Logs `user` in to `emu` with `ss_get_user_token` and makes a client with `ss_client_new`,
/// its options first initialized and then given to `tune` with the token's user id. Answers the
/// client (the caller frees it) and the user id; a failure fails the test with its message.
#[track_caller]
pub fn login(
    emu: &Emulator,
    user: &str,
    password: &str,
    tune: impl FnOnce(&mut ss_client_options, i64),
) -> (*mut ss_client, i64) {
    let (account, user, password, device, endpoint) =
        (c(ACCOUNT), c(user), c(password), c("dev"), c(&emu.url));
    let mut token = null_mut();
    let rc = ss_get_user_token(
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
    );
    assert_eq!(rc, ss_result::SS_OK, "login: {}", last_message());
    let user_id = ss_user_token_user_id(token);
    let mut options: ss_client_options = unsafe { std::mem::zeroed() };
    ss_client_options_init(&mut options);
    tune(&mut options, user_id);
    let mut client = null_mut();
    let rc = ss_client_new(
        ss_user_token_token(token),
        account.as_ptr(),
        endpoint.as_ptr(),
        &options,
        &mut client,
    );
    assert_eq!(rc, ss_result::SS_OK, "ss_client_new: {}", last_message());
    ss_user_token_free(token);
    (client, user_id)
}
