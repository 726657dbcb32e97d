//! What SendSafely's handlers share: the core state, the configuration and the store.

use crate::core::state::CoreShared;
use crate::sendsafely::config::Config;
use std::sync::Arc;

/// SendSafely's state beside the core's.
#[derive(Debug)]
pub struct SendSafelyState {
    /// Clock, faults, counters, request log, data directory.
    pub core: CoreShared,
    /// The organisation and its settings.
    pub config: Config,
}

/// The state as handlers receive it.
pub type Shared = Arc<SendSafelyState>;

impl SendSafelyState {
    /// Builds the state.
    pub fn new(core: CoreShared, config: Config) -> Self {
        SendSafelyState { core, config }
    }
}
