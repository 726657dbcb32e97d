//! `ss_sendsafely_client` (thread-safe): a SendSafely client from C.

use crate::ffi::boundary::{call, guard};
use crate::ffi::client_handle::ClientHandle;
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::options::{read_client_options, ss_client_options};
use crate::sendsafely::client::{Client, ClientOptions};
use std::ffi::c_char;

/// A SendSafely client: one API key and secret, one connection pool.
///
/// Thread-safe: the same `const ss_sendsafely_client *` may be used by many threads at once.
/// Processes: as `ss_client`, a client inherited through `fork()` refuses every call with
/// `SS_ERR_INVALID_STATE` (see "Processes and fork" in docs/c-api.md).
pub struct ss_sendsafely_client(pub(crate) ClientHandle<Client>);

impl std::ops::Deref for ss_sendsafely_client {
    type Target = ClientHandle<Client>;
    fn deref(&self) -> &ClientHandle<Client> {
        &self.0
    }
}

/// SendSafely's settings from the common options: the transport's, and its own concurrency.
fn read_options(options: *const ss_client_options) -> Result<ClientOptions, FfiError> {
    let read = read_client_options(options)?;
    let defaults = ClientOptions::default();
    Ok(ClientOptions {
        transfer_concurrency: read
            .transfer_concurrency
            .unwrap_or(defaults.transfer_concurrency),
        crypto_threads: read.crypto_threads.unwrap_or(defaults.crypto_threads),
        transport: read.transport,
    })
}

/// Creates a SendSafely client; every request it sends is signed with the key and secret.
///
/// - `host`: the portal's origin, e.g. `https://acme.sendsafely.com` (with or without a
///   trailing slash, no path); borrowed for the call.
/// - `api_key`, `api_secret`: required; borrowed for the call (the library keeps copies, the
///   secret wiped from memory when the client is freed; the secret is never sent, logged or
///   put in an error).
/// - `options`: NULL for the defaults; borrowed for the call. The time limits, TLS files,
///   retries, `allow_insecure_http`, `transfer_concurrency` and `crypto_threads` apply.
/// - `out_client`: receives the client; the caller owns it and must call
///   `ss_sendsafely_client_free`.
///
/// Nothing is sent yet (check the credentials with `ss_sendsafely_get_user`). Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty key or
/// secret, a host that is not an http(s) origin, plain `http://` to a host that is not a
/// loopback one without `allow_insecure_http`, a CA or client certificate file that is not
/// PEM), `SS_ERR_IO` (unreadable CA, certificate or key file), or `SS_ERR_RUNTIME`.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_client_new(
    host: *const c_char,
    api_key: *const c_char,
    api_secret: *const c_char,
    options: *const ss_client_options,
    out_client: *mut *mut ss_sendsafely_client,
) -> ss_result {
    call(|| {
        let out_client = out(out_client, "out_client")?;
        let host = text(host, "host")?;
        let api_key = text(api_key, "api_key")?;
        let api_secret = text(api_secret, "api_secret")?;
        let options = read_options(options)?;
        crate::ffi::runtime::runtime()?;
        let client = Client::new(host, api_key, api_secret, options)?;
        give(
            out_client,
            ss_sendsafely_client(ClientHandle::new(client, "ss_sendsafely_client_new")),
        );
        Ok(())
    })
}

/// Frees a SendSafely client, wiping its secret. NULL is a no-op; must not be called twice,
/// nor while another thread is still using the client. Called from a callback of one of its
/// calls, it frees the client when that call returns.
#[no_mangle]
pub extern "C" fn ss_sendsafely_client_free(client: *mut ss_sendsafely_client) {
    guard(|| free(client))
}

/// Cancels the calls running on `client` at this moment, from any thread.
///
/// Each of them stops (its requests are closed, a partial download is removed, segments
/// already uploaded stay uploaded) and returns `SS_ERR_CANCELLED` to its caller promptly.
/// Calls started afterwards are not affected. `client` is borrowed. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, or `SS_ERR_INVALID_STATE` (a client inherited through `fork()`).
/// Thread-safe; never blocks; may be called from a callback.
#[no_mangle]
pub extern "C" fn ss_sendsafely_client_cancel(client: *const ss_sendsafely_client) -> ss_result {
    call(|| handle(client, "client")?.cancel())
}
