//! Fault injection for reliability tests: latency, canned error answers, dropped connections,
//! answers cut short, and the storage faults a service applies itself (an expired URL, a
//! segment stored short).
//!
//! Faults are set through the control API (`/_emulator/faults`) or the `--latency-ms` flag,
//! and apply to every route except the control API itself. A rule is posted in one of two
//! forms, the same engine behind both: the flat form (`{"kind": "respond", "path": …}`) and
//! the form of the SendSafely spec §10.9 (`{"match": {…}, "times": …, "action": …}`), see
//! [`parse_rule`].

use crate::core::service::{RequestClass, RequestKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

/// What a matching rule does to a request.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with `status` and `body` (JSON), `body_text` (any text, e.g. an HTML error page)
    /// or `body_repeat` (a huge body, generated while it is sent).
    Respond,
    /// Close the connection before the request is handled (nothing changes on the server).
    DropConnection,
    /// Handle the request, then close the connection instead of answering (the change is made,
    /// the client never learns it); with `after_bytes`, after sending the answer's headers and
    /// that many bytes of its body.
    DropResponse,
    /// Wait `delay_ms` before handling the request.
    Delay,
    /// Close an upload's connection after `after_bytes` bytes of its body.
    DropUpload,
    /// Answer `status` (default 200) with an empty body.
    EmptyBody,
    /// Answer `status` (default 200) with an HTML page instead of JSON.
    NonJsonBody,
    /// Handle the request, send the answer's headers and its first `after_bytes` bytes (half
    /// of it by default), then close the connection: the answer is always left incomplete,
    /// even when it is empty.
    ResetMidBody,
    /// A storage request only: answer 403 as for an expired URL (nothing is stored).
    ExpireUrl,
    /// A storage upload only: store only the first `after_bytes` bytes of the segment (half
    /// by default) and answer as if all were stored.
    TruncateStore,
}

impl FaultKind {
    /// Whether the service applies it in its handler (the fault layer hands it over as an
    /// [`AppliedFault`](crate::core::fault_layer::AppliedFault)), and so which requests it can
    /// match.
    fn applies_to(self, kind: RequestKind) -> bool {
        match self {
            FaultKind::ExpireUrl => kind.is_storage(),
            FaultKind::TruncateStore => kind == RequestKind::StoragePut,
            _ => true,
        }
    }
}

/// One fault rule, in the flat form posted to `/_emulator/faults` (listed back with `count`
/// the uses left).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    pub kind: FaultKind,
    /// HTTP method to match (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path prefix to match, without `.json` (any when absent), e.g. `/api/v2/safeboxes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A route by the name the service gives it (`S21`, case-insensitive), or a path glob
    /// starting with `/` (`*` any characters but `/`, `**` any characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// The kind of request to match: `api`, `storage-put` or `storage-get`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_kind: Option<RequestKind>,
    /// How many matching requests the rule applies to; 0 means every one until cleared.
    #[serde(default = "one")]
    pub count: u32,
    /// Apply to every Nth matching request only (the Nth, the 2Nth, …); the others go on to
    /// the next rules and are not counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<u32>,
    /// Matching requests seen so far (for `every`).
    #[serde(skip_deserializing)]
    pub matched: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
    /// A `respond` fault's body made of `text` repeated: streamed as it is sent, so that a
    /// body of gigabytes costs the emulator no memory (a hostile or broken server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_repeat: Option<BodyRepeat>,
    /// Response headers added by a `respond` fault, e.g. `{"Location": "http://…"}` with a 3xx
    /// `status` to answer with a redirect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// `drop_upload`: body bytes received before the cut; `drop_response`: answer body bytes
    /// sent before the cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_bytes: Option<u64>,
    /// Chance (0 < p <= 1) that a matching request is affected; a request the rule spares is
    /// not counted and goes on to the next rules. Every request when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Seed of the rule's own random sequence (with `probability`), so that a run is
    /// reproducible: the same requests in the same order get the same faults. Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The state of the rule's random sequence.
    #[serde(skip)]
    rng: Option<u64>,
}

fn one() -> u32 {
    1
}

