//! Downloading the files of an opened package from C: one file to a path or to a write
//! callback, or every file (and the message) to a directory, with progress; and
//! `ss_sendsafely_downloaded`, what the latter wrote.

use super::client::ss_sendsafely_client;
use super::progress::download_progress;
use super::received::ss_sendsafely_received;
use crate::ffi::boundary::{call, guard};
use crate::ffi::download_target::{non_empty_path, Target};
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::getters::{borrowed, value};
use crate::ffi::input::{free, give, handle, lend, out, text};
use crate::ffi::runtime::{ss_progress_cb, ss_write_cb, Callbacks};
use crate::ffi::strings::{c_string, SecretText};
use crate::sendsafely::model::DownloadedPackage;
use std::ffi::{c_char, c_void, CString};

/// What `ss_sendsafely_download_package` wrote: the path of each file, in the package's order,
/// and the secure message. Caller-owned (`ss_sendsafely_downloaded_free`, which wipes the
/// message); immutable, readable from any thread; its strings are borrowed from it.
pub struct ss_sendsafely_downloaded {
    paths: Vec<CString>,
    message: SecretText,
}

impl From<DownloadedPackage> for ss_sendsafely_downloaded {
    fn from(d: DownloadedPackage) -> Self {
        ss_sendsafely_downloaded {
            paths: d
                .files
                .iter()
                .map(|p| c_string(&p.to_string_lossy()))
                .collect(),
            message: SecretText::new(&d.message),
        }
    }
}

/// Downloads file `file_id` of `received` into `target`, relaying progress and writes to this
/// thread; `received` is in use meanwhile (a callback freeing it frees it afterwards).
fn download_file(
    client: *const ss_sendsafely_client,
    received: *const ss_sendsafely_received,
    file_id: *const c_char,
    target: impl FnOnce() -> Result<Target, FfiError>,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
) -> Result<(), FfiError> {
    let ss = handle(client, "client")?;
    let received = handle(received, "received")?;
    let file_id = text(file_id, "file_id")?;
    let target = target()?;
    let callbacks = target.callbacks(progress, progress_user_data);
    let _lent = lend([std::ptr::from_ref(received).cast()]);
    let client = &ss.client;
    ss.run(&callbacks, |relay| {
        let report = progress.is_some().then(|| download_progress(&relay));
        client.download_file(&received.package, file_id, target.sink(&relay), report)
    })
    .map(drop)
}

/// Downloads and decrypts file `file_id` of an opened package into the file `path`, streamed,
/// reporting progress.
///
/// Segments are fetched and decrypted ahead of the one written, a few at a time, so memory
/// stays bounded whatever the file's size. The file is written to a new file in `path`'s
/// directory (`<name>.<random>.part`, created with `O_CREAT|O_EXCL|O_NOFOLLOW`) renamed to
/// `path` (replacing any file there) once every segment decrypted and the plaintext is exactly
/// the file's declared size: on any failure, including a stop asked by `progress`, a wrong
/// keycode or an altered segment, there is no file at `path` and no partial file.
/// `client` and `received` are borrowed; `file_id` (an `ss_sendsafely_file_id` of the
/// package's information) and `path` are borrowed for the call. `progress` may be NULL; it is
/// called on this thread with `progress_user_data`, before the first segment and after each
/// segment written (`attachment_index` 0, `attachment_count` 1, `bytes_total` the file's
/// declared size; see `ss_progress_cb`). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty file id or path), `SS_ERR_CRYPTO`
/// (a segment that does not decrypt: wrong keycode, altered or unprotected segment),
/// `SS_ERR_DECODE` (segments that are not the declared size, missing segments), `SS_ERR_IO`
/// (cannot write the file), `SS_ERR_ABORTED_BY_CALLBACK`, `SS_ERR_API` (`FAIL`: the server
/// refused the keycode's checksum; `UNKNOWN_PACKAGE`, ...), `SS_ERR_AUTH`, `SS_ERR_CONNECT`,
/// `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS` (a segment URL expired or refused),
/// `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks;
/// thread-safe; callbacks run on this thread.
#[no_mangle]
pub extern "C" fn ss_sendsafely_download_file(
    client: *const ss_sendsafely_client,
    received: *const ss_sendsafely_received,
    file_id: *const c_char,
    path: *const c_char,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
) -> ss_result {
    call(|| {
        download_file(
            client,
            received,
            file_id,
            || Target::path(path),
            progress,
            progress_user_data,
        )
    })
}

