//! Adding and changing the guests of an existing SafeBox from C, with an `ss_contact_edit`.

use super::client::ss_client;
use super::contact_edit::ss_contact_edit;
use super::safebox_items::ss_participant;
use crate::ffi::boundary::call;
use crate::ffi::error::ss_result;
use crate::ffi::input::{give, handle, ids, out, text};
use crate::ffi::runtime::Callbacks;
use std::ffi::c_char;

/// Adds a guest to an existing SafeBox.
///
/// `client` and `edit` are borrowed (the edit is not changed); `guid` is borrowed for the call.
/// The edit's e-mail is required; its names, company, lock, privilege and phone numbers are sent
/// when set. `out_participant` receives the new participant (caller owns;
/// `ss_participant_free`), written only on success. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`;
/// `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` ("Participant email cannot be null", empty
/// GUID); `SS_ERR_HTTP_STATUS` (400 for an e-mail already taken, 403, 404); `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe (one `ss_client` may be shared).
#[no_mangle]
pub extern "C" fn ss_create_participant(
    client: *const ss_client,
    guid: *const c_char,
    edit: *const ss_contact_edit,
    out_participant: *mut *mut ss_participant,
) -> ss_result {
    call(|| {
        let out_participant = out(out_participant, "out_participant")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let edit = &handle(edit, "edit")?.edit;
        let participant = ss.run(&Callbacks::default(), |_| {
            client.create_participant(guid, edit)
        })?;
        give(out_participant, ss_participant::caller_owned(participant));
        Ok(())
    })
}

/// Changes a guest of a SafeBox: the fields set in `edit`, its phone numbers added and removed.
///
/// `client` and `edit` are borrowed; `guid` and `participant_id` (from `ss_participant_id`) are
/// borrowed for the call. `out_participant` receives the participant as it is now (caller owns;
/// `ss_participant_free`), written only on success. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`;
/// `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID or participant id);
/// `SS_ERR_HTTP_STATUS` (400, 403, 404 for an unknown participant); `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_update_participant(
    client: *const ss_client,
    guid: *const c_char,
    participant_id: *const c_char,
    edit: *const ss_contact_edit,
    out_participant: *mut *mut ss_participant,
) -> ss_result {
    call(|| {
        let out_participant = out(out_participant, "out_participant")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let participant_id = text(participant_id, "participant_id")?;
        let edit = &handle(edit, "edit")?.edit;
        let participant = ss.run(&Callbacks::default(), |_| {
            client.update_participant(guid, participant_id, edit)
        })?;
        give(out_participant, ss_participant::caller_owned(participant));
        Ok(())
    })
}

/// Removes phone numbers of a guest of a SafeBox.
///
/// `client` is borrowed; `guid` and `participant_id` are borrowed for the call; `ids` points to
/// `count` contact method ids (`ss_contact_method_id`), borrowed for the call (NULL is allowed
/// when `count` is 0). `out_participant` receives the participant as it is now (caller owns;
/// `ss_participant_free`), written only on success. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`
/// (also for NULL `ids` with `count` > 0); `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT`;
/// `SS_ERR_HTTP_STATUS` (400, 403, 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`.
/// Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_delete_participant_contact_methods(
    client: *const ss_client,
    guid: *const c_char,
    participant_id: *const c_char,
    ids: *const i64,
    count: usize,
    out_participant: *mut *mut ss_participant,
) -> ss_result {
    call(|| {
        let out_participant = out(out_participant, "out_participant")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let participant_id = text(participant_id, "participant_id")?;
        let ids = self::ids(ids, count, "ids")?;
        let participant = ss.run(&Callbacks::default(), |_| {
            client.delete_participant_contact_methods(guid, participant_id, ids)
        })?;
        give(out_participant, ss_participant::caller_owned(participant));
        Ok(())
    })
}