/// A body of `prefix`, then `text` repeated up to `bytes` bytes (the last repetition cut),
/// then `suffix`, e.g. `{"prefix":"[","text":"0,","bytes":2147483648,"suffix":"0]"}` for a
/// 2 GiB JSON array.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BodyRepeat {
    /// What is repeated (not empty).
    pub text: String,
    /// The length of the repeated part, in bytes.
    pub bytes: u64,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    /// The answer's `Content-Type`.
    #[serde(default = "json_type")]
    pub content_type: String,
    /// Without `Content-Length` (chunked over HTTP/1.1), so a client cannot know the size
    /// before it reads.
    #[serde(default)]
    pub chunked: bool,
}

fn json_type() -> String {
    "application/json".into()
}

impl BodyRepeat {
    /// The whole body's length.
    pub fn len(&self) -> u64 {
        self.prefix.len() as u64 + self.bytes + self.suffix.len() as u64
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The body, generated in blocks of about 64 KiB as the connection takes them.
    pub fn stream(
        &self,
    ) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static
    {
        const BLOCK: usize = 64 << 10;
        let unit = self.text.as_bytes();
        let block = bytes::Bytes::from(unit.repeat((BLOCK / unit.len().max(1)).max(1)));
        let mut left = self.bytes;
        let repeated = futures_util::stream::iter(std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let n = (block.len() as u64).min(left) as usize;
            left -= n as u64;
            Some(Ok(block.slice(..n)))
        }));
        let edge = |text: &str| {
            futures_util::stream::iter(
                (!text.is_empty()).then(|| Ok(bytes::Bytes::from(text.to_string()))),
            )
        };
        use futures_util::StreamExt;
        edge(&self.prefix).chain(repeated).chain(edge(&self.suffix))
    }
}

/// splitmix64: a small, good-enough generator for fault decisions.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl FaultRule {
    /// A rule of `kind` matching every request once, to be filled in.
    fn new(kind: FaultKind) -> FaultRule {
        FaultRule {
            kind,
            method: None,
            path: None,
            route: None,
            request_kind: None,
            count: 1,
            every: None,
            matched: 0,
            status: None,
            body: None,
            body_text: None,
            body_repeat: None,
            headers: None,
            delay_ms: None,
            after_bytes: None,
            probability: None,
            seed: None,
            rng: None,
        }
    }

    /// Checks that the rule has what its kind needs.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(headers) = &self.headers {
            if self.kind != FaultKind::Respond {
                return Err("only a `respond` fault takes `headers`".into());
            }
            for (name, value) in headers {
                axum::http::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not a valid header name"))?;
                axum::http::HeaderValue::from_str(value)
                    .map_err(|_| format!("the value of header `{name}` is not valid"))?;
            }
        }
        if let Some(repeat) = &self.body_repeat {
            if self.kind != FaultKind::Respond {
                return Err("only a `respond` fault takes `body_repeat`".into());
            }
            if repeat.text.is_empty() {
                return Err("`body_repeat.text` must not be empty".into());
            }
            if self.body.is_some() || self.body_text.is_some() {
                return Err("`body_repeat` replaces `body` and `body_text`: give one".into());
            }
            axum::http::HeaderValue::from_str(&repeat.content_type)
                .map_err(|_| "`body_repeat.content_type` is not a valid header value")?;
        }
        if let Some(route) = &self.route {
            if !is_route_name(route) && !route.starts_with('/') {
                return Err(format!(
                    "route `{route}` is neither a route name (S21) nor a path glob starting with /"
                ));
            }
        }
        if self.every == Some(0) {
            return Err("`every` must be at least 1".into());
        }
        let status_ok = |s: Option<u16>| s.map(|s| (100..=599).contains(&s)).unwrap_or(true);
        match self.kind {
            FaultKind::Respond => match self.status {
                Some(s) if (100..=599).contains(&s) => Ok(()),
                _ => Err("a `respond` fault needs a `status` between 100 and 599".into()),
            },
            FaultKind::EmptyBody | FaultKind::NonJsonBody if !status_ok(self.status) => {
                Err("`status` must be between 100 and 599".into())
            }
            FaultKind::Delay if self.delay_ms.is_none() => {
                Err("a `delay` fault needs `delay_ms`".into())
            }
            FaultKind::DropUpload if self.after_bytes.is_none() => {
                Err("a `drop_upload` fault needs `after_bytes`".into())
            }
            FaultKind::ExpireUrl | FaultKind::TruncateStore
                if self.request_kind == Some(RequestKind::Api) =>
            {
                Err(format!(
                    "`{}` applies to storage requests only",
                    self.kind_name()
                ))
            }
            _ => match self.probability {
                Some(p) if !(p > 0.0 && p <= 1.0) => {
                    Err("`probability` must be greater than 0 and at most 1".into())
                }
                _ => Ok(()),
            },
        }
    }

    /// Whether this matching request is affected: every Nth one with `every`, and then always
    /// without `probability`, else a draw from the rule's own sequence.
    fn admit(&mut self) -> bool {
        if let Some(n) = self.every {
            self.matched += 1;
            if self.matched % u64::from(n.max(1)) != 0 {
                return false;
            }
        }
        let Some(p) = self.probability else {
            return true;
        };
        let state = self.rng.get_or_insert(self.seed.unwrap_or(0));
        // 53 random bits as a number in [0, 1).
        let draw = (next_random(state) >> 11) as f64 / (1u64 << 53) as f64;
        draw < p
    }

    /// The kind's name in the control API and the request journal.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            FaultKind::Respond => "respond",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::DropResponse => "drop_response",
            FaultKind::Delay => "delay",
            FaultKind::DropUpload => "drop_upload",
            FaultKind::EmptyBody => "empty_body",
            FaultKind::NonJsonBody => "non_json_body",
            FaultKind::ResetMidBody => "reset_mid_body",
            FaultKind::ExpireUrl => "expire_url",
            FaultKind::TruncateStore => "truncate_store",
        }
    }

    fn matches(&self, request: &FaultTarget<'_>) -> bool {
        let route = match self.route.as_deref() {
            None => true,
            Some(name) if is_route_name(name) => request
                .class
                .route
                .is_some_and(|r| r.eq_ignore_ascii_case(name)),
            Some(glob) => glob_matches(glob.as_bytes(), request.path.as_bytes()),
        };
        route
            && self.kind.applies_to(request.class.kind)
            && self
                .request_kind
                .map(|k| k == request.class.kind)
                .unwrap_or(true)
            && self
                .method
                .as_deref()
                .map(|m| m.eq_ignore_ascii_case(request.method))
                .unwrap_or(true)
            && self
                .path
                .as_deref()
                .map(|p| request.path.starts_with(p))
                .unwrap_or(true)
    }
}

