//! People from C: the `ss_contact_edit` builder, adding and changing the participants of a
//! SafeBox, the user's favorites, the recipient search and consent message groups.
//!
//! Favorites, the recipient search's favorites and the user settings are user-level calls: they
//! need `ss_client_options.user_id` (from `ss_user_token_user_id`), else the core refuses them
//! with `SS_ERR_INVALID_ARGUMENT`.

use super::client::ss_client;
use super::safebox_items::{borrowed, item_at, ss_contact_method, ss_participant, value};
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{free, give, handle, handle_mut, opt_text, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, JsonText};
use crate::sendsecure::model::{
    ConsentGroup, ContactEdit, DestinationType, Favorite, RecipientMatch,
};
use std::ffi::{c_char, CString};

fn invalid(message: impl Into<String>) -> FfiError {
    FfiError::new(ss_result::SS_ERR_INVALID_ARGUMENT, message)
}

/// Reads an array of `count` ids; NULL is allowed when `count` is 0.
fn ids<'a>(p: *const i64, count: usize, name: &str) -> Result<&'a [i64], FfiError> {
    if count == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(FfiError::new(
            ss_result::SS_ERR_NULL_ARGUMENT,
            format!("`{name}` is NULL but its count is {count}"),
        ));
    }
    if count > isize::MAX as usize / std::mem::size_of::<i64>() {
        return Err(invalid(format!("`{name}` count {count} is too large")));
    }
    // SAFETY: the caller passes `count` readable ids at `p`, alive for the call.
    Ok(unsafe { std::slice::from_raw_parts(p, count) })
}

/// What to set on a participant or a favorite: fields left unset are left as they are by an
/// update (and absent on creation). Caller-owned (`ss_contact_edit_free`); used by one thread
/// at a time; only read by the calls it is passed to.
pub struct ss_contact_edit {
    edit: ContactEdit,
}

/// Creates an empty contact edit.
///
/// `out_edit` receives it (caller owns; `ss_contact_edit_free`). Returns `SS_OK` or
/// `SS_ERR_NULL_ARGUMENT`. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_contact_edit_new(out_edit: *mut *mut ss_contact_edit) -> ss_result {
    call(|| {
        let out_edit = out(out_edit, "out_edit")?;
        give(
            out_edit,
            ss_contact_edit {
                edit: ContactEdit::default(),
            },
        );
        Ok(())
    })
}

/// Frees a contact edit. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_contact_edit_free(edit: *mut ss_contact_edit) {
    guard(|| free(edit))
}

/// Sets the e-mail address (required to create a participant or a favorite).
///
/// `value` is copied; NULL unsets it (an update then leaves the e-mail as it is). Returns
/// `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `edit`) or `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_email(
    edit: *mut ss_contact_edit,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let e = handle_mut(edit, "edit")?;
        e.edit.email = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Sets the first name.
///
/// `value` is copied; NULL unsets it (an update then leaves the first name as it is). Returns
/// `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `edit`) or `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_first_name(
    edit: *mut ss_contact_edit,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let e = handle_mut(edit, "edit")?;
        e.edit.first_name = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Sets the last name.
///
/// `value` is copied; NULL unsets it (an update then leaves the last name as it is). Returns
/// `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `edit`) or `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_last_name(
    edit: *mut ss_contact_edit,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let e = handle_mut(edit, "edit")?;
        e.edit.last_name = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Sets the company name.
