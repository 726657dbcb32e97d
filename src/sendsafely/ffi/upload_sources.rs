//! The files of an `ss_sendsafely_upload` as one call's core uploads: paths reopened, bytes
//! shared, descriptors read with positional reads from their recorded offset, and streams
//! pulled through the call's relay (their read callbacks run on the calling thread; a stream
//! read by an earlier call is rewound first).
//!
//! The core reads a source on a blocking thread: a stream's relay reader is driven there with
//! `Handle::block_on`, which waits for the calling thread to serve the read.

use super::upload::{ss_sendsafely_upload, Source};
use crate::ffi::runtime::{Callbacks, Relay};
use crate::sendsafely::model::{FileUpload, UploadSource};
use crate::transport::error::{Error, Result};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::runtime::Handle;

/// A relay reader read from a blocking thread.
struct BlockingRead {
    inner: Box<dyn AsyncRead + Send + Sync + Unpin>,
    runtime: Handle,
    started: Arc<AtomicBool>,
}

impl Read for BlockingRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.started.store(true, Ordering::SeqCst);
        self.runtime.block_on(self.inner.read(buf))
    }
}

/// A file read with positional reads from `position`: the descriptor's offset (shared with
/// the caller's) never moves.
#[cfg(unix)]
struct PositionalRead {
    file: std::fs::File,
    position: u64,
}

#[cfg(unix)]
impl Read for PositionalRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::os::unix::fs::FileExt::read_at(&self.file, buf, self.position)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl ss_sendsafely_upload {
    /// The C callbacks of a call: `progress` and the streams' read and rewind callbacks,
    /// numbered as the streams.
    pub(crate) fn callbacks(
        &self,
        progress: crate::ffi::runtime::ss_progress_cb,
        user_data: *mut std::ffi::c_void,
    ) -> Callbacks {
        Callbacks {
            progress: Some((progress, user_data)),
            readers: self.streams.iter().map(|s| (s.read, s.user_data)).collect(),
            rewinds: self.streams.iter().map(|s| s.rewind).collect(),
            generations: self.streams.iter().map(|_| Default::default()).collect(),
            writers: Vec::new(),
        }
    }

    /// The files for one call, inside it. A complete file is not read again (its stream is
    /// not pulled).
    pub(crate) async fn sources(&self, relay: &Relay) -> Result<Vec<FileUpload>> {
        let mut uploads = Vec::with_capacity(self.files.len());
        for (index, entry) in self.files.iter().enumerate() {
            let complete = self.state.file(index).complete;
            let source = match &entry.source {
                Source::Path(path) => UploadSource::Path(path.clone()),
                #[cfg(unix)]
                Source::File { file, start } => {
                    let io = |source| Error::Io {
                        path: entry.name.clone(),
                        source,
                    };
                    let file = file.try_clone().map_err(io)?;
                    let size = file.metadata().map_err(io)?.len().saturating_sub(*start);
                    UploadSource::Reader {
                        reader: Box::new(PositionalRead {
                            file,
                            position: *start,
                        }),
                        size,
                    }
                }
                #[cfg(not(unix))]
                Source::File { file, .. } => {
                    UploadSource::File(file.try_clone().map_err(|source| Error::Io {
                        path: entry.name.clone(),
                        source,
                    })?)
                }
                Source::Bytes(bytes) => UploadSource::Reader {
                    reader: Box::new(std::io::Cursor::new(bytes.clone())),
                    size: bytes.len() as u64,
                },
                Source::Stream(number) => {
                    let stream = &self.streams[*number];
                    let reader: Box<dyn Read + Send> = if complete {
                        Box::new(std::io::empty())
                    } else {
                        let generation = if stream.started.load(Ordering::SeqCst) {
                            self.rewind(*number, &entry.name, relay).await?
                        } else {
                            0
                        };
                        Box::new(BlockingRead {
                            inner: relay.reader_at(*number, generation),
                            runtime: Handle::current(),
                            started: stream.started.clone(),
                        })
                    };
                    UploadSource::Reader {
                        reader,
                        size: stream.size,
                    }
                }
            };
            uploads.push(FileUpload {
                name: entry.name.clone(),
                source,
                directory_id: entry.directory_id.clone(),
            });
        }
        Ok(uploads)
    }

    /// Restarts stream `number`, read by an earlier call: its new generation.
    async fn rewind(&self, number: usize, name: &str, relay: &Relay) -> Result<u64> {
        if self.streams[number].rewind.is_none() {
            return Err(Error::InvalidState(format!(
                "the stream of `{name}` was read by an earlier call and has no rewind callback: \
                 it cannot be read again from its start"
            )));
        }
        relay.rewind(number).await.map_err(|source| Error::Io {
            path: name.to_string(),
            source,
        })
    }
}
