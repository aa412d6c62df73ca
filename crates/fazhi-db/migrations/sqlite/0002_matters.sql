-- Matters (事项): one record per dispute, petition, complaint, suggestion or consultation,
-- its parties (ID numbers and phones encrypted, found by keyed blind index), its timeline
-- and photos. `state` holds the workflow state as JSON (the truth for fazhi-core's state
-- machine); the columns beside it are derived from it on every write, for lists and figures.

CREATE TABLE matters (
    id INTEGER PRIMARY KEY,
    tracking_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    grid_id INTEGER REFERENCES grids (id),
    summary TEXT NOT NULL,
    address TEXT,
    received_on TEXT NOT NULL,
    received_month TEXT NOT NULL,
    accepted_on TEXT,
    closed_on TEXT,
    due_kind TEXT,
    due_on TEXT,
    handling_due TEXT,
    paused INTEGER NOT NULL DEFAULT 0,
    assignee_kind TEXT,
    assignee_id INTEGER,
    assignee_path TEXT,
    supervision TEXT,
    closure_type TEXT,
    resolved INTEGER,
    outcome TEXT,
    on_time INTEGER,
    satisfaction TEXT,
    repeat_of INTEGER REFERENCES matters (id),
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT matters_tracking_code_key UNIQUE (tracking_code)
);
CREATE INDEX matters_path_idx ON matters (division_path, id);
CREATE INDEX matters_status_due_idx ON matters (status, due_on);
CREATE INDEX matters_assignee_idx ON matters (assignee_kind, assignee_id, status);
CREATE INDEX matters_assignee_path_idx ON matters (assignee_path);
CREATE INDEX matters_repeat_idx ON matters (repeat_of);
CREATE INDEX matters_received_idx ON matters (received_on);

CREATE TABLE parties (
    id INTEGER PRIMARY KEY,
    matter_id INTEGER NOT NULL REFERENCES matters (id),
    seq INTEGER NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    id_number_enc TEXT,
    id_number_idx TEXT,
    id_number_mask TEXT,
    phone_enc TEXT,
    phone_idx TEXT,
    phone_mask TEXT,
    address TEXT,
    CONSTRAINT parties_matter_id_seq_key UNIQUE (matter_id, seq)
);
CREATE INDEX parties_id_number_idx ON parties (id_number_idx);
CREATE INDEX parties_phone_idx ON parties (phone_idx);

CREATE TABLE matter_events (
    id INTEGER PRIMARY KEY,
    matter_id INTEGER NOT NULL REFERENCES matters (id),
    at INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX matter_events_matter_idx ON matter_events (matter_id, id);

CREATE TABLE matter_photos (
    id INTEGER PRIMARY KEY,
    matter_id INTEGER NOT NULL REFERENCES matters (id),
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX matter_photos_matter_idx ON matter_photos (matter_id);
