-- Moving the version at commit still left one row every placement met: it stayed locked
-- from the bump until the commit had reached the disk, so placements could not share a
-- flush and committed one after another (sixteen writers moving one row managed a tenth of
-- the commits they managed without it). The version is now sixteen rows, read as their
-- sum, and a transaction moves the one its connection falls to: each commit still raises
-- the sum by one, and connections rarely meet.
CREATE TABLE stock_version_slots (
    slot     smallint PRIMARY KEY CHECK (slot BETWEEN 0 AND 15),
    version  bigint   NOT NULL
);
INSERT INTO stock_version_slots (slot, version)
SELECT s, CASE WHEN s = 0 THEN (SELECT version FROM stock_version) ELSE 0 END
FROM generate_series(0, 15) s;
DROP TABLE stock_version;
ALTER TABLE stock_version_slots RENAME TO stock_version;

CREATE OR REPLACE FUNCTION bump_stock_version_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Deferred row triggers fire once per row changed; the first in a transaction is enough.
    IF current_setting('housing.stock_version_bumped', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('housing.stock_version_bumped', 'yes', true);
    UPDATE stock_version SET version = version + 1 WHERE slot = pg_backend_pid() % 16;
    RETURN NULL;
END $$;
