//! Officers' sessions, kept in the console's database: who signed in, their roles, their
//! refresh token and the access tokens it got for each service, a CSRF token for their
//! forms, and when they were last seen (a session idle too long ends).

use std::collections::HashMap;
use std::sync::Arc;

use housing_platform::auth::Role;
use housing_platform::db::Pool;

use crate::signin::{Provider, SignInError, random_token, sha256};

/// A token is fetched again this long before it expires.
const EARLY_SECONDS: i64 = 60;
/// A sign-in not finished in this time is forgotten.
const SIGN_IN_MINUTES: i64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    SignIn(#[from] SignInError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The session ended (signed out, timed out, or the provider ended the grant).
    #[error("the session has ended")]
    Ended,
    /// The sign-in came back with a state this console did not start.
    #[error("that sign-in was not started here, or took too long")]
    UnknownSignIn,
}

/// A signed-in officer, for the request being served.
#[derive(Debug, Clone)]
pub struct Officer {
    pub session: String,
    pub subject: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub csrf_token: String,
}

impl Officer {
    pub fn holds(&self, roles: &[Role]) -> bool {
        self.roles.iter().any(|r| roles.contains(r))
    }
}

#[derive(Clone)]
pub struct Sessions {
    pool: Pool,
    provider: Arc<Provider>,
    idle_minutes: i64,
}

impl Sessions {
    pub fn new(pool: Pool, provider: Arc<Provider>, idle_minutes: i64) -> Self {
        Self {
            pool,
            provider,
            idle_minutes,
        }
    }

    /// Starts a sign-in that returns to `return_to`: the state for the browser's cookie and
    /// where to send it.
    pub async fn begin(&self, return_to: &str) -> Result<(String, String), SessionError> {
        let (state, verifier) = (random_token(), random_token());
        let url = self.provider.authorization_url(&state, &verifier).await?;
        // Each sign-in sweeps away what is over: sign-ins never finished, sessions gone idle.
        sqlx::query("DELETE FROM sign_ins WHERE created_at < now() - make_interval(mins => $1)")
            .bind(SIGN_IN_MINUTES as i32)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE last_seen < now() - make_interval(mins => $1)")
            .bind(self.idle_minutes as i32)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sign_ins (state, verifier, return_to) VALUES ($1, $2, $3)")
            .bind(&state)
            .bind(&verifier)
            .bind(return_to)
            .execute(&self.pool)
            .await?;
        Ok((state, url))
    }

