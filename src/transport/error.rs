//! The error type of the core client.

use zeroize::Zeroizing;

/// What can go wrong in a call to a service.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument failed a client-side check (spec §9); nothing was sent.
    #[error("{0}")]
    InvalidArgument(String),
    /// The call does not fit the object's state (e.g. committing a SafeBox never initialized).
    #[error("{0}")]
    InvalidState(String),
    /// A local file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A service refused a call with its own error code (SendSecure's login refusals 101 to
    /// 106, spec §3.3; SendSafely's `response` codes such as `UNKNOWN_PACKAGE`).
    #[error("{call} refused (code {code}): {message}")]
    Service {
        /// What was refused, as the message names it (e.g. `SendSecure user token`).
        call: &'static str,
        /// The service's error code.
        code: ServiceCode,
        /// Whether the service refused the credentials (rather than the request).
        credentials: bool,
        /// HTTP status of the answer.
        status: u16,
        /// The server's message.
        message: String,
        /// The response body, verbatim.
        body: String,
    },
    /// Data did not decrypt, or could not be encrypted: a wrong key or keycode, altered
    /// ciphertext, no integrity check.
    #[error("{0}")]
    Crypto(String),
    /// The server answered with an error status.
    #[error("HTTP {status}: {message}")]
    Http {
        /// HTTP status.
        status: u16,
        /// A readable message built from the error body (spec §4.1 shapes).
        message: String,
        /// The response body, verbatim (capped).
        body: String,
    },
    /// The server could not be reached, or the connection broke.
    #[error("connection failed: {0}")]
    Connect(String),
    /// The TLS handshake failed: the server's certificate does not verify (unknown issuer,
    /// expired, another host's name), the server refused the client certificate, or no TLS
    /// version or cipher both sides support. Never retried: it would fail the same way.
    #[error("TLS failed: {0}")]
    Tls(String),
    /// A time limit was reached.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The server's answer was not what the protocol says.
    #[error("unexpected server response: {0}")]
    Decode(String),
}

/// Which text of an error [`Error::map_texts`] hands over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    /// The message (of an I/O error: the operating system's).
    Message,
    /// The server's response body.
    Body,
    /// The file of an I/O error.
    Path,
}

/// The result type of the core client.
pub type Result<T> = std::result::Result<T, Error>;

/// A service's own error code: a number (SendSecure) or a name (SendSafely), kept as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceCode {
    /// A numeric code.
    Number(i64),
    /// A named code, e.g. `UNKNOWN_PACKAGE`.
    Name(Box<str>),
}

impl std::fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServiceCode::Number(n) => write!(f, "{n}"),
            ServiceCode::Name(name) => f.write_str(name),
        }
    }
}

impl Error {
    /// What kind of failure this is, for log lines: never the server's text (which could echo
    /// a secret), only the status or the category.
    pub(crate) fn kind_for_log(&self) -> String {
        match self {
            Error::InvalidArgument(_) => "invalid argument".into(),
            Error::InvalidState(_) => "invalid state".into(),
            Error::Io { .. } => "local I/O error".into(),
            Error::Service {
                call, status, code, ..
            } => format!("{call} refused (HTTP {status}, code {code})"),
            Error::Http { status, .. } => format!("HTTP {status}"),
            Error::Connect(_) => "connection failed".into(),
            Error::Tls(_) => "TLS failed".into(),
            Error::Timeout(_) => "timed out".into(),
            Error::Decode(_) => "unexpected answer".into(),
            Error::Crypto(_) => "decryption failed".into(),
        }
    }

    /// The error of an HTTP error answer: `message` is what the service's error body says
    /// (`None`: the status's reason is used); a 3xx answer is a redirect not followed.
    pub fn of_status(status: u16, message: Option<String>, body: String) -> Error {
        let message = message.unwrap_or_else(|| {
            reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("error")
                .to_string()
        });
        let message = if (300..400).contains(&status) {
            format!(
                "redirect not followed ({message}): redirects are followed only to the same \
                 scheme, host and port, so that the credentials never go to another server"
            )
        } else {
            message
        };
        Error::Http {
            status,
            message,
            body,
        }
    }

