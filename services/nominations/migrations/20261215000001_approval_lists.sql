-- The lists added for the officers' console (NominationsService.ListDecants, ListIncentives
-- and ListExchangeListings), each read a page at a time in key order straight from an index.

-- Decants, the first recorded first: all of them, and by status (moved ones await payment).
CREATE INDEX decants_created ON decants (created_at, id);
CREATE INDEX decants_by_status ON decants (status, created_at, id);

-- Under-occupation moves: lettings in the order reported, each application's latest found
-- by application; incentives in the order approved, and by application to tell whether a
-- move has one.
CREATE INDEX lettings_completed ON lettings (completed_at, id);
CREATE INDEX lettings_by_application ON lettings (application_id, completed_at);
CREATE INDEX incentives_approved ON incentives (approved_at, id);
CREATE INDEX incentives_by_application ON incentives (application_id, approved_at);

-- Exchange listings, the latest first, by status.
CREATE INDEX exchange_listings_by_status ON exchange_listings (status, id);
