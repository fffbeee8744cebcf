-- Check balance once per statement instead of once per posting row: every journal's
-- postings are written by one statement, and the weekly run writes thousands of journals
-- in one, so a row-level check would repeat the same sums hundreds of thousands of times.
DROP TRIGGER postings_balance ON postings;
DROP FUNCTION journal_must_balance();

CREATE FUNCTION journals_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced bigint;
BEGIN
    SELECT p.journal_id INTO unbalanced
    FROM postings p
    WHERE p.journal_id IN (SELECT DISTINCT journal_id FROM new_postings)
    GROUP BY p.journal_id
    HAVING sum(p.amount_pence) <> 0
    LIMIT 1;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal % does not balance', unbalanced USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER postings_balance AFTER INSERT ON postings
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION journals_must_balance();
