//! The request paths SendSecure's server accepts beside its routes: an optional `.json`
//! (spec §13.4) and cs's malformed queries.

use axum::http::Uri;

/// Rewrites a request path the way the SendSecure server routes it: a `.json` suffix on the last
/// segment is dropped, and cs's malformed `…/safeboxes.json&locale=en` (no `?`) is split into
/// path and query.
pub fn normalize_uri(uri: &Uri) -> Option<Uri> {
    let mut path = uri.path().to_string();
    let mut query = uri.query().map(str::to_string);
    if query.is_none() {
        if let Some((p, q)) = path.split_once('&') {
            query = Some(q.to_string());
            path = p.to_string();
        }
    }
    if let Some(stripped) = path.strip_suffix(".json") {
        path = stripped.to_string();
    }
    if path == uri.path() && query.as_deref() == uri.query() {
        return None;
    }
    let path_and_query = match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    Uri::from_parts(parts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let uri: Uri = s.parse().unwrap();
        normalize_uri(&uri)
            .map(|u| u.to_string())
            .unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn json_suffix_and_cs_malformed_queries_are_normalized() {
        assert_eq!(
            norm("/api/v2/safeboxes/new.json?user_email=a@b.c"),
            "/api/v2/safeboxes/new?user_email=a@b.c"
        );
        assert_eq!(
            norm("/api/v2/safeboxes.json&locale=en"),
            "/api/v2/safeboxes?locale=en"
        );
        assert_eq!(
            norm("/api/v2/safeboxes/abc.json&locale=en"),
            "/api/v2/safeboxes/abc?locale=en"
        );
        assert_eq!(
            norm("/api/v2/safeboxes/abc/messages/1/read"),
            "/api/v2/safeboxes/abc/messages/1/read"
        );
    }
}
