-- A letting's published result is found from its advert: the vacancy's latest advert and its
-- letting.
CREATE INDEX adverts_vacancy ON adverts (vacancy_id, created_at DESC);
CREATE INDEX lettings_vacancy ON lettings (vacancy_id);
