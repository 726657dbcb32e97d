//! Getting documents back from C: document and audit record URLs, and streamed downloads to a
//! file (written to a new file of an unpredictable name, renamed when complete) or to a write
//! callback. A download
//! never holds the whole document in memory.

use super::client::ss_client;
use crate::ffi::boundary::call;
use crate::ffi::download_target::Target;
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{handle, out, text};
use crate::ffi::runtime::{ss_progress_cb, ss_write_cb, Callbacks};
use crate::ffi::strings::c_string;
use crate::transport::transfer::DownloadSink;
use crate::Client;
use std::ffi::{c_char, c_void};

/// Runs a download into `target`, relaying progress and writes to this thread.
fn download<'a, F>(
    ss: &'a ss_client,
    target: Target,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
    start: impl FnOnce(&'a Client, DownloadSink, Option<crate::ProgressFn>) -> F,
) -> Result<(), FfiError>
where
    F: std::future::Future<Output = crate::Result<u64>>,
{
    let callbacks = target.callbacks(progress, progress_user_data);
    ss.run(&callbacks, |relay| {
        start(
            &ss.client,
            target.sink(&relay),
            progress.map(|_| relay.progress()),
        )
    })
    .map(drop)
}

/// Gets a download URL of a document, for the participant `user_email`.
///
/// `client` is borrowed; `guid`, `document_id` and `user_email` are borrowed for the call.
/// `out_url` receives the URL (a capability: anyone holding it can download the document), which
/// the caller owns and frees with `ss_string_free`. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`;
/// `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID, document id or e-mail);
/// `SS_ERR_HTTP_STATUS` ("User email not found", content deleted, 403, 404); `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_get_document_url(
    client: *const ss_client,
    guid: *const c_char,
    document_id: *const c_char,
    user_email: *const c_char,
    out_url: *mut *mut c_char,
) -> ss_result {
    call(|| {
        let out_url = out(out_url, "out_url")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let document_id = text(document_id, "document_id")?;
        let user_email = text(user_email, "user_email")?;
        let url = ss.run(&Callbacks::default(), |_| {
            client.get_document_url(guid, document_id, user_email)
        })?;
        // SAFETY: checked non-NULL by `out`.
        unsafe { *out_url = c_string(&url).into_raw() };
        Ok(())
    })
}

/// Downloads a document into the file `path`, streamed, reporting progress.
///
/// The document is written to a new file in `path`'s directory, `<name>.<random>.part`
/// (created with `O_CREAT|O_EXCL|O_NOFOLLOW`: no link is followed, no file there is touched),
/// and renamed to `path` (replacing any file there) once complete, so `path` appears complete
/// or not at all, also when several threads download to it: on any failure, including a stop
/// asked by `progress`, the partial file is removed. `client` is borrowed; `guid`,
/// `document_id`, `user_email` (the participant downloading) and `path` are borrowed for the
/// call. `progress` may be NULL; it is called on this thread with `progress_user_data` (see
/// `ss_progress_cb`). Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`;
/// `SS_ERR_INVALID_ARGUMENT` (empty GUID, document id, e-mail or path); `SS_ERR_IO` (cannot
/// write the file); `SS_ERR_ABORTED_BY_CALLBACK`; `SS_ERR_HTTP_STATUS` (as
/// `ss_get_document_url`); `SS_ERR_CONNECT` (also a download cut short); `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE` (also more bytes than the server announced, or 16 GiB without an announced
/// size). Thread-safe. Blocks; callbacks run on this thread.
#[no_mangle]
pub extern "C" fn ss_download_document(
    client: *const ss_client,
    guid: *const c_char,
    document_id: *const c_char,
    user_email: *const c_char,
    path: *const c_char,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let guid = text(guid, "guid")?;
        let document_id = text(document_id, "document_id")?;
        let user_email = text(user_email, "user_email")?;
        let target = Target::path(path)?;
        download(ss, target, progress, progress_user_data, |c, sink, p| {
            c.download_document(guid, document_id, user_email, sink, p)
        })
    })
}

