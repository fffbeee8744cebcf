-- A partner takes a vacancy back before it is let, with the reason.
ALTER TABLE vacancies ADD COLUMN withdrawal_reason text;
-- The partners' list, by name.
CREATE INDEX partners_by_name ON partners (name, id);
