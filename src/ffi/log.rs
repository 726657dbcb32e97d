//! The library's log, handed to the program (`ss_set_log_callback`): the core logs through the
//! `log` facade; this bridge forwards the library's own records (targets in this crate:
//! requests, retries, uploads) to one C callback. Off until a callback is set. The records never
//! hold a token, a password, a query string or a server's message (see the core's log lines).

use super::boundary::call;
use super::error::{ss_result, FfiError};
use super::strings::c_string;
use std::cell::Cell;
use std::ffi::{c_char, c_void};
use std::sync::{Mutex, OnceLock, PoisonError, RwLock};

/// Severity of a log record; a callback receives the records up to the level it asked for.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ss_log_level {
    /// Nothing (to turn the log off).
    SS_LOG_OFF = 0,
    /// A call failed for good.
    SS_LOG_ERROR = 1,
    /// Something unexpected that the library worked around.
    SS_LOG_WARN = 2,
    /// Retries and other notable events.
    SS_LOG_INFO = 3,
    /// One line per request (method, path, status, duration) and per transfer.
    SS_LOG_DEBUG = 4,
    /// Everything the library logs.
    SS_LOG_TRACE = 5,
}

/// Log callback: receives one record, `message` a NUL-terminated UTF-8 line valid only during
/// the call. May be called on any thread (the calling thread or the library's I/O threads),
/// several at once: it must be thread-safe, quick, and must not call libsendsecure, except
/// `ss_set_log_callback`.
pub type ss_log_cb = Option<
    unsafe extern "C" fn(user_data: *mut c_void, level: ss_log_level, message: *const c_char),
>;

#[derive(Clone, Copy)]
struct Sink {
    callback: unsafe extern "C" fn(*mut c_void, ss_log_level, *const c_char),
    user_data: *mut c_void,
}

// SAFETY: the program promises (see `ss_set_log_callback`) that the callback and its user data
// may be used from any thread.
unsafe impl Send for Sink {}
unsafe impl Sync for Sink {}

/// The callback.
static SINK: Mutex<Option<Sink>> = Mutex::new(None);
/// Read-locked while a callback runs, so that replacing the callback waits for the running
/// ones. Not `SINK` itself: a callback that changes the setting must not wait for itself.
static RUNNING: RwLock<()> = RwLock::new(());

thread_local! {
    /// Whether this thread is running the callback.
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}
/// Whether the bridge is the process's logger (set once, at the first call).
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// The crate's name, which starts the target of its records (their module path): what the
/// bridge forwards is the library's own log, whichever service logged it, not its dependencies'.
const LIBRARY_TARGET: &str = env!("CARGO_CRATE_NAME");

struct Bridge;

impl log::Log for Bridge {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.target().starts_with(LIBRARY_TARGET) && metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if IN_CALLBACK.get() {
            // A record made by the callback itself (which must not call the library).
            return;
        }
        let _running = RUNNING.read().unwrap_or_else(PoisonError::into_inner);
        let sink = *SINK.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sink) = sink {
            let line = c_string(&format!("{}: {}", record.target(), record.args()));
            let level = match record.level() {
                log::Level::Error => ss_log_level::SS_LOG_ERROR,
                log::Level::Warn => ss_log_level::SS_LOG_WARN,
                log::Level::Info => ss_log_level::SS_LOG_INFO,
                log::Level::Debug => ss_log_level::SS_LOG_DEBUG,
                log::Level::Trace => ss_log_level::SS_LOG_TRACE,
            };
            IN_CALLBACK.set(true);
            // SAFETY: the program gave this callback and user data for exactly this use.
            unsafe { (sink.callback)(sink.user_data, level, line.as_ptr()) };
            IN_CALLBACK.set(false);
        }
    }

    fn flush(&self) {}
}

static BRIDGE: Bridge = Bridge;

/// Sets the callback that receives the library's log records, or turns the log off.
///
/// - `callback`: NULL turns the log off (the default). Called on any thread, possibly several
///   at once (see `ss_log_cb`); it must not call libsendsecure but this function.
/// - `user_data`: passed to every call; must stay valid until the callback is replaced.
/// - `max_level`: the most detailed level wanted (`SS_LOG_DEBUG` gives one line per request).
///
/// Records never contain the API token, a password, a query string or the server's messages.
/// The setting is process-wide. When this function returns, the previous callback is not
/// running and will not be called again. The callback itself may call this function (to turn
/// the log off, or hand over to another callback): the change holds for the records made after
/// it, and the function returns without waiting for the callbacks running on other threads. Returns `SS_OK`; `SS_ERR_INVALID_ARGUMENT` (unknown
/// level); `SS_ERR_INVALID_STATE` (the process already has another Rust logger, when the
/// library is linked into a Rust program that installed one). Thread-safe.
#[no_mangle]
pub extern "C" fn ss_set_log_callback(
    callback: ss_log_cb,
    user_data: *mut c_void,
    max_level: u32,
) -> ss_result {
    call(|| {
        let filter = match max_level {
            0 => log::LevelFilter::Off,
            1 => log::LevelFilter::Error,
            2 => log::LevelFilter::Warn,
            3 => log::LevelFilter::Info,
            4 => log::LevelFilter::Debug,
            5 => log::LevelFilter::Trace,
            _ => {
                return Err(FfiError::new(
                    ss_result::SS_ERR_INVALID_ARGUMENT,
                    format!(
                        "max_level must be SS_LOG_OFF (0) to SS_LOG_TRACE (5), not {max_level}"
                    ),
                ))
            }
        };
        if !*INSTALLED.get_or_init(|| log::set_logger(&BRIDGE).is_ok()) {
            return Err(FfiError::new(
                ss_result::SS_ERR_INVALID_STATE,
                "another logger is installed in this process: libsendsecure's records go to it",
            ));
        }
        {
            let mut sink = SINK.lock().unwrap_or_else(PoisonError::into_inner);
            *sink = callback.map(|callback| Sink {
                callback,
                user_data,
            });
            log::set_max_level(if sink.is_some() {
                filter
            } else {
                log::LevelFilter::Off
            });
        }
        // Waits for the callbacks running with the previous setting, unless called from one of
        // them: it would wait for itself.
        if !IN_CALLBACK.get() {
            drop(RUNNING.write().unwrap_or_else(PoisonError::into_inner));
        }
        Ok(())
    })
}
