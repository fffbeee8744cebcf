-- The income officer's arrears queue: accounts by recovery stage and status, the highest
-- balance first. A balance is the sum of the account's postings and a stage is the arrears
-- review's; reading both for every account on every page would read the whole ledger, so
-- what the queue sorts and filters by is kept here, by the database, in the statement that
-- changes it. The balance is numeric, as the sums read back are, so a ledger holding an
-- absurd posting still posts and still sorts.
--
-- The balance is not indexed. The weekly run changes every account's balance; unindexed,
-- each change is rewritten within its page (a HOT update, in the room the fill factor
-- leaves) with no index to write. Measured over a run of 132,000 accounts, keeping the
-- queue took 0.7 to 0.9 s of the database's time this way, against 2.1 to 2.7 s with the
-- balance in the two indexes a page would read (the run itself takes about 9 s). A page
-- sorts the queue's narrow rows instead: 10 to 25 ms for 130,000 accounts.
CREATE TABLE account_queue (
    account_id     uuid     PRIMARY KEY REFERENCES rent_accounts (id),
    balance_pence  numeric  NOT NULL,
    -- As arrears_cases has it; 'clear' for an account never reviewed.
    stage          text     NOT NULL
        CHECK (stage IN ('clear', 'reminder', 'first_letter', 'second_letter', 'payment_plan', 'referral')),
    -- As rent_accounts has it.
    status         text     NOT NULL CHECK (status IN ('open', 'closed'))
) WITH (fillfactor = 70);
-- A stage changes only at a review.
CREATE INDEX account_queue_stage ON account_queue (stage);

INSERT INTO account_queue (account_id, balance_pence, stage, status)
SELECT a.id,
       coalesce((SELECT sum(p.amount_pence) FROM postings p WHERE p.ledger_account = 'tenant:' || a.id), 0),
       coalesce((SELECT c.stage FROM arrears_cases c WHERE c.account_id = a.id), 'clear'),
       a.status
FROM rent_accounts a;

-- Every account is in the queue from the start.
CREATE FUNCTION account_queue_takes_new_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_queue (account_id, balance_pence, stage, status)
    SELECT id, 0, 'clear', status FROM new_accounts;
    RETURN NULL;
END $$;
CREATE TRIGGER rent_accounts_queue AFTER INSERT ON rent_accounts
    REFERENCING NEW TABLE AS new_accounts
    FOR EACH STATEMENT EXECUTE FUNCTION account_queue_takes_new_accounts();

CREATE FUNCTION account_queue_follows_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account_queue SET status = NEW.status WHERE account_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER rent_accounts_queue_status AFTER UPDATE OF status ON rent_accounts
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION account_queue_follows_status();

CREATE FUNCTION account_queue_follows_stage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account_queue SET stage = NEW.stage WHERE account_id = NEW.account_id;
    RETURN NULL;
END $$;
CREATE TRIGGER arrears_cases_queue AFTER INSERT OR UPDATE OF stage ON arrears_cases
    FOR EACH ROW EXECUTE FUNCTION account_queue_follows_stage();

-- Once per statement, as the balance check is: the weekly run writes thousands of postings
-- in one. A tenant's ledger account is named after its rent account (`tenant:<id>`).
CREATE FUNCTION account_queue_follows_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account_queue q SET balance_pence = q.balance_pence + d.change
    FROM (SELECT substr(ledger_account, 8)::uuid AS account_id, sum(amount_pence) AS change
          FROM new_postings
          WHERE ledger_account LIKE 'tenant:%'
          GROUP BY ledger_account) d
    WHERE q.account_id = d.account_id;
    RETURN NULL;
END $$;
CREATE TRIGGER postings_account_queue AFTER INSERT ON postings
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION account_queue_follows_postings();

-- The queue's searches: an application's accounts, and references by how they start
-- (compared byte by byte, so that a prefix is a range of the index).
CREATE INDEX rent_accounts_application ON rent_accounts (application_id) WHERE application_id IS NOT NULL;
CREATE INDEX rent_accounts_reference_prefix ON rent_accounts ((payment_reference COLLATE "C"));
