//! Result codes and the per-thread last error.

use crate::transport::error::{Error, ServiceCode};
use std::cell::RefCell;
use std::ffi::{c_char, CStr};

/// The result of every fallible libsendsecure function. `SS_OK` is 0; every other value is a
/// failure whose details are in this thread's last error (`ss_last_error_message`). Values are
/// never renumbered; new ones are only added.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ss_result {
    /// Success.
    SS_OK = 0,
    /// A required pointer argument was NULL.
    SS_ERR_NULL_ARGUMENT = 1,
    /// A string argument was not valid UTF-8.
    SS_ERR_INVALID_UTF8 = 2,
    /// An argument was refused before anything was sent (empty, out of range, or one of the
    /// SendSecure client-side checks, e.g. "Participants cannot be empty").
    SS_ERR_INVALID_ARGUMENT = 3,
    /// The call does not fit the object's state (e.g. commit before initialize), or a
    /// libsendsecure function was called from inside one of its own callbacks.
    SS_ERR_INVALID_STATE = 4,
    /// An internal error was caught (a bug in libsendsecure); the process is unharmed.
    SS_ERR_PANIC = 5,
    /// The library's runtime could not start (threads could not be created).
    SS_ERR_RUNTIME = 6,
    /// The server could not be reached, or the connection broke (TLS failures have their own
    /// code, `SS_ERR_TLS`).
    SS_ERR_CONNECT = 7,
    /// A time limit was reached.
    SS_ERR_TIMEOUT = 8,
    /// The server answered with an HTTP error status; see `ss_last_error_http_status` and
    /// `ss_last_error_body`.
    SS_ERR_HTTP_STATUS = 9,
    /// The service refused the credentials: SendSecure's portal refused the login
    /// (`ss_last_error_api_code` gives its code: 101 invalid permalink, 102 invalid
    /// credentials, 103-105 missing parameter, 106 one-time password needed); SendSafely
    /// refused the API key, secret or signature (`AUTHENTICATION_FAILED`).
    SS_ERR_AUTH = 10,
    /// The server's answer did not follow the protocol (malformed or unexpected JSON).
    SS_ERR_DECODE = 11,
    /// A local file could not be read or written.
    SS_ERR_IO = 12,
    /// A callback returned non-zero and the call stopped.
    SS_ERR_ABORTED_BY_CALLBACK = 13,
    /// An index was outside a list.
    SS_ERR_OUT_OF_RANGE = 14,
    /// The call was cancelled by `ss_client_cancel` from another thread.
    SS_ERR_CANCELLED = 15,
    /// The TLS handshake failed: the server's certificate did not verify (an authority not
    /// trusted, see `ss_client_options.ca_file`; another host's name; expired), the server
    /// refused or required a client certificate, or no TLS version both support. Not retried.
    SS_ERR_TLS = 16,
    /// The service refused the request with its own error code in a successful HTTP answer
    /// (SendSafely's `response`, e.g. `UNKNOWN_PACKAGE`, `INVALID_INPUT`, `DENIED`): see
    /// `ss_last_error_api_code_name`, `ss_last_error_message` and `ss_last_error_body`.
    SS_ERR_API = 17,
    /// Data did not decrypt: a wrong keycode or key, a segment altered on its way or without
    /// an integrity check. Nothing of it was written out.
    SS_ERR_CRYPTO = 18,
}

/// A failure on its way to C: the code plus what the last-error functions report.
#[derive(Debug, Clone)]
pub(crate) struct FfiError {
    pub code: ss_result,
    pub message: String,
    pub http_status: i32,
    pub body: Option<String>,
    pub api_code: i64,
    pub api_code_name: Option<String>,
}

impl FfiError {
    pub fn new(code: ss_result, message: impl Into<String>) -> FfiError {
        FfiError {
            code,
            message: message.into(),
            http_status: 0,
            body: None,
            api_code: 0,
            api_code_name: None,
        }
    }
}

impl From<Error> for FfiError {
    fn from(e: Error) -> FfiError {
        let code = match &e {
            Error::InvalidArgument(_) => ss_result::SS_ERR_INVALID_ARGUMENT,
            Error::InvalidState(_) => ss_result::SS_ERR_INVALID_STATE,
            Error::Io { .. } => ss_result::SS_ERR_IO,
            Error::Service {
                credentials: true, ..
            } => ss_result::SS_ERR_AUTH,
            Error::Service { .. } => ss_result::SS_ERR_API,
            Error::Crypto(_) => ss_result::SS_ERR_CRYPTO,
            Error::Http { .. } => ss_result::SS_ERR_HTTP_STATUS,
            Error::Connect(_) => ss_result::SS_ERR_CONNECT,
            Error::Tls(_) => ss_result::SS_ERR_TLS,
            Error::Timeout(_) => ss_result::SS_ERR_TIMEOUT,
            Error::Decode(_) => ss_result::SS_ERR_DECODE,
        };
        FfiError {
            code,
            message: e.to_string(),
            http_status: e.http_status().map(i32::from).unwrap_or(0),
            body: e.body().map(str::to_string),
            api_code: match &e {
                Error::Service {
                    code: ServiceCode::Number(n),
                    ..
                } => *n,
                _ => 0,
            },
            api_code_name: match &e {
                Error::Service { code, .. } => Some(code.to_string()),
                _ => None,
            },
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<Option<FfiError>> = const { RefCell::new(None) };
}

/// The longest last-error message kept (in bytes, before the note of how much was cut).
pub(crate) const MAX_MESSAGE: usize = 4096;

/// Records `e` as this thread's last error. Its message is made one readable line of bounded
/// size: an argument or a server text it quotes cannot bring control characters into it, nor
/// make it megabytes long.
pub(crate) fn set_last_error(e: &FfiError) {
    let mut e = e.clone();
    e.message = crate::transport::error::printable(&crate::transport::error::excerpt(
        &e.message,
        MAX_MESSAGE,
    ));
    LAST_ERROR.with(|slot| *slot.borrow_mut() = Some(e));
}

pub(crate) fn clear_last_error() {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = None);
}

pub(crate) fn with_last<T>(f: impl FnOnce(Option<&FfiError>) -> T) -> T {
    LAST_ERROR.with(|slot| f(slot.borrow().as_ref()))
}

/// Returns a static, human-readable description of a result code.
///
/// The string is static: never free it. Unknown codes give "unknown result code".
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_result_str(code: u32) -> *const c_char {
    let text: &'static CStr = match code {
        0 => c"success",
        1 => c"a required argument was NULL",
        2 => c"a string argument is not valid UTF-8",
        3 => c"invalid argument",
        4 => c"the call does not fit the object's state",
        5 => c"internal error (panic caught)",
        6 => c"the library runtime could not start",
        7 => c"connection failed",
        8 => c"timed out",
        9 => c"the server answered with an HTTP error",
        10 => c"the credentials were refused",
        11 => c"unexpected server response",
        12 => c"file input/output error",
        13 => c"aborted by a callback",
        14 => c"index out of range",
        15 => c"cancelled",
        16 => c"TLS handshake failed",
        17 => c"the service refused the request",
        18 => c"decryption failed",
        _ => c"unknown result code",
    };
    text.as_ptr()
}
