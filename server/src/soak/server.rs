//! A real Kehu server for the harness: the `kehu` binary started as a child process on a
//! store and a free loopback port, waited for until `/healthz` answers, and stopped — gently,
//! or with SIGKILL.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::client::{Extra, Http};

pub struct Server {
    child: Child,
    pub http: Http,
    pub log: PathBuf,
}

/// A loopback port nothing listens on now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Creates a user with `kehu user add` (the password on standard input); an existing one is
/// left as it is.
pub fn add_user(bin: &Path, data: &str, username: &str, password: &str, role: &str) -> Result<(), String> {
    use std::io::Write;
    let mut child = Command::new(bin)
        .args(["user", "add", "--username", username, "--role", role, "--data", data])
        .env("KEHU_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    if let Some(stdin) = child.stdin.as_mut() {
        let _ = writeln!(stdin, "{password}");
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() || err.contains("UsernameTaken") {
        Ok(())
    } else {
        Err(format!("kehu user add {username}: {err}"))
    }
}

impl Server {
    /// Starts `bin serve` on `data` and waits until it answers. A store the harness itself
    /// just closed releases its lock in the background: a start refused for the lock is
    /// tried again for a few seconds.
    pub async fn start(bin: &Path, data: &str, log: &Path) -> Result<Server, String> {
        let mut tries = 0;
        loop {
            match Self::start_once(bin, data, log).await {
                Err(e) if e.contains("exited") && tries < 50 && last_line_says(log, "locked") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                other => return other,
            }
        }
    }

    async fn start_once(bin: &Path, data: &str, log: &Path) -> Result<Server, String> {
        let port = free_port().map_err(|e| e.to_string())?;
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().map_err(|e| format!("{e}"))?;
        let file = std::fs::OpenOptions::new().create(true).append(true).open(log).map_err(|e| e.to_string())?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .args(["serve", "--listen", &addr.to_string(), "--data", data])
            .env("KEHU_LOG", "warn")
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut server = Server { child, http: Http { addr }, log: log.to_path_buf() };
        let started = Instant::now();
        // A store killed mid-write may take a moment to recover its log before it opens.
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(reply) = server.http.send("GET", "/healthz", &Extra::default(), b"").await {
                if reply.status == 200 {
                    return Ok(server);
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("the server exited ({status}) before answering; see {}", log.display()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.kill();
        Err(format!("the server did not answer within 2 minutes; see {}", log.display()))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process, in MiB (Linux).
    pub fn rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let kb: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }

    /// SIGKILL: no shutdown, no flush — what a power cut or the OOM killer does.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and waits for the server to stop by itself.
    pub fn stop(mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.pid().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
    }

    /// Whether the log says something panicked.
    pub fn panics(&self) -> usize {
        std::fs::read_to_string(&self.log).map(|t| t.matches("panicked").count()).unwrap_or(0)
    }
}

fn last_line_says(log: &Path, what: &str) -> bool {
    std::fs::read_to_string(log).ok().and_then(|t| t.lines().last().map(|l| l.contains(what))).unwrap_or(false)
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill();
        }
    }
}