    /// The HTTP status behind this error, if any.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } | Error::Service { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's response body behind this error, if any.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Http { body, .. } | Error::Service { body, .. } => Some(body),
            _ => None,
        }
    }

    /// This error with `secret` (in any form, see [`SecretForms`]) replaced by
    /// `<redacted>` in its message and body: a server may echo what it received.
    pub(crate) fn redact(self, secret: &str) -> Error {
        if secret.is_empty() {
            return self;
        }
        self.redact_forms(&SecretForms::new(secret))
    }

    /// [`Error::redact`] with the forms of the secret made beforehand.
    pub(crate) fn redact_forms(self, forms: &SecretForms) -> Error {
        self.map_texts(|_, text| forms.redact(text))
    }

    /// This error of the same kind (status, code) with each of its texts changed by `change`,
    /// told which text it is.
    pub(crate) fn map_texts(self, mut change: impl FnMut(Text, String) -> String) -> Error {
        let mut message = |text: String| change(Text::Message, text);
        match self {
            Error::InvalidArgument(m) => Error::InvalidArgument(message(m)),
            Error::InvalidState(m) => Error::InvalidState(message(m)),
            Error::Io { path, source } => {
                let text = source.to_string();
                let changed = message(text.clone());
                Error::Io {
                    path: change(Text::Path, path),
                    source: if changed == text {
                        source
                    } else {
                        std::io::Error::new(source.kind(), changed)
                    },
                }
            }
            Error::Service {
                call,
                code,
                credentials,
                status,
                message: m,
                body,
            } => Error::Service {
                call,
                code,
                credentials,
                status,
                message: message(m),
                body: change(Text::Body, body),
            },
            Error::Http {
                status,
                message: m,
                body,
            } => Error::Http {
                status,
                message: message(m),
                body: change(Text::Body, body),
            },
            Error::Connect(m) => Error::Connect(message(m)),
            Error::Tls(m) => Error::Tls(message(m)),
            Error::Timeout(m) => Error::Timeout(message(m)),
            Error::Decode(m) => Error::Decode(message(m)),
            Error::Crypto(m) => Error::Crypto(message(m)),
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
        // reqwest's Display can include the URL; our URLs never carry secrets (the token is a
        // header), so the message is safe to show.
        if let Some(redirects) = sources(&e).find_map(|s| s.downcast_ref::<RedirectLoop>()) {
            Error::Http {
                status: redirects.status,
                message: redirects.to_string(),
                body: String::new(),
            }
        } else if let Some(hint) = tls_failure(&e) {
            Error::Tls(format!("{hint}{}", error_chain(&e)))
        } else if e.is_timeout() {
            Error::Timeout(e.to_string())
        } else if e.is_decode() {
            // reqwest reports a failure while reading a body as a decode error; the library
            // never has reqwest decode (no decompression, no `Response::json`), so this is the
            // connection breaking in the middle of an answer.
            Error::Connect(format!(
                "the connection broke while receiving the answer: {}",
                error_chain(&e)
            ))
        } else {
            Error::Connect(error_chain(&e))
        }
    }
}

/// How many same-origin redirects one request follows.
pub const MAX_REDIRECTS: usize = 10;

/// Same-origin redirects that did not end within [`MAX_REDIRECTS`]: reported as the last
/// redirect's status ([`Error::Http`]), which is what the server kept answering.
#[derive(Debug)]
pub(crate) struct RedirectLoop {
    pub status: u16,
    pub location: String,
}

impl std::fmt::Display for RedirectLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "redirect loop: more than {MAX_REDIRECTS} redirects within the server (the last to {})",
            self.location
        )
    }
}

impl std::error::Error for RedirectLoop {}

