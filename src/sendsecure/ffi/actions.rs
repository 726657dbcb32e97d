//! Changing an existing SafeBox from C: add time, close, delete its content, mark read or
//! unread, archive, follow.
//!
//! A refusal (`{"result":false,"message":"Unable to close the SafeBox."}`, with an error status
//! or with 200) is `SS_ERR_HTTP_STATUS`: the server's message is in `ss_last_error_message`, its
//! body in `ss_last_error_body`.

use super::client::ss_client;
use crate::ffi::boundary::call;
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{handle, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::c_string;
use crate::sendsecure::model::TimeUnit;
use crate::Client;
use std::ffi::c_char;
use std::future::Future;

/// Runs one action on the SafeBox `guid` (checked here) of `client`.
fn act<'a, T, F>(
    client: *const ss_client,
    guid: *const c_char,
    action: impl FnOnce(&'a Client, &'a str) -> F,
) -> Result<T, FfiError>
where
    F: Future<Output = crate::Result<T>>,
{
    let ss = handle(client, "client")?;
    let client = &ss.client;
    let guid = text(guid, "guid")?;
    ss.run(&Callbacks::default(), |_| action(client, guid))
}

/// Extends a SafeBox's life by `value` units of `unit` ("hours", "days", "weeks" or "months").
///
/// `client` is borrowed; `guid` and `unit` are borrowed for the call. When `out_new_expiration`
/// is not NULL it receives the new expiration date (ISO 8601), which the caller owns and frees
/// with `ss_string_free`; it is written only on success. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT` (NULL `client`, `guid` or `unit`); `SS_ERR_INVALID_UTF8`;
/// `SS_ERR_INVALID_ARGUMENT` (`value` < 1, unknown unit, empty GUID); `SS_ERR_HTTP_STATUS`
/// (refused, e.g. "Unable to extend the SafeBox duration." for a closed SafeBox; 403; 404);
/// `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe (one `ss_client` may be
/// shared). Blocks.
#[no_mangle]
pub extern "C" fn ss_add_time(
    client: *const ss_client,
    guid: *const c_char,
    value: i64,
    unit: *const c_char,
    out_new_expiration: *mut *mut c_char,
) -> ss_result {
    call(|| {
        let unit = TimeUnit::parse(text(unit, "unit")?).ok_or_else(|| {
            FfiError::new(
                ss_result::SS_ERR_INVALID_ARGUMENT,
                "Invalid time unit: use hours, days, weeks or months",
            )
        })?;
        let expiration = act(client, guid, |c, guid| c.add_time(guid, value, unit))?;
        if !out_new_expiration.is_null() {
            // SAFETY: checked non-NULL; the caller passes storage for one pointer.
            unsafe { *out_new_expiration = c_string(&expiration).into_raw() };
        }
        Ok(())
    })
}

/// Closes a SafeBox: only an open one whose security options allow it.
///
/// `client` is borrowed; `guid` is borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (refused: "Unable to close the SafeBox." when already closed or not
/// allowed; 403; 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe.
/// Blocks.
#[no_mangle]
pub extern "C" fn ss_close_safebox(client: *const ss_client, guid: *const c_char) -> ss_result {
    call(|| act(client, guid, |c, guid| c.close_safebox(guid)))
}

/// Deletes the content (messages' documents) of a closed SafeBox whose security options allow
/// it.
///
/// `client` is borrowed; `guid` is borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (refused: "Unable to delete the SafeBox content." when still open or
/// not allowed; 403; 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe.
/// Blocks.
#[no_mangle]
pub extern "C" fn ss_delete_safebox_content(
    client: *const ss_client,
    guid: *const c_char,
) -> ss_result {
    call(|| act(client, guid, |c, guid| c.delete_safebox_content(guid)))
}

/// Marks every message of a SafeBox read.
///
/// `client` is borrowed; `guid` is borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (refused, e.g. content deleted; 403; 404); `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_mark_as_read(client: *const ss_client, guid: *const c_char) -> ss_result {
    call(|| act(client, guid, |c, guid| c.mark_as_read(guid)))
}

/// Marks every message of a SafeBox unread.
///
/// `client` is borrowed; `guid` is borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (refused, e.g. content deleted; 403; 404); `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_mark_as_unread(client: *const ss_client, guid: *const c_char) -> ss_result {
    call(|| act(client, guid, |c, guid| c.mark_as_unread(guid)))
}

/// Marks one message of a SafeBox read.
///
/// `client` is borrowed; `guid` is borrowed for the call; `message_id` is a message's id (from
/// the SafeBox's messages). Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`;
/// `SS_ERR_INVALID_ARGUMENT` (`message_id` < 1, empty GUID); `SS_ERR_HTTP_STATUS` (refused:
/// unknown message; 403; 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`.
/// Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_mark_message_read(
    client: *const ss_client,
    guid: *const c_char,
    message_id: i64,
) -> ss_result {
    call(|| {
        act(client, guid, |c, guid| {
            c.mark_message_read(guid, message_id)
        })
    })
}

/// Marks one message of a SafeBox unread.
///
/// `client` is borrowed; `guid` is borrowed for the call; `message_id` is a message's id.
/// Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT`
/// (`message_id` < 1, empty GUID); `SS_ERR_HTTP_STATUS` (refused: unknown message; 403; 404);
/// `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_mark_message_unread(
    client: *const ss_client,
    guid: *const c_char,
    message_id: i64,
) -> ss_result {
    call(|| {
        act(client, guid, |c, guid| {
            c.mark_message_unread(guid, message_id)
        })
    })
}

/// Moves a SafeBox to the archive of the user `user_email` (tags it "archive").
///
/// `client` is borrowed; `guid` and `user_email` are borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID or
/// e-mail); `SS_ERR_HTTP_STATUS` (refused; 403; 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_archive_safebox(
    client: *const ss_client,
    guid: *const c_char,
    user_email: *const c_char,
) -> ss_result {
    call(|| {
        let email = text(user_email, "user_email")?;
        act(client, guid, |c, guid| c.archive_safebox(guid, email))
    })
}

/// Takes a SafeBox out of the archive of the user `user_email`.
///
/// `client` is borrowed; `guid` and `user_email` are borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID or
/// e-mail); `SS_ERR_HTTP_STATUS` (refused; 403; 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_unarchive_safebox(
    client: *const ss_client,
    guid: *const c_char,
    user_email: *const c_char,
) -> ss_result {
    call(|| {
        let email = text(user_email, "user_email")?;
        act(client, guid, |c, guid| c.unarchive_safebox(guid, email))
    })
}

/// Follows a SafeBox: its owner gets notified of its activity (new SafeBoxes are followed).
///
/// `client` is borrowed; `guid` is borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (refused; 403; 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_follow_safebox(client: *const ss_client, guid: *const c_char) -> ss_result {
    call(|| act(client, guid, |c, guid| c.follow_safebox(guid)))
}

/// Stops following a SafeBox.
///
/// `client` is borrowed; `guid` is borrowed for the call. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (refused; 403; 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_unfollow_safebox(client: *const ss_client, guid: *const c_char) -> ss_result {
    call(|| act(client, guid, |c, guid| c.unfollow_safebox(guid)))
}
