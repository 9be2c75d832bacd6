//! The store's handle and what can go wrong while opening it. One URL chooses the store:
//! `surrealkv://<dir>` (the embedded default), `mem://` (tests) or `ws://host:port` /
//! `wss://host:port` (a remote SurrealDB when one machine is not enough).

use std::sync::Arc;

use surrealdb::engine::any::Any;
use surrealdb::Surreal;

/// The store's handle, shared by every clone of the application state (which is cloned for
/// every request): one SurrealDB session, used by all at once. SurrealDB's client makes a new
/// session for each clone of a `Surreal`; on a remote store each is attached over the wire and
/// signed in again (half a second each with a debug server), and on the embedded store each
/// is registered, and later dropped, by one engine task that every request then waits on.
/// Kehu keeps nothing in a session (no variables, no `USE` after opening; a transaction is one
/// query's `BEGIN … COMMIT`), so sharing one changes no query's meaning.
#[derive(Clone)]
pub struct Db {
    handle: Arc<Surreal<Any>>,
    /// A SurrealDB server (other Kehu processes may share it), not an embedded store.
    remote: bool,
}

impl Db {
    pub fn new(handle: Surreal<Any>, remote: bool) -> Self {
        Db { handle: Arc::new(handle), remote }
    }

    /// Whether this is a remote store (other Kehu replicas may be on it).
    pub fn is_remote(&self) -> bool {
        self.remote
    }
}

impl std::ops::Deref for Db {
    type Target = Surreal<Any>;

    fn deref(&self) -> &Surreal<Any> {
        &self.handle
    }
}

/// Why the server could not start on its store: told to whoever starts it, so each says
/// what to do about it.
#[derive(Debug)]
pub enum StartError {
    /// The URL names no store this build can open, or it would not open.
    BadUrl(String),
    Db(surrealdb::Error),
    /// A schema migration failed; nothing of it was applied.
    Migration { version: i64, name: &'static str, detail: String },
    /// Loading a read model (the directory, the deal or order book, the users) failed.
    Load { what: &'static str, detail: String },
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::BadUrl(msg) => write!(f, "{msg}"),
            StartError::Db(e) => write!(f, "{e}"),
            StartError::Migration { version, name, detail } => write!(f, "migration {version} ({name}) failed: {detail}"),
            StartError::Load { what, detail } => write!(f, "reading {what} from the store failed: {detail}"),
        }
    }
}

impl std::error::Error for StartError {}

impl From<surrealdb::Error> for StartError {
    fn from(e: surrealdb::Error) -> Self {
        StartError::Db(e)
    }
}

pub const NAMESPACE: &str = "kehu";
pub const DATABASE: &str = "main";

/// Checks the scheme before handing the URL to SurrealDB, so a typo gets a message that
/// says what would work.
pub fn check_url(url: &str) -> Result<(), StartError> {
    let scheme = url.split_once("://").map(|(s, _)| s).unwrap_or("");
    match scheme {
        "surrealkv" | "mem" | "ws" | "wss" => Ok(()),
        _ => Err(StartError::BadUrl(format!(
            "cannot open data store '{url}': use surrealkv://<directory>, mem://, ws://<host>:<port> or wss://<host>:<port>"
        ))),
    }
}

/// Whether the URL names a SurrealDB server rather than an embedded store.
pub fn is_remote_url(url: &str) -> bool {
    url.starts_with("ws://") || is_tls_url(url)
}

/// Whether the URL names a SurrealDB server reached over TLS.
pub fn is_tls_url(url: &str) -> bool {
    url.starts_with("wss://")
}

/// A remote store's root credentials (embedded stores need none).
#[derive(Clone, Default)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// Never the password, wherever a configuration is printed or logged.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).field("password", &"…").finish()
    }
}

/// How to reach a remote store: whom to sign in as, and (over `wss://`) which certificate
/// authority to trust besides the public ones. Embedded stores use neither.
#[derive(Clone, Debug, Default)]
pub struct Remote {
    pub credentials: Option<Credentials>,
    pub ca_file: Option<std::path::PathBuf>,
}
