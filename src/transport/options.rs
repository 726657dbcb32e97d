//! The settings of a transport client: time limits, TLS material, retries, the plain-http
//! policy and the size limit of downloads.

use std::path::PathBuf;
use std::time::Duration;

/// Settings of the HTTP layer, shared by every service's client.
#[derive(Debug, Clone)]
pub struct TransportOptions {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole API call, its retries and their waits included (uploads and
    /// downloads excepted: they are limited by `stall_timeout`); `None` for no limit.
    pub request_timeout: Option<Duration>,
    /// A PEM file of extra certificate authorities to trust.
    pub ca_file: Option<PathBuf>,
    /// Time a transfer may go without moving a byte before it fails with a timeout
    /// (`Error::Timeout`): an upload whose body the connection takes
    /// no byte of (or that gets no answer after its last byte), a download that receives
    /// nothing. Transfers are not limited by `request_timeout`, only by this. `None` for no
    /// limit.
    pub stall_timeout: Option<Duration>,
    /// How many times a failed request is sent again (0: never). See the service's client
    /// for what is retried.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles at each retry (with jitter, capped at
    /// `retry_max_delay`).
    pub retry_base_delay: Duration,
    /// The longest wait between attempts. A `Retry-After` longer than this is not waited for:
    /// the 429 or 503 is reported instead.
    pub retry_max_delay: Duration,
    /// A PEM file with the client certificate (and its chain) for mutual TLS. Its private key
    /// is `client_key_file`, or in this same file when that is `None`.
    pub client_cert_file: Option<PathBuf>,
    /// The PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted) of `client_cert_file`.
    pub client_key_file: Option<PathBuf>,
    /// Allows plain `http://` to hosts that are not loopback ones (127.0.0.0/8, ::1,
    /// `localhost`): credentials, passwords and documents then travel unencrypted. Off by
    /// default; loopback hosts (a local emulator) never need it.
    pub allow_insecure_http: bool,
    /// The most bytes a download may receive when its server announces no size (an answer
    /// without `Content-Length`, e.g. chunked): one that goes past it fails with
    /// `Error::Decode` (its file removed), so an endless answer
    /// cannot fill the disk. A download whose size is announced fails when more than that
    /// size comes, whatever this says. `None` for no limit.
    pub max_unsized_download: Option<u64>,
}

/// The default number of uploads one call makes at the same time (SendSecure's attachments).
/// Measured by `bench/run.sh` (32 attachments, 20 ms of latency per request): 8 is 3.4x faster
/// than 1, 4 only 2.7x, 16 hardly better than 8; without latency all are equal, so more only
/// costs connections.
pub const DEFAULT_UPLOAD_CONCURRENCY: usize = 8;

/// The default time a transfer may go without moving a byte.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(60);

/// The default [`TransportOptions::max_unsized_download`]: 16 GiB, more than any document a
/// SendSecure server sends without its size (it announces them), less than most disks.
pub const DEFAULT_MAX_UNSIZED_DOWNLOAD: u64 = 16 << 30;

/// The default number of retries of a failed request.
pub const DEFAULT_MAX_RETRIES: u32 = 3;

/// The default wait before the first retry (then 2x, 4x..., with jitter).
pub const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(250);

/// The default longest wait between attempts (and the longest `Retry-After` honoured).
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(30);

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            connect_timeout: Duration::from_secs(30),
            request_timeout: Some(Duration::from_secs(120)),
            ca_file: None,
            stall_timeout: Some(DEFAULT_STALL_TIMEOUT),
            max_retries: DEFAULT_MAX_RETRIES,
            retry_base_delay: DEFAULT_RETRY_BASE_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
            client_cert_file: None,
            client_key_file: None,
            allow_insecure_http: false,
            max_unsized_download: Some(DEFAULT_MAX_UNSIZED_DOWNLOAD),
        }
    }
}
