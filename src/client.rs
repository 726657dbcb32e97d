//! The client: one connection pool, the cached service discovery, and the request helpers every
//! API area uses (URL building, the token header, `locale`, error mapping, capped bodies).

use crate::error::{Error, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::Method;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;
use url::Url;

/// The portal used when no endpoint is given.
pub const DEFAULT_ENDPOINT: &str = "https://portal.xmedius.com";

/// The largest JSON answer accepted; a bigger one is refused as malformed.
pub const MAX_JSON_BODY: usize = 16 << 20;

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
    /// Time allowed for a whole request (uploads excepted); `None` for no limit.
    pub request_timeout: Option<Duration>,
    /// A PEM file of extra certificate authorities to trust.
    pub ca_file: Option<PathBuf>,
    /// How many attachments of one call upload at the same time (1 = one after the other).
    pub upload_concurrency: usize,
}

/// The default number of attachments uploaded at the same time. Measured by `bench/run.sh`
/// (32 attachments, 20 ms of latency per request): 8 is 3.4x faster than 1, 4 only 2.7x, 16
/// hardly better than 8; without latency all are equal, so more only costs connections.
pub const DEFAULT_UPLOAD_CONCURRENCY: usize = 8;

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            user_id: None,
            locale: "en".into(),
            connect_timeout: Duration::from_secs(30),
            request_timeout: Some(Duration::from_secs(120)),
            ca_file: None,
            upload_concurrency: DEFAULT_UPLOAD_CONCURRENCY,
        }
    }
}

/// Builds the HTTP client of these options.
pub(crate) fn http_client(options: &ClientOptions) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("libsendsecure/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.connect_timeout)
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(90));
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
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| Error::InvalidArgument(format!("cannot build the HTTP client: {e}")))
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
    Ok(url)
}

/// `{endpoint}/services/{acct}/{what}`.
pub(crate) fn service_url(endpoint: &Url, account: &str, what: &str) -> Result<Url> {
    let base = endpoint.as_str().trim_end_matches('/');
    Url::parse(&format!("{base}/services/{}/{what}", segment(account)))
        .map_err(|e| Error::InvalidArgument(format!("invalid endpoint URL: {e}")))
}

/// Reads a response body up to `limit` bytes.
pub(crate) async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        if body.len() + chunk.len() > limit {
            return Err(Error::Decode(format!("answer larger than {limit} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Turns a response into its JSON value, or the error its status says.
pub(crate) async fn json_or_error(response: reqwest::Response) -> Result<Value> {
    let status = response.status();
    let body = read_capped(response, MAX_JSON_BODY).await?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body[..body.len().min(64 << 10)]).into_owned();
        return Err(Error::from_status(status.as_u16(), text));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&body).map_err(|e| Error::Decode(format!("invalid JSON: {e}")))
}

/// Reads a text/plain discovery answer as a base URL with a trailing slash.
pub(crate) async fn discover(http: &reqwest::Client, url: Url) -> Result<Url> {
    let response = http
        .get(url)
        .header("Accept", "text/plain")
        .send()
        .await
        .map_err(Error::from_reqwest)?;
    let status = response.status();
    let body = read_capped(response, 64 << 10).await?;
    let text = String::from_utf8_lossy(&body).trim().to_string();
    if !status.is_success() {
        return Err(Error::from_status(status.as_u16(), text));
    }
    let mut url = parse_endpoint(&text)
        .map_err(|_| Error::Decode(format!("discovery answered `{text}`, not a URL")))?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

struct Inner {
    http: reqwest::Client,
    api_token: String,
    enterprise_account: String,
    endpoint: Url,
    options: ClientOptions,
    server_url: OnceCell<Url>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        crate::secret::wipe_string(&mut self.api_token);
    }
}

/// A SendSecure client for one user token. Cheap to clone and safe to share between threads and
/// tasks: clones share one connection pool and one service discovery.
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
        let http = http_client(&options)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                api_token: api_token.to_string(),
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

    /// The underlying HTTP client (shared pool), for uploads and downloads.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
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
                discover(&inner.http, url).await
            })
            .await
            .cloned()
    }

    /// `SS + path`, with `locale` first and then `query`, values percent-encoded.
    pub(crate) async fn api_url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        let base = self.server_url().await?;
        let mut url = base
            .join(path)
            .map_err(|e| Error::InvalidArgument(format!("invalid API path `{path}`: {e}")))?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("locale", self.locale());
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    /// An API call with the token header; answers the JSON body (`Null` when empty).
    pub(crate) async fn call(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Value> {
        let mut request = self
            .inner
            .http
            .request(method, url)
            .header("Authorization-Token", &self.inner.api_token)
            .header("Accept", "application/json");
        if let Some(timeout) = self.inner.options.request_timeout {
            request = request.timeout(timeout);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(Error::from_reqwest)?;
        json_or_error(response).await
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
