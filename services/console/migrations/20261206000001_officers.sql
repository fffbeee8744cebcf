-- The services record who decided by the subject of the officer's token; the console shows
-- officers by name, as each gave it at their latest sign-in.
CREATE TABLE officers (
    subject        text PRIMARY KEY,
    name           text NOT NULL,
    last_signed_in timestamptz NOT NULL DEFAULT now()
);
