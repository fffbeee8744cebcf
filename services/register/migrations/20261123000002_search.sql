-- Officers find applications by the lead applicant's family name and by postcode.
ALTER TABLE applications ADD COLUMN lead_family_name text
    GENERATED ALWAYS AS (lower(household -> 'members' -> 0 ->> 'family_name')) STORED;
CREATE INDEX applications_family_name ON applications (lead_family_name text_pattern_ops);
CREATE INDEX applications_postcode ON applications (postcode);
CREATE INDEX applications_submitted ON applications (submitted_at, id);
