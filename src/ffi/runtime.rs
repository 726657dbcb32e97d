//! The library's runtime, and running a core future for a blocking C call while relaying its
//! callbacks (progress reports, stream reads, download writes) to the calling thread, as curl
//! does.
//!
//! The future runs inside `Runtime::block_on` on the caller's thread; the connection tasks it
//! spawns run on the runtime's workers. Work that needs the caller (a progress report, a read
//! from a C stream, a write to a C sink) is sent through a channel that the `block_on` loop
//! serves, so every C callback runs on the thread that made the call. A callback returning
//! non-zero drops the future, which cancels the transfer.

use super::error::{ss_result, FfiError};
use crate::transport::transfer::{Progress, ProgressFn, BLOCK_SIZE};
use bytes::Bytes;
use std::ffi::{c_int, c_void};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, Once};
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::runtime::{Builder, Handle, Runtime};
use tokio::sync::{mpsc, oneshot};

/// Where an upload stands, passed to an `ss_progress_cb`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ss_progress {
    /// Which attachment (0-based) of this call the report is about.
    pub attachment_index: usize,
    /// How many attachments this call uploads.
    pub attachment_count: usize,
    /// Bytes of this attachment sent so far.
    pub attachment_bytes_sent: u64,
    /// This attachment's size.
    pub attachment_bytes_total: u64,
    /// Bytes of all the call's attachments sent so far.
    pub bytes_sent: u64,
    /// Size of all the call's attachments (0 when unknown).
    pub bytes_total: u64,
}

/// Progress callback: called on the thread that made the call, before each attachment starts
/// and after every block (256 KiB) handed to the connection. For a download it is called before
/// the first byte and after every block received, with `attachment_index` 0,
/// `attachment_count` 1 and `bytes_total` the document's size (0 when the server did not say).
/// `progress` is valid only during the call. Return 0 to continue; any other value stops the
/// call, which then returns `SS_ERR_ABORTED_BY_CALLBACK`. Must not call libsendsecure's
/// blocking functions.
pub type ss_progress_cb =
    Option<unsafe extern "C" fn(user_data: *mut c_void, progress: *const ss_progress) -> c_int>;

/// Read callback of a stream attachment: copy up to `len` bytes into `buf` and return how many
/// (0 at the end of the stream; a negative value reports an error and fails the call with
/// `SS_ERR_IO`). Called on the thread that made the upload call. Must not call
/// libsendsecure's blocking functions.
pub type ss_read_cb =
    Option<unsafe extern "C" fn(user_data: *mut c_void, buf: *mut u8, len: usize) -> i64>;

/// Rewind callback of a rewindable stream attachment: restart the stream at its first byte and
/// return 0 (any other value fails the call with `SS_ERR_IO`). Called on the thread that made
/// the upload call, before the stream is read again: before a retry of its upload, or in a
/// repeated call after a failure; never before its first read. Must not call libsendsecure's
/// blocking functions.
pub type ss_rewind_cb = Option<unsafe extern "C" fn(user_data: *mut c_void) -> c_int>;

/// Write callback of a download: take the `len` bytes at `buf` (valid only during the call) and
/// return `len`; any other value (e.g. -1) fails the download with `SS_ERR_IO`. Called on the
/// thread that made the download call, with blocks of at most 256 KiB, one at a time. Must not
/// call libsendsecure's blocking functions.
pub type ss_write_cb =
    Option<unsafe extern "C" fn(user_data: *mut c_void, buf: *const u8, len: usize) -> i64>;

/// A process's runtime: the one of the process (generation, see [`process_generation`]) that
/// built it. Never dropped: after `fork()` the child inherits the parent's without its threads,
/// so it must not be touched, not even dropped; the child builds its own, which keeps the
/// inherited one reachable through `previous` (for leak checkers).
struct Slot {
    generation: u64,
    runtime: Result<Runtime, String>,
    _previous: *const Slot,
}

/// The runtime of the latest generation that made one.
static SLOT: AtomicPtr<Slot> = AtomicPtr::new(std::ptr::null_mut());

/// How many `fork()`s separate this process from the first one that loaded the library (added
/// to by the child's `pthread_atfork` handler).
static FORKS: AtomicU64 = AtomicU64::new(0);

extern "C" fn forked_child() {
    FORKS.fetch_add(1, Ordering::SeqCst);
}

/// This process's generation: what a handle records at its creation, to tell in a forked child
/// that it belongs to the parent.
pub(crate) fn process_generation() -> u64 {
    FORKS.load(Ordering::SeqCst)
}

