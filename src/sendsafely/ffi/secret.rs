//! `ss_sendsafely_secret`: a secret text a call gives to C (an unwrapped keycode), wiped from
//! memory when freed.

use crate::ffi::boundary::guard;
use crate::ffi::getters::borrowed;
use crate::ffi::input::free;
use crate::ffi::strings::SecretText;
use std::ffi::c_char;

/// A secret text. Caller-owned (`ss_sendsafely_secret_free`, which wipes it); immutable,
/// readable from any thread.
pub struct ss_sendsafely_secret(pub(crate) SecretText);

/// The secret's text. Borrowed from `secret` (wiped when it is freed: copy it only where it
/// stays secret); NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_secret_text(secret: *const ss_sendsafely_secret) -> *const c_char {
    borrowed(secret, |s| Some(&s.0))
}

/// Frees a secret, wiping its text. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_secret_free(secret: *mut ss_sendsafely_secret) {
    guard(|| free(secret))
}
