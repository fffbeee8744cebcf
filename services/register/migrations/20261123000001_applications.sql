CREATE SEQUENCE application_reference_seq;

CREATE TABLE applications (
    id              uuid        PRIMARY KEY,
    reference       text        NOT NULL UNIQUE,
    status          text        NOT NULL,
    -- The whole household, lead applicant first, as the domain's members.
    household       jsonb       NOT NULL,
    area            text        NOT NULL,
    postcode        text        NOT NULL,
    circumstances   jsonb       NOT NULL,
    band            text,
    -- The band's place in the scheme (0 is the highest), so shortlists sort by priority.
    band_rank       integer,
    bedroom_need    integer,
    effective_date  date,
    scheme_version  text,
    submitted_by    text        NOT NULL,
    submitted_at    timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- Shortlists read active applications of one size, best band and oldest date first.
CREATE INDEX applications_shortlist
    ON applications (bedroom_need, band_rank, effective_date, reference)
    WHERE status = 'active';

-- Every assessment, as decided: append-only, so a decision can be explained and reviewed.
CREATE TABLE assessments (
    id                     bigserial   PRIMARY KEY,
    application_id         uuid        NOT NULL REFERENCES applications (id),
    band                   text        NOT NULL,
    bedroom_need           integer     NOT NULL,
    effective_date         date        NOT NULL,
    reasonable_preference  text[]      NOT NULL,
    rules_fired            text[]      NOT NULL,
    scheme_version         text        NOT NULL,
    assessed_by            text        NOT NULL,
    assessed_at            timestamptz NOT NULL
);
CREATE INDEX assessments_application ON assessments (application_id, id);

CREATE TABLE status_changes (
    id              bigserial   PRIMARY KEY,
    application_id  uuid        NOT NULL REFERENCES applications (id),
    from_status     text,
    to_status       text        NOT NULL,
    reason          text        NOT NULL,
    changed_by      text        NOT NULL,
    changed_at      timestamptz NOT NULL
);
