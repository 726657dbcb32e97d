//! The state every service shares with the core: clock, faults, counters, request log and the
//! directory for uploaded files. A service keeps its own state beside it.

use crate::core::clock::Clock;
use crate::core::faults::Faults;
use crate::core::request_log::RequestLog;
use crate::core::stats::Stats;
use std::path::PathBuf;
use std::sync::Arc;

/// What the core keeps for every service.
#[derive(Debug)]
pub struct CoreState {
    pub clock: Clock,
    pub faults: Faults,
    pub stats: Stats,
    /// The last requests received (control API excepted).
    pub requests: RequestLog,
    /// Where uploaded files are kept.
    pub data_dir: PathBuf,
    /// Whether `/_emulator/*` is served on the main listener.
    pub control_enabled: bool,
    /// What the service does when the control API moves the clock.
    pub clock_moved: ClockHook,
}

impl CoreState {
    /// Tells the service that the control API moved the clock.
    pub fn clock_moved(&self) {
        if let Some(hook) = self.clock_moved.0.get() {
            hook();
        }
    }
}

/// What a service does when the clock moves (re-evaluates expiry), set once when it is built.
#[derive(Default)]
pub struct ClockHook(pub std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>);

impl std::fmt::Debug for ClockHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "ClockHook(set)"
        } else {
            "ClockHook(none)"
        })
    }
}

/// The core state as services and the generic control routes hold it.
pub type CoreShared = Arc<CoreState>;
