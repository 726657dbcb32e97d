//! Enterprise settings (E5) and security profiles (E4). Field names are the wire names of
//! spec §7.10, documented there.
#![allow(missing_docs)]

use crate::transport::error::Result;
use crate::transport::json_fields::{object, required_int, text};
use serde::Deserialize;
use serde_json::Value;

/// The enterprise's extension filter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExtensionFilter {
    /// `allow` (only the listed extensions) or `forbid` (all but them).
    pub mode: String,
    /// Extensions without the dot.
    pub list: Vec<String>,
}

/// Enterprise settings (spec §7.10); `raw` holds the whole object as received.
#[derive(Debug, Clone, Deserialize)]
pub struct EnterpriseSettings {
    pub default_security_profile_id: Option<i64>,
    #[serde(default)]
    pub pdf_language: Option<String>,
    #[serde(default)]
    pub use_pdfa_audit_records: Option<bool>,
    #[serde(default)]
    pub international_dialing_plan: Option<String>,
    #[serde(default)]
    pub extension_filter: Option<ExtensionFilter>,
    #[serde(default)]
    pub virus_scan_enabled: Option<bool>,
    #[serde(default)]
    pub max_file_size_value: Option<i64>,
    #[serde(default)]
    pub max_file_size_unit: Option<String>,
    #[serde(default)]
    pub include_users_in_autocomplete: Option<bool>,
    #[serde(default)]
    pub include_favorites_in_autocomplete: Option<bool>,
    #[serde(default)]
    pub users_public_url: Option<bool>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    /// The object as the server sent it.
    #[serde(skip)]
    pub raw: Value,
}

impl EnterpriseSettings {
    /// The largest file the enterprise accepts, in bytes, or `None` without a limit. The unit
    /// is a symbol or a word (`B`/`bytes`, `KB`/`kilobytes`, `GB`/`gigabytes`); any other, or
    /// none, is megabytes, the server's default.
    pub fn max_file_size_bytes(&self) -> Option<i64> {
        let factor = match self.max_file_size_unit.as_deref() {
            Some("B") | Some("bytes") => 1,
            Some("KB") | Some("kilobytes") => 1 << 10,
            Some("GB") | Some("gigabytes") => 1 << 30,
            _ => 1 << 20,
        };
        self.max_file_size_value.map(|v| v.saturating_mul(factor))
    }

    /// The extension filter's mode: without a filter nothing is forbidden, which is
    /// `forbid` with an empty list.
    pub fn extension_filter_mode(&self) -> &str {
        self.extension_filter
            .as_ref()
            .map(|f| f.mode.as_str())
            .unwrap_or("forbid")
    }
}

/// One setting of a security profile: `{"value": …, "modifiable": …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecuritySetting {
    /// The value.
    pub value: Value,
    /// Whether a SafeBox may override it.
    pub modifiable: bool,
}

/// A security profile (spec §7.3).
#[derive(Debug, Clone)]
pub struct SecurityProfile {
    /// The profile id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The object as the server sent it.
    pub raw: Value,
}

impl SecurityProfile {
    /// Builds a profile from its JSON object: it must have an `id` (an integer or numeric
    /// text); `Error::Decode` otherwise.
    pub fn from_json(raw: Value) -> Result<SecurityProfile> {
        SecurityProfile::decode(raw, "the security profile")
    }

    /// Builds a profile from its JSON object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) -> Result<SecurityProfile> {
        let obj = object(&raw, what)?;
        Ok(SecurityProfile {
            id: required_int(obj, "id", what)?,
            name: text(obj, "name"),
            description: text(obj, "description"),
            raw,
        })
    }

    /// A setting by its name in spec §7.3 (`reply_enabled`, `expiration_value`, …).
    pub fn setting(&self, name: &str) -> Option<SecuritySetting> {
        let s = self.raw.get(name)?;
        Some(SecuritySetting {
            value: s.get("value").cloned().unwrap_or(Value::Null),
            modifiable: s
                .get("modifiable")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }
}