/// `S` followed by digits: a route named by the service's specification.
fn is_route_name(route: &str) -> bool {
    let digits = route.strip_prefix(['S', 's']).unwrap_or("");
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `path` matches `glob`: `**` any characters, `*` any characters but `/`.
fn glob_matches(glob: &[u8], path: &[u8]) -> bool {
    match glob {
        [] => path.is_empty(),
        [b'*', b'*', rest @ ..] => (0..=path.len()).any(|i| glob_matches(rest, &path[i..])),
        [b'*', rest @ ..] => {
            let segment = path.iter().position(|b| *b == b'/').unwrap_or(path.len());
            (0..=segment).any(|i| glob_matches(rest, &path[i..]))
        }
        [c, rest @ ..] => path.first() == Some(c) && glob_matches(rest, &path[1..]),
    }
}

/// A request as the rules match it.
#[derive(Debug, Clone, Copy)]
pub struct FaultTarget<'a> {
    pub method: &'a str,
    /// The path (after the service's rewrite), without the query.
    pub path: &'a str,
    pub class: RequestClass,
}

/// A rule in the form of the SendSafely spec §10.9.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchedRule {
    #[serde(rename = "match", default)]
    matcher: Matcher,
    #[serde(default)]
    times: Option<Times>,
    action: Value,
    #[serde(default)]
    probability: Option<f64>,
    #[serde(default)]
    seed: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Matcher {
    method: Option<String>,
    route: Option<String>,
    kind: Option<RequestKind>,
}

/// `times`: a count (0: every time), or `{"every": N}` with an optional `count`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Times {
    Count(u32),
    Every {
        every: u32,
        #[serde(default)]
        count: u32,
    },
}

