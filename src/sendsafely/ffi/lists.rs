//! The package lists from C (S10): sent, received or archived, a page at a time;
//! `ss_sendsafely_package_page` and its `ss_sendsafely_package_summary` items.

use super::client::ss_sendsafely_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, invalid, out};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::c_string;
use crate::sendsafely::model::{PackageList, PackagePage, PackageSummary};
use std::ffi::{c_char, CString};

/// Which packages `ss_sendsafely_list_packages` lists (passed as a `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ss_sendsafely_list {
    /// The packages the user sent.
    SS_SENDSAFELY_LIST_SENT = 0,
    /// The packages sent to the user.
    SS_SENDSAFELY_LIST_RECEIVED = 1,
    /// The packages the user archived.
    SS_SENDSAFELY_LIST_ARCHIVED = 2,
}

/// A package as a list shows it. Borrowed from its page; immutable, readable from any thread;
/// its strings are borrowed from it.
pub struct ss_sendsafely_package_summary {
    id: CString,
    code: CString,
    sender: CString,
    state: CString,
    state_number: i64,
    timestamp: CString,
    label: CString,
    workspace: bool,
    recipients: Vec<CString>,
    file_names: Vec<CString>,
}

impl From<&PackageSummary> for ss_sendsafely_package_summary {
    fn from(s: &PackageSummary) -> Self {
        let texts = |list: &[String]| list.iter().map(|t| c_string(t)).collect();
        ss_sendsafely_package_summary {
            id: c_string(&s.package_id),
            code: c_string(&s.package_code),
            sender: c_string(&s.package_sender),
            state: c_string(&s.state),
            state_number: s.state_number.unwrap_or(-1),
            timestamp: c_string(&s.package_timestamp),
            label: c_string(&s.label),
            workspace: s.is_vdr,
            recipients: texts(&s.recipients),
            file_names: texts(&s.file_names),
        }
    }
}

/// One page of a package list. Caller-owned (`ss_sendsafely_package_page_free`); immutable,
/// readable from any thread; its items are borrowed from it.
pub struct ss_sendsafely_package_page {
    packages: Vec<ss_sendsafely_package_summary>,
    next_row_index: i64,
}

impl From<PackagePage> for ss_sendsafely_package_page {
    fn from(p: PackagePage) -> Self {
        ss_sendsafely_package_page {
            packages: p.packages.iter().map(Into::into).collect(),
            next_row_index: p
                .next_row_index
                .and_then(|n| i64::try_from(n).ok())
                .unwrap_or(-1),
        }
    }
}

/// Reads one page of the packages sent, received or archived (S10).
///
/// `list` is an `ss_sendsafely_list` value; `row_index` is the first row (0 for the first
/// page, then the previous page's `ss_sendsafely_package_page_next_row_index`); `page_size`
/// is 1 to 100. `client` is borrowed; `out_page` receives the page (caller owns;
/// `ss_sendsafely_package_page_free`). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_ARGUMENT` (an unknown `list`, a page size out of range), `SS_ERR_AUTH`,
/// `SS_ERR_API`, `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`,
/// `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked
/// client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_list_packages(
    client: *const ss_sendsafely_client,
    list: u32,
    row_index: u64,
    page_size: u64,
    out_page: *mut *mut ss_sendsafely_package_page,
) -> ss_result {
    call(|| {
        let out_page = out(out_page, "out_page")?;
        let ss = handle(client, "client")?;
        let list = match list {
            0 => PackageList::Sent,
            1 => PackageList::Received,
            2 => PackageList::Archived,
            other => {
                return Err(invalid(format!(
                    "`list` {other} is not an ss_sendsafely_list value (0 sent, 1 received, 2 \
                     archived)"
                )))
            }
        };
        let client = &ss.client;
        let page = ss.run(&Callbacks::default(), |_| {
            client.list_packages(list, row_index, page_size)
        })?;
        give(out_page, ss_sendsafely_package_page::from(page));
        Ok(())
    })
}

/// How many packages the page holds. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_page_count(
    page: *const ss_sendsafely_package_page,
) -> usize {
    value(page, 0, |p| p.packages.len())
}

/// Package `index` (0 first) of the page. Borrowed from `page`; NULL or out of range gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_page_package(
    page: *const ss_sendsafely_package_page,
    index: usize,
) -> *const ss_sendsafely_package_summary {
    item_at(page, index, |p| &p.packages)
}

/// The `row_index` of the next page, or -1 when this page is the last (or NULL `page`):
/// `for (int64_t row = 0; row >= 0; row = next) { ... }`.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_page_next_row_index(
    page: *const ss_sendsafely_package_page,
) -> i64 {
    value(page, -1, |p| p.next_row_index)
}

/// Frees a page and everything borrowed from it. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_page_free(page: *mut ss_sendsafely_package_page) {
    guard(|| free(page))
}

/// The package's id. Borrowed from `summary`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_id(
    summary: *const ss_sendsafely_package_summary,
) -> *const c_char {
    borrowed(summary, |s| Some(&s.id))
}

/// The package's code ("" when the list does not show it). Borrowed from `summary`; NULL gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_code(
    summary: *const ss_sendsafely_package_summary,
) -> *const c_char {
    borrowed(summary, |s| Some(&s.code))
}

/// The sender's e-mail address. Borrowed from `summary`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_sender(
    summary: *const ss_sendsafely_package_summary,
) -> *const c_char {
    borrowed(summary, |s| Some(&s.sender))
}

/// The package's state by name ("" when the list does not say). Borrowed from `summary`; NULL
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_state(
    summary: *const ss_sendsafely_package_summary,
) -> *const c_char {
    borrowed(summary, |s| Some(&s.state))
}

/// The package's state by number (0 in progress, 3 active and complete, ...), -1 when the list
/// does not say (or NULL `summary`).
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_state_number(
    summary: *const ss_sendsafely_package_summary,
) -> i64 {
    value(summary, -1, |s| s.state_number)
}

/// When the package was created, as the server writes it. Borrowed from `summary`; NULL gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_timestamp(
    summary: *const ss_sendsafely_package_summary,
) -> *const c_char {
    borrowed(summary, |s| Some(&s.timestamp))
}

/// The package's label ("" when none). Borrowed from `summary`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_label(
    summary: *const ss_sendsafely_package_summary,
) -> *const c_char {
    borrowed(summary, |s| Some(&s.label))
}

/// Whether the package is a Workspace. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_is_workspace(
    summary: *const ss_sendsafely_package_summary,
) -> bool {
    value(summary, false, |s| s.workspace)
}

/// How many recipient addresses the list shows. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_recipient_count(
    summary: *const ss_sendsafely_package_summary,
) -> usize {
    value(summary, 0, |s| s.recipients.len())
}

/// Recipient address `index` (0 first). Borrowed from `summary`; NULL or out of range gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_recipient(
    summary: *const ss_sendsafely_package_summary,
    index: usize,
) -> *const c_char {
    borrowed(summary, |s| s.recipients.get(index))
}

/// How many file names the list shows. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_file_name_count(
    summary: *const ss_sendsafely_package_summary,
) -> usize {
    value(summary, 0, |s| s.file_names.len())
}

/// File name `index` (0 first). Borrowed from `summary`; NULL or out of range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_summary_file_name(
    summary: *const ss_sendsafely_package_summary,
    index: usize,
) -> *const c_char {
    borrowed(summary, |s| s.file_names.get(index))
}
