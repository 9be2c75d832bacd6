//! Opening the store: connect, sign in to a remote one, select Kehu's namespace and
//! database, and bring the schema up to date.

use surrealdb::engine::any;

use super::db::{check_url, is_remote_url, is_tls_url, Db, Remote, StartError, DATABASE, NAMESPACE};
use super::{migrations, tls};

pub async fn open(url: &str, remote: &Remote) -> Result<Db, StartError> {
    let db = connect(url, remote).await?;
    migrations::migrate(&db).await?;
    Ok(db)
}

/// Connects and selects Kehu's namespace and database, without touching the schema.
pub async fn connect(url: &str, remote: &Remote) -> Result<Db, StartError> {
    check_url(url)?;
    let connected = if is_tls_url(url) {
        let config = surrealdb::opt::Config::new().rustls(tls::client_config(remote.ca_file.as_deref())?);
        any::connect((url, config)).await
    } else {
        any::connect(url).await
    };
    let db = connected.map_err(|e| StartError::BadUrl(tls::explain(url, &e.to_string())))?;
    if let Some(c) = remote.credentials.clone() {
        db.signin(surrealdb::opt::auth::Root { username: c.username, password: c.password })
            .await
            .map_err(|e| StartError::BadUrl(format!("signing in to '{url}' failed: {e}")))?;
    }
    db.use_ns(NAMESPACE).use_db(DATABASE).await?;
    Ok(Db::new(db, is_remote_url(url)))
}