/// Downloads and decrypts file `file_id` of an opened package through a write callback,
/// streamed, reporting progress.
///
/// `write` receives the plaintext in order, in blocks of at most 256 KiB, on this thread with
/// `write_user_data` (see `ss_write_cb`). Each segment is checked (decrypted with its integrity
/// check) before any of its bytes is handed over, and nothing beyond the file's declared size
/// is: after a failure `write` may have received the segments before the one that failed
/// (nothing when the first does not decrypt, as with a wrong keycode). `client` and `received`
/// are borrowed; `file_id` is borrowed for the call. `progress` may be NULL; as for
/// `ss_sendsafely_download_file`. Returns the results of `ss_sendsafely_download_file`, with
/// `SS_ERR_NULL_ARGUMENT` for a NULL `write` too and `SS_ERR_IO` when `write` does not return
/// the length it was given. Blocks; thread-safe; callbacks run on this thread.
#[no_mangle]
pub extern "C" fn ss_sendsafely_download_file_to(
    client: *const ss_sendsafely_client,
    received: *const ss_sendsafely_received,
    file_id: *const c_char,
    write: ss_write_cb,
    write_user_data: *mut c_void,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
) -> ss_result {
    call(|| {
        download_file(
            client,
            received,
            file_id,
            || Target::write(write, write_user_data),
            progress,
            progress_user_data,
        )
    })
}

/// Downloads every file of an opened package into `directory`, then reads its secure message.
///
/// Each file is written as `ss_sendsafely_download_file` writes one (complete or not at all),
/// under its name made safe: the characters `<>:"/\|?*` and control characters become `_`, a
/// name that would be empty, `.` or `..` becomes `_`, and a name given twice (ignoring case)
/// becomes `name (2).ext`; a file already there is replaced. The first failure ends the call;
/// the files written before it stay. `client` and `received` are borrowed; `directory` (which
/// must exist) is borrowed for the call. `progress` may be NULL; it is called on this thread
/// with `progress_user_data` for each file in turn (`attachment_index` and `attachment_count`
/// say which; the bytes are that file's). `out_downloaded` receives the paths written and the
/// message (caller owns; `ss_sendsafely_downloaded_free`). Returns the results of
/// `ss_sendsafely_download_file`. Blocks; thread-safe; callbacks run on this thread.
#[no_mangle]
pub extern "C" fn ss_sendsafely_download_package(
    client: *const ss_sendsafely_client,
    received: *const ss_sendsafely_received,
    directory: *const c_char,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
    out_downloaded: *mut *mut ss_sendsafely_downloaded,
) -> ss_result {
    call(|| {
        let out_downloaded = out(out_downloaded, "out_downloaded")?;
        let ss = handle(client, "client")?;
        let received = handle(received, "received")?;
        let directory = non_empty_path(directory, "directory")?;
        let callbacks = Callbacks {
            progress: Some((progress, progress_user_data)),
            ..Callbacks::default()
        };
        let _lent = lend([std::ptr::from_ref(received).cast()]);
        let client = &ss.client;
        let downloaded = ss.run(&callbacks, |relay| {
            let report = progress.is_some().then(|| download_progress(&relay));
            client.download_package(&received.package, &directory, report)
        })?;
        give(out_downloaded, ss_sendsafely_downloaded::from(downloaded));
        Ok(())
    })
}

/// How many files were written. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_downloaded_file_count(
    downloaded: *const ss_sendsafely_downloaded,
) -> usize {
    value(downloaded, 0, |d| d.paths.len())
}

/// The path written for file `index` (0 first, in the order of the package's information).
/// Borrowed from `downloaded`; NULL or out of range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_downloaded_file_path(
    downloaded: *const ss_sendsafely_downloaded,
    index: usize,
) -> *const c_char {
    borrowed(downloaded, |d| d.paths.get(index))
}

/// The package's secure message, decrypted ("" when it has none; cut at a NUL character, which
/// a message cannot hold in C). A secret: borrowed from `downloaded` and wiped when it is
/// freed. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_downloaded_message(
    downloaded: *const ss_sendsafely_downloaded,
) -> *const c_char {
    borrowed(downloaded, |d| Some(&d.message))
}

/// Frees what a package download gave, wiping its message. NULL is a no-op; must not be called
/// twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_downloaded_free(downloaded: *mut ss_sendsafely_downloaded) {
    guard(|| free(downloaded))
}
