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

-- The figure 重新办理 (bit 128 of `figure_flags`, fazhi_core::stats::Figure::Reopened):
-- matters reopened after a dissatisfied follow-up, as their timelines record.
UPDATE matters SET figure_flags = figure_flags + 128
WHERE repeat_of IS NULL AND (figure_flags & 128) = 0
    AND id IN (SELECT matter_id FROM matter_events WHERE action = 'reopen');

-- Risk triage (研判): the centre's risk level and whether the matter is pressing (urgent
-- or red), derived from `state` like the other columns; pressing matters lead task lists.
ALTER TABLE matters ADD COLUMN risk TEXT;
ALTER TABLE matters ADD COLUMN urgent BIGINT NOT NULL DEFAULT 0;
