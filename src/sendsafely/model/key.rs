//! A trusted-device key (§4.6, S3): the key pair a package's keycode can be wrapped to.

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

impl std::fmt::Debug for TrustedDeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedDeviceKey")
            .field("id", &self.id)
            .field("public_armored", &self.public_armored)
            .field("secret_armored", &"<redacted>")
            .finish()
    }
}
