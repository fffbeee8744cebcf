-- Refused offers: the interview, the reason and the council's decision on suitability.
CREATE TABLE refusals (
    nomination_id        uuid        PRIMARY KEY REFERENCES nominations (id),
    reason               text        NOT NULL,
    interview_notes      text        NOT NULL,
    final_offer          boolean     NOT NULL,
    suitable             boolean     NOT NULL,
    suitability_reasons  text        NOT NULL,
    decided_by           text        NOT NULL,
    decided_at           timestamptz NOT NULL
);

-- The order nominations were made in: a partner's stream resumes after a cursor of it.
ALTER TABLE nominations ADD COLUMN seq bigserial;
CREATE UNIQUE INDEX nominations_partner_seq ON nominations (partner_id, seq);

-- When the overdue event went out, so it goes once.
ALTER TABLE nominations ADD COLUMN overdue_raised_at timestamptz;
CREATE INDEX nominations_pending_by ON nominations (respond_by) WHERE status = 'pending';

-- The one live nomination per vacancy does not count refused ones.
DROP INDEX nominations_one_live_per_vacancy;
CREATE UNIQUE INDEX nominations_one_live_per_vacancy ON nominations (vacancy_id)
    WHERE status IN ('pending', 'accepted', 'let');
