//! The client: one connection pool, the cached service discovery, and the request helpers every
//! API area uses (URL building, the token header, `locale`, error mapping, capped bodies).

use crate::transport::error::{Error, Result};
use crate::transport::retry::{retry_after, with_retries, Failure, Idempotency, RetryPolicy};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::HeaderValue;
use reqwest::Method;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;
use url::{Host, Url};
use zeroize::Zeroizing;

/// The portal used when no endpoint is given.
pub const DEFAULT_ENDPOINT: &str = "https://portal.xmedius.com";

/// The largest JSON answer accepted; a bigger one is refused as malformed.
pub const MAX_JSON_BODY: usize = 16 << 20;

/// The most of an error answer's body that is read and kept (the rest is not read).
pub const MAX_ERROR_BODY: usize = 64 << 10;

/// The longest API request URL sent: RFC 9110 §4.1 recommends that servers take at least 8000
/// bytes, and many refuse more. A longer one (an id or a search term of megabytes) is refused
/// before anything is sent.
pub const MAX_URL_LENGTH: usize = 8000;

/// How many same-origin redirects one request follows.
pub const MAX_REDIRECTS: usize = 10;

/// Characters escaped in a path segment: a GUID or id from a caller or a server can never add
/// a segment, a query or a fragment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'&')
    .add(b';')
    .add(b'=');

/// Percent-encodes one path segment.
pub fn segment(s: &str) -> String {
    let encoded = utf8_percent_encode(s, SEGMENT).to_string();
    // `.` and `..` would be resolved by URL joining.
    match encoded.as_str() {
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        _ => encoded,
    }
}

/// Settings of a client (and of `get_user_token`).
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The user's id (from the user token), needed by user-level calls.
    pub user_id: Option<i64>,
    /// Language of the server's messages, sent as `locale` on every API call.
    pub locale: String,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole API call, its retries and their waits included (uploads and
    /// downloads excepted: they are limited by `stall_timeout`); `None` for no limit.
    pub request_timeout: Option<Duration>,
    /// A PEM file of extra certificate authorities to trust.
    pub ca_file: Option<PathBuf>,
    /// How many attachments of one call upload at the same time (1 = one after the other).
    pub upload_concurrency: usize,
    /// Time a transfer may go without moving a byte before it fails with [`Error::Timeout`]:
    /// an upload whose body the connection takes no byte of (or that gets no answer after its
    /// last byte), a download that receives nothing. Transfers are not limited by
    /// `request_timeout`, only by this. `None` for no limit.
    pub stall_timeout: Option<Duration>,
    /// How many times a failed request is sent again (0: never). See [`Client`] for what is
    /// retried.
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
    /// `localhost`): the API token, passwords and documents then travel unencrypted. Off by
    /// default; loopback hosts (a local emulator) never need it.
    pub allow_insecure_http: bool,
    /// The most bytes a download may receive when its server announces no size (an answer
    /// without `Content-Length`, e.g. chunked): one that goes past it fails with
    /// [`Error::Decode`] (its file removed), so an endless answer cannot fill the disk. A
    /// download whose size is announced fails when more than that size comes, whatever this
    /// says. `None` for no limit.
    pub max_unsized_download: Option<u64>,
}

/// The default number of attachments uploaded at the same time. Measured by `bench/run.sh`
/// (32 attachments, 20 ms of latency per request): 8 is 3.4x faster than 1, 4 only 2.7x, 16
/// hardly better than 8; without latency all are equal, so more only costs connections.
pub const DEFAULT_UPLOAD_CONCURRENCY: usize = 8;

/// The default time a transfer may go without moving a byte.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(60);

/// The default [`ClientOptions::max_unsized_download`]: 16 GiB, more than any document a
/// SendSecure server sends without its size (it announces them), less than most disks.
pub const DEFAULT_MAX_UNSIZED_DOWNLOAD: u64 = 16 << 30;

/// The default number of retries of a failed request.
pub const DEFAULT_MAX_RETRIES: u32 = 3;

/// The default wait before the first retry (then 2x, 4x..., with jitter).
pub const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(250);