///
/// `value` is copied; NULL unsets it (an update then leaves the company name as it is).
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `edit`) or `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_company_name(
    edit: *mut ss_contact_edit,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let e = handle_mut(edit, "edit")?;
        e.edit.company_name = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Locks a guest out of the SafeBox (true) or lets them back in (false). Participants only:
/// favorites ignore it.
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_locked(
    edit: *mut ss_contact_edit,
    locked: bool,
) -> ss_result {
    call(|| {
        handle_mut(edit, "edit")?.edit.locked = Some(locked);
        Ok(())
    })
}

/// Makes a guest privileged (true) or an ordinary guest again (false). Participants only:
/// favorites ignore it (see `ss_contact_edit_set_always_promote`).
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_privileged(
    edit: *mut ss_contact_edit,
    privileged: bool,
) -> ss_result {
    call(|| {
        handle_mut(edit, "edit")?.edit.privileged = Some(privileged);
        Ok(())
    })
}

/// Sets whether a favorite is made a privileged participant whenever it is added to a SafeBox.
/// Favorites only: participants ignore it.
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_always_promote(
    edit: *mut ss_contact_edit,
    always_promote: bool,
) -> ss_result {
    call(|| {
        handle_mut(edit, "edit")?.edit.always_promote = Some(always_promote);
        Ok(())
    })
}

/// Sets a favorite's position in the user's list. Favorites only: participants ignore it.
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_contact_edit_set_order_number(
    edit: *mut ss_contact_edit,
    order_number: i64,
) -> ss_result {
    call(|| {
        handle_mut(edit, "edit")?.edit.order_number = Some(order_number);
        Ok(())
    })
}

/// Adds a phone number: `destination` (copied) of kind `destination_type` (an
/// `ss_destination_type` value: 0 home, 1 cell, 2 office, 3 other).
///
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`
/// (empty destination or unknown type).
#[no_mangle]
pub extern "C" fn ss_contact_edit_add_contact_method(
    edit: *mut ss_contact_edit,
    destination: *const c_char,
    destination_type: u32,
) -> ss_result {
    call(|| {
        let e = handle_mut(edit, "edit")?;
        let destination = text(destination, "destination")?;
        if destination.trim().is_empty() {
            return Err(invalid("Contact method destination cannot be empty"));
        }
        let kind = match destination_type {
            0 => DestinationType::Home,
            1 => DestinationType::Cell,
            2 => DestinationType::Office,
            3 => DestinationType::Other,
            other => return Err(invalid(format!("unknown destination type {other}"))),
        };
        e.edit.add_phone(destination, kind);
        Ok(())
    })
}

/// Removes a stored phone number by its id (`ss_contact_method_id`).
///
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_ARGUMENT` (`id` not positive).
#[no_mangle]
pub extern "C" fn ss_contact_edit_remove_contact_method(
    edit: *mut ss_contact_edit,
    id: i64,
) -> ss_result {
    call(|| {
        let e = handle_mut(edit, "edit")?;
        if id <= 0 {
            return Err(invalid(format!(
                "contact method id must be positive, not {id}"
            )));
        }
        e.edit.remove_contact_methods.push(id);
        Ok(())
    })
}

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
        give(out_participant, ss_participant::from(participant));
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
        give(out_participant, ss_participant::from(participant));
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
        give(out_participant, ss_participant::from(participant));
        Ok(())
    })
}

/// A favorite contact of the user. Either borrowed from a favorite list (never free it), or
/// returned alone by `ss_create_favorite`, `ss_update_favorite` or
/// `ss_delete_favorite_contact_methods` (the caller frees it with `ss_favorite_free`).
/// Immutable: may be read from any thread.
pub struct ss_favorite {
    id: i64,
    email: CString,
    first_name: CString,
    last_name: CString,
    company_name: CString,
    order_number: i64,
    always_promote: bool,
    contact_methods: Vec<ss_contact_method>,
    json: JsonText,
}

impl From<Favorite> for ss_favorite {
    fn from(f: Favorite) -> Self {
        ss_favorite {
            id: f.id,
            email: c_string(&f.email),
            first_name: c_string(&f.first_name),
            last_name: c_string(&f.last_name),
            company_name: c_string(&f.company_name),
            order_number: f.order_number,
            always_promote: f.always_promote,
            contact_methods: f.contact_methods.iter().map(Into::into).collect(),
            json: JsonText::new(f.raw),
        }
    }
}

/// The user's favorites. Caller-owned (`ss_favorite_list_free`); immutable, readable from any
/// thread.
pub struct ss_favorite_list {
    items: Vec<ss_favorite>,
}

/// Reads the user's favorites. Needs `ss_client_options.user_id`.
///
/// `client` is borrowed. `out_list` receives the list (caller owns; `ss_favorite_list_free`),
/// written only on success. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_ARGUMENT`
/// (the client has no user id); `SS_ERR_HTTP_STATUS` (403 for another user); `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_favorites(
    client: *const ss_client,
    out_list: *mut *mut ss_favorite_list,
) -> ss_result {
    call(|| {
        let out_list = out(out_list, "out_list")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let favorites = ss.run(&Callbacks::default(), |_| client.get_favorites())?;
        give(
            out_list,
            ss_favorite_list {
                items: favorites.into_iter().map(Into::into).collect(),
            },
        );
        Ok(())
    })
}

