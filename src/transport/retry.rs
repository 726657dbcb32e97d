//! Retries with exponential backoff and jitter, and what decides whether a failed request may
//! be sent again.
//!
//! Every attempt that fails says what is known of its request's fate ([`Fate`]): it never left
//! (the connection could not be established), it may or may not have been handled (the
//! connection broke or timed out after sending), or the server answered with a status. Whether
//! that is worth another attempt then depends on the call ([`Idempotency`]):
//!
//! - every call is retried when the connection could not be established (nothing was sent);
//! - idempotent calls are sent again at once, without counting as an attempt, when a reused
//!   (pooled) connection turns out to have been closed by the server (at most
//!   [`MAX_STALE_RESENDS`] times per call, so that a server closing every connection cannot
//!   make a call loop);
//! - idempotent calls are also retried when the outcome is unknown and on 429, 502, 503, 504;
//! - other calls (POSTs that create something) are not: sending them again could do the thing
//!   twice, unless the caller checks first ([`Idempotency::Checked`]: the commit of a SafeBox
//!   looks it up by its GUID, see `sendsecure/api/safeboxes.rs`); an upload read once is never
//!   sent again ([`Idempotency::Unrepeatable`]).
//!
//! A call may also be looked up after an unknown outcome ([`Lookup`]): found, it was handled
//! and the call is done; not found, it is sent again if its idempotency allows.
//!
//! [`run`] is the one loop that does this for every call, upload, download and commit.

use crate::transport::error::{Error, Text};
use crate::transport::options::TransportOptions;
use std::collections::HashSet;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Whether sending a request twice has the same effect as sending it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// GET, and the PATCH/DELETE calls whose effect does not add up (see each call).
    Idempotent,
    /// Calls that create something: retried only when nothing was sent.
    NotIdempotent,
    /// Requests that cannot be sent again at all (an upload whose source can be read once).
    Unrepeatable,
    /// Requests looked up after an unknown outcome ([`Lookup`]: a commit by its GUID) whose
    /// attempt fails for good itself when they must not be sent again: any other failure is
    /// sent again, like an idempotent call's.
    Checked,
}

/// What is known of a failed request's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// The connection could not be established: the server never saw the request.
    NotSent,
    /// The connection broke or timed out once the request was (maybe) sent: the server may
    /// have handled it.
    Unknown,
    /// The request went out on a reused connection that then closed (or was reset) without an
    /// answer: almost always a server closing an idle keep-alive connection just as the
    /// request arrived, which never handled it. It cannot be told apart from a server that
    /// failed after reading the request, so it is an [`Fate::Unknown`] for calls that must not
    /// be done twice; idempotent ones are sent again on a fresh connection without counting
    /// the attempt (see [`StaleResends`]).
    Stale,
    /// The server (or a proxy) answered with this status.
    Answered {
        /// The HTTP status.
        status: u16,
        /// `Retry-After` in seconds, when the answer had one.
        retry_after: Option<Duration>,
        /// Whether another attempt of an idempotent call may succeed: a [`transient_status`],
        /// or one the service says its answers are worth another attempt at.
        transient: bool,
    },
    /// A failure that another attempt would not change (a bad answer, a local error, a
    /// certificate refused).
    Final,
}

/// A failed attempt: the error to report and the request's fate.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: Error,
    pub fate: Fate,
}

/// Statuses worth another attempt for an idempotent call: rate limited, or a proxy or gateway
/// that could not reach the service.
pub(crate) fn transient_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

impl Failure {
    /// A failure another attempt would not change.
    pub fn fatal(error: Error) -> Failure {
        Failure {
            error,
            fate: Fate::Final,
        }
    }

    /// A failure while reading an answer's body: the connection broke or timed out (the
    /// request may have been handled), or the answer is unusable.
    pub fn of_body(error: Error) -> Failure {
        let fate = match error {
            Error::Connect(_) | Error::Timeout(_) => Fate::Unknown,
            _ => Fate::Final,
        };
        Failure { error, fate }
    }

