//! Building and creating a SafeBox from C: `ss_safebox` (recipients, message, attachments,
//! options), the step-by-step calls (initialize, upload, commit), `ss_submit_safebox`, and the
//! commit's `ss_safebox_response`.

use super::attachments::AttachmentSources;
use super::client::ss_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{free, give, handle, handle_mut, invalid, lend, opt_text, out, text};
use crate::ffi::runtime::{ss_progress_cb, ss_read_cb, ss_rewind_cb, Relay};
use crate::ffi::strings::c_string;
use crate::sendsecure::model::{
    check_participant_email, check_user_email, ContactMethod, DestinationType, LongTimeUnit,
    Recipient, RetentionPeriodType, Safebox, SafeboxResponse, TimeUnit,
};
use std::ffi::{c_char, c_void, CString};

/// Kinds of phone contact methods (spec: `home_phone`, `cell_phone`, `office_phone`,
/// `other_phone`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ss_destination_type {
    /// `home_phone`
    SS_DESTINATION_HOME = 0,
    /// `cell_phone`
    SS_DESTINATION_CELL = 1,
    /// `office_phone`
    SS_DESTINATION_OFFICE = 2,
    /// `other_phone`
    SS_DESTINATION_OTHER = 3,
}

/// A guest recipient of a SafeBox being built. Owned by its `ss_safebox`: never free it. While a
/// call uses its SafeBox (from that call's callbacks), changes are refused with
/// `SS_ERR_INVALID_STATE`.
pub struct ss_recipient {
    recipient: Recipient,
}

/// A SafeBox being built and created. One thread at a time; the caller owns it and frees it
/// with `ss_safebox_free`. After a failed call it keeps its state (GUID, uploaded
/// attachments), so the call can be repeated without uploading again what already succeeded.
///
/// In use while a call on it runs (`ss_initialize_safebox`, `ss_upload_attachments`,
/// `ss_commit_safebox`, `ss_submit_safebox`): from that call's callbacks, every change of it or
/// of its recipients (an attachment, a recipient, a setter, `ss_safebox_to_json`) is refused
/// with `SS_ERR_INVALID_STATE` and changes nothing; reading it is allowed; `ss_safebox_free`
/// frees it when the call returns.
pub struct ss_safebox {
    safebox: Safebox,
    // Boxed: C holds pointers to recipients, which must not move when the Vec grows.
    #[allow(clippy::vec_box)]
    recipients: Vec<Box<ss_recipient>>,
    /// The stream and descriptor sources of `safebox.attachments`.
    sources: AttachmentSources,
    guid: Option<CString>,
}

impl ss_safebox {
    /// Copies the recipients into the core SafeBox and refreshes the cached GUID afterwards.
    fn prepare(&mut self) {
        self.safebox.recipients = self
            .recipients
            .iter()
            .map(|r| r.recipient.clone())
            .collect();
    }

    fn after_call(&mut self) {
        self.guid = self.safebox.guid.as_deref().map(c_string);
    }
}

/// Creates an empty SafeBox owned by the user `user_email`.
///
/// `user_email` is borrowed for the call. `out_safebox` receives the SafeBox; the caller owns it
/// and must call `ss_safebox_free`. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8` or `SS_ERR_INVALID_ARGUMENT` (empty e-mail).
#[no_mangle]
pub extern "C" fn ss_safebox_new(
    user_email: *const c_char,
    out_safebox: *mut *mut ss_safebox,
) -> ss_result {
    call(|| {
        let out_safebox = out(out_safebox, "out_safebox")?;
        let email = text(user_email, "user_email")?;
        check_user_email(email)?;
        give(
            out_safebox,
            ss_safebox {
                safebox: Safebox::new(email),
                recipients: vec![],
                sources: AttachmentSources::default(),
                guid: None,
            },
        );
        Ok(())
    })
}

/// Frees a SafeBox with its recipients and attachments. NULL is a no-op; must not be called
/// twice. Pointers to its recipients become invalid. Called from a callback of a call that uses
/// the SafeBox, it frees it when that call returns.
#[no_mangle]
pub extern "C" fn ss_safebox_free(safebox: *mut ss_safebox) {
    guard(|| free(safebox))
}

/// Sets the subject.
///
/// The text is copied; NULL clears the value. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL
/// `safebox`) or `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_subject(
    safebox: *mut ss_safebox,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.safebox.subject = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Sets the message (a message or at least one attachment is required).
