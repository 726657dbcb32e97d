//! Changing a Workspace's tree from C (S32-S35): directories created, renamed, moved and
//! deleted, files moved between directories. Only the Workspace's owner may change it.

use super::client::ss_sendsafely_client;
use super::package_call::on_package;
use crate::ffi::boundary::call;
use crate::ffi::error::ss_result;
use crate::ffi::input::{out, text};
use crate::ffi::strings::give_string;
use std::ffi::c_char;

/// Creates the directory `name` in the directory `parent_id` of a Workspace (S32).
///
/// `client`, `package_id` (the Workspace's id), `parent_id` (e.g. the root's, from
/// `ss_sendsafely_package_info_root_directory_id`) and `name` are borrowed; `out_directory_id`
/// receives the new directory's id (caller owns; `ss_string_free`), written only on success.
/// Not sent again when its answer is lost (it could create the directory twice): a
/// `SS_ERR_CONNECT` or `SS_ERR_TIMEOUT` then leaves it unknown whether it exists (read the
/// parent with `ss_sendsafely_get_directory`). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty id, a name that is blank or holds
/// `/` or control characters), `SS_ERR_API` (`ss_last_error_api_code_name`: `INVALID_INPUT`
/// for an unknown parent, `UNKNOWN_PACKAGE`, `DENIED` when the caller does not own the
/// Workspace, `FAIL` for a package that is not a Workspace), `SS_ERR_AUTH`, `SS_ERR_CONNECT`,
/// `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`,
/// `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_create_directory(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    parent_id: *const c_char,
    name: *const c_char,
    out_directory_id: *mut *mut c_char,
) -> ss_result {
    call(|| {
        let out_directory_id = out(out_directory_id, "out_directory_id")?;
        let parent_id = text(parent_id, "parent_id")?;
        let name = text(name, "name")?;
        let id = on_package(client, package_id, |c, pid| {
            c.create_directory(pid, parent_id, name)
        })?;
        give_string(out_directory_id, &id);
        Ok(())
    })
}

/// Renames a Workspace directory (S33), the root too.
///
/// Every argument is borrowed. Returns `SS_OK`, or the errors of
/// `ss_sendsafely_create_directory` (`INVALID_INPUT` for an unknown directory). Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_rename_directory(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    directory_id: *const c_char,
    name: *const c_char,
) -> ss_result {
    call(|| {
        let directory_id = text(directory_id, "directory_id")?;
        let name = text(name, "name")?;
        on_package(client, package_id, |c, pid| {
            c.rename_directory(pid, directory_id, name)
        })
    })
}

/// Moves the directory `directory_id`, with everything in it, into the directory `target_id`
/// of the same Workspace (S35).
///
/// Every argument is borrowed. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`,
/// `SS_ERR_INVALID_ARGUMENT` (an empty id), `SS_ERR_API` (`INVALID_INPUT` for an unknown
/// directory, `FAIL` for the root or a target inside the directory itself, `UNKNOWN_PACKAGE`,
/// `DENIED`), and the transport's errors as `ss_sendsafely_create_directory`. Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_move_directory(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    directory_id: *const c_char,
    target_id: *const c_char,
) -> ss_result {
    call(|| {
        let directory_id = text(directory_id, "directory_id")?;
        let target_id = text(target_id, "target_id")?;
        on_package(client, package_id, |c, pid| {
            c.move_directory(pid, directory_id, target_id)
        })
    })
}

/// Deletes a Workspace directory with its subdirectories and their files (S33).
///
/// Every argument is borrowed. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`,
/// `SS_ERR_INVALID_ARGUMENT` (an empty id), `SS_ERR_API` (`INVALID_INPUT` for an unknown
/// directory, `FAIL` for the root, `UNKNOWN_PACKAGE`, `DENIED`), and the transport's errors as
/// `ss_sendsafely_create_directory`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_delete_directory(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    directory_id: *const c_char,
) -> ss_result {
    call(|| {
        let directory_id = text(directory_id, "directory_id")?;
        on_package(client, package_id, |c, pid| {
            c.delete_directory(pid, directory_id)
        })
    })
}

/// Moves the file `file_id` of a Workspace into its directory `target_id` (S34).
///
/// Every argument is borrowed. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`,
/// `SS_ERR_INVALID_ARGUMENT` (an empty id), `SS_ERR_API` (`INVALID_INPUT` for an unknown file
/// or directory, `UNKNOWN_PACKAGE`, `DENIED`, `FAIL` for a package that is not a Workspace),
/// and the transport's errors as `ss_sendsafely_create_directory`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_move_file(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    file_id: *const c_char,
    target_id: *const c_char,
) -> ss_result {
    call(|| {
        let file_id = text(file_id, "file_id")?;
        let target_id = text(target_id, "target_id")?;
        on_package(client, package_id, |c, pid| {
            c.move_file(pid, file_id, target_id)
        })
    })
}
