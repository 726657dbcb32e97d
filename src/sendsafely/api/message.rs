//! The secure message (S28, S29, §4.5): encrypted under the package's passphrase, sent and
//! returned as standard base64.

use crate::sendsafely::client::Client;
use crate::sendsafely::crypto_task;
use crate::sendsafely::model::ReceivedPackage;
use crate::transport::error::{Error, Result};
use crate::transport::retry::Idempotency;
use reqwest::Method;
use serde_json::{json, Value};
use zeroize::Zeroizing;

impl Client {
    /// Puts the secure message of the package `package_id` (S28), encrypted under
    /// `server_secret` and `keycode`; a second call replaces it.
    pub async fn put_message(
        &self,
        package_id: &str,
        server_secret: &str,
        keycode: &str,
        text: &str,
    ) -> Result<()> {
        let path = format!("package/{}/message/", Client::id("package id", package_id)?);
        if keycode.is_empty() || server_secret.is_empty() {
            return Err(Error::InvalidArgument(
                "the server secret and the keycode must be given".into(),
            ));
        }
        let passphrase = sendsafely_crypto::secrets::passphrase(server_secret, keycode);
        let text = Zeroizing::new(text.to_string());
        let encrypted = crypto_task::run(move || {
            sendsafely_crypto::segment::encrypt_message(&passphrase, &text)
        })
        .await?;
        let body = json!({ "message": encrypted });
        self.send_json(Method::PUT, &path, &body, Idempotency::Idempotent)
            .await?;
        Ok(())
    }

    /// The package's secure message (S29, asked with the link's checksum), decrypted; empty
    /// when the package has none. A keycode that does not decrypt it is [`Error::Crypto`].
    pub async fn read_message(&self, package: &ReceivedPackage) -> Result<Zeroizing<String>> {
        let path = format!(
            "package/{}/message/{}",
            Client::id("package id", &package.info.package_id)?,
            package.checksum()
        );
        let answer = self.get(&path, &[]).await?;
        let encrypted = match answer.get("message") {
            Some(Value::String(text)) => text.clone(),
            None | Some(Value::Null) => String::new(),
            Some(_) => {
                return Err(Error::Decode(
                    "the secure message answered a `message` that is not text".into(),
                ))
            }
        };
        if encrypted.trim().is_empty() {
            return Ok(Zeroizing::new(String::new()));
        }
        let passphrase = package.passphrase();
        crypto_task::run(move || {
            sendsafely_crypto::segment::decrypt_message(&passphrase, &encrypted)
        })
        .await
    }
}
