-- A user's saved ledger queries: a name and the query string of the filters.
CREATE TABLE saved_queries (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT saved_queries_user_name UNIQUE (user_id, name)
);
