-- The stock version moved as soon as a statement wrote to units, certificates or
-- placements, so every placement held the one version row locked from its insert until it
-- committed, and concurrent placements queued behind each other (the platform load test
-- found it). The version now moves once per transaction, as it commits.
DROP TRIGGER units_change_stock ON units;
DROP TRIGGER certificates_change_stock ON certificates;
DROP TRIGGER placements_change_stock ON placements;

CREATE FUNCTION bump_stock_version_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Deferred row triggers fire once per row changed; the first in a transaction is enough.
    IF current_setting('housing.stock_version_bumped', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('housing.stock_version_bumped', 'yes', true);
    UPDATE stock_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER units_change_stock AFTER INSERT OR UPDATE OR DELETE ON units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_stock_version_at_commit();
CREATE CONSTRAINT TRIGGER certificates_change_stock AFTER INSERT OR UPDATE OR DELETE ON certificates
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_stock_version_at_commit();
CREATE CONSTRAINT TRIGGER placements_change_stock AFTER INSERT OR UPDATE OR DELETE ON placements
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_stock_version_at_commit();

DROP FUNCTION bump_stock_version();
