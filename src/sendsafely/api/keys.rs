//! Trusted-device keys (§4.6, S3, S4, S18): a key pair made here whose public half the server
//! keeps, so that senders wrap a package's keycode to it, and the wrapped keycode read back
//! and unwrapped with the secret half.

use crate::sendsafely::client::Client;
use crate::sendsafely::crypto_task;
use crate::sendsafely::model::TrustedDeviceKey;
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{object, required_id_text, required_text};
use crate::transport::retry::Idempotency;
use reqwest::Method;
use serde_json::json;
use zeroize::Zeroizing;

impl Client {
    /// Generates a trusted-device key pair for the calling user (user ID `Trusted Browser
    /// <email>`, as PY11 does) and registers its public half (S3) with `description`. A
    /// registration whose answer is lost is not sent again (it could register the key twice).
    pub async fn add_trusted_device_key(&self, description: &str) -> Result<TrustedDeviceKey> {
        let email = self.user_information().await?.email;
        let user_id = format!("Trusted Browser <{email}>");
        let pair = crypto_task::run(move || sendsafely_crypto::keys::generate(&user_id)).await?;
        let body = json!({ "publicKey": pair.public_armored, "description": description });
        let answer = self
            .send_json(Method::PUT, "public-key", &body, Idempotency::NotIdempotent)
            .await?;
        let what = "the registered key";
        let id = required_id_text(object(&answer, what)?, "id", what)?;
        Ok(TrustedDeviceKey {
            id,
            public_armored: pair.public_armored,
            secret_armored: pair.secret_armored,
        })
    }

    /// Revokes one of the calling user's trusted-device keys (S4).
    pub async fn revoke_trusted_device_key(&self, key_id: &str) -> Result<()> {
        let path = format!("public-key/{}", Client::id("key id", key_id)?);
        self.delete(&path).await
    }

    /// The keycode of the package `package_id` that its sender wrapped to `key` (S18),
    /// unwrapped with the key's secret half. A wrapped keycode the key does not open is
    /// [`Error::Crypto`].
    pub async fn package_keycode(
        &self,
        package_id: &str,
        key: &TrustedDeviceKey,
    ) -> Result<Zeroizing<String>> {
        let path = format!(
            "package/{}/link/{}",
            Client::id("package id", package_id)?,
            Client::id("key id", &key.id)?
        );
        let answer = self.get(&path, &[]).await?;
        let what = "the wrapped keycode";
        let wrapped = required_text(object(&answer, what)?, "message", what)?;
        let secret = key.secret_armored.clone();
        let keycode =
            crypto_task::run(move || sendsafely_crypto::keys::unwrap_keycode(&secret, &wrapped))
                .await?;
        if keycode.is_empty() {
            return Err(Error::Crypto("the wrapped keycode is empty".into()));
        }
        Ok(keycode)
    }
}
