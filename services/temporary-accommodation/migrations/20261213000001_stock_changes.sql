-- A replica kept the vacant stock in memory and read all of it again whenever the stock
-- version moved. Every placement moves it, so under a stream of placements each replica
-- read the whole stock every few seconds, and that read (with the snapshot it held open)
-- was most of this database's work in the platform load test. Each change now names its
-- unit and the transaction that made it, so a replica reads again only the units changed
-- between the snapshot its copy is as of and now.
CREATE TABLE stock_changes (
    xid      xid8        NOT NULL DEFAULT pg_current_xact_id(),
    unit_id  uuid        NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_changes_by_xid ON stock_changes (xid);

CREATE FUNCTION note_unit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stock_changes (unit_id) VALUES (COALESCE(NEW.id, OLD.id));
    RETURN NULL;
END $$;

-- For placements and certificates, which name their unit; a row moved to another unit
-- changes both.
CREATE FUNCTION note_units_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stock_changes (unit_id)
    SELECT DISTINCT u FROM (VALUES (OLD.unit_id), (NEW.unit_id)) AS v (u) WHERE u IS NOT NULL;
    RETURN NULL;
END $$;

DROP TRIGGER units_change_stock ON units;
DROP TRIGGER certificates_change_stock ON certificates;
DROP TRIGGER placements_change_stock ON placements;
DROP FUNCTION bump_stock_version_at_commit();
DROP TABLE stock_version;

CREATE TRIGGER units_change_stock AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION note_unit_changed();
CREATE TRIGGER certificates_change_stock AFTER INSERT OR UPDATE OR DELETE ON certificates
    FOR EACH ROW EXECUTE FUNCTION note_units_changed();
CREATE TRIGGER placements_change_stock AFTER INSERT OR UPDATE OR DELETE ON placements
    FOR EACH ROW EXECUTE FUNCTION note_units_changed();

-- The history of a placement reads its decisions; without this each read scanned them all.
CREATE INDEX placement_decisions_by_placement ON placement_decisions (placement_id, id);
-- The same for a concern's actions.
CREATE INDEX concern_actions_by_concern ON concern_actions (concern_id, id);
