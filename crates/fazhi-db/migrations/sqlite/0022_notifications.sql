-- In-app notifications (assigned to you, returned, due soon, overdue, 督办, a daily
-- digest), made by the server's sweep from the records; `key` makes each one once.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    CONSTRAINT notifications_user_key UNIQUE (user_id, key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);

-- The outgoing webhook's queue and delivery log: one row per notification sent, with
-- its attempts; retried with backoff until delivered or given up.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL REFERENCES notifications (id),
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at INTEGER NOT NULL,
    last_error TEXT,
    delivered_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_at);
