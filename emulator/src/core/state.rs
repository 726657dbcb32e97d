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
    /// Whether `/_emulator/*` is served.
    pub control_enabled: bool,
}

/// The core state as services and the generic control routes hold it.
pub type CoreShared = Arc<CoreState>;
