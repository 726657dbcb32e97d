//! The panic boundary every exported function runs inside: a panic becomes an error code (or a
//! NULL / zero value) and a last-error message instead of unwinding into C.

use super::error::ss_result;
use super::error::{clear_last_error, set_last_error, FfiError};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What an exported function returns when its body panicked.
pub(crate) trait PanicValue {
    fn panic_value() -> Self;
}

impl PanicValue for ss_result {
    fn panic_value() -> Self {
        ss_result::SS_ERR_PANIC
    }
}

impl<T> PanicValue for *const T {
    fn panic_value() -> Self {
        std::ptr::null()
    }
}

impl<T> PanicValue for *mut T {
    fn panic_value() -> Self {
        std::ptr::null_mut()
    }
}

macro_rules! panic_value {
    ($($t:ty => $v:expr),* $(,)?) => { $(impl PanicValue for $t { fn panic_value() -> Self { $v } })* };
}
panic_value!(() => (), usize => 0, i64 => 0, i32 => 0, u64 => 0, bool => false);

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("internal error (panic): {text}")
}

thread_local! {
    /// How many library functions are running on this thread (more than one: called from a
    /// callback).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Runs `body`, turning a panic into `T::panic_value()` and a last error. The outermost one of
/// a thread frees the handles freed from callbacks meanwhile (see `input::free`).
pub(crate) fn guard<T: PanicValue>(body: impl FnOnce() -> T) -> T {
    DEPTH.with(|d| d.set(d.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(body));
    if DEPTH.with(|d| {
        d.set(d.get() - 1);
        d.get() == 0
    }) {
        // A panic there must not unwind into C either.
        let _ = catch_unwind(super::input::free_deferred);
    }
    match outcome {
        Ok(value) => value,
        Err(payload) => {
            set_last_error(&FfiError::new(
                ss_result::SS_ERR_PANIC,
                panic_message(payload),
            ));
            T::panic_value()
        }
    }
}

/// Runs a fallible body: success clears the last error and returns `SS_OK`; failure records
/// it and returns its code; a panic returns `SS_ERR_PANIC`.
pub(crate) fn call(body: impl FnOnce() -> Result<(), FfiError>) -> ss_result {
    guard(|| match body() {
        Ok(()) => {
            clear_last_error();
            ss_result::SS_OK
        }
        Err(e) => {
            set_last_error(&e);
            e.code
        }
    })
}