    /// A request that timed out after it was (maybe) sent.
    pub fn timeout(message: String) -> Failure {
        Failure {
            error: Error::Timeout(message),
            fate: Fate::Unknown,
        }
    }

    /// Classifies an HTTP client error.
    pub fn from_reqwest(e: reqwest::Error) -> Failure {
        let fate = if crate::transport::error::tls_failure(&e).is_some() {
            // A refused certificate, a refused client certificate, no common TLS version: the
            // next attempt would fail the same way (during the handshake or, with TLS 1.3, when
            // the server's refusal of the client certificate arrives with the answer).
            Fate::Final
        } else if e.is_connect() {
            // A TLS or protocol refusal during the handshake (io::ErrorKind::InvalidData, as
            // rustls reports a bad certificate) will fail the same way next time.
            if source_chain_has_invalid_data(&e) {
                Fate::Final
            } else {
                Fate::NotSent
            }
        } else if e.is_builder() || e.is_redirect() {
            Fate::Final
        } else if closed_reused_connection(&e) {
            Fate::Stale
        } else {
            // Timed out, or the connection closed while sending or before the answer: the
            // server may have handled the request.
            Fate::Unknown
        };
        Failure {
            error: Error::from_reqwest(e),
            fate,
        }
    }

    /// A server's error answer, worth another attempt when its status is a
    /// [`transient_status`].
    pub fn answered(error: Error, status: u16, retry_after: Option<Duration>) -> Failure {
        Failure::answered_as(error, status, retry_after, transient_status(status))
    }

    /// A server's error answer, worth another attempt (of an idempotent call) as `transient`
    /// says.
    pub fn answered_as(
        error: Error,
        status: u16,
        retry_after: Option<Duration>,
        transient: bool,
    ) -> Failure {
        Failure {
            error,
            fate: Fate::Answered {
                status,
                retry_after,
                transient,
            },
        }
    }

    /// Whether another attempt of a call of this kind may be made.
    pub fn retryable(&self, idempotency: Idempotency) -> bool {
        match idempotency {
            Idempotency::Unrepeatable => return false,
            Idempotency::Checked => return self.fate != Fate::Final,
            Idempotency::Idempotent | Idempotency::NotIdempotent => {}
        }
        match self.fate {
            Fate::NotSent => true,
            Fate::Unknown | Fate::Stale => idempotency == Idempotency::Idempotent,
            Fate::Answered { transient, .. } => idempotency == Idempotency::Idempotent && transient,
            Fate::Final => false,
        }
    }

    /// Whether a request that creates something may have been handled although it failed:
    /// its answer was lost (the connection broke after sending, no answer in time), or a 5xx
    /// or 429 came, possibly from a proxy in front of a server that did handle it.
    pub fn outcome_unknown(&self) -> bool {
        match self.fate {
            Fate::Unknown | Fate::Stale => true,
            Fate::Answered { status, .. } => status >= 500 || status == 429,
            Fate::NotSent | Fate::Final => false,
        }
    }

    /// The `Retry-After` of the answer, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self.fate {
            Fate::Answered { retry_after, .. } => retry_after,
            _ => None,
        }
    }
}

/// How many requests of one call may be sent again for free after a [`Fate::Stale`] failure.
/// Each such failure takes one closed connection out of the pool, and a pool rarely holds more
/// idle connections to one server than a few calls at a time use.
pub(crate) const MAX_STALE_RESENDS: u32 = 8;

/// The free re-sends of one call after [`Fate::Stale`] failures (see [`MAX_STALE_RESENDS`]).
#[derive(Debug, Default)]
pub(crate) struct StaleResends(u32);

impl StaleResends {
    /// Whether `failure` is worth sending again at once, without counting it as an attempt:
    /// it is [`Fate::Stale`] and the call's free re-sends are not spent. The caller has made
    /// sure sending again is harmless (an idempotent call, or a commit checked by its GUID).
    pub(crate) fn take(&mut self, failure: &Failure) -> bool {
        if failure.fate != Fate::Stale || self.0 >= MAX_STALE_RESENDS {
            return false;
        }
        self.0 += 1;
        log::info!(
            target: "sendsecure::retry",
            "a reused connection was closed by the server: sending again on a fresh one"
        );
        true
    }
}