/// The library's runtime: two worker threads, created at the first call that needs them in
/// each process (a forked child gets its own).
pub(crate) fn runtime() -> Result<&'static Runtime, FfiError> {
    static AT_FORK: Once = Once::new();
    // Registered before any runtime exists, so that every fork after one is seen.
    #[cfg(unix)]
    // SAFETY: registers a handler that only adds to an atomic.
    AT_FORK.call_once(|| unsafe {
        libc::pthread_atfork(None, None, Some(forked_child));
    });
    let generation = process_generation();
    let slot = loop {
        let current = SLOT.load(Ordering::SeqCst);
        // SAFETY: slots are never freed.
        if let Some(slot) = unsafe { current.as_ref() } {
            if slot.generation == generation {
                break slot;
            }
        }
        let built = Box::into_raw(Box::new(Slot {
            generation,
            runtime: build_runtime(),
            _previous: current,
        }));
        if SLOT
            .compare_exchange(current, built, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            // Another thread of this process was quicker: its runtime is the one.
            // SAFETY: `built` was never shared.
            drop(unsafe { Box::from_raw(built) });
        }
    };
    slot.runtime.as_ref().map_err(|e| {
        FfiError::new(
            ss_result::SS_ERR_RUNTIME,
            format!("cannot start the I/O threads: {e}"),
        )
    })
}

fn build_runtime() -> Result<Runtime, String> {
    Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sendsecure-io")
        // A write to a closed connection must not kill a C host with SIGPIPE.
        .on_thread_start(super::sigpipe::block_in_library_thread)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// What a process inherited and must neither use nor drop (see [`keep_inherited`]).
struct Kept {
    _value: Box<dyn std::any::Any>,
    next: *mut Kept,
}

static KEPT: AtomicPtr<Kept> = AtomicPtr::new(std::ptr::null_mut());

/// Keeps `value` for good instead of dropping it: a forked child's copy of something of its
/// parent (a client's connection pool) whose drop would lock what the parent's threads may
/// have held at the fork, or close the parent's connections (a TLS close_notify on a shared
/// socket). Kept reachable, so that leak checkers see no leak.
pub(crate) fn keep_inherited(value: Box<dyn std::any::Any>) {
    let node = Box::into_raw(Box::new(Kept {
        _value: value,
        next: std::ptr::null_mut(),
    }));
    let mut head = KEPT.load(Ordering::SeqCst);
    loop {
        // SAFETY: `node` is ours until it is published.
        unsafe { (*node).next = head };
        match KEPT.compare_exchange(head, node, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => return,
            Err(now) => head = now,
        }
    }
}

/// A request from the running future to the calling thread.
enum Request {
    Progress(Progress),
    Read {
        source: usize,
        /// The stream's generation the reader belongs to (see `Callbacks::generations`).
        generation: u64,
        max: usize,
        reply: oneshot::Sender<io::Result<Bytes>>,
    },
    /// Restart a stream: answers its new generation.
    Rewind {
        source: usize,
        reply: oneshot::Sender<io::Result<u64>>,
    },
    Write {
        sink: usize,
        data: Bytes,
        reply: oneshot::Sender<io::Result<()>>,
    },
}

/// The C callbacks of one call.
#[derive(Default)]
pub(crate) struct Callbacks {
    pub progress: Option<(ss_progress_cb, *mut c_void)>,
    pub readers: Vec<(ss_read_cb, *mut c_void)>,
    /// The rewind callbacks of the readers (same numbering; `None` for plain streams).
    pub rewinds: Vec<ss_rewind_cb>,
    /// How many times each reader was rewound in this call: a read asked for by a reader of an
    /// earlier generation (an abandoned attempt) is refused without calling the read callback.
    pub generations: Vec<std::cell::Cell<u64>>,
    pub writers: Vec<(ss_write_cb, *mut c_void)>,
}

/// Handed to the core future: makes progress functions, readers and writers that talk to the
/// caller.
#[derive(Clone)]
pub(crate) struct Relay {
    tx: mpsc::UnboundedSender<Request>,
}

impl Relay {
    /// A progress function forwarding reports to the caller's callback.
    pub fn progress(&self) -> ProgressFn {
        let tx = self.tx.clone();
        Arc::new(move |p| {
            let _ = tx.send(Request::Progress(p));
        })
    }

    /// A reader pulling bytes from the caller's read callback number `source`.
    pub fn reader(&self, source: usize) -> Box<dyn AsyncRead + Send + Sync + Unpin> {
        self.reader_at(source, 0)
    }

    /// A reader pulling bytes from the caller's read callback number `source`, for the
    /// stream's generation `generation` (0 until rewound).
    pub fn reader_at(
        &self,
        source: usize,
        generation: u64,
    ) -> Box<dyn AsyncRead + Send + Sync + Unpin> {
        Box::new(RelayReader {
            source,
            generation,
            tx: self.tx.clone(),
            pending: None,
            leftover: Bytes::new(),
        })
    }

    /// Has the caller's rewind callback of stream `source` called (on the caller's thread);
    /// answers the stream's new generation.
    pub async fn rewind(&self, source: usize) -> io::Result<u64> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Request::Rewind { source, reply })
            .map_err(|_| io::Error::other("the call has ended"))?;
        rx.await
            .map_err(|_| io::Error::other("the call has ended"))?
    }

    /// A writer handing bytes to the caller's write callback number `sink`, in blocks of at
    /// most `BLOCK_SIZE`. Write-behind with one block in flight: a write is accepted at once
    /// when the previous one has been answered, and waits for that answer otherwise; flushing
    /// waits for the last answer. A callback that fails ends the call at once (see `serve`).
    pub fn writer(&self, sink: usize) -> Box<dyn AsyncWrite + Send + Unpin> {
        Box::new(RelayWriter {
            sink,
            tx: self.tx.clone(),
            pending: None,
        })
    }
}

