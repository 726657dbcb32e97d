//! Who frees a handle that can be either the caller's or borrowed from the handle holding it
//! (a participant alone, or one of a list): the handle carries which, so that freeing a
//! borrowed one is refused instead of freeing memory its list still holds.

use super::error::{set_last_error, ss_result, FfiError};
use super::input::{free, handle};

/// Whether a handle handed to C is the caller's to free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ownership {
    /// Returned alone: the caller frees it with its `_free` function.
    CallerOwned,
    /// An item of a list or of another handle: valid as long as its holder, never freed alone.
    Borrowed,
}

/// A handle that knows its [`Ownership`].
pub(crate) trait Owned {
    fn ownership(&self) -> Ownership;
}

/// Frees a caller-owned handle (NULL is a no-op). A borrowed one is left to its holder and
/// `SS_ERR_INVALID_ARGUMENT` is recorded as the last error: the `_free` functions return
/// nothing.
pub(crate) fn free_owned<T: Owned + 'static>(p: *mut T, name: &str) {
    if let Ok(h) = handle(p, name) {
        if h.ownership() == Ownership::Borrowed {
            set_last_error(&FfiError::new(
                ss_result::SS_ERR_INVALID_ARGUMENT,
                format!(
                    "`{name}` is borrowed from the list or SafeBox info it came from: it is \
                     freed with it, never alone"
                ),
            ));
            return;
        }
    }
    free(p)
}
