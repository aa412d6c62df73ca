-- Legal advisers (法律顾问): the roster per township (the township's own advisers and
-- the village advisers, 一村一法律顾问), the villages each covers, the items of the
-- review desk put to an adviser, the consultations and mediation logged by hand, and
-- the yearly assessment. The work log is otherwise read from the records where the
-- adviser acted (the desk's opinions by the adviser's account, the meetings and
-- hearings that name the adviser).

CREATE TABLE legal_advisers (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    firm TEXT NOT NULL,
    lawyer TEXT NOT NULL,
    licence_no TEXT NOT NULL,
    term_from TEXT NOT NULL,
    term_to TEXT NOT NULL,
    service_scope TEXT NOT NULL,
    fee_fen INTEGER NOT NULL,
    serves_township INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id),
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX legal_advisers_path_idx ON legal_advisers (division_path, id);
CREATE UNIQUE INDEX legal_advisers_user_idx ON legal_advisers (user_id);

CREATE TABLE legal_adviser_villages (
    adviser_id INTEGER NOT NULL REFERENCES legal_advisers (id),
    village_id INTEGER NOT NULL REFERENCES divisions (id),
    PRIMARY KEY (adviser_id, village_id)
);
CREATE INDEX legal_adviser_villages_village_idx ON legal_adviser_villages (village_id);

CREATE TABLE legal_review_advisers (
    review_id INTEGER PRIMARY KEY REFERENCES legal_reviews (id),
    adviser_id INTEGER NOT NULL REFERENCES legal_advisers (id),
    assigned_by INTEGER REFERENCES users (id),
    assigned_at INTEGER NOT NULL
);
CREATE INDEX legal_review_advisers_adviser_idx ON legal_review_advisers (adviser_id);

CREATE TABLE legal_adviser_logs (
    id INTEGER PRIMARY KEY,
    adviser_id INTEGER NOT NULL REFERENCES legal_advisers (id),
    on_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX legal_adviser_logs_adviser_idx ON legal_adviser_logs (adviser_id, on_date);

CREATE TABLE legal_adviser_assessments (
    id INTEGER PRIMARY KEY,
    adviser_id INTEGER NOT NULL REFERENCES legal_advisers (id),
    year INTEGER NOT NULL,
    rating TEXT NOT NULL,
    note TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    assessed_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    UNIQUE (adviser_id, year)
);
