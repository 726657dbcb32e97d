//! A trusted-device key (§4.6, S3): the key pair a package's keycode can be wrapped to.

use crate::transport::error::{Error, Result};
use zeroize::Zeroizing;

/// A registered trusted-device key. The secret half is wiped when dropped and never shown by
/// `Debug`; the caller stores it securely to read wrapped keycodes later.
#[derive(Clone)]
pub struct TrustedDeviceKey {
    /// The id the server gave the key (S3).
    pub id: String,
    /// The public half, ASCII-armored, as registered.
    pub public_armored: String,
    /// The secret half, ASCII-armored, not protected by a password.
    pub secret_armored: Zeroizing<String>,
}

impl TrustedDeviceKey {
    /// A registered key read back from where the program stored it: its id and its armored
    /// secret half (the public half is derived from it). A text that is no OpenPGP secret key
    /// with an encryption subkey is [`Error::InvalidArgument`].
    pub fn from_secret(id: &str, secret_armored: &str) -> Result<TrustedDeviceKey> {
        if id.trim().is_empty() {
            return Err(Error::InvalidArgument("the key id must be given".into()));
        }
        let public_armored = sendsafely_crypto::keys::public_key_of(secret_armored)
            .map_err(|e| Error::InvalidArgument(format!("not a trusted-device secret key: {e}")))?;
        Ok(TrustedDeviceKey {
            id: id.to_string(),
            public_armored,
            secret_armored: Zeroizing::new(secret_armored.to_string()),
        })
    }
}

impl std::fmt::Debug for TrustedDeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedDeviceKey")
            .field("id", &self.id)
            .field("public_armored", &self.public_armored)
            .field("secret_armored", &"<redacted>")
            .finish()
    }
}
