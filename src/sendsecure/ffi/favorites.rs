//! The user's favorite contacts from C: reading, adding, changing and deleting them.
//!
//! These are user-level calls: they need `ss_client_options.user_id` (from
//! `ss_user_token_user_id`), else the core refuses them with `SS_ERR_INVALID_ARGUMENT`.

use super::client::ss_client;
use super::contact_edit::ss_contact_edit;
use super::safebox_items::ss_contact_method;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, ids, out};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, JsonText};
use crate::sendsecure::model::Favorite;
use std::ffi::{c_char, CString};

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
