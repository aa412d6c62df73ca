-- Administrative enforcement (行政执法): the item list (versioned: an edit adds a
-- version, cases point at the version they were opened under and keep a copy),
-- officers' enforcement certificates, cases and their timeline. As for matters,
-- `state` holds the case as JSON (the truth for fazhi-core's workflow) and the
-- columns beside it are derived from it on every write, for lists and figures.

CREATE TABLE enforcement_items (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    township_path TEXT NOT NULL,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    latest INTEGER NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    spec TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    CONSTRAINT enforcement_items_version_key UNIQUE (township_id, code, version)
);
CREATE INDEX enforcement_items_latest_idx ON enforcement_items (township_path, latest, code);

CREATE TABLE officer_certificates (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    number TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    CONSTRAINT officer_certificates_number_key UNIQUE (number)
);

CREATE TABLE enforcement_cases (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    procedure TEXT NOT NULL,
    status TEXT NOT NULL,
    item_id INTEGER NOT NULL REFERENCES enforcement_items (id),
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    matter_id INTEGER REFERENCES matters (id),
    party_name TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    due_on TEXT,
    paused INTEGER NOT NULL,
    decided_on TEXT,
    outcome TEXT,
    fine_fen INTEGER NOT NULL,
    paid_fen INTEGER NOT NULL,
    closed_on TEXT,
    publish_due TEXT,
    published_on TEXT,
    withdrawn_on TEXT,
    withdraw_due TEXT,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT enforcement_cases_number_key UNIQUE (number)
);
CREATE INDEX enforcement_cases_path_idx ON enforcement_cases (division_path, id);
CREATE INDEX enforcement_cases_status_idx ON enforcement_cases (status, due_on);
CREATE INDEX enforcement_cases_opened_idx ON enforcement_cases (opened_on);
CREATE INDEX enforcement_cases_published_idx ON enforcement_cases (published_on);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES enforcement_cases (id),
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
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

-- Inspections (日常巡查, 双随机, 专项) and what they found: nothing, a violation corrected
-- without a penalty (纠违), or a case opened.
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    on_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    target TEXT NOT NULL,
    findings TEXT NOT NULL,
    officers TEXT NOT NULL,
    case_id INTEGER REFERENCES enforcement_cases (id),
    matter_id INTEGER REFERENCES matters (id),
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX inspections_path_idx ON inspections (division_path, on_date);

-- 案卷评查: a reviewer's score of a closed case file, by the sheet in force then.
CREATE TABLE case_file_reviews (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES enforcement_cases (id),
    division_path TEXT NOT NULL,
    reviewer_id INTEGER REFERENCES users (id),
    reviewer TEXT NOT NULL,
    on_date TEXT NOT NULL,
    score INTEGER NOT NULL,
    grade TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX case_file_reviews_path_idx ON case_file_reviews (division_path, on_date);
CREATE INDEX case_file_reviews_case_idx ON case_file_reviews (case_id);

-- Evidence files of a case (photos, audio, video, documents). The bytes live on disk,
-- named by their SHA-256; the row keeps both digests taken at upload (SHA-256 and
-- SM3), checked again before every download. Nothing is deleted: a file is superseded
-- by another with a reason. Every upload, download, check and supersession is a
-- custody row.
CREATE TABLE evidence_files (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES enforcement_cases (id),
    division_path TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    sm3 TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploader TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    superseded_by INTEGER REFERENCES evidence_files (id),
    superseded_reason TEXT
);
CREATE INDEX evidence_files_case_idx ON evidence_files (case_id, id);

CREATE TABLE evidence_custody (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES evidence_files (id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX evidence_custody_file_idx ON evidence_custody (file_id, id);