/// The number of favorites in a list. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_list_count(list: *const ss_favorite_list) -> usize {
    value(list, 0, |l| l.items.len())
}

/// The favorite at `index`, or NULL when out of range (or `list` is NULL). Borrowed: valid
/// until the list is freed; never free it (not with `ss_favorite_free` either). Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_list_at(
    list: *const ss_favorite_list,
    index: usize,
) -> *const ss_favorite {
    item_at(list, index, |l| &l.items)
}

/// Frees a favorite list and the favorites in it. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_favorite_list_free(list: *mut ss_favorite_list) {
    guard(|| free(list))
}

/// A favorite's id. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_id(favorite: *const ss_favorite) -> i64 {
    value(favorite, 0, |f| f.id)
}

/// A favorite's e-mail address. Borrowed: valid as long as the favorite; never free it. NULL
/// gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_email(favorite: *const ss_favorite) -> *const c_char {
    borrowed(favorite, |f| Some(&f.email))
}

/// A favorite's first name ("" when none). Borrowed: valid as long as the favorite; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_first_name(favorite: *const ss_favorite) -> *const c_char {
    borrowed(favorite, |f| Some(&f.first_name))
}

/// A favorite's last name ("" when none). Borrowed: valid as long as the favorite; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_last_name(favorite: *const ss_favorite) -> *const c_char {
    borrowed(favorite, |f| Some(&f.last_name))
}

/// A favorite's company name ("" when none). Borrowed: valid as long as the favorite; never
/// free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_company_name(favorite: *const ss_favorite) -> *const c_char {
    borrowed(favorite, |f| Some(&f.company_name))
}

/// A favorite's position in the user's list. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_order_number(favorite: *const ss_favorite) -> i64 {
    value(favorite, 0, |f| f.order_number)
}

/// Whether a favorite is made a privileged participant whenever it is added to a SafeBox. NULL
/// gives false. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_always_promote(favorite: *const ss_favorite) -> bool {
    value(favorite, false, |f| f.always_promote)
}

/// The number of a favorite's contact methods (phone numbers). NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_contact_method_count(favorite: *const ss_favorite) -> usize {
    value(favorite, 0, |f| f.contact_methods.len())
}

/// The contact method at `index`, or NULL when out of range (or `favorite` is NULL). Borrowed:
/// valid as long as the favorite; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_contact_method_at(
    favorite: *const ss_favorite,
    index: usize,
) -> *const ss_contact_method {
    item_at(favorite, index, |f| &f.contact_methods)
}

/// A favorite as the server sent it (JSON). Borrowed: valid as long as the favorite; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_favorite_to_json(favorite: *const ss_favorite) -> *const c_char {
    borrowed(favorite, |f| Some(f.json.get()))
}

/// Frees a favorite returned alone by `ss_create_favorite`, `ss_update_favorite` or
/// `ss_delete_favorite_contact_methods`. Never pass one borrowed from a list
/// (`ss_favorite_list_at`). NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_favorite_free(favorite: *mut ss_favorite) {
    guard(|| free(favorite))
}

/// Adds a favorite to the user's list. Needs `ss_client_options.user_id`.
///
/// `client` and `edit` are borrowed (the edit is not changed). The edit's e-mail is required;
/// its names, company, order number, `always_promote` and phone numbers are sent when set.
/// `out_favorite` receives the new favorite (caller owns; `ss_favorite_free`), written only on
/// success.
/// Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_ARGUMENT` ("Favorite email cannot be
/// null", no user id); `SS_ERR_HTTP_STATUS` (400, 403); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_create_favorite(
    client: *const ss_client,
    edit: *const ss_contact_edit,
    out_favorite: *mut *mut ss_favorite,
) -> ss_result {
    call(|| {
        let out_favorite = out(out_favorite, "out_favorite")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let edit = &handle(edit, "edit")?.edit;
        let favorite = ss.run(&Callbacks::default(), |_| client.create_favorite(edit))?;
        give(out_favorite, ss_favorite::from(favorite));
        Ok(())
    })
}

