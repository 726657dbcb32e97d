//! Changing an own package from C: its life and label (S7), deleting it (S8, S9) or one of
//! its files (S25).

use super::client::ss_sendsafely_client;
use crate::ffi::boundary::call;
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{handle, text};
use crate::ffi::runtime::Callbacks;
use crate::sendsafely::client::Client;
use std::ffi::c_char;
use std::future::Future;

/// Runs one call on a package of `client` named by `package_id`.
fn on_package<'a, F>(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    make: impl FnOnce(&'a Client, &'a str) -> F,
) -> Result<(), FfiError>
where
    F: Future<Output = crate::Result<()>>,
{
    let ss = handle(client, "client")?;
    let package_id = text(package_id, "package_id")?;
    ss.run(&Callbacks::default(), |_| make(&ss.client, package_id))
}

/// Sets how many days a package lives after it is finalized (S7).
///
/// `client` is borrowed; `package_id` (e.g. from `ss_sendsafely_package_id`) is borrowed for
/// the call; `days` must be 1 to 365. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (days out of range, empty id: nothing is
/// sent), `SS_ERR_AUTH`, `SS_ERR_API` (e.g. `UNKNOWN_PACKAGE` from
/// `ss_last_error_api_code_name`), `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`,
/// `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a
/// callback, or a forked client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_update_package_life(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    days: i64,
) -> ss_result {
    call(|| on_package(client, package_id, |c, id| c.update_package_life(id, days)))
}

/// Sets a package's label, the subject its recipients see (S7).
///
/// `client` is borrowed; `package_id` and `label` are borrowed for the call (an empty label
/// clears it). Returns as `ss_sendsafely_update_package_life` (`SS_ERR_INVALID_UTF8` also for
/// `label`). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_update_package_label(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    label: *const c_char,
) -> ss_result {
    call(|| {
        let label = text(label, "label")?;
        on_package(client, package_id, |c, id| {
            c.update_package_label(id, label)
        })
    })
}

/// Deletes a package, finalized or not (S8): its recipients lose access to it.
///
/// `client` is borrowed; `package_id` is borrowed for the call. Sent again after a failure
/// (a retry that finds the package gone counts as done). Returns as
/// `ss_sendsafely_update_package_life`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_delete_package(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
) -> ss_result {
    call(|| on_package(client, package_id, |c, id| c.delete_package(id)))
}

/// Deletes a package that was never finalized (S9); a finalized one is refused with
/// `SS_ERR_API`. As `ss_sendsafely_delete_package` otherwise.
#[no_mangle]
pub extern "C" fn ss_sendsafely_delete_temporary_package(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
) -> ss_result {
    call(|| on_package(client, package_id, |c, id| c.delete_temporary_package(id)))
}

/// Deletes a file of a package and its segments (S25).
///
/// `client` is borrowed; `package_id` and `file_id` (e.g. from `ss_sendsafely_file_id` or
/// `ss_sendsafely_uploaded_file_id`) are borrowed for the call. Returns as
/// `ss_sendsafely_update_package_life` (`SS_ERR_API` with `UNKNOWN_FILE` or similar for a file
/// the package does not have). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_delete_file(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    file_id: *const c_char,
) -> ss_result {
    call(|| {
        let file_id = text(file_id, "file_id")?;
        on_package(client, package_id, |c, id| c.delete_file(id, file_id))
    })
}
