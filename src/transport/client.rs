//! The HTTP client of a service: one connection pool of some options, the service's auth hook
//! on every attempt, JSON calls retried as their idempotency allows, transfers, and the
//! redaction of the service's secrets from answers and errors.

use crate::transport::error::{Error, Result, SecretForms};
use crate::transport::http::{answer_json, http_client, send_logged, AnswerRules, Pool};
use crate::transport::options::TransportOptions;
use crate::transport::retry::{
    log_call_retry, run_with_lookup, with_retries, Failure, Idempotency, LookedUp, Lookup, Plan,
    RetryPolicy,
};
use crate::transport::transfer::Transfer;
use crate::transport::url_policy::check_server_url;
use reqwest::Method;
use serde_json::Value;
use std::future::Future;
use std::time::Duration;
use url::Url;

/// How a service authenticates its requests.
pub trait AuthHook: Send + Sync {
    /// `request`, one attempt of `method` to `url` whose body is exactly `body` (empty when
    /// none), with the service's credentials. Called for every attempt, so that a signature
    /// (of a time, a nonce, the bytes sent) can be made for each one.
    fn authorize(
        &self,
        request: reqwest::RequestBuilder,
        method: &Method,
        url: &Url,
        body: &[u8],
    ) -> reqwest::RequestBuilder;

    /// The secrets a server could echo back, to be redacted from every answer and error.
    fn secrets(&self) -> Vec<&str>;
}

/// A connection pool with its options, its service's auth hook and the forms of its secrets.
pub struct HttpClient {
    http: Pool,
    options: TransportOptions,
    auth: Box<dyn AuthHook>,
    /// The ways the secrets could come back in an answer, to redact them (wiped when dropped).
    secret_forms: Vec<SecretForms>,
    rules: AnswerRules,
}

impl HttpClient {
    /// A client of these options for a service that authenticates with `auth` and whose
    /// answers are read by `rules`.
    pub(crate) fn new(
        options: TransportOptions,
        auth: Box<dyn AuthHook>,
        rules: AnswerRules,
    ) -> Result<HttpClient> {
        let http = http_client(&options)?;
        let secret_forms = auth.secrets().into_iter().map(SecretForms::new).collect();
        Ok(HttpClient {
            http,
            options,
            auth,
            secret_forms,
            rules,
        })
    }

    /// The connection pool.
    pub(crate) fn pool(&self) -> &Pool {
        &self.http
    }

    /// The options of this client.
    pub(crate) fn options(&self) -> &TransportOptions {
        &self.options
    }

    /// An API call with the service's credentials; answers the JSON body (`Null` when empty).
    /// GET, PUT and DELETE are retried as idempotent calls, POST and PATCH only when nothing
    /// was sent (see [`HttpClient::call_as`]).
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

    /// [`HttpClient::call_as`], failing with what is known of the request's fate (see
    /// `retry.rs`); its error is not redacted yet: pass it through [`HttpClient::redact`].
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
            self.options.request_timeout,
            |_| self.attempt(method.clone(), url.clone(), body),
        )
        .await
        .map(|value| self.redact_value(value))
    }

    /// [`HttpClient::call_with_fate`] of a request looked up after an unknown outcome (see
    /// [`run_with_lookup`]): `find` tells whether it was handled all the same, and the call
    /// then gives `None` instead of an answer.
    pub(crate) async fn call_with_lookup<L, Found>(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        idempotency: Idempotency,
        mut find: L,
    ) -> std::result::Result<Option<Value>, Failure>
    where
        L: FnMut(Failure) -> Found,
        Found: Future<Output = LookedUp<()>>,
    {
        let policy = self.retry_policy();
        let plan = Plan {
            policy: &policy,
            idempotency,
            deadline: self.options.request_timeout,
            log_retry: &log_call_retry,
        };
        let lookup = Lookup {
            unknown: &Failure::outcome_unknown,
            find: |failure| {
                let found = find(failure);
                async move {
                    match found.await {
                        LookedUp::Found(()) => LookedUp::Found(None),
                        LookedUp::NotFound(failure) => LookedUp::NotFound(failure),
                        LookedUp::Failed(failure) => LookedUp::Failed(failure),
                    }
                }
            },
        };
        run_with_lookup(&plan, Some(lookup), |_| {
            let answer = self.attempt(method.clone(), url.clone(), body);
            async move { answer.await.map(Some) }
        })
        .await
        .map(|answer| answer.map(|value| self.redact_value(value)))
    }

    /// One attempt of an API call, without a time limit (the caller sets one). Its error is
    /// not redacted yet: pass it through [`HttpClient::redact`].
    pub(crate) async fn attempt(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> std::result::Result<Value, Failure> {
        // Serialised once: the bytes the hook signs are the bytes sent.
        let bytes = match body {
            Some(body) => Some(serde_json::to_vec(body).map_err(|e| {
                Failure::fatal(Error::InvalidArgument(format!(
                    "the request body cannot be serialised: {e}"
                )))
            })?),
            None => None,
        };
        let request = self.http.http.request(method.clone(), url.clone());
        let mut request = self
            .auth
            .authorize(request, &method, &url, bytes.as_deref().unwrap_or_default())
            .header("Accept", "application/json");
        if let Some(bytes) = bytes {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        } else if matches!(method, Method::POST | Method::PUT | Method::PATCH) {
            // RFC 9110 §8.6: a request of a method that defines a body, sent without one,
            // should say so; strict front ends refuse it (411 Length Required) otherwise.
            request = request.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        let response = send_logged(request, &method, &url, &self.http).await?;
        answer_json(response, self.rules).await
    }

    /// What uploads and downloads need: the pool, the retry policy, the stall timeout.
    pub(crate) fn transfer(&self) -> Transfer<'_> {
        Transfer {
            pool: &self.http,
            retry: self.retry_policy(),
            stall: self.options.stall_timeout,
            max_unsized_download: self.options.max_unsized_download,
            rules: self.rules,
        }
    }

    /// The retry settings of this client.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy::of(&self.options)
    }

    /// The time limit of one API call, if any.
    pub(crate) fn request_timeout(&self) -> Option<Duration> {
        self.options.request_timeout
    }

    /// `e` without the service's secrets, should the server have echoed them (in a message or
    /// a body).
    pub(crate) fn redact(&self, e: Error) -> Error {
        self.secret_forms
            .iter()
            .fold(e, |e, forms| e.redact_forms(forms))
    }

    /// A JSON answer with the service's secrets replaced by `<redacted>` in every string,
    /// object keys included, should the server have echoed them: no later error (a decode
    /// error may quote a value) or returned object can then show them.
    pub(crate) fn redact_value(&self, value: Value) -> Value {
        fn walk(value: &mut Value, forms: &SecretForms) {
            match value {
                Value::String(s) if forms.may_be_in(s) => {
                    *s = forms.redact(std::mem::take(s));
                }
                Value::Array(items) => items.iter_mut().for_each(|v| walk(v, forms)),
                Value::Object(map) => {
                    // Keys cannot be changed in place: the map is rebuilt, in its order, only
                    // when a key may hold the secret.
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
        for forms in &self.secret_forms {
            walk(&mut value, forms);
        }
        value
    }

    /// Checks an upload or download URL the server gave against the plain-http policy.
    pub(crate) fn check_transfer_url(&self, url: &str) -> Result<()> {
        let parsed = Url::parse(url)
            .map_err(|e| Error::Decode(format!("bad transfer URL `{url}` from the server: {e}")))?;
        check_server_url(&parsed, &self.options)
    }
}
