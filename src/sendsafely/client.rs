//! The SendSafely client: the host's `/api/v2.0` URLs, every request signed with the API key
//! and secret (spec §2, §11.2), and the request helpers every API area uses, over a transport
//! [`HttpClient`].

use crate::sendsafely::answers::RULES;
use crate::transport::client::{AuthHook, HttpClient};
use crate::transport::error::{Error, Result};
use crate::transport::options::TransportOptions;
use crate::transport::retry::Idempotency;
use crate::transport::url_policy::{check_endpoint, check_url_length, parse_endpoint, segment};
use reqwest::header::HeaderValue;
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use url::Url;
use zeroize::Zeroizing;

/// The default number of segments uploaded (or downloaded) at the same time.
pub const DEFAULT_TRANSFER_CONCURRENCY: usize = 4;

/// Settings of a SendSafely client.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// How many segments are uploaded or downloaded at the same time (1 = one after the other).
    pub transfer_concurrency: usize,
    /// How many segments are encrypted or decrypted at the same time; 0 = one per available
    /// core.
    pub crypto_threads: usize,
    /// The HTTP settings: time limits, TLS, retries.
    pub transport: TransportOptions,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            transfer_concurrency: DEFAULT_TRANSFER_CONCURRENCY,
            crypto_threads: 0,
            transport: TransportOptions::default(),
        }
    }
}

/// SendSafely's credentials: every attempt signed with the API secret over the API key, the
/// path sent, a timestamp and the exact body bytes (spec §2). The secret is wiped when the
/// client is dropped and never sent.
struct SignedAuth {
    api_key: HeaderValue,
    api_key_text: Zeroizing<String>,
    api_secret: Zeroizing<String>,
}

impl AuthHook for SignedAuth {
    fn authorize(
        &self,
        request: reqwest::RequestBuilder,
        _: &Method,
        url: &Url,
        body: &[u8],
    ) -> reqwest::RequestBuilder {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let timestamp = sendsafely_crypto::signature::timestamp(now);
        // `Url::path` is the path exactly as sent (already percent-encoded), without the query.
        let signature = sendsafely_crypto::signature::sign(
            &self.api_secret,
            &self.api_key_text,
            url.path(),
            &timestamp,
            body,
        );
        request
            .header("ss-api-key", self.api_key.clone())
            .header("ss-request-timestamp", timestamp)
            .header("ss-request-signature", signature)
            .header("ss-request-api", "LIBSENDSECURE")
    }

    fn secrets(&self) -> Vec<&str> {
        vec![self.api_secret.as_str()]
    }
}

struct Inner {
    http: HttpClient,
    /// `{host}/api/v2.0/`.
    api_base: Url,
    host: Url,
    transfer_concurrency: usize,
    crypto_threads: usize,
}

/// A SendSafely client for one API key and secret. Cheap to clone and safe to share between
/// threads and tasks: clones share one connection pool.
///
/// Reads (GET), overwrites (segment uploads, messages, wrapped keycodes, package updates),
/// URL requests and deletions are sent again after a transport failure, an answer 408, 429,
/// 500, 502, 503 or 504, or SendSafely's `TIMEOUT` (spec §11.6), with exponential backoff and
/// jitter; creations (packages, recipients, files, directories, keys) and finalize only when
/// nothing was sent, since a second one could duplicate.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("sendsafely::Client")
            .field("host", &self.inner.host.as_str())
            .field("api_secret", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// A client of the SendSafely portal at `host` (e.g. `https://acme.sendsafely.com`, with
    /// or without a trailing slash) for `api_key` and `api_secret`.
    pub fn new(
        host: &str,
        api_key: &str,
        api_secret: &str,
        options: ClientOptions,
    ) -> Result<Client> {
        if api_key.trim().is_empty() {
            return Err(Error::InvalidArgument("the API key must be given".into()));
        }
        if api_secret.is_empty() {
            return Err(Error::InvalidArgument(
                "the API secret must be given".into(),
            ));
        }
        let host = parse_endpoint(host)?;
        if !host.path().trim_end_matches('/').is_empty() || host.query().is_some() {
            // The API lives at `/api/v2.0` on the root of the origin (spec §1.1).
            return Err(Error::InvalidArgument(format!(
                "the SendSafely host `{host}` must be an origin (scheme, host, port) without a path"
            )));
        }
        check_endpoint(&host, &options.transport)?;
        let api_base = host
            .join("/api/v2.0/")
            .map_err(|e| Error::InvalidArgument(format!("invalid host URL: {e}")))?;
        let mut api_key_header = HeaderValue::from_str(api_key).map_err(|_| {
            Error::InvalidArgument(
                "the API key contains characters an HTTP header cannot carry".into(),
            )
        })?;
        api_key_header.set_sensitive(true);
        let auth = SignedAuth {
            api_key: api_key_header,
            api_key_text: Zeroizing::new(api_key.to_string()),
            api_secret: Zeroizing::new(api_secret.to_string()),
        };
        let http = HttpClient::new(options.transport, Box::new(auth), RULES)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                api_base,
                host,
                transfer_concurrency: options.transfer_concurrency.max(1),
                crypto_threads: options.crypto_threads,
            }),
        })
    }

    /// The portal's origin, as the links the client builds use it.
    pub fn host(&self) -> &Url {
        &self.inner.host
    }

    /// How many segments move at the same time.
    pub fn transfer_concurrency(&self) -> usize {
        self.inner.transfer_concurrency
    }

    /// How many segments are encrypted or decrypted at the same time.
    pub fn crypto_threads(&self) -> usize {
        match self.inner.crypto_threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    /// The transport client: signed calls, transfers, redaction.
    pub(crate) fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// `{host}/api/v2.0/{path}` with `query`; `path` is made of literal parts and ids passed
    /// through [`Client::id`]. The trailing slash form is the one JV and JS send (spec §1.3).
    pub(crate) fn api_url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        let parts = path.len() + query.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
        check_url_length(parts)?;
        let mut url = self.inner.api_base.join(path).map_err(|e| {
            Error::InvalidArgument(format!(
                "invalid API path `{}`: {e}",
                crate::transport::error::excerpt(path, 200)
            ))
        })?;
        if url.path() != format!("{}{path}", self.inner.api_base.path()) {
            return Err(Error::InvalidArgument(format!(
                "an id cannot be empty, `.` or `..` (it would change the request's path `{}`)",
                crate::transport::error::excerpt(path, 200)
            )));
        }
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        check_url_length(url.as_str().len())?;
        Ok(url)
    }

    /// An id as one path segment, refused when empty.
    #[allow(dead_code)] // the package calls come next
    pub(crate) fn id(what: &str, id: &str) -> Result<String> {
        if id.trim().is_empty() {
            return Err(Error::InvalidArgument(format!("the {what} must be given")));
        }
        Ok(segment(id))
    }

    /// A signed call of `method` to `path` with a JSON body, retried as `idempotency` allows.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        idempotency: Idempotency,
    ) -> Result<Value> {
        let url = self.api_url(path, query)?;
        self.http().call_as(method, url, body, idempotency).await
    }

    /// A signed call of `method` to `path` with a JSON body and no query.
    pub(crate) async fn send_json(
        &self,
        method: Method,
        path: &str,
        body: &Value,
        idempotency: Idempotency,
    ) -> Result<Value> {
        self.call(method, path, &[], Some(body), idempotency).await
    }

    /// A signed GET.
    pub(crate) async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value> {
        self.call(Method::GET, path, query, None, Idempotency::Idempotent)
            .await
    }
}
