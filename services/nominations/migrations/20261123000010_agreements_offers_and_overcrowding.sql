-- A nomination agreement gives the council a share of the partner's lets; the council's own
-- stock is let through the same service as a landlord of its own.
ALTER TABLE partners
    ADD COLUMN nomination_share_percent integer NOT NULL DEFAULT 100
        CHECK (nomination_share_percent BETWEEN 1 AND 100),
    ADD COLUMN council_stock boolean NOT NULL DEFAULT false;

-- What the partner records after accepting: the formal offer and the viewing.
ALTER TABLE nominations
    ADD COLUMN offered_on date,
    ADD COLUMN viewed_on date,
    ADD COLUMN viewing_notes text,
    ADD COLUMN overcrowded boolean NOT NULL DEFAULT false,
    ADD COLUMN current_bedrooms integer;
