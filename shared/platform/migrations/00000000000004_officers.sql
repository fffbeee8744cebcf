-- Decisions record the provider's subject for whoever made them; this is the name each
-- subject signed in with, as the token last gave it.
create table officers (
    subject    text primary key,
    name       text not null,
    first_seen timestamptz not null default now(),
    last_seen  timestamptz not null default now()
);
