//! The C functions that read this thread's last error (`ss_last_error_*`), kept by
//! `error.rs`.

use super::boundary::guard;
use super::error::{ss_result, with_last};
use std::ffi::c_char;

/// Copies `text` into `buf` like `snprintf`: at most `len - 1` bytes plus a NUL, and returns the
/// full length (without NUL), so a caller can size a buffer with a first call.
fn copy_out(text: &str, buf: *mut c_char, len: usize) -> usize {
    if !buf.is_null() && len > 0 {
        let n = text.len().min(len - 1);
        // SAFETY: the caller promises `buf` has room for `len` bytes; we write n + 1 <= len.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
            *buf.add(n) = 0;
        }
    }
    text.len()
}

/// Copies the message of this thread's last failure into `buf`.
///
/// Writes at most `len` bytes including the terminating NUL (nothing when `buf` is NULL or `len`
/// is 0) and returns the message's full length without the NUL, like `snprintf`: call with
/// `len == 0` to learn the size. Returns 0 when the last libsendsecure call on this thread
/// succeeded. The message never contains the API token or a password. Reading does not clear it.
/// Thread-safe (each thread has its own last error).
#[no_mangle]
pub extern "C" fn ss_last_error_message(buf: *mut c_char, len: usize) -> usize {
    guard(|| with_last(|e| copy_out(e.map(|e| e.message.as_str()).unwrap_or(""), buf, len)))
}

/// Returns the result code of this thread's last failure, or `SS_OK` after a success.
///
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_last_error_code() -> ss_result {
    guard(|| with_last(|e| e.map(|e| e.code).unwrap_or(ss_result::SS_OK)))
}

/// Returns the HTTP status of this thread's last failure, or 0 when it was not an HTTP answer.
///
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_last_error_http_status() -> i32 {
    guard(|| with_last(|e| e.map(|e| e.http_status).unwrap_or(0)))
}

/// Returns SendSecure's error code of this thread's last failure (the `code` of a refused
/// login: 101-106), or 0.
///
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_last_error_api_code() -> i64 {
    guard(|| with_last(|e| e.map(|e| e.api_code).unwrap_or(0)))
}

/// Copies the service's error code of this thread's last failure as text into `buf`, like
/// `ss_last_error_message`: SendSafely's `response` code (`UNKNOWN_PACKAGE`, `DENIED`, any code
/// the server sends, kept as received) or SendSecure's number in decimal. Returns 0 when the
/// failure was not a service's refusal.
///
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_last_error_api_code_name(buf: *mut c_char, len: usize) -> usize {
    guard(|| {
        with_last(|e| {
            copy_out(
                e.and_then(|e| e.api_code_name.as_deref()).unwrap_or(""),
                buf,
                len,
            )
        })
    })
}

/// Copies the server's error body (verbatim, usually JSON) of this thread's last failure into
/// `buf`, like `ss_last_error_message`. Returns 0 when the failure had no server body.
/// The API token and a password the server echoed are replaced by `<redacted>` in it, in
/// whatever form they came (as is, JSON-escaped, percent-encoded, HTML entities).
///
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_last_error_body(buf: *mut c_char, len: usize) -> usize {
    guard(|| with_last(|e| copy_out(e.and_then(|e| e.body.as_deref()).unwrap_or(""), buf, len)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{set_last_error, FfiError, MAX_MESSAGE};

    fn last_message() -> String {
        let len = ss_last_error_message(std::ptr::null_mut(), 0);
        let mut buf = vec![0u8; len + 1];
        ss_last_error_message(buf.as_mut_ptr().cast(), buf.len());
        String::from_utf8(buf[..len].to_vec()).unwrap()
    }

    #[test]
    fn last_error_messages_are_of_bounded_size() {
        let quoted = "é".repeat(5 << 20);
        set_last_error(&FfiError::new(
            ss_result::SS_ERR_CONNECT,
            format!("cannot send `{quoted}`"),
        ));
        let message = last_message();
        assert!(message.len() <= MAX_MESSAGE + 100, "{}", message.len());
        assert!(message.starts_with("cannot send `éé"), "{message:.40}");
        assert!(
            message.ends_with("bytes cut)"),
            "{}",
            &message[message.len() - 60..]
        );
        // A short one is kept whole.
        set_last_error(&FfiError::new(ss_result::SS_ERR_CONNECT, "refused"));
        assert_eq!(last_message(), "refused");
    }
}
