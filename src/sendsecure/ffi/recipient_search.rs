//! The recipient search from C: the user's favorites and the enterprise's users matching a text.
//!
//! Its favorites need `ss_client_options.user_id` (from `ss_user_token_user_id`).

use super::client::ss_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::c_string;
use crate::sendsecure::model::RecipientMatch;
use std::ffi::{c_char, CString};

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
