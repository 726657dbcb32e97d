//! `ss_client` (thread-safe), its options, and logging in (`ss_get_user_token`).

use crate::ffi::boundary::{call, guard};
use crate::ffi::cancel::run_cancellable;
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::{free, give, handle, opt_text, out, text};
use crate::ffi::runtime::{run, Callbacks, Relay};
use crate::ffi::strings::c_string;
use crate::{Client, ClientOptions, TokenRequest};
use std::ffi::{c_char, CString};
use std::future::Future;
use std::mem::{offset_of, size_of, ManuallyDrop};
use std::time::Duration;

/// Settings of a client or a login. Initialize with `ss_client_options_init`, then change the
/// fields you need: the library reads only the fields covered by `struct_size`, so programs
/// compiled against an older header keep working when fields are added.
#[repr(C)]
pub struct ss_client_options {
    /// `sizeof(ss_client_options)`, set by `ss_client_options_init`.
    pub struct_size: u32,
    /// Connection timeout in milliseconds (default 30000).
    pub connect_timeout_ms: u32,
    /// Time limit of a whole API call in milliseconds, its retries and their waits included
    /// (uploads and downloads excepted: see `stall_timeout_ms`); 0 for none (default 120000).
    /// A call that reaches it returns `SS_ERR_TIMEOUT`. A commit checks its outcome after a
    /// timeout (see `ss_commit_safebox`), so it may take longer.
    pub request_timeout_ms: u32,
    /// The user's id from `ss_user_token_user_id` (needed by user-level calls); 0 when unknown.
    pub user_id: i64,
    /// Language of the server's messages (default "en"); borrowed for the call.
    pub locale: *const c_char,
    /// Path of a PEM file of extra certificate authorities to trust, or NULL; borrowed for the
    /// call. A server certificate that no trusted authority signed fails with `SS_ERR_TLS`.
    pub ca_file: *const c_char,
    /// How many attachments of one call upload at the same time (default 8; 1 = one after the
    /// other).
    pub upload_concurrency: u32,
    /// Stall timeout of uploads and downloads in milliseconds (default 60000; 0 for none): a
    /// transfer fails with `SS_ERR_TIMEOUT` (after its retries) when no byte of it moves for
    /// that long (for an upload: the connection takes none of its bytes, or no answer comes
    /// that long after its last byte). Transfers are not limited by `request_timeout_ms`, so a
    /// long transfer that keeps moving is never cut.
    pub stall_timeout_ms: u32,
    /// How many times a failed request is sent again (default 3; 0 for never). Retried: every
    /// request whose connection could not be established; GET and the other idempotent calls
    /// also after a broken connection or an answer 429, 502, 503 or 504 (within
    /// `request_timeout_ms`); uploads and downloads also after a stall. A commit is checked
    /// before it is sent again (see `ss_commit_safebox`). See "Timeouts and retries" in
    /// docs/c-api.md.
    pub max_retries: u32,
    /// The wait before the first retry in milliseconds (default 250); it doubles at each retry,
    /// with jitter (between half and all of it), up to `retry_max_delay_ms`.
    pub retry_base_delay_ms: u32,
    /// The longest wait between two attempts in milliseconds (default 30000). A 429 or 503 with
    /// `Retry-After: N` waits N seconds (with an HTTP date: until then, by the answer's `Date`),
    /// unless that is longer than this: then it is reported.
    pub retry_max_delay_ms: u32,
    /// Path of a PEM file with a client certificate (and its chain) for mutual TLS, or NULL
    /// (default: none); borrowed for the call. Read when the client is created: a missing file
    /// is `SS_ERR_IO`, a file without a certificate `SS_ERR_INVALID_ARGUMENT`. A server that
    /// refuses the certificate (or requires one when there is none) fails calls with
    /// `SS_ERR_TLS`.
    pub client_cert_file: *const c_char,
    /// Path of the PEM private key (unencrypted PKCS#8, PKCS#1 or SEC1) of `client_cert_file`,
    /// or NULL when that file holds the key too (default NULL); borrowed for the call. The
    /// library's copy of the key file is wiped from memory once loaded.
    pub client_key_file: *const c_char,
    /// Allow plain `http://` to hosts that are not loopback ones (default false). Without it an
    /// `http://` endpoint other than 127.0.0.0/8, ::1 or localhost is refused with
    /// `SS_ERR_INVALID_ARGUMENT`, and such a URL from the server with `SS_ERR_DECODE`: the API
    /// token, passwords and documents would travel unencrypted.
    pub allow_insecure_http: bool,
}