    /// Finishes the sign-in `state` with the provider's `code`: the new session's cookie
    /// secret and where the officer was going.
    pub async fn finish(&self, state: &str, code: &str) -> Result<(String, String), SessionError> {
        let started: Option<(String, String)> = sqlx::query_as(
            "DELETE FROM sign_ins WHERE state = $1
               AND created_at >= now() - make_interval(mins => $2)
             RETURNING verifier, return_to",
        )
        .bind(state)
        .bind(SIGN_IN_MINUTES as i32)
        .fetch_optional(&self.pool)
        .await?;
        let (verifier, return_to) = started.ok_or(SessionError::UnknownSignIn)?;
        let (tokens, caller) = self.provider.finish(code, &verifier).await?;
        let secret = random_token();
        let id = sha256(&secret);
        let roles: Vec<&str> = caller.roles.iter().map(|r| r.as_str()).collect();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (id_sha256, subject, name, roles, refresh_token, id_token, csrf_token)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&caller.id)
        .bind(&caller.name)
        .bind(&roles)
        .bind(tokens.refresh_token.as_deref().unwrap_or_default())
        .bind(tokens.id_token.as_deref().unwrap_or_default())
        .bind(random_token())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO officers (subject, name) VALUES ($1, $2)
             ON CONFLICT (subject) DO UPDATE SET name = excluded.name, last_signed_in = now()",
        )
        .bind(&caller.id)
        .bind(&caller.name)
        .execute(&mut *tx)
        .await?;
        store_token(
            &mut tx,
            &id,
            self.provider.first_audience(),
            &tokens.access_token,
            tokens.expires_in,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(subject = %caller.id, "officer signed in");
        Ok((secret, return_to))
    }

    /// The names of the officers among `subjects` who have signed in to the console.
    pub async fn names(
        &self,
        subjects: &[String],
    ) -> Result<HashMap<String, String>, SessionError> {
        Ok(
            sqlx::query_as("SELECT subject, name FROM officers WHERE subject = ANY($1)")
                .bind(subjects)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect(),
        )
    }

    /// The officer whose cookie secret is `secret`, if their session is live; seeing them
    /// keeps it so.
    pub async fn officer(&self, secret: &str) -> Result<Option<Officer>, SessionError> {
        let id = sha256(secret);
        let row: Option<(String, String, Vec<String>, String, bool)> = sqlx::query_as(
            "WITH seen AS (SELECT id_sha256, last_seen FROM sessions WHERE id_sha256 = $1 FOR UPDATE)
             UPDATE sessions s SET last_seen = now() FROM seen
             WHERE s.id_sha256 = seen.id_sha256
             RETURNING s.subject, s.name, s.roles, s.csrf_token,
                       seen.last_seen < now() - make_interval(mins => $2)",
        )
        .bind(&id)
        .bind(self.idle_minutes as i32)
        .fetch_optional(&self.pool)
        .await?;
        let Some((subject, name, roles, csrf_token, idle)) = row else {
            return Ok(None);
        };
        if idle {
            self.end(secret).await?;
            return Ok(None);
        }
        Ok(Some(Officer {
            session: id,
            subject,
            name,
            roles: roles.iter().filter_map(|r| r.parse().ok()).collect(),
            csrf_token,
        }))
    }

    /// Where to send the browser so the provider ends its session too.
    pub async fn provider_sign_out(&self, id_token: &str) -> Option<String> {
        self.provider.end_session_url(id_token).await
    }

    /// Ends the session of `secret`; the ID token, for ending the provider's session too.
    pub async fn end(&self, secret: &str) -> Result<Option<String>, SessionError> {
        Ok(
            sqlx::query_scalar("DELETE FROM sessions WHERE id_sha256 = $1 RETURNING id_token")
                .bind(sha256(secret))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The officer's access token for the service whose audience is `audience`.
    pub async fn token(&self, officer: &Officer, audience: &str) -> Result<String, SessionError> {
        if let Some(token) = fresh_token(&self.pool, &officer.session, audience).await? {
            return Ok(token);
        }
        // The provider rotates the refresh token on each use: one request at a time per
        // session, holding the session's row.
        let mut tx = self.pool.begin().await?;
        let refresh: Option<String> = sqlx::query_scalar(
            "SELECT refresh_token FROM sessions WHERE id_sha256 = $1 FOR UPDATE",
        )
        .bind(&officer.session)
        .fetch_optional(&mut *tx)
        .await?;
        let refresh = refresh.ok_or(SessionError::Ended)?;
        // Another request may have refreshed while this one waited for the row.
        if let Some(token) = fresh_token(&mut *tx, &officer.session, audience).await? {
            return Ok(token);
        }
        let tokens = match self.provider.refresh(&refresh, audience).await {
            Ok(tokens) => tokens,
            Err(SignInError::Refused(why)) => {
                tracing::info!(%why, "the provider ended an officer's grant");
                drop(tx);
                sqlx::query("DELETE FROM sessions WHERE id_sha256 = $1")
                    .bind(&officer.session)
                    .execute(&self.pool)
                    .await?;
                return Err(SessionError::Ended);
            }
            Err(other) => return Err(other.into()),
        };
        if let Some(next) = &tokens.refresh_token {
            sqlx::query("UPDATE sessions SET refresh_token = $2 WHERE id_sha256 = $1")
                .bind(&officer.session)
                .bind(next)
                .execute(&mut *tx)
                .await?;
        }
        store_token(
            &mut tx,
            &officer.session,
            audience,
            &tokens.access_token,
            tokens.expires_in,
        )
        .await?;
        tx.commit().await?;
        Ok(tokens.access_token)
    }
}

async fn fresh_token<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    session: &str,
    audience: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT token FROM session_tokens
         WHERE session_id = $1 AND audience = $2
           AND expires_at > now() + make_interval(secs => $3)",
    )
    .bind(session)
    .bind(audience)
    .bind(EARLY_SECONDS as f64)
    .fetch_optional(conn)
    .await
}

async fn store_token(
    tx: &mut sqlx::PgConnection,
    session: &str,
    audience: &str,
    token: &str,
    expires_in: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO session_tokens (session_id, audience, token, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))
         ON CONFLICT (session_id, audience) DO UPDATE
           SET token = excluded.token, expires_at = excluded.expires_at",
    )
    .bind(session)
    .bind(audience)
    .bind(token)
    .bind(expires_in as f64)
    .execute(tx)
    .await?;
    Ok(())
}
