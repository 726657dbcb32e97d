//! The emulator's configuration file: accounts, users, security profiles and enterprise settings.
//!
//! The format is TOML and is documented in `docs/emulator.md`. Every field has a default so that a
//! config file only states what differs from the built-in demo account.

pub use crate::core::config::ConfigFile;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::path::Path;

/// The whole configuration: one or more enterprise accounts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Enterprise accounts, addressed by their permalink.
    pub accounts: Vec<AccountConfig>,
}

/// One enterprise account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    /// The enterprise account permalink (the `{acct}` of every URL).
    pub permalink: String,
    /// Numeric enterprise id reported in SafeBoxes.
    #[serde(default = "default_enterprise_id")]
    pub enterprise_id: i64,
    /// Enterprise settings (spec §7.10); missing keys take the demo defaults.
    #[serde(default)]
    pub settings: EnterpriseSettingsConfig,
    /// Users who can log in.
    pub users: Vec<UserConfig>,
    /// Security profiles; when empty, the two demo profiles are used.
    #[serde(default)]
    pub security_profiles: Vec<SecurityProfileConfig>,
    /// Consent message groups (E11); when empty, one group with id 1 exists.
    #[serde(default)]
    pub consent_message_groups: Vec<ConsentGroupConfig>,
}

fn default_enterprise_id() -> i64 {
    1
}

/// Enterprise settings that can be configured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnterpriseSettingsConfig {
    pub default_security_profile_id: Option<i64>,
    pub pdf_language: String,
    pub use_pdfa_audit_records: bool,
    pub international_dialing_plan: String,
    pub extension_filter: ExtensionFilterConfig,
    pub virus_scan_enabled: bool,
    /// Maximum size of one uploaded file, with `max_file_size_unit`; absent means no limit.
    pub max_file_size_value: Option<u64>,
    /// `KB`, `MB` or `GB` (powers of 1024).
    pub max_file_size_unit: Option<String>,
    pub include_users_in_autocomplete: bool,
    pub include_favorites_in_autocomplete: bool,
    pub users_public_url: bool,
}

impl Default for EnterpriseSettingsConfig {
    fn default() -> Self {
        Self {
            default_security_profile_id: None,
            pdf_language: "en".into(),
            use_pdfa_audit_records: false,
            international_dialing_plan: "ca".into(),
            extension_filter: ExtensionFilterConfig::default(),
            virus_scan_enabled: false,
            max_file_size_value: None,
            max_file_size_unit: None,
            include_users_in_autocomplete: true,
            include_favorites_in_autocomplete: true,
            users_public_url: true,
        }
    }
}

impl EnterpriseSettingsConfig {
    /// The upload size limit in bytes, if any.
    pub fn max_file_size_bytes(&self) -> Option<u64> {
        let value = self.max_file_size_value?;
        let factor: u64 = match self.max_file_size_unit.as_deref().unwrap_or("MB") {
            "B" | "bytes" => 1,
            "KB" | "kilobytes" => 1 << 10,
            "GB" | "gigabytes" => 1 << 30,
            _ => 1 << 20,
        };
        Some(value.saturating_mul(factor))
    }
}

/// The extension filter: `allow` only the listed extensions, or `forbid` them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionFilterConfig {
    pub mode: String,
    pub list: Vec<String>,
}

impl Default for ExtensionFilterConfig {
    fn default() -> Self {
        Self {
            mode: "forbid".into(),
            list: vec!["bat".into(), "bin".into(), "exe".into()],
        }
    }
}

impl ExtensionFilterConfig {
    /// Whether a file name passes the filter (case-insensitive on the extension).
    pub fn allows(&self, file_name: &str) -> bool {
        let ext = Path::new(file_name)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .unwrap_or_default();
        let listed = self.list.iter().any(|l| l.eq_ignore_ascii_case(&ext));
        if self.mode == "allow" {
            listed
        } else {
            !listed
        }
    }
}

/// A user of an enterprise account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    pub id: i64,
    pub username: String,
    pub password: String,
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    /// When set, logging in requires this one-time password (error 106 without it).
    #[serde(default)]
    pub otp: Option<String>,
    /// Favorites the user starts with.
    #[serde(default)]
    pub favorites: Vec<FavoriteConfig>,
}

