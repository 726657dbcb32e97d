//! What finalizing a package (S16, S17, S30) gives.

use crate::sendsafely::model::Secret;

/// A public key the keycode could not be wrapped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedKey {
    /// The key's id on the server.
    pub key_id: String,
    /// Why it was skipped (e.g. the key has no encryption subkey).
    pub reason: String,
}

/// A finalized package.
#[derive(Debug, Clone)]
pub struct Finalized {
    /// The secure link: the server's link and `#keyCode=` with the keycode. It holds the
    /// keycode: whoever has it reads the package.
    pub secure_link: Secret,
    /// Whether the package waits for an approver before it reaches its recipients
    /// (`PACKAGE_NEEDS_APPROVAL`).
    pub needs_approval: bool,
    /// The ids of the public keys the keycode was wrapped to.
    pub wrapped_keys: Vec<String>,
    /// The public keys skipped.
    pub skipped_keys: Vec<SkippedKey>,
}
