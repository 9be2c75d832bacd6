//! Signatures on what Kehu posts, so a receiver can tell it came from Kehu and was not
//! replayed: the Standard Webhooks scheme for HTTP receivers, and the group robots' own
//! 加签 schemes (钉钉 signs the URL, 飞书 the body). All are HMAC-SHA256.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use kehu_domain::error::AppResult;
use kehu_domain::platform::webhooks::SECRET_PREFIX;

use crate::internal::internal;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    };
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// A fresh secret for an HTTP receiver: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| internal(format!("no randomness: {e}")))?;
    Ok(format!("{SECRET_PREFIX}{}", BASE64.encode(bytes)))
}

/// The `webhook-signature` header of Standard Webhooks: `v1,` and the base64 HMAC-SHA256,
/// keyed with the secret's decoded bytes, of `{id}.{timestamp}.{body}`.
pub fn standard_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    // A secret Kehu made always decodes; anything else signs with its bytes as they are.
    let key = BASE64.decode(encoded).unwrap_or_else(|_| encoded.as_bytes().to_vec());
    let signed = format!("{id}.{timestamp}.{body}");
    format!("v1,{}", BASE64.encode(hmac(&key, signed.as_bytes())))
}

/// 钉钉's 加签: `timestamp` (milliseconds) and `sign` added to the robot's URL, the sign being
/// the base64 HMAC-SHA256, keyed with the secret, of `"{timestamp}\n{secret}"`, URL-encoded.
pub fn dingtalk_url(url: &str, secret: &str, timestamp_ms: i64) -> String {
    let sign = BASE64.encode(hmac(secret.as_bytes(), format!("{timestamp_ms}\n{secret}").as_bytes()));
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}timestamp={timestamp_ms}&sign={}", url_encode(&sign))
}

/// 飞书's 加签: the base64 HMAC-SHA256 keyed with `"{timestamp}\n{secret}"` of nothing, with
/// `timestamp` in seconds; both go into the body.
pub fn feishu_sign(secret: &str, timestamp: i64) -> String {
    BASE64.encode(hmac(format!("{timestamp}\n{secret}").as_bytes(), b""))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_webhooks_reference_signature() {
        // The example of the Standard Webhooks specification (its test vector).
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(standard_signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_fresh_secret_is_random_and_decodes() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(SECRET_PREFIX));
        assert_eq!(BASE64.decode(&a[SECRET_PREFIX.len()..]).unwrap().len(), 32);
    }

    #[test]
    fn dingtalk_signs_the_url() {
        let url = dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", 1_700_000_000_000);
        let expected = BASE64.encode(hmac(b"SECabc", b"1700000000000\nSECabc"));
        assert!(url.starts_with("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign="));
        assert!(url.ends_with(&url_encode(&expected)));
        let sign = url.rsplit("sign=").next().unwrap();
        assert!(!sign.contains(['+', '/', '=']), "base64 characters are encoded: {sign}");
        assert_eq!(url_encode("a+b/c="), "a%2Bb%2Fc%3D");
    }

    #[test]
    fn feishu_signs_with_the_timestamp_and_secret_as_key() {
        let sign = feishu_sign("s3cret", 1_700_000_000);
        assert_eq!(sign, BASE64.encode(hmac(b"1700000000\ns3cret", b"")));
        assert_ne!(sign, feishu_sign("s3cret", 1_700_000_001));
    }
}
