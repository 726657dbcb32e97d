//! The common shape of a blocking SendSafely call about one package: the client and the
//! package's id read from C, then one core call without callbacks.

use super::client::ss_sendsafely_client;
use crate::ffi::error::FfiError;
use crate::ffi::input::{handle, text};
use crate::ffi::runtime::Callbacks;
use crate::sendsafely::client::Client;
use crate::transport::error::Result;
use std::ffi::c_char;
use std::future::Future;

/// Reads `client` and `package_id` (named so in errors), then runs the call `make` builds.
pub(super) fn on_package<'a, T, F>(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    make: impl FnOnce(&'a Client, &'a str) -> F,
) -> std::result::Result<T, FfiError>
where
    F: Future<Output = Result<T>>,
{
    let ss: &'a ss_sendsafely_client = handle(client, "client")?;
    let package_id = text(package_id, "package_id")?;
    let client = &ss.client;
    ss.run(&Callbacks::default(), |_| make(client, package_id))
}
