//! Finalizing a package (spec §11.7): the keycode wrapped to each public key (S16, S17), then
//! S30 with the checksum, and the secure link.

use crate::sendsafely::client::Client;
use crate::sendsafely::model::{Finalized, Package, Secret, SkippedKey};
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{object, optional_list, required_id_text, required_text};
use crate::transport::retry::Idempotency;
use reqwest::Method;
use serde_json::{json, Value};
use zeroize::Zeroizing;

impl Client {
    /// Finalizes `package`: wraps its keycode to every public key the server lists (keys it
    /// cannot be wrapped to are skipped and reported), proves the keycode with its checksum and
    /// answers the secure link. Finalize itself is not sent again after a failure whose outcome
    /// is unknown: check the package's state ([`Client::package_information`]) first.
    pub async fn finalize_package(&self, package: &Package) -> Result<Finalized> {
        let pid = Client::id("package id", &package.package_id)?;
        let keys = self
            .get(&format!("package/{pid}/public-keys/"), &[])
            .await?;
        let what = "the public keys";
        let mut wrapped_keys = vec![];
        let mut skipped_keys = vec![];
        for (place, key) in optional_list(object(&keys, what)?, "publicKeys", what, "key")? {
            let key = object(key, &place)?;
            let key_id = required_id_text(key, "id", &place)?;
            let armored = required_text(key, "key", &place)?;
            let keycode = package.keycode.clone();
            let wrapped = tokio::task::spawn_blocking(move || {
                sendsafely_crypto::keys::wrap_keycode(&armored, &keycode)
            })
            .await
            .map_err(|e| Error::Crypto(format!("wrapping the keycode failed: {e}")))?;
            match wrapped {
                Ok(wrapped) => {
                    let path = format!("package/{pid}/link/{}/", Client::id("key id", &key_id)?);
                    let body = json!({"keycode": wrapped});
                    self.send_json(Method::PUT, &path, &body, Idempotency::Idempotent)
                        .await?;
                    wrapped_keys.push(key_id);
                }
                Err(e) => skipped_keys.push(SkippedKey {
                    key_id,
                    reason: e.to_string(),
                }),
            }
        }
        let checksum =
            sendsafely_crypto::secrets::checksum(&package.keycode, &package.package_code);
        let answer = self
            .send_json(
                Method::POST,
                &format!("package/{pid}/finalize/"),
                &json!({"checksum": checksum}),
                Idempotency::NotIdempotent,
            )
            .await?;
        let (link, needs_approval) = link_of(&answer)?;
        Ok(Finalized {
            secure_link: Secret::new(Zeroizing::new(format!(
                "{link}#keyCode={}",
                &*package.keycode
            ))),
            needs_approval,
            wrapped_keys,
            skipped_keys,
        })
    }
}

/// The link of a finalize answer and whether it waits for approval. Success is said by
/// `response` (the transport already made any other code an error), never by the absence of
/// `errors`.
fn link_of(answer: &Value) -> Result<(String, bool)> {
    let what = "the finalize answer";
    let o = object(answer, what)?;
    let needs_approval = match required_text(o, "response", what)?.as_str() {
        "SUCCESS" => false,
        "PACKAGE_NEEDS_APPROVAL" => true,
        other => {
            return Err(Error::Decode(format!(
                "{what} has the unexpected `response` {}",
                crate::transport::error::excerpt(other, 60)
            )))
        }
    };
    Ok((required_text(o, "message", what)?, needs_approval))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_is_said_by_the_response_code() {
        let link = "https://h/receive/?thread=P&packageCode=C";
        let ok = json!({"response": "SUCCESS", "message": link});
        assert_eq!(link_of(&ok).unwrap(), (link.to_string(), false));
        let waiting = json!({"response": "PACKAGE_NEEDS_APPROVAL", "message": link});
        assert!(link_of(&waiting).unwrap().1);
        assert!(
            link_of(&json!({"message": link})).is_err(),
            "no response, no errors"
        );
        assert!(link_of(&json!({"response": "SUCCESS"})).is_err());
    }
}
