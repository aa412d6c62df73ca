-- Photos and sign-in sheets kept with a publicity event or an enterprise visit. The
-- bytes are in the file store, named by their SHA-256 and checked against it and SM3
-- before every download; the row carries the record's path for scoping.

CREATE TABLE education_files (
    id INTEGER PRIMARY KEY,
    -- 'event' (publicity_events) or 'visit' (enterprise_visits).
    record TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    division_path TEXT NOT NULL,
    -- 'photo' or 'sign_in'.
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    sm3 TEXT NOT NULL,
    -- 1: names the people who came (a sign-in sheet); every download is audited.
    personal INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploader TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX education_files_record_idx ON education_files (record, record_id, id);

-- The key of an event imported from a township's ledger: importing the same rows
-- again creates nothing.
ALTER TABLE publicity_events ADD COLUMN source_ref TEXT;
CREATE UNIQUE INDEX publicity_events_source_ref_idx ON publicity_events (source_ref);

-- 积分制: a township's points per event type for its villages' activities.
CREATE TABLE education_points (
    township_division_id INTEGER PRIMARY KEY REFERENCES divisions (id),
    enabled INTEGER NOT NULL,
    -- One `kind=points` per line, kinds as EventKind codes.
    points TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at INTEGER NOT NULL
);