/// The connections (local and remote address) that have carried an answer. A connection's
/// addresses are unique among the open connections of the machine, so one set serves every
/// client. Emptied when it grows large: a connection then forgotten only loses its free
/// re-send, and one whose addresses a new connection later takes only gains one.
static ANSWERED: LazyLock<Mutex<HashSet<(SocketAddr, SocketAddr)>>> =
    LazyLock::new(|| Mutex::new(HashSet::new()));

const MAX_ANSWERED: usize = 4096;

/// The addresses of a connection, from what hyper-util tells of it.
fn addresses(info: &hyper_util::client::legacy::connect::HttpInfo) -> (SocketAddr, SocketAddr) {
    (info.local_addr(), info.remote_addr())
}

/// Notes that the connection of `response` carried an answer: a later request failing on it
/// failed on a reused connection.
pub(crate) fn note_answered(response: &reqwest::Response) {
    let Some(info) = response
        .extensions()
        .get::<hyper_util::client::legacy::connect::HttpInfo>()
    else {
        return;
    };
    let mut answered = ANSWERED.lock().unwrap_or_else(|e| e.into_inner());
    if answered.len() >= MAX_ANSWERED {
        answered.clear();
    }
    answered.insert(addresses(info));
}

/// Whether `e` is a connection that had carried an answer closing (or being reset) before the
/// answer to this request: hyper's "connection closed before message completed", or a reset
/// or broken pipe, on a connection [`note_answered`] saw.
fn closed_reused_connection(e: &reqwest::Error) -> bool {
    let closed = crate::transport::error::sources(e).any(|s| {
        s.downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_incomplete_message)
            || s.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                )
            })
    });
    if !closed {
        return false;
    }
    let Some(connected) = crate::transport::error::sources(e).find_map(|s| {
        s.downcast_ref::<hyper_util::client::legacy::Error>()
            .and_then(hyper_util::client::legacy::Error::connect_info)
    }) else {
        return false;
    };
    let mut extras = http::Extensions::new();
    connected.get_extras(&mut extras);
    let Some(info) = extras.get::<hyper_util::client::legacy::connect::HttpInfo>() else {
        return false;
    };
    ANSWERED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&addresses(info))
}

fn source_chain_has_invalid_data(e: &(dyn std::error::Error + 'static)) -> bool {
    crate::transport::error::sources(e).any(|s| {
        s.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData)
    })
}

/// Reads `Retry-After`: a number of seconds, or an HTTP date. A date is measured from the
/// answer's own `Date` when it has one (so that a server whose clock differs from ours is still
/// waited for as long as it asked), else from now; a date already past means no wait.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = |name| headers.get(name)?.to_str().ok().map(str::trim);
    let value = text(reqwest::header::RETRY_AFTER)?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let now = text(reqwest::header::DATE)
        .and_then(|date| httpdate::parse_http_date(date).ok())
        .unwrap_or_else(std::time::SystemTime::now);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// How many times and how fast failed requests are sent again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub base_delay: Duration,
    /// The longest wait: backoffs are capped at it, and a `Retry-After` longer than it is not
    /// waited for (the failure is reported instead).
    pub max_delay: Duration,
}

impl RetryPolicy {
    pub fn of(options: &TransportOptions) -> RetryPolicy {
        RetryPolicy {
            max_retries: options.max_retries,
            base_delay: options.retry_base_delay,
            max_delay: options.retry_max_delay,
        }
    }

