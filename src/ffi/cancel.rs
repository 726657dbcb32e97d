//! Cancelling the calls running on a client from another thread (e.g. `ss_client_cancel`), the way
//! curl's multi interface lets a program drop a transfer: the call's future is dropped, which
//! closes its requests, and the call returns `SS_ERR_CANCELLED` at once.

use super::error::FfiError;
use super::runtime::{run_until, Callbacks, Relay};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use tokio_util::sync::CancellationToken;

/// A client's cancellation switch: each call takes the current token when it starts;
/// cancelling fires that token and puts a fresh one in place, so later calls run normally.
#[derive(Default)]
pub(crate) struct CancelSwitch {
    current: Mutex<CancellationToken>,
}

impl CancelSwitch {
    /// The token of the calls starting now.
    pub fn token(&self) -> CancellationToken {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Cancels every call that took the current token.
    pub fn cancel(&self) {
        let fired =
            std::mem::take(&mut *self.current.lock().unwrap_or_else(PoisonError::into_inner));
        fired.cancel();
    }
}

/// Runs a core call on `switch`'s client: as `run`, and ended by `ss_client_cancel`.
pub(crate) fn run_cancellable<T, F>(
    switch: &Arc<CancelSwitch>,
    callbacks: &Callbacks,
    make: impl FnOnce(Relay) -> F,
) -> Result<T, FfiError>
where
    F: Future<Output = crate::Result<T>>,
{
    let token = switch.token();
    run_until(callbacks, async move { token.cancelled().await }, make)
}
