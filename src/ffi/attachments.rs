//! Attachments from C, shared by `ss_safebox` and `ss_reply`: adding a file, bytes, a file
//! descriptor or a stream to a core attachment list, and preparing those sources for each
//! upload call (descriptors read again from their start, streams pulled through the call's
//! relay so that their read callbacks run on the calling thread).

use super::error::{ss_result, FfiError};
use super::input::{opt_text, text};
use super::runtime::{ss_progress_cb, ss_read_cb, Callbacks, Relay};
use crate::model::{Attachment, AttachmentSource};
use std::ffi::{c_char, c_void};

/// A stream attachment: the caller's read callback, pulled when the attachment is uploaded.
struct StreamSource {
    attachment: usize,
    read: ss_read_cb,
    user_data: *mut c_void,
}

/// An attachment read from a caller's file descriptor: our duplicate and the offset its bytes
/// start at, so that a call repeated after a failed upload reads them again from the start.
#[cfg_attr(not(unix), allow(dead_code))]
struct FdSource {
    attachment: usize,
    file: std::sync::Arc<std::fs::File>,
    start: u64,
}

/// Reads a file from `offset` on with positional reads (on the blocking pool), never through
/// the descriptor's shared offset: a read still running for an abandoned earlier attempt
/// cannot move what a new attempt reads.
#[cfg(unix)]
struct PositionalReader {
    file: std::sync::Arc<std::fs::File>,
    offset: u64,
    pending: Option<tokio::task::JoinHandle<std::io::Result<Vec<u8>>>>,
}

#[cfg(unix)]
impl tokio::io::AsyncRead for PositionalReader {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::future::Future;
        use std::os::unix::fs::FileExt;
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return std::task::Poll::Ready(Ok(()));
        }
        let pending = this.pending.get_or_insert_with(|| {
            let (file, offset, len) = (this.file.clone(), this.offset, buf.remaining());
            tokio::task::spawn_blocking(move || {
                let mut block = vec![0u8; len];
                let n = file.read_at(&mut block, offset)?;
                block.truncate(n);
                Ok(block)
            })
        });
        let result = std::task::ready!(std::pin::Pin::new(pending).poll(cx));
        this.pending = None;
        let block = result.map_err(std::io::Error::other)??;
        // Positional: what does not fit now is simply read again next time.
        let n = block.len().min(buf.remaining());
        buf.put_slice(&block[..n]);
        this.offset += n as u64;
        std::task::Poll::Ready(Ok(()))
    }
}

/// The C-side sources of an attachment list (a SafeBox's or a reply's `attachments`, which
/// stays in its core struct): the stream callbacks and file descriptors that must be prepared
/// again before every upload call. Files and bytes need nothing more than the core attachment.
///
/// Every method takes the list it adds to or prepares; pass always the same one.
#[derive(Default)]
pub(crate) struct AttachmentSources {
    streams: Vec<StreamSource>,
    fds: Vec<FdSource>,
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
        let file = std::fs::File::from(owned);
        let io = |e: std::io::Error| FfiError::new(ss_result::SS_ERR_IO, format!("{name}: {e}"));
        let mut keep = file.try_clone().map_err(io)?;
        let attachment = Attachment::from_file(file, name, content_type)?;
        let start = std::io::Seek::stream_position(&mut keep).map_err(io)?;
        self.fds.push(FdSource {
            attachment: list.len(),
            file: std::sync::Arc::new(keep),
            start,
        });
        list.push(attachment);
        Ok(())
    }

    /// `*_add_attachment_stream`: exactly `size` bytes pulled through `read` when uploaded.
    pub fn add_stream(
        &mut self,
        list: &mut Vec<Attachment>,
        read: ss_read_cb,
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
            user_data,
        });
        list.push(attachment);
        Ok(())
    }

    /// Before a call: points every not-yet-uploaded descriptor attachment at its start again
    /// (a failed upload may have read part of it).
    pub fn rewind(&self, list: &mut [Attachment]) {
        #[cfg(unix)]
        for source in &self.fds {
            if let Some(a) = list.get_mut(source.attachment) {
                if a.guid.is_none() {
                    a.source = AttachmentSource::Reader(Some(Box::new(PositionalReader {
                        file: source.file.clone(),
                        offset: source.start,
                        pending: None,
                    })));
                }
            }
        }
        #[cfg(not(unix))]
        let _ = list;
    }

    /// The callbacks of a call: `progress` and the read callbacks, numbered as `attach` uses
    /// them.
    pub fn callbacks(&self, progress: ss_progress_cb, user_data: *mut c_void) -> Callbacks {
        Callbacks {
            progress: Some((progress, user_data)),
            readers: self.streams.iter().map(|s| (s.read, s.user_data)).collect(),
            writers: Vec::new(),
        }
    }

    /// Inside a call: points every not-yet-uploaded stream attachment at this call's relay.
    pub fn attach(&self, list: &mut [Attachment], relay: &Relay) {
        for (source, stream) in self.streams.iter().enumerate() {
            if let Some(a) = list.get_mut(stream.attachment) {
                if a.guid.is_none() {
                    a.source = AttachmentSource::Reader(Some(relay.reader(source)));
                }
            }
        }
    }
}