/// The default longest wait between attempts (and the longest `Retry-After` honoured).
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(30);

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            user_id: None,
            locale: "en".into(),
            connect_timeout: Duration::from_secs(30),
            request_timeout: Some(Duration::from_secs(120)),
            ca_file: None,
            upload_concurrency: DEFAULT_UPLOAD_CONCURRENCY,
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

/// The redirect policy: a redirect is followed only to the same origin (scheme, host and port)
/// as the request, so the token header (which reqwest keeps on every redirect) never reaches
/// another host, and https is never downgraded. Any other redirect is not followed: its 3xx
/// answer becomes the call's error.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|previous| previous.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > MAX_REDIRECTS {
            let status = attempt.status().as_u16();
            let location = attempt.url().to_string();
            attempt.error(RedirectLoop { status, location })
        } else {
            attempt.follow()
        }
    })
}

/// Same-origin redirects that did not end within [`MAX_REDIRECTS`]: reported as the last
/// redirect's status ([`Error::Http`]), which is what the server kept answering.
#[derive(Debug)]
pub(crate) struct RedirectLoop {
    pub status: u16,
    pub location: String,
}

impl std::fmt::Display for RedirectLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "redirect loop: more than {MAX_REDIRECTS} redirects within the server (the last to {})",
            self.location
        )
    }
}

impl std::error::Error for RedirectLoop {}

/// A file of secret or configuration material, or the error naming it.
fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    // `fs::read` sizes its buffer from the file's length, so the bytes are not copied around
    // by reallocations before `Zeroizing` can wipe them.
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The message of an error and of its sources.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// The client certificate and key of these options, for mutual TLS.
fn client_identity(options: &ClientOptions) -> Result<Option<reqwest::Identity>> {
    let (cert_path, key_path) = match (&options.client_cert_file, &options.client_key_file) {
        (None, None) => return Ok(None),
        (None, Some(_)) => {
            return Err(Error::InvalidArgument(
                "a client key file was given without its client certificate file".into(),
            ))
        }
        (Some(cert), key) => (cert, key),
    };
    let cert = read_file(cert_path)?;
    if !contains(&cert, b"-----BEGIN CERTIFICATE-----") {
        return Err(Error::InvalidArgument(format!(
            "{}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the client certificate file",
            cert_path.display()
        )));
    }
    let key = match key_path {
        Some(path) => Some(read_file(path)?),
        None => None,
    };
    let (key_bytes, key_name) = match (&key, key_path) {
        (Some(key), Some(path)) => (&key[..], path),
        _ => (&cert[..], cert_path),
    };
    let has_key = [
        &b"-----BEGIN PRIVATE KEY-----"[..],
        b"-----BEGIN RSA PRIVATE KEY-----",
        b"-----BEGIN EC PRIVATE KEY-----",
    ]
    .iter()
    .any(|label| contains(key_bytes, label));
    if !has_key {
        return Err(Error::InvalidArgument(format!(
            "{}: no unencrypted PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) \
             for the client certificate",
            key_name.display()
        )));
    }
    // One buffer of key and certificates, sized once so that it is never reallocated.
    let mut pem = Zeroizing::new(Vec::with_capacity(cert.len() + key_bytes.len() + 1));
    if key.is_some() {
        pem.extend_from_slice(key_bytes);
        pem.push(b'\n');
    }
    pem.extend_from_slice(&cert);
    reqwest::Identity::from_pem(&pem).map(Some).map_err(|e| {
        Error::InvalidArgument(format!(
            "{}: not a usable client certificate and key: {}",
            cert_path.display(),
            error_chain(&e)
        ))
    })
}

/// Builds the HTTP client of these options: rustls with certificate verification always on
/// (the built-in roots plus `ca_file`), TLS 1.2 or 1.3 only, an optional client certificate,
/// redirects only within the same origin, no `Referer`.
pub(crate) fn http_client(options: &ClientOptions) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("libsendsecure/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.connect_timeout)
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(90))
        .min_tls_version(reqwest::tls::Version::TLS_1_2)
        .redirect(redirect_policy())
        .referer(false);
    if let Some(identity) = client_identity(options)? {
        builder = builder.identity(identity);
    }
    if let Some(path) = &options.ca_file {
        let pem = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            Error::InvalidArgument(format!(
                "{}: not a PEM certificate bundle: {e}",
                path.display()
            ))
        })?;
        if certs.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the CA file",
                path.display()
            )));
        }
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| {
        Error::InvalidArgument(format!("cannot build the HTTP client: {}", error_chain(&e)))
    })
}

