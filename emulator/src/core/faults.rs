//! Fault injection for reliability tests: latency, canned error answers, dropped connections.
//!
//! Faults are set through the control API (`/_emulator/faults`, only with `--control`) or the
//! `--latency-ms` flag, and apply to every route except the control API itself.

use serde::Deserialize;
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

/// What a matching rule does to a request.
#[derive(Debug, Clone, Deserialize, PartialEq)]
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
}

/// One fault rule, as posted to `/_emulator/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    pub kind: FaultKind,
    /// HTTP method to match (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Path prefix to match, without `.json` (any when absent), e.g. `/api/v2/safeboxes`.
    #[serde(default)]
    pub path: Option<String>,
    /// How many matching requests the rule applies to; 0 means every one until cleared.
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body: Option<Value>,
    #[serde(default)]
    pub body_text: Option<String>,
    /// A `respond` fault's body made of `text` repeated: streamed as it is sent, so that a
    /// body of gigabytes costs the emulator no memory (a hostile or broken server).
    #[serde(default)]
    pub body_repeat: Option<BodyRepeat>,
    /// Response headers added by a `respond` fault, e.g. `{"Location": "http://…"}` with a 3xx
    /// `status` to answer with a redirect.
    #[serde(default)]
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// `drop_upload`: body bytes received before the cut; `drop_response`: answer body bytes
    /// sent before the cut.
    #[serde(default)]
    pub after_bytes: Option<u64>,
    /// Chance (0 < p <= 1) that a matching request is affected; a request the rule spares is
    /// not counted and goes on to the next rules. Every request when absent.
    #[serde(default)]
    pub probability: Option<f64>,
    /// Seed of the rule's own random sequence (with `probability`), so that a run is
    /// reproducible: the same requests in the same order get the same faults. Default 0.
    #[serde(default)]
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
#[derive(Debug, Clone, Deserialize, PartialEq)]
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
        match self.kind {
            FaultKind::Respond => match self.status {
                Some(s) if (100..=599).contains(&s) => Ok(()),
                _ => Err("a `respond` fault needs a `status` between 100 and 599".into()),
            },
            FaultKind::Delay if self.delay_ms.is_none() => {
                Err("a `delay` fault needs `delay_ms`".into())
            }
            FaultKind::DropUpload if self.after_bytes.is_none() => {
                Err("a `drop_upload` fault needs `after_bytes`".into())
            }
            _ => match self.probability {
                Some(p) if !(p > 0.0 && p <= 1.0) => {
                    Err("`probability` must be greater than 0 and at most 1".into())
                }
                _ => Ok(()),
            },
        }
    }

    /// Whether this matching request is affected: always without `probability`, else a draw
    /// from the rule's own sequence.
    fn roll(&mut self) -> bool {
        let Some(p) = self.probability else {
            return true;
        };
        let state = self.rng.get_or_insert(self.seed.unwrap_or(0));
        // 53 random bits as a number in [0, 1).
        let draw = (next_random(state) >> 11) as f64 / (1u64 << 53) as f64;
        draw < p
    }

    /// The kind's name in the control API.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            FaultKind::Respond => "respond",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::DropResponse => "drop_response",
            FaultKind::Delay => "delay",
            FaultKind::DropUpload => "drop_upload",
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .map(|m| m.eq_ignore_ascii_case(method))
            .unwrap_or(true)
            && self
                .path
                .as_deref()
                .map(|p| path.starts_with(p))
                .unwrap_or(true)
    }
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

    /// Removes every rule and the latency.
    pub fn clear(&self) {
        *self.lock() = FaultState::default();
    }

    /// Takes one use of the first rule matching the request (other than `drop_upload`).
    pub fn take_request_fault(&self, method: &str, path: &str) -> Option<FaultRule> {
        self.take(|r| r.kind != FaultKind::DropUpload && r.matches(method, path))
    }

    /// Takes one use of the first `drop_upload` rule matching the upload's path.
    pub fn take_upload_drop(&self, path: &str) -> Option<u64> {
        self.take(|r| r.kind == FaultKind::DropUpload && r.matches("POST", path))
            .and_then(|r| r.after_bytes)
    }

    fn take(&self, pred: impl Fn(&FaultRule) -> bool) -> Option<FaultRule> {
        let mut state = self.lock();
        // The first matching rule whose draw (if it has a probability) says yes.
        let index = state
            .rules
            .iter_mut()
            .position(|rule| pred(rule) && rule.roll())?;
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
