//! Strings handed to C, and the library version.

use super::boundary::guard;
use std::ffi::{c_char, CString};

/// Turns Rust text into a C string; an interior NUL (never produced by the server's JSON
/// strings we expose, but possible in principle) is cut there.
pub(crate) fn c_string(text: &str) -> CString {
    let end = text.find('\0').unwrap_or(text.len());
    CString::new(&text[..end]).unwrap_or_default()
}

/// A secret handed to C as a borrowed string (a keycode, a secure link): NUL-terminated and
/// wiped from memory when its handle is freed.
pub(crate) struct SecretText(zeroize::Zeroizing<Vec<u8>>);

impl SecretText {
    /// A copy of `text`, cut at an interior NUL as [`c_string`] does.
    pub fn new(text: &str) -> SecretText {
        let end = text.find('\0').unwrap_or(text.len());
        let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(end + 1));
        bytes.extend_from_slice(&text.as_bytes()[..end]);
        bytes.push(0);
        SecretText(bytes)
    }
}

impl AsRef<std::ffi::CStr> for SecretText {
    fn as_ref(&self) -> &std::ffi::CStr {
        // The bytes end with the one NUL pushed by `new`; an empty fallback cannot happen.
        std::ffi::CStr::from_bytes_with_nul(&self.0).unwrap_or_default()
    }
}

/// Writes an owned copy of `s` to a checked `char **` out-parameter.
pub(crate) fn give_string(p: *mut *mut c_char, s: &str) {
    // SAFETY: `p` was checked non-NULL by `out` and points to storage for one pointer.
    unsafe { *p = c_string(s).into_raw() }
}

/// Frees a string that libsendsecure allocated and documented as owned by the caller.
///
/// NULL is a no-op. Never pass a string borrowed from a handle, a static string, or one
/// allocated by anything else; must not be called twice. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_string_free(s: *mut c_char) {
    guard(|| {
        if !s.is_null() {
            // SAFETY: `s` came from `CString::into_raw` in this library and is freed once.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// Returns the library version, e.g. "0.1.0" (the same as `SS_VERSION_STRING` of the header
/// the program was compiled with, if the library matches it).
///
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The JSON view of an object handed to C (`ss_*_to_json`), rendered on first use: most
/// programs read the typed fields and never ask for it, and rendering a SafeBox with its
/// sections costs as much as decoding it.
pub(crate) struct JsonText {
    value: serde_json::Value,
    text: std::sync::OnceLock<CString>,
}

impl JsonText {
    pub fn new(value: serde_json::Value) -> JsonText {
        JsonText {
            value,
            text: std::sync::OnceLock::new(),
        }
    }

    /// The text, rendered once; later calls (from any thread) return the same string.
    pub fn get(&self) -> &CString {
        self.text.get_or_init(|| c_string(&self.value.to_string()))
    }
}
