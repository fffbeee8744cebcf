-- Evidence about an application as the documents service reports it: each document's
-- latest state. A scheme may require verified evidence of some kinds before an application
-- goes live; a rejected document reopens its kind.
CREATE TYPE evidence_kind AS ENUM ('identity', 'immigration_status', 'address', 'income_and_savings', 'medical');
CREATE TYPE evidence_state AS ENUM ('received', 'verified', 'rejected');

CREATE TABLE application_evidence (
    document_id     uuid            PRIMARY KEY,
    application_id  uuid            NOT NULL,
    kind            evidence_kind   NOT NULL,
    state           evidence_state  NOT NULL,
    reason          text,
    decided_by      text            NOT NULL,
    decided_at      timestamptz     NOT NULL
);
CREATE INDEX application_evidence_by_application ON application_evidence (application_id);
