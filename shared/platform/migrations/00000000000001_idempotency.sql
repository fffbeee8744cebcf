-- Creating RPCs take a request_id: a retry returns the first answer instead of doing the
-- work twice. The answer is kept as the encoded response message.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope       text        NOT NULL,
    request_id  text        NOT NULL,
    response    bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, request_id)
);