///
/// The text is copied; NULL clears the value. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL
/// `safebox`) or `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_message(
    safebox: *mut ss_safebox,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.safebox.message = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Sets the language of the recipients' notifications (default "en").
///
/// `language` is copied. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_notification_language(
    safebox: *mut ss_safebox,
    language: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.safebox.notification_language = text(language, "language")?.to_string();
        Ok(())
    })
}

/// Chooses the security profile by id; 0 means the enterprise's default (looked up by
/// `ss_submit_safebox`). Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_security_profile_id(
    safebox: *mut ss_safebox,
    profile_id: i64,
) -> ss_result {
    call(|| {
        handle_mut(safebox, "safebox")?.safebox.security_profile_id =
            (profile_id != 0).then_some(profile_id);
        Ok(())
    })
}

/// Whether the owner gets e-mail notifications (server default: yes).
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_email_notification_enabled(
    safebox: *mut ss_safebox,
    value: bool,
) -> ss_result {
    call(|| {
        handle_mut(safebox, "safebox")?
            .safebox
            .email_notification_enabled = Some(value);
        Ok(())
    })
}

/// Overrides the profile's `reply_enabled` (if the profile allows it).
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_reply_enabled(safebox: *mut ss_safebox, value: bool) -> ss_result {
    call(|| {
        handle_mut(safebox, "safebox")?
            .safebox
            .security_options
            .reply_enabled = Some(value);
        Ok(())
    })
}

/// Overrides the profile's `group_replies` (if the profile allows it).
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_group_replies(safebox: *mut ss_safebox, value: bool) -> ss_result {
    call(|| {
        handle_mut(safebox, "safebox")?
            .safebox
            .security_options
            .group_replies = Some(value);
        Ok(())
    })
}

/// Overrides the profile's `encrypt_message` (if the profile allows it).
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_encrypt_message(
    safebox: *mut ss_safebox,
    value: bool,
) -> ss_result {
    call(|| {
        handle_mut(safebox, "safebox")?
            .safebox
            .security_options
            .encrypt_message = Some(value);
        Ok(())
    })
}

/// Overrides the profile's `double_encryption` (if the profile allows it).
///
/// Returns `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_double_encryption(
    safebox: *mut ss_safebox,
    value: bool,
) -> ss_result {
    call(|| {
        handle_mut(safebox, "safebox")?
            .safebox
            .security_options
            .double_encryption = Some(value);
        Ok(())
    })
}

/// Sets the expiration as a duration: `value` units, `unit` one of "hours", "days", "weeks",
/// "months" (borrowed for the call).
///
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, or
/// `SS_ERR_INVALID_ARGUMENT` (value < 1 or unknown unit).
#[no_mangle]
pub extern "C" fn ss_safebox_set_expiration(
    safebox: *mut ss_safebox,
    value: i64,
    unit: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        let unit =
            TimeUnit::parse(text(unit, "unit")?).ok_or_else(|| invalid("Invalid time unit"))?;
        if value < 1 {
            return Err(invalid("expiration value must be at least 1"));
        }
        sb.safebox.security_options.expiration_value = Some(value);
        sb.safebox.security_options.expiration_unit = Some(unit);
        Ok(())
    })
}

/// Sets the retention policy: `type` one of "discard_at_expiration", "retain_at_expiration",
/// "do_not_discard"; for "retain_at_expiration", `value` and `unit` ("hours" … "years") give the
/// period (otherwise pass 0 and NULL). Strings are borrowed for the call.
///
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_set_retention(
    safebox: *mut ss_safebox,
    retention_type: *const c_char,
    value: i64,
    unit: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        // Both strings are read before either is judged: an invalid UTF-8 argument is reported
        // as such whatever the other one holds.
        let (kind, unit) = (
            text(retention_type, "retention_type")?,
            opt_text(unit, "unit")?,
        );
        let kind = RetentionPeriodType::parse(kind)
            .ok_or_else(|| invalid("Invalid retention period type"))?;
        let unit = match unit {
            Some(u) => Some(LongTimeUnit::parse(u).ok_or_else(|| invalid("Invalid time unit"))?),
            None => None,
        };
        let options = &mut sb.safebox.security_options;
        options.retention_period_type = Some(kind);
        options.retention_period_value = (value > 0).then_some(value);
        options.retention_period_unit = unit;
        Ok(())
    })
}