/// Whether `url`'s host is a loopback one: 127.0.0.0/8, ::1 (or ::ffff:127.x) or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Some(Host::Domain(name)) => {
            let name = name.strip_suffix('.').unwrap_or(name);
            name.eq_ignore_ascii_case("localhost")
        }
        None => false,
    }
}

/// The refusal of a plain `http://` URL to a host that is not a loopback one, unless
/// `allow_insecure_http`; `None` when the URL may be used.
pub(crate) fn insecure_http_refusal(url: &Url, allow_insecure_http: bool) -> Option<String> {
    if url.scheme() != "http" || allow_insecure_http || is_loopback(url) {
        return None;
    }
    Some(format!(
        "plain http:// to `{}` is refused: the API token, passwords and documents would travel \
         unencrypted. Use https://; plain http is only allowed to loopback hosts (127.0.0.0/8, \
         ::1, localhost), or with the allow_insecure_http option",
        url.host_str().unwrap_or_default()
    ))
}

/// Checks a URL the caller gave (the endpoint) against the plain-http policy.
pub(crate) fn check_endpoint(url: &Url, options: &ClientOptions) -> Result<()> {
    match insecure_http_refusal(url, options.allow_insecure_http) {
        Some(refusal) => Err(Error::InvalidArgument(refusal)),
        None => Ok(()),
    }
}

/// Checks a URL the server gave (discovery, upload and download URLs) against the plain-http
/// policy.
pub(crate) fn check_server_url(url: &Url, options: &ClientOptions) -> Result<()> {
    match insecure_http_refusal(url, options.allow_insecure_http) {
        Some(refusal) => Err(Error::Decode(format!(
            "the server sent a URL with {refusal}"
        ))),
        None => Ok(()),
    }
}