/// Fills `options` with the defaults and sets `struct_size`.
///
/// NULL is a no-op. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_client_options_init(options: *mut ss_client_options) {
    guard(|| {
        // SAFETY: the caller passes storage for one ss_client_options, or NULL.
        if let Some(o) = unsafe { options.as_mut() } {
            *o = ss_client_options {
                struct_size: size_of::<ss_client_options>() as u32,
                connect_timeout_ms: 30_000,
                request_timeout_ms: 120_000,
                user_id: 0,
                locale: std::ptr::null(),
                ca_file: std::ptr::null(),
                upload_concurrency: crate::sendsecure::client::DEFAULT_UPLOAD_CONCURRENCY as u32,
                stall_timeout_ms: crate::transport::options::DEFAULT_STALL_TIMEOUT.as_millis()
                    as u32,
                max_retries: crate::transport::options::DEFAULT_MAX_RETRIES,
                retry_base_delay_ms: crate::transport::options::DEFAULT_RETRY_BASE_DELAY.as_millis()
                    as u32,
                retry_max_delay_ms: crate::transport::options::DEFAULT_RETRY_MAX_DELAY.as_millis()
                    as u32,
                client_cert_file: std::ptr::null(),
                client_key_file: std::ptr::null(),
                allow_insecure_http: false,
            };
        }
    })
}

/// Reads the options the caller's `struct_size` covers; NULL means all defaults.
fn read_options(options: *const ss_client_options) -> Result<ClientOptions, FfiError> {
    let mut result = ClientOptions::default();
    // SAFETY: the caller passes a valid options struct of at least `struct_size` bytes, or NULL.
    let Some(o) = (unsafe { options.as_ref() }) else {
        return Ok(result);
    };
    let size = o.struct_size as usize;
    if size < size_of::<u32>() {
        return Err(FfiError::new(
            ss_result::SS_ERR_INVALID_ARGUMENT,
            "`options->struct_size` is not set: call ss_client_options_init first",
        ));
    }
    macro_rules! covered {
        ($field:ident) => {
            offset_of!(ss_client_options, $field) + size_of_val(&o.$field) <= size
        };
    }
    if covered!(connect_timeout_ms) {
        result.transport.connect_timeout =
            Duration::from_millis(u64::from(o.connect_timeout_ms.max(1)));
    }
    if covered!(request_timeout_ms) {
        result.transport.request_timeout = (o.request_timeout_ms > 0)
            .then(|| Duration::from_millis(u64::from(o.request_timeout_ms)));
    }
    if covered!(user_id) && o.user_id != 0 {
        result.user_id = Some(o.user_id);
    }
    if covered!(locale) {
        if let Some(locale) = opt_text(o.locale, "options->locale")? {
            result.locale = locale.to_string();
        }
    }
    if covered!(ca_file) {
        result.transport.ca_file = opt_text(o.ca_file, "options->ca_file")?.map(Into::into);
    }
    if covered!(upload_concurrency) && o.upload_concurrency > 0 {
        result.upload_concurrency = o.upload_concurrency as usize;
    }
    let ms = |ms: u32| Duration::from_millis(u64::from(ms));
    if covered!(stall_timeout_ms) {
        result.transport.stall_timeout = (o.stall_timeout_ms > 0).then(|| ms(o.stall_timeout_ms));
    }
    if covered!(max_retries) {
        result.transport.max_retries = o.max_retries;
    }
    if covered!(retry_base_delay_ms) {
        result.transport.retry_base_delay = ms(o.retry_base_delay_ms);
    }
    if covered!(retry_max_delay_ms) {
        result.transport.retry_max_delay = ms(o.retry_max_delay_ms);
    }
    if covered!(client_cert_file) {
        result.transport.client_cert_file =
            opt_text(o.client_cert_file, "options->client_cert_file")?.map(Into::into);
    }
    if covered!(client_key_file) {
        result.transport.client_key_file =
            opt_text(o.client_key_file, "options->client_key_file")?.map(Into::into);
    }
    if covered!(allow_insecure_http) {
        result.transport.allow_insecure_http = o.allow_insecure_http;
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
pub struct ss_client {
    pub(crate) client: ManuallyDrop<Client>,
    /// Fired by `ss_client_cancel`.
    pub(crate) cancel: ManuallyDrop<std::sync::Arc<crate::ffi::cancel::CancelSwitch>>,
    /// The process generation that created it (see `runtime::process_generation`).
    generation: u64,
}

impl ss_client {
    /// Another handle on the same connections, cancel switch and process (an iterator's).
    pub(crate) fn share(&self) -> ss_client {
        ss_client {
            client: self.client.clone(),
            cancel: self.cancel.clone(),
            generation: self.generation,
        }
    }

    /// Refuses a client inherited through `fork()`.
    pub(crate) fn check_process(&self) -> Result<(), FfiError> {
        if self.generation == crate::ffi::runtime::process_generation() {
            return Ok(());
        }
        Err(FfiError::new(
            ss_result::SS_ERR_INVALID_STATE,
            "this client was created before this process was forked: its connections belong \
             to the parent process; create a new client (ss_client_new) in this process",
        ))
    }
}

impl Drop for ss_client {
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
            ss_client {
                client: ManuallyDrop::new(client),
                cancel: Default::default(),
                generation: crate::ffi::runtime::process_generation(),
            },
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
        let _lent = crate::ffi::input::lend([std::ptr::from_ref(self).cast()]);
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
