-- Decisions and legal review: major decisions and the review desk (合法性审查). As for
-- cases, `state` holds each record as JSON (the truth for fazhi-core's rules) and the
-- columns beside it are derived from it on every write, for queues, lists and figures.

-- Major administrative decisions (重大行政决策): one catalogue per township and year
-- (published after the Party committee's agreement), its decisions with their state
-- as JSON, and each decision's timeline.
CREATE TABLE decision_catalogues (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    township_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    published_on TEXT,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT decision_catalogues_year_key UNIQUE (township_id, year)
);

CREATE TABLE major_decisions (
    id INTEGER PRIMARY KEY,
    catalogue_id INTEGER NOT NULL REFERENCES decision_catalogues (id),
    division_path TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX major_decisions_catalogue_idx ON major_decisions (catalogue_id, id);
CREATE INDEX major_decisions_path_idx ON major_decisions (division_path, id);

CREATE TABLE major_decision_events (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES major_decisions (id),
    at INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX major_decision_events_decision_idx ON major_decision_events (decision_id, id);

-- The review desk.
CREATE TABLE legal_reviews (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    title TEXT NOT NULL,
    drafting_unit TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    opinion TEXT,
    reviewed_on TEXT,
    signed_on TEXT,
    skipped INTEGER NOT NULL,
    enforcement_case_id INTEGER REFERENCES enforcement_cases (id),
    major_decision_id INTEGER REFERENCES major_decisions (id),
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX legal_reviews_path_idx ON legal_reviews (division_path, id);
CREATE INDEX legal_reviews_status_idx ON legal_reviews (status, due_on);
CREATE INDEX legal_reviews_submitted_idx ON legal_reviews (submitted_on);

CREATE TABLE legal_review_events (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES legal_reviews (id),
    at INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX legal_review_events_review_idx ON legal_review_events (review_id, id);
