//! `ss_client` (thread-safe), its options, and logging in (`ss_get_user_token`).

use crate::ffi::boundary::{call, guard};
use crate::ffi::client_handle::ClientHandle;
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{free, give, handle, opt_text, out, text};
use crate::ffi::options::{read_client_options, ss_client_options};
use crate::ffi::runtime::{run, Callbacks};
use crate::ffi::strings::c_string;
use crate::{Client, ClientOptions, TokenRequest};
use std::ffi::{c_char, CString};

/// Reads the options the caller's `struct_size` covers into SendSecure's; NULL means all
/// defaults.
fn read_options(options: *const ss_client_options) -> Result<ClientOptions, FfiError> {
    let read = read_client_options(options)?;
    let mut result = ClientOptions {
        transport: read.transport,
        ..ClientOptions::default()
    };
    result.user_id = read.user_id.or(result.user_id);
    if let Some(locale) = read.locale {
        result.locale = locale;
    }
    if let Some(concurrency) = read.upload_concurrency {
        result.upload_concurrency = concurrency;
    }
    Ok(result)
}

/// A SendSecure client: one API token, one connection pool, one cached service discovery.
///
/// Thread-safe: the same `const ss_client *` may be used by many threads at once.
///
/// Processes: a client belongs to the process that created it. In a child made by `fork()`
/// (e.g. Python's `multiprocessing` with the fork start method), a client inherited from the
/// parent refuses every call, `ss_client_cancel` included, with `SS_ERR_INVALID_STATE` (its
/// connections and I/O threads are the parent's); `ss_client_free` on it returns at once and
/// leaves the parent's connections alone (the child keeps its copy of the client's memory
/// until it exits). The child may log in and create clients of its own, which work as usual;
/// the parent is not affected. Fork from a thread that is not inside a libsendsecure call (or
/// callback); see "Processes and fork" in docs/c-api.md.
pub struct ss_client(pub(crate) ClientHandle<Client>);

impl std::ops::Deref for ss_client {
    type Target = ClientHandle<Client>;
    fn deref(&self) -> &ClientHandle<Client> {
        &self.0
    }
}

impl ss_client {
    /// Another handle on the same connections, cancel switch and process (an iterator's).
    pub(crate) fn share(&self) -> ss_client {
        ss_client(self.0.share())
    }
}

/// Creates a client for an API token (from `ss_get_user_token`).
///
/// - `api_token`, `enterprise_account`: required; borrowed for the call (the library keeps a
///   copy, wiped from memory when the client is freed).
/// - `endpoint`: the portal URL, or NULL for `https://portal.xmedius.com`.
/// - `options`: NULL for the defaults; borrowed for the call.
/// - `out`: receives the client; the caller owns it and must call `ss_client_free`.
///
/// Nothing is sent yet: service discovery happens at the first call, once per client.
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`
/// (empty token or account, bad endpoint URL, plain `http://` to a host that is not a loopback
/// one without `allow_insecure_http`, a CA or client certificate file that is not PEM),
/// `SS_ERR_IO` (unreadable CA, certificate or key file), or `SS_ERR_RUNTIME`. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_client_new(
    api_token: *const c_char,
    enterprise_account: *const c_char,
    endpoint: *const c_char,
    options: *const ss_client_options,
    out_client: *mut *mut ss_client,
) -> ss_result {
    call(|| {
        let out_client = out(out_client, "out_client")?;
        let api_token = text(api_token, "api_token")?;
        let account = text(enterprise_account, "enterprise_account")?;
        let endpoint = opt_text(endpoint, "endpoint")?;
        let options = read_options(options)?;
        crate::ffi::runtime::runtime()?;
        let client = Client::new(api_token, account, endpoint, options)?;
        give(
            out_client,
            ss_client(ClientHandle::new(client, "ss_client_new")),
        );
        Ok(())
    })
}

/// Frees a client. NULL is a no-op; must not be called twice, nor while another thread is
/// still using the client. Called from a callback of one of its calls, it frees the client when
/// that call returns.
#[no_mangle]
pub extern "C" fn ss_client_free(client: *mut ss_client) {
    guard(|| free(client))
}

/// The result of a login: an API token and the user's id.
pub struct ss_user_token {
    token: CString,
    user_id: i64,
}

impl Drop for ss_user_token {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.token).into_bytes();
        zeroize::Zeroize::zeroize(&mut bytes);
    }
}

/// Gets an API token for a user (portal discovery, then `api/user_token`).
///
/// - `enterprise_account`, `username`, `password`, `device_id`, `device_name`: required;
///   borrowed for the call. The same values always give the same token.
/// - `application_type`: NULL for "libsendsecure"; `endpoint`: NULL for the public portal;
///   `one_time_password`: NULL unless the user's login needs one; `options`: NULL for the
///   defaults (the timeouts, the retries, the TLS files and `allow_insecure_http` apply; the
///   login is retried like an idempotent call: the same parameters give the same token). All
///   borrowed for the call. The password is sent only in the request body, from a copy wiped
///   afterwards, and never appears in an error message or body.
/// - `out_token`: receives the token; the caller owns it and must call `ss_user_token_free`.
///
/// Returns `SS_OK`; `SS_ERR_AUTH` when the portal refuses (see `ss_last_error_api_code`: 101
/// invalid permalink, 102 invalid credentials, 103-105 missing parameter, 106 one-time password
/// needed); `SS_ERR_HTTP_STATUS` (e.g. 404 for an unknown account), `SS_ERR_CONNECT`,
/// `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_DECODE`, or an argument error. Blocks; thread-safe.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn ss_get_user_token(
    enterprise_account: *const c_char,
    username: *const c_char,
    password: *const c_char,
    device_id: *const c_char,
    device_name: *const c_char,
    application_type: *const c_char,
    endpoint: *const c_char,
    one_time_password: *const c_char,
    options: *const ss_client_options,
    out_token: *mut *mut ss_user_token,
) -> ss_result {
    call(|| {
        let out_token = out(out_token, "out_token")?;
        let request = TokenRequest {
            enterprise_account: text(enterprise_account, "enterprise_account")?,
            username: text(username, "username")?,
            password: text(password, "password")?,
            device_id: text(device_id, "device_id")?,
            device_name: text(device_name, "device_name")?,
            application_type: opt_text(application_type, "application_type")?,
            endpoint: opt_text(endpoint, "endpoint")?,
            one_time_password: opt_text(one_time_password, "one_time_password")?,
        };
        let options = read_options(options)?;
        let token = run(&Callbacks::default(), |_| async move {
            crate::get_user_token(&request, &options).await
        })?;
        give(
            out_token,
            ss_user_token {
                token: c_string(&token.token),
                user_id: token.user_id,
            },
        );
        Ok(())
    })
}

/// The API token (`USER|…`), to pass to `ss_client_new`.
///
/// Borrowed: valid until `ss_user_token_free(token)`; do not free it. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_user_token_token(token: *const ss_user_token) -> *const c_char {
    guard(|| {
        handle(token, "token")
            .map(|t| t.token.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The user's id, for `ss_client_options.user_id`. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_user_token_user_id(token: *const ss_user_token) -> i64 {
    guard(|| handle(token, "token").map(|t| t.user_id).unwrap_or(0))
}

/// Frees a user token, wiping the token from memory. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_user_token_free(token: *mut ss_user_token) {
    guard(|| free(token))
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
    call(|| handle(client, "client")?.cancel())
}
