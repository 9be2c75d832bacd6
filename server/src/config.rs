//! Settings, layered: built-in defaults (the repository's Leptos.toml, compiled in) <
//! a Leptos.toml file < environment variables < command-line flags. clap handles the last
//! two (each flag names its variable); this file reads the first two.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use kehu_backend::accounts::client::IpNet;
use kehu_backend::accounts::sessions::SessionPolicy;
use kehu_backend::store::db::{is_remote_url, is_tls_url, Credentials, Remote};
use kehu_backend::Policy;
use kehu_domain::customers::pool::RecycleRules;
use kehu_domain::format::DisplayOffset;
use kehu_domain::i18n::Lang;
use kehu_domain::pipeline::types::Pipeline;
use serde::Deserialize;

const BUILT_IN: &str = include_str!("../../Leptos.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    server: ServerSection,
    #[serde(default)]
    app: AppSection,
    #[serde(default)]
    security: SecuritySection,
    #[serde(default)]
    pool: PoolSection,
    #[serde(default)]
    mail: MailSection,
    /// The whole funnel, when a company configures its own; the built-in one otherwise.
    pipeline: Option<Pipeline>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecuritySection {
    session_idle_minutes: Option<u32>,
    session_max_days: Option<u32>,
    secure_cookies: Option<bool>,
    hsts: Option<bool>,
    trusted_proxies: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PoolSection {
    default_max_customers: Option<u32>,
    recycle_lead_days: Option<u32>,
    recycle_opportunity_days: Option<u32>,
    recycle_customer_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerSection {
    listen: Option<String>,
    data: Option<String>,
    public_url: Option<String>,
}

/// Outgoing mail. The SMTP address may hold a password, so it is usually given by
/// KEHU_SMTP_URL rather than written here.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailSection {
    smtp_url: Option<String>,
    from: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppSection {
    default_language: Option<String>,
    utc_offset: Option<String>,
}

/// Values given on the command line or in the environment; `None` falls through to the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub listen: Option<String>,
    pub data: Option<String>,
    pub lang: Option<String>,
    pub utc_offset: Option<String>,
    pub db_user: Option<String>,
    pub db_pass: Option<String>,
    /// A file holding the password (a container's or systemd's secret), instead of `db_pass`.
    pub db_pass_file: Option<PathBuf>,
    /// The CA certificate(s) a `wss://` store's certificate is checked against, besides the
    /// public ones.
    pub db_ca: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_url: String,
    pub default_lang: Lang,
    pub utc_offset: DisplayOffset,
    /// How to reach a remote store (credentials, CA); empty for an embedded one.
    pub store: Remote,
    pub policy: Policy,
}

/// The remote store's credentials and CA, checked against the URL: given for an embedded store
/// they would be ignored silently, so they are refused instead.
fn remote_store(overrides: &Overrides, data_url: &str) -> Result<Remote, String> {
    let password = match (&overrides.db_pass, &overrides.db_pass_file) {
        (Some(_), Some(_)) => return Err("set KEHU_DB_PASS or KEHU_DB_PASS_FILE, not both".into()),
        (Some(password), None) => Some(password.clone()),
        (None, Some(file)) => {
            let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read the store password file {}: {e}", file.display()))?;
            // Secret files usually end with a newline that is not part of the password.
            Some(text.trim_end_matches(['\r', '\n']).to_string())
        }
        (None, None) => None,
    };
    let credentials = match (&overrides.db_user, password) {
        (Some(username), Some(password)) => Some(Credentials { username: username.clone(), password }),
        (None, None) => None,
        _ => return Err("set both KEHU_DB_USER and KEHU_DB_PASS (or KEHU_DB_PASS_FILE), or neither".into()),
    };
    if credentials.is_some() && !is_remote_url(data_url) {
        return Err(format!("KEHU_DB_USER and KEHU_DB_PASS are for a remote store (ws:// or wss://), not '{data_url}'"));
    }
    if overrides.db_ca.is_some() && !is_tls_url(data_url) {
        return Err(format!("KEHU_DB_CA is for a store reached over TLS (wss://), not '{data_url}'"));
    }
    Ok(Remote { credentials, ca_file: overrides.db_ca.clone() })
}

fn parse_file(text: &str, origin: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|e| format!("{origin}: {e}"))
}

impl Config {
    pub fn load(overrides: &Overrides) -> Result<Config, String> {
        let built_in = parse_file(BUILT_IN, "built-in Leptos.toml")?;
        let file = match &overrides.config_file {
            Some(path) => Some(read(path)?),
            None if Path::new("Leptos.toml").is_file() => Some(read(Path::new("Leptos.toml"))?),
            None => None,
        }
        .unwrap_or_default();

        let pick = |flag: &Option<String>, file: &Option<String>, built_in: &Option<String>| {
            flag.clone().or_else(|| file.clone()).or_else(|| built_in.clone()).unwrap_or_default()
        };
        let listen = pick(&overrides.listen, &file.server.listen, &built_in.server.listen);
        let data_url = pick(&overrides.data, &file.server.data, &built_in.server.data);
        let lang = pick(&overrides.lang, &file.app.default_language, &built_in.app.default_language);
        let offset = pick(&overrides.utc_offset, &file.app.utc_offset, &built_in.app.utc_offset);

        let listen: SocketAddr = listen
            .parse()
            .map_err(|_| format!("listen address '{listen}' is not of the form 127.0.0.1:3000"))?;
        let default_lang = Lang::parse(&lang).ok_or_else(|| format!("default language '{lang}' is not zh-CN or en"))?;
        let utc_offset = DisplayOffset::parse(&offset)
            .ok_or_else(|| format!("utc_offset '{offset}' is not of the form +08:00"))?;
        kehu_backend::store::db::check_url(&data_url).map_err(|e| e.to_string())?;
        let store = remote_store(overrides, &data_url)?;
        let first = |a: Option<u32>, b: Option<u32>| a.or(b);
        let idle = first(file.security.session_idle_minutes, built_in.security.session_idle_minutes).unwrap_or(480);
        let max_days = first(file.security.session_max_days, built_in.security.session_max_days).unwrap_or(30);
        if idle == 0 || max_days == 0 {
            return Err("session_idle_minutes and session_max_days must be at least 1".into());
        }
        // 0 days means "never recycled" in the file, as there is no TOML null.
        let days = |a: Option<u32>, b: Option<u32>| first(a, b).filter(|d| *d > 0);
        let proxies = file.security.trusted_proxies.or(built_in.security.trusted_proxies).unwrap_or_default();
        let mut trusted_proxies = Vec::new();
        for proxy in &proxies {
            let net = IpNet::parse(proxy).ok_or_else(|| format!("trusted_proxies: '{proxy}' is not an address or a network like 10.0.0.0/8"))?;
            trusted_proxies.push(net);
        }
        let policy = Policy {
            session: SessionPolicy {
                idle: chrono::Duration::minutes(idle as i64),
                absolute: chrono::Duration::days(max_days as i64),
            },
            recycle: RecycleRules {
                lead: days(file.pool.recycle_lead_days, built_in.pool.recycle_lead_days),
                opportunity: days(file.pool.recycle_opportunity_days, built_in.pool.recycle_opportunity_days),
                customer: days(file.pool.recycle_customer_days, built_in.pool.recycle_customer_days),
            },
            secure_cookies: file.security.secure_cookies.or(built_in.security.secure_cookies).unwrap_or(false),
            hsts: file.security.hsts.or(built_in.security.hsts).unwrap_or(false),
            trusted_proxies,
            default_max_customers: first(file.pool.default_max_customers, built_in.pool.default_max_customers)
                .unwrap_or(kehu_domain::accounts::types::DEFAULT_MAX_CUSTOMERS),
            pipeline: file.pipeline.or(built_in.pipeline).unwrap_or_default(),
            offset: utc_offset,
            backup_token: backup_token()?,
            public_url: public_url(env("KEHU_PUBLIC_URL").or(file.server.public_url).or(built_in.server.public_url))?,
            mail: mail(env("KEHU_SMTP_URL").or(file.mail.smtp_url), env("KEHU_MAIL_FROM").or(file.mail.from))?,
            api_requests_per_minute: api_rate()?,
            lang: default_lang,
        };
        if policy.mail.is_some() && policy.public_url.is_none() {
            return Err("mail needs the address people reach Kehu at: set KEHU_PUBLIC_URL (e.g. https://crm.example.com)".into());
        }
        policy.pipeline.check().map_err(|e| format!("[pipeline]: {e}"))?;
        Ok(Config { listen, data_url, default_lang, utc_offset, store, policy })
    }
}

/// Backups may be asked of a running server with this secret, long enough not to be guessed.
fn backup_token() -> Result<Option<String>, String> {
    match std::env::var("KEHU_BACKUP_TOKEN") {
        Ok(t) if t.trim().len() >= 24 => Ok(Some(t.trim().to_string())),
        Ok(t) if t.trim().is_empty() => Ok(None),
        Ok(_) => Err("KEHU_BACKUP_TOKEN must be at least 24 characters (e.g. `openssl rand -hex 24`)".into()),
        Err(_) => Ok(None),
    }
}

/// Requests per minute one API token may make (KEHU_API_RATE; 600 when unset).
fn api_rate() -> Result<u32, String> {
    match env("KEHU_API_RATE") {
        None => Ok(600),
        Some(v) => v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| format!("KEHU_API_RATE '{v}' is not a number of requests per minute (at least 1)")),
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// `https://crm.example.com` (a path is allowed, a trailing slash dropped).
fn public_url(value: Option<String>) -> Result<Option<String>, String> {
    let Some(url) = value.map(|u| u.trim().trim_end_matches('/').to_string()).filter(|u| !u.is_empty()) else { return Ok(None) };
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(Some(url)),
        _ => Err(format!("public_url '{url}' is not an address like https://crm.example.com")),
    }
}

fn mail(smtp_url: Option<String>, from: Option<String>) -> Result<Option<kehu_backend::mail::MailPolicy>, String> {
    let Some(smtp_url) = smtp_url else { return Ok(None) };
    let from = from.ok_or("KEHU_SMTP_URL is set: set KEHU_MAIL_FROM too (e.g. \"Kehu <crm@example.com>\")")?;
    let policy = kehu_backend::mail::MailPolicy { smtp_url, from };
    policy.check()?;
    Ok(Some(policy))
}

fn read(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_file(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_read_and_a_typo_is_refused() {
        let good = parse_file("[security]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n", "test").unwrap();
        assert_eq!(good.security.trusted_proxies.map(|p| p.len()), Some(2));
        let dir = std::env::temp_dir().join(format!("kehu-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("Leptos.toml");
        std::fs::write(&file, "[security]\ntrusted_proxies = [\"nginx\"]\n").unwrap();
        let overrides = Overrides { config_file: Some(file.clone()), ..Default::default() };
        let err = Config::load(&overrides).unwrap_err();
        assert!(err.contains("nginx"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn built_in_defaults_are_valid() {
        let config = Config::load(&Overrides { config_file: Some(PathBuf::from("../Leptos.toml")), ..Default::default() }).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(config.data_url, "surrealkv://data");
        assert_eq!(config.default_lang, Lang::Zh);
        assert_eq!(config.utc_offset.to_text(), "+08:00");
        assert_eq!(config.policy.recycle.lead, Some(30));
        assert_eq!(config.policy.recycle.customer, None);
        assert_eq!(config.policy.session.idle, chrono::Duration::hours(8));
    }

    #[test]
    fn flags_win_over_the_file() {
        let overrides = Overrides {
            config_file: Some(PathBuf::from("../Leptos.toml")),
            listen: Some("0.0.0.0:8080".into()),
            data: Some("mem://".into()),
            lang: Some("en".into()),
            ..Default::default()
        };
        let config = Config::load(&overrides).unwrap();
        assert_eq!(config.listen.to_string(), "0.0.0.0:8080");
        assert_eq!(config.data_url, "mem://");
        assert_eq!(config.default_lang, Lang::En);
    }

    #[test]
    fn bad_values_are_explained() {
        let bad = |o: Overrides| Config::load(&Overrides { config_file: Some(PathBuf::from("../Leptos.toml")), ..o }).unwrap_err();
        assert!(bad(Overrides { listen: Some("localhost".into()), ..Default::default() }).contains("listen address"));
        assert!(bad(Overrides { data: Some("postgres://x".into()), ..Default::default() }).contains("surrealkv://"));
        assert!(bad(Overrides { lang: Some("fr".into()), ..Default::default() }).contains("zh-CN or en"));
        assert!(bad(Overrides { db_user: Some("root".into()), ..Default::default() }).contains("KEHU_DB_PASS"));
        let remote = |o: Overrides| Overrides { data: Some("wss://db.example:8000".into()), db_user: Some("root".into()), ..o };
        assert!(bad(remote(Overrides { db_pass: Some("x".into()), db_pass_file: Some("/x".into()), ..Default::default() })).contains("not both"));
        assert!(bad(remote(Overrides { db_pass_file: Some("/nonexistent/pass".into()), ..Default::default() })).contains("/nonexistent/pass"));
        let embedded = Overrides { data: Some("mem://".into()), db_user: Some("root".into()), db_pass: Some("x".into()), ..Default::default() };
        assert!(bad(embedded).contains("remote store"));
        assert!(bad(Overrides { data: Some("ws://db:8000".into()), db_ca: Some("/ca.pem".into()), ..Default::default() }).contains("wss://"));
    }

    #[test]
    fn the_store_password_may_come_from_a_file_and_is_never_printed() {
        let file = std::env::temp_dir().join(format!("kehu-db-pass-{}", std::process::id()));
        std::fs::write(&file, "s3cret pass\n").unwrap();
        let overrides = Overrides {
            config_file: Some(PathBuf::from("../Leptos.toml")),
            data: Some("wss://db.example:8000".into()),
            db_user: Some("root".into()),
            db_pass_file: Some(file.clone()),
            db_ca: Some("/etc/kehu/ca.pem".into()),
            ..Default::default()
        };
        let config = Config::load(&overrides);
        let _ = std::fs::remove_file(&file);
        let config = config.unwrap();
        let credentials = config.store.credentials.clone().unwrap();
        assert_eq!((credentials.username.as_str(), credentials.password.as_str()), ("root", "s3cret pass"));
        assert_eq!(config.store.ca_file, Some(PathBuf::from("/etc/kehu/ca.pem")));
        assert!(!format!("{config:?}").contains("s3cret"), "the configuration's debug form shows the password");
    }

    #[test]
    fn a_configured_pipeline_replaces_the_built_in_one_and_is_checked() {
        let text = r#"
            [pipeline]
            win_rate_alert = 20
            stage_rate_alert = 30
            alert_min_deals = 3
            [[pipeline.stages]]
            key = "qualify"
            name_zh = "资格确认"
            name_en = "Qualify"
            requires = []
            playbook = ["确认预算"]
            probability = 20
            [[pipeline.stages]]
            key = "close"
            name_zh = "成交"
            name_en = "Close"
            requires = ["quote", "signed_contract"]
            playbook = []
            probability = 80
        "#;
        let file = parse_file(text, "test").unwrap();
        let pipeline = file.pipeline.unwrap();
        assert_eq!(pipeline.stages.len(), 2);
        assert!(pipeline.check().is_ok());
        let bad = text.replace("\"close\"", "\"qualify\"");
        assert!(parse_file(&bad, "test").unwrap().pipeline.unwrap().check().is_err());
        assert!(parse_file(&text.replace("signed_contract", "a_handshake"), "test").is_err());
    }

    #[test]
    fn unknown_keys_in_a_file_are_refused() {
        assert!(parse_file("[server]\nlisten = \"127.0.0.1:1\"\nlistn = 1\n", "test").is_err());
    }
}
