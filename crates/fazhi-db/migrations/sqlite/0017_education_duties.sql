-- Duties beside publicity (issue 17): the heads' yearly 述法 statements, each village's
-- standing (民主法治示范村, 村规民约 review, its legal adviser), the yearly 普法 plan under
-- 谁执法谁普法, enterprise visits (法治体检; contact phones sealed like the rosters'),
-- and emergency plans with their drills. Years are stored as period keys.

-- One statement per head, township and year; a second is an update under the version.
CREATE TABLE law_statements (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    post TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    occasion TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    rating TEXT,
    rating_note TEXT,
    rated_by INTEGER REFERENCES users (id),
    rated_at INTEGER,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT law_statements_head_year_key UNIQUE (township_id, user_id, year)
);
CREATE INDEX law_statements_year_idx ON law_statements (year, division_path);

-- A village's standing; a village without a row has none recorded.
CREATE TABLE village_profiles (
    division_id INTEGER PRIMARY KEY REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    model_level TEXT,
    model_year INTEGER,
    rules_reviewed_on TEXT,
    rules_reviewed_by TEXT,
    adviser_name TEXT,
    adviser_firm TEXT,
    version INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at INTEGER NOT NULL
);
CREATE INDEX village_profiles_path_idx ON village_profiles (division_path);

-- The 普法 plan and 谁执法谁普法 list: a unit, the laws it publicises, what it plans.
CREATE TABLE publicity_plan_items (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    laws TEXT NOT NULL,
    kind TEXT,
    planned INTEGER NOT NULL,
    note TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX publicity_plan_items_year_idx ON publicity_plan_items (year, division_path);

CREATE TABLE enterprise_visits (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    visited_on TEXT NOT NULL,
    visited_year INTEGER NOT NULL,
    visitors TEXT NOT NULL,
    contact_name TEXT,
    phone_enc TEXT,
    phone_idx TEXT,
    phone_mask TEXT,
    issues TEXT,
    issue_count INTEGER NOT NULL,
    advice TEXT,
    rectify_by TEXT,
    rectified_on TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX enterprise_visits_path_idx ON enterprise_visits (division_path, visited_on);
CREATE INDEX enterprise_visits_year_idx ON enterprise_visits (visited_year, division_path);

CREATE TABLE emergency_plans (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    version_label TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    filed_on TEXT,
    next_review_on TEXT NOT NULL,
    drill_years INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX emergency_plans_path_idx ON emergency_plans (division_path);

CREATE TABLE emergency_drills (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES emergency_plans (id),
    division_path TEXT NOT NULL,
    held_on TEXT NOT NULL,
    held_year INTEGER NOT NULL,
    scenario TEXT NOT NULL,
    form TEXT NOT NULL,
    participants INTEGER NOT NULL,
    evaluation TEXT,
    revisions TEXT,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX emergency_drills_plan_idx ON emergency_drills (plan_id, held_on);
CREATE INDEX emergency_drills_year_idx ON emergency_drills (held_year, division_path);
