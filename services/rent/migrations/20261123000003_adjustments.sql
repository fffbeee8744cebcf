-- A journal is reversed at most once.
CREATE UNIQUE INDEX journal_entries_reversed_once ON journal_entries (reverses) WHERE reverses IS NOT NULL;
-- Creating requests (adjustments, reversals) carry an id so a retry posts nothing more.
ALTER TABLE journal_entries ADD COLUMN request_id text UNIQUE;
