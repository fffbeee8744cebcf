-- Version 2 is the events crate's outbox and inbox; the shared migrators number apart.
-- Each daily job runs once a day however many replicas there are.
CREATE TABLE daily_job_runs (
    job          text        NOT NULL,
    day          date        NOT NULL,
    finished_at  timestamptz NOT NULL,
    PRIMARY KEY (job, day)
);
