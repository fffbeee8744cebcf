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
    // Takes the request's lock, serialising concurrent retries so the work happens once,
    // then looks for the first answer (see the migration for why that is a function).
    let stored: Option<Vec<u8>> = sqlx::query_scalar("SELECT idempotency_replay($1, $2)")
        .bind(scope)
        .bind(request_id)
        .fetch_one(&mut *conn)
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
