//! Attachments from C, shared by `ss_safebox` and `ss_reply`: adding a file, bytes, a file
//! descriptor or a stream to a core attachment list, and preparing the streams for each upload
//! call (pulled through the call's relay so that their read and rewind callbacks run on the
//! calling thread). Files, bytes and descriptors can be read again from their start by the core
//! itself (descriptors with positional reads from their recorded start), so their failed
//! uploads are retried; so are streams given with a rewind callback.

use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{opt_text, text};
use crate::ffi::runtime::{ss_progress_cb, ss_read_cb, ss_rewind_cb, Callbacks, Relay};
use crate::sendsecure::model::{Attachment, AttachmentReader, AttachmentSource};
use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A stream attachment: the caller's read callback, pulled when the attachment is uploaded,
/// and its rewind callback when it has one.
struct StreamSource {
    attachment: usize,
    read: ss_read_cb,
    rewind: ss_rewind_cb,
    user_data: *mut c_void,
    /// Whether the stream was handed out for reading (by any call): the next reader must
    /// rewind it first.
    started: Arc<AtomicBool>,
}

/// The C-side sources of an attachment list (a SafeBox's or a reply's `attachments`, which
/// stays in its core struct): the stream callbacks that must be connected to each upload call's
/// relay. Files, bytes and descriptors need nothing more than the core attachment.
///
/// Every method takes the list it adds to or prepares; pass always the same one.
#[derive(Default)]
pub(crate) struct AttachmentSources {
    streams: Vec<StreamSource>,
}

impl AttachmentSources {
    /// `*_add_attachment_file`: a file from disk, read when it is uploaded.
    pub fn add_file(
        &mut self,
        list: &mut Vec<Attachment>,
        path: *const c_char,
        content_type: *const c_char,
        file_name: *const c_char,
    ) -> Result<(), FfiError> {
        let attachment = Attachment::from_path(
            text(path, "path")?,
            opt_text(content_type, "content_type")?,
            opt_text(file_name, "file_name")?,
        )?;
        list.push(attachment);
        Ok(())
    }

    /// `*_add_attachment_bytes`: a copy of `len` bytes at `data` (NULL allowed when `len` is 0).
    pub fn add_bytes(
        &mut self,
        list: &mut Vec<Attachment>,
        data: *const u8,
        len: usize,
        file_name: *const c_char,
        content_type: *const c_char,
    ) -> Result<(), FfiError> {
        if data.is_null() && len > 0 {
            return Err(FfiError::new(
                ss_result::SS_ERR_NULL_ARGUMENT,
                "`data` is NULL",
            ));
        }
        let bytes = if len == 0 {
            Vec::new()
        } else {
            // SAFETY: the caller passes `len` readable bytes at `data`.
            unsafe { std::slice::from_raw_parts(data, len) }.to_vec()
        };
        let attachment = Attachment::from_bytes(
            bytes,
            text(file_name, "file_name")?,
            opt_text(content_type, "content_type")?,
        )?;
        list.push(attachment);
        Ok(())
    }

    /// `*_add_attachment_fd`: a duplicate of `fd`, read from its current offset to its end.
    #[cfg(unix)]
    pub fn add_fd(
        &mut self,
        list: &mut Vec<Attachment>,
        fd: i32,
        file_name: *const c_char,
        content_type: *const c_char,
    ) -> Result<(), FfiError> {
        use std::os::fd::{AsRawFd, BorrowedFd};
        let name = text(file_name, "file_name")?;
        let content_type = opt_text(content_type, "content_type")?;
        if fd < 0 {
            return Err(FfiError::new(
                ss_result::SS_ERR_IO,
                format!("`fd` {fd} is not a file descriptor"),
            ));
        }
        // SAFETY: the caller promises `fd` is an open descriptor for the duration of this call;
        // we only duplicate it, so ours stays valid after the caller closes theirs.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        let owned = borrowed.try_clone_to_owned().map_err(|e| {
            FfiError::new(
                ss_result::SS_ERR_IO,
                format!("`fd` {}: {e}", borrowed.as_raw_fd()),
            )
        })?;
        // Read with positional reads from its current offset, for each attempt (see
        // `Attachment::from_file`).
        let attachment = Attachment::from_file(std::fs::File::from(owned), name, content_type)?;
        list.push(attachment);
        Ok(())
    }

    /// `*_add_attachment_stream` (`rewind` None) and `*_add_attachment_stream_rewindable`:
    /// exactly `size` bytes pulled through `read` when uploaded, restarted with `rewind` before
    /// it is read again.
    #[allow(clippy::too_many_arguments)]
    pub fn add_stream(
        &mut self,
        list: &mut Vec<Attachment>,
        read: ss_read_cb,
        rewind: Option<ss_rewind_cb>,
        user_data: *mut c_void,
        size: u64,
        file_name: *const c_char,
        content_type: *const c_char,
    ) -> Result<(), FfiError> {
        if read.is_none() {
            return Err(FfiError::new(
                ss_result::SS_ERR_NULL_ARGUMENT,
                "`read` is NULL",
            ));
        }
        if matches!(rewind, Some(None)) {
            return Err(FfiError::new(
                ss_result::SS_ERR_NULL_ARGUMENT,
                "`rewind` is NULL",
            ));
        }
        // The real reader is the call's relay, set by `attach`.
        let attachment = Attachment::from_reader(
            Box::new(tokio::io::empty()),
            size,
            text(file_name, "file_name")?,
            opt_text(content_type, "content_type")?,
        )?;
        self.streams.push(StreamSource {
            attachment: list.len(),
            read,
            rewind: rewind.flatten(),
            user_data,
            started: Arc::default(),
        });
        list.push(attachment);
        Ok(())
    }

    /// The callbacks of a call: `progress` and the read callbacks, numbered as `attach` uses
    /// them.
    pub fn callbacks(&self, progress: ss_progress_cb, user_data: *mut c_void) -> Callbacks {
        Callbacks {
            progress: Some((progress, user_data)),
            readers: self.streams.iter().map(|s| (s.read, s.user_data)).collect(),
            rewinds: self.streams.iter().map(|s| s.rewind).collect(),
            generations: self.streams.iter().map(|_| Default::default()).collect(),
            writers: Vec::new(),
        }
    }

    /// Inside a call: points every not-yet-uploaded stream attachment at this call's relay. A
    /// plain stream is one reader (read once: its upload is not retried); a rewindable one is
    /// reopened for each attempt, rewound first whenever it was read before.
    pub fn attach(&self, list: &mut [Attachment], relay: &Relay) {
        for (source, stream) in self.streams.iter().enumerate() {
            let Some(a) = list.get_mut(stream.attachment) else {
                continue;
            };
            if a.guid.is_some() {
                continue;
            }
            if stream.rewind.is_none() {
                a.source = AttachmentSource::Reader(Some(relay.reader(source)));
                continue;
            }
            let (relay, started) = (relay.clone(), stream.started.clone());
            a.source = AttachmentSource::Reopen(Box::new(move || {
                let (relay, started) = (relay.clone(), started.clone());
                Box::pin(async move {
                    let generation = if started.swap(true, Ordering::SeqCst) {
                        relay.rewind(source).await?
                    } else {
                        0
                    };
                    let reader: AttachmentReader = relay.reader_at(source, generation);
                    Ok(reader)
                })
            }));
        }
    }
}
