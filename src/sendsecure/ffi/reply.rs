//! Replying to a SafeBox from C: the `ss_reply` builder (message, consent, attachments) and
//! `ss_send_reply`, which uploads the attachments not uploaded yet and posts the reply.

use super::attachments::AttachmentSources;
use super::client::ss_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::input::{free, give, handle, handle_mut, lend, opt_text, out, text};
use crate::ffi::runtime::{ss_progress_cb, ss_read_cb, ss_rewind_cb};
use crate::Reply;
use std::ffi::{c_char, c_void};

/// A reply being built and sent. One thread at a time; the caller owns it and frees it with
/// `ss_reply_free`. After a failed `ss_send_reply` it keeps its uploaded attachments, so the
/// call can be repeated without sending them again.
///
/// In use while `ss_send_reply` sends it: from that call's callbacks, every change of it (an
/// attachment, the message, the consent) is refused with `SS_ERR_INVALID_STATE` and changes
/// nothing; reading it is allowed; `ss_reply_free` frees it when the call returns.
pub struct ss_reply {
    reply: Reply,
    /// The stream and descriptor sources of `reply.attachments`.
    sources: AttachmentSources,
}

/// Creates an empty reply.
///
/// `out_reply` receives the reply; the caller owns it and must call `ss_reply_free`. Returns
/// `SS_OK` or `SS_ERR_NULL_ARGUMENT` (NULL `out_reply`). Thread-safe.
#[no_mangle]
pub extern "C" fn ss_reply_new(out_reply: *mut *mut ss_reply) -> ss_result {
    call(|| {
        let out_reply = out(out_reply, "out_reply")?;
        give(
            out_reply,
            ss_reply {
                reply: Reply::default(),
                sources: AttachmentSources::default(),
            },
        );
        Ok(())
    })
}

/// Frees a reply with its attachments. NULL is a no-op; must not be called twice. Called from a
/// callback of `ss_send_reply` on this reply, it frees it when that call returns.
#[no_mangle]
pub extern "C" fn ss_reply_free(reply: *mut ss_reply) {
    guard(|| free(reply))
}

/// Sets the reply's message (required when the reply has no attachment).
///
/// The text is copied; NULL clears it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `reply`)
/// or `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_reply_set_message(reply: *mut ss_reply, text: *const c_char) -> ss_result {
    call(|| {
        let r = handle_mut(reply, "reply")?;
        r.reply.message = opt_text(text, "text")?.map(str::to_string);
        Ok(())
    })
}

/// Sets whether the reply accepts the SafeBox's consent text (needed when its security profile
/// asks for consent; not sent unless set).
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_reply_set_consent(reply: *mut ss_reply, consent: bool) -> ss_result {
    call(|| {
        handle_mut(reply, "reply")?.reply.consent = Some(consent);
        Ok(())
    })
}

/// Attaches a file from disk, read when it is uploaded (never loaded whole into memory).
///
/// `path` is copied; `content_type` NULL guesses it from the name; `file_name` NULL uses the
/// path's last component. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`,
/// `SS_ERR_IO` (missing or unreadable file, not a regular file).
#[no_mangle]
pub extern "C" fn ss_reply_add_attachment_file(
    reply: *mut ss_reply,
    path: *const c_char,
    content_type: *const c_char,
    file_name: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(reply, "reply")?;
        r.sources
            .add_file(&mut r.reply.attachments, path, content_type, file_name)
    })
}

/// Attaches bytes from memory; the `len` bytes at `data` are copied (`data` may be NULL when
/// `len` is 0).
///
/// `file_name` is required; `content_type` NULL guesses it from the name. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty name).
#[no_mangle]
pub extern "C" fn ss_reply_add_attachment_bytes(
    reply: *mut ss_reply,
    data: *const u8,
    len: usize,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(reply, "reply")?;
        r.sources
            .add_bytes(&mut r.reply.attachments, data, len, file_name, content_type)
    })
}

