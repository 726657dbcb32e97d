//! The calling user (S1).

use crate::transport::error::Result;
use crate::transport::json_fields::{object, optional_int, required_text, text};
use serde_json::Value;

/// The user the API key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// The user's id.
    pub id: String,
    /// The user's e-mail address.
    pub email: String,
    /// First name, empty when unknown.
    pub first_name: String,
    /// Last name, empty when unknown.
    pub last_name: String,
    /// The default life of the user's packages in days, when the server says.
    pub package_life: Option<i64>,
}

impl UserInfo {
    pub(crate) fn from_json(v: &Value) -> Result<UserInfo> {
        let what = "the user information";
        let o = object(v, what)?;
        Ok(UserInfo {
            id: text(o, "id"),
            email: required_text(o, "email", what)?,
            first_name: text(o, "firstName"),
            last_name: text(o, "lastName"),
            package_life: optional_int(o, "packageLife", what)?,
        })
    }
}
