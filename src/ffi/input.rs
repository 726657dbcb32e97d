//! Reading C arguments: NULL checks, UTF-8 checks, handle references, out-parameters; and the
//! handles in use by the call running on this thread.
//!
//! A blocking call runs its callbacks on the calling thread, and a callback may call the
//! non-blocking functions: nothing but this registry keeps it from changing or freeing the
//! SafeBox, reply or client that the suspended call still works on (an attachment added under
//! the upload's feet corrupted the heap). A call lends its handles for its duration
//! ([`lend`]); meanwhile `handle_mut` refuses them and `free` defers their freeing until the
//! outermost library function of the thread returns ([`free_deferred`], called by the panic
//! boundary), when no reference to them is left. Other threads need no check: every handle but
//! `ss_client` is used by one thread at a time, and `ss_client` is only read.

use super::error::{ss_result, FfiError};
use std::cell::RefCell;
use std::ffi::{c_char, CStr};

thread_local! {
    /// The addresses of the handles lent to the calls running on this thread.
    static IN_USE: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// The frees asked for from a callback, of handles in use then.
    static DEFERRED: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

/// Handles lent to a running call: in use until this is dropped.
pub(crate) struct Lent {
    count: usize,
}

/// Lends the handles at `addresses` to the call about to run on this thread.
pub(crate) fn lend(addresses: impl IntoIterator<Item = *const ()>) -> Lent {
    IN_USE.with(|in_use| {
        let mut in_use = in_use.borrow_mut();
        let before = in_use.len();
        in_use.extend(addresses.into_iter().map(|p| p as usize));
        Lent {
            count: in_use.len() - before,
        }
    })
}

impl Drop for Lent {
    fn drop(&mut self) {
        IN_USE.with(|in_use| {
            let mut in_use = in_use.borrow_mut();
            let keep = in_use.len().saturating_sub(self.count);
            in_use.truncate(keep);
        });
    }
}

/// Whether a call running on this thread uses the handle at `p`.
fn in_use<T>(p: *const T) -> bool {
    IN_USE.with(|in_use| in_use.borrow().contains(&(p as usize)))
}

/// Frees the handles whose freeing was deferred; called when no library function runs on this
/// thread any more.
pub(crate) fn free_deferred() {
    let deferred = DEFERRED.with(|d| std::mem::take(&mut *d.borrow_mut()));
    for free in deferred {
        free();
    }
}

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

/// A required handle, exclusive: refused while a call running on this thread uses it.
pub(crate) fn handle_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T, FfiError> {
    if !p.is_null() && in_use(p) {
        return Err(FfiError::new(
            ss_result::SS_ERR_INVALID_STATE,
            format!(
                "`{name}` is in use by a running call (this is one of its callbacks): change it \
                 after that call returns"
            ),
        ));
    }
    // SAFETY: as `handle`, and the caller uses the handle from one thread at a time; no call
    // running on this thread holds it (checked above).
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

/// Frees a handle made by `give` (NULL is a no-op); a handle in use by a call running on this
/// thread is freed when the outermost library function of the thread returns.
pub(crate) fn free<T: 'static>(p: *mut T) {
    if !p.is_null() && in_use(p) {
        // SAFETY: as below, once the call that uses it has returned.
        let later = move || drop(unsafe { Box::from_raw(p) });
        DEFERRED.with(|d| d.borrow_mut().push(Box::new(later)));
        return;
    }
    if !p.is_null() {
        // SAFETY: `p` came from `Box::into_raw` in `give` and is freed once (documented).
        drop(unsafe { Box::from_raw(p) });
    }
}

/// An argument refused by a check of this library (`SS_ERR_INVALID_ARGUMENT`).
pub(crate) fn invalid(message: impl Into<String>) -> FfiError {
    FfiError::new(ss_result::SS_ERR_INVALID_ARGUMENT, message)
}

/// Reads an array of `count` ids (or other numbers); NULL is allowed when `count` is 0.
pub(crate) fn ids<'a, T>(p: *const T, count: usize, name: &str) -> Result<&'a [T], FfiError> {
    if count == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(FfiError::new(
            ss_result::SS_ERR_NULL_ARGUMENT,
            format!("`{name}` is NULL but its count is {count}"),
        ));
    }
    if count > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(invalid(format!("`{name}` count {count} is too large")));
    }
    // SAFETY: the caller passes `count` readable ids at `p`, alive for the call.
    Ok(unsafe { std::slice::from_raw_parts(p, count) })
}

/// Reads an array of `count` required strings; NULL is allowed when `count` is 0. Each item
/// is checked as [`text`] checks one, named `name[i]`.
pub(crate) fn texts<'a>(
    p: *const *const c_char,
    count: usize,
    name: &str,
) -> Result<Vec<&'a str>, FfiError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(FfiError::new(
            ss_result::SS_ERR_NULL_ARGUMENT,
            format!("`{name}` is NULL but its count is {count}"),
        ));
    }
    if count > isize::MAX as usize / std::mem::size_of::<*const c_char>() {
        return Err(invalid(format!("`{name}` count {count} is too large")));
    }
    // SAFETY: the caller passes `count` readable pointers at `p`, alive for the call.
    let items = unsafe { std::slice::from_raw_parts(p, count) };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| text(*item, &format!("{name}[{i}]")))
        .collect()
}
