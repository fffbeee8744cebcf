-- Households moved out of homes a regeneration scheme will rebuild: their rehousing rights
-- and the home-loss and disturbance payments approved for them.
CREATE TABLE decants (
    id                  uuid        PRIMARY KEY,
    scheme              text        NOT NULL,
    application_id      uuid        NOT NULL,
    payee_name          text        NOT NULL,
    address             text        NOT NULL,
    tenure              text        NOT NULL,
    occupied_since      date        NOT NULL,
    market_value_pence  bigint      NOT NULL CHECK (market_value_pence >= 0),
    right_to_return     boolean     NOT NULL,
    status              text        NOT NULL,
    moved_on            date,
    home_loss_pence     bigint,
    home_loss_reason    text,
    rules_version       text,
    disturbance         jsonb       NOT NULL DEFAULT '[]',
    approved_by         text,
    approved_at         timestamptz,
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL
);
-- One decant at a time for a household.
CREATE UNIQUE INDEX decants_one_awaiting_per_application ON decants (application_id) WHERE status = 'awaiting_move';
