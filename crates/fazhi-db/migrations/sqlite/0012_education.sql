-- Legal education (普法) and cadre study (学法): the yearly theme-day table, publicity
-- events, study sessions with their attendance, and the rosters of 法律明白人, mediators
-- and grid workers (phones sealed like parties' phones). `held_year` is the period key
-- the yearly figures group by (no date functions in SQL).

CREATE TABLE theme_days (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    CONSTRAINT theme_days_year_key_key UNIQUE (year, key)
);

CREATE TABLE publicity_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    theme_key TEXT,
    theme_name TEXT,
    held_on TEXT NOT NULL,
    held_year INTEGER NOT NULL,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    grid_id INTEGER REFERENCES grids (id),
    unit_id INTEGER REFERENCES units (id),
    title TEXT NOT NULL,
    place TEXT,
    participants INTEGER NOT NULL,
    reached INTEGER NOT NULL,
    materials INTEGER NOT NULL,
    laws TEXT NOT NULL,
    summary TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX publicity_events_path_idx ON publicity_events (division_path, held_on);
CREATE INDEX publicity_events_year_idx ON publicity_events (held_year, division_path);

CREATE TABLE study_sessions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    held_year INTEGER NOT NULL,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    topic TEXT NOT NULL,
    speaker TEXT,
    minutes INTEGER NOT NULL,
    laws TEXT NOT NULL,
    summary TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX study_sessions_path_idx ON study_sessions (division_path, held_on);
CREATE INDEX study_sessions_year_idx ON study_sessions (held_year, division_path);

-- Who was expected (应到) at a session, and whether they came (实到): accounts, never typed names.
CREATE TABLE study_attendance (
    session_id INTEGER NOT NULL REFERENCES study_sessions (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    present INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE roster_people (
    id INTEGER PRIMARY KEY,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    grid_id INTEGER REFERENCES grids (id),
    phone_enc TEXT,
    phone_idx TEXT,
    phone_mask TEXT,
    note TEXT,
    active INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX roster_people_path_idx ON roster_people (division_path, role);

-- Legal exams of cadres: one row per imported export, one per person listed. A result
-- without a score did not sit the exam (缺考); grades come from the bands setting when
-- read, so the rates follow the bands the district sets.
CREATE TABLE exams (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    held_year INTEGER NOT NULL,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    source_name TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX exams_year_idx ON exams (held_year, division_path);

CREATE TABLE exam_results (
    exam_id INTEGER NOT NULL REFERENCES exams (id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    -- Hundredths of a point, NULL when absent. An integer: a REAL column whose NULLs and
    -- values shared one multi-row statement was refused by PostgreSQL through sqlx's
    -- Any driver ("incorrect binary data format in bind parameter").
    score_hundredths INTEGER,
    PRIMARY KEY (exam_id, seq)
);
