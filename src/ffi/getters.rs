//! Accessors of immutable handles: a field read from C, where a NULL handle gives a default
//! (a getter has no error to report), and strings and items borrowed from their handle.

use super::boundary::{guard, PanicValue};
use super::input::handle;
use std::ffi::{c_char, CStr};

/// A string field of a handle (a `CString`, or a [`super::strings::SecretText`]), borrowed from
/// it; a NULL handle (or an absent field) gives NULL.
pub(crate) fn borrowed<T, S: AsRef<CStr> + ?Sized>(
    p: *const T,
    field: impl FnOnce(&T) -> Option<&S>,
) -> *const c_char {
    guard(|| {
        handle(p, "handle")
            .ok()
            .and_then(field)
            .map(|s| s.as_ref().as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// A plain field of a handle; a NULL handle gives `default`.
pub(crate) fn value<T, V: PanicValue>(p: *const T, default: V, field: impl FnOnce(&T) -> V) -> V {
    guard(|| handle(p, "handle").map(field).unwrap_or(default))
}

/// The item at `index` of a handle's list, borrowed from it; NULL or out of range gives NULL.
pub(crate) fn item_at<T, I>(p: *const T, index: usize, items: impl FnOnce(&T) -> &[I]) -> *const I {
    guard(|| {
        handle(p, "handle")
            .ok()
            .and_then(|h| items(h).get(index))
            .map(|i| i as *const I)
            .unwrap_or(std::ptr::null())
    })
}

/// A part of a handle (an object it holds), borrowed from it; a NULL handle gives NULL.
pub(crate) fn part<T, P>(p: *const T, field: impl FnOnce(&T) -> &P) -> *const P {
    guard(|| {
        handle(p, "handle")
            .map(|h| field(h) as *const P)
            .unwrap_or(std::ptr::null())
    })
}
