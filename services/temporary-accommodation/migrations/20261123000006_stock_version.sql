-- A number that changes whenever anything a ranking reads changes (units, their
-- certificates, who is in them), so replicas can keep the vacant stock in memory and read
-- it again only when it has changed.
CREATE TABLE stock_version (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint  NOT NULL
);
INSERT INTO stock_version (version) VALUES (0);

CREATE FUNCTION bump_stock_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stock_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER units_change_stock AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_stock_version();
CREATE TRIGGER certificates_change_stock AFTER INSERT OR UPDATE OR DELETE ON certificates
    FOR EACH STATEMENT EXECUTE FUNCTION bump_stock_version();
CREATE TRIGGER placements_change_stock AFTER INSERT OR UPDATE OR DELETE ON placements
    FOR EACH STATEMENT EXECUTE FUNCTION bump_stock_version();
