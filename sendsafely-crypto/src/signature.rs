//! The request signature (§2): HMAC-SHA256(secret, apiKey + path + timestamp + body), lowercase hex.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(api_secret: &str, api_key: &str, path: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(api_secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(api_key.as_bytes());
    mac.update(path.as_bytes());
    mac.update(timestamp.as_bytes());
    mac.update(body);
    mac
}

/// The `ss-request-signature` of a request: `path` without its query, `body` the exact bytes sent.
pub fn sign(api_secret: &str, api_key: &str, path: &str, timestamp: &str, body: &[u8]) -> String {
    hex::encode(
        mac(api_secret, api_key, path, timestamp, body)
            .finalize()
            .into_bytes(),
    )
}

/// Whether `signature` (hex, either case) is the request's signature, compared in constant time.
pub fn verify(
    api_secret: &str,
    api_key: &str,
    path: &str,
    timestamp: &str,
    body: &[u8],
    signature: &str,
) -> bool {
    let Ok(given) = hex::decode(signature) else {
        return false;
    };
    mac(api_secret, api_key, path, timestamp, body)
        .verify_slice(&given)
        .is_ok()
}

/// The `ss-request-timestamp` of a moment given in seconds since the Unix epoch (UTC):
/// `yyyy-MM-dd'T'HH:mm:ss+0000`.
pub fn timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+0000",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_of_known_moments() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00+0000");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00+0000");
        assert_eq!(timestamp(1_764_822_896), "2025-12-04T04:34:56+0000");
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59+0000");
    }

    #[test]
    fn a_signature_verifies_and_near_misses_do_not() {
        let s = sign(
            "secret",
            "key",
            "/api/v2.0/user/",
            "2024-01-01T00:00:00+0000",
            b"",
        );
        assert_eq!(s.len(), 64);
        let ts = "2024-01-01T00:00:00+0000";
        assert!(verify("secret", "key", "/api/v2.0/user/", ts, b"", &s));
        assert!(verify(
            "secret",
            "key",
            "/api/v2.0/user/",
            ts,
            b"",
            &s.to_uppercase()
        ));
        assert!(!verify("secret", "key", "/api/v2.0/user", ts, b"", &s));
        assert!(!verify("secret", "key", "/api/v2.0/user/", ts, b" ", &s));
        assert!(!verify("other", "key", "/api/v2.0/user/", ts, b"", &s));
        assert!(!verify("secret", "key", "/api/v2.0/user/", ts, b"", "zz"));
        assert!(!verify("secret", "key", "/api/v2.0/user/", ts, b"", ""));
    }
}
