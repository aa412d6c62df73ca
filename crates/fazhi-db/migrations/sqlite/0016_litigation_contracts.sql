-- The 复议 and 诉讼 register (cases where the township is respondent or defendant),
-- the contracts register and normative documents. As for the review desk, `state`
-- holds each record as JSON (the truth for fazhi-core's rules) and the columns beside
-- it are derived from it on every write, for lists and figures.

CREATE TABLE litigation_cases (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    claimant TEXT NOT NULL,
    challenged_act TEXT NOT NULL,
    received_on TEXT NOT NULL,
    answer_due TEXT NOT NULL,
    answered_on TEXT,
    concluded_on TEXT,
    outcome TEXT,
    enforcement_case_id INTEGER REFERENCES enforcement_cases (id),
    major_decision_id INTEGER REFERENCES major_decisions (id),
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX litigation_cases_path_idx ON litigation_cases (division_path, id);
CREATE INDEX litigation_cases_received_idx ON litigation_cases (received_on);

CREATE TABLE litigation_events (
    id INTEGER PRIMARY KEY,
    litigation_id INTEGER NOT NULL REFERENCES litigation_cases (id),
    at INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX litigation_events_case_idx ON litigation_events (litigation_id, id);

-- Contracts the township signs: the review item on the desk is linked, and the
-- columns beside the state serve the expiry reminders and the lists.
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    title TEXT NOT NULL,
    counterparty TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    status TEXT NOT NULL,
    signed_on TEXT,
    expires_on TEXT,
    skipped_review INTEGER NOT NULL,
    legal_review_id INTEGER REFERENCES legal_reviews (id),
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX contracts_path_idx ON contracts (division_path, id);
CREATE INDEX contracts_expiry_idx ON contracts (status, expires_on);

CREATE TABLE contract_events (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    at INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX contract_events_contract_idx ON contract_events (contract_id, id);

-- Normative documents (行政规范性文件): the review item on the desk is linked; the
-- columns beside the state serve the lists, the reminders and the public lists.
CREATE TABLE normative_documents (
    id INTEGER PRIMARY KEY,
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    division_path TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL,
    status TEXT NOT NULL,
    published_on TEXT,
    effective_on TEXT,
    expires_on TEXT,
    filing_due TEXT,
    filed_on TEXT,
    legal_review_id INTEGER REFERENCES legal_reviews (id),
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX normative_documents_path_idx ON normative_documents (division_path, id);
CREATE UNIQUE INDEX normative_documents_number_key ON normative_documents (division_id, number) WHERE number <> '';

CREATE TABLE normative_events (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES normative_documents (id),
    at INTEGER NOT NULL,
    on_date TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX normative_events_document_idx ON normative_events (document_id, id);
