//! SendSafely's client-side cryptography, shared by the library's SendSafely client and by the
//! emulator, so that both sides of every test compute the same values one way
//! (`sendsafely-api.md` §2, §3, §4).
//!
//! - [`secrets`]: keycodes, the passphrase, the finalize checksum;
//! - [`signature`]: the HMAC-SHA256 request signature and its timestamp;
//! - [`segment`]: file segmentation and the symmetric OpenPGP messages of segments and secure messages;
//! - [`keys`]: trusted-device key pairs and keycodes wrapped to them.

pub mod error;
pub mod keys;
pub mod secrets;
pub mod segment;
pub mod signature;

pub use error::Error;
