-- The whole application: details beyond the household, the scheme's outcome, overrides,
-- suspension and review dates, and what shortlists filter on.
ALTER TABLE applications RENAME COLUMN circumstances TO details;
UPDATE applications SET details = jsonb_build_object('circumstances', details);
-- Where the application sorts on a shortlist: the band's place in the scheme, or minus the
-- points under a points scheme. Lower comes first.
ALTER TABLE applications RENAME COLUMN band_rank TO priority;
ALTER TABLE applications
    ADD COLUMN outcome               text,
    ADD COLUMN points                integer,
    ADD COLUMN lead_date_of_birth    date,
    ADD COLUMN mobility              smallint NOT NULL DEFAULT 4,
    ADD COLUMN areas_wanted          text[]   NOT NULL DEFAULT '{}',
    ADD COLUMN property_types        text[]   NOT NULL DEFAULT '{}',
    ADD COLUMN missing               text[]   NOT NULL DEFAULT '{}',
    ADD COLUMN band_override         text,
    ADD COLUMN need_override         integer,
    ADD COLUMN awaiting_reassessment text[]   NOT NULL DEFAULT '{}',
    -- Qualification rules a decision review waived for this applicant.
    ADD COLUMN waived_rules          text[]   NOT NULL DEFAULT '{}',
    ADD COLUMN suspended_until       date,
    ADD COLUMN next_review_on        date;
UPDATE applications
SET lead_date_of_birth = (household -> 'members' -> 0 ->> 'date_of_birth')::date,
    next_review_on = (submitted_at + interval '12 months')::date;

-- Batch re-assessment rewrites every row; room on each page lets rows whose indexed
-- columns stay the same be updated in place (HOT) without touching the indexes.
ALTER TABLE applications SET (fillfactor = 85);

DROP INDEX applications_shortlist;
CREATE INDEX applications_shortlist
    ON applications (bedroom_need, priority, effective_date, reference)
    WHERE status = 'active';
CREATE INDEX applications_suspended ON applications (suspended_until) WHERE status = 'suspended';
CREATE INDEX applications_review_due ON applications (next_review_on)
    WHERE status IN ('active', 'suspended');

ALTER TABLE assessments
    ADD COLUMN outcome         text    NOT NULL DEFAULT 'active',
    ADD COLUMN points          integer,
    ADD COLUMN reason_codes    text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN exemptions      text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN trigger         text    NOT NULL DEFAULT 'submitted',
    ADD COLUMN override_reason text;

-- Changes of circumstances as reported: what changed, field by field.
CREATE TABLE circumstance_changes (
    id              bigserial   PRIMARY KEY,
    application_id  uuid        NOT NULL REFERENCES applications (id),
    changes         jsonb       NOT NULL,
    note            text        NOT NULL,
    changed_by      text        NOT NULL,
    changed_at      timestamptz NOT NULL
);
CREATE INDEX circumstance_changes_application ON circumstance_changes (application_id, id);

CREATE TABLE referrals (
    id              uuid        PRIMARY KEY,
    application_id  uuid        NOT NULL REFERENCES applications (id),
    panel           text        NOT NULL,
    question        text        NOT NULL,
    status          text        NOT NULL DEFAULT 'open',
    findings        text,
    referred_by     text        NOT NULL,
    referred_at     timestamptz NOT NULL,
    decided_by      text,
    decided_at      timestamptz
);
CREATE INDEX referrals_application ON referrals (application_id, referred_at);

CREATE TABLE annual_reviews (
    id              uuid        PRIMARY KEY,
    application_id  uuid        NOT NULL REFERENCES applications (id),
    raised_on       date        NOT NULL,
    reply_by        date        NOT NULL,
    -- open, renewed, withdrawn (the applicant no longer wants housing), closed_no_reply
    outcome         text        NOT NULL DEFAULT 'open',
    replied_at      timestamptz
);
CREATE UNIQUE INDEX annual_reviews_one_open ON annual_reviews (application_id) WHERE outcome = 'open';
CREATE INDEX annual_reviews_reply_by ON annual_reviews (reply_by) WHERE outcome = 'open';

-- Reviews of decisions under s.166A(9).
CREATE TABLE decision_reviews (
    id              uuid        PRIMARY KEY,
    application_id  uuid        NOT NULL REFERENCES applications (id),
    decision        text        NOT NULL,
    grounds         text        NOT NULL,
    requested_by    text        NOT NULL,
    requested_at    timestamptz NOT NULL,
    outcome         text        NOT NULL DEFAULT 'pending',
    reason          text,
    decided_by      text,
    decided_at      timestamptz
);
CREATE INDEX decision_reviews_application ON decision_reviews (application_id, requested_at);

-- A re-assessment of the whole register each time the scheme in force changes, resumable
-- from its cursor. The newest run names the version in force.
CREATE TABLE reassessment_runs (
    id              uuid        PRIMARY KEY,
    scheme_version  text        NOT NULL,
    state           text        NOT NULL DEFAULT 'running',
    total           bigint      NOT NULL,
    done            bigint      NOT NULL DEFAULT 0,
    moved           bigint      NOT NULL DEFAULT 0,
    cursor          uuid,
    started_at      timestamptz NOT NULL,
    completed_at    timestamptz
);

CREATE INDEX reassessment_runs_started ON reassessment_runs (started_at);

CREATE TABLE reassessment_moves (
    run_id          uuid    NOT NULL REFERENCES reassessment_runs (id),
    application_id  uuid    NOT NULL,
    reference       text    NOT NULL,
    from_outcome    text,
    to_outcome      text    NOT NULL,
    from_band       text,
    to_band         text    NOT NULL,
    from_points     integer,
    to_points       integer,
    PRIMARY KEY (run_id, application_id)
);
