//! The request journal of `/_emulator/requests`: what a client really sent (the raw target,
//! the headers, the body's length and SHA-256) and what became of it (the service's auth
//! outcome, the answer's status and `response` code, the fault applied), to check
//! percent-encoding, where a credential goes, and what a fault did.

use crate::core::conn::{ConnInfo, RawTarget};
use crate::core::service::{RequestClass, RequestKind};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::Response;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

/// How many requests `/_emulator/requests` remembers (the oldest are forgotten first).
pub const REQUEST_LOG_SIZE: usize = 1000;

/// Header names whose values the journal never keeps, whatever the service.
const ALWAYS_SECRET: [&str; 3] = ["authorization", "cookie", "proxy-authorization"];

/// What stands for a secret header's value.
const HIDDEN: &str = "<hidden>";

/// One request as received, and what became of it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedRequest {
    /// The request's number since start (from 1).
    pub seq: u64,
    /// The HTTP method.
    pub method: String,
    /// The request target exactly as received (path and query, percent-encoding kept).
    pub target: String,
    /// The route's name in the service's specification (`S21`), when it has one.
    pub route: Option<&'static str>,
    /// `api`, `storage-put` or `storage-get`.
    pub kind: RequestKind,
    /// `HTTP/1.1` or `HTTP/2.0`.
    pub http_version: String,
    /// The negotiated TLS version (`TLSv1_2`, `TLSv1_3`), absent over plain HTTP.
    pub tls_version: Option<String>,
    /// Whether the connection presented a client certificate (mutual TLS).
    pub client_certificate: bool,
    /// The names of the request headers, lower-case, in order.
    pub headers: Vec<String>,
    /// The headers as `[name, value]` pairs, in order; the value of a secret header (a bearer
    /// token, `authorization`, `cookie`) is `<hidden>`.
    pub header_values: Vec<(String, String)>,
    /// Whether one of the service's credential headers (for SendSecure `Authorization-Token`
    /// or `XM-Token-Authorization`) was sent.
    pub token: bool,
    /// The body's length, once it was read to its end (absent when it never was).
    pub body_length: Option<u64>,
    /// The body's SHA-256 (lower-case hex), with `body_length`.
    pub body_sha256: Option<String>,
    /// The service's authentication outcome: `ok`, the refusal reason, or `not-checked`
    /// (storage URLs); absent when the service says nothing.
    pub auth: Option<String>,
    /// The answer's HTTP status (absent when none was sent).
    pub status: Option<u16>,
    /// The answer's `response` code (SendSafely), when the service names one.
    pub response: Option<String>,
    /// The fault applied to the request, by kind name.
    pub fault: Option<&'static str>,
}

/// What a service tells the journal about a request it answered (a response extension).
#[derive(Debug, Clone, Default)]
pub struct JournalNote {
    /// `ok`, the refusal reason, or `not-checked`.
    pub auth: Option<String>,
    /// The answer's `response` code.
    pub response: Option<String>,
}

impl JournalNote {
    /// Sets the auth outcome on `response`'s note, keeping what else it says.
    pub fn set_auth(response: &mut Response, auth: impl Into<String>) {
        let extensions = response.extensions_mut();
        match extensions.get_mut::<JournalNote>() {
            Some(note) => note.auth = Some(auth.into()),
            None => {
                extensions.insert(JournalNote {
                    auth: Some(auth.into()),
                    response: None,
                });
            }
        }
    }
}

type Entries = Arc<Mutex<VecDeque<LoggedRequest>>>;

/// The last [`REQUEST_LOG_SIZE`] requests (control API excepted), oldest first.
#[derive(Debug)]
pub struct RequestLog {
    entries: Entries,
    next_seq: Mutex<u64>,
    /// The header names (lower-case) whose presence sets [`LoggedRequest::token`].
    credential_headers: &'static [&'static str],
    /// The header names (lower-case) whose values are hidden.
    secret_headers: &'static [&'static str],
}

/// Takes over a lock poisoned by a panic: every change leaves whole entries.
fn lock(entries: &Entries) -> MutexGuard<'_, VecDeque<LoggedRequest>> {
    entries.lock().unwrap_or_else(|p| p.into_inner())
}

/// Changes entry `seq`, if it is still remembered.
fn update(entries: &Entries, seq: u64, change: impl FnOnce(&mut LoggedRequest)) {
    let mut log = lock(entries);
    if let Some(entry) = log.iter_mut().rev().find(|e| e.seq == seq) {
        change(entry);
    }
}