/// Changes a favorite: the fields set in `edit`, its phone numbers added and removed. Needs
/// `ss_client_options.user_id`.
///
/// `client` and `edit` are borrowed. `out_favorite` receives the favorite as it is now (caller
/// owns; `ss_favorite_free`), written only on success. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`;
/// `SS_ERR_INVALID_ARGUMENT` (`favorite_id` not positive, no user id); `SS_ERR_HTTP_STATUS`
/// (400, 403, 404 for an unknown favorite); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_update_favorite(
    client: *const ss_client,
    favorite_id: i64,
    edit: *const ss_contact_edit,
    out_favorite: *mut *mut ss_favorite,
) -> ss_result {
    call(|| {
        let out_favorite = out(out_favorite, "out_favorite")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let edit = &handle(edit, "edit")?.edit;
        let favorite = ss.run(&Callbacks::default(), |_| {
            client.update_favorite(favorite_id, edit)
        })?;
        give(out_favorite, ss_favorite::from(favorite));
        Ok(())
    })
}

/// Removes phone numbers of a favorite. Needs `ss_client_options.user_id`.
///
/// `client` is borrowed; `ids` points to `count` contact method ids (`ss_contact_method_id`),
/// borrowed for the call (NULL is allowed when `count` is 0). `out_favorite` receives the
/// favorite as it is now (caller owns; `ss_favorite_free`), written only on success. Returns
/// `SS_OK`; `SS_ERR_NULL_ARGUMENT` (also for NULL `ids` with `count` > 0);
/// `SS_ERR_INVALID_ARGUMENT` (`favorite_id` not positive, no user id); `SS_ERR_HTTP_STATUS`
/// (400, 403, 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_delete_favorite_contact_methods(
    client: *const ss_client,
    favorite_id: i64,
    ids: *const i64,
    count: usize,
    out_favorite: *mut *mut ss_favorite,
) -> ss_result {
    call(|| {
        let out_favorite = out(out_favorite, "out_favorite")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let ids = self::ids(ids, count, "ids")?;
        let favorite = ss.run(&Callbacks::default(), |_| {
            client.delete_favorite_contact_methods(favorite_id, ids)
        })?;
        give(out_favorite, ss_favorite::from(favorite));
        Ok(())
    })
}

/// Deletes a favorite. Needs `ss_client_options.user_id`.
///
/// `client` is borrowed. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_ARGUMENT`
/// (`favorite_id` not positive, no user id); `SS_ERR_HTTP_STATUS` (403, 404 for an unknown
/// favorite); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_delete_favorite(client: *const ss_client, favorite_id: i64) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let client = &ss.client;
        ss.run(&Callbacks::default(), |_| {
            client.delete_favorite(favorite_id)
        })
    })
}

/// A result of the recipient search. Borrowed from its list: never free it. Immutable: may be
/// read from any thread.
pub struct ss_recipient_match {
    id: i64,
    kind: CString,
    email: CString,
    first_name: CString,
    last_name: CString,
    company_name: CString,
}

impl From<&RecipientMatch> for ss_recipient_match {
    fn from(m: &RecipientMatch) -> Self {
        ss_recipient_match {
            id: m.id,
            kind: c_string(&m.kind),
            email: c_string(&m.email),
            first_name: c_string(&m.first_name),
            last_name: c_string(&m.last_name),
            company_name: c_string(&m.company_name),
        }
    }
}

/// The results of a recipient search. Caller-owned (`ss_recipient_match_list_free`); immutable,
/// readable from any thread.
pub struct ss_recipient_match_list {
    items: Vec<ss_recipient_match>,
}

/// Searches the user's favorites and the enterprise's users whose name or e-mail contains
/// `term`.
///
/// `client` is borrowed; `term` is borrowed for the call. `out_list` receives the results
/// (caller owns; `ss_recipient_match_list_free`), written only on success. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (blank term:
/// "Search term cannot be null"); `SS_ERR_HTTP_STATUS`; `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_search_recipient(
    client: *const ss_client,
    term: *const c_char,
    out_list: *mut *mut ss_recipient_match_list,
) -> ss_result {
    call(|| {
        let out_list = out(out_list, "out_list")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let term = text(term, "term")?;
        let matches = ss.run(&Callbacks::default(), |_| client.search_recipient(term))?;
        give(
            out_list,
            ss_recipient_match_list {
                items: matches.iter().map(Into::into).collect(),
            },
        );
        Ok(())
    })
}

/// The number of results in a list. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_list_count(list: *const ss_recipient_match_list) -> usize {
    value(list, 0, |l| l.items.len())
}