/// Attaches an open file descriptor, read from its current offset to its end when uploaded.
///
/// The descriptor is duplicated: the caller keeps ownership of `fd` and may close it right
/// after this call. The duplicate shares the file offset with `fd`, so do not read or seek `fd`
/// until the attachment is uploaded. `file_name` is required; `content_type` NULL guesses it.
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`
/// (empty name), `SS_ERR_IO` (bad descriptor). Unix only.
#[cfg(unix)]
#[no_mangle]
pub extern "C" fn ss_reply_add_attachment_fd(
    reply: *mut ss_reply,
    fd: i32,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(reply, "reply")?;
        r.sources
            .add_fd(&mut r.reply.attachments, fd, file_name, content_type)
    })
}

/// Attaches a stream of exactly `size` bytes, pulled through `read` when it is uploaded.
///
/// `read` is called on the thread of `ss_send_reply` with `user_data`, which must stay valid
/// until the attachment is uploaded or the reply freed (the library never frees it). The
/// stream is read once: if its upload fails, it is not retried and the call fails (files,
/// bytes, descriptors and rewindable streams are retried, see
/// `ss_reply_add_attachment_stream_rewindable`); calling again then calls `read` from where it
/// stopped, so restart the stream yourself before. `file_name` is required; `content_type`
/// NULL guesses it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `read` too),
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty name).
#[no_mangle]
pub extern "C" fn ss_reply_add_attachment_stream(
    reply: *mut ss_reply,
    read: ss_read_cb,
    user_data: *mut c_void,
    size: u64,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(reply, "reply")?;
        r.sources.add_stream(
            &mut r.reply.attachments,
            read,
            None,
            user_data,
            size,
            file_name,
            content_type,
        )
    })
}

/// Attaches a stream of exactly `size` bytes that can be restarted: pulled through `read` when
/// it is uploaded, and restarted with `rewind` before it is read again, so that a failed upload
/// is retried (sent again from its first byte) like a file's.
///
/// `read` and `rewind` are called on the thread of `ss_send_reply` with `user_data`, which must
/// stay valid until the attachment is uploaded or the reply freed (the library never frees
/// it). `rewind` must put the stream back at its first byte and return 0; it is called before
/// every reading of the stream but the first (a retry after a broken connection, a stall or a
/// 429/502/503/504 answer, or a repeated call after a failure), never before the first attempt.
/// A non-zero return fails the call with `SS_ERR_IO`. `file_name` is required; `content_type`
/// NULL guesses it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `reply`, `read`, `rewind` or
/// `file_name`), `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty name). One thread at
/// a time.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn ss_reply_add_attachment_stream_rewindable(
    reply: *mut ss_reply,
    read: ss_read_cb,
    rewind: ss_rewind_cb,
    user_data: *mut c_void,
    size: u64,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(reply, "reply")?;
        r.sources.add_stream(
            &mut r.reply.attachments,
            read,
            Some(rewind),
            user_data,
            size,
            file_name,
            content_type,
        )
    })
}

/// The number of attachments of a reply. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_reply_attachment_count(reply: *const ss_reply) -> usize {
    guard(|| {
        handle(reply, "reply")
            .map(|r| r.reply.attachments.len())
            .unwrap_or(0)
    })
}

/// Sends a reply to the SafeBox `guid`: uploads its attachments not uploaded yet (streamed,
/// reporting progress), then posts the message with them.
///
/// `client` and `reply` are borrowed (the reply records its uploaded attachments, so a failed
/// call can be repeated without sending them again; after a success the reply is spent: its
/// documents belong to the posted message, and sending it again gives `SS_ERR_INVALID_STATE`).
/// `guid` is borrowed for the call.
/// `progress` may be NULL; it is called on this thread with `user_data` (see `ss_progress_cb`).
/// The message is posted at most once: when its answer is lost and it has attachments, the
/// SafeBox's messages are read, and one holding its documents means it was posted (`SS_OK`);
/// a lost answer to a reply without attachments stays an error (it may have been posted).
/// Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT`
/// ("Reply message cannot be empty without attachments", empty GUID); `SS_ERR_INVALID_STATE`
/// (the reply was sent already); `SS_ERR_ABORTED_BY_CALLBACK`; `SS_ERR_IO` (file unreadable, stream error);
/// `SS_ERR_HTTP_STATUS` (e.g. replies disabled, consent missing, 400 forbidden extension, 413
/// too large, 403, 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. `client` is
/// thread-safe; `reply` is used by one thread at a time. Blocks; callbacks run on this thread.
#[no_mangle]
pub extern "C" fn ss_send_reply(
    client: *const ss_client,
    guid: *const c_char,
    reply: *mut ss_reply,
    progress: ss_progress_cb,
    user_data: *mut c_void,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let r = handle_mut(reply, "reply")?;
        // Its callbacks may call this library: the reply is theirs to read, not to change.
        let _lent = lend([reply.cast_const().cast()]);
        let callbacks = r.sources.callbacks(progress, user_data);
        let (sources, inner) = (&r.sources, &mut r.reply);
        ss.run(&callbacks, |relay| {
            sources.attach(&mut inner.attachments, &relay);
            client.reply(guid, inner, Some(relay.progress()))
        })
    })
}
