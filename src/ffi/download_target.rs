//! Where a C download goes: a path (through a partial file renamed once complete) or a write
//! callback, read from a call's arguments; and the callbacks and sink of that call. Every
//! service's download functions take one.

use super::error::{ss_result, FfiError};
use super::input::text;
use super::runtime::{ss_progress_cb, ss_write_cb, Callbacks, Relay};
use crate::transport::transfer::{DownloadSink, BLOCK_SIZE};
use std::ffi::{c_char, c_void};
use std::path::PathBuf;

/// The target of one download call.
pub(crate) enum Target {
    Path(PathBuf),
    Write(ss_write_cb, *mut c_void),
}

impl Target {
    /// A `path` argument: required, not empty.
    pub fn path(path: *const c_char) -> Result<Target, FfiError> {
        Ok(Target::Path(non_empty_path(path, "path")?))
    }

    /// A `write` callback argument (required) with its user data.
    pub fn write(write: ss_write_cb, user_data: *mut c_void) -> Result<Target, FfiError> {
        if write.is_none() {
            return Err(FfiError::new(
                ss_result::SS_ERR_NULL_ARGUMENT,
                "`write` is NULL",
            ));
        }
        Ok(Target::Write(write, user_data))
    }

    /// The call's callbacks: `progress` (may be NULL) and, for a write callback, its writer
    /// number 0.
    pub fn callbacks(
        &self,
        progress: ss_progress_cb,
        progress_user_data: *mut c_void,
    ) -> Callbacks {
        let mut callbacks = Callbacks {
            progress: Some((progress, progress_user_data)),
            ..Callbacks::default()
        };
        if let Target::Write(write, user_data) = self {
            callbacks.writers.push((*write, *user_data));
        }
        callbacks
    }

    /// The sink the core writes to, relayed to this thread for a write callback.
    pub fn sink(self, relay: &Relay) -> DownloadSink {
        match self {
            Target::Path(path) => DownloadSink::Path(path),
            // Blocks of 256 KiB: few trips to the calling thread, bounded memory.
            Target::Write(..) => DownloadSink::Writer(Box::new(
                tokio::io::BufWriter::with_capacity(BLOCK_SIZE, relay.writer(0)),
            )),
        }
    }
}

/// A required path argument (`name` in messages) that is not empty.
pub(crate) fn non_empty_path(path: *const c_char, name: &str) -> Result<PathBuf, FfiError> {
    let path = text(path, name)?;
    if path.is_empty() {
        return Err(FfiError::new(
            ss_result::SS_ERR_INVALID_ARGUMENT,
            format!("`{name}` is empty"),
        ));
    }
    Ok(PathBuf::from(path))
}
