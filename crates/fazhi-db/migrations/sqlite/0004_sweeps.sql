-- Monthly sweeps (排查): each grid reports the matters it found that month (linked),
-- or a zero report (零报告). One sweep per grid and month.

CREATE TABLE sweeps (
    id INTEGER PRIMARY KEY,
    grid_id INTEGER NOT NULL REFERENCES grids (id),
    month TEXT NOT NULL,
    zero_report INTEGER NOT NULL,
    note TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users (id),
    submitted_at INTEGER NOT NULL,
    CONSTRAINT sweeps_grid_id_month_key UNIQUE (grid_id, month)
);
CREATE INDEX sweeps_month_idx ON sweeps (month);

CREATE TABLE sweep_matters (
    sweep_id INTEGER NOT NULL REFERENCES sweeps (id),
    matter_id INTEGER NOT NULL REFERENCES matters (id),
    PRIMARY KEY (sweep_id, matter_id)
);
