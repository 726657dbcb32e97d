//! Enterprise settings (E5), security profiles (E4) and the default profile.

use crate::sendsecure::client::Client;
use crate::sendsecure::model::{EnterpriseSettings, SecurityProfile};
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{kind, object, optional_object, required_list};
use crate::transport::url_policy::segment;
use serde_json::Value;

/// Reads the enterprise settings answer (E5).
pub(crate) fn enterprise_settings_answer(raw: Value) -> Result<EnterpriseSettings> {
    const WHAT: &str = "the enterprise settings answer";
    let obj = object(&raw, WHAT)?;
    // The mode says whether the list is what is allowed or what is forbidden: with another one
    // the list cannot be applied, and handing it on would let a C program guess.
    if let Some(filter) = optional_object(obj, "extension_filter", WHAT)? {
        let mode = filter.get("mode").and_then(Value::as_str);
        if !matches!(mode, Some("allow" | "forbid")) {
            return Err(Error::Decode(format!(
                "`mode` of the `extension_filter` of {WHAT} is {}, not `allow` or `forbid`",
                mode.map_or_else(
                    || kind(filter.get("mode").unwrap_or(&Value::Null)),
                    |_| "another text"
                )
            )));
        }
    }
    let mut settings: EnterpriseSettings =
        serde_json::from_value(raw.clone()).map_err(|e| Error::Decode(format!("{WHAT}: {e}")))?;
    settings.raw = raw;
    Ok(settings)
}

/// Reads the security profile list answer (E4).
pub(crate) fn security_profiles_answer(raw: &Value) -> Result<Vec<SecurityProfile>> {
    const WHAT: &str = "the security profile list answer";
    required_list(
        object(raw, WHAT)?,
        "security_profiles",
        WHAT,
        "security profile",
    )?
    .into_iter()
    .map(|(place, p)| SecurityProfile::decode(p.clone(), &place))
    .collect()
}

impl Client {
    /// The enterprise account's settings (E5).
    pub async fn get_enterprise_settings(&self) -> Result<EnterpriseSettings> {
        let path = format!(
            "api/v2/enterprises/{}/settings.json",
            segment(self.enterprise_account())
        );
        enterprise_settings_answer(self.get(&path, &[]).await?)
    }

    /// The security profiles `user_email` may use (E4).
    pub async fn get_security_profiles(&self, user_email: &str) -> Result<Vec<SecurityProfile>> {
        if user_email.is_empty() {
            return Err(Error::InvalidArgument("User email cannot be null".into()));
        }
        let path = format!(
            "api/v2/enterprises/{}/security_profiles.json",
            segment(self.enterprise_account())
        );
        security_profiles_answer(&self.get(&path, &[("user_email", user_email)]).await?)
    }

    /// The enterprise's default security profile for `user_email` (E5 then E4), or `None`
    /// when the enterprise has none or `user_email` may not use it.
    pub async fn get_default_security_profile(
        &self,
        user_email: &str,
    ) -> Result<Option<SecurityProfile>> {
        let settings = self.get_enterprise_settings().await?;
        let Some(default_id) = settings.default_security_profile_id else {
            return Ok(None);
        };
        let profiles = self.get_security_profiles(user_email).await?;
        Ok(profiles.into_iter().find(|p| p.id == default_id))
    }
}
