CREATE TABLE providers (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL,
    contact_email  text        NOT NULL,
    created_at     timestamptz NOT NULL
);

CREATE TABLE units (
    id                     uuid        PRIMARY KEY,
    provider_id            uuid        NOT NULL REFERENCES providers (id),
    address                text        NOT NULL,
    local_authority        text        NOT NULL,
    latitude               double precision NOT NULL,
    longitude              double precision NOT NULL,
    unit_type              text        NOT NULL,
    bedrooms               integer     NOT NULL CHECK (bedrooms >= 0),
    max_occupancy          integer     NOT NULL CHECK (max_occupancy >= 1),
    self_contained         boolean     NOT NULL,
    step_free              boolean     NOT NULL,
    wheelchair_accessible  boolean     NOT NULL,
    weekly_cost_pence      bigint      NOT NULL CHECK (weekly_cost_pence >= 0),
    weekly_rent_pence      bigint      NOT NULL CHECK (weekly_rent_pence >= 0),
    block_booked           boolean     NOT NULL,
    created_at             timestamptz NOT NULL
);

CREATE TABLE certificates (
    unit_id     uuid  NOT NULL REFERENCES units (id),
    kind        text  NOT NULL,
    issued_on   date  NOT NULL,
    expires_on  date  NOT NULL CHECK (expires_on > issued_on),
    PRIMARY KEY (unit_id, kind)
);

CREATE TABLE placement_requests (
    id                       uuid        PRIMARY KEY,
    application_id           uuid,
    lead_name                text        NOT NULL,
    household_size           integer     NOT NULL,
    bedrooms_needed          integer     NOT NULL,
    has_children             boolean     NOT NULL,
    pregnant                 boolean     NOT NULL,
    needs_step_free          boolean     NOT NULL,
    needs_wheelchair_access  boolean     NOT NULL,
    duty                     text        NOT NULL,
    anchors                  jsonb       NOT NULL,
    needed_from              date        NOT NULL,
    requested_by             text        NOT NULL,
    created_at               timestamptz NOT NULL
);

CREATE TABLE placements (
    id                    uuid        PRIMARY KEY,
    placement_request_id  uuid        NOT NULL REFERENCES placement_requests (id),
    application_id        uuid,
    unit_id               uuid        NOT NULL REFERENCES units (id),
    status                text        NOT NULL,
    start_date            date        NOT NULL,
    end_date              date,
    weekly_rent_pence     bigint      NOT NULL,
    closure_reason        text,
    decided_by            text        NOT NULL,
    decided_at            timestamptz NOT NULL
);
-- A unit holds one household at a time; a request is placed once.
CREATE UNIQUE INDEX placements_one_active_per_unit ON placements (unit_id) WHERE status = 'active';
CREATE UNIQUE INDEX placements_one_active_per_request ON placements (placement_request_id) WHERE status = 'active';
CREATE INDEX placements_application ON placements (application_id) WHERE status = 'active';

-- Every decision on a placement: who, when, why, and the ranking that informed it.
CREATE TABLE placement_decisions (
    id            bigserial   PRIMARY KEY,
    placement_id  uuid        NOT NULL REFERENCES placements (id),
    decision      text        NOT NULL,
    reason        text        NOT NULL,
    detail        jsonb       NOT NULL,
    decided_by    text        NOT NULL,
    decided_at    timestamptz NOT NULL
);
