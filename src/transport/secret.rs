//! Wiping secrets (API tokens, passwords) from memory when they are dropped.

use zeroize::Zeroize;

/// Overwrites a string's bytes with zeros (the compiler may not skip it) and empties it.
pub fn wipe_string(s: &mut String) {
    s.zeroize();
}
