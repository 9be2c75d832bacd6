//! One try of one delivery: the request signed for its target, sent with a timeout and no
//! redirects, and what came back judged — delivered, failed (to be tried again), or gone
//! (410: the receiver unsubscribes). Robots answer 200 with an error code in the body when
//! they refuse a message (a wrong signature, a throttled group); that counts as a failure.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use reqwest::Client;

use kehu_domain::platform::webhooks::WebhookTarget;

use super::sign::{dingtalk_url, feishu_sign, standard_signature};
use crate::store::webhooks::{DeliveryRecord, WebhookRecord};

/// How long a receiver may take to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of an answer is read (enough for a robot's error message).
const ANSWER_MAX: usize = 16 * 1024;

pub fn client() -> Result<Client, reqwest::Error> {
    Client::builder().timeout(TIMEOUT).connect_timeout(TIMEOUT).redirect(reqwest::redirect::Policy::none()).build()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered { code: u16, ms: u32 },
    Failed { code: Option<u16>, ms: u32, error: String },
    /// 410 Gone: stop sending to this subscription.
    Gone { code: u16, ms: u32 },
}

/// Sends `delivery` to `hook` now (`now` is the signature's time).
pub async fn try_delivery(client: &Client, hook: &WebhookRecord, delivery: &DeliveryRecord, now: DateTime<Utc>) -> Outcome {
    let target = hook.target();
    let (url, body) = match target {
        WebhookTarget::Dingtalk if !hook.secret.is_empty() => (dingtalk_url(&hook.url, &hook.secret, now.timestamp_millis()), delivery.body.clone()),
        WebhookTarget::Feishu if !hook.secret.is_empty() => (hook.url.clone(), feishu_signed(&delivery.body, &hook.secret, now.timestamp())),
        _ => (hook.url.clone(), delivery.body.clone()),
    };
    let mut request = client.post(url).header(CONTENT_TYPE, "application/json").header(USER_AGENT, "Kehu-Webhooks/1");
    if target == WebhookTarget::Http {
        // Standard Webhooks: the id stays the same on every retry (receivers drop repeats by
        // it); the timestamp and signature are made afresh.
        let id = crate::store::ids::key_of(&delivery.id);
        let timestamp = now.timestamp();
        request = request
            .header("webhook-id", id.clone())
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", standard_signature(&hook.secret, &id, timestamp, &body));
    }
    let started = Instant::now();
    let sent = request.body(body).send().await;
    let ms = || u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Outcome::Failed { code: None, ms: ms(), error: describe(&e) },
    };
    let code = response.status().as_u16();
    let answer = read_some(response).await;
    let ms = ms();
    if code == 410 {
        return Outcome::Gone { code, ms };
    }
    if !(200..300).contains(&code) {
        return Outcome::Failed { code: Some(code), ms, error: format!("HTTP {code} {}", snippet(&answer)) };
    }
    match target.is_robot().then(|| robot_refusal(&answer)).flatten() {
        Some(error) => Outcome::Failed { code: Some(code), ms, error },
        None => Outcome::Delivered { code, ms },
    }
}

/// 飞书 wants the timestamp (a string of seconds) and signature inside the body.
fn feishu_signed(body: &str, secret: &str, timestamp: i64) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut map)) => {
            map.insert("timestamp".into(), timestamp.to_string().into());
            map.insert("sign".into(), feishu_sign(secret, timestamp).into());
            serde_json::Value::Object(map).to_string()
        }
        _ => body.to_string(),
    }
}

/// A robot's refusal inside a 200 answer: 企业微信 and 钉钉 say `errcode` (0 is fine), 飞书
/// says `code` (or `StatusCode` in its older answers).
fn robot_refusal(answer: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(answer).ok()?;
    let code = ["errcode", "code", "StatusCode"].iter().find_map(|k| value.get(*k)).and_then(|c| c.as_i64())?;
    (code != 0).then(|| {
        let message = ["errmsg", "msg", "StatusMessage"].iter().find_map(|k| value.get(*k)).and_then(|m| m.as_str()).unwrap_or("");
        format!("robot refused ({code}): {}", snippet(message))
    })
}

async fn read_some(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        bytes.extend_from_slice(&chunk);
        if bytes.len() >= ANSWER_MAX {
            bytes.truncate(ANSWER_MAX);
            break;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn snippet(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(200).collect();
    one_line.trim().to_string()
}

/// Why a request got no answer, for the delivery log (without the URL: a robot's URL holds
/// its access token).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("no answer within {} s", TIMEOUT.as_secs())
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        let mut text = String::from("request failed");
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text = s.to_string();
            source = s.source();
        }
        snippet(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_refuse_inside_a_200() {
        assert_eq!(robot_refusal(r#"{"errcode":0,"errmsg":"ok"}"#), None);
        assert_eq!(robot_refusal(r#"{"code":0,"msg":"success"}"#), None);
        assert_eq!(robot_refusal(r#"{"errcode":310000,"errmsg":"sign not match"}"#).unwrap(), "robot refused (310000): sign not match");
        assert_eq!(robot_refusal(r#"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#).unwrap().split(':').next(), Some("robot refused (19021)"));
        assert_eq!(robot_refusal("not json"), None);
    }

    #[test]
    fn feishu_gets_its_signature_in_the_body() {
        let signed: serde_json::Value = serde_json::from_str(&feishu_signed(r#"{"msg_type":"text"}"#, "s", 1_700_000_000)).unwrap();
        assert_eq!(signed["timestamp"], "1700000000");
        assert_eq!(signed["sign"], feishu_sign("s", 1_700_000_000));
        assert_eq!(signed["msg_type"], "text");
    }
}
