//! Telling a same-site request from a cross-site one, for CSRF protection.

use axum::http::header::{HOST, ORIGIN};
use axum::http::HeaderMap;

/// False for a request a browser marks as coming from another site: an `Origin` whose host
/// is not this server's, or `Sec-Fetch-Site: cross-site`/`same-site`. True when neither
/// header is there (not a browser, so no victim's cookies).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return host.is_some_and(|h| h.eq_ignore_ascii_case(origin_host));
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => matches!(site, "same-origin" | "none"),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn same_site_requests_pass() {
        assert!(same_origin(&headers(&[("host", "crm.example.cn"), ("origin", "https://crm.example.cn")])));
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[])), "not a browser");
    }

    #[test]
    fn cross_site_requests_are_refused() {
        assert!(!same_origin(&headers(&[("host", "crm.example.cn"), ("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3001")])));
        assert!(!same_origin(&headers(&[("host", "crm.example.cn"), ("origin", "null")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("origin", "https://crm.example.cn")])), "no host to compare with");
    }
}
