//! Configuration: flags, then environment variables, then an optional TOML file,
//! then defaults. Secrets (database passwords) never reach logs or Debug output.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// Options shared by every command that touches the database.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH (default ./fazhi.db, created if absent) or postgres://USER@HOST/DB.
    #[arg(long, env = "FAZHI_DB", global = true, hide_env_values = true)]
    pub db: Option<String>,
    /// Optional TOML configuration file (see `fazhi config example`).
    #[arg(long, env = "FAZHI_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

/// Options of the web server.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "FAZHI_BIND")]
    pub bind: Option<String>,
    /// Mark cookies Secure: set when users reach the site over HTTPS (e.g. behind a proxy).
    #[arg(long, env = "FAZHI_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// File holding the key that encrypts citizens' personal data (created if absent).
    #[arg(long, env = "FAZHI_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// Folder for evidence files of enforcement cases (created if absent).
    #[arg(long, env = "FAZHI_EVIDENCE_DIR")]
    pub evidence_dir: Option<PathBuf>,
    /// The address users reach the site at (e.g. https://fazhi.example.gov.cn); QR codes use it.
    #[arg(long, env = "FAZHI_PUBLIC_URL")]
    pub public_url: Option<String>,
}

/// The TOML file; every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    db: Option<String>,
    bind: Option<String>,
    key_file: Option<PathBuf>,
    evidence_dir: Option<PathBuf>,
    secure_cookies: Option<bool>,
    public_url: Option<String>,
    session_idle_minutes: Option<i64>,
    session_absolute_hours: Option<i64>,
    lockout_failures: Option<i64>,
    lockout_minutes: Option<i64>,
}

/// The resolved configuration.
#[derive(Clone)]
pub struct Config {
    pub db: String,
    pub bind: String,
    pub key_file: PathBuf,
    pub web: fazhi_web::Settings,
}

impl Config {
    /// The audit checkpoint file: beside the key file, with the extension `.anchors`.
    pub fn anchor_file(&self) -> PathBuf {
        self.key_file.with_extension("anchors")
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("db", &redact_url(&self.db))
            .field("bind", &self.bind)
            .field("key_file", &self.key_file)
            .field("web", &self.web)
            .finish()
    }
}

/// Checks the public address: http(s), a host, no query; kept without a trailing slash.
fn public_url(raw: &str) -> anyhow::Result<String> {
    let u = url::Url::parse(raw.trim()).with_context(|| {
        format!("public_url {raw:?} is not a URL (e.g. https://fazhi.example.gov.cn)")
    })?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        anyhow::bail!("public_url must start with http:// or https:// and name a host");
    }
    if u.query().is_some() || u.fragment().is_some() || !u.username().is_empty() {
        anyhow::bail!("public_url must not carry a query, fragment or user name");
    }
    Ok(u.as_str().trim_end_matches('/').to_string())
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.split_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("the configuration file {} is not valid", path.display()))
}

impl Config {
    /// Resolves flags/env over the file over defaults.
    pub fn resolve(db: &DbArgs, serve: &ServeArgs) -> anyhow::Result<Config> {
        let file = match &db.config {
            Some(p) => read_file(p)?,
            None => FileConfig::default(),
        };
        let d = fazhi_web::Settings::default();
        let web = fazhi_web::Settings {
            session_idle_minutes: file.session_idle_minutes.unwrap_or(d.session_idle_minutes),
            session_absolute_hours: file
                .session_absolute_hours
                .unwrap_or(d.session_absolute_hours),
            lockout_failures: file.lockout_failures.unwrap_or(d.lockout_failures),
            lockout_minutes: file.lockout_minutes.unwrap_or(d.lockout_minutes),
            secure_cookies: serve
                .secure_cookies
                .or(file.secure_cookies)
                .unwrap_or(false),
            evidence_dir: Some(
                serve
                    .evidence_dir
                    .clone()
                    .or(file.evidence_dir)
                    .unwrap_or_else(|| PathBuf::from("fazhi-evidence")),
            ),
            public_url: serve
                .public_url
                .clone()
                .or(file.public_url)
                .map(|u| public_url(&u))
                .transpose()?,
        };
        if web.session_idle_minutes < 1
            || web.session_absolute_hours < 1
            || web.lockout_failures < 1
            || web.lockout_minutes < 1
        {
            anyhow::bail!("session and lock-out settings must be positive numbers");
        }
        Ok(Config {
            db: db
                .db
                .clone()
                .or(file.db)
                .unwrap_or_else(|| "sqlite://fazhi.db".into()),
            bind: serve
                .bind
                .clone()
                .or(file.bind)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            key_file: serve
                .key_file
                .clone()
                .or(file.key_file)
                .unwrap_or_else(|| PathBuf::from("fazhi.key")),
            web,
        })
    }
}

