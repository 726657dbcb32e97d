//! What SendSafely's handlers share: the core state, the configuration and the store.

use crate::core::state::CoreShared;
use crate::sendsafely::config::Config;
use crate::sendsafely::store::Store;
use std::sync::{Arc, Mutex, MutexGuard};

/// SendSafely's state beside the core's.
#[derive(Debug)]
pub struct SendSafelyState {
    /// Clock, faults, counters, request log, data directory.
    pub core: CoreShared,
    /// The organisation and its settings.
    pub config: Config,
    store: Mutex<Store>,
}

/// The state as handlers receive it.
pub type Shared = Arc<SendSafelyState>;

impl SendSafelyState {
    /// Builds the state.
    pub fn new(core: CoreShared, config: Config) -> Self {
        let store = Store::new(&config, &core.data_dir);
        SendSafelyState {
            core,
            config,
            store: Mutex::new(store),
        }
    }

    /// Locks the store (a poisoned lock is taken over: every change is made in one step).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}
