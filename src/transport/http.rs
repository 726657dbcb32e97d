//! One HTTP exchange: the reqwest client of some options (TLS, redirects), sending a request
//! with its log line, and reading answers: capped bodies, JSON, error statuses.

use crate::transport::error::{error_chain, Error, RedirectLoop, Result, MAX_REDIRECTS};
use crate::transport::json_nul::refuse_nul;
use crate::transport::options::TransportOptions;
use crate::transport::retry::{retry_after, transient_status, Failure};
use crate::transport::tls::tls_config;
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The largest JSON answer accepted; a bigger one is refused as malformed.
pub const MAX_JSON_BODY: usize = 16 << 20;

/// The most of an error answer's body that is read and kept (the rest is not read).
pub const MAX_ERROR_BODY: usize = 64 << 10;

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

/// A connection pool and the TLS settings of its connections, for the probe (`tls_probe`).
pub(crate) struct Pool {
    /// The reqwest client.
    pub http: reqwest::Client,
    /// The one rustls configuration of every connection of the pool.
    pub tls: Arc<rustls::ClientConfig>,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
}

/// Builds the HTTP client of these options: the one rustls configuration of the options
/// (`tls.rs`), redirects only within the same origin, no `Referer`.
pub(crate) fn http_client(options: &TransportOptions) -> Result<Pool> {
    let tls = tls_config(options)?;
    let http = reqwest::Client::builder()
        .user_agent(concat!("libsendsecure/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.connect_timeout)
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(90))
        .use_preconfigured_tls((*tls).clone())
        .redirect(redirect_policy())
        .referer(false)
        .build()
        .map_err(|e| {
            Error::InvalidArgument(format!("cannot build the HTTP client: {}", error_chain(&e)))
        })?;
    Ok(Pool {
        http,
        tls,
        connect_timeout: options.connect_timeout,
    })
}

/// Sends a request and logs one debug line for it: method, path (never the query, which holds
/// e-mail addresses and search terms), status or kind of failure, duration. A connection
/// closed over https is checked for a TLS refusal (`tls_probe`) with the pool's TLS settings.
pub(crate) async fn send_logged(
    request: reqwest::RequestBuilder,
    method: &Method,
    url: &Url,
    pool: &Pool,
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
            let failure =
                crate::transport::tls_probe::failure(e, &pool.tls, pool.connect_timeout).await;
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

/// How a service's answers are read.
#[derive(Clone, Copy)]
pub struct AnswerRules {
    /// The message an error body of the service gives, if any.
    pub error_message: fn(&str) -> Option<String>,
    /// The refusal a successful HTTP answer carries in its JSON (SendSafely answers 200 with
    /// `"response": "UNKNOWN_PACKAGE"`), given the status, the answer and its body verbatim.
    pub refusal: fn(u16, &Value, &[u8]) -> Option<Error>,
    /// Whether such a refusal is the service's own "try again later" (SendSafely's
    /// `TIMEOUT`), retried as a transient status is.
    pub transient: fn(&Error) -> bool,
    /// Error statuses besides 429, 502, 503 and 504 that the service's idempotent calls are
    /// retried after (SendSafely: 408 and 500, as its Python SDK does).
    pub retry_statuses: &'static [u16],
}

/// [`AnswerRules::refusal`] of a service whose refusals are HTTP error statuses.
pub fn no_refusal(_: u16, _: &Value, _: &[u8]) -> Option<Error> {
    None
}

/// [`AnswerRules::transient`] of a service without a "try again" refusal.
pub fn never_transient(_: &Error) -> bool {
    false
}

impl AnswerRules {
    /// The failure of an error answer of the service: worth another attempt on a
    /// [`transient_status`] or one of [`AnswerRules::retry_statuses`].
    pub(crate) fn answered(
        &self,
        error: Error,
        status: u16,
        retry_after: Option<Duration>,
    ) -> Failure {
        let transient = transient_status(status) || self.retry_statuses.contains(&status);
        Failure::answered_as(error, status, retry_after, transient)
    }

    /// The error of an HTTP error answer of the service (see [`Error::of_status`]).
    pub fn error(&self, status: u16, body: String) -> Error {
        Error::of_status(status, (self.error_message)(&body), body)
    }
}

/// Turns a response into its JSON value when its status is a success, or into the error its
/// status says. An error body is read up to [`MAX_ERROR_BODY`] bytes; a 3xx answer here is a
/// redirect the policy did not follow.
pub(crate) async fn ok_json_or_error(
    response: reqwest::Response,
    rules: AnswerRules,
) -> Result<Value> {
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
        let mut error = rules.error(status.as_u16(), text);
        if let (Some(location), Error::Http { message, .. }) = (location, &mut error) {
            if status.is_redirection() {
                message.push_str(&format!(" (Location: {location})"));
            }
        }
        return Err(error);
    }
    let body = read_capped(response, MAX_JSON_BODY).await?;
    let answer = decode_json(&body)?;
    match (rules.refusal)(status.as_u16(), &answer, &body) {
        Some(refused) => Err(refused),
        None => Ok(answer),
    }
}

/// The JSON value of a success answer's body (an empty body is `null`).
pub(crate) fn decode_json(body: &[u8]) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let answer =
        serde_json::from_slice(body).map_err(|e| Error::Decode(format!("invalid JSON: {e}")))?;
    // `\u0000` is the one way JSON can carry a NUL (raw control characters are refused by the
    // parser): only such answers are walked.
    if memchr::memmem::find(body, b"\\u0000").is_some() {
        refuse_nul(&answer, "the answer")?;
    }
    Ok(answer)
}

/// [`ok_json_or_error`] for a call that may be retried: the error with what is known of the
/// request's fate (see `retry.rs`).
pub(crate) async fn answer_json(
    response: reqwest::Response,
    rules: AnswerRules,
) -> std::result::Result<Value, Failure> {
    let status = response.status().as_u16();
    let wait = retry_after(response.headers());
    ok_json_or_error(response, rules)
        .await
        .map_err(|e| match e {
            Error::Http { .. } => rules.answered(e, status, wait),
            e if (rules.transient)(&e) => Failure::answered_as(e, status, wait, true),
            other => Failure::of_body(other),
        })
}
