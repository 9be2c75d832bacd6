//! `kehu cluster`: several replicas on one SurrealDB server, for real. It starts a SurrealDB
//! server (`surreal start`, in memory, on a loopback port, over TLS with a certificate from a
//! throwaway CA) and two Kehu servers on it (child processes of this binary, reaching it at
//! `wss://` and told to trust that CA), then proves and measures what replicas promise (see
//! `kehu_backend::replica`):
//! - a customer created on one is in the other's list and search, both ways, within a
//!   second (the delays' p50 and p99 printed);
//! - both written to at once, several requests in flight on each: writes per second, and
//!   every customer written listed on both;
//! - the background work runs on one of them, and moves to the other within one lease
//!   period when its holder is killed with SIGKILL;
//! - a replica restarted after a kill shows what was written while it was down, and follows
//!   the others again.
//!
//! Run by `./kehu.sh cluster`, which installs the SurrealDB server once; kept out of the
//! main test run because that build takes a long while.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kehu_backend::replica::lease;
use kehu_backend::store::db::{Credentials, Db, Remote};
use kehu_backend::store::feed::{feed, last_stamp, Since};
use crate::cluster_client::{create, listed, wait_for, GIVE_UP};
use crate::soak::server::{add_user, free_port, Server};
use crate::soak::{percentile, sign_in};
use crate::test_certificates::{self, Certificates};

const ROOT_USER: &str = "root";
const ROOT_PASS: &str = "cluster-check-root";
const PASSWORD: &str = "a long cluster password";

pub struct Options {
    /// The `surreal` binary.
    pub surreal: PathBuf,
    /// This binary (the replicas).
    pub bin: PathBuf,
    /// Customers written per direction.
    pub rounds: usize,
    /// How long both replicas are written to at once (0: not).
    pub write_seconds: u64,
}

/// The SurrealDB server, stopped when dropped.
struct Surreal(Child);

impl Drop for Surreal {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_surreal(bin: &Path, certs: &Certificates, log: &Path) -> Result<(Surreal, String), String> {
    let port = free_port().map_err(|e| e.to_string())?;
    let file = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let err = file.try_clone().map_err(|e| e.to_string())?;
    let (cert, key) = (certs.cert.display().to_string(), certs.key.display().to_string());
    let child = Command::new(bin)
        .args(["start", "--bind", &format!("127.0.0.1:{port}"), "--user", ROOT_USER, "--pass", ROOT_PASS, "--web-crt", &cert, "--web-key", &key, "memory"])
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e} (./kehu.sh cluster installs it)", bin.display()))?;
    let surreal = Surreal(child);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Ok((surreal, format!("wss://localhost:{port}")));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("SurrealDB did not listen within 30 s; see {}", log.display()))
}

/// Who holds the background-work lease now ("" if nobody), read from the store.
async fn lease_holder(db: &Db) -> Result<String, String> {
    let holders: Vec<String> = db
        .query("SELECT VALUE holder FROM lease WHERE until > time::now()")
        .await
        .map_err(|e| e.to_string())?
        .take(0)
        .map_err(|e| e.to_string())?;
    Ok(holders.into_iter().next().unwrap_or_default())
}

pub async fn run(options: Options) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("kehu-cluster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = check(&options, &dir).await;
    match &result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Err(_) => eprintln!("logs kept in {}", dir.display()),
    }
    result
}