/// Adds a guest recipient.
///
/// `email` is copied. When `out_recipient` is not NULL it receives a pointer to the new
/// recipient, borrowed: it stays valid until the SafeBox is freed; never free it. Returns
/// `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty
/// e-mail: "Participant email cannot be null").
#[no_mangle]
pub extern "C" fn ss_safebox_add_recipient(
    safebox: *mut ss_safebox,
    email: *const c_char,
    out_recipient: *mut *mut ss_recipient,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        let email = text(email, "email")?;
        check_participant_email(email)?;
        let mut recipient = Box::new(ss_recipient {
            recipient: Recipient::new(email),
        });
        if !out_recipient.is_null() {
            // SAFETY: checked non-NULL; the Box keeps its address when moved into the Vec.
            unsafe { *out_recipient = &mut *recipient };
        }
        sb.recipients.push(recipient);
        Ok(())
    })
}

/// Sets a recipient's first name.
///
/// Copied; NULL clears it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_recipient_set_first_name(
    recipient: *mut ss_recipient,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(recipient, "recipient")?;
        r.recipient.first_name = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Sets a recipient's last name.
///
/// Copied; NULL clears it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_recipient_set_last_name(
    recipient: *mut ss_recipient,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(recipient, "recipient")?;
        r.recipient.last_name = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Sets a recipient's company name.
///
/// Copied; NULL clears it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`.
#[no_mangle]
pub extern "C" fn ss_recipient_set_company_name(
    recipient: *mut ss_recipient,
    value: *const c_char,
) -> ss_result {
    call(|| {
        let r = handle_mut(recipient, "recipient")?;
        r.recipient.company_name = opt_text(value, "value")?.map(str::to_string);
        Ok(())
    })
}

/// Adds a phone number to a recipient: `destination` (copied) of kind `destination_type` (an
/// `ss_destination_type` value).
///
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`
/// (empty destination or unknown type).
#[no_mangle]
pub extern "C" fn ss_recipient_add_contact_method(
    recipient: *mut ss_recipient,
    destination: *const c_char,
    destination_type: u32,
) -> ss_result {
    call(|| {
        let r = handle_mut(recipient, "recipient")?;
        let destination = text(destination, "destination")?;
        if destination.trim().is_empty() {
            return Err(invalid("Contact method destination cannot be empty"));
        }
        let kind = match destination_type {
            0 => DestinationType::Home,
            1 => DestinationType::Cell,
            2 => DestinationType::Office,
            3 => DestinationType::Other,
            other => return Err(invalid(format!("unknown destination type {other}"))),
        };
        r.recipient.contact_methods.push(ContactMethod {
            destination: destination.to_string(),
            destination_type: kind,
        });
        Ok(())
    })
}

/// Attaches a file from disk, read when it is uploaded (never loaded whole into memory).
///
/// `path` is copied; `content_type` NULL guesses it from the name; `file_name` NULL uses the
/// path's last component. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`,
/// `SS_ERR_IO` (missing or unreadable file, not a regular file).
#[no_mangle]
pub extern "C" fn ss_safebox_add_attachment_file(
    safebox: *mut ss_safebox,
    path: *const c_char,
    content_type: *const c_char,
    file_name: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.sources
            .add_file(&mut sb.safebox.attachments, path, content_type, file_name)
    })
}

/// Attaches bytes from memory; the `len` bytes at `data` are copied (`data` may be NULL when
/// `len` is 0).
///
/// `file_name` is required; `content_type` NULL guesses it from the name. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty name).
#[no_mangle]
pub extern "C" fn ss_safebox_add_attachment_bytes(
    safebox: *mut ss_safebox,
    data: *const u8,
    len: usize,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.sources.add_bytes(
            &mut sb.safebox.attachments,
            data,
            len,
            file_name,
            content_type,
        )
    })
}

/// Attaches an open file descriptor, read from its current offset to its end when uploaded.
///
/// The descriptor is duplicated: the caller keeps ownership of `fd` and may close it right
/// after this call. The duplicate shares the file offset with `fd`, so do not read or seek `fd`
/// until the attachment is uploaded. `file_name` is required; `content_type` NULL guesses it. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty name),
/// `SS_ERR_IO` (bad descriptor). Unix only.
#[cfg(unix)]
#[no_mangle]
pub extern "C" fn ss_safebox_add_attachment_fd(
    safebox: *mut ss_safebox,
    fd: i32,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.sources
            .add_fd(&mut sb.safebox.attachments, fd, file_name, content_type)
    })
}

