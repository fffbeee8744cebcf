-- Choice-based lettings: a vacancy advertised for a bidding cycle, the bids, and the
-- published result.
CREATE TABLE adverts (
    id           uuid        PRIMARY KEY,
    vacancy_id   uuid        NOT NULL REFERENCES vacancies (id),
    closes_on    date        NOT NULL,
    minimum_age  integer     NOT NULL DEFAULT 0,
    adapted      boolean     NOT NULL DEFAULT false,
    status       text        NOT NULL DEFAULT 'open',
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    closed_at    timestamptz
);
CREATE UNIQUE INDEX adverts_one_open_per_vacancy ON adverts (vacancy_id) WHERE status = 'open';

CREATE TABLE bids (
    advert_id       uuid        NOT NULL REFERENCES adverts (id),
    application_id  uuid        NOT NULL,
    -- live, withdrawn, or closed once bidding ends
    status          text        NOT NULL DEFAULT 'live',
    placed_by       text        NOT NULL,
    placed_at       timestamptz NOT NULL,
    PRIMARY KEY (advert_id, application_id)
);
CREATE INDEX bids_live_by_applicant ON bids (application_id) WHERE status = 'live';

CREATE TABLE advert_results (
    advert_id       uuid    NOT NULL REFERENCES adverts (id),
    position        integer NOT NULL,
    application_id  uuid    NOT NULL,
    reference       text    NOT NULL,
    band            text    NOT NULL,
    points          integer NOT NULL,
    effective_date  date    NOT NULL,
    PRIMARY KEY (advert_id, position)
);
