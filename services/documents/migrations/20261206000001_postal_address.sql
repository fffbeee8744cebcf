-- Where letters reach each household, a line each: from the register, then the unit it is
-- placed in. NULL until an event has said; empty when it has no fixed abode.
ALTER TABLE people ADD COLUMN address text[];
