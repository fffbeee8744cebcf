-- A bond's page and every list of bonds sum its claims; without this each sum scanned them all.
CREATE INDEX bond_claims_by_bond ON bond_claims (bond_id, id);
