//! Keycodes, the passphrase and the finalize checksum (§3, §4.1).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use zeroize::Zeroizing;

/// A new keycode: 32 bytes from the OS CSPRNG, base64url without padding (43 characters).
pub fn new_keycode() -> Zeroizing<String> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(bytes.as_mut());
    Zeroizing::new(URL_SAFE_NO_PAD.encode(bytes.as_ref()))
}

/// JS's `urlSafeBase64`: `+` to `-`, `/` to `_`, `=` dropped; a no-op on URL-safe values (§3.2).
pub fn url_safe(text: &str) -> Zeroizing<String> {
    Zeroizing::new(
        text.chars()
            .filter(|&c| c != '=')
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect(),
    )
}

/// The OpenPGP passphrase of a package's segments and message: server secret, then keycode.
pub fn passphrase(server_secret: &str, keycode: &str) -> Zeroizing<String> {
    let mut joined = url_safe(server_secret);
    joined.push_str(&url_safe(keycode));
    joined
}

/// The proof of link possession: lowercase hex of PBKDF2-HMAC-SHA256(keycode, packageCode, 1024, 32).
pub fn checksum(keycode: &str, package_code: &str) -> String {
    let mut derived = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
        keycode.as_bytes(),
        package_code.as_bytes(),
        1024,
        &mut derived,
    );
    hex::encode(derived)
}

/// Whether `text` is a well-formed checksum: 64 lowercase hex characters.
pub fn is_checksum(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keycodes_are_43_url_safe_characters_and_differ() {
        let a = new_keycode();
        let b = new_keycode();
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(*a, *b);
    }

    #[test]
    fn url_safe_maps_the_standard_alphabet() {
        assert_eq!(*url_safe("a+b/c=="), "a-b_c");
        assert_eq!(*url_safe("already-url_safe"), "already-url_safe");
    }

    #[test]
    fn passphrase_is_server_secret_then_keycode() {
        assert_eq!(*passphrase("SERVER", "key+/"), "SERVERkey-_");
    }

    #[test]
    fn checksum_is_well_formed_and_depends_on_both_inputs() {
        let c = checksum("keycode", "code");
        assert!(is_checksum(&c));
        assert_ne!(c, checksum("keycode", "code2"));
        assert_ne!(c, checksum("keycode2", "code"));
        assert!(!is_checksum(&c.to_uppercase()));
        assert!(!is_checksum(&c[1..]));
    }
}
