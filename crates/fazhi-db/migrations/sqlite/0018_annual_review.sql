-- The annual report's way through review and up to the district (rules.md §6,
-- issue 18 §4, §6, §7): every saved version kept, comments on paragraphs, the text
-- as submitted, reports of townships not on the platform, and the district's 督办.

-- The text as it was submitted: the district compares these figures with the records,
-- which may change after submission.
ALTER TABLE annual_reports ADD COLUMN submitted_text TEXT;

-- Every saved body, so two versions can be compared side by side.
CREATE TABLE annual_report_versions (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    saver TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    CONSTRAINT annual_report_versions_key UNIQUE (township_id, year, version)
);

-- Internal review: a comment on one paragraph; open comments hold the secrecy check.
CREATE TABLE annual_report_comments (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    year INTEGER NOT NULL,
    section INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    written_at INTEGER NOT NULL,
    resolved_by TEXT,
    resolved_at INTEGER,
    answer TEXT
);
CREATE INDEX annual_report_comments_report ON annual_report_comments (township_id, year);

-- A report written outside the platform (txt, HTML, DOCX), uploaded for the district's
-- view; the latest upload per township and year is the one read.
CREATE TABLE annual_outside_reports (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    year INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    body TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    CONSTRAINT annual_outside_reports_key UNIQUE (township_id, year)
);

-- The district's 督办 notices to a township about its report, with the reply.
CREATE TABLE annual_notices (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES divisions (id),
    year INTEGER NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    due_on TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    reply TEXT,
    replied_by TEXT,
    replied_on TEXT
);
CREATE INDEX annual_notices_township ON annual_notices (township_id, year);
