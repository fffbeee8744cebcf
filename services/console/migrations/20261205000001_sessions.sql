-- Sign-ins under way: the browser holds only `state`; the PKCE verifier stays here.
CREATE TABLE sign_ins (
    state      text PRIMARY KEY,
    verifier   text NOT NULL,
    return_to  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A signed-in officer. The cookie holds a random secret; only its SHA-256 is kept here, so
-- the table gives no one a session.
CREATE TABLE sessions (
    id_sha256     text PRIMARY KEY,
    subject       text NOT NULL,
    name          text NOT NULL,
    roles         text[] NOT NULL,
    refresh_token text NOT NULL,
    id_token      text NOT NULL,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now()
);

-- The officer's access token for each service, relayed on their calls.
CREATE TABLE session_tokens (
    session_id text NOT NULL REFERENCES sessions (id_sha256) ON DELETE CASCADE,
    audience   text NOT NULL,
    token      text NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, audience)
);
