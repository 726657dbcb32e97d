//! Request authentication (spec §2, §10.3): `ss-api-key`, `ss-request-timestamp` and
//! `ss-request-signature` = lowercase hex HMAC-SHA256(secret, key + path + timestamp + body),
//! where the path is the request target up to `?` exactly as received and the body the exact
//! bytes received (for multipart uploads the `requestData` field). Also the PBKDF2 checksum of
//! §3.3, built on the same HMAC.

use crate::sendsafely::config::User;
use crate::sendsafely::error::SsError;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The three headers every API call carries.
pub const KEY_HEADER: &str = "ss-api-key";
pub const TIMESTAMP_HEADER: &str = "ss-request-timestamp";
pub const SIGNATURE_HEADER: &str = "ss-request-signature";

/// The signature of a request, lowercase hex.
pub fn sign(api_key: &str, secret: &str, path: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(api_key.as_bytes());
    mac.update(path.as_bytes());
    mac.update(timestamp.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Parses `yyyy-MM-dd'T'HH:mm:ss+0000` exactly (no fraction, no other offset, no `Z`).
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 24
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'+',
            20..=23 => *b == b'0',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    NaiveDateTime::parse_from_str(&text[..19], "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

/// The timestamp header value for `t`.
pub fn format_timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

/// What a request must pass, beside the users.
pub struct Check<'a> {
    pub headers: &'a HeaderMap,
    /// The request target up to `?`, as received.
    pub raw_path: &'a str,
    /// The signed body: the bytes received, or a multipart upload's `requestData`.
    pub body: &'a [u8],
    /// The host's clock (the window is not checked against the emulated clock).
    pub now: DateTime<Utc>,
    pub window_s: i64,
    pub failure_status: StatusCode,
}

/// The user whose key signed the request, or `AUTHENTICATION_FAILED` (never a panic on a
/// missing or malformed header). Returns the signature too, for replay detection.
pub fn authenticate(check: &Check<'_>, users: &[User]) -> Result<(User, String), SsError> {
    let fail = |why: &str| SsError::auth(check.failure_status, why.to_string());
    let header = |name: &str| -> Result<&str, SsError> {
        match check.headers.get(name) {
            None => Err(fail(&format!("Missing header {name}"))),
            Some(v) => v
                .to_str()
                .map_err(|_| fail(&format!("Malformed header {name}"))),
        }
    };
    let key = header(KEY_HEADER)?;
    let timestamp = header(TIMESTAMP_HEADER)?;
    let signature = header(SIGNATURE_HEADER)?;
    let user = users
        .iter()
        .find(|u| u.api_key == key)
        .ok_or_else(|| fail("Invalid API key"))?;
    let at = parse_timestamp(timestamp)
        .ok_or_else(|| fail("Invalid request timestamp (expected yyyy-MM-ddTHH:mm:ss+0000)"))?;
    if (check.now - at).num_seconds().abs() > check.window_s {
        return Err(fail("Request timestamp outside the allowed window"));
    }
    let given = hex::decode(signature).map_err(|_| fail("Invalid request signature"))?;
    let mut mac = HmacSha256::new_from_slice(user.api_secret.as_bytes()).expect("any key");
    mac.update(key.as_bytes());
    mac.update(check.raw_path.as_bytes());
    mac.update(timestamp.as_bytes());
    mac.update(check.body);
    // Constant-time comparison.
    mac.verify_slice(&given)
        .map_err(|_| fail("Invalid request signature"))?;
    Ok((user.clone(), signature.to_ascii_lowercase()))
}

/// The link checksum of §3.3: hex(PBKDF2-HMAC-SHA256(keycode, packageCode, 1024, 32)).
pub fn checksum(keycode: &str, package_code: &str) -> String {
    // One block: the output is exactly the size of the digest.
    let prf = |data: &[&[u8]]| {
        let mut mac = HmacSha256::new_from_slice(keycode.as_bytes()).expect("any key");
        for d in data {
            mac.update(d);
        }
        mac.finalize().into_bytes()
    };
    let mut u = prf(&[package_code.as_bytes(), &1u32.to_be_bytes()]);
    let mut out = u;
    for _ in 1..1024 {
        u = prf(&[&u]);
        for (o, b) in out.iter_mut().zip(u.iter()) {
            *o ^= b;
        }
    }
    hex::encode(out)
}

/// Whether `text` is 64 lowercase hex characters.
pub fn is_checksum(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_signatures_and_checksum() {
        // SF-02, SF-03, SF-07 of the spec.
        let (k, s, t) = (
            "EXAMPLE-API-KEY",
            "EXAMPLE-API-SECRET",
            "2024-01-02T03:04:05+0000",
        );
        assert_eq!(
            sign(k, s, "/api/v2.0/package/", t, br#"{"vdr":false}"#),
            "d815cc29c8886a454411dc6108385f019102359b662aa8797767a76abae4ac91"
        );
        assert_eq!(
            sign(k, s, "/api/v2.0/package", t, b""),
            "def1bf44fd1f3c5b878cb124755bce2171b715e0bbcdd7cfcaef2a7ee944418e"
        );
        assert_eq!(
            checksum(
                "Xk3Zt9Qq1VYb7rJmW0cN2dF5gH8iL4oP6sT-uA_eR2w",
                "E8FfOCwV4His4tlezIGi07qi0bQhxGQHcqVKYcqPcgg"
            ),
            "83ff20c4b06642a054736fa1bc23664e2ac12377e68dc7d2b1a9095e7a73abac"
        );
    }

    #[test]
    fn timestamps_are_exact() {
        assert!(parse_timestamp("2024-01-02T03:04:05+0000").is_some());
        for bad in [
            "2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05.000+0000",
            "2024-01-02T03:04:05+0100",
            "2024-13-02T03:04:05+0000",
            "2024-01-02 03:04:05+0000",
            "",
            "2024-01-02T03:04:05+0000 ",
        ] {
            assert!(parse_timestamp(bad).is_none(), "{bad}");
        }
        let t = parse_timestamp("2024-01-02T03:04:05+0000").unwrap();
        assert_eq!(format_timestamp(t), "2024-01-02T03:04:05+0000");
    }
}