impl RequestLog {
    /// An empty log that notes the presence of the `credential` (lower-case) header names and
    /// hides the values of the `secret` ones.
    pub fn new(
        credential_headers: &'static [&'static str],
        secret_headers: &'static [&'static str],
    ) -> RequestLog {
        RequestLog {
            entries: Entries::default(),
            next_seq: Mutex::new(1),
            credential_headers,
            secret_headers,
        }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> MutexGuard<'_, VecDeque<LoggedRequest>> {
        lock(&self.entries)
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.entries().clear();
    }

    /// Remembers a request; its body is replaced by one that notes its length and SHA-256
    /// once read to its end. Returns the entry's number.
    pub fn record(&self, request: &mut Request, class: RequestClass) -> u64 {
        let seq = {
            let mut next = self.next_seq.lock().unwrap_or_else(|p| p.into_inner());
            let seq = *next;
            *next += 1;
            seq
        };
        let conn = request.extensions().get::<ConnInfo>();
        let target = request
            .extensions()
            .get::<RawTarget>()
            .map(|t| t.0.clone())
            .unwrap_or_else(|| request.uri().to_string());
        let headers = request.headers();
        let hidden =
            |name: &str| ALWAYS_SECRET.contains(&name) || self.secret_headers.contains(&name);
        let entry = LoggedRequest {
            seq,
            method: request.method().to_string(),
            target,
            route: class.route,
            kind: class.kind,
            http_version: format!("{:?}", request.version()),
            tls_version: conn.and_then(|c| c.tls_version.clone()),
            client_certificate: conn.is_some_and(|c| c.client_certificate),
            headers: headers.keys().map(|k| k.as_str().to_string()).collect(),
            header_values: headers
                .iter()
                .map(|(name, value)| {
                    let value = if hidden(name.as_str()) {
                        HIDDEN.to_string()
                    } else {
                        String::from_utf8_lossy(value.as_bytes()).into_owned()
                    };
                    (name.as_str().to_string(), value)
                })
                .collect(),
            token: self
                .credential_headers
                .iter()
                .any(|name| headers.contains_key(*name)),
            body_length: None,
            body_sha256: None,
            auth: None,
            status: None,
            response: None,
            fault: None,
        };
        {
            let mut log = self.entries();
            if log.len() >= REQUEST_LOG_SIZE {
                log.pop_front();
            }
            log.push_back(entry);
        }
        let body = std::mem::take(request.body_mut());
        *request.body_mut() = Body::new(JournalBody::new(
            body,
            self.entries.clone(),
            seq,
            !class.secret_body,
        ));
        seq
    }

    /// Notes the fault applied to request `seq`.
    pub fn note_fault(&self, seq: u64, fault: &'static str) {
        update(&self.entries, seq, |e| e.fault = Some(fault));
    }

    /// Notes the answer to request `seq`: its status and what the service says of it.
    pub fn note_response(&self, seq: u64, response: &Response) {
        let note = response.extensions().get::<JournalNote>().cloned();
        update(&self.entries, seq, |e| {
            e.status = Some(response.status().as_u16());
            if let Some(note) = note {
                e.auth = note.auth.or(e.auth.take());
                e.response = note.response.or(e.response.take());
            }
        });
    }

    /// Notes the `response` code of an answer the fault layer made itself.
    pub fn note_response_code(&self, seq: u64, code: String) {
        update(&self.entries, seq, |e| e.response = Some(code));
    }
}

/// A request body that hashes and counts what is read of it, and notes both in the journal
/// when it ends.
struct JournalBody {
    inner: Body,
    hasher: Option<Sha256>,
    /// Whether the digest is kept (see `RequestClass::secret_body`).
    digest: bool,
    length: u64,
    entries: Entries,
    seq: u64,
}

impl JournalBody {
    fn new(inner: Body, entries: Entries, seq: u64, digest: bool) -> JournalBody {
        let mut body = JournalBody {
            inner,
            hasher: Some(Sha256::new()),
            digest,
            length: 0,
            entries,
            seq,
        };
        // A body known to be empty may never be read: note it now.
        if body.inner.is_end_stream() {
            body.finish();
        }
        body
    }

    fn finish(&mut self) {
        if let Some(hasher) = self.hasher.take() {
            let sha = self.digest.then(|| hex::encode(hasher.finalize()));
            let length = self.length;
            update(&self.entries, self.seq, |e| {
                e.body_length = Some(length);
                e.body_sha256 = sha;
            });
        }
    }
}

impl HttpBody for JournalBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    let n = data.len() as u64;
                    if let Some(hasher) = self.hasher.as_mut() {
                        hasher.update(data);
                    }
                    self.length += n;
                }
                if self.inner.is_end_stream() {
                    self.finish();
                }
            }
            Poll::Ready(None) => self.finish(),
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