/// A favorite contact seeded for a user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FavoriteConfig {
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub company_name: String,
    /// Phone numbers as `{ destination = "...", destination_type = "cell_phone" }`.
    #[serde(default)]
    pub contact_methods: Vec<ContactMethodConfig>,
}

/// A contact method in the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactMethodConfig {
    pub destination: String,
    pub destination_type: String,
}

/// A security profile: every setting is `{ value = ..., modifiable = ... }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityProfileConfig {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Overrides of the default settings, keyed by the names of spec §7.3.
    #[serde(default)]
    pub settings: toml::Table,
}

/// A consent message group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentGroupConfig {
    pub id: i64,
    pub name: String,
    /// Map of locale to consent text.
    pub messages: std::collections::BTreeMap<String, String>,
}

/// The names and default values of every security profile setting (spec §7.3), in wire order.
pub fn default_profile_settings() -> Vec<(&'static str, Value)> {
    vec![
        ("allowed_login_attempts", json!(10)),
        ("allow_remember_me", json!(true)),
        ("allow_sms", json!(true)),
        ("allow_voice", json!(true)),
        ("allow_email", json!(true)),
        ("code_time_limit", json!(5)),
        ("code_length", json!(6)),
        ("auto_extend_value", json!(6)),
        ("auto_extend_unit", json!("hours")),
        ("two_factor_required", json!(true)),
        ("encrypt_attachments", json!(true)),
        ("encrypt_message", json!(true)),
        ("expiration_value", json!(7)),
        ("expiration_unit", json!("days")),
        ("reply_enabled", json!(true)),
        ("group_replies", json!(true)),
        ("double_encryption", json!(false)),
        ("retention_period_type", json!("discard_at_expiration")),
        ("retention_period_value", Value::Null),
        ("retention_period_unit", json!("hours")),
        ("allow_manual_delete", json!(true)),
        ("allow_manual_close", json!(true)),
        ("allow_for_secure_links", json!(false)),
        ("use_captcha", json!(false)),
        ("verify_email", json!(false)),
        ("distribute_key", json!(false)),
        ("consent_group_id", Value::Null),
    ]
}

/// Resolves a profile's settings: defaults, then the config's overrides.
///
/// An override is either a bare value (modifiable defaults to `true`) or `{ value, modifiable }`.
pub fn resolve_profile_settings(overrides: &toml::Table) -> Result<Map<String, Value>, String> {
    let mut settings = Map::new();
    for (name, value) in default_profile_settings() {
        settings.insert(name.into(), json!({"value": value, "modifiable": true}));
    }
    for (name, raw) in overrides {
        if !settings.contains_key(name) {
            return Err(format!("unknown security profile setting `{name}`"));
        }
        let raw = serde_json::to_value(raw).map_err(|e| e.to_string())?;
        let setting = match raw {
            Value::Object(ref o) if o.contains_key("value") => {
                let modifiable = o.get("modifiable").and_then(Value::as_bool).unwrap_or(true);
                json!({"value": o["value"], "modifiable": modifiable})
            }
            other => json!({"value": other, "modifiable": true}),
        };
        settings.insert(name.clone(), setting);
    }
    Ok(settings)
}

impl ConfigFile for Config {
    fn validate(&self) -> Result<(), String> {
        if self.accounts.is_empty() {
            return Err("at least one account is required".into());
        }
        for account in &self.accounts {
            if account.users.is_empty() {
                return Err(format!("account `{}` has no users", account.permalink));
            }
            for profile in &account.security_profiles {
                resolve_profile_settings(&profile.settings)
                    .map_err(|e| format!("profile {}: {e}", profile.id))?;
            }
            if let Some(default) = account.settings.default_security_profile_id {
                if !account.security_profiles.is_empty()
                    && !account.security_profiles.iter().any(|p| p.id == default)
                {
                    return Err(format!(
                        "account `{}`: default_security_profile_id {default} names no profile",
                        account.permalink
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Config {
    /// The built-in demo configuration (see `docs/emulator.md`).
    pub fn demo() -> Config {
        Config::parse(DEMO_CONFIG).expect("the built-in demo config is valid")
    }
}

/// The built-in demo account, also shipped as `emulator/demo.toml`.
pub const DEMO_CONFIG: &str = include_str!("../../demo.toml");
