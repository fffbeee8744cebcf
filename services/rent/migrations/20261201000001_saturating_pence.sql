-- Sums of postings are numeric; casting one to bigint fails ("bigint out of range") when a
-- ledger holds an absurd posting, and every read of the account would fail with it. Reads
-- hold such a sum at the ends of the bigint range instead: the account still answers, with
-- a balance no one can mistake for a real one. Whatever posts checks its amounts first.
CREATE FUNCTION saturating_pence(pence numeric) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT greatest(least(pence, 9223372036854775807), -9223372036854775808)::bigint $$;
