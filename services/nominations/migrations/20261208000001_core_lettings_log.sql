-- The household part of CORE's lettings log, in CORE's codes, as the register held it when
-- nominated. It holds equality data: read only by the log's export.
ALTER TABLE nominations ADD COLUMN core_household jsonb;
-- What CORE asks of the landlord (tenancy, charges, the home's history), when reported.
ALTER TABLE lettings ADD COLUMN core_details jsonb;
-- CORE's collection year runs by tenancy start.
CREATE INDEX lettings_tenancy_start ON lettings (tenancy_start_date, id);
