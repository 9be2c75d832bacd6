//! The cluster check's write load (`kehu cluster`): both replicas creating customers at once
//! for a while, several requests in flight on each, to measure how many writes per second
//! one SurrealDB server takes from two Kehu replicas, and then that every one of them is
//! listed on both.

use std::time::{Duration, Instant};

use crate::cluster_client::{create, search, wait_for, GIVE_UP};
use crate::soak::client::Http;
use crate::soak::percentile;

/// Requests in flight on each replica.
const WRITERS_PER_REPLICA: usize = 4;
/// What every name written here starts with, to count them by search.
const PREFIX: &str = "并发写入";

/// How many customers whose name holds `PREFIX` the list on `http` finds.
async fn written_seen(http: Http, session: &str) -> Result<u64, String> {
    Ok(search(http, session, PREFIX).await?["total"].as_u64().unwrap_or_default())
}

/// One writer: customers created one after another until `until`; each write's time.
async fn writer(http: Http, session: String, name: String, until: Instant) -> Result<Vec<Duration>, String> {
    let mut times = Vec::new();
    while Instant::now() < until {
        let started = Instant::now();
        create(http, &session, &format!("{PREFIX}{name}-{:05}", times.len())).await?;
        times.push(started.elapsed());
    }
    Ok(times)
}

/// Both replicas written to at once for `seconds`; prints writes per second (in all and per
/// replica) and each write's time, and fails unless both then list every customer written.
pub async fn both_at_once(replicas: [(Http, &str, &str); 2], seconds: u64) -> Result<(), String> {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (http, session, label) in replicas {
        for w in 0..WRITERS_PER_REPLICA {
            tasks.push((label, tokio::spawn(writer(http, session.to_string(), format!("{label}{w}"), until))));
        }
    }
    let mut all = Vec::new();
    let mut per_replica = [0usize; 2];
    for (label, task) in tasks {
        let times = task.await.map_err(|e| format!("a writer on replica {label} stopped: {e}"))??;
        per_replica[usize::from(label != replicas[0].2)] += times.len();
        all.extend(times);
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "writes: both replicas at once for {:.1} s, {} requests in flight on each: {} customers, {:.0} writes/s ({:.0} on {}, {:.0} on {}); a write p50 {:.0} ms, p99 {:.0} ms",
        elapsed,
        WRITERS_PER_REPLICA,
        all.len(),
        all.len() as f64 / elapsed,
        per_replica[0] as f64 / elapsed,
        replicas[0].2,
        per_replica[1] as f64 / elapsed,
        replicas[1].2,
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
    let written = all.len() as u64;
    for (http, session, label) in replicas {
        let seen = wait_for(&format!("all {written} written customers listed on replica {label}"), GIVE_UP, || async move {
            Ok(written_seen(http, session).await? == written)
        })
        .await?;
        println!("writes: replica {label} lists all {written} ({} ms after the last write ended)", seen.as_millis());
    }
    Ok(())
}
