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
    /// Answer with `status` and `body` (JSON) or `body_text` (any text, e.g. an HTML error page).
    Respond,
    /// Close the connection before the request is handled (nothing changes on the server).
    DropConnection,
    /// Handle the request, then close the connection instead of answering (the change is made,
    /// the client never learns it).
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
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub after_bytes: Option<u64>,
}

fn one() -> u32 {
    1
}

impl FaultRule {
    /// Checks that the rule has what its kind needs.
    pub fn validate(&self) -> Result<(), String> {
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
            _ => Ok(()),
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
}

impl Faults {
    /// Faults with a fixed latency added to every request.
    pub fn with_latency(latency: Duration) -> Faults {
        Faults {
            state: Mutex::new(FaultState {
                latency,
                rules: vec![],
            }),
        }
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
        let index = state.rules.iter().position(pred)?;
        let rule = state.rules[index].clone();
        if rule.count == 1 {
            state.rules.remove(index);
        } else if rule.count > 1 {
            state.rules[index].count -= 1;
        }
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
    fn incomplete_rules_are_refused() {
        assert!(rule(r#"{"kind":"respond"}"#).validate().is_err());
        assert!(rule(r#"{"kind":"drop_upload"}"#).validate().is_err());
        assert!(rule(r#"{"kind":"drop_response","path":"/api"}"#)
            .validate()
            .is_ok());
    }
}
