//! PostgreSQL: the caches of sessions, units and divisions (`fresh`) hear of the changes
//! other processes make on the same database. After a change to accounts, grants,
//! sessions ended, units or divisions has committed, its process sends `NOTIFY
//! fazhi_caches` ([`crate::Db::caches_changed`]); every process `LISTEN`s on a
//! connection of its own and empties its caches when a notification arrives. Rows are
//! kept only while the `LISTEN` is in place: before it is, while its connection is
//! broken (until it is open again) and once its runtime has ended, every lookup reads
//! the database. So a grant revoked on one server counts on every other at once.

use std::future::poll_fn;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_postgres::{AsyncMessage, NoTls};

use crate::admin::cache::Org;
use crate::auth::cache::Sessions;

/// Tells the listeners, on the channel of cache changes.
pub(crate) const NOTIFY: &str = "NOTIFY fazhi_caches";
const LISTEN: &str = "LISTEN fazhi_caches";

/// How long to wait before opening a broken listening connection again.
const RETRY: Duration = Duration::from_secs(1);

/// The caches a notification empties.
#[derive(Clone)]
pub(crate) struct Caches {
    pub(crate) sessions: Arc<Sessions>,
    pub(crate) org: Arc<Org>,
}

impl Caches {
    /// Forgets every row kept.
    pub(crate) fn clear(&self) {
        self.sessions.clear();
        self.org.clear();
    }

    fn set_open(&self, open: bool) {
        self.sessions.set_open(open);
        self.org.set_open(open);
    }
}

/// Closes the caches when the listening task ends, however it ends (aborted by
/// `Db::close`, or dropped with its runtime).
struct Deaf(Caches);

impl Drop for Deaf {
    fn drop(&mut self) {
        self.0.set_open(false);
    }
}

/// The listening task of one process.
pub(crate) struct Listener {
    caches: Caches,
    task: std::sync::Mutex<Option<JoinHandle<()>>>,
    /// Notifications heard (tests wait for one).
    heard: Arc<AtomicU64>,
}

impl Listener {
    /// Closes `caches` and starts listening; they open once the `LISTEN` is in place.
    pub(crate) fn start(config: tokio_postgres::Config, caches: Caches) -> Listener {
        caches.set_open(false);
        let heard = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn(run(config, caches.clone(), heard.clone()));
        Listener {
            caches,
            task: std::sync::Mutex::new(Some(task)),
            heard,
        }
    }

    /// Notifications heard so far.
    pub(crate) fn heard(&self) -> u64 {
        self.heard.load(Ordering::Acquire)
    }

    /// Stops listening (the caches close).
    pub(crate) fn stop(&self) {
        if let Some(t) = self.task.lock().expect("listener").take() {
            t.abort();
        }
        // At once: the aborted task drops (and closes them too) only when next polled.
        self.caches.set_open(false);
    }
}

async fn run(config: tokio_postgres::Config, caches: Caches, heard: Arc<AtomicU64>) {
    let _deaf = Deaf(caches.clone());
    loop {
        if let Err(e) = listen(&config, &caches, &heard).await {
            tracing::warn!("PostgreSQL cache listener: {e}");
        }
        caches.set_open(false);
        tokio::time::sleep(RETRY).await;
    }
}

/// Listens until the connection breaks.
async fn listen(
    config: &tokio_postgres::Config,
    caches: &Caches,
    heard: &AtomicU64,
) -> std::result::Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    // Drives the connection and passes its notifications on.
    let drive = async move {
        while let Some(m) = poll_fn(|cx| connection.poll_message(cx)).await {
            match m {
                Ok(AsyncMessage::Notification(_)) => {
                    if tx.send(()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    };
    let hear = async {
        client.batch_execute(LISTEN).await?;
        caches.set_open(true);
        while rx.recv().await.is_some() {
            heard.fetch_add(1, Ordering::AcqRel);
            caches.clear();
        }
        Ok(())
    };
    tokio::select! {
        r = drive => r,
        r = hear => r,
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use crate::admin::cache::tests::town_with_unit;
    use crate::admin::units;
    use crate::audit::Actor;

    /// Polls `ready` every few milliseconds for up to ten seconds.
    async fn until(what: &str, ready: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !ready() {
            assert!(Instant::now() < deadline, "{what}: not within 10 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// A unit renamed through one process is read renamed by another at once, though
    /// the other had just read it and kept it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_process_hears_a_change() {
        let Some(t) = crate::testing::postgres().await.unwrap() else {
            eprintln!("FAZHI_TEST_POSTGRES_URL not set: skipped");
            return;
        };
        let actor = Actor::system("test");
        let one = &t.db;
        let other = crate::Db::open(&t.url).await.unwrap();
        until("the other process listens", || other.org.units.is_open()).await;

        let (_, u) = town_with_unit(one, &actor).await;
        assert_eq!(units::by_id(&other, u.id).await.unwrap().name, "司法所");
        assert!(
            other.org.units.get(&u.id).is_some(),
            "the other keeps the unit"
        );

        units::update(one, &actor, u.id, Some("综治中心".into()), None)
            .await
            .unwrap();
        until("the other hears of the change", || other.caches_heard() > 0).await;
        assert_eq!(units::by_id(&other, u.id).await.unwrap().name, "综治中心");

        other.close().await;
        assert!(
            !other.org.units.is_open(),
            "closed, the other keeps nothing"
        );
    }
}
