//! The calling user: information (S1) and the credentials check (S2).

use crate::sendsafely::client::Client;
use crate::sendsafely::model::UserInfo;
use crate::transport::error::{Error, Result};
use serde_json::Value;

impl Client {
    /// The user the API key belongs to (S1): also the way to check the key and secret.
    pub async fn user_information(&self) -> Result<UserInfo> {
        UserInfo::from_json(&self.get("user/", &[]).await?)
    }

    /// The identity the credentials stand for (S2's `message`, the user's e-mail address).
    pub async fn verify_credentials(&self) -> Result<String> {
        let answer = self.get("config/verify-credentials/", &[]).await?;
        answer
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::Decode("the credentials check answered no `message`".into()))
    }
}
