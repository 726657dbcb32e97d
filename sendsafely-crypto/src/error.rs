//! What can go wrong in SendSafely's cryptography.

/// A failure to encrypt, decrypt or read a key. The text never contains a passphrase or keycode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The data could not be decrypted: wrong passphrase or key, no integrity check (MDC),
    /// altered ciphertext, or not an OpenPGP message.
    Decrypt(String),
    /// A key could not be read or used (no encryption subkey, not a public key, ...).
    Key(String),
    /// Encryption itself failed (an rPGP error on valid input).
    Encrypt(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Decrypt(text) => write!(f, "cannot decrypt: {text}"),
            Error::Key(text) => write!(f, "unusable key: {text}"),
            Error::Encrypt(text) => write!(f, "cannot encrypt: {text}"),
        }
    }
}

impl std::error::Error for Error {}