async fn check(options: &Options, dir: &Path) -> Result<(), String> {
    let certs = test_certificates::make(&dir.join("tls"))?;
    let (_surreal, data) = start_surreal(&options.surreal, &certs, &dir.join("surreal.log")).await?;
    // The replicas (children) read the store's credentials and CA from the environment.
    std::env::set_var("KEHU_DB_USER", ROOT_USER);
    std::env::set_var("KEHU_DB_PASS", ROOT_PASS);
    std::env::set_var("KEHU_DB_CA", &certs.ca);
    let remote = Remote { credentials: Some(Credentials { username: ROOT_USER.into(), password: ROOT_PASS.into() }), ca_file: Some(certs.ca.clone()) };
    let db = kehu_backend::store::open::open(&data, &remote).await.map_err(|e| e.to_string())?;
    println!("store: SurrealDB at {data} (TLS, a test CA's certificate)");
    add_user(&options.bin, &data, "boss", PASSWORD, "admin")?;

    // The first replica takes the background work; then the second starts beside it.
    let mut a = Server::start(&options.bin, &data, &dir.join("a.log")).await?;
    let first_holder = {
        let db = &db;
        wait_for("the first replica taking the background work", Duration::from_secs(20), || async move { Ok(!lease_holder(db).await?.is_empty()) }).await?;
        lease_holder(&db).await?
    };
    let b = Server::start(&options.bin, &data, &dir.join("b.log")).await?;
    let (session_a, session_b) = (sign_in(a.http, "boss", PASSWORD, None).await?, sign_in(b.http, "boss", PASSWORD, None).await?);

    // Writes on each, seen on the other.
    let mut delays = Vec::new();
    for i in 0..options.rounds {
        for (writer, w_session, reader, r_session, from) in [(a.http, &session_a, b.http, &session_b, "a"), (b.http, &session_b, a.http, &session_a, "b")] {
            let name = format!("集群客户{from}{i:04}");
            create(writer, w_session, &name).await?;
            let seen = wait_for(&format!("{name} written on replica {from}"), GIVE_UP, || listed(reader, r_session, &name)).await?;
            delays.push(seen);
        }
    }
    let look = Instant::now();
    let newest = last_stamp(&db).await.map_err(|e| e.to_string())?.unwrap_or_default();
    let finding = look.elapsed();
    let look = Instant::now();
    feed(&db, Since::Stamp(newest + 1), 500).await.map_err(|e| e.to_string())?;
    println!(
        "feed: a look for new commits takes {} ms; finding the newest commit (where a replica starts) {} ms",
        look.elapsed().as_millis(),
        finding.as_millis()
    );
    println!(
        "visibility: {} writes, seen on the other replica after p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        delays.len(),
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        percentile(&delays, 1.0)
    );

    // Both written to at once: how many writes per second the store takes from two.
    if options.write_seconds > 0 {
        crate::cluster_writes::both_at_once([(a.http, &session_a, "a"), (b.http, &session_b, "b")], options.write_seconds).await?;
    }

    // The holder dies: the other takes the background work over.
    a.kill();
    let db_ref = &db;
    let old = first_holder.clone();
    let takeover = wait_for("the background work moving to the surviving replica", lease::PERIOD * 2, || {
        let old = old.clone();
        async move {
            let now = lease_holder(db_ref).await?;
            Ok(!now.is_empty() && now != old)
        }
    })
    .await?;
    println!("lease: the holder killed, the other took the background work over after {:.1} s (lease period {} s)", takeover.as_secs_f64(), lease::PERIOD.as_secs());

    // Written while replica A is down; A restarted shows it, and follows again.
    create(b.http, &session_b, "停机期间的客户").await?;
    let restarted = Instant::now();
    let a = Server::start(&options.bin, &data, &dir.join("a.log")).await?;
    println!("restart: the killed replica answered again after {:.1} s", restarted.elapsed().as_secs_f64());
    let session_a = sign_in(a.http, "boss", PASSWORD, None).await?;
    if !listed(a.http, &session_a, "停机期间的客户").await? {
        return Err("the restarted replica does not list what was written while it was down".into());
    }
    create(b.http, &session_b, "重启之后的客户").await?;
    let after = wait_for("a write after the restart", GIVE_UP, || listed(a.http, &session_a, "重启之后的客户")).await?;
    println!("restart: what was written while it was down is listed; a write after it seen in {} ms", after.as_millis());

    for server in [a, b] {
        if server.panics() > 0 {
            return Err(format!("a replica panicked; see {}", server.log.display()));
        }
        server.stop();
    }
    println!("cluster: all checks passed");
    Ok(())
}
