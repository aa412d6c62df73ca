//! Notifications and the webhook's queue. The sweep (in the web layer) decides who is
//! told what from the records read here; a notification is stored once per user and
//! key, and when the webhook is on, queued for it in the same transaction.

use fazhi_core::matter::{ActionCode, Status};
use fazhi_core::role::Role;
use time::Date;

use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// One notification.
    NotificationRow {
        id: i64,
        user_id: i64,
        kind: String,
        title: String,
        link: String,
        created_at: i64,
        read_at: Option<i64>,
    }
);

/// A notification to store (skipped if the user already has one with the key).
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: i64,
    pub kind: &'static str,
    pub title: String,
    pub link: String,
    pub key: String,
}

/// Of `list`, those not stored yet. A read, so that a sweep over many pressing
/// matters takes the (SQLite) writer only for what is new, not for one conflicting
/// insert per matter and person every minute.
pub async fn unseen(db: &Db, list: Vec<NewNotification>) -> Result<Vec<NewNotification>> {
    let mut by_user: std::collections::BTreeMap<i64, Vec<&str>> = Default::default();
    for n in &list {
        by_user.entry(n.user_id).or_default().push(&n.key);
    }
    let mut stored: std::collections::HashMap<i64, std::collections::HashSet<String>> =
        Default::default();
    for (user, keys) in by_user {
        for chunk in keys.chunks(200) {
            let mut q = Sql::new("SELECT key FROM notifications WHERE user_id = ");
            q.bind(user).push(" AND key IN (");
            for (i, k) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(k.to_string());
            }
            q.push(")");
            let rows: Vec<KeyRow> = q.fetch_all(db.reader()).await?;
            stored
                .entry(user)
                .or_default()
                .extend(rows.into_iter().map(|r| r.key));
        }
    }
    Ok(list
        .into_iter()
        .filter(|n| !stored.get(&n.user_id).is_some_and(|s| s.contains(&n.key)))
        .collect())
}

row!(KeyRow { key: String });

