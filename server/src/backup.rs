//! `kehu backup FILE` and `kehu restore FILE`: the store as a SurrealQL file and back. A
//! running embedded server holds its store's lock, so a backup while it runs is asked of the
//! server itself (`--server`, with the secret it was started with); `GET /api/backup` answers
//! with one consistent export.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use kehu_backend::store::{backup as store, migrations};

use crate::cli::StoreArgs;
use crate::config::Config;
use crate::soak::client::{Extra, Http};

pub async fn backup(args: StoreArgs, file: &Path, server: Option<SocketAddr>) -> Result<(), String> {
    let config = Config::load(&args.overrides())?;
    if let Some(addr) = server {
        let token = config.policy.backup_token.ok_or("set KEHU_BACKUP_TOKEN to the secret the server was started with")?;
        let authorization = format!("Bearer {token}");
        let extra = Extra { authorization: Some(&authorization), ..Default::default() };
        let reply = Http { addr }
            .send_within(Duration::from_secs(3600), "GET", "/api/backup", &extra, b"")
            .await
            .map_err(|e| format!("asking {addr} for a backup failed: {e}"))?;
        if reply.status != 200 {
            return Err(format!("{addr} refused the backup ({}): is KEHU_BACKUP_TOKEN the server's?", reply.status));
        }
        std::fs::write(file, &reply.body).map_err(|e| format!("writing {}: {e}", file.display()))?;
    } else {
        let db = store::connect(&config.data_url, &config.store).await.map_err(|e| {
            format!("{e} — if a server is running on this store, back it up through it: kehu backup FILE --server 127.0.0.1:3000")
        })?;
        store::backup(&db, file).await?;
    }
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!("backup written to {} ({size} bytes)", file.display());
    Ok(())
}

pub async fn restore(args: StoreArgs, file: &Path) -> Result<(), String> {
    let config = Config::load(&args.overrides())?;
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let db = store::connect(&config.data_url, &config.store).await.map_err(|e| e.to_string())?;
    store::restore(&db, file).await?;
    // A backup from an earlier release is brought up to this one's schema.
    migrations::migrate(&db).await.map_err(|e| e.to_string())?;
    println!("restored {} into {}", file.display(), config.data_url);
    Ok(())
}
