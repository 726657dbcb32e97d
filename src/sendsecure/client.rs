//! The SendSecure client: the cached discovery of the server URL, the `Authorization-Token`
//! header, API URLs with `locale`, and the request helpers every API area uses, over a
//! transport [`HttpClient`].

use crate::sendsecure::answers::RULES;
use crate::transport::client::{AuthHook, HttpClient};
use crate::transport::error::{Error, Result};
use crate::transport::http::{read_capped, read_truncated, send_logged, Pool, MAX_ERROR_BODY};
use crate::transport::options::TransportOptions;
use crate::transport::retry::{retry_after, with_retries, Failure, Idempotency, RetryPolicy};
use crate::transport::url_policy::{
    check_endpoint, check_server_url, check_url_length, parse_endpoint, segment,
};
use reqwest::header::HeaderValue;
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::OnceCell;
use url::Url;
use zeroize::Zeroizing;

/// The portal used when no endpoint is given.
pub const DEFAULT_ENDPOINT: &str = "https://portal.xmedius.com";

pub use crate::transport::options::DEFAULT_UPLOAD_CONCURRENCY;

/// Settings of a SendSecure client (and of `get_user_token`).
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The user's id (from the user token), needed by user-level calls.
    pub user_id: Option<i64>,
    /// Language of the server's messages, sent as `locale` on every API call.
    pub locale: String,
    /// How many attachments of one call upload at the same time (1 = one after the other).
    pub upload_concurrency: usize,
    /// The HTTP settings: time limits, TLS, retries (see [`Client`] for what is retried).
    pub transport: TransportOptions,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            user_id: None,
            locale: "en".into(),
            upload_concurrency: DEFAULT_UPLOAD_CONCURRENCY,
            transport: TransportOptions::default(),
        }
    }
}

/// A SendSecure client's options read and set as its transport options too
/// (`options.max_retries`): they are those plus three of the service's own.
/// `{endpoint}/services/{acct}/{what}`.
pub(crate) fn service_url(endpoint: &Url, account: &str, what: &str) -> Result<Url> {
    let base = endpoint.as_str().trim_end_matches('/');
    Url::parse(&format!("{base}/services/{}/{what}", segment(account)))
        .map_err(|e| Error::InvalidArgument(format!("invalid endpoint URL: {e}")))
}

/// Reads a text/plain discovery answer as a base URL with a trailing slash; a plain http URL
/// to a host that is not a loopback one is refused unless the options allow it.
///
/// Retried like any GET (see `retry.rs`), within the request timeout.
pub(crate) async fn discover(http: &Pool, url: Url, options: &TransportOptions) -> Result<Url> {
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
    http: &Pool,
    url: Url,
    options: &TransportOptions,
) -> std::result::Result<Url, Failure> {
    let request = http.http.get(url.clone()).header("Accept", "text/plain");
    let response = send_logged(request, &Method::GET, &url, http).await?;
    let status = response.status();
    if !status.is_success() {
        let wait = retry_after(response.headers());
        let body = read_truncated(response, MAX_ERROR_BODY).await;
        let text = String::from_utf8_lossy(&body).trim().to_string();
        return Err(Failure::answered(
            RULES.error(status.as_u16(), text),
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
    http: HttpClient,
    enterprise_account: String,
    endpoint: Url,
    user_id: Option<i64>,
    locale: String,
    upload_concurrency: usize,
    server_url: OnceCell<Url>,
}

/// SendSecure's credentials: the `Authorization-Token` header, marked sensitive (never
/// indexed by HTTP/2 header compression, hidden from `Debug`), its bytes wiped when the last
/// request holding it ends.
struct TokenAuth(HeaderValue);

impl AuthHook for TokenAuth {
    fn authorize(
        &self,
        request: reqwest::RequestBuilder,
        _: &Method,
        _: &Url,
        _: &[u8],
    ) -> reqwest::RequestBuilder {
        request.header("Authorization-Token", self.0.clone())
    }

    fn secrets(&self) -> Vec<&str> {
        // Made from a `&str`: always UTF-8.
        std::str::from_utf8(self.0.as_bytes()).into_iter().collect()
    }
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
/// Failed requests are sent again, up to [`TransportOptions::max_retries`] times with exponential
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
            .field("locale", &self.inner.locale)
            .field("user_id", &self.inner.user_id)
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
        let ClientOptions {
            user_id,
            locale,
            upload_concurrency,
            transport,
        } = options;
        let endpoint = parse_endpoint(endpoint.unwrap_or(DEFAULT_ENDPOINT))?;
        check_endpoint(&endpoint, &transport)?;
        let auth = TokenAuth(token_header(api_token)?);
        let http = HttpClient::new(transport, Box::new(auth), RULES)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                enterprise_account: enterprise_account.to_string(),
                endpoint,
                user_id,
                locale,
                upload_concurrency,
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
        self.inner.user_id
    }

    /// How many attachments of one call upload at the same time.
    pub fn upload_concurrency(&self) -> usize {
        self.inner.upload_concurrency.max(1)
    }

    /// The locale sent with every call.
    pub fn locale(&self) -> &str {
        &self.inner.locale
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
                discover(inner.http.pool(), url, inner.http.options()).await
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

    /// The transport client: calls with the token header, transfers, redaction.
    pub(crate) fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// GET `path` under the API.
    pub(crate) async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value> {
        let url = self.api_url(path, query).await?;
        self.http().call(Method::GET, url, None).await
    }

    /// POST a JSON body to `path`.
    pub(crate) async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.http().call(Method::POST, url, Some(body)).await
    }

    /// PATCH `path`, with a JSON body or an empty one.
    pub(crate) async fn patch(&self, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.http().call(Method::PATCH, url, body).await
    }

    /// PATCH `path` for a change whose effect does not add up when repeated (setting a state
    /// or fields): retried like a GET.
    pub(crate) async fn patch_idempotent(&self, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.http()
            .call_as(Method::PATCH, url, body, Idempotency::Idempotent)
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
        self.http()
            .call_as(Method::POST, url, Some(body), Idempotency::Idempotent)
            .await
    }

    /// DELETE `path`.
    pub(crate) async fn delete(&self, path: &str) -> Result<Value> {
        let url = self.api_url(path, &[]).await?;
        self.http().call(Method::DELETE, url, None).await
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
        let refused = |body: &[u8]| {
            matches!(
                crate::sendsecure::answers::decode_answer(body),
                Err(Error::Decode(_))
            )
        };
        assert!(refused(br#"{"mode": "forbid\u0000allow"}"#));
        assert!(refused(br#"{"k\u0000": 1}"#));
        // A raw NUL is no valid JSON, in a text or between values.
        assert!(refused(b"{\"mode\": \"forbid\0allow\"}"));
        assert!(refused(b"{\"a\": 1}\0"));
        // An escaped backslash before `u0000` is no NUL.
        assert_eq!(
            crate::sendsecure::answers::decode_answer(br#"{"p": "C:\\u0000"}"#).unwrap(),
            serde_json::json!({"p": "C:\\u0000"})
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
