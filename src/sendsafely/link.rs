//! Secure links (spec §3.4, §11.8): `https://host/receive/?thread=PID&packageCode=CODE#keyCode=KEY`,
//! read the way PY11's `load_package_from_link` reads them: the link is split on `?`, `&` and
//! `#`, `packageCode=` is required, and the keycode may be named `keyCode` or `keycode` (JV's
//! `getPackageLink` writes the lower-case form).

use crate::transport::error::{Error, Result};
use zeroize::Zeroizing;

/// What a secure link holds. The keycode is wiped when dropped and never shown by `Debug`.
#[derive(Clone)]
pub struct SecureLink {
    /// The package id (`thread=`), when the link carries it.
    pub package_id: Option<String>,
    /// The package code (`packageCode=`), by which the server resolves the package.
    pub package_code: String,
    /// The keycode (`keyCode=` or `keycode=`, in the fragment).
    pub keycode: Zeroizing<String>,
}

impl std::fmt::Debug for SecureLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecureLink")
            .field("package_id", &self.package_id)
            .field("package_code", &self.package_code)
            .field("keycode", &"<redacted>")
            .finish()
    }
}

/// The characters of ids, package codes and keycodes: base64url, and the standard alphabet's
/// `+`, `/` and `=`, which JS maps to URL-safe ones before use (§3.2).
fn plain_value(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'='))
}

fn refused(why: &str) -> Error {
    // The link itself is never quoted: it holds the keycode.
    Error::InvalidArgument(format!("not a SendSafely secure link: {why}"))
}

impl SecureLink {
    /// Reads a secure link. Malformed links (no `packageCode`, no keycode, a value given twice
    /// differently, characters a package code or keycode cannot hold) are
    /// [`Error::InvalidArgument`], whose message never quotes the keycode.
    pub fn parse(link: &str) -> Result<SecureLink> {
        let link = link.trim();
        if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(refused("it contains spaces or control characters"));
        }
        let mut package_id = None;
        let mut package_code = None;
        let mut keycode: Option<Zeroizing<String>> = None;
        // The first piece is what comes before `?` (scheme, host, path): not a parameter.
        for piece in link.split(['?', '&', '#']).skip(1) {
            let Some((name, value)) = piece.split_once('=') else {
                continue;
            };
            let slot = match name {
                "thread" => &mut package_id,
                "packageCode" => &mut package_code,
                "keyCode" | "keycode" => {
                    if !plain_value(value) {
                        return Err(refused("the keycode holds characters a keycode cannot"));
                    }
                    if keycode.as_ref().is_some_and(|k| k.as_str() != value) {
                        return Err(refused("it gives two different keycodes"));
                    }
                    keycode = Some(Zeroizing::new(value.to_string()));
                    continue;
                }
                _ => continue,
            };
            if !plain_value(value) {
                return Err(refused(&format!(
                    "`{name}` is empty or holds characters it cannot"
                )));
            }
            if slot.as_deref().is_some_and(|v: &str| v != value) {
                return Err(refused(&format!("it gives two different `{name}`")));
            }
            *slot = Some(value.to_string());
        }
        Ok(SecureLink {
            package_id,
            package_code: package_code.ok_or_else(|| refused("it has no `packageCode=`"))?,
            keycode: keycode.ok_or_else(|| refused("it has no `keyCode=` (or `keycode=`)"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "E8FfOCwV4His4tlezIGi07qi0bQhxGQHcqVKYcqPcgg";
    const KEY: &str = "AkdW1dOL9kL2a8x_8T0mGXTKIx0qJrhPJmbpzDwF-nQ";

    fn parsed(link: &str) -> SecureLink {
        SecureLink::parse(link).unwrap_or_else(|e| panic!("{link}: {e}"))
    }

    #[test]
    fn every_form_the_spec_lists_is_read() {
        // Finalize's link with its fragment (§3.4), JV's lower-case `keycode`, PY's split on
        // `?&#` whatever the order, and a link without `thread`.
        let forms = [
            (
                format!("https://acme.sendsafely.com/receive/?thread=4B88-CV9G&packageCode={CODE}#keyCode={KEY}"),
                Some("4B88-CV9G"),
            ),
            (
                format!("https://acme.sendsafely.com/receive/?packageCode={CODE}#keycode={KEY}"),
                None,
            ),
            (
                format!("https://h.example/receive/?packageCode={CODE}&thread=AB12-CD34#keyCode={KEY}"),
                Some("AB12-CD34"),
            ),
            (
                format!("https://h.example/receive/?thread=AB12-CD34#keyCode={KEY}&packageCode={CODE}"),
                Some("AB12-CD34"),
            ),
            (
                format!("  https://h.example/receive/?packageCode={CODE}&other=1#keyCode={KEY}\n"),
                None,
            ),
        ];
        for (link, id) in forms {
            let l = parsed(&link);
            assert_eq!(l.package_code, CODE, "{link}");
            assert_eq!(l.keycode.as_str(), KEY, "{link}");
            assert_eq!(l.package_id.as_deref(), id, "{link}");
        }
    }

    #[test]
    fn malformed_links_are_invalid_arguments_that_never_quote_the_keycode() {
        let malformed = [
            format!("https://h.example/receive/?thread=AB12-CD34#keyCode={KEY}"),
            format!("https://h.example/receive/?packageCode={CODE}"),
            format!("https://h.example/receive/?packageCode={CODE}#keyCode="),
            format!("https://h.example/receive/?packageCode=#keyCode={KEY}"),
            format!("https://h.example/receive/?packageCode={CODE}#KEYCODE={KEY}"),
            format!("https://h.example/receive/?packageCode={CODE}#keyCode={KEY}&keycode=other"),
            format!("https://h.example/receive/?packageCode={CODE}&packageCode=X#keyCode={KEY}"),
            format!("https://h.example/receive/?packageCode={CODE}#keyCode={KEY}%00"),
            format!("https://h.example/receive/?packageCode={CODE}#keyCode={KEY} x"),
            format!("https://h.example/receive/?packageCode={CODE}&thread=a;b#keyCode={KEY}"),
            format!("packageCode={CODE}#keyCode={KEY}"),
            String::new(),
        ];
        for link in malformed {
            match SecureLink::parse(&link) {
                Err(Error::InvalidArgument(message)) => {
                    assert!(
                        message.starts_with("not a SendSafely secure link"),
                        "{message}"
                    );
                    assert!(!message.contains(KEY), "{message}");
                }
                other => panic!("{link}: {other:?}"),
            }
        }
    }

    #[test]
    fn debug_output_hides_the_keycode() {
        let l = parsed(&format!(
            "https://h.example/receive/?packageCode={CODE}#keyCode={KEY}"
        ));
        let shown = format!("{l:?}");
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains(CODE), "{shown}");
    }
}
