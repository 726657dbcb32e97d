//! Request authentication (spec §2, §10.3): `ss-api-key`, `ss-request-timestamp` and
//! `ss-request-signature`, verified with sendsafely-crypto's signature over the request target
//! up to `?` exactly as received and the exact bytes received (for multipart uploads the
//! `requestData` field).

use crate::sendsafely::config::User;
use crate::sendsafely::error::SsError;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDateTime, Utc};
use sendsafely_crypto::signature;

/// The three headers every API call carries.
pub const KEY_HEADER: &str = "ss-api-key";
pub const TIMESTAMP_HEADER: &str = "ss-request-timestamp";
pub const SIGNATURE_HEADER: &str = "ss-request-signature";

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
    signature::timestamp(t.timestamp())
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
    let given = header(SIGNATURE_HEADER)?;
    let user = users
        .iter()
        .find(|u| u.api_key == key)
        .ok_or_else(|| fail("Invalid API key"))?;
    let at = parse_timestamp(timestamp)
        .ok_or_else(|| fail("Invalid request timestamp (expected yyyy-MM-ddTHH:mm:ss+0000)"))?;
    if (check.now - at).num_seconds().abs() > check.window_s {
        return Err(fail("Request timestamp outside the allowed window"));
    }
    let signed = signature::verify(
        &user.api_secret,
        key,
        check.raw_path,
        timestamp,
        check.body,
        given,
    );
    if !signed {
        return Err(fail("Invalid request signature"));
    }
    Ok((user.clone(), given.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendsafely_crypto::secrets::checksum;
    use sendsafely_crypto::signature::sign;

    #[test]
    fn golden_signatures_and_checksum() {
        // SF-02, SF-03, SF-07 of the spec.
        let (k, s, t) = (
            "EXAMPLE-API-KEY",
            "EXAMPLE-API-SECRET",
            "2024-01-02T03:04:05+0000",
        );
        assert_eq!(
            sign(s, k, "/api/v2.0/package/", t, br#"{"vdr":false}"#),
            "d815cc29c8886a454411dc6108385f019102359b662aa8797767a76abae4ac91"
        );
        assert_eq!(
            sign(s, k, "/api/v2.0/package", t, b""),
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
