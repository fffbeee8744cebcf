-- Transactional outbox: an event row is written in the same transaction as the change it
-- reports; the relay publishes unpublished rows in order and marks them.
CREATE TABLE IF NOT EXISTS outbox (
    seq           bigserial   PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    subject       text        NOT NULL,
    ce_type       text        NOT NULL,
    ce_subject    text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    payload       bytea       NOT NULL,
    traceparent   text,
    published_at  timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

-- Inbox: the id of every event a consumer has applied, written with its effect, so a
-- redelivered event changes nothing.
CREATE TABLE IF NOT EXISTS inbox (
    consumer      text        NOT NULL,
    event_id      uuid        NOT NULL,
    subject       text        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
