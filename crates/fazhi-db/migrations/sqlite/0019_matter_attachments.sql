-- Files kept with a matter at any step (一事一档): scanned letters, signed agreements,
-- photos, recordings of follow-up calls. The bytes are on disk in the file store, named
-- by their SHA-256 and checked against it and SM3 before every download.

CREATE TABLE matter_attachments (
    id INTEGER PRIMARY KEY,
    matter_id INTEGER NOT NULL REFERENCES matters (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    sm3 TEXT NOT NULL,
    -- 1: holds a citizen's personal data; every download is audited.
    personal INTEGER NOT NULL,
    -- The matter's status when the file was added (the step it belongs to).
    step TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploader TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX matter_attachments_matter_idx ON matter_attachments (matter_id, id);
