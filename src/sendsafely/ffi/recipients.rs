//! A package's recipients from C: add one (S11) or several at once (S12, each address with its
//! own outcome), give one a phone number for SMS verification (S13), remove one (S15).
//!
//! Contact groups: the API lists no route that adds a contact group to a package (only the
//! `contactGroups` field of its information), so there is no call for them; add the group's
//! addresses with `ss_sendsafely_add_recipients`.

use super::client::ss_sendsafely_client;
use super::recipient::ss_sendsafely_recipient;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, out, text, texts};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::c_string;
use crate::sendsafely::model::RecipientOutcome;
use std::ffi::{c_char, CString};

/// Adds a recipient to a package (S11); an address already there gives that recipient.
///
/// `client` is borrowed; `package_id` and `email` are borrowed for the call; `out_recipient`
/// receives the recipient (caller owns; `ss_sendsafely_recipient_free`). Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty address
/// or id: nothing is sent), `SS_ERR_AUTH`, `SS_ERR_API` (e.g. `INVALID_EMAIL`,
/// `UNKNOWN_PACKAGE` from `ss_last_error_api_code_name`), `SS_ERR_CONNECT`, `SS_ERR_TLS`,
/// `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`,
/// `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Not sent again after a
/// failure whose outcome is unknown (it could add the recipient twice). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_add_recipient(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    email: *const c_char,
    out_recipient: *mut *mut ss_sendsafely_recipient,
) -> ss_result {
    call(|| {
        let out_recipient = out(out_recipient, "out_recipient")?;
        let ss = handle(client, "client")?;
        let package_id = text(package_id, "package_id")?;
        let email = text(email, "email")?;
        let client = &ss.client;
        let recipient = ss.run(&Callbacks::default(), |_| {
            client.add_recipient(package_id, email)
        })?;
        give(out_recipient, ss_sendsafely_recipient::from(&recipient));
        Ok(())
    })
}

/// What adding one address of several gave. Borrowed from its `ss_sendsafely_recipient_outcomes`;
/// immutable.
pub struct ss_sendsafely_recipient_outcome {
    email: CString,
    code: CString,
    message: CString,
    recipient: Option<ss_sendsafely_recipient>,
}

impl From<&RecipientOutcome> for ss_sendsafely_recipient_outcome {
    fn from(o: &RecipientOutcome) -> Self {
        ss_sendsafely_recipient_outcome {
            email: c_string(&o.email),
            code: c_string(&o.code),
            message: c_string(&o.message),
            recipient: o.recipient.as_ref().map(ss_sendsafely_recipient::from),
        }
    }
}

/// The outcomes of `ss_sendsafely_add_recipients`, one per address in the server's order.
/// Caller-owned (`ss_sendsafely_recipient_outcomes_free`); immutable, readable from any
/// thread; its items are borrowed from it.
pub struct ss_sendsafely_recipient_outcomes {
    items: Vec<ss_sendsafely_recipient_outcome>,
}

/// Adds several recipients to a package at once (S12): each address has its own outcome (an
/// invalid one does not refuse the others).
///
/// `client` is borrowed; `package_id` and the `count` strings of `emails` are borrowed for the
/// call (`count` must be at least 1); `out_outcomes` receives the outcomes (caller owns;
/// `ss_sendsafely_recipient_outcomes_free`). Returns `SS_OK` (even when some addresses were
/// refused: read each outcome's code), `SS_ERR_NULL_ARGUMENT` (also a NULL item, named
/// `emails[i]`), `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (no address, an empty id:
/// nothing is sent), and the errors of `ss_sendsafely_add_recipient`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_add_recipients(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    emails: *const *const c_char,
    count: usize,
    out_outcomes: *mut *mut ss_sendsafely_recipient_outcomes,
) -> ss_result {
    call(|| {
        let out_outcomes = out(out_outcomes, "out_outcomes")?;
        let ss = handle(client, "client")?;
        let package_id = text(package_id, "package_id")?;
        let emails = texts(emails, count, "emails")?;
        let client = &ss.client;
        let outcomes = ss.run(&Callbacks::default(), |_| {
            client.add_recipients(package_id, &emails)
        })?;
        let items = outcomes.iter().map(Into::into).collect();
        give(out_outcomes, ss_sendsafely_recipient_outcomes { items });
        Ok(())
    })
}

