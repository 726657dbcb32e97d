//! A secret value the server hands out (a package's server secret) or the client makes (the
//! keycode): wiped from memory when dropped and never shown by `Debug`.

use std::fmt;
use std::ops::Deref;
use zeroize::Zeroizing;

/// A secret text: read it with `&*secret` or [`Secret::as_str`]; `Debug` prints
/// `<redacted>`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub(crate) fn new(text: Zeroizing<String>) -> Secret {
        Secret(text)
    }

    /// The secret's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(text: String) -> Secret {
        Secret(Zeroizing::new(text))
    }
}

impl Deref for Secret {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