/// The message of an error and of its sources.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// An error and its sources, first to last. Unlike [`std::error::Error::source`] alone, this
/// goes into an `io::Error`'s wrapped error (`io::Error::source` skips it, giving the wrapped
/// error's own source): the HTTP and TLS layers wrap their failures in `io::Error`s, sometimes
/// nested (`Other` around `InvalidData` around a `rustls::Error`).
pub(crate) fn sources<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |s| {
        match s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => s.source(),
        }
    })
}

/// Whether an HTTP client error is a TLS failure (a `rustls::Error` anywhere in its sources),
/// and if so a short explanation of it, to put before the TLS layer's own message (empty
/// when there is none to add).
pub(crate) fn tls_failure(e: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    sources(e).find_map(|s| {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Some(tls_hint(tls));
        }
        // An alert read after the handshake can come as text only (rustls's message for
        // `AlertReceived`).
        let text = s.to_string();
        text.strip_prefix("received fatal alert: ").map(alert_hint)
    })
}

/// The explanation of a TLS failure (see [`tls_failure`]).
pub(crate) fn tls_hint(e: &rustls::Error) -> &'static str {
    use rustls::CertificateError as Cert;
    match e {
        rustls::Error::InvalidCertificate(Cert::UnknownIssuer) => {
            "the server's certificate is not signed by a trusted authority (a private CA \
             must be given in ca_file): "
        }
        rustls::Error::InvalidCertificate(
            Cert::NotValidForName | Cert::NotValidForNameContext { .. },
        ) => "the server's certificate is for another host name: ",
        rustls::Error::InvalidCertificate(
            Cert::Expired
            | Cert::ExpiredContext { .. }
            | Cert::NotValidYet
            | Cert::NotValidYetContext { .. },
        ) => "the server's certificate is expired or not valid yet: ",
        rustls::Error::InvalidCertificate(_) => "the server's certificate was refused: ",
        rustls::Error::AlertReceived(alert) => alert_hint(&format!("{alert:?}")),
        rustls::Error::PeerIncompatible(_) => {
            "the server and the client have no TLS version or algorithm in common: "
        }
        rustls::Error::InvalidMessage(_) => {
            "the server did not answer in TLS (a plain-http server on this port?): "
        }
        _ => "",
    }
}

/// The explanation of a fatal alert from the server, by the alert's name.
fn alert_hint(alert: &str) -> &'static str {
    match alert.trim() {
        "CertificateRequired"
        | "BadCertificate"
        | "UnknownCA"
        | "CertificateUnknown"
        | "UnsupportedCertificate"
        | "CertificateExpired"
        | "CertificateRevoked"
        | "AccessDenied" => {
            "the server refused the client certificate (client_cert_file, client_key_file), \
             or requires one: "
        }
        "ProtocolVersion" | "HandshakeFailure" | "InsufficientSecurity" => {
            "the server and the client have no TLS version or algorithm in common: "
        }
        _ => "the server broke off the TLS handshake: ",
    }
}

/// A secret to redact, in every form it can come back in: as is; JSON-escaped in any way an
/// encoder may write it (`\uXXXX` for any character in either case, surrogate pairs, `\/`,
/// `\"`...); percent-encoded (any byte, either case, `+` for a space); as HTML entities
/// (`&amp;`, `&lt;`, `&#124;`, `&#x7C;`...); or any mix of these. Rather than listing forms,
/// [`SecretForms::redact`] decodes the text while matching it against the secret.
///
/// Also the longest run of ASCII letters and digits of the secret: a form that writes letters
/// and digits as they are holds it, and one that escapes one of them holds an escape that can
/// stand for a letter or digit, so a text with neither is passed over with two quick searches.
/// Made once per client; wiped when dropped.
pub(crate) struct SecretForms {
    secret: Zeroizing<String>,
    common: Zeroizing<String>,
}

impl SecretForms {
    pub(crate) fn new(secret: &str) -> SecretForms {
        let common = secret
            .split(|c: char| !c.is_ascii_alphanumeric())
            .fold("", |longest, run| {
                if run.len() > longest.len() {
                    run
                } else {
                    longest
                }
            })
            .to_string();
        SecretForms {
            secret: Zeroizing::new(secret.to_string()),
            common: Zeroizing::new(common),
        }
    }