/// How many outcomes there are. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_outcomes_count(
    outcomes: *const ss_sendsafely_recipient_outcomes,
) -> usize {
    value(outcomes, 0, |o| o.items.len())
}

/// Outcome `index` (0 first). Borrowed from `outcomes`; NULL or out of range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_outcomes_at(
    outcomes: *const ss_sendsafely_recipient_outcomes,
    index: usize,
) -> *const ss_sendsafely_recipient_outcome {
    item_at(outcomes, index, |o| &o.items)
}

/// The address this outcome is about. Borrowed from `outcome`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_outcome_email(
    outcome: *const ss_sendsafely_recipient_outcome,
) -> *const c_char {
    borrowed(outcome, |o| Some(&o.email))
}

/// The server's code for this address: `SUCCESS` when added (or already there), else its
/// refusal (e.g. `INVALID_EMAIL`). Borrowed from `outcome`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_outcome_code(
    outcome: *const ss_sendsafely_recipient_outcome,
) -> *const c_char {
    borrowed(outcome, |o| Some(&o.code))
}

/// The server's message for this address ("" when none). Borrowed from `outcome`; NULL gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_outcome_message(
    outcome: *const ss_sendsafely_recipient_outcome,
) -> *const c_char {
    borrowed(outcome, |o| Some(&o.message))
}

/// The recipient added, or NULL when the address was refused (or NULL `outcome`). Borrowed
/// from `outcome` (never pass it to `ss_sendsafely_recipient_free`).
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_outcome_recipient(
    outcome: *const ss_sendsafely_recipient_outcome,
) -> *const ss_sendsafely_recipient {
    guard(|| {
        handle(outcome, "outcome")
            .ok()
            .and_then(|o| o.recipient.as_ref())
            .map_or(std::ptr::null(), |r| r as *const _)
    })
}

/// Frees outcomes and everything borrowed from them. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_outcomes_free(
    outcomes: *mut ss_sendsafely_recipient_outcomes,
) {
    guard(|| free(outcomes))
}

/// Gives a recipient the phone number it verifies by SMS (S13).
///
/// `client` is borrowed; `package_id`, `recipient_id` (from `ss_sendsafely_recipient_id`),
/// `phone_number` (as the user writes it, e.g. `(555) 555-0100`) and `country` are borrowed
/// for the call. `country` is the number's country as an upper-case ISO-2 code (`US`, `GB`:
/// the server knows its calling code), or `OTHER` with a number written `+` and its calling
/// code first. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`,
/// `SS_ERR_INVALID_ARGUMENT` (a number without a digit, a country that is neither, `OTHER`
/// without `+`, empty ids: nothing is sent), and the errors of `ss_sendsafely_add_recipient`
/// (`SS_ERR_API` with e.g. `INVALID_RECIPIENT`). Sent again after a failure (an overwrite).
/// Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_update_recipient_phone(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    recipient_id: *const c_char,
    phone_number: *const c_char,
    country: *const c_char,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let package_id = text(package_id, "package_id")?;
        let recipient_id = text(recipient_id, "recipient_id")?;
        let number = text(phone_number, "phone_number")?;
        let country = text(country, "country")?;
        let client = &ss.client;
        ss.run(&Callbacks::default(), |_| {
            client.update_recipient_phone(package_id, recipient_id, number, country)
        })
    })
}

/// Removes a recipient from a package (S15).
///
/// `client` is borrowed; `package_id` and `recipient_id` are borrowed for the call. Returns
/// `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty
/// ids), and the errors of `ss_sendsafely_add_recipient`. Sent again after a failure. Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_remove_recipient(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    recipient_id: *const c_char,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let package_id = text(package_id, "package_id")?;
        let recipient_id = text(recipient_id, "recipient_id")?;
        let client = &ss.client;
        ss.run(&Callbacks::default(), |_| {
            client.remove_recipient(package_id, recipient_id)
        })
    })
}