struct RelayReader {
    source: usize,
    generation: u64,
    tx: mpsc::UnboundedSender<Request>,
    pending: Option<oneshot::Receiver<io::Result<Bytes>>>,
    leftover: Bytes,
}

impl AsyncRead for RelayReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.leftover.is_empty() {
            if this.pending.is_none() {
                let (reply, rx) = oneshot::channel();
                let request = Request::Read {
                    source: this.source,
                    generation: this.generation,
                    max: buf.remaining(),
                    reply,
                };
                this.tx
                    .send(request)
                    .map_err(|_| io::Error::other("the call has ended"))?;
                this.pending = Some(rx);
            }
            let rx = this.pending.as_mut().expect("a read request is pending");
            let answer = ready!(Pin::new(rx).poll(cx));
            this.pending = None;
            this.leftover = answer.map_err(|_| io::Error::other("the call has ended"))??;
            if this.leftover.is_empty() {
                return Poll::Ready(Ok(()));
            }
        }
        let n = this.leftover.len().min(buf.remaining());
        buf.put_slice(&this.leftover.split_to(n));
        Poll::Ready(Ok(()))
    }
}

struct RelayWriter {
    sink: usize,
    tx: mpsc::UnboundedSender<Request>,
    pending: Option<oneshot::Receiver<io::Result<()>>>,
}

impl RelayWriter {
    /// Waits for the answer to the write in flight, if any.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(rx) = self.pending.as_mut() {
            let answer = ready!(Pin::new(rx).poll(cx));
            self.pending = None;
            answer.map_err(|_| io::Error::other("the call has ended"))??;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for RelayWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        // At most one block per write: the callback's blocks are bounded whatever the caller
        // writes at once (`write_all` hands over the rest next time).
        let n = buf.len().min(BLOCK_SIZE);
        let (reply, rx) = oneshot::channel();
        let request = Request::Write {
            sink: this.sink,
            data: Bytes::copy_from_slice(&buf[..n]),
            reply,
        };
        this.tx
            .send(request)
            .map_err(|_| io::Error::other("the call has ended"))?;
        this.pending = Some(rx);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_pending(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_pending(cx)
    }
}

