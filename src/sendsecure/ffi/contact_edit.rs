//! The `ss_contact_edit` builder from C: what to set on a participant or a favorite when it is
//! created or changed.

use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::input::{free, give, handle_mut, invalid, opt_text, out, text};
use crate::sendsecure::model::{ContactEdit, DestinationType};
use std::ffi::c_char;

/// What to set on a participant or a favorite: fields left unset are left as they are by an
/// update (and absent on creation). Caller-owned (`ss_contact_edit_free`); used by one thread
/// at a time; only read by the calls it is passed to.
pub struct ss_contact_edit {
    pub(super) edit: ContactEdit,
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