/// Attaches a stream of exactly `size` bytes, pulled through `read` when it is uploaded.
///
/// `read` is called on the thread of the upload call with `user_data`, which must stay valid
/// until the attachment is uploaded or the SafeBox freed (the library never frees it). The
/// stream is read once: if its upload fails, it is not retried and the call fails (files,
/// bytes, descriptors and rewindable streams are retried, see
/// `ss_safebox_add_attachment_stream_rewindable`); calling again then calls `read` from where
/// it stopped, so restart the stream yourself before. `file_name` is required; `content_type`
/// NULL guesses it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `read` too),
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_add_attachment_stream(
    safebox: *mut ss_safebox,
    read: ss_read_cb,
    user_data: *mut c_void,
    size: u64,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.sources.add_stream(
            &mut sb.safebox.attachments,
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
/// `read` and `rewind` are called on the thread of the upload call with `user_data`, which
/// must stay valid until the attachment is uploaded or the SafeBox freed (the library never
/// frees it). `rewind` must put the stream back at its first byte and return 0; it is called
/// before every reading of the stream but the first (a retry after a broken connection, a
/// stall or a 429/502/503/504 answer, or a repeated call after a failure), never before the
/// first attempt. A non-zero return fails the call with `SS_ERR_IO`. `file_name` is required;
/// `content_type` NULL guesses it. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT` (NULL `safebox`,
/// `read`, `rewind` or `file_name`), `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty
/// name). One thread at a time.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn ss_safebox_add_attachment_stream_rewindable(
    safebox: *mut ss_safebox,
    read: ss_read_cb,
    rewind: ss_rewind_cb,
    user_data: *mut c_void,
    size: u64,
    file_name: *const c_char,
    content_type: *const c_char,
) -> ss_result {
    call(|| {
        let sb = handle_mut(safebox, "safebox")?;
        sb.sources.add_stream(
            &mut sb.safebox.attachments,
            read,
            Some(rewind),
            user_data,
            size,
            file_name,
            content_type,
        )
    })
}

/// The number of attachments. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_safebox_attachment_count(safebox: *const ss_safebox) -> usize {
    guard(|| {
        handle(safebox, "safebox")
            .map(|s| s.safebox.attachments.len())
            .unwrap_or(0)
    })
}

