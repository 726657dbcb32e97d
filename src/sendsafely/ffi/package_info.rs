//! `ss_sendsafely_package_info`: everything the server says of a package (S6), with its
//! files, recipients and Workspace directories.

use super::client::ss_sendsafely_client;
use super::file::ss_sendsafely_file;
use super::recipient::ss_sendsafely_recipient;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::c_string;
use crate::sendsafely::model::{PackageDirectory, PackageInfo};
use std::ffi::{c_char, CString};

/// A Workspace directory listed in a package information or a directory information. Borrowed
/// from it; immutable.
pub struct ss_sendsafely_directory {
    id: CString,
    name: CString,
    parent_id: CString,
}

impl ss_sendsafely_directory {
    /// A directory of `id` and `name` in the directory `parent_id` ("" for a top one).
    pub(super) fn new(id: &str, name: &str, parent_id: &str) -> Self {
        ss_sendsafely_directory {
            id: c_string(id),
            name: c_string(name),
            parent_id: c_string(parent_id),
        }
    }
}

impl From<&PackageDirectory> for ss_sendsafely_directory {
    fn from(d: &PackageDirectory) -> Self {
        ss_sendsafely_directory::new(&d.directory_id, &d.name, &d.parent_id)
    }
}

/// A package's information. Caller-owned (`ss_sendsafely_package_info_free`); immutable,
/// readable from any thread; its strings and items are borrowed from it. The server secret it
/// was read with is not kept.
pub struct ss_sendsafely_package_info {
    id: CString,
    code: CString,
    state: CString,
    state_number: i64,
    life: i64,
    label: CString,
    description: CString,
    workspace: bool,
    root_directory_id: CString,
    timestamp: CString,
    sender: CString,
    parent_id: CString,
    url: Option<CString>,
    needs_approval: bool,
    allow_reply_all: bool,
    contains_message: bool,
    archived: bool,
    files: Vec<ss_sendsafely_file>,
    recipients: Vec<ss_sendsafely_recipient>,
    directories: Vec<ss_sendsafely_directory>,
}

impl From<&PackageInfo> for ss_sendsafely_package_info {
    fn from(i: &PackageInfo) -> Self {
        ss_sendsafely_package_info {
            id: c_string(&i.package_id),
            code: c_string(&i.package_code),
            state: c_string(&i.state),
            state_number: i.state_number.unwrap_or(-1),
            life: i.life.unwrap_or(-1),
            label: c_string(&i.label),
            description: c_string(&i.description),
            workspace: i.is_vdr,
            root_directory_id: c_string(&i.root_directory_id),
            timestamp: c_string(&i.package_timestamp),
            sender: c_string(&i.package_sender),
            parent_id: c_string(&i.package_parent_id),
            url: i.url.as_deref().map(c_string),
            needs_approval: i.needs_approval,
            allow_reply_all: i.allow_reply_all,
            contains_message: i.contains_message,
            archived: i.is_archived,
            files: i.files.iter().map(ss_sendsafely_file::from).collect(),
            recipients: i
                .recipients
                .iter()
                .map(ss_sendsafely_recipient::from)
                .collect(),
            directories: i
                .directories
                .iter()
                .map(ss_sendsafely_directory::from)
                .collect(),
        }
    }
}

/// Reads a package's information (S6) by its id or its code.
///
/// `client` and `package_id_or_code` are borrowed; `out_info` receives the information
/// (caller owns; `ss_sendsafely_package_info_free`). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty id), `SS_ERR_API` (e.g.
/// `UNKNOWN_PACKAGE` from `ss_last_error_api_code_name`), `SS_ERR_AUTH`, `SS_ERR_CONNECT`,
/// `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`,
/// `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_get_package_info(
    client: *const ss_sendsafely_client,
    package_id_or_code: *const c_char,
    out_info: *mut *mut ss_sendsafely_package_info,
) -> ss_result {
    call(|| {
        let out_info = out(out_info, "out_info")?;
        let ss = handle(client, "client")?;
        let id = text(package_id_or_code, "package_id_or_code")?;
        let client = &ss.client;
        let info = ss.run(&Callbacks::default(), |_| client.package_information(id))?;
        give(out_info, ss_sendsafely_package_info::from(&info));
        Ok(())
    })
}

/// The package's id. Borrowed from `info`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_id(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.id))
}

/// The package's code. Borrowed from `info`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_code(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.code))
}

