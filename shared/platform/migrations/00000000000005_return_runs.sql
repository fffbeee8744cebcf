-- Every run of a statutory return or report: who produced which file, when, for what period.
CREATE TABLE return_runs (
    id            uuid        PRIMARY KEY,
    kind          text        NOT NULL,
    period_start  date        NOT NULL,
    period_end    date        NOT NULL,
    run_by        text        NOT NULL,
    -- The name the verified token gave when the return was run.
    run_by_name   text        NOT NULL,
    run_at        timestamptz NOT NULL,
    rows          bigint      NOT NULL,
    sha256        text        NOT NULL
);
CREATE INDEX return_runs_newest ON return_runs (run_at DESC);
