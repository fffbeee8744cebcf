CREATE TABLE letters (
    id               uuid        PRIMARY KEY,
    kind             text        NOT NULL,
    subject_id       text        NOT NULL,
    application_id   uuid,
    blob_path        text        NOT NULL,
    content_type     text        NOT NULL,
    size_bytes       bigint      NOT NULL,
    sha256           text        NOT NULL,
    -- The event the letter was written for: one letter per event.
    source_event_id  uuid        NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL
);
CREATE INDEX letters_application ON letters (application_id, created_at);

CREATE TABLE checklists (
    id          uuid        PRIMARY KEY,
    kind        text        NOT NULL,
    subject_id  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (kind, subject_id)
);

CREATE TABLE checklist_items (
    checklist_id  uuid  NOT NULL REFERENCES checklists (id),
    code          text  NOT NULL,
    description   text  NOT NULL,
    done          boolean NOT NULL DEFAULT false,
    PRIMARY KEY (checklist_id, code)
);
