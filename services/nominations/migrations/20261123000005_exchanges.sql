-- Mutual exchanges: tenants' homes and wishes, the swaps and chains put to landlords, and
-- each landlord's consent.
CREATE TABLE exchange_listings (
    id             uuid        PRIMARY KEY,
    tenant_name    text        NOT NULL,
    -- 'council' or the owning partner's id
    landlord       text        NOT NULL,
    area           text        NOT NULL,
    bedrooms       integer     NOT NULL,
    property_type  text        NOT NULL,
    wants_areas    text[]      NOT NULL,
    min_bedrooms   integer     NOT NULL,
    max_bedrooms   integer     NOT NULL,
    wants_types    text[]      NOT NULL,
    status         text        NOT NULL DEFAULT 'active',
    created_at     timestamptz NOT NULL
);
CREATE INDEX exchange_listings_active ON exchange_listings (id) WHERE status = 'active';

CREATE TABLE exchanges (
    id           uuid        PRIMARY KEY,
    listing_ids  uuid[]      NOT NULL,
    status       text        NOT NULL DEFAULT 'awaiting_consent',
    proposed_by  text        NOT NULL,
    proposed_at  timestamptz NOT NULL
);

CREATE TABLE exchange_consents (
    exchange_id  uuid        NOT NULL REFERENCES exchanges (id),
    landlord     text        NOT NULL,
    decision     text,
    reason       text,
    decided_by   text,
    decided_at   timestamptz,
    PRIMARY KEY (exchange_id, landlord)
);

-- Direct offers that bypass bidding, and why.
ALTER TABLE nominations ADD COLUMN offer_kind text NOT NULL DEFAULT 'nomination';
