-- Annual reports as saved by a township's staff: the words they wrote around
-- figure slots (JSON), with the values the slots had when saved, so the page can show
-- which figures moved since. One row per township and year, changed under a version.

CREATE TABLE annual_reports (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    year INTEGER NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    saved_by INTEGER REFERENCES users (id),
    saver TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    -- The way out (rules.md §6): secrecy check, signing, submission, publication.
    status TEXT NOT NULL,
    checked_on TEXT,
    checked_by TEXT,
    signers TEXT,
    signed_on TEXT,
    submitted_on TEXT,
    published_on TEXT,
    published_text TEXT,
    CONSTRAINT annual_reports_township_year_key UNIQUE (township_id, year)
);