/// Serves one request on the calling thread; an error ends the call. A read callback's failure
/// is recorded in `stream_error`, so that the call reports it as `SS_ERR_IO` whatever the core
/// made of the failed read.
fn serve(
    callbacks: &Callbacks,
    request: Request,
    stream_error: &mut Option<String>,
) -> Result<(), FfiError> {
    match request {
        Request::Progress(p) => {
            if let Some((Some(cb), user_data)) = callbacks.progress {
                let report = ss_progress {
                    attachment_index: p.attachment_index,
                    attachment_count: p.attachment_count,
                    attachment_bytes_sent: p.attachment_bytes_sent,
                    attachment_bytes_total: p.attachment_bytes_total,
                    bytes_sent: p.bytes_sent,
                    bytes_total: p.bytes_total,
                };
                // SAFETY: the caller supplied this callback and user data for this call.
                if unsafe { cb(user_data, &report) } != 0 {
                    return Err(FfiError::new(
                        ss_result::SS_ERR_ABORTED_BY_CALLBACK,
                        "the progress callback asked to stop",
                    ));
                }
            }
            Ok(())
        }
        Request::Rewind { source, reply } => {
            let answer = match callbacks.rewinds.get(source) {
                Some(Some(cb)) => {
                    let user_data = callbacks.readers.get(source).map(|r| r.1);
                    // SAFETY: the caller supplied this callback and user data for the stream.
                    let rc = unsafe { cb(user_data.unwrap_or(std::ptr::null_mut())) };
                    if rc == 0 {
                        let generation = callbacks.generations.get(source).map(|g| {
                            g.set(g.get() + 1);
                            g.get()
                        });
                        Ok(generation.unwrap_or(0))
                    } else {
                        let text = format!(
                            "the rewind callback of stream attachment {source} returned {rc}"
                        );
                        *stream_error = Some(text.clone());
                        Err(io::Error::other(text))
                    }
                }
                _ => Err(io::Error::other("no rewind callback")),
            };
            let _ = reply.send(answer);
            Ok(())
        }
        Request::Read {
            source,
            generation,
            max,
            reply,
        } => {
            let current = callbacks.generations.get(source).map_or(0, |g| g.get());
            if generation != current {
                // A read of an abandoned attempt, served after the stream was rewound.
                let _ = reply.send(Err(io::Error::other("the stream was rewound")));
                return Ok(());
            }
            let answer = match callbacks.readers.get(source) {
                Some((Some(cb), user_data)) => {
                    let mut block = vec![0u8; max];
                    // SAFETY: the callback writes at most `max` bytes into `block`.
                    let n = unsafe { cb(*user_data, block.as_mut_ptr(), max) };
                    if n < 0 || n as u64 > max as u64 {
                        let text =
                            format!("the read callback of stream attachment {source} returned {n}");
                        *stream_error = Some(text.clone());
                        Err(io::Error::other(text))
                    } else {
                        block.truncate(n as usize);
                        Ok(Bytes::from(block))
                    }
                }
                _ => Err(io::Error::other("no read callback")),
            };
            let _ = reply.send(answer);
            Ok(())
        }
        Request::Write { sink, data, reply } => {
            let failure = match callbacks.writers.get(sink) {
                Some((Some(cb), user_data)) => {
                    // SAFETY: `data` is valid for `data.len()` bytes during the callback.
                    let n = unsafe { cb(*user_data, data.as_ptr(), data.len()) };
                    (n < 0 || n as u64 != data.len() as u64).then(|| {
                        format!(
                            "the write callback returned {n} for a block of {} bytes",
                            data.len()
                        )
                    })
                }
                _ => Some(format!("no write callback number {sink}")),
            };
            match failure {
                None => {
                    let _ = reply.send(Ok(()));
                    Ok(())
                }
                // A sink that refused bytes ends the call at once, like a stopping progress
                // callback: nothing more is received.
                Some(text) => {
                    let _ = reply.send(Err(io::Error::other(text.clone())));
                    Err(FfiError::new(ss_result::SS_ERR_IO, text))
                }
            }
        }
    }
}

/// Runs a core call for a blocking C function, serving its callbacks on this thread.
pub(crate) fn run<T, F>(callbacks: &Callbacks, make: impl FnOnce(Relay) -> F) -> Result<T, FfiError>
where
    F: Future<Output = crate::Result<T>>,
{
    run_until(callbacks, std::future::pending(), make)
}

/// As `run`, and ends the call with `SS_ERR_CANCELLED` as soon as `cancelled` completes.
pub(crate) fn run_until<T, F>(
    callbacks: &Callbacks,
    cancelled: impl Future<Output = ()>,
    make: impl FnOnce(Relay) -> F,
) -> Result<T, FfiError>
where
    F: Future<Output = crate::Result<T>>,
{
    if Handle::try_current().is_ok() {
        return Err(FfiError::new(
            ss_result::SS_ERR_INVALID_STATE,
            "libsendsecure's blocking functions must not be called from inside a libsendsecure callback",
        ));
    }
    let runtime = runtime()?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let future = make(Relay { tx });
    // The call's connections are also written from this thread: no SIGPIPE while it runs.
    let _sigpipe = super::sigpipe::Guard::block();
    runtime.block_on(async move {
        tokio::pin!(future);
        tokio::pin!(cancelled);
        let mut stream_error = None;
        loop {
            tokio::select! {
                biased;
                () = &mut cancelled => return Err(cancelled_error()),
                Some(request) = rx.recv() => serve(callbacks, request, &mut stream_error)?,
                result = &mut future => {
                    // Reports queued before the end still reach the caller; stopping is moot now.
                    while let Ok(request) = rx.try_recv() {
                        let _ = serve(callbacks, request, &mut stream_error);
                    }
                    return result.map_err(|e| match stream_error.take() {
                        Some(text) => FfiError::new(ss_result::SS_ERR_IO, text),
                        None => FfiError::from(e),
                    });
                }
            }
        }
    })
}

/// The error of a cancelled call.
pub(crate) fn cancelled_error() -> FfiError {
    FfiError::new(
        ss_result::SS_ERR_CANCELLED,
        "the call was cancelled (ss_client_cancel)",
    )
}
