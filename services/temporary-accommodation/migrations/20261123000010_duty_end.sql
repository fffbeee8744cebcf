-- A duty-ending decision (a suitable final offer refused) gives the household notice: the
-- placement stays open until this date, when the daily sweep closes it.
ALTER TABLE placements ADD COLUMN duty_ends_on date;
CREATE INDEX placements_duty_ends ON placements (duty_ends_on) WHERE status <> 'closed' AND duty_ends_on IS NOT NULL;
