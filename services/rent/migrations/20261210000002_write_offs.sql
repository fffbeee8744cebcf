-- Write-offs an officer asks for and a manager decides. An approval posts the write-off
-- journal in the same transaction; a decision, once made, is never changed.
CREATE TYPE write_off_status AS ENUM ('pending', 'approved', 'declined');

CREATE TABLE write_offs (
    id               uuid              PRIMARY KEY,
    account_id       uuid              NOT NULL REFERENCES rent_accounts (id),
    amount_pence     bigint            NOT NULL CHECK (amount_pence > 0),
    reason           text              NOT NULL,
    status           write_off_status  NOT NULL,
    -- A retried request finds the write-off it made.
    request_id       text              NOT NULL UNIQUE,
    requested_by     text              NOT NULL,
    requested_at     timestamptz       NOT NULL,
    decided_by       text,
    decided_at       timestamptz,
    decision_reason  text,
    journal_id       bigint            UNIQUE REFERENCES journal_entries (id),
    CHECK ((status = 'pending') = (decided_by IS NULL)),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK ((status = 'approved') = (journal_id IS NOT NULL)),
    CHECK (status <> 'declined' OR decision_reason IS NOT NULL)
);
-- The approvals queue (pending, oldest first) and the history of each status.
CREATE INDEX write_offs_by_status ON write_offs (status, requested_at, id);
CREATE INDEX write_offs_by_account ON write_offs (account_id, requested_at, id);

CREATE FUNCTION write_offs_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'write-off % has been decided: it is not changed again', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER write_offs_decided_once BEFORE UPDATE OR DELETE ON write_offs
    FOR EACH ROW EXECUTE FUNCTION write_offs_decided_once();
