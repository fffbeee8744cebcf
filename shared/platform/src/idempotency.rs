//! Request ids on creating RPCs: the first answer is stored in the same transaction as the
//! work, and a retry gets it back.

use prost::Message;
use sqlx::PgConnection;
use tonic::Status;

use crate::errors::{from_sqlx, internal};

/// Takes the request's lock for the rest of the transaction and returns the stored answer
/// if this request was done before. An empty `request_id` opts out.
pub async fn replay<M: Message + Default>(
    conn: &mut PgConnection,
    scope: &str,
    request_id: &str,
) -> Result<Option<M>, Status> {
    if request_id.is_empty() {
        return Ok(None);
    }
    // Serialises concurrent retries of one request, so the work happens once.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))")
        .bind(scope)
        .bind(request_id)
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    let stored: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT response FROM idempotency_keys WHERE scope = $1 AND request_id = $2",
    )
    .bind(scope)
    .bind(request_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(from_sqlx)?;
    stored
        .map(|bytes| M::decode(bytes.as_slice()).map_err(internal))
        .transpose()
}

pub async fn record<M: Message>(
    conn: &mut PgConnection,
    scope: &str,
    request_id: &str,
    response: &M,
) -> Result<(), Status> {
    if request_id.is_empty() {
        return Ok(());
    }
    sqlx::query("INSERT INTO idempotency_keys (scope, request_id, response) VALUES ($1, $2, $3)")
        .bind(scope)
        .bind(request_id)
        .bind(response.encode_to_vec())
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    Ok(())
}
