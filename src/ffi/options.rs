//! `ss_client_options`: the settings of a client of any service, read as far as the caller's
//! `struct_size` covers them.

use crate::ffi::boundary::guard;
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::input::opt_text;
use crate::transport::options::TransportOptions;
use std::ffi::c_char;
use std::mem::{offset_of, size_of};
use std::time::Duration;

/// Settings of a client of any service, or of a login. Initialize with
/// `ss_client_options_init`, then change the fields you need: the library reads only the fields
/// covered by `struct_size`, so programs compiled against an older header keep working when
/// fields are added. The time limits, TLS files, retries and `allow_insecure_http` apply to
/// every service; a field marked for one service is ignored by the others.
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
    /// SendSecure: the user's id from `ss_user_token_user_id` (needed by user-level calls); 0
    /// when unknown.
    pub user_id: i64,
    /// SendSecure: language of the server's messages (default "en"); borrowed for the call.
    pub locale: *const c_char,
    /// Path of a PEM file of extra certificate authorities to trust, or NULL; borrowed for the
    /// call. A server certificate that no trusted authority signed fails with `SS_ERR_TLS`.
    pub ca_file: *const c_char,
    /// SendSecure: how many attachments of one call upload at the same time (default 8; 1 = one
    /// after the other).
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
    /// `SS_ERR_INVALID_ARGUMENT`, and such a URL from the server with `SS_ERR_DECODE`:
    /// credentials, passwords and documents would travel unencrypted.
    pub allow_insecure_http: bool,
    /// SendSafely: how many segments of one call are uploaded or downloaded at the same time;
    /// 0 (the default) for the client's default (4). Other services ignore it.
    pub transfer_concurrency: u32,
    /// SendSafely: how many segments are encrypted or decrypted at the same time; 0 (the
    /// default) for one per available core. Other services ignore it.
    pub crypto_threads: u32,
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
                upload_concurrency: crate::transport::options::DEFAULT_UPLOAD_CONCURRENCY as u32,
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
                transfer_concurrency: 0,
                crypto_threads: 0,
            };
        }
    })
}

/// What a caller's options say: the transport's settings, and the service fields it set.
#[derive(Default)]
pub(crate) struct ClientOptionsRead {
    pub transport: TransportOptions,
    pub user_id: Option<i64>,
    pub locale: Option<String>,
    pub upload_concurrency: Option<usize>,
    pub transfer_concurrency: Option<usize>,
    pub crypto_threads: Option<usize>,
}

/// Reads the options the caller's `struct_size` covers; NULL means all defaults.
pub(crate) fn read_client_options(
    options: *const ss_client_options,
) -> Result<ClientOptionsRead, FfiError> {
    let mut result = ClientOptionsRead::default();
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
        result.locale = opt_text(o.locale, "options->locale")?.map(str::to_string);
    }
    if covered!(ca_file) {
        result.transport.ca_file = opt_text(o.ca_file, "options->ca_file")?.map(Into::into);
    }
    if covered!(upload_concurrency) && o.upload_concurrency > 0 {
        result.upload_concurrency = Some(o.upload_concurrency as usize);
    }
    if covered!(transfer_concurrency) && o.transfer_concurrency > 0 {
        result.transfer_concurrency = Some(o.transfer_concurrency as usize);
    }
    if covered!(crypto_threads) && o.crypto_threads > 0 {
        result.crypto_threads = Some(o.crypto_threads as usize);
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