/// The SafeBox's GUID once initialized, else NULL.
///
/// Borrowed: valid until the next call that changes the SafeBox or `ss_safebox_free`.
#[no_mangle]
pub extern "C" fn ss_safebox_guid(safebox: *const ss_safebox) -> *const c_char {
    guard(|| {
        handle(safebox, "safebox")
            .ok()
            .and_then(|s| s.guid.as_ref())
            .map(|g| g.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The JSON the SafeBox's commit would send (`{"safebox":{…}}`), as it stands now.
///
/// `out_json` receives a string the caller owns and frees with `ss_string_free`. Returns
/// `SS_OK` or `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_safebox_to_json(
    safebox: *mut ss_safebox,
    out_json: *mut *mut c_char,
) -> ss_result {
    call(|| {
        let out_json = out(out_json, "out_json")?;
        let sb = handle_mut(safebox, "safebox")?;
        sb.prepare();
        // SAFETY: checked non-NULL by `out`.
        unsafe { *out_json = c_string(&sb.safebox.commit_json().to_string()).into_raw() };
        Ok(())
    })
}

/// Runs a core call on a SafeBox with its callbacks.
fn with_safebox<T>(
    client: *const ss_client,
    safebox: *mut ss_safebox,
    progress: ss_progress_cb,
    user_data: *mut c_void,
    body: impl for<'a> FnOnce(
        &'a crate::Client,
        &'a mut Safebox,
        Relay,
    ) -> futures_util::future::BoxFuture<'a, crate::Result<T>>,
) -> Result<T, FfiError> {
    let ss = handle(client, "client")?;
    let client = &ss.client;
    let sb = handle_mut(safebox, "safebox")?;
    // Its callbacks may call this library: the SafeBox and its recipients are theirs to read,
    // not to change or free.
    let _lent = lend(
        std::iter::once(safebox.cast_const().cast()).chain(
            sb.recipients
                .iter()
                .map(|r| std::ptr::from_ref(&**r).cast()),
        ),
    );
    sb.prepare();
    let callbacks = sb.sources.callbacks(progress, user_data);
    let (sources, inner) = (&sb.sources, &mut sb.safebox);
    let result = ss.run(&callbacks, |relay| {
        sources.attach(&mut inner.attachments, &relay);
        body(client, inner, relay)
    });
    sb.after_call();
    result
}

/// Initializes the SafeBox on the server: reserves its GUID and upload URL.
///
/// `client` and `safebox` are borrowed. Returns `SS_OK`; `SS_ERR_INVALID_STATE` if already
/// initialized; `SS_ERR_HTTP_STATUS` (403 when `user_email` is not the token's user),
/// `SS_ERR_CONNECT`, `SS_ERR_TIMEOUT`, `SS_ERR_DECODE`, `SS_ERR_NULL_ARGUMENT`. Blocks.
#[no_mangle]
pub extern "C" fn ss_initialize_safebox(
    client: *const ss_client,
    safebox: *mut ss_safebox,
) -> ss_result {
    call(|| {
        with_safebox(client, safebox, None, std::ptr::null_mut(), |c, sb, _| {
            Box::pin(c.initialize_safebox(sb))
        })
    })
}

/// Uploads every attachment not uploaded yet (`upload_concurrency` at a time), reporting
/// progress.
///
/// An upload that fails on a broken connection, a stall (`stall_timeout_ms` without a byte
/// moving: `SS_ERR_TIMEOUT`) or an answer 429, 502, 503 or 504 is sent again from its first
/// byte, up to `max_retries` times, when its source can be read again: files, bytes,
/// descriptors and rewindable streams (plain streams are not retried). The other attachments
/// are not sent again, and progress never goes backwards (a re-sent attachment is reported
/// again only past what was reported of it).
///
/// `progress` may be NULL; it is called on this thread with `user_data` (see
/// `ss_progress_cb`). Returns `SS_OK`; `SS_ERR_INVALID_STATE` before initialization;
/// `SS_ERR_ABORTED_BY_CALLBACK`; `SS_ERR_IO` (file unreadable, stream or rewind callback
/// error); `SS_ERR_HTTP_STATUS` (e.g. 400 forbidden extension, 413 too large),
/// `SS_ERR_CONNECT`, `SS_ERR_TIMEOUT`. Attachments uploaded before a failure stay uploaded.
/// Blocks.
#[no_mangle]
pub extern "C" fn ss_upload_attachments(
    client: *const ss_client,
    safebox: *mut ss_safebox,
    progress: ss_progress_cb,
    user_data: *mut c_void,
) -> ss_result {
    call(|| {
        with_safebox(client, safebox, progress, user_data, |c, sb, relay| {
            Box::pin(c.upload_attachments(sb, Some(relay.progress())))
        })
    })
}

/// What a commit returns: the new SafeBox's GUID, preview URL and encryption key, and the
/// server's whole answer as JSON. The caller owns it and frees it with
/// `ss_safebox_response_free`. Immutable: may be read from any thread.
pub struct ss_safebox_response {
    guid: CString,
    preview_url: CString,
    encryption_key: Option<CString>,
    json: CString,
    recovered: bool,
}

impl From<SafeboxResponse> for ss_safebox_response {
    fn from(r: SafeboxResponse) -> Self {
        ss_safebox_response {
            guid: c_string(&r.guid),
            preview_url: c_string(&r.preview_url),
            encryption_key: r.encryption_key.as_deref().map(c_string),
            json: c_string(&r.raw.to_string()),
            recovered: r.recovered,
        }
    }
}

/// Commits an initialized SafeBox whose attachments are uploaded, exactly once.
///
/// Checks first, as the vendor SDKs do: "SafeBox GUID cannot be null", "Participants cannot be
/// empty", "No Security Profile configured" (`SS_ERR_INVALID_ARGUMENT`). `out_response`
/// receives the answer (caller owns; `ss_safebox_response_free`).
///
/// When the commit's outcome is unknown (connection lost after sending, no answer within
/// `request_timeout_ms`, a 5xx or 429 answer, e.g. from a proxy), the SafeBox is looked up by
/// its GUID before anything else: if it exists the call succeeds with what is known
/// (`ss_safebox_response_recovered` is true: the GUID, the preview URL only if the SafeBox's
/// info has one, and no encryption key: a double encryption key is only in the lost answer);
/// if not, the commit is sent again (up to `max_retries` times, with the retry waits), and a
/// retry answered "has already been committed" is resolved by the same check. A SafeBox is
/// never created twice and the call never fails for one that was created, unless every check
/// failed too: then the error says the outcome is unknown and names the GUID; calling again is
/// safe (it checks first when told "already committed"). Each attempt and each check has the
/// request timeout, so this call can take longer than one.
///
/// Returns `SS_OK`, the argument errors, `SS_ERR_HTTP_STATUS` (400 with the server's
/// validation body, 5xx when the retries are spent and the SafeBox was not created),
/// `SS_ERR_CONNECT`, `SS_ERR_TIMEOUT`, `SS_ERR_DECODE`. Blocks.
#[no_mangle]
pub extern "C" fn ss_commit_safebox(
    client: *const ss_client,
    safebox: *mut ss_safebox,
    out_response: *mut *mut ss_safebox_response,
) -> ss_result {
    call(|| {
        let out_response = out(out_response, "out_response")?;
        let response = with_safebox(client, safebox, None, std::ptr::null_mut(), |c, sb, _| {
            Box::pin(async move { c.commit_safebox(sb).await })
        })?;
        give(out_response, ss_safebox_response::from(response));
        Ok(())
    })
}

/// Creates the SafeBox in one call: initializes it (if needed), uploads its attachments with
/// progress, uses the enterprise's default security profile when none is set, and commits.
///
/// `client` and `safebox` are borrowed (the SafeBox records its GUID and uploaded attachments,
/// so a failed submit can be repeated without re-sending them). `progress` may be NULL.
/// `out_response` receives the answer (caller owns; `ss_safebox_response_free`). Each step is
/// retried as described in `ss_client_options` and `ss_upload_attachments`; the commit is made
/// exactly once (see `ss_commit_safebox`). Returns `SS_OK` or any error of
/// `ss_initialize_safebox`, `ss_upload_attachments` and `ss_commit_safebox`. Blocks; callbacks
/// run on this thread.
#[no_mangle]
pub extern "C" fn ss_submit_safebox(
    client: *const ss_client,
    safebox: *mut ss_safebox,
    progress: ss_progress_cb,
    user_data: *mut c_void,
    out_response: *mut *mut ss_safebox_response,
) -> ss_result {
    call(|| {
        let out_response = out(out_response, "out_response")?;
        let response = with_safebox(client, safebox, progress, user_data, |c, sb, relay| {
            Box::pin(c.submit_safebox(sb, Some(relay.progress())))
        })?;
        give(out_response, ss_safebox_response::from(response));
        Ok(())
    })
}

/// The new SafeBox's GUID. Borrowed: valid until `ss_safebox_response_free`. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_safebox_response_guid(response: *const ss_safebox_response) -> *const c_char {
    guard(|| {
        handle(response, "response")
            .map(|r| r.guid.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The SafeBox's URL in the web application. Borrowed, like `ss_safebox_response_guid`.
#[no_mangle]
pub extern "C" fn ss_safebox_response_preview_url(
    response: *const ss_safebox_response,
) -> *const c_char {
    guard(|| {
        handle(response, "response")
            .map(|r| r.preview_url.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The participants' encryption key (double encryption only; given once), else NULL (also
/// NULL when the response was recovered: see `ss_safebox_response_recovered`).
/// Borrowed, like `ss_safebox_response_guid`.
#[no_mangle]
pub extern "C" fn ss_safebox_response_encryption_key(
    response: *const ss_safebox_response,
) -> *const c_char {
    guard(|| {
        handle(response, "response")
            .ok()
            .and_then(|r| r.encryption_key.as_ref())
            .map(|k| k.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Whether the commit's answer was lost and the SafeBox was found on the server by its GUID
/// (see `ss_commit_safebox`): it was created, but the response holds only what its info gives
/// (no encryption key; the JSON is the SafeBox's info). NULL gives false. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_response_recovered(response: *const ss_safebox_response) -> bool {
    guard(|| {
        handle(response, "response")
            .map(|r| r.recovered)
            .unwrap_or(false)
    })
}

/// The server's whole commit answer as JSON (the SafeBox's info when recovered). Borrowed,
/// like `ss_safebox_response_guid`.
#[no_mangle]
pub extern "C" fn ss_safebox_response_to_json(
    response: *const ss_safebox_response,
) -> *const c_char {
    guard(|| {
        handle(response, "response")
            .map(|r| r.json.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a commit answer. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_safebox_response_free(response: *mut ss_safebox_response) {
    guard(|| free(response))
}