/// The documented example printed by `fazhi config example`.
pub const EXAMPLE: &str = r#"# Fazhi configuration (TOML). Every setting is optional.
# Precedence: command-line flag > environment variable > this file > default.
# Use it with: fazhi --config fazhi.toml serve   (or FAZHI_CONFIG=fazhi.toml)

# Database. SQLite file (created if absent) or PostgreSQL.
# env FAZHI_DB, flag --db; default "sqlite://fazhi.db"
db = "sqlite://fazhi.db"
# db = "postgres://fazhi:PASSWORD@127.0.0.1/fazhi"

# Address the web server listens on.
# env FAZHI_BIND, flag --bind; default "127.0.0.1:8080"
bind = "127.0.0.1:8080"

# Key file for encrypting citizens' ID numbers and phones. Keep it OUTSIDE the
# database and its backups; losing it makes that data unreadable. Created (mode 600)
# if absent.
# env FAZHI_KEY_FILE, flag --key-file; default "fazhi.key"
key_file = "fazhi.key"

# Folder for evidence files of enforcement cases (photos, recordings, video up to 2 GB),
# named by their SHA-256 and checked against it and SM3 before every download. Back it
# up with the database.
# env FAZHI_EVIDENCE_DIR, flag --evidence-dir; default "fazhi-evidence"
evidence_dir = "fazhi-evidence"

# The address users reach the site at; the QR codes on matters and exported links use
# it. Unset: the address the browser used.
# env FAZHI_PUBLIC_URL, flag --public-url
# public_url = "https://fazhi.example.gov.cn"

# Mark cookies Secure. Turn on when users reach the site over HTTPS (a proxy in front).
# env FAZHI_SECURE_COOKIES, flag --secure-cookies; default false
secure_cookies = false

# A session ends after this many idle minutes (default 30) ...
session_idle_minutes = 30
# ... and at the latest this many hours after login (default 12).
session_absolute_hours = 12

# Failed logins in a row that lock an account (default 5), and for how long (minutes, default 15).
lockout_failures = 5
lockout_minutes = 15

# Logging: set RUST_LOG, e.g. RUST_LOG=info or RUST_LOG=fazhi_web=debug.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_parses_and_secrets_are_redacted() {
        let f: FileConfig = toml::from_str(EXAMPLE).unwrap();
        assert_eq!(f.lockout_failures, Some(5));
        assert_eq!(
            redact_url("postgres://u:s3cret@h/db"),
            "postgres://u:***@h/db"
        );
        let c = Config {
            db: "postgres://u:s3cret@h/db".into(),
            bind: "x".into(),
            key_file: "k".into(),
            web: Default::default(),
        };
        assert!(!format!("{c:?}").contains("s3cret"));
        assert_eq!(
            public_url("https://fazhi.example.gov.cn/").unwrap(),
            "https://fazhi.example.gov.cn"
        );
        assert_eq!(
            public_url("http://10.1.2.3:8080/fz").unwrap(),
            "http://10.1.2.3:8080/fz"
        );
        for bad in [
            "fazhi.example",
            "ftp://x",
            "https://x/?a=1",
            "javascript:alert(1)",
        ] {
            assert!(public_url(bad).is_err(), "{bad}");
        }
    }
}
