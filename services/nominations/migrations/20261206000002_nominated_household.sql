-- What the partner is told about the household (see domain::household), as the register
-- held it when nominated; empty for nominations made before it was kept.
ALTER TABLE nominations ADD COLUMN household jsonb;