    /// The wait before retry number `retry` (0 for the first retry): the server's
    /// `Retry-After` when it gave one (`None` when it is longer than `max_delay`), else
    /// `base_delay * 2^retry` capped at `max_delay`, with "equal jitter" (between half and all
    /// of it) so that clients failing together do not come back together.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(wait) = retry_after {
            return (wait <= self.max_delay).then_some(wait);
        }
        let backoff = self
            .base_delay
            .saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let half = backoff / 2;
        Some(half + half.mul_f64(random_fraction()))
    }
}

/// A random number in [0, 1).
fn random_fraction() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// Adds how many attempts were made to an error's message (of a failure a retry may follow:
/// a connection, a time limit or an HTTP status).
pub(crate) fn with_attempts(error: Error, attempts: u32) -> Error {
    let retried_kind = matches!(
        error,
        Error::Connect(_) | Error::Timeout(_) | Error::Http { .. }
    );
    if attempts <= 1 || !retried_kind {
        return error;
    }
    let note = format!(" ({attempts} attempts)");
    error.map_texts(|text, m| if text == Text::Message { m + &note } else { m })
}

/// How a call's failed attempts are sent again.
pub(crate) struct Plan<'a> {
    /// How many times and how fast.
    pub policy: &'a RetryPolicy,
    /// Which failures may be sent again (see [`Failure::retryable`]); idempotent calls also
    /// get free re-sends after a stale connection ([`StaleResends`]).
    pub idempotency: Idempotency,
    /// The time the whole call (attempts and waits) must end within, if any.
    pub deadline: Option<Duration>,
    /// Logs a failed attempt (0 for the first) that is sent again after a wait.
    pub log_retry: &'a (dyn Fn(u32, &Failure, Duration) + Sync),
}

/// A lookup after an unknown outcome: whether a request that failed was handled all the same.
pub(crate) struct Lookup<'a, F> {
    /// Whether a failure leaves the request's outcome unknown (for most calls
    /// [`Failure::outcome_unknown`]); only then is the request looked up.
    pub unknown: &'a (dyn Fn(&Failure) -> bool + Sync),
    /// Looks the request of a failure up.
    pub find: F,
}

/// What a [`Lookup`] found.
pub(crate) enum LookedUp<T> {
    /// The request was handled: the call gives this.
    Found(T),
    /// It was not: the failure stands, sent again if the call's idempotency allows.
    NotFound(Failure),
    /// The lookup itself failed: the call ends with this failure, as it is.
    Failed(Failure),
}

/// No log line for a retry (the caller logs what it found).
pub(crate) fn no_retry_log(_: u32, _: &Failure, _: Duration) {}

/// The log line of a failed API call sent again.
pub(crate) fn log_call_retry(retry: u32, failure: &Failure, wait: Duration) {
    log::info!(
        target: "sendsecure::retry",
        "attempt {} failed ({}): retrying in {} ms",
        retry + 1,
        failure.error.kind_for_log(),
        wait.as_millis()
    );
}

/// Runs `attempt` until it succeeds, fails for good, or the retries are spent, waiting the
/// policy's delay between attempts. With a `deadline`, the whole (attempts and waits) must end
/// within it: an attempt still running then ends with [`Error::Timeout`], and a wait that would
/// end after it is not started (the last failure is reported instead).
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    idempotency: Idempotency,
    deadline: Option<Duration>,
    attempt: F,
) -> Result<T, Failure>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let plan = Plan {
        policy,
        idempotency,
        deadline,
        log_retry: &log_call_retry,
    };
    run(&plan, attempt).await
}

