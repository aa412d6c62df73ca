-- Education, issue 17 continued: photos and sign-in sheets of events and visits, ledger
-- keys of imported events, 积分制, rescue teams and campaigns.

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

-- 应急救援队伍 (突发事件应对法 Art 39): a township's or village's rescue teams; the
-- leader's phone sealed, indexed and masked like the rosters'.
CREATE TABLE rescue_teams (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    name TEXT NOT NULL,
    members INTEGER NOT NULL,
    leader TEXT NOT NULL,
    phone_enc TEXT,
    phone_idx TEXT,
    phone_mask TEXT,
    specialty TEXT,
    formed_on TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX rescue_teams_path_idx ON rescue_teams (division_path);

-- 专项行动: campaigns with their period and results; `started_year` is the period key.
CREATE TABLE emergency_campaigns (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    started_year INTEGER NOT NULL,
    ends_on TEXT,
    results TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX emergency_campaigns_path_idx ON emergency_campaigns (started_year, division_path);

-- The key of a study session imported from a township's sign-in sheets (day and topic
-- of the township): importing the same sheet again creates nothing.
ALTER TABLE study_sessions ADD COLUMN source_ref TEXT;
CREATE UNIQUE INDEX study_sessions_source_ref_idx ON study_sessions (source_ref);
