//! Uploading from C: `ss_sendsafely_upload_files` sends an `ss_sendsafely_upload`'s files to a
//! package with one progress callback over them all, and answers `ss_sendsafely_uploaded_list`.

use super::client::ss_sendsafely_client;
use super::package::ss_sendsafely_package;
use super::progress::upload_progress;
use super::upload::ss_sendsafely_upload;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, handle_mut, invalid, lend, out};
use crate::ffi::runtime::ss_progress_cb;
use crate::ffi::strings::c_string;
use crate::sendsafely::model::UploadedFile;
use std::ffi::{c_char, c_void, CString};

/// A file stored and marked complete. Borrowed from its `ss_sendsafely_uploaded_list`;
/// immutable.
pub struct ss_sendsafely_uploaded_file {
    id: CString,
    name: CString,
    size: u64,
    parts: u64,
}

/// The files an upload call stored, in the order they were added. Caller-owned
/// (`ss_sendsafely_uploaded_list_free`); immutable, readable from any thread; its items are
/// borrowed from it.
pub struct ss_sendsafely_uploaded_list {
    files: Vec<ss_sendsafely_uploaded_file>,
}

impl From<&UploadedFile> for ss_sendsafely_uploaded_file {
    fn from(f: &UploadedFile) -> Self {
        ss_sendsafely_uploaded_file {
            id: c_string(&f.file_id),
            name: c_string(&f.file_name),
            size: f.file_size,
            parts: f.parts,
        }
    }
}

/// Encrypts and uploads the files of `upload` to `package`: each registered, cut into
/// segments of 2.5 MiB, every segment encrypted (on as many threads as the client's
/// `crypto_threads`) and stored (`transfer_concurrency` at a time, a dropped or refused one
/// sent again), then marked complete. Memory stays bounded whatever the sizes.
///
/// `client` and `package` are borrowed; `upload` is borrowed and records where each file
/// stands (`ss_sendsafely_upload_file_id`, ...). After a failure or a stop, calling again with
/// the same `upload` and `package` resumes: complete files are skipped, the parts already
/// stored are not sent again. `progress` (NULL for none) is called with `user_data` on this
/// thread after each stored segment: `attachment_index` is the file (0 first, in the order
/// added), `attachment_count` the number of files, `attachment_bytes_*` the file's plaintext
/// bytes and `bytes_*` those of all the files (a resumed call starts at what was stored);
/// returning non-zero stops the call (segments already stored stay stored, no further file is
/// marked complete). Stream read and rewind callbacks run on this thread too. `out_uploaded`
/// receives the files (caller owns; `ss_sendsafely_uploaded_list_free`).
///
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_ARGUMENT` (no file, another package
/// than the one `upload` was first sent to, an empty or unusable name, a source shorter or
/// longer than its size, a stored part outside the file), `SS_ERR_IO` (an unreadable file, a
/// stream read or rewind that failed), `SS_ERR_ABORTED_BY_CALLBACK`, `SS_ERR_CANCELLED`,
/// `SS_ERR_CRYPTO`, `SS_ERR_AUTH`, `SS_ERR_API` (e.g. `UNKNOWN_PACKAGE`), `SS_ERR_CONNECT`,
/// `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`,
/// `SS_ERR_INVALID_STATE` (a stream to read again without a rewind callback, the server never
/// reporting a file complete, a call from a callback, a forked client). Blocks; thread-safe
/// for `client`.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_files(
    client: *const ss_sendsafely_client,
    package: *const ss_sendsafely_package,
    upload: *mut ss_sendsafely_upload,
    progress: ss_progress_cb,
    user_data: *mut c_void,
    out_uploaded: *mut *mut ss_sendsafely_uploaded_list,
) -> ss_result {
    call(|| {
        let out_uploaded = out(out_uploaded, "out_uploaded")?;
        let ss = handle(client, "client")?;
        let package_handle = handle(package, "package")?;
        let u = handle_mut(upload, "upload")?;
        let package = &package_handle.package;
        if u.files.is_empty() {
            return Err(invalid("`upload` has no file: add files first"));
        }
        match &u.package_id {
            Some(first) if *first != package.package_id => {
                return Err(invalid(format!(
                    "`upload` was sent to package {first}, not {}: its files are registered there",
                    package.package_id
                )))
            }
            _ => u.package_id = Some(package.package_id.clone()),
        }
        // A callback may free the upload or the package: not before the call returns.
        let _lent = lend([
            upload.cast_const().cast(),
            std::ptr::from_ref(package_handle).cast(),
        ]);
        let callbacks = u.callbacks(progress, user_data);
        let shared: &ss_sendsafely_upload = u;
        let client = &ss.client;
        let result = ss.run(&callbacks, |relay| async move {
            let files = shared.sources(&relay).await?;
            let progress = progress.map(|_| upload_progress(&relay));
            client
                .upload_files_resumable(package, files, progress, &shared.state)
                .await
        });
        u.refresh_view();
        let uploaded = result?;
        let files = uploaded.iter().map(Into::into).collect();
        give(out_uploaded, ss_sendsafely_uploaded_list { files });
        Ok(())
    })
}

/// How many files were stored. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_uploaded_list_count(
    list: *const ss_sendsafely_uploaded_list,
) -> usize {
    value(list, 0, |l| l.files.len())
}

/// File `index` (0 first). Borrowed from `list`; NULL or out of range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_uploaded_list_file(
    list: *const ss_sendsafely_uploaded_list,
    index: usize,
) -> *const ss_sendsafely_uploaded_file {
    item_at(list, index, |l| &l.files)
}

/// The file's id in the package. Borrowed from `file`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_uploaded_file_id(
    file: *const ss_sendsafely_uploaded_file,
) -> *const c_char {
    borrowed(file, |f| Some(&f.id))
}

/// The file's name as the recipients see it. Borrowed from `file`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_uploaded_file_name(
    file: *const ss_sendsafely_uploaded_file,
) -> *const c_char {
    borrowed(file, |f| Some(&f.name))
}

/// The file's plaintext size in bytes. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_uploaded_file_size(
    file: *const ss_sendsafely_uploaded_file,
) -> u64 {
    value(file, 0, |f| f.size)
}

/// The file's number of segments. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_uploaded_file_parts(
    file: *const ss_sendsafely_uploaded_file,
) -> u64 {
    value(file, 0, |f| f.parts)
}

/// Frees an uploaded list and everything borrowed from it. NULL is a no-op; must not be called
/// twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_uploaded_list_free(list: *mut ss_sendsafely_uploaded_list) {
    guard(|| free(list))
}
