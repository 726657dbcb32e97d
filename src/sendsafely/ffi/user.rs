//! The user an API key belongs to, from C.

use super::client::ss_sendsafely_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, value};
use crate::ffi::input::{free, give, handle, out};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::c_string;
use crate::sendsafely::model::UserInfo;
use std::ffi::{c_char, CString};

/// The user of a SendSafely API key. Caller-owned (`ss_sendsafely_user_free`); immutable,
/// readable from any thread; its strings are borrowed from it.
pub struct ss_sendsafely_user {
    id: CString,
    email: CString,
    first_name: CString,
    last_name: CString,
    package_life: i64,
}

impl From<UserInfo> for ss_sendsafely_user {
    fn from(u: UserInfo) -> Self {
        ss_sendsafely_user {
            id: c_string(&u.id),
            email: c_string(&u.email),
            first_name: c_string(&u.first_name),
            last_name: c_string(&u.last_name),
            package_life: u.package_life.unwrap_or(0),
        }
    }
}

/// Reads the user the client's API key belongs to (S1): also the check of the key and secret.
///
/// `client` is borrowed; `out_user` receives the user (caller owns; `ss_sendsafely_user_free`).
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_AUTH` (key, secret or signature refused:
/// `AUTHENTICATION_FAILED` from `ss_last_error_api_code_name`), `SS_ERR_API`,
/// `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`,
/// `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_get_user(
    client: *const ss_sendsafely_client,
    out_user: *mut *mut ss_sendsafely_user,
) -> ss_result {
    call(|| {
        let out_user = out(out_user, "out_user")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let user = ss.run(&Callbacks::default(), |_| client.user_information())?;
        give(out_user, ss_sendsafely_user::from(user));
        Ok(())
    })
}

/// The user's e-mail address. Borrowed from `user`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_user_email(user: *const ss_sendsafely_user) -> *const c_char {
    borrowed(user, |u| Some(&u.email))
}

/// The user's id. Borrowed from `user`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_user_id(user: *const ss_sendsafely_user) -> *const c_char {
    borrowed(user, |u| Some(&u.id))
}

/// The user's first name ("" when unknown). Borrowed from `user`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_user_first_name(user: *const ss_sendsafely_user) -> *const c_char {
    borrowed(user, |u| Some(&u.first_name))
}

/// The user's last name ("" when unknown). Borrowed from `user`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_user_last_name(user: *const ss_sendsafely_user) -> *const c_char {
    borrowed(user, |u| Some(&u.last_name))
}

/// The default life of the user's packages in days, or 0 when the server does not say. NULL
/// gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_user_package_life(user: *const ss_sendsafely_user) -> i64 {
    value(user, 0, |u| u.package_life)
}

/// Frees a user. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_user_free(user: *mut ss_sendsafely_user) {
    guard(|| free(user))
}
