//! Consent message groups from C: the consent text a guest accepts, per locale.

use super::client::ss_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, value};
use crate::ffi::input::{free, give, handle, out};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::c_string;
use crate::sendsecure::model::ConsentGroup;
use std::ffi::{c_char, CString};

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
