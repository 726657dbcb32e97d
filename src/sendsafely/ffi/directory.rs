//! `ss_sendsafely_directory_info`: a Workspace directory as the server shows it (S33), with
//! its subdirectories and files.

use super::client::ss_sendsafely_client;
use super::file::ss_sendsafely_file;
use super::package_call::on_package;
use super::package_info::ss_sendsafely_directory;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, out, text};
use crate::ffi::strings::c_string;
use crate::sendsafely::model::Directory;
use std::ffi::{c_char, CString};

/// A Workspace directory: its name, parent, subdirectories and files. Caller-owned
/// (`ss_sendsafely_directory_info_free`); immutable, readable from any thread; its strings and
/// items are borrowed from it.
///
/// The SendSafely API has no file versions: a file registered again is another file, listed
/// beside the first.
pub struct ss_sendsafely_directory_info {
    id: CString,
    name: CString,
    parent_id: Option<CString>,
    created: CString,
    subdirectories: Vec<ss_sendsafely_directory>,
    files: Vec<ss_sendsafely_file>,
}

impl From<&Directory> for ss_sendsafely_directory_info {
    fn from(d: &Directory) -> Self {
        ss_sendsafely_directory_info {
            id: c_string(&d.directory_id),
            name: c_string(&d.name),
            parent_id: d.parent_id.as_deref().map(c_string),
            created: c_string(&d.created),
            subdirectories: d
                .subdirectories
                .iter()
                .map(|s| ss_sendsafely_directory::new(&s.directory_id, &s.name, &d.directory_id))
                .collect(),
            files: d.files.iter().map(ss_sendsafely_file::from).collect(),
        }
    }
}

/// Reads a Workspace directory (S33): its name, parent, subdirectories and files.
///
/// `client`, `package_id` (the Workspace's id) and `directory_id` (e.g. the root's, from
/// `ss_sendsafely_package_info_root_directory_id`) are borrowed; `out_directory` receives the
/// directory (caller owns; `ss_sendsafely_directory_info_free`), written only on success.
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`
/// (an empty id), `SS_ERR_API` (`ss_last_error_api_code_name`: `INVALID_INPUT` for an unknown
/// directory, `UNKNOWN_PACKAGE`, `FAIL` for a package that is not a Workspace), `SS_ERR_AUTH`,
/// `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`,
/// `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_get_directory(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    directory_id: *const c_char,
    out_directory: *mut *mut ss_sendsafely_directory_info,
) -> ss_result {
    call(|| {
        let out_directory = out(out_directory, "out_directory")?;
        let directory_id = text(directory_id, "directory_id")?;
        let directory = on_package(client, package_id, |c, pid| c.directory(pid, directory_id))?;
        give(
            out_directory,
            ss_sendsafely_directory_info::from(&directory),
        );
        Ok(())
    })
}

/// The directory's id. Borrowed from `directory`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_id(
    directory: *const ss_sendsafely_directory_info,
) -> *const c_char {
    borrowed(directory, |d| Some(&d.id))
}

/// The directory's name. Borrowed from `directory`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_name(
    directory: *const ss_sendsafely_directory_info,
) -> *const c_char {
    borrowed(directory, |d| Some(&d.name))
}

/// The id of the directory's parent, or NULL for the Workspace's root (or a NULL
/// `directory`). Borrowed from `directory`.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_parent_id(
    directory: *const ss_sendsafely_directory_info,
) -> *const c_char {
    borrowed(directory, |d| d.parent_id.as_ref())
}

/// When the directory was created, as the server writes it ("" when it does not say).
/// Borrowed from `directory`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_created(
    directory: *const ss_sendsafely_directory_info,
) -> *const c_char {
    borrowed(directory, |d| Some(&d.created))
}

/// How many directories the directory holds (its children only). NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_subdirectory_count(
    directory: *const ss_sendsafely_directory_info,
) -> usize {
    value(directory, 0, |d| d.subdirectories.len())
}

/// Subdirectory `index` (0 first), its parent id being this directory's. Borrowed from
/// `directory`; NULL or out of range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_subdirectory(
    directory: *const ss_sendsafely_directory_info,
    index: usize,
) -> *const ss_sendsafely_directory {
    item_at(directory, index, |d| &d.subdirectories)
}

/// How many files the directory holds (not those of its subdirectories). NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_file_count(
    directory: *const ss_sendsafely_directory_info,
) -> usize {
    value(directory, 0, |d| d.files.len())
}

/// File `index` (0 first) of the directory. Borrowed from `directory`; NULL or out of range
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_file(
    directory: *const ss_sendsafely_directory_info,
    index: usize,
) -> *const ss_sendsafely_file {
    item_at(directory, index, |d| &d.files)
}

/// Frees a directory information and everything borrowed from it. NULL is a no-op; must not
/// be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_directory_info_free(directory: *mut ss_sendsafely_directory_info) {
    guard(|| free(directory))
}
