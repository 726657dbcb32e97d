//! SendSafely's configuration: the organisation's users (API key and secret), contact groups
//! and the settings of spec §10.1. Read from TOML (`--config FILE`) or the built-in demo.

pub use crate::core::config::ConfigFile;
use serde::{Deserialize, Serialize};

/// An API user of the organisation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    pub api_key: String,
    pub api_secret: String,
}

/// A named list of addresses, shown in package information.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ContactGroup {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub emails: Vec<String>,
}

/// How finalize treats a checksum when the emulator does not know the keycode (§10.6).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ChecksumMode {
    Lenient,
    Strict,
}

/// What package information answers for a deleted package (§10.2).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DeletedInfo {
    Unknown,
    State,
}

fn default_window() -> i64 {
    900
}
fn default_status() -> u16 {
    200
}
fn default_recipient_limit() -> usize {
    99
}
fn default_life_min() -> i64 {
    1
}
fn default_life_max() -> i64 {
    365
}
fn default_life() -> i64 {
    10
}
fn default_page() -> usize {
    100
}
fn default_url_lifetime() -> i64 {
    3600
}
fn default_max_segment() -> usize {
    64 << 20
}
fn default_checksum_mode() -> ChecksumMode {
    ChecksumMode::Lenient
}
fn default_deleted_info() -> DeletedInfo {
    DeletedInfo::Unknown
}

/// The whole SendSafely configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub base_url: String,
    #[serde(default = "default_window")]
    pub timestamp_window_s: i64,
    #[serde(default = "default_status")]
    pub auth_failure_status: u16,
    #[serde(default)]
    pub reject_replays: bool,
    #[serde(default = "default_recipient_limit")]
    pub recipient_limit: usize,
    #[serde(default = "default_life_min")]
    pub life_min: i64,
    #[serde(default = "default_life_max")]
    pub life_max: i64,
    #[serde(default)]
    pub allow_life_zero: bool,
    #[serde(default = "default_life")]
    pub default_life: i64,
    #[serde(default = "default_page")]
    pub max_page_size: usize,
    #[serde(default = "default_url_lifetime")]
    pub url_lifetime_s: i64,
    #[serde(default = "default_max_segment")]
    pub max_segment_bytes: usize,
    #[serde(default = "default_checksum_mode")]
    pub checksum_mode: ChecksumMode,
    #[serde(default = "default_deleted_info")]
    pub deleted_info: DeletedInfo,
    /// Answer `DUPLICATE_EMAIL` to a recipient added twice (else the existing one).
    #[serde(default)]
    pub duplicate_email: bool,
    /// Answer `DUPLICATE_FILE` to a file name registered twice in one directory.
    #[serde(default)]
    pub duplicate_file: bool,
    /// Add the emulator's escrow key to every package's public keys and read the keycode
    /// wrapped to it (§10.6 b), so that finalize verifies the checksum.
    #[serde(default)]
    pub escrow_key: bool,
    /// How many packages (not deleted) a user may own; S5 answers `LIMIT_EXCEEDED` beyond.
    /// No limit when absent.
    #[serde(default)]
    pub package_quota: Option<usize>,
    /// The HTTP status of an error answer, by `response` code (§10.7), e.g.
    /// `{ FAIL = 400 }`; 200 for a code not named (`AUTHENTICATION_FAILED`:
    /// `auth_failure_status`). An unknown route stays 404.
    #[serde(default)]
    pub error_status: std::collections::BTreeMap<String, u16>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub contact_groups: Vec<ContactGroup>,
}

/// The built-in demo organisation, also shipped as `emulator/sendsafely-demo.toml`.
pub const DEMO_CONFIG: &str = include_str!("../../sendsafely-demo.toml");

impl ConfigFile for Config {
    fn validate(&self) -> Result<(), String> {
        if self.users.is_empty() {
            return Err("at least one user is required".into());
        }
        for (i, user) in self.users.iter().enumerate() {
            if user.api_key.is_empty() || user.api_secret.is_empty() || user.email.is_empty() {
                return Err(format!(
                    "user {}: email, api_key and api_secret are required",
                    i + 1
                ));
            }
            if self.users[..i].iter().any(|u| u.api_key == user.api_key) {
                return Err(format!("api_key `{}` is used twice", user.api_key));
            }
        }
        if self.life_min < 1 || self.life_max < self.life_min {
            return Err("life bounds: 1 <= life_min <= life_max".into());
        }
        if self.timestamp_window_s < 0 || self.url_lifetime_s <= 0 || self.max_page_size == 0 {
            return Err("timestamp_window_s >= 0, url_lifetime_s > 0 and max_page_size > 0".into());
        }
        for (code, status) in &self.error_status {
            if !(100..=599).contains(status) {
                return Err(format!("error_status.{code} = {status} is no HTTP status"));
            }
        }
        if axum::http::StatusCode::from_u16(self.auth_failure_status).is_err() {
            return Err(format!(
                "auth_failure_status {} is no HTTP status",
                self.auth_failure_status
            ));
        }
        Ok(())
    }
}

impl Config {
    /// The built-in demo organisation.
    pub fn demo() -> Config {
        Config::parse(DEMO_CONFIG).expect("the built-in demo config is valid")
    }

    /// The HTTP status of an error answer of `code`: as configured, else `default`.
    pub fn status_of(&self, code: &str, default: axum::http::StatusCode) -> axum::http::StatusCode {
        self.error_status
            .get(code)
            .and_then(|s| axum::http::StatusCode::from_u16(*s).ok())
            .unwrap_or(default)
    }

    /// Whether `life` days is allowed (§6.3, §10.1).
    pub fn life_allowed(&self, life: i64) -> bool {
        (life == 0 && self.allow_life_zero) || (self.life_min..=self.life_max).contains(&life)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_organisation_has_demo_and_bob() {
        let c = Config::demo();
        let keys: Vec<&str> = c.users.iter().map(|u| u.api_key.as_str()).collect();
        assert_eq!(keys, ["demo-api-key", "bob-api-key"]);
        assert_eq!(c.users[0].api_secret, "demo-api-secret");
        assert!(c.life_allowed(1) && c.life_allowed(365));
        assert!(!c.life_allowed(0) && !c.life_allowed(366));
        assert_eq!(c.contact_groups.len(), 2);
    }

    #[test]
    fn bad_configs_are_refused() {
        assert!(Config::parse("").is_err());
        let dup = r#"
            [[users]]
            id = "a"
            email = "a@x"
            api_key = "k"
            api_secret = "s"
            [[users]]
            id = "b"
            email = "b@x"
            api_key = "k"
            api_secret = "t"
        "#;
        assert!(Config::parse(dup).unwrap_err().contains("twice"));
        assert!(Config::parse(
            "life_min = 0\n[[users]]\nid=\"a\"\nemail=\"a\"\napi_key=\"k\"\napi_secret=\"s\"\n"
        )
        .is_err());
    }
}
