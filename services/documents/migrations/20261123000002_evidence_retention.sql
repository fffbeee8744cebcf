-- Evidence and certificates. Bytes live in the object store at blob_path; this is the
-- metadata. case_kind/case_id name the case whose closure starts the retention clock.
CREATE TABLE documents (
    id                uuid        PRIMARY KEY,
    owner_kind        text        NOT NULL,
    owner_id          text        NOT NULL,
    application_id    uuid,
    evidence_type     text        NOT NULL,
    filename          text        NOT NULL,
    content_type      text        NOT NULL,
    size_bytes        bigint      NOT NULL CHECK (size_bytes > 0),
    sha256            text        NOT NULL,
    blob_path         text        NOT NULL UNIQUE,
    status            text        NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    rejection_reason  text,
    reviewed_by       text,
    reviewed_at       timestamptz,
    expires_on        date,
    uploaded_by       text        NOT NULL,
    uploaded_at       timestamptz NOT NULL,
    case_kind         text        NOT NULL,
    case_id           text        NOT NULL,
    CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL))
);
CREATE INDEX documents_owner ON documents (owner_kind, owner_id, uploaded_at, id);
CREATE INDEX documents_application ON documents (application_id, uploaded_at, id);
CREATE INDEX documents_case ON documents (case_kind, case_id);

-- Every review decision, append-only: who decided what, when and why.
CREATE TABLE document_reviews (
    document_id  uuid        NOT NULL,
    status       text        NOT NULL,
    reason       text,
    decided_by   text        NOT NULL,
    decided_at   timestamptz NOT NULL
);

ALTER TABLE letters ADD COLUMN case_kind text NOT NULL DEFAULT 'application';
ALTER TABLE letters ADD COLUMN case_id text NOT NULL DEFAULT '';
CREATE INDEX letters_case ON letters (case_kind, case_id);

ALTER TABLE checklists ADD COLUMN application_id uuid;
ALTER TABLE checklists ADD COLUMN completed_at timestamptz;
CREATE INDEX checklists_application ON checklists (application_id);
ALTER TABLE checklist_items ADD COLUMN document_id uuid;

-- The little the service keeps about a person to address letters, fed by events.
CREATE TABLE people (
    application_id  uuid        PRIMARY KEY,
    lead_name       text        NOT NULL,
    reference       text        NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL
);

-- Cases that have ended, and how: the start of each retention clock.
CREATE TABLE closed_cases (
    case_kind  text  NOT NULL,
    case_id    text  NOT NULL,
    closure    text  NOT NULL,
    closed_on  date  NOT NULL,
    PRIMARY KEY (case_kind, case_id)
);

CREATE TABLE legal_holds (
    application_id  uuid        PRIMARY KEY,
    reason          text        NOT NULL,
    placed_by       text        NOT NULL,
    placed_at       timestamptz NOT NULL
);

-- A record of each destruction, without personal data: what, which class, when.
CREATE TABLE destructions (
    record_id        uuid        PRIMARY KEY,
    record_type      text        NOT NULL,
    retention_class  text        NOT NULL,
    destroyed_at     timestamptz NOT NULL
);
