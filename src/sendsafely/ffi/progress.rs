//! SendSafely's transfers report through the common `ss_progress_cb`: a file is an
//! "attachment" of the call (its index, count and bytes), the call's bytes are the totals.

use crate::ffi::runtime::Relay;
use crate::sendsafely::model::{
    DownloadProgress, DownloadProgressFn, UploadProgress, UploadProgressFn,
};
use crate::transport::transfer::Progress;
use std::sync::Arc;

/// An upload's reports, relayed to the caller's callback (which stops the call by returning
/// non-zero: the relay then drops the upload).
pub(crate) fn upload_progress(relay: &Relay) -> UploadProgressFn {
    let report = relay.progress();
    Arc::new(move |p: UploadProgress| {
        report(Progress {
            attachment_index: p.file_index,
            attachment_count: p.file_count,
            attachment_bytes_sent: p.file_bytes_done,
            attachment_bytes_total: p.file_bytes_total,
            bytes_sent: p.bytes_done,
            bytes_total: p.bytes_total,
        });
        true
    })
}

/// A download's reports, relayed to the caller's callback; the call's bytes are those of the
/// file being written.
pub(crate) fn download_progress(relay: &Relay) -> DownloadProgressFn {
    let report = relay.progress();
    Arc::new(move |p: DownloadProgress| {
        report(Progress {
            attachment_index: p.file_index,
            attachment_count: p.file_count,
            attachment_bytes_sent: p.bytes,
            attachment_bytes_total: p.bytes_total,
            bytes_sent: p.bytes,
            bytes_total: p.bytes_total,
        });
        true
    })
}