/// A fault rule from its JSON, in either form: with `match`, `times` or `action`, the form of
/// the SendSafely spec §10.9, else the flat form of [`FaultRule`]. Validated.
///
/// §10.9 actions: a name (`"drop"`, `"empty_body"`, `"non_json_body"`, `"reset_mid_body"`,
/// `"expire_url"`, `"truncate_store"`), an object of that one name and its parameter
/// (`{"delay_ms": 500}`, `{"reset_mid_body": 10}` bytes sent, `{"truncate_store": 100}` bytes
/// kept, `{"empty_body": 502}` status), or `{"status": 503, "body": …}` (a JSON body, or a
/// string sent as it is).
pub fn parse_rule(json: Value) -> Result<FaultRule, String> {
    let spec_form = ["match", "times", "action"]
        .iter()
        .any(|k| json.get(k).is_some());
    let rule = if spec_form {
        let spec: MatchedRule = serde_json::from_value(json).map_err(|e| e.to_string())?;
        let mut rule = action(spec.action)?;
        rule.method = spec.matcher.method;
        rule.route = spec.matcher.route;
        rule.request_kind = spec.matcher.kind;
        (rule.count, rule.every) = match spec.times {
            None => (1, None),
            Some(Times::Count(n)) => (n, None),
            Some(Times::Every { every, count }) => (count, Some(every)),
        };
        rule.probability = spec.probability;
        rule.seed = spec.seed;
        rule
    } else {
        serde_json::from_value(json).map_err(|e| e.to_string())?
    };
    rule.validate()?;
    Ok(rule)
}

/// The rule of a §10.9 `action`.
fn action(action: Value) -> Result<FaultRule, String> {
    let (name, param) = match action {
        Value::String(name) => (name, None),
        Value::Object(map) if map.contains_key("status") => {
            let mut rule = FaultRule::new(FaultKind::Respond);
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("status", v) => rule.status = Some(status_of(&v)?),
                    ("body", Value::String(text)) => rule.body_text = Some(text),
                    ("body", v) => rule.body = Some(v),
                    (other, _) => {
                        return Err(format!("unknown field `{other}` in a status action"))
                    }
                }
            }
            return Ok(rule);
        }
        Value::Object(map) if map.len() == 1 => {
            let (name, param) = map.into_iter().next().expect("one entry");
            (name, Some(param))
        }
        _ => return Err("`action` is a name, an object of one name, or {status, body}".into()),
    };
    let bytes = |param: Option<Value>| match param {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("`{name}` takes a byte count")),
    };
    let flag = |param: &Option<Value>| match param {
        None | Some(Value::Bool(true)) => Ok(()),
        Some(_) => Err(format!("`{name}` takes no parameter")),
    };
    let mut rule;
    match name.as_str() {
        "delay_ms" => {
            rule = FaultRule::new(FaultKind::Delay);
            rule.delay_ms = Some(bytes(param)?.ok_or("`delay_ms` takes milliseconds")?);
        }
        "empty_body" | "non_json_body" => {
            rule = FaultRule::new(if name == "empty_body" {
                FaultKind::EmptyBody
            } else {
                FaultKind::NonJsonBody
            });
            rule.status = param.as_ref().map(status_of).transpose()?;
        }
        "drop" => {
            flag(&param)?;
            rule = FaultRule::new(FaultKind::DropConnection);
        }
        "expire_url" => {
            flag(&param)?;
            rule = FaultRule::new(FaultKind::ExpireUrl);
        }
        "reset_mid_body" | "truncate_store" => {
            rule = FaultRule::new(if name == "reset_mid_body" {
                FaultKind::ResetMidBody
            } else {
                FaultKind::TruncateStore
            });
            rule.after_bytes = bytes(param)?;
        }
        other => return Err(format!("unknown action `{other}`")),
    }
    Ok(rule)
}

fn status_of(v: &Value) -> Result<u16, String> {
    v.as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| "`status` must be between 100 and 599".to_string())
}

#[derive(Debug, Default)]
struct FaultState {
    latency: Duration,
    rules: Vec<FaultRule>,
}

