//! What SendSecure's handlers share: the core state and the store.

use crate::core::state::CoreShared;
use crate::sendsecure::store::Store;
use std::sync::{Arc, Mutex, MutexGuard};

/// SendSecure's state beside the core's.
#[derive(Debug)]
pub struct SendSecureState {
    /// Clock, faults, counters, request log, data directory.
    pub core: CoreShared,
    store: Mutex<Store>,
}

/// The state as handlers receive it.
pub type Shared = Arc<SendSecureState>;

impl SendSecureState {
    /// Builds the state.
    pub fn new(core: CoreShared, store: Store) -> Self {
        SendSecureState {
            core,
            store: Mutex::new(store),
        }
    }

    /// Locks the store. A handler that panicked while holding it leaves consistent data (every
    /// change is made in one step), so a poisoned lock is simply taken over.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}
