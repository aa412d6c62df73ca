-- Issue 16: the adviser who gave a desk opinion, linked by roster id (older opinions
-- stay matched by the adviser's account), and the clean-up rounds of normative documents.
ALTER TABLE legal_reviews ADD COLUMN opinion_adviser_id INTEGER REFERENCES legal_advisers (id);
CREATE INDEX legal_reviews_opinion_adviser_idx ON legal_reviews (opinion_adviser_id);

CREATE TABLE normative_cleanup_rounds (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    round_on TEXT NOT NULL,
    scope TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- The published lists (valid, repealed, expired) as JSON, fixed when recorded.
    lists TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX normative_cleanup_rounds_path_idx ON normative_cleanup_rounds (division_path, round_on);