/// Stores the new ones, at most `max_new` (those already stored are skipped and do not
/// count); with `webhook`, queues each stored one with its payload. Returns how many
/// were new.
pub async fn add(
    db: &Db,
    list: &[NewNotification],
    max_new: usize,
    webhook: bool,
    payload: &(dyn Fn(&NewNotification, i64) -> String + Sync),
) -> Result<usize> {
    if list.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut added = 0;
    for n in list {
        if added >= max_new {
            break;
        }
        let mut q = Sql::new(
            "INSERT INTO notifications (user_id, kind, title, link, key, created_at) VALUES (",
        );
        q.bind(n.user_id)
            .push(", ")
            .bind(n.kind.to_string())
            .push(", ");
        q.bind(n.title.clone())
            .push(", ")
            .bind(n.link.clone())
            .push(", ");
        q.bind(n.key.clone()).push(", ").bind(now);
        q.push(") ON CONFLICT (user_id, key) DO NOTHING RETURNING id");
        let id: Option<Count> = q.fetch_optional(&mut tx).await?;
        let Some(Count(id)) = id else { continue };
        added += 1;
        if webhook {
            let mut q = Sql::new(
                "INSERT INTO webhook_deliveries (notification_id, payload, status, attempts, next_at, created_at) VALUES (",
            );
            q.bind(id)
                .push(", ")
                .bind(payload(n, id))
                .push(", 'pending', 0, ");
            q.bind(now).push(", ").bind(now).push(")");
            q.execute(&mut tx).await?;
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// A user's notifications, unread first, newest first.
pub async fn of_user(db: &Db, user_id: i64, limit: i64) -> Result<Vec<NotificationRow>> {
    let mut q = Sql::new(
        "SELECT id, user_id, kind, title, link, created_at, read_at FROM notifications WHERE user_id = ",
    );
    q.bind(user_id)
        .push(" ORDER BY (read_at IS NULL) DESC, id DESC LIMIT ")
        .bind(limit);
    q.fetch_all(db.reader()).await
}

/// How many a user has not read.
pub async fn unread(db: &Db, user_id: i64) -> Result<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM notifications WHERE read_at IS NULL AND user_id = ");
    q.bind(user_id);
    Ok(q.fetch_one::<Count>(db.reader()).await?.0)
}

/// Marks a user's notifications read: one, or all of them.
pub async fn mark_read(db: &Db, user_id: i64, id: Option<i64>) -> Result<u64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE notifications SET read_at = ");
    q.bind(now_ms())
        .push(" WHERE read_at IS NULL AND user_id = ")
        .bind(user_id);
    if let Some(id) = id {
        q.push(" AND id = ").bind(id);
    }
    let n = q.execute(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}

row!(
    /// An open matter with a running deadline, and who handles it.
    DueMatter {
        id: i64,
        tracking_code: String,
        summary: String,
        status: Status,
        due_on: Option<Date>,
        assignee_kind: Option<String>,
        assignee_id: Option<i64>,
        township_id: Option<i64>,
        supervision: Option<String>,
    }
);

/// Assigned and in-progress matters that are unsigned, supervised, or due by `until`
/// (overdue ones included), and closings waiting for review.
pub async fn pressing(db: &Db, until: Date) -> Result<Vec<DueMatter>> {
    let mut q = Sql::new(
        "SELECT id, tracking_code, summary, status, due_on, assignee_kind, assignee_id, township_id, supervision FROM matters WHERE (status IN (",
    );
    q.bind(Status::Assigned).push(", ").bind(Status::InProgress);
    q.push(") AND (status = ").bind(Status::Assigned);
    q.push(" OR supervision IS NOT NULL OR (paused = 0 AND due_on <= ")
        .bind(until);
    q.push("))) OR status = ").bind(Status::Reviewing);
    // Newest first: at a million matters the open ones outnumber the limit, and a new
    // assignment must not wait behind old overdue matters told about long ago.
    q.push(" ORDER BY id DESC LIMIT 20000");
    q.fetch_all(db.reader()).await
}

row!(
    /// A 回退 (a handler sent a matter back to the centre).
    ReturnedMatter {
        event_id: i64,
        matter_id: i64,
        tracking_code: String,
        summary: String,
        township_id: Option<i64>,
    }
);

/// Matters sent back since `since_ms`.
pub async fn returned_since(db: &Db, since_ms: i64) -> Result<Vec<ReturnedMatter>> {
    let mut q = Sql::new(
        "SELECT e.id AS event_id, m.id AS matter_id, m.tracking_code, m.summary, m.township_id FROM matter_events e JOIN matters m ON m.id = e.matter_id WHERE e.action = ",
    );
    q.bind(ActionCode::Return)
        .push(" AND e.at >= ")
        .bind(since_ms)
        .push(" ORDER BY e.id LIMIT 5000");
    q.fetch_all(db.reader()).await
}

row!(IdRow { id: i64 });

/// The active members of a unit.
pub async fn unit_members(db: &Db, unit_id: i64) -> Result<Vec<i64>> {
    let mut q = Sql::new("SELECT id FROM users WHERE disabled = 0 AND unit_id = ");
    q.bind(unit_id);
    Ok(q.fetch_all::<IdRow>(db.reader())
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Active accounts holding one of `roles` on division `division_id` itself.
pub async fn holders(db: &Db, division_id: i64, roles: &[Role]) -> Result<Vec<i64>> {
    let mut q = Sql::new(
        "SELECT DISTINCT u.id FROM users u JOIN grants g ON g.user_id = u.id WHERE u.disabled = 0 AND g.division_id = ",
    );
    q.bind(division_id).push(" AND g.role IN (");
    for (i, r) in roles.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*r);
    }
    q.push(") ORDER BY u.id");
    Ok(q.fetch_all::<IdRow>(db.reader())
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

row!(
    /// A queued webhook delivery.
    DeliveryRow {
        id: i64,
        notification_id: i64,
        payload: String,
        status: String,
        attempts: i64,
        next_at: i64,
        last_error: Option<String>,
        delivered_at: Option<i64>,
        created_at: i64,
    }
);

const DELIVERY_COLS: &str = "SELECT id, notification_id, payload, status, attempts, next_at, last_error, delivered_at, created_at FROM webhook_deliveries";

/// Deliveries due now, oldest first.
pub async fn due_deliveries(db: &Db, now: i64, limit: i64) -> Result<Vec<DeliveryRow>> {
    let mut q = Sql::new(DELIVERY_COLS);
    q.push(" WHERE status = 'pending' AND next_at <= ")
        .bind(now)
        .push(" ORDER BY id LIMIT ")
        .bind(limit);
    q.fetch_all(db.reader()).await
}

/// The latest deliveries (the log).
pub async fn deliveries(db: &Db, limit: i64) -> Result<Vec<DeliveryRow>> {
    let mut q = Sql::new(DELIVERY_COLS);
    q.push(" ORDER BY id DESC LIMIT ").bind(limit);
    q.fetch_all(db.reader()).await
}

/// Records an attempt: delivered, retried at `next_at`, or given up (`next_at` None).
pub async fn attempted(
    db: &Db,
    id: i64,
    delivered: bool,
    error: Option<&str>,
    next_at: Option<i64>,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let status = match (delivered, next_at) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let mut q = Sql::new("UPDATE webhook_deliveries SET attempts = attempts + 1, status = ");
    q.bind(status.to_string())
        .push(", last_error = ")
        .bind(error.map(String::from));
    q.push(", next_at = ").bind(next_at.unwrap_or(0));
    if delivered {
        q.push(", delivered_at = ").bind(now_ms());
    }
    q.push(" WHERE id = ").bind(id);
    q.execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
