CREATE TABLE rent_accounts (
    id                   uuid        PRIMARY KEY,
    placement_id         uuid        NOT NULL UNIQUE,
    application_id       uuid,
    status               text        NOT NULL,
    weekly_charge_pence  bigint      NOT NULL CHECK (weekly_charge_pence >= 0),
    opened_on            date        NOT NULL,
    closed_on            date,
    -- Charges are posted for every day before this date.
    charged_through      date        NOT NULL,
    created_at           timestamptz NOT NULL
);

-- The ledger: journal entries whose postings sum to zero. Nothing is updated or deleted;
-- a mistake is put right by a reversing entry.
CREATE TABLE journal_entries (
    id               bigserial   PRIMARY KEY,
    kind             text        NOT NULL,
    memo             text        NOT NULL,
    rent_account_id  uuid        REFERENCES rent_accounts (id),
    effective_date   date        NOT NULL,
    reverses         bigint      REFERENCES journal_entries (id),
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL
);

CREATE TABLE postings (
    id              bigserial PRIMARY KEY,
    journal_id      bigint    NOT NULL REFERENCES journal_entries (id),
    ledger_account  text      NOT NULL,
    -- Debit positive, credit negative, in pence.
    amount_pence    bigint    NOT NULL CHECK (amount_pence <> 0)
);
CREATE INDEX postings_account ON postings (ledger_account);
CREATE INDEX postings_journal ON postings (journal_id);

-- Checked at commit, once every posting of the transaction is in.
CREATE FUNCTION journal_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT coalesce(sum(amount_pence), 0) FROM postings WHERE journal_id = NEW.journal_id) <> 0 THEN
        RAISE EXCEPTION 'journal % does not balance', NEW.journal_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER postings_balance AFTER INSERT ON postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_must_balance();

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: reverse, do not %', TG_OP;
END $$;
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
