//! The escrow key (spec §10.6 b): with `escrow_key` on, every package lists a key pair of
//! the emulator's own beside its users' trusted-device keys; a client wraps its keycode to it
//! like to any other key, and the emulator unwraps it, which is how it learns the keycode
//! without a control call.
//!
//! One v4 RSA-2048 pair per process, generated the first time it is needed: generation takes
//! a noticeable moment, and most runs never turn escrow on.

use crate::sendsafely::error::SsError;
use sendsafely_crypto::keys::{self, KeyPair};
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// The public key id of the escrow key in S16 answers and S17 paths; no trusted-device key
/// id has this form (theirs are numbered).
pub const KEY_ID: &str = "key-escrow";

const USER_ID: &str = "SendSafely Emulator Escrow <escrow@emulator.invalid>";

/// The key pair, or why it could not be generated (kept: retrying would fail the same way).
static PAIR: OnceLock<Result<KeyPair, String>> = OnceLock::new();

fn pair() -> Result<&'static KeyPair, SsError> {
    PAIR.get_or_init(|| keys::generate(USER_ID).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| SsError::fail(format!("The escrow key is unavailable: {e}")))
}

/// The armored public half, as S16 lists it.
pub fn public_key() -> Result<&'static str, SsError> {
    pair().map(|p| p.public_armored.as_str())
}

/// The keycode inside `wrapped` (an S17 body's `keycode`), or `INVALID_INPUT` when it is not a
/// message to the escrow key. rPGP's reason is left out: it may quote the input, which could be
/// a keycode sent unwrapped by mistake.
pub fn unwrap(wrapped: &str) -> Result<Zeroizing<String>, SsError> {
    let pair = pair()?;
    keys::unwrap_keycode(&pair.secret_armored, wrapped).map_err(|_| {
        SsError::invalid(
            "keycode must be an armored OpenPGP message to the escrow key, and this one does not decrypt with it",
        )
    })
}