/// The set of active faults.
#[derive(Debug, Default)]
pub struct Faults {
    state: Mutex<FaultState>,
    /// How many requests each kind of rule affected since start (never reset).
    applied: Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

impl Faults {
    /// Faults with a fixed latency added to every request.
    pub fn with_latency(latency: Duration) -> Faults {
        Faults {
            state: Mutex::new(FaultState {
                latency,
                rules: vec![],
            }),
            applied: Mutex::default(),
        }
    }

    /// How many requests each kind of rule affected since start, by kind name (kinds never
    /// applied are absent).
    pub fn applied(&self) -> Vec<(&'static str, u64)> {
        let applied = self.applied.lock().unwrap_or_else(|p| p.into_inner());
        applied.iter().map(|(k, v)| (*k, *v)).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FaultState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The latency added to every request.
    pub fn latency(&self) -> Duration {
        self.lock().latency
    }

    /// Sets the latency added to every request.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Adds a rule; rules are tried in the order they were added.
    pub fn add(&self, rule: FaultRule) {
        self.lock().rules.push(rule);
    }

    /// The active rules, in order, each with the uses it has left in `count` (0: unlimited).
    pub fn rules(&self) -> Vec<FaultRule> {
        self.lock().rules.clone()
    }

    /// Removes every rule and the latency.
    pub fn clear(&self) {
        *self.lock() = FaultState::default();
    }

    /// Takes one use of the first rule matching an API request of no named route (other than
    /// `drop_upload`).
    pub fn take_request_fault(&self, method: &str, path: &str) -> Option<FaultRule> {
        self.take_fault(&FaultTarget {
            method,
            path,
            class: RequestClass::default(),
        })
    }

    /// Takes one use of the first rule matching the request (other than `drop_upload`).
    pub fn take_fault(&self, request: &FaultTarget<'_>) -> Option<FaultRule> {
        self.take(|r| r.kind != FaultKind::DropUpload && r.matches(request))
    }

    /// Takes one use of the first `drop_upload` rule matching the upload's path.
    pub fn take_upload_drop(&self, path: &str) -> Option<u64> {
        let upload = FaultTarget {
            method: "POST",
            path,
            class: RequestClass::default(),
        };
        self.take(|r| r.kind == FaultKind::DropUpload && r.matches(&upload))
            .and_then(|r| r.after_bytes)
    }

    fn take(&self, pred: impl Fn(&FaultRule) -> bool) -> Option<FaultRule> {
        let mut state = self.lock();
        // The first matching rule that admits the request (every Nth, probability).
        let index = state
            .rules
            .iter_mut()
            .position(|rule| pred(rule) && rule.admit())?;
        let rule = state.rules[index].clone();
        if rule.count == 1 {
            state.rules.remove(index);
        } else if rule.count > 1 {
            state.rules[index].count -= 1;
        }
        drop(state);
        *self
            .applied
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(rule.kind_name())
            .or_default() += 1;
        Some(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> FaultRule {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rules_are_counted_down_and_matched_by_method_and_prefix() {
        let faults = Faults::default();
        faults.add(rule(r#"{"kind":"respond","status":503,"method":"POST","path":"/api/v2/safeboxes","count":2}"#));
        assert!(faults
            .take_request_fault("GET", "/api/v2/safeboxes")
            .is_none());
        assert!(faults
            .take_request_fault("POST", "/api/v2/enterprises")
            .is_none());
        assert_eq!(
            faults
                .take_request_fault("POST", "/api/v2/safeboxes")
                .unwrap()
                .status,
            Some(503)
        );
        assert!(faults
            .take_request_fault("post", "/api/v2/safeboxes/x/messages")
            .is_some());
        assert!(faults
            .take_request_fault("POST", "/api/v2/safeboxes")
            .is_none());
    }

    #[test]
    fn upload_drops_are_separate_from_request_faults() {
        let faults = Faults::default();
        faults.add(rule(r#"{"kind":"drop_upload","after_bytes":10}"#));
        assert!(faults.take_request_fault("POST", "/xmss/abc").is_none());
        assert_eq!(faults.take_upload_drop("/xmss/abc"), Some(10));
        assert_eq!(faults.take_upload_drop("/xmss/abc"), None);
    }

    #[test]
    fn probabilities_affect_a_reproducible_share_of_requests() {
        let run = |seed: u64| {
            let faults = Faults::default();
            faults.add(rule(&format!(
                r#"{{"kind":"respond","status":503,"count":0,"probability":0.1,"seed":{seed}}}"#
            )));
            faults.add(rule(r#"{"kind":"delay","delay_ms":1,"count":0}"#));
            (0..10_000)
                .map(|_| {
                    faults
                        .take_request_fault("GET", "/api/v2/safeboxes")
                        .map(|r| r.kind == FaultKind::Respond)
                        .unwrap_or(false)
                })
                .collect::<Vec<bool>>()
        };
        let first = run(7);
        let hits = first.iter().filter(|h| **h).count();
        assert!((800..1200).contains(&hits), "{hits} of 10000 at p = 0.1");
        assert_eq!(first, run(7), "the same seed gives the same faults");
        assert_ne!(first, run(8), "another seed gives other faults");

        // Spared requests fall through to the next rule, and only affected ones are counted.
        let faults = Faults::default();
        faults.add(rule(
            r#"{"kind":"respond","status":503,"count":3,"probability":0.5,"seed":1}"#,
        ));
        faults.add(rule(r#"{"kind":"delay","delay_ms":1,"count":0}"#));
        let kinds: Vec<FaultKind> = (0..100)
            .filter_map(|_| faults.take_request_fault("GET", "/x").map(|r| r.kind))
            .collect();
        assert_eq!(kinds.len(), 100);
        assert_eq!(
            kinds.iter().filter(|k| **k == FaultKind::Respond).count(),
            3
        );
        assert_eq!(faults.applied(), vec![("delay", 97), ("respond", 3)]);
    }

    #[tokio::test]
    async fn repeated_bodies_have_the_exact_length_and_are_generated_in_blocks() {
        use futures_util::StreamExt;
        let repeat: BodyRepeat =
            serde_json::from_str(r#"{"prefix":"[","text":"0,","bytes":200001,"suffix":"0]"}"#)
                .unwrap();
        assert_eq!(repeat.content_type, "application/json");
        assert_eq!(repeat.len(), 200_004);
        let blocks: Vec<bytes::Bytes> = repeat.stream().map(|b| b.unwrap()).collect().await;
        assert!(blocks.iter().all(|b| b.len() <= 64 << 10), "bounded blocks");
        let body: Vec<u8> = blocks.concat();
        assert_eq!(body.len(), 200_004);
        assert!(body.starts_with(b"[0,0,"));
        assert!(body.ends_with(b",00]"), "the last repetition is cut");

        // 2 GiB are counted, not stored: the first blocks come at once.
        let huge: BodyRepeat = serde_json::from_str(r#"{"text":" ","bytes":2147483648}"#).unwrap();
        assert_eq!(huge.len(), 2 << 30);
        let first: Vec<_> = huge.stream().take(3).collect().await;
        assert_eq!(first.len(), 3);

        assert!(
            rule(r#"{"kind":"respond","status":200,"body_repeat":{"text":"","bytes":1}}"#)
                .validate()
                .is_err()
        );
        assert!(rule(
            r#"{"kind":"respond","status":200,"body_text":"x","body_repeat":{"text":"a","bytes":1}}"#
        )
        .validate()
        .is_err());
        assert!(
            rule(r#"{"kind":"delay","delay_ms":1,"body_repeat":{"text":"a","bytes":1}}"#)
                .validate()
                .is_err()
        );
        assert!(rule(
            r#"{"kind":"respond","status":500,"body_repeat":{"text":"<p>","bytes":10,"content_type":"text/html","chunked":true}}"#
        )
        .validate()
        .is_ok());
    }

    #[test]
    fn spec_form_rules_match_by_route_kind_and_glob() {
        let faults = Faults::default();
        let add = |json: Value| faults.add(parse_rule(json).unwrap());
        add(serde_json::json!({"match": {"route": "s21"}, "action": {"truncate_store": 5}}));
        add(
            serde_json::json!({"match": {"route": "/api/*/package/**"}, "times": 0,
                               "action": "empty_body"}),
        );
        let put = RequestClass {
            route: Some("S21"),
            kind: RequestKind::StoragePut,
            ..RequestClass::default()
        };
        let target = |method, path, class| FaultTarget {
            method,
            path,
            class,
        };
        let on_put = faults
            .take_fault(&target("PUT", "/_storage/t", put))
            .unwrap();
        assert_eq!(
            (on_put.kind, on_put.after_bytes),
            (FaultKind::TruncateStore, Some(5))
        );
        assert!(faults
            .take_fault(&target("PUT", "/_storage/t", put))
            .is_none());
        let api = RequestClass::default();
        for (path, hit) in [
            ("/api/v2.0/package/A/file/B", true),
            ("/api/v2.0/package/", true),
            ("/api/v2.0/user", false),
            ("/api/v2/x/package/A", false),
        ] {
            let taken = faults.take_fault(&target("GET", path, api));
            assert_eq!(taken.is_some(), hit, "{path}");
        }
        assert_eq!(faults.rules().len(), 1, "the counted rule is used up");

        // Storage-only actions never touch an API call.
        let faults = Faults::default();
        faults.add(parse_rule(serde_json::json!({"action": "expire_url"})).unwrap());
        assert!(faults.take_fault(&target("GET", "/x", api)).is_none());
        let get = RequestClass {
            route: Some("S27"),
            kind: RequestKind::StorageGet,
            ..RequestClass::default()
        };
        assert!(faults.take_fault(&target("GET", "/x", get)).is_some());
    }

    #[test]
    fn spec_form_actions_and_times() {
        let parse = |json: Value| parse_rule(json);
        let r = parse(
            serde_json::json!({"times": {"every": 3, "count": 2}, "action": {"delay_ms": 7}}),
        )
        .unwrap();
        assert_eq!(
            (r.kind, r.delay_ms, r.every, r.count),
            (FaultKind::Delay, Some(7), Some(3), 2)
        );
        let r = parse(serde_json::json!({"action": {"status": 429, "body": "slow down"}})).unwrap();
        assert_eq!(
            (r.status, r.body_text.as_deref()),
            (Some(429), Some("slow down"))
        );
        let r = parse(serde_json::json!({"action": {"non_json_body": 502}})).unwrap();
        assert_eq!((r.kind, r.status), (FaultKind::NonJsonBody, Some(502)));
        assert_eq!(
            parse(serde_json::json!({"action": "drop"})).unwrap().kind,
            FaultKind::DropConnection
        );
        for bad in [
            serde_json::json!({"action": {"drop": 3}}),
            serde_json::json!({"action": {"delay_ms": "soon"}}),
            serde_json::json!({"action": {"a": 1, "b": 2}}),
            serde_json::json!({"action": {"status": 503, "colour": "red"}}),
            serde_json::json!({"match": {"route": "package"}, "action": "drop"}),
            serde_json::json!({"match": {"path": "/x"}, "action": "drop"}),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad}");
        }
        // The flat form still parses, with the new matchers.
        let r = parse(
            serde_json::json!({"kind": "respond", "status": 503, "route": "S6",
                                         "every": 2, "count": 0}),
        )
        .unwrap();
        assert_eq!((r.route.as_deref(), r.every), (Some("S6"), Some(2)));
    }

    #[test]
    fn incomplete_rules_are_refused() {
        assert!(rule(r#"{"kind":"respond"}"#).validate().is_err());
        assert!(rule(r#"{"kind":"drop_upload"}"#).validate().is_err());
        assert!(rule(r#"{"kind":"drop_response","path":"/api"}"#)
            .validate()
            .is_ok());
        assert!(
            rule(r#"{"kind":"respond","status":429,"headers":{"Retry-After":"1"}}"#)
                .validate()
                .is_ok()
        );
        assert!(
            rule(r#"{"kind":"respond","status":429,"headers":{"bad name":"1"}}"#)
                .validate()
                .is_err()
        );
        assert!(rule(r#"{"kind":"drop_connection","probability":0}"#)
            .validate()
            .is_err());
        assert!(rule(r#"{"kind":"drop_connection","probability":1.5}"#)
            .validate()
            .is_err());
        assert!(
            rule(r#"{"kind":"drop_connection","probability":0.25,"seed":3}"#)
                .validate()
                .is_ok()
        );
    }
}