/// The result at `index`, or NULL when out of range (or `list` is NULL). Borrowed: valid until
/// the list is freed; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_list_at(
    list: *const ss_recipient_match_list,
    index: usize,
) -> *const ss_recipient_match {
    item_at(list, index, |l| &l.items)
}

/// Frees a list of search results. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_recipient_match_list_free(list: *mut ss_recipient_match_list) {
    guard(|| free(list))
}

/// A result's id: a favorite id (`ss_update_favorite`) or a user id, after its type. NULL
/// gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_id(result: *const ss_recipient_match) -> i64 {
    value(result, 0, |m| m.id)
}

/// What a result is: "favorite" or "user". Borrowed: valid until its list is freed; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_type(result: *const ss_recipient_match) -> *const c_char {
    borrowed(result, |m| Some(&m.kind))
}

/// A result's e-mail address. Borrowed: valid until its list is freed; never free it. NULL
/// gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_email(result: *const ss_recipient_match) -> *const c_char {
    borrowed(result, |m| Some(&m.email))
}

/// A result's first name ("" when none). Borrowed: valid until its list is freed; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_first_name(
    result: *const ss_recipient_match,
) -> *const c_char {
    borrowed(result, |m| Some(&m.first_name))
}

/// A result's last name ("" when none). Borrowed: valid until its list is freed; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_last_name(result: *const ss_recipient_match) -> *const c_char {
    borrowed(result, |m| Some(&m.last_name))
}

/// A result's company name ("" when none). Borrowed: valid until its list is freed; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_recipient_match_company_name(
    result: *const ss_recipient_match,
) -> *const c_char {
    borrowed(result, |m| Some(&m.company_name))
}

/// A consent message group: the consent text a guest accepts, per locale. Caller-owned
/// (`ss_consent_group_free`); immutable, readable from any thread.
pub struct ss_consent_group {
    id: i64,
    name: CString,
    messages: Vec<(CString, CString)>,
}

impl From<&ConsentGroup> for ss_consent_group {
    fn from(g: &ConsentGroup) -> Self {
        ss_consent_group {
            id: g.id,
            name: c_string(&g.name),
            messages: g
                .messages
                .iter()
                .map(|(locale, text)| (c_string(locale), c_string(text)))
                .collect(),
        }
    }
}

/// Reads the consent texts of a consent group (the id comes from a SafeBox's security options
/// or a security profile's `consent_group_id`).
///
/// `client` is borrowed. `out_group` receives the group (caller owns; `ss_consent_group_free`),
/// written only on success. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_HTTP_STATUS` (404
/// for an unknown group, 403); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_consent_group_messages(
    client: *const ss_client,
    consent_group_id: i64,
    out_group: *mut *mut ss_consent_group,
) -> ss_result {
    call(|| {
        let out_group = out(out_group, "out_group")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let group = ss.run(&Callbacks::default(), |_| {
            client.get_consent_group_messages(consent_group_id)
        })?;
        give(out_group, ss_consent_group::from(&group));
        Ok(())
    })
}

/// A consent group's id. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_consent_group_id(group: *const ss_consent_group) -> i64 {
    value(group, 0, |g| g.id)
}

/// A consent group's name. Borrowed: valid until `ss_consent_group_free`; never free it. NULL
/// gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_consent_group_name(group: *const ss_consent_group) -> *const c_char {
    borrowed(group, |g| Some(&g.name))
}

/// The number of consent texts (one per locale). NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_consent_group_message_count(group: *const ss_consent_group) -> usize {
    value(group, 0, |g| g.messages.len())
}

/// The locale (e.g. "en", "fr") of the consent text at `index`, or NULL when out of range (or
/// `group` is NULL). Borrowed: valid until `ss_consent_group_free`; never free it.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_consent_group_message_locale_at(
    group: *const ss_consent_group,
    index: usize,
) -> *const c_char {
    borrowed(group, |g| g.messages.get(index).map(|(locale, _)| locale))
}

/// The consent text at `index`, or NULL when out of range (or `group` is NULL). Borrowed: valid
/// until `ss_consent_group_free`; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_consent_group_message_text_at(
    group: *const ss_consent_group,
    index: usize,
) -> *const c_char {
    borrowed(group, |g| g.messages.get(index).map(|(_, text)| text))
}

/// Frees a consent group. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_consent_group_free(group: *mut ss_consent_group) {
    guard(|| free(group))
}
