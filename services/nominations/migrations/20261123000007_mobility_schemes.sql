-- Mobility schemes and the share of lets the council gives each.
CREATE TABLE mobility_schemes (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL UNIQUE,
    quota_percent  integer     NOT NULL CHECK (quota_percent BETWEEN 1 AND 100),
    created_at     timestamptz NOT NULL
);

ALTER TABLE nominations ADD COLUMN mobility_scheme_id uuid REFERENCES mobility_schemes (id);
