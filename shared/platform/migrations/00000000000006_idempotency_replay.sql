-- A request id's lock and the look for its first answer in one round trip. It has to be a
-- function: under READ COMMITTED each statement in it sees what had committed when that
-- statement began, so the look, made once the lock is granted, finds an answer the first
-- run committed while this one waited. A single statement would look with what it saw
-- before it waited, and do the work a second time.
CREATE FUNCTION idempotency_replay(p_scope text, p_request_id text) RETURNS bytea
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_scope || '/' || p_request_id, 0));
    RETURN (SELECT response FROM idempotency_keys
            WHERE scope = p_scope AND request_id = p_request_id);
END
$$;
