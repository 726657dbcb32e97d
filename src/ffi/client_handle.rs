//! What every service's client handle holds besides its client: the switch that cancels its
//! running calls, and the process that created it (a client inherited through `fork()` refuses
//! every call and, when freed, leaves the parent's connections alone).

use crate::ffi::cancel::{run_cancellable, CancelSwitch};
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::runtime::{Callbacks, Relay};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::sync::Arc;

/// A service's client as a C handle holds it.
pub struct ClientHandle<C: Send + Sync + 'static> {
    pub(crate) client: ManuallyDrop<C>,
    /// Fired by the service's `*_cancel` function.
    cancel: ManuallyDrop<Arc<CancelSwitch>>,
    /// The process generation that created it (see `runtime::process_generation`).
    generation: u64,
    /// The name of the function that makes a client, for the message of a forked one.
    constructor: &'static str,
}

impl<C: Send + Sync + 'static> ClientHandle<C> {
    /// A handle on `client`, made by the C function `constructor`, in this process.
    pub(crate) fn new(client: C, constructor: &'static str) -> ClientHandle<C> {
        ClientHandle {
            client: ManuallyDrop::new(client),
            cancel: Default::default(),
            generation: crate::ffi::runtime::process_generation(),
            constructor,
        }
    }

    /// Another handle on the same connections, cancel switch and process (an iterator's).
    pub(crate) fn share(&self) -> ClientHandle<C>
    where
        C: Clone,
    {
        ClientHandle {
            client: self.client.clone(),
            cancel: self.cancel.clone(),
            generation: self.generation,
            constructor: self.constructor,
        }
    }

    /// Refuses a client inherited through `fork()`.
    pub(crate) fn check_process(&self) -> Result<(), FfiError> {
        if self.generation == crate::ffi::runtime::process_generation() {
            return Ok(());
        }
        Err(FfiError::new(
            ss_result::SS_ERR_INVALID_STATE,
            format!(
                "this client was created before this process was forked: its connections \
                 belong to the parent process; create a new client ({}) in this process",
                self.constructor
            ),
        ))
    }

    /// Runs a core call on this client (see `run_cancellable`).
    pub(crate) fn run<T, F>(
        &self,
        callbacks: &Callbacks,
        make: impl FnOnce(Relay) -> F,
    ) -> Result<T, FfiError>
    where
        F: Future<Output = crate::transport::error::Result<T>>,
    {
        self.check_process()?;
        // A callback of the call may free the client: not before the call returns.
        let _lent = crate::ffi::input::lend([std::ptr::from_ref(self).cast()]);
        run_cancellable(&self.cancel, callbacks, make)
    }

    /// Cancels the calls running on this client at this moment.
    pub(crate) fn cancel(&self) -> Result<(), FfiError> {
        self.check_process()?;
        self.cancel.cancel();
        Ok(())
    }
}

impl<C: Send + Sync + 'static> Drop for ClientHandle<C> {
    fn drop(&mut self) {
        // SAFETY: the fields are taken or dropped once, here.
        let (client, cancel) = unsafe {
            (
                ManuallyDrop::take(&mut self.client),
                ManuallyDrop::take(&mut self.cancel),
            )
        };
        if self.check_process().is_err() {
            // The parent's: dropping its pool could lock what the parent's threads held at the
            // fork, or close the parent's connections.
            crate::ffi::runtime::keep_inherited(Box::new((client, cancel)));
        }
    }
}