    /// Whether `text` may hold the secret in some form (`false`: it holds none).
    pub(crate) fn may_be_in(&self, text: &str) -> bool {
        !self.secret.is_empty()
            && (text.contains(self.common.as_str()) || escapes_a_letter_or_digit(text.as_bytes()))
    }

    /// `text` with every form of the secret replaced by `<redacted>`.
    pub(crate) fn redact(&self, text: String) -> String {
        if !self.may_be_in(&text) {
            return text;
        }
        let (bytes, secret) = (text.as_bytes(), self.secret.as_bytes());
        let mut out = String::new();
        let (mut copied, mut at) = (0, 0);
        while at < bytes.len() {
            let found = match_secret(bytes, at, secret).and_then(|end| {
                // A match starts and ends on character boundaries (it starts with the secret's
                // first character or an ASCII escape, and ends after a whole character); this
                // only guards the slicing.
                text.get(copied..at).map(|before| (before, end))
            });
            match found {
                Some((before, end)) => {
                    out.push_str(before);
                    out.push_str("<redacted>");
                    (copied, at) = (end, end);
                }
                None => at += 1,
            }
        }
        if copied == 0 {
            return text;
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// Whether `text` holds an escape that can stand for an ASCII letter or digit: `\u003.` to
/// `\u007.`, `%3.` to `%7.`, or `&#`. A form of a secret that does not hold the secret's
/// longest letter-digit run as it is escapes one of its letters or digits so.
fn escapes_a_letter_or_digit(text: &[u8]) -> bool {
    memchr::memchr3_iter(b'\\', b'%', b'&', text).any(|at| {
        matches!(
            &text[at..],
            [b'\\', b'u', b'0', b'0', b'3'..=b'7', ..] | [b'%', b'3'..=b'7', ..] | [b'&', b'#', ..]
        )
    })
}

/// Where a form of `secret` that starts at `text[at]` ends, if one does. The secret as is is
/// tried first (so that a secret that itself looks escaped, like `a&amp;b`, is found); then one
/// unit of the text at a time is decoded (an escape, else one byte as is, or `+` for a space)
/// and compared with what follows in the secret.
fn match_secret(text: &[u8], at: usize, secret: &[u8]) -> Option<usize> {
    if text[at] == secret[0] && text[at..].starts_with(secret) {
        return Some(at + secret.len());
    }
    let (mut pos, mut matched) = (at, 0);
    while matched < secret.len() {
        let want = &secret[matched..];
        if let Some((decoded, used)) = decode_escape(&text[pos..]) {
            if want.starts_with(decoded.as_bytes()) {
                pos += used;
                matched += decoded.len();
                continue;
            }
        }
        match text.get(pos) {
            Some(&b) if b == want[0] || (b == b'+' && want[0] == b' ') => {
                pos += 1;
                matched += 1;
            }
            _ => return None,
        }
    }
    Some(pos)
}

/// What an escape at the start of `text` stands for, and its length: a JSON escape, a
/// percent-encoded byte, or an HTML character reference.
fn decode_escape(text: &[u8]) -> Option<(Decoded, usize)> {
    // Digits only: `from_str_radix` and `parse` would also take a sign.
    let number = |digits: &[u8], radix: u32| -> Option<u32> {
        if digits.is_empty() || !digits.iter().all(|d| char::from(*d).is_digit(radix)) {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()
    };
    let hex = |digits: &[u8]| number(digits, 16);
    match text.first()? {
        b'%' => Some((Decoded::byte(hex(text.get(1..3)?)? as u8), 3)),
        b'\\' => {
            let simple = match text.get(1)? {
                b'"' => b'"',
                b'\\' => b'\\',
                b'/' => b'/',
                b'b' => 0x08,
                b'f' => 0x0c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'u' => {
                    let unit = hex(text.get(2..6)?)?;
                    if (0xD800..0xDC00).contains(&unit) && text.get(6..8) == Some(b"\\u") {
                        let low = hex(text.get(8..12)?)?;
                        let c = char::decode_utf16([unit as u16, low as u16]).next()?.ok()?;
                        return Some((Decoded::char(c), 12));
                    }
                    return Some((Decoded::char(char::from_u32(unit)?), 6));
                }
                _ => return None,
            };
            Some((Decoded::byte(simple), 2))
        }
        b'&' => {
            let end = text.iter().take(12).position(|&b| b == b';')?;
            let name = &text[1..end];
            let c = match name {
                [b'#', b'x' | b'X', digits @ ..] => char::from_u32(hex(digits)?)?,
                [b'#', digits @ ..] => char::from_u32(number(digits, 10)?)?,
                _ => match name.to_ascii_lowercase().as_slice() {
                    b"amp" => '&',
                    b"lt" => '<',
                    b"gt" => '>',
                    b"quot" => '"',
                    b"apos" => '\'',
                    _ => return None,
                },
            };
            Some((Decoded::char(c), end + 1))
        }
        _ => None,
    }
}

/// The bytes an escape stands for: one byte (a percent-encoded one may be part of a
/// character), or a character's UTF-8.
struct Decoded {
    bytes: [u8; 4],
    len: usize,
}

impl Decoded {
    fn byte(b: u8) -> Decoded {
        Decoded {
            bytes: [b, 0, 0, 0],
            len: 1,
        }
    }

    fn char(c: char) -> Decoded {
        let mut bytes = [0; 4];
        let len = c.encode_utf8(&mut bytes).len();
        Decoded { bytes, len }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// At most `max` bytes of `text` (cut at a character boundary) for an error message that
/// quotes it, saying how much was cut: a message quoting an argument or a server text stays of
/// bounded size whatever their size.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let end = (0..=max)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}… ({} bytes cut)", &text[..end], text.len() - end)
}

/// Text for an error message with its control characters escaped (`\n`, `\u{1}`), so that a
/// message quoting something given by the caller or the server stays one readable line.
pub(crate) fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_every_form() {
        let secret = "USER|a b\"c";
        let e = Error::Http {
            status: 500,
            message: format!("echo {secret}"),
            body: r#"{"t":"USER|a b\"c"} q=USER%7Ca%20b%22c f=USER%7ca+b%22c"#.into(),
        }
        .redact(secret);
        let text = format!("{e} {e:?}");
        assert!(!text.contains("USER"), "{text}");
        // Nothing to redact: unchanged.
        let e = Error::Connect("refused".into()).redact(secret);
        assert_eq!(e.to_string(), "connection failed: refused");
        let e = Error::Decode("x".into()).redact("");
        assert_eq!(e.to_string(), "unexpected server response: x");
    }

    #[test]
    fn secret_forms_skip_texts_without_the_longest_run_and_redact_every_form() {
        let forms = SecretForms::new("USER|ab c\"defgh");
        assert_eq!(forms.common.as_str(), "defgh");
        for text in [
            "x USER|ab c\"defgh y",
            r#"{"t":"USER|ab c\"defgh"}"#,
            "q=USER%7Cab%20c%22defgh",
            "q=USER%7cab+c%22defgh",
        ] {
            assert!(forms.may_be_in(text), "{text}");
            assert!(!forms.redact(text.into()).contains("defgh"), "{text}");
        }
        // Without the run: passed over, unchanged, unless an escape may hide one of its letters.
        assert!(!forms.may_be_in("USER|ab c\"defg"));
        assert!(!forms.may_be_in("https://x/?a=1&b=%20&amp;\\n\\u00e9"));
        for hidden in [r"\u0064efgh", "%64efgh", "&#100;efgh", "&#x64;efgh"] {
            assert!(forms.may_be_in(hidden), "{hidden}");
            assert_eq!(forms.redact(format!("USER|ab c\"{hidden}")), "<redacted>");
        }
        assert_eq!(forms.redact("USER|ab".into()), "USER|ab");
        // A secret without letters or digits: every text is searched for every form.
        let forms = SecretForms::new("|%|");
        assert!(forms.may_be_in("nothing"));
        assert_eq!(forms.redact("a |%| b".into()), "a <redacted> b");
        // Nothing to hide.
        let forms = SecretForms::new("");
        assert!(!forms.may_be_in("anything"));
        assert_eq!(forms.redact("anything".into()), "anything");
    }

    #[test]
    fn secrets_are_found_however_they_are_escaped_and_mixed() {
        let forms = SecretForms::new("USER|a b/é😀&<x>");
        for text in [
            "USER|a b/é😀&<x>",
            r"USER\u007ca b\/\u00e9\ud83d\ude00\u0026\u003cx\u003e",
            r"USER\u007Ca\u0020b\u002F\u00E9\uD83D\uDE00\u0026\u003Cx\u003E",
            r"\u0055\u0053\u0045\u0052|a b/é😀&<x>",
            "USER%7Ca+b%2F%C3%A9%F0%9F%98%80%26%3Cx%3E",
            "USER%7ca%20b/%c3%a9%f0%9f%98%80&%3cx%3e",
            "USER&#124;a b/&#233;&#x1F600;&amp;&lt;x&gt;",
            "USER&#X7c;a b/é😀&AMP;&LT;x&GT;",
        ] {
            let redacted = forms.redact(format!("[{text}] [{text}]"));
            assert_eq!(redacted, "[<redacted>] [<redacted>]", "{text}");
        }
        // Near misses and broken escapes are left as they are.
        for text in [
            "USER|a b/é😀&<y>",
            r"USER\u007a b",
            r"USER\ud83d|a",
            "USER%7|a",
            "USER%+7ca b",
            "USER&#+124;a b",
            "USER&#124a b",
            "%",
            "\\",
            "&",
            "&#;",
            "&#x;",
            r"\u12",
            "%é",
        ] {
            assert_eq!(forms.redact(text.to_string()), text);
        }
        // A secret that looks escaped is found as it is, and decoded.
        let forms = SecretForms::new("p&amp;%41\\u0041");
        assert_eq!(
            forms.redact("p&amp;%41\\u0041 p&amp;amp;%2541%5Cu0041".into()),
            "<redacted> <redacted>"
        );
    }

    #[test]
    fn tls_failures_are_found_inside_nested_io_errors() {
        use std::io::{Error as IoError, ErrorKind};
        // As hyper-rustls reports a refused server certificate: Other around InvalidData around
        // the rustls error (io::Error::source alone would skip it).
        let inner = IoError::new(
            ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        let outer = IoError::other(inner);
        assert_eq!(sources(&outer).count(), 3);
        let hint = tls_failure(&outer).expect("a TLS failure");
        assert!(hint.contains("trusted authority"), "{hint}");
        // An alert read after the handshake, as text.
        let alert = IoError::new(
            ErrorKind::InvalidData,
            "received fatal alert: CertificateRequired",
        );
        assert!(tls_failure(&alert).unwrap().contains("client certificate"));
        let alert = IoError::new(
            ErrorKind::InvalidData,
            rustls::Error::AlertReceived(rustls::AlertDescription::UnknownCA),
        );
        assert!(tls_failure(&alert).unwrap().contains("client certificate"));
        // Not TLS.
        let reset = IoError::other(IoError::from(ErrorKind::ConnectionReset));
        assert!(tls_failure(&reset).is_none());
        // Redacted like any message.
        let e = Error::Tls("x USER|t".into()).redact("USER|t");
        assert_eq!(e.to_string(), "TLS failed: x <redacted>");
    }

    #[test]
    fn redirects_say_they_were_not_followed() {
        let e = Error::of_status(302, None, String::new());
        assert!(e.to_string().contains("redirect not followed"), "{e}");
    }
}
