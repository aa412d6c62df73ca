//! Shared application state.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use fazhi_db::Db;
use fazhi_db::pii::Vault;

use crate::limit::RateLimiter;
use crate::matters::config::MatterConfig;

/// Security settings with their defaults; the binary fills them from flags, env and file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session unused this long ends (minutes).
    pub session_idle_minutes: i64,
    /// A session ends this long after login whatever its use (hours).
    pub session_absolute_hours: i64,
    /// Failed logins in a row that lock an account.
    pub lockout_failures: i64,
    /// How long a lock lasts (minutes).
    pub lockout_minutes: i64,
    /// Mark cookies `Secure` (the site is served over HTTPS, directly or by a proxy).
    pub secure_cookies: bool,
    /// Where evidence files of enforcement cases are kept (none: uploads are refused).
    pub evidence_dir: Option<std::path::PathBuf>,
    /// The address citizens and staff reach the site at (`https://fazhi.example.gov.cn`,
    /// no trailing slash): QR codes and exported links use it. Unset: the request's
    /// Host header.
    pub public_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            lockout_failures: 5,
            lockout_minutes: 15,
            secure_cookies: false,
            evidence_dir: None,
            public_url: None,
        }
    }
}

/// Wall clock with an adjustable offset, so tests can move time forward
/// (session expiry, lock-out) without sleeping.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        fazhi_db::now_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves this clock forward (tests only need this).
    pub fn advance_minutes(&self, minutes: i64) {
        self.offset_ms
            .fetch_add(minutes * 60_000, Ordering::Relaxed);
    }

    /// Today in China Standard Time (UTC+8, no daylight saving): deadlines count local days.
    pub fn today(&self) -> time::Date {
        let secs = self.now_ms().div_euclid(1000) + 8 * 3600;
        time::OffsetDateTime::from_unix_timestamp(secs)
            .map(|t| t.date())
            .unwrap_or(time::Date::MIN)
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    /// Keys for personal data of parties (from the key file, never the database).
    pub vault: Arc<Vault>,
    /// Calendar, deadline rules and categories (stored as settings, cached here).
    pub matters: Arc<MatterConfig>,
    /// Limits submissions through the public form.
    pub public_limiter: Arc<RateLimiter>,
    /// Limits tracking-code lookups (page and API), so codes cannot be enumerated.
    pub track_limiter: Arc<RateLimiter>,
    /// Limits failed logins per client address.
    pub login_limiter: Arc<RateLimiter>,
    /// Recent report analyses, for their result page and workbook download.
    pub reports: Arc<crate::reports::ResultStore>,
    /// Background jobs (long imports and exports) and their progress.
    pub jobs: Arc<crate::jobs::Jobs>,
    /// Uploaded ledgers waiting for their column mapping.
    pub imports: Arc<crate::matters::import::Uploads>,
    /// Where the audit chain's head is checkpointed outside the database (`serve`
    /// writes it every minute; the audit page shows the newest checkpoint).
    pub anchor: Option<Arc<fazhi_db::audit::Anchor>>,
    /// The last check of the audit chain started from the audit page.
    pub audit_check: Arc<crate::admin::audit_check::LastCheck>,
}

impl AppState {
    /// State with the built-in calendar, default deadline rules and categories.
    pub fn new(db: Db, settings: Settings, vault: Vault) -> AppState {
        AppState {
            db,
            settings: Arc::new(settings),
            clock: Clock::default(),
            vault: Arc::new(vault),
            matters: Arc::new(MatterConfig::default()),
            public_limiter: Arc::new(RateLimiter::public_form()),
            track_limiter: Arc::new(RateLimiter::tracking()),
            login_limiter: Arc::new(RateLimiter::failed_logins()),
            reports: Arc::new(crate::reports::ResultStore::new(
                crate::reports::store::LIMITS,
            )),
            jobs: Arc::default(),
            imports: Arc::new(crate::matters::import::Uploads::new(
                crate::matters::import::UPLOAD_LIMITS,
            )),
            anchor: None,
            audit_check: Arc::default(),
        }
    }

    /// Checkpoints the audit chain to `path`, signed with a key from the key file.
    pub fn with_anchor(mut self, path: std::path::PathBuf) -> AppState {
        self.anchor = Some(Arc::new(self.vault.anchor(path)));
        self
    }

    /// State with the calendar, rules and categories an admin stored in the database.
    pub async fn open(db: Db, settings: Settings, vault: Vault) -> Result<AppState, String> {
        let state = AppState::new(db, settings, vault);
        state.matters.load(&state.db).await?;
        Ok(state)
    }
}
