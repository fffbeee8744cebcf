-- A provider is an agent or a landlord letting directly, with the people to call.
ALTER TABLE providers ADD COLUMN landlord boolean NOT NULL DEFAULT false;
ALTER TABLE providers ADD COLUMN contacts jsonb NOT NULL DEFAULT '[]';

-- The terms units are taken on: block booking, spot purchase or lease, for a period.
CREATE TABLE agreements (
    id           uuid  PRIMARY KEY,
    provider_id  uuid  NOT NULL REFERENCES providers (id),
    kind         text  NOT NULL,
    reference    text  NOT NULL,
    starts_on    date  NOT NULL,
    ends_on      date  NOT NULL CHECK (ends_on > starts_on),
    UNIQUE (provider_id, reference)
);
