//! Just enough HTTP/1.1 to drive a running Kehu from outside, as a browser or a script would:
//! one connection per request (`Connection: close`), bodies with their length, chunked
//! answers decoded. No client crate for a harness that sends JSON to localhost.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long one request may take before it counts as unanswered.
const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Clone, Copy)]
pub struct Http {
    pub addr: SocketAddr,
}

/// What a request carries besides its method, path and body.
#[derive(Default, Clone)]
pub struct Extra<'a> {
    pub session: Option<&'a str>,
    /// `X-Forwarded-For`, as a reverse proxy on this machine would send it.
    pub forwarded_for: Option<&'a str>,
    pub content_type: Option<&'a str>,
    /// `Authorization`, e.g. `Bearer <token>`.
    pub authorization: Option<&'a str>,
}

impl Http {
    pub async fn send(&self, method: &str, path: &str, extra: &Extra<'_>, body: &[u8]) -> std::io::Result<Reply> {
        self.send_within(TIMEOUT, method, path, extra, body).await
    }

    /// A request that may take up to `timeout` (a backup of a large store).
    pub async fn send_within(&self, timeout: Duration, method: &str, path: &str, extra: &Extra<'_>, body: &[u8]) -> std::io::Result<Reply> {
        tokio::time::timeout(timeout, self.send_now(method, path, extra, body))
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, format!("{method} {path}: no answer in {timeout:?}")))?
    }

    async fn send_now(&self, method: &str, path: &str, extra: &Extra<'_>, body: &[u8]) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(self.addr).await?;
        let host = self.addr.to_string();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nConnection: close\r\nAccept: application/json\r\n");
        if let Some(s) = extra.session {
            head.push_str(&format!("Cookie: kehu_session={s}\r\n"));
        }
        if let Some(a) = extra.authorization {
            head.push_str(&format!("Authorization: {a}\r\n"));
        }
        if let Some(f) = extra.forwarded_for {
            head.push_str(&format!("X-Forwarded-For: {f}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Type: {}\r\nContent-Length: {}\r\n", extra.content_type.unwrap_or("application/json"), body.len()));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        // A server may answer (413) and close before a large body is all sent: the answer is
        // still there to read.
        let sent = stream.write_all(body).await;
        let mut raw = Vec::new();
        let read = stream.read_to_end(&mut raw).await;
        match (parse(&raw), sent, read) {
            (Ok(reply), _, _) => Ok(reply),
            (Err(_), Err(e), _) | (Err(_), Ok(()), Err(e)) => Err(e),
            (Err(e), Ok(()), Ok(_)) => Err(e),
        }
    }

    /// A server function called with JSON arguments.
    pub async fn call(&self, path: &str, extra: &Extra<'_>, args: &serde_json::Value) -> std::io::Result<Reply> {
        self.send("POST", path, extra, args.to_string().as_bytes()).await
    }
}

fn parse(raw: &[u8]) -> std::io::Result<Reply> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| bad("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).ok_or_else(|| bad("no status"))?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Ok(Reply { status, headers, body })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        let stop = (start + size).min(data.len());
        out.extend_from_slice(&data[start..stop]);
        data = &data[(stop + 2).min(data.len())..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_plain_and_chunked() {
        let plain = parse(b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}").unwrap();
        assert_eq!((plain.status, plain.body.as_slice(), plain.header("Content-Type")), (401, &b"{}"[..], Some("application/json")));
        let chunked = parse(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").unwrap();
        assert_eq!(chunked.text(), "hello world");
    }
}
