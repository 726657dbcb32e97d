//! `ss_sendsafely_recipient`: a recipient of a package, with its phone numbers.

use crate::ffi::getters::{borrowed, value};
use crate::ffi::strings::c_string;
use crate::sendsafely::model::Recipient;
use std::ffi::{c_char, CString};

/// A phone number of a recipient (for SMS verification).
struct Phone {
    number: CString,
    country_code: i64,
}

/// A recipient of a package. Borrowed from the handle that lists it (a package information),
/// or caller-owned when a function says so (`ss_sendsafely_recipient_free`); immutable,
/// readable from any thread; its strings are borrowed from it.
pub struct ss_sendsafely_recipient {
    id: CString,
    email: CString,
    full_name: CString,
    role_name: CString,
    needs_approval: bool,
    sms_auth: bool,
    phones: Vec<Phone>,
}

impl From<&Recipient> for ss_sendsafely_recipient {
    fn from(r: &Recipient) -> Self {
        ss_sendsafely_recipient {
            id: c_string(&r.recipient_id),
            email: c_string(&r.email),
            full_name: c_string(&r.full_name),
            role_name: c_string(&r.role_name),
            needs_approval: r.needs_approval,
            sms_auth: r.sms_auth,
            phones: r
                .phone_numbers
                .iter()
                .map(|p| Phone {
                    number: c_string(&p.number),
                    country_code: p.country_code.unwrap_or(0),
                })
                .collect(),
        }
    }
}

/// The recipient's id. Borrowed from `recipient`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_id(
    recipient: *const ss_sendsafely_recipient,
) -> *const c_char {
    borrowed(recipient, |r| Some(&r.id))
}

/// The recipient's e-mail address. Borrowed from `recipient`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_email(
    recipient: *const ss_sendsafely_recipient,
) -> *const c_char {
    borrowed(recipient, |r| Some(&r.email))
}

/// The recipient's full name ("" when unknown). Borrowed from `recipient`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_full_name(
    recipient: *const ss_sendsafely_recipient,
) -> *const c_char {
    borrowed(recipient, |r| Some(&r.full_name))
}

/// The recipient's Workspace role (e.g. `VIEWER`; "" for a package's recipient). Borrowed
/// from `recipient`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_role(
    recipient: *const ss_sendsafely_recipient,
) -> *const c_char {
    borrowed(recipient, |r| Some(&r.role_name))
}

/// Whether an approver must release the package to this recipient. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_needs_approval(
    recipient: *const ss_sendsafely_recipient,
) -> bool {
    value(recipient, false, |r| r.needs_approval)
}

/// Whether the recipient verifies with an SMS code. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_sms_auth(
    recipient: *const ss_sendsafely_recipient,
) -> bool {
    value(recipient, false, |r| r.sms_auth)
}

/// How many phone numbers the recipient has. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_phone_count(
    recipient: *const ss_sendsafely_recipient,
) -> usize {
    value(recipient, 0, |r| r.phones.len())
}

/// Phone number `index` (0 first) of the recipient, as the server writes it. Borrowed from
/// `recipient`; NULL or an index out of range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_phone_number(
    recipient: *const ss_sendsafely_recipient,
    index: usize,
) -> *const c_char {
    borrowed(recipient, |r| r.phones.get(index).map(|p| &p.number))
}

/// The country calling code of phone number `index` (e.g. 1, 44), 0 when unknown, NULL or
/// out of range.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_phone_country_code(
    recipient: *const ss_sendsafely_recipient,
    index: usize,
) -> i64 {
    value(recipient, 0, |r| {
        r.phones.get(index).map_or(0, |p| p.country_code)
    })
}

/// Frees a recipient that a function gave to the caller (never one borrowed from a package
/// information). NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_recipient_free(recipient: *mut ss_sendsafely_recipient) {
    crate::ffi::boundary::guard(|| crate::ffi::input::free(recipient))
}
