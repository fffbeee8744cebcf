CREATE TABLE partners (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL,
    response_days  integer     NOT NULL CHECK (response_days > 0),
    created_at     timestamptz NOT NULL
);

CREATE TABLE vacancies (
    id                     uuid        PRIMARY KEY,
    partner_id             uuid        NOT NULL REFERENCES partners (id),
    address                text        NOT NULL,
    area                   text        NOT NULL,
    bedrooms               integer     NOT NULL CHECK (bedrooms >= 0),
    property_type          text        NOT NULL,
    step_free              boolean     NOT NULL,
    wheelchair_accessible  boolean     NOT NULL,
    weekly_rent_pence      bigint      NOT NULL CHECK (weekly_rent_pence >= 0),
    available_from         date        NOT NULL,
    void_start             date        NOT NULL,
    status                 text        NOT NULL,
    reported_at            timestamptz NOT NULL
);
CREATE INDEX vacancies_partner ON vacancies (partner_id);

CREATE TABLE nominations (
    id                     uuid        PRIMARY KEY,
    vacancy_id             uuid        NOT NULL REFERENCES vacancies (id),
    partner_id             uuid        NOT NULL REFERENCES partners (id),
    application_id         uuid        NOT NULL,
    application_reference  text        NOT NULL,
    band                   text        NOT NULL,
    status                 text        NOT NULL,
    respond_by             date        NOT NULL,
    rejection_reason       text,
    nominated_by           text        NOT NULL,
    nominated_at           timestamptz NOT NULL,
    responded_at           timestamptz
);
-- A vacancy has one live nomination at a time.
CREATE UNIQUE INDEX nominations_one_live_per_vacancy ON nominations (vacancy_id) WHERE status IN ('pending', 'accepted', 'let');
CREATE INDEX nominations_partner ON nominations (partner_id, nominated_at, id);

-- The CORE-shaped record of each social letting.
CREATE TABLE lettings (
    id                  uuid        PRIMARY KEY,
    nomination_id       uuid        NOT NULL UNIQUE REFERENCES nominations (id),
    vacancy_id          uuid        NOT NULL REFERENCES vacancies (id),
    partner_id          uuid        NOT NULL REFERENCES partners (id),
    application_id      uuid        NOT NULL,
    tenancy_start_date  date        NOT NULL,
    weekly_rent_pence   bigint      NOT NULL,
    bedrooms            integer     NOT NULL,
    void_start          date        NOT NULL,
    referral_source     text        NOT NULL,
    choice_based        boolean     NOT NULL,
    completed_at        timestamptz NOT NULL
);
