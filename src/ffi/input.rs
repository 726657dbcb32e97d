//! Reading C arguments: NULL checks, UTF-8 checks, handle references, out-parameters.

use super::error::{ss_result, FfiError};
use std::ffi::{c_char, CStr};

/// A required string argument.
pub(crate) fn text<'a>(p: *const c_char, name: &str) -> Result<&'a str, FfiError> {
    if p.is_null() {
        return Err(FfiError::new(
            ss_result::SS_ERR_NULL_ARGUMENT,
            format!("`{name}` is NULL"),
        ));
    }
    // SAFETY: the caller passes a NUL-terminated string that lives for the call.
    unsafe { CStr::from_ptr(p) }.to_str().map_err(|_| {
        FfiError::new(
            ss_result::SS_ERR_INVALID_UTF8,
            format!("`{name}` is not valid UTF-8"),
        )
    })
}

/// An optional string argument: NULL is `None`.
pub(crate) fn opt_text<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, FfiError> {
    if p.is_null() {
        Ok(None)
    } else {
        text(p, name).map(Some)
    }
}

/// A required handle, shared.
pub(crate) fn handle<'a, T>(p: *const T, name: &str) -> Result<&'a T, FfiError> {
    // SAFETY: a non-NULL handle pointer comes from this library and is still alive (documented
    // contract of every function taking it).
    unsafe { p.as_ref() }
        .ok_or_else(|| FfiError::new(ss_result::SS_ERR_NULL_ARGUMENT, format!("`{name}` is NULL")))
}

/// A required handle, exclusive.
pub(crate) fn handle_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T, FfiError> {
    // SAFETY: as `handle`, and the caller uses the handle from one thread at a time.
    unsafe { p.as_mut() }
        .ok_or_else(|| FfiError::new(ss_result::SS_ERR_NULL_ARGUMENT, format!("`{name}` is NULL")))
}

/// Checks an out-parameter before any work is done.
pub(crate) fn out<T>(p: *mut T, name: &str) -> Result<*mut T, FfiError> {
    if p.is_null() {
        Err(FfiError::new(
            ss_result::SS_ERR_NULL_ARGUMENT,
            format!("`{name}` is NULL"),
        ))
    } else {
        Ok(p)
    }
}

/// Writes a new handle to a checked out-parameter.
pub(crate) fn give<T>(p: *mut *mut T, value: T) {
    // SAFETY: `p` was checked non-NULL by `out` and points to writable storage for a pointer.
    unsafe { *p = Box::into_raw(Box::new(value)) }
}

/// Frees a handle made by `give` (NULL is a no-op).
pub(crate) fn free<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: `p` came from `Box::into_raw` in `give` and is freed once (documented).
        drop(unsafe { Box::from_raw(p) });
    }
}
