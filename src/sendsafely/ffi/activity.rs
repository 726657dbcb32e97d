//! A Workspace's activity log from C (S36): caller-owned pages of ten records, newest first.

use super::client::ss_sendsafely_client;
use super::package_call::on_package;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, out};
use crate::ffi::strings::c_string;
use crate::sendsafely::model::{ActivityPage, ActivityRecord, ACTIVITY_PAGE_SIZE};
use std::ffi::{c_char, CString};

/// One event of a Workspace. Borrowed from its `ss_sendsafely_activity_page`, valid while the
/// page lives; immutable, readable from any thread; its strings are borrowed from it.
pub struct ss_sendsafely_activity_record {
    timestamp: CString,
    user_email: CString,
    action: CString,
    details: CString,
}

impl From<&ActivityRecord> for ss_sendsafely_activity_record {
    fn from(r: &ActivityRecord) -> Self {
        ss_sendsafely_activity_record {
            timestamp: c_string(&r.timestamp),
            user_email: c_string(&r.user_email),
            action: c_string(&r.action),
            details: c_string(&r.details),
        }
    }
}

/// One page of a Workspace's activity log. Caller-owned (`ss_sendsafely_activity_page_free`);
/// immutable, readable from any thread; its records are borrowed from it.
pub struct ss_sendsafely_activity_page {
    records: Vec<ss_sendsafely_activity_record>,
    next_row_index: u64,
}

impl From<&ActivityPage> for ss_sendsafely_activity_page {
    fn from(p: &ActivityPage) -> Self {
        ss_sendsafely_activity_page {
            records: p
                .records
                .iter()
                .map(ss_sendsafely_activity_record::from)
                .collect(),
            next_row_index: p.next_row_index,
        }
    }
}

/// Reads the page of a Workspace's activity log that starts at record `row_index` (0: the
/// newest) (S36): up to ten records, newest first.
///
/// `client` and `package_id` are borrowed; `out_page` receives the page (caller owns;
/// `ss_sendsafely_activity_page_free`), written only on success. Read the whole log by calling
/// again with `ss_sendsafely_activity_page_next_row_index` until
/// `ss_sendsafely_activity_page_is_last`. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty id), `SS_ERR_API`
/// (`ss_last_error_api_code_name`: `UNKNOWN_PACKAGE`, `DENIED` for a package the caller may not
/// read), `SS_ERR_AUTH`, `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`,
/// `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a
/// callback, or a forked client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_get_activity_log(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    row_index: u64,
    out_page: *mut *mut ss_sendsafely_activity_page,
) -> ss_result {
    call(|| {
        let out_page = out(out_page, "out_page")?;
        let page = on_package(client, package_id, |c, pid| c.activity_log(pid, row_index))?;
        give(out_page, ss_sendsafely_activity_page::from(&page));
        Ok(())
    })
}

/// How many records the page has (at most ten). NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_page_count(
    page: *const ss_sendsafely_activity_page,
) -> usize {
    value(page, 0, |p| p.records.len())
}

/// Record `index` (0: the newest of the page). Borrowed from `page`; NULL or out of range
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_page_record(
    page: *const ss_sendsafely_activity_page,
    index: usize,
) -> *const ss_sendsafely_activity_record {
    item_at(page, index, |p| &p.records)
}

/// The `row_index` of the page after this one. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_page_next_row_index(
    page: *const ss_sendsafely_activity_page,
) -> u64 {
    value(page, 0, |p| p.next_row_index)
}

/// Whether the log ends with this page (it has fewer than ten records; the page after a full
/// last one is empty). NULL gives true.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_page_is_last(
    page: *const ss_sendsafely_activity_page,
) -> bool {
    value(page, true, |p| p.records.len() < ACTIVITY_PAGE_SIZE)
}

/// Frees a page of the activity log and its records. NULL is a no-op; must not be called
/// twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_page_free(page: *mut ss_sendsafely_activity_page) {
    guard(|| free(page))
}

/// When it happened, as the server writes it. Borrowed from `record`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_record_timestamp(
    record: *const ss_sendsafely_activity_record,
) -> *const c_char {
    borrowed(record, |r| Some(&r.timestamp))
}

/// The e-mail address of who did it. Borrowed from `record`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_record_user_email(
    record: *const ss_sendsafely_activity_record,
) -> *const c_char {
    borrowed(record, |r| Some(&r.user_email))
}

/// What was done, e.g. `DIRECTORY_CREATED`, `DIRECTORY_RENAMED`, `DIRECTORY_MOVED`,
/// `DIRECTORY_DELETED`, `FILE_ADDED`, `FILE_MOVED`. Borrowed from `record`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_record_action(
    record: *const ss_sendsafely_activity_record,
) -> *const c_char {
    borrowed(record, |r| Some(&r.action))
}

/// What it was done to (a name, an id; "" when the server does not say). Borrowed from
/// `record`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_activity_record_details(
    record: *const ss_sendsafely_activity_record,
) -> *const c_char {
    borrowed(record, |r| Some(&r.details))
}