/// The package's state by name, e.g. `PACKAGE_STATE_IN_PROGRESS` ("" when the server does not
/// say). Borrowed from `info`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_state(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.state))
}

/// The package's state by number (0 in progress, 3 active and complete, ...), -1 when the
/// server does not say or `info` is NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_state_number(
    info: *const ss_sendsafely_package_info,
) -> i64 {
    value(info, -1, |i| i.state_number)
}

/// Days the package lives after it is finalized (0: forever), -1 when the server does not say
/// or `info` is NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_life(info: *const ss_sendsafely_package_info) -> i64 {
    value(info, -1, |i| i.life)
}

/// The package's label (its subject; "" when none). Borrowed from `info`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_label(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.label))
}

/// The package's description ("" when none). Borrowed from `info`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_description(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.description))
}

/// Whether the package is a Workspace. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_is_workspace(
    info: *const ss_sendsafely_package_info,
) -> bool {
    value(info, false, |i| i.workspace)
}

/// A Workspace's root directory id ("" for a package). Borrowed from `info`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_root_directory_id(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.root_directory_id))
}

/// When the package was created, as the server writes it. Borrowed from `info`; NULL gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_timestamp(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.timestamp))
}

/// The sender's e-mail address. Borrowed from `info`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_sender(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.sender))
}

/// The id of the package this one replies to ("" when none). Borrowed from `info`; NULL gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_parent_id(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| Some(&i.parent_id))
}

/// The package's link without its keycode, once finalized; NULL before (or NULL `info`).
/// Borrowed from `info`.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_url(
    info: *const ss_sendsafely_package_info,
) -> *const c_char {
    borrowed(info, |i| i.url.as_ref())
}

/// Whether the package waits for an approver. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_needs_approval(
    info: *const ss_sendsafely_package_info,
) -> bool {
    value(info, false, |i| i.needs_approval)
}

/// Whether recipients may reply to all. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_allow_reply_all(
    info: *const ss_sendsafely_package_info,
) -> bool {
    value(info, false, |i| i.allow_reply_all)
}

/// Whether the package holds a secure message. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_contains_message(
    info: *const ss_sendsafely_package_info,
) -> bool {
    value(info, false, |i| i.contains_message)
}

/// Whether the package is archived. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_is_archived(
    info: *const ss_sendsafely_package_info,
) -> bool {
    value(info, false, |i| i.archived)
}

/// How many files the package has. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_file_count(
    info: *const ss_sendsafely_package_info,
) -> usize {
    value(info, 0, |i| i.files.len())
}

/// File `index` (0 first) of the package. Borrowed from `info`; NULL or out of range gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_file(
    info: *const ss_sendsafely_package_info,
    index: usize,
) -> *const ss_sendsafely_file {
    item_at(info, index, |i| &i.files)
}

/// How many recipients the package has. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_recipient_count(
    info: *const ss_sendsafely_package_info,
) -> usize {
    value(info, 0, |i| i.recipients.len())
}

/// Recipient `index` (0 first) of the package. Borrowed from `info`; NULL or out of range
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_recipient(
    info: *const ss_sendsafely_package_info,
    index: usize,
) -> *const ss_sendsafely_recipient {
    item_at(info, index, |i| &i.recipients)
}

/// How many Workspace directories (below the root) the package has. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_directory_count(
    info: *const ss_sendsafely_package_info,
) -> usize {
    value(info, 0, |i| i.directories.len())
}

/// Workspace directory `index` (0 first) of the package. Borrowed from `info`; NULL or out of
/// range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_directory(
    info: *const ss_sendsafely_package_info,
    index: usize,
) -> *const ss_sendsafely_directory {
    item_at(info, index, |i| &i.directories)
}

/// The directory's id. Borrowed from `directory`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_id(
    directory: *const ss_sendsafely_directory,
) -> *const c_char {
    borrowed(directory, |d| Some(&d.id))
}

/// The directory's name. Borrowed from `directory`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_name(
    directory: *const ss_sendsafely_directory,
) -> *const c_char {
    borrowed(directory, |d| Some(&d.name))
}

/// The id of the directory's parent ("" for a top directory). Borrowed from `directory`; NULL
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_parent_id(
    directory: *const ss_sendsafely_directory,
) -> *const c_char {
    borrowed(directory, |d| Some(&d.parent_id))
}

/// Frees a package information and everything borrowed from it. NULL is a no-op; must not be
/// called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_info_free(info: *mut ss_sendsafely_package_info) {
    guard(|| free(info))
}
