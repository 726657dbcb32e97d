//! `ss_client` (thread-safe), its options, and logging in (`ss_get_user_token`).

use super::boundary::{call, guard};
use super::error::{ss_result, FfiError};
use super::input::{free, give, handle, opt_text, out, text};
use super::runtime::{run, Callbacks};
use super::strings::c_string;
use crate::{Client, ClientOptions, TokenRequest};
use std::ffi::{c_char, CString};
use std::mem::{offset_of, size_of};
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
    /// Time limit of a whole API request in milliseconds, uploads excepted; 0 for none
    /// (default 120000).
    pub request_timeout_ms: u32,
    /// The user's id from `ss_user_token_user_id` (needed by user-level calls); 0 when unknown.
    pub user_id: i64,
    /// Language of the server's messages (default "en"); borrowed for the call.
    pub locale: *const c_char,
    /// Path of a PEM file of extra certificate authorities to trust, or NULL; borrowed for the
    /// call.
    pub ca_file: *const c_char,
    /// How many attachments of one call upload at the same time (default 8; 1 = one after the
    /// other).
    pub upload_concurrency: u32,
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
                upload_concurrency: crate::client::DEFAULT_UPLOAD_CONCURRENCY as u32,
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
        result.connect_timeout = Duration::from_millis(u64::from(o.connect_timeout_ms.max(1)));
    }
    if covered!(request_timeout_ms) {
        result.request_timeout = (o.request_timeout_ms > 0)
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
        result.ca_file = opt_text(o.ca_file, "options->ca_file")?.map(Into::into);
    }
    if covered!(upload_concurrency) && o.upload_concurrency > 0 {
        result.upload_concurrency = o.upload_concurrency as usize;
    }
    Ok(result)
}

/// A SendSecure client: one API token, one connection pool, one cached service discovery.
///
/// Thread-safe: the same `const ss_client *` may be used by many threads at once.
pub struct ss_client {
    pub(crate) client: Client,
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
/// (empty token or account, bad endpoint URL, unreadable CA file: `SS_ERR_IO`), or
/// `SS_ERR_RUNTIME`. Thread-safe.
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
        super::runtime::runtime()?;
        let client = Client::new(api_token, account, endpoint, options)?;
        give(out_client, ss_client { client });
        Ok(())
    })
}

/// Frees a client. NULL is a no-op; must not be called twice, nor while another thread is
/// still using the client.
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
///   defaults (only the timeouts and `ca_file` apply). All borrowed for the call.
/// - `out_token`: receives the token; the caller owns it and must call `ss_user_token_free`.
///
/// Returns `SS_OK`; `SS_ERR_AUTH` when the portal refuses (see `ss_last_error_api_code`: 101
/// invalid permalink, 102 invalid credentials, 103-105 missing parameter, 106 one-time password
/// needed); `SS_ERR_HTTP_STATUS` (e.g. 404 for an unknown account), `SS_ERR_CONNECT`,
/// `SS_ERR_TIMEOUT`, `SS_ERR_DECODE`, or an argument error. Blocks; thread-safe.
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