/// Parses an endpoint URL (http or https).
pub(crate) fn parse_endpoint(endpoint: &str) -> Result<Url> {
    let url = Url::parse(endpoint.trim())
        .map_err(|e| Error::InvalidArgument(format!("invalid endpoint URL `{endpoint}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::InvalidArgument(format!(
            "invalid endpoint URL `{endpoint}`: not http(s)"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: it holds credentials.
        return Err(Error::InvalidArgument(
            "invalid endpoint URL: it must not contain a user name or password".into(),
        ));
    }
    Ok(url)
}

/// Refuses a request URL of `length` bytes longer than [`MAX_URL_LENGTH`].
fn check_url_length(length: usize) -> Result<()> {
    if length <= MAX_URL_LENGTH {
        return Ok(());
    }
    Err(Error::InvalidArgument(format!(
        "the request's URL would be at least {length} bytes long, more than the \
         {MAX_URL_LENGTH} servers are sure to take: an id or search term is too long"
    )))
}

/// `{endpoint}/services/{acct}/{what}`.
pub(crate) fn service_url(endpoint: &Url, account: &str, what: &str) -> Result<Url> {
    let base = endpoint.as_str().trim_end_matches('/');
    Url::parse(&format!("{base}/services/{}/{what}", segment(account)))
        .map_err(|e| Error::InvalidArgument(format!("invalid endpoint URL: {e}")))
}

/// Sends a request and logs one debug line for it: method, path (never the query, which holds
/// e-mail addresses and search terms), status or kind of failure, duration. A connection
/// closed over https is checked for a TLS refusal (`tls_probe`) with `options`' TLS settings.
pub(crate) async fn send_logged(
    request: reqwest::RequestBuilder,
    method: &Method,
    url: &Url,
    options: &ClientOptions,
) -> std::result::Result<reqwest::Response, Failure> {
    let started = std::time::Instant::now();
    match request.send().await {
        Ok(response) => {
            crate::transport::retry::note_answered(&response);
            log::debug!(
                target: "sendsecure::http",
                "{method} {} -> {} ({} ms)",
                url.path(),
                response.status().as_u16(),
                started.elapsed().as_millis()
            );
            Ok(response)
        }
        Err(e) => {
            let failure = crate::transport::tls_probe::failure(e, options).await;
            log::debug!(
                target: "sendsecure::http",
                "{method} {}: {} ({} ms)",
                url.path(),
                failure.error.kind_for_log(),
                started.elapsed().as_millis()
            );
            Err(failure)
        }
    }
}

/// Reads a response body up to `limit` bytes. A larger body is refused without being read
/// (when its `Content-Length` says so) or as soon as it passes the limit; the connection is
/// then closed, not drained.
pub(crate) async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>> {
    if let Some(length) = response.content_length().filter(|l| *l > limit as u64) {
        return Err(Error::Decode(format!(
            "answer larger than {limit} bytes (Content-Length: {length})"
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        if body.len() + chunk.len() > limit {
            return Err(Error::Decode(format!("answer larger than {limit} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads at most `limit` bytes of a response body, dropping the rest unread (for error bodies,
/// which are kept only for the caller to read). API calls read it within their request
/// timeout; transfers, which have none, use [`read_truncated_within`].
pub(crate) async fn read_truncated(response: reqwest::Response, limit: usize) -> Vec<u8> {
    read_truncated_within(response, limit, None).await
}

/// [`read_truncated`] for at most `time` (`None`: no limit): what came of the body by then, as
/// a server may announce a body and never send all of it.
pub(crate) async fn read_truncated_within(
    mut response: reqwest::Response,
    limit: usize,
    time: Option<Duration>,
) -> Vec<u8> {
    let deadline = time.map(|time| tokio::time::Instant::now() + time);
    let mut body = Vec::new();
    loop {
        let chunk = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, response.chunk()).await {
                Ok(chunk) => chunk,
                Err(_) => break,
            },
            None => response.chunk().await,
        };
        let Ok(Some(chunk)) = chunk else { break };
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
    }
    body
}

/// Turns a response into its JSON value, or the error its status says. An error body is read
/// up to [`MAX_ERROR_BODY`] bytes; a 3xx answer here is a redirect the policy did not follow.
pub(crate) async fn json_or_error(response: reqwest::Response) -> Result<Value> {
    let status = response.status();
    if !status.is_success() {
        let location = response.headers().get(reqwest::header::LOCATION).map(|l| {
            String::from_utf8_lossy(l.as_bytes())
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
        });
        let body = read_truncated(response, MAX_ERROR_BODY).await;
        let text = String::from_utf8_lossy(&body).into_owned();
        let mut error = Error::from_status(status.as_u16(), text);
        if let (Some(location), Error::Http { message, .. }) = (location, &mut error) {
            if status.is_redirection() {
                message.push_str(&format!(" (Location: {location})"));
            }
        }
        return Err(error);
    }
    json_body(&read_capped(response, MAX_JSON_BODY).await?)
}

/// The JSON value of a success answer's body (an empty body is `null`).
pub(crate) fn json_body(body: &[u8]) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let answer =
        serde_json::from_slice(body).map_err(|e| Error::Decode(format!("invalid JSON: {e}")))?;
    // JSON text can hold a NUL only as the escape `\u0000` (raw control characters are
    // refused by the parser): an answer without one is not walked.
    if memchr::memmem::find(body, b"\\u0000").is_some() {
        crate::sendsecure::model::decode::refuse_nul(&answer, "the answer")?;
    }
    Ok(answer)
}

/// [`json_or_error`] for a call that may be retried: the error with what is known of the
/// request's fate (see `retry.rs`).
pub(crate) async fn json_answer(
    response: reqwest::Response,
) -> std::result::Result<Value, Failure> {
    let status = response.status().as_u16();
    let wait = retry_after(response.headers());
    json_or_error(response).await.map_err(|e| match e {
        Error::Http { .. } => Failure::answered(e, status, wait),
        other => Failure::of_body(other),
    })
}

/// Reads a text/plain discovery answer as a base URL with a trailing slash; a plain http URL
/// to a host that is not a loopback one is refused unless the options allow it.
///
/// Retried like any GET (see `retry.rs`), within the request timeout.
pub(crate) async fn discover(
    http: &reqwest::Client,
    url: Url,
    options: &ClientOptions,
) -> Result<Url> {
    with_retries(
        &RetryPolicy::of(options),
        Idempotency::Idempotent,
        options.request_timeout,
        |_| discover_once(http, url.clone(), options),
    )
    .await
    .map_err(|f| f.error)
}

/// One attempt of [`discover`].
async fn discover_once(
    http: &reqwest::Client,
    url: Url,
    options: &ClientOptions,
) -> std::result::Result<Url, Failure> {
    let request = http.get(url.clone()).header("Accept", "text/plain");
    let response = send_logged(request, &Method::GET, &url, options).await?;
    let status = response.status();
    if !status.is_success() {
        let wait = retry_after(response.headers());
        let body = read_truncated(response, MAX_ERROR_BODY).await;
        let text = String::from_utf8_lossy(&body).trim().to_string();
        return Err(Failure::answered(
            Error::from_status(status.as_u16(), text),
            status.as_u16(),
            wait,
        ));
    }
    let body = read_capped(response, 64 << 10)
        .await
        .map_err(Failure::of_body)?;
    let text = String::from_utf8_lossy(&body).trim().to_string();
    let mut url = parse_endpoint(&text).map_err(|_| {
        Failure::fatal(Error::Decode(format!(
            "discovery answered `{text}`, not a URL"
        )))
    })?;
    check_server_url(&url, options).map_err(Failure::fatal)?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

struct Inner {
    http: reqwest::Client,
    /// The ways the API token could come back in an answer, to redact it (wiped when dropped).
    token_forms: crate::transport::error::SecretForms,
    /// The `Authorization-Token` value: marked sensitive (never indexed by HTTP/2 header
    /// compression, hidden from `Debug`), its bytes wiped when the last request holding it ends.
    token_header: HeaderValue,
    enterprise_account: String,
    endpoint: Url,
    options: ClientOptions,
    server_url: OnceCell<Url>,
}

/// The `Authorization-Token` header value of `token`, in a buffer wiped when dropped.
fn token_header(token: &str) -> Result<HeaderValue> {
    let bytes = bytes::Bytes::from_owner(Zeroizing::new(token.as_bytes().to_vec()));
    let mut value = HeaderValue::from_maybe_shared(bytes).map_err(|_| {
        Error::InvalidArgument(
            "API Token contains characters that an HTTP header cannot carry".into(),
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A SendSecure client for one user token. Cheap to clone and safe to share between threads and
/// tasks: clones share one connection pool and one service discovery.
///
/// Failed requests are sent again, up to [`ClientOptions::max_retries`] times with exponential
/// backoff and jitter (or the server's `Retry-After`): every request whose connection could not
/// be established; idempotent calls (reads, login, setting a state, edits that add nothing,
/// deletions) also after a broken connection or an answer 429, 502, 503 or 504; uploads (sent
/// again from their start, when their source can be read again) and downloads (resumed) also
/// after a stall; the commit of a SafeBox only after checking by its GUID whether it was made
/// ([`Client::commit_safebox`]); other POSTs (creations, replies) only when nothing was sent.
/// A request that failed on a reused connection the server had closed is sent again at once,
/// without counting as an attempt, where a broken connection is retried (see `retry.rs`).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_token", &"<redacted>")
            .field("enterprise_account", &self.inner.enterprise_account)
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("locale", &self.inner.options.locale)
            .field("user_id", &self.inner.options.user_id)
            .finish()
    }
}

impl Client {
    /// A client for `api_token` on `enterprise_account`, reaching the portal at `endpoint`
    /// (the public portal when `None`).
    pub fn new(
        api_token: &str,
        enterprise_account: &str,
        endpoint: Option<&str>,
        options: ClientOptions,
    ) -> Result<Client> {
        if api_token.trim().is_empty() {
            return Err(Error::InvalidArgument("API Token must be provided".into()));
        }
        if enterprise_account.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "Enterprise account must be provided".into(),
            ));
        }
        let endpoint = parse_endpoint(endpoint.unwrap_or(DEFAULT_ENDPOINT))?;
        check_endpoint(&endpoint, &options)?;
        let token_header = token_header(api_token)?;
        let http = http_client(&options)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                token_forms: crate::transport::error::SecretForms::new(api_token),
                token_header,
                enterprise_account: enterprise_account.to_string(),
                endpoint,
                options,
                server_url: OnceCell::new(),
            }),
        })
    }

    /// The enterprise account permalink.
    pub fn enterprise_account(&self) -> &str {
        &self.inner.enterprise_account
    }

    /// The configured user id.
    pub fn user_id(&self) -> Option<i64> {
        self.inner.options.user_id
    }

    /// How many attachments of one call upload at the same time.
    pub fn upload_concurrency(&self) -> usize {
        self.inner.options.upload_concurrency.max(1)
    }

    /// The locale sent with every call.
    pub fn locale(&self) -> &str {
        &self.inner.options.locale
    }

    /// The SendSecure server's base URL, discovered once per client (spec §2.2).
    pub async fn server_url(&self) -> Result<Url> {
        let inner = &self.inner;
        inner
            .server_url
            .get_or_try_init(|| async {
                let url = service_url(
                    &inner.endpoint,
                    &inner.enterprise_account,
                    "sendsecure/server/url",
                )?;
                discover(&inner.http, url, &inner.options).await
            })
            .await
            .cloned()
    }

    /// `SS + path`, with `locale` first and then `query`, values percent-encoded.
    ///
    /// Ids in `path` are [`segment`]-encoded, but no encoding keeps `.` or `..` from being
    /// resolved (URL parsers and servers treat `%2E%2E` as `..`): a path that joining changed
    /// is refused.
    pub(crate) async fn api_url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        // Encoding only makes them longer: refused before any work on megabytes.
        let parts = path.len() + query.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
        check_url_length(parts)?;
        let base = self.server_url().await?;
        let mut url = base.join(path).map_err(|e| {
            Error::InvalidArgument(format!(
                "invalid API path `{}`: {e}",
                crate::transport::error::excerpt(path, 200)
            ))
        })?;
        if url.path() != format!("{}{path}", base.path()) || url.query().is_some() {
            return Err(Error::InvalidArgument(format!(
                "an id cannot be `.` or `..` (it would change the request's path `{}`)",
                crate::transport::error::excerpt(path, 200)
            )));
        }
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("locale", self.locale());
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        check_url_length(url.as_str().len())?;
        Ok(url)
    }

    /// An API call with the token header; answers the JSON body (`Null` when empty). GET and
    /// DELETE are retried as idempotent calls, POST and PATCH only when nothing was sent (see
    /// [`Client::call_as`]).
    pub(crate) async fn call(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Value> {
        let idempotency = if matches!(method, Method::GET | Method::PUT | Method::DELETE) {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        };
        self.call_as(method, url, body, idempotency).await
    }

    /// An API call retried as `idempotency` allows (see `retry.rs`), the whole of it
    /// (attempts and waits) within the request timeout.
    pub(crate) async fn call_as(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        idempotency: Idempotency,
    ) -> Result<Value> {
        self.call_with_fate(method, url, body, idempotency)
            .await
            .map_err(|f| self.redact(f.error))
    }

    /// [`Client::call_as`], failing with what is known of the request's fate (see `retry.rs`);
    /// its error is not redacted yet: pass it through [`Client::redact`].
    pub(crate) async fn call_with_fate(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        idempotency: Idempotency,
    ) -> std::result::Result<Value, Failure> {
        with_retries(
            &self.retry_policy(),
            idempotency,
            self.inner.options.request_timeout,
            |_| self.attempt(method.clone(), url.clone(), body),
        )
        .await
        .map(|value| self.redact_value(value))
    }

    /// One attempt of an API call, without a time limit (the caller sets one). Its error is
    /// not redacted yet: pass it through [`Client::redact`].
    pub(crate) async fn attempt(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> std::result::Result<Value, Failure> {
        let mut request = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .header("Authorization-Token", self.inner.token_header.clone())
            .header("Accept", "application/json");
        if let Some(body) = body {
            request = request.json(body);
        } else if matches!(method, Method::POST | Method::PUT | Method::PATCH) {
            // RFC 9110 §8.6: a request of a method that defines a body, sent without one,
            // should say so; strict front ends refuse it (411 Length Required) otherwise.
            request = request.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        let response = send_logged(request, &method, &url, &self.inner.options).await?;
        json_answer(response).await
    }

    /// What uploads and downloads need: the pool, the retry policy, the stall timeout.
    pub(crate) fn transfer(&self) -> crate::transport::transfer::Transfer<'_> {
        crate::transport::transfer::Transfer {
            http: &self.inner.http,
            options: &self.inner.options,
            retry: self.retry_policy(),
            stall: self.inner.options.stall_timeout,
            max_unsized_download: self.inner.options.max_unsized_download,
        }
    }

    /// The retry settings of this client.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy::of(&self.inner.options)
    }

    /// The time limit of one API call, if any.
    pub(crate) fn request_timeout(&self) -> Option<Duration> {
        self.inner.options.request_timeout
    }

    /// `e` without the API token, should the server have echoed it (in a message or a body).
    pub(crate) fn redact(&self, e: Error) -> Error {
        e.redact_forms(&self.inner.token_forms)
    }

    /// A JSON answer with the API token replaced by `<redacted>` in every string, object keys
    /// included, should the server have echoed it: no later error (a decode error may quote a
    /// value) or returned object (every `*_to_json` view is rendered from these values) can
    /// then show it.
    pub(crate) fn redact_value(&self, value: Value) -> Value {
        let forms = &self.inner.token_forms;
        fn walk(value: &mut Value, forms: &crate::transport::error::SecretForms) {
            match value {
                Value::String(s) if forms.may_be_in(s) => {
                    *s = forms.redact(std::mem::take(s));
                }
                Value::Array(items) => items.iter_mut().for_each(|v| walk(v, forms)),
                Value::Object(map) => {
                    // Keys cannot be changed in place: the map is rebuilt, in its order, only
                    // when a key may hold the token.
                    if map.keys().any(|k| forms.may_be_in(k)) {
                        *map = std::mem::take(map)
                            .into_iter()
                            .map(|(k, v)| (forms.redact(k), v))
                            .collect();
                    }
                    map.values_mut().for_each(|v| walk(v, forms));
                }
                _ => {}
            }
        }
        let mut value = value;
        walk(&mut value, forms);
        value
    }

    /// Checks an upload or download URL the server gave against the plain-http policy.
    pub(crate) fn check_transfer_url(&self, url: &str) -> Result<()> {
        let parsed = Url::parse(url)
            .map_err(|e| Error::Decode(format!("bad transfer URL `{url}` from the server: {e}")))?;
        check_server_url(&parsed, &self.inner.options)
    }

    /// GET `path` under the API.
    pub(crate) async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value> {
        let url = self.api_url(path, query).await?;
        self.call(Method::GET, url, None).await
    }

    /// POST a JSON body to `path`.
    pub(crate) async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.call(Method::POST, url, Some(body)).await
    }

    /// PATCH `path`, with a JSON body or an empty one.
    pub(crate) async fn patch(&self, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.call(Method::PATCH, url, body).await
    }

    /// PATCH `path` for a change whose effect does not add up when repeated (setting a state
    /// or fields): retried like a GET.
    pub(crate) async fn patch_idempotent(&self, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.call_as(Method::PATCH, url, body, Idempotency::Idempotent)
            .await
    }

    /// PATCH a contact edit (E9, E15) as `{"<what>": edit}`: retried like a GET unless it adds
    /// phone numbers (sending it twice would add them twice); setting fields and removing
    /// numbers by id do not add up.
    pub(crate) async fn patch_edit(
        &self,
        path: &str,
        edit: &crate::sendsecure::model::ContactEdit,
        what: &str,
    ) -> Result<Value> {
        let body = serde_json::json!({ what: edit.to_json() });
        if edit.add_contact_methods.is_empty() {
            self.patch_idempotent(path, Some(&body)).await
        } else {
            self.patch(path, Some(&body)).await
        }
    }

    /// POST a JSON body to `path` for a request whose repetition has no visible effect (it
    /// only reserves something, like an upload URL): retried like a GET.
    pub(crate) async fn post_idempotent(&self, path: &str, body: &Value) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.call_as(Method::POST, url, Some(body), Idempotency::Idempotent)
            .await
    }

    /// DELETE `path`.
    pub(crate) async fn delete(&self, path: &str) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.call(Method::DELETE, url, None).await
    }

    /// A URL the server handed out (e.g. `next_page_url`): relative ones (as the service sends
    /// them) are resolved against the server URL; absolute ones must be on the server's host.
    pub(crate) async fn server_link(&self, link: &str) -> Result<Url> {
        let base = self.server_url().await?;
        let url = base
            .join(link)
            .map_err(|e| Error::Decode(format!("bad link `{link}` from the server: {e}")))?;
        if url.origin() != base.origin() {
            return Err(Error::Decode(format!(
                "the server sent a link to another host: {link}"
            )));
        }
        Ok(url)
    }

    /// The configured user id, or the error of a user-level call made without one.
    pub(crate) fn require_user_id(&self) -> Result<i64> {
        self.user_id().ok_or_else(|| {
            Error::InvalidArgument("User id is required (set it in the client options)".into())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_reaches_an_answer_only_through_its_escape() {
        let refused = |body: &[u8]| matches!(json_body(body), Err(Error::Decode(_)));
        assert!(refused(br#"{"mode": "forbid\u0000allow"}"#));
        assert!(refused(br#"{"k\u0000": 1}"#));
        // A raw NUL is no valid JSON, in a text or between values.
        assert!(refused(b"{\"mode\": \"forbid\0allow\"}"));
        assert!(refused(b"{\"a\": 1}\0"));
        // An escaped backslash before `u0000` is no NUL.
        assert_eq!(
            json_body(br#"{"p": "C:\\u0000"}"#).unwrap(),
            serde_json::json!({"p": "C:\\u0000"})
        );
    }

    #[test]
    fn segments_cannot_escape_their_place() {
        assert_eq!(segment("../../admin?x=1#f"), "..%2F..%2Fadmin%3Fx%3D1%23f");
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(
            segment("1c820789a50747df8746aa5d71922a3f"),
            "1c820789a50747df8746aa5d71922a3f"
        );
    }

    #[test]
    fn endpoints_must_be_http_urls() {
        assert!(parse_endpoint("https://portal.xmedius.com").is_ok());
        assert!(parse_endpoint("ftp://x").is_err());
        assert!(parse_endpoint("not a url").is_err());
        let url = service_url(
            &parse_endpoint("http://h:1/").unwrap(),
            "a/b",
            "portal/host",
        )
        .unwrap();
        assert_eq!(url.as_str(), "http://h:1/services/a%2Fb/portal/host");
    }

    #[test]
    fn plain_http_is_for_loopback_hosts() {
        let refused =
            |u: &str, allow: bool| insecure_http_refusal(&Url::parse(u).unwrap(), allow).is_some();
        for u in [
            "http://127.0.0.1/",
            "http://127.255.0.9:8/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost/",
            "http://LocalHost./",
            "https://example.com/",
        ] {
            assert!(!refused(u, false), "{u}");
        }
        for u in [
            "http://example.com/",
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "http://0.0.0.0/",
        ] {
            assert!(refused(u, false), "{u}");
            assert!(!refused(u, true), "{u}");
        }
        assert!(parse_endpoint("https://u:p@example.com").is_err());
    }

    #[test]
    fn the_token_header_is_sensitive_and_checked() {
        let value = token_header("USER|abc").unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.as_bytes(), b"USER|abc");
        assert!(!format!("{value:?}").contains("abc"));
        assert!(matches!(
            token_header("USER|a\r\nX-Evil: 1"),
            Err(Error::InvalidArgument(m)) if !m.contains("Evil")
        ));
    }

    #[test]
    fn debug_output_hides_the_token() {
        let c = Client::new(
            "USER|secret-token",
            "acme",
            Some("http://127.0.0.1:1"),
            ClientOptions::default(),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("secret-token"));
    }
}
