-- The officers' lists (NominationsService.ListVacancies and ListNominations), read a page at
-- a time in key order at national scale (tens of thousands of vacancies a year, and their
-- nominations): the whole list, and under each selective filter, straight from an index.
-- Bedrooms and pre-void select too little to be worth one; they are read along the way.

-- Vacancies, the earliest available first: all of them, by status, by partner (which also
-- serves the partner's foreign key, as the index it replaces did).
CREATE INDEX vacancies_available ON vacancies (available_from, id);
CREATE INDEX vacancies_by_status ON vacancies (status, available_from, id);
CREATE INDEX vacancies_by_partner ON vacancies (partner_id, available_from, id);
DROP INDEX vacancies_partner;

-- Nominations, the first nominated first: all of them, by status (overdue ones are pending),
-- by vacancy and by application.
CREATE INDEX nominations_nominated ON nominations (nominated_at, id);
CREATE INDEX nominations_by_status ON nominations (status, nominated_at, id);
CREATE INDEX nominations_by_vacancy ON nominations (vacancy_id, nominated_at, id);
CREATE INDEX nominations_by_application ON nominations (application_id, nominated_at, id);