/// Downloads a document through a write callback, streamed, reporting progress.
///
/// `write` receives the document's bytes in order, in blocks of at most 256 KiB, on this thread
/// with `write_user_data` (see `ss_write_cb`); a failed call may have written part of the
/// document. `client` is borrowed; `guid`, `document_id` and `user_email` (the participant
/// downloading) are borrowed for the call. `progress` may be NULL; it is called on this thread
/// with `progress_user_data`. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT` (NULL `write` too);
/// `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID, document id or e-mail);
/// `SS_ERR_IO` (`write` did not return the block's length); `SS_ERR_ABORTED_BY_CALLBACK`;
/// `SS_ERR_HTTP_STATUS` (as `ss_get_document_url`); `SS_ERR_CONNECT` (also a download cut
/// short); `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks; callbacks run on this
/// thread.
#[no_mangle]
pub extern "C" fn ss_download_document_to(
    client: *const ss_client,
    guid: *const c_char,
    document_id: *const c_char,
    user_email: *const c_char,
    write: ss_write_cb,
    write_user_data: *mut c_void,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let guid = text(guid, "guid")?;
        let document_id = text(document_id, "document_id")?;
        let user_email = text(user_email, "user_email")?;
        let target = Target::write(write, write_user_data)?;
        download(ss, target, progress, progress_user_data, |c, sink, p| {
            c.download_document(guid, document_id, user_email, sink, p)
        })
    })
}

/// Gets the URL of a SafeBox's audit record (a PDF of its events).
///
/// `client` is borrowed; `guid` is borrowed for the call. `out_url` receives the URL, which the
/// caller owns and frees with `ss_string_free`. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`;
/// `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID); `SS_ERR_HTTP_STATUS` (403,
/// 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks.
#[no_mangle]
pub extern "C" fn ss_get_audit_record_url(
    client: *const ss_client,
    guid: *const c_char,
    out_url: *mut *mut c_char,
) -> ss_result {
    call(|| {
        let out_url = out(out_url, "out_url")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let url = ss.run(&Callbacks::default(), |_| client.get_audit_record_url(guid))?;
        // SAFETY: checked non-NULL by `out`.
        unsafe { *out_url = c_string(&url).into_raw() };
        Ok(())
    })
}

/// Downloads a SafeBox's audit record PDF into the file `path`, streamed, reporting progress.
///
/// Like `ss_download_document`: written to a new file of an unpredictable name and renamed
/// when complete, so `path` appears complete or not at all. `client` is borrowed; `guid` and `path` are borrowed for the
/// call. `progress` may be NULL; it is called on this thread with `progress_user_data`.
/// Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT`
/// (empty GUID or path); `SS_ERR_IO`; `SS_ERR_ABORTED_BY_CALLBACK`; `SS_ERR_HTTP_STATUS`;
/// `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks; callbacks run on
/// this thread.
#[no_mangle]
pub extern "C" fn ss_download_audit_record(
    client: *const ss_client,
    guid: *const c_char,
    path: *const c_char,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let guid = text(guid, "guid")?;
        let target = Target::path(path)?;
        download(ss, target, progress, progress_user_data, |c, sink, p| {
            c.download_audit_record(guid, sink, p)
        })
    })
}

/// Downloads a SafeBox's audit record PDF through a write callback, streamed, reporting
/// progress.
///
/// Like `ss_download_document_to`: `write` gets the bytes in order on this thread with
/// `write_user_data`; `progress` (may be NULL) with `progress_user_data`. `client` is
/// borrowed; `guid` is borrowed for the call. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT` (NULL
/// `write` too); `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID); `SS_ERR_IO`
/// (`write` failed); `SS_ERR_ABORTED_BY_CALLBACK`; `SS_ERR_HTTP_STATUS`; `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Thread-safe. Blocks; callbacks run on this thread.
#[no_mangle]
pub extern "C" fn ss_download_audit_record_to(
    client: *const ss_client,
    guid: *const c_char,
    write: ss_write_cb,
    write_user_data: *mut c_void,
    progress: ss_progress_cb,
    progress_user_data: *mut c_void,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let guid = text(guid, "guid")?;
        let target = Target::write(write, write_user_data)?;
        download(ss, target, progress, progress_user_data, |c, sink, p| {
            c.download_audit_record(guid, sink, p)
        })
    })
}
