//! Cancelling the calls running on a client from another thread (`ss_client_cancel`), the way
//! curl's multi interface lets a program drop a transfer: the call's future is dropped, which
//! closes its requests, and the call returns `SS_ERR_CANCELLED` at once.

use super::boundary::call;
use super::client::ss_client;
use super::error::{ss_result, FfiError};
use super::input::handle;
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

impl ss_client {
    /// Runs a core call on this client (see `run_cancellable`).
    pub(crate) fn run<T, F>(
        &self,
        callbacks: &Callbacks,
        make: impl FnOnce(Relay) -> F,
    ) -> Result<T, FfiError>
    where
        F: Future<Output = crate::Result<T>>,
    {
        self.check_process()?;
        // A callback of the call may free the client: not before the call returns.
        let _lent = super::input::lend([std::ptr::from_ref(self).cast()]);
        run_cancellable(&self.cancel, callbacks, make)
    }
}

/// Cancels the calls running on `client` at this moment, from any thread.
///
/// Each of them stops what it is doing (its requests are closed, a partial download is
/// removed, attachments already uploaded stay uploaded) and returns `SS_ERR_CANCELLED` to its
/// own caller, promptly: at once, or as soon as a callback of that call running at this moment
/// returns. Calls started after this one are not affected; cancelling when nothing runs does
/// nothing. To cancel one call alone, give it a client of its own.
///
/// `client` is borrowed. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, or `SS_ERR_INVALID_STATE` (a
/// client inherited through `fork()`, see `ss_client`). Thread-safe; never blocks; may be
/// called from a callback of any call (including one of `client`'s).
#[no_mangle]
pub extern "C" fn ss_client_cancel(client: *const ss_client) -> ss_result {
    call(|| {
        let client = handle(client, "client")?;
        client.check_process()?;
        client.cancel.cancel();
        Ok(())
    })
}

/// The error of a cancelled call.
pub(crate) fn cancelled() -> FfiError {
    FfiError::new(
        ss_result::SS_ERR_CANCELLED,
        "the call was cancelled (ss_client_cancel)",
    )
}