/// The retry engine: runs `attempt` (given the retry number, 0 first) as `plan` says. Every
/// retry loop of the library is this one (see [`run_with_lookup`]).
pub(crate) async fn run<T, F, Fut>(plan: &Plan<'_>, attempt: F) -> Result<T, Failure>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    type NoLookup<T> = fn(Failure) -> std::future::Ready<LookedUp<T>>;
    run_with_lookup(plan, None::<Lookup<'_, NoLookup<T>>>, attempt).await
}

/// [`run`], with the request looked up after each failure whose outcome is unknown, before
/// anything else (a free re-send after a stale connection included), outside the deadline.
pub(crate) async fn run_with_lookup<T, F, Fut, L, Found>(
    plan: &Plan<'_>,
    mut lookup: Option<Lookup<'_, L>>,
    mut attempt: F,
) -> Result<T, Failure>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
    L: FnMut(Failure) -> Found,
    Found: Future<Output = LookedUp<T>>,
{
    let policy = plan.policy;
    let idempotency = plan.idempotency;
    let end = plan.deadline.map(|d| (Instant::now() + d, d));
    let mut retry = 0u32;
    let mut stale = StaleResends::default();
    loop {
        let result = match end {
            Some((end, limit)) => {
                let left = end.saturating_duration_since(Instant::now());
                match tokio::time::timeout(left, attempt(retry)).await {
                    Ok(result) => result,
                    Err(_) => Err(Failure::timeout(format!(
                        "no answer within the request timeout ({} ms)",
                        limit.as_millis()
                    ))),
                }
            }
            None => attempt(retry).await,
        };
        let failure = match result {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        let failure = match &mut lookup {
            Some(lookup) if (lookup.unknown)(&failure) => match (lookup.find)(failure).await {
                LookedUp::Found(value) => return Ok(value),
                LookedUp::NotFound(failure) => failure,
                LookedUp::Failed(failure) => return Err(failure),
            },
            _ => failure,
        };
        let harmless_resend = matches!(idempotency, Idempotency::Idempotent | Idempotency::Checked);
        if harmless_resend && stale.take(&failure) {
            continue;
        }
        let wait = (retry < policy.max_retries && failure.retryable(idempotency))
            .then(|| policy.delay(retry, failure.retry_after()))
            .flatten()
            .filter(|wait| match end {
                Some((end, _)) => Instant::now() + *wait < end,
                None => true,
            });
        let Some(wait) = wait else {
            return Err(Failure {
                error: with_attempts(failure.error, retry + 1),
                fate: failure.fate,
            });
        };
        (plan.log_retry)(retry, &failure, wait);
        tokio::time::sleep(wait).await;
        retry += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> reqwest::header::HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                (
                    reqwest::header::HeaderName::from_static(name),
                    value.parse().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date_measured_from_the_answers_date() {
        let read = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs));
        assert_eq!(read(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(read(&[("retry-after", " 0 ")]), Some(Duration::ZERO));
        // The server's clock says 08:49:37; it asks for 08:50:07: 30 s, whatever our clock says.
        assert_eq!(
            read(&[
                ("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
                ("date", "Wed, 21 Oct 2015 07:27:30 GMT"),
            ]),
            Some(Duration::from_secs(30))
        );
        // Already past (by the answer's clock, or by ours without one): no wait.
        assert_eq!(
            read(&[
                ("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
                ("date", "Wed, 21 Oct 2015 07:29:00 GMT"),
            ]),
            Some(Duration::ZERO)
        );
        assert_eq!(
            read(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]),
            Some(Duration::ZERO)
        );
        // Without a Date, measured from now.
        let in_a_minute =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(60));
        let wait = read(&[("retry-after", &in_a_minute)]).unwrap();
        assert!(
            wait > Duration::from_secs(55) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        // Neither: the backoff applies.
        assert_eq!(read(&[("retry-after", "soon")]), None);
        assert_eq!(read(&[("retry-after", "-5")]), None);
        assert_eq!(read(&[]), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = policy();
        for _ in 0..50 {
            let d0 = p.delay(0, None).unwrap();
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100));
            let d1 = p.delay(1, None).unwrap();
            assert!(d1 >= Duration::from_millis(100) && d1 <= Duration::from_millis(200));
            let d5 = p.delay(5, None).unwrap();
            assert!(d5 >= Duration::from_millis(150) && d5 <= Duration::from_millis(300));
            assert!(p.delay(40, None).unwrap() <= Duration::from_millis(300));
        }
        assert_eq!(
            p.delay(0, Some(Duration::from_millis(200))),
            Some(Duration::from_millis(200))
        );
        assert_eq!(p.delay(0, Some(Duration::from_secs(1))), None);
    }

    #[test]
    fn what_is_retried_depends_on_the_fate_and_the_call() {
        use Idempotency::*;
        let f = |fate| Failure {
            error: Error::Connect("x".into()),
            fate,
        };
        let answered = |status| Fate::Answered {
            status,
            retry_after: None,
            transient: transient_status(status),
        };
        assert!(f(Fate::NotSent).retryable(NotIdempotent));
        assert!(f(Fate::Unknown).retryable(Idempotent));
        assert!(!f(Fate::Unknown).retryable(NotIdempotent));
        for status in [429, 502, 503, 504] {
            assert!(f(answered(status)).retryable(Idempotent));
            assert!(!f(answered(status)).retryable(NotIdempotent));
        }
        for status in [400, 401, 403, 404, 413, 500] {
            assert!(!f(answered(status)).retryable(Idempotent));
        }
        assert!(!f(Fate::Final).retryable(Idempotent));
    }

    #[tokio::test]
    async fn stale_connections_are_sent_again_for_free_a_bounded_number_of_times() {
        let p = RetryPolicy {
            max_retries: 0,
            ..policy()
        };
        let stale = || Failure {
            error: Error::Connect("connection closed before message completed".into()),
            fate: Fate::Stale,
        };
        // An idempotent call: re-sent without counting, then it succeeds.
        let mut calls = 0;
        let r = with_retries(&p, Idempotency::Idempotent, None, |n| {
            calls += 1;
            let failed = calls <= 3;
            async move {
                assert_eq!(n, 0, "a free re-send is not a retry");
                if failed {
                    Err(stale())
                } else {
                    Ok(())
                }
            }
        })
        .await;
        assert!(r.is_ok());
        assert_eq!(calls, 4);
        // A server closing every connection: the free re-sends end.
        let mut calls = 0;
        let r: Result<(), Failure> = with_retries(&p, Idempotency::Idempotent, None, |_| {
            calls += 1;
            async { Err(stale()) }
        })
        .await;
        assert_eq!(r.unwrap_err().fate, Fate::Stale);
        assert_eq!(calls, 1 + MAX_STALE_RESENDS);
        // A creation may have been handled: not sent again.
        let mut calls = 0;
        let r: Result<(), Failure> =
            with_retries(&policy(), Idempotency::NotIdempotent, None, |_| {
                calls += 1;
                async { Err(stale()) }
            })
            .await;
        assert!(r.unwrap_err().outcome_unknown());
        assert_eq!(calls, 1);
    }

    #[tokio::test]
    async fn attempts_stop_at_success_at_the_limit_or_at_the_deadline() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..policy()
        };
        let mut calls = 0;
        let r: Result<u32, Failure> = with_retries(&p, Idempotency::Idempotent, None, |n| {
            calls += 1;
            async move {
                if n < 2 {
                    Err(Failure::answered(Error::Connect("busy".into()), 503, None))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!((r.unwrap(), calls), (2, 3));

        let mut calls = 0;
        let r: Result<(), Failure> = with_retries(&p, Idempotency::Idempotent, None, |_| {
            calls += 1;
            async { Err(Failure::answered(Error::Connect("busy".into()), 503, None)) }
        })
        .await;
        let e = r.unwrap_err().error.to_string();
        assert_eq!(calls, 4);
        assert!(e.contains("4 attempts"), "{e}");

        let mut calls = 0;
        let r: Result<(), Failure> = with_retries(&p, Idempotency::NotIdempotent, None, |_| {
            calls += 1;
            async { Err(Failure::answered(Error::Connect("busy".into()), 503, None)) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls, 1);

        let started = Instant::now();
        let r: Result<(), Failure> = with_retries(
            &p,
            Idempotency::Idempotent,
            Some(Duration::from_millis(100)),
            |_| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                Ok(())
            },
        )
        .await;
        assert!(matches!(r.unwrap_err().error, Error::Timeout(_)));
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
