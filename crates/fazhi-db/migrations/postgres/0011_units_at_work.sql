-- Units at work: the co-handlers (协办) of a matter's current assignment, kept beside
-- `state` on every write like the derived columns of `matters`, so that the task list
-- of a supporting unit or village is a plain join. Unit membership is `users.unit_id`.
CREATE TABLE matter_co_handlers (
    matter_id BIGINT NOT NULL REFERENCES matters (id),
    assignee_kind TEXT NOT NULL,
    assignee_id BIGINT NOT NULL,
    CONSTRAINT matter_co_handlers_pkey PRIMARY KEY (matter_id, assignee_kind, assignee_id)
);
CREATE INDEX matter_co_handlers_handler_idx ON matter_co_handlers (assignee_kind, assignee_id, matter_id);
