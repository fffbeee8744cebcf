//! Receiving an upload's bytes: streamed to the object store while the size, the content
//! type and the SHA-256 are checked. Any failure aborts the write, so nothing is left.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use housing_platform::errors::{AppError, FieldViolations};
use sha2::{Digest, Sha256};

use super::blobs::{Blobs, unavailable};
use crate::domain::sniff;

/// What the uploader said the bytes are.
#[derive(Debug, Clone)]
pub struct Declared {
    pub content_type: String,
    pub size_bytes: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// Parts written ahead of the network before the upload waits for the store.
const IN_FLIGHT_PARTS: usize = 2;

/// Streams `chunks` to `path`; on any error nothing is stored there.
pub async fn receive<S>(
    blobs: &Blobs,
    path: &str,
    declared: &Declared,
    chunks: S,
) -> Result<(), AppError>
where
    S: Stream<Item = Result<Bytes, AppError>> + Unpin,
{
    let mut writer = blobs.writer(path).await?;
    match stream_into(&mut writer, declared, chunks).await {
        Ok(()) => {
            writer.finish().await.map_err(unavailable)?;
            Ok(())
        }
        Err(error) => {
            if let Err(abort) = writer.abort().await {
                tracing::error!(%abort, path, "could not abort a failed upload");
            }
            Err(error)
        }
    }
}

async fn stream_into<S>(
    writer: &mut object_store::WriteMultipart,
    declared: &Declared,
    mut chunks: S,
) -> Result<(), AppError>
where
    S: Stream<Item = Result<Bytes, AppError>> + Unpin,
{
    let mut hasher = Sha256::new();
    let mut received: u64 = 0;
    let mut prefix: Vec<u8> = Vec::with_capacity(sniff::PREFIX_LEN);
    let mut sniffed = false;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        received += chunk.len() as u64;
        if received > declared.size_bytes {
            return Err(invalid(
                "chunk",
                format!(
                    "more bytes than the {} declared in size_bytes",
                    declared.size_bytes
                ),
            ));
        }
        if !sniffed {
            let take = (sniff::PREFIX_LEN - prefix.len()).min(chunk.len());
            prefix.extend_from_slice(&chunk[..take]);
            if prefix.len() == sniff::PREFIX_LEN {
                check_type(declared, &prefix)?;
                sniffed = true;
            }
        }
        hasher.update(&chunk);
        writer
            .wait_for_capacity(IN_FLIGHT_PARTS)
            .await
            .map_err(unavailable)?;
        writer.put(chunk);
    }
    if !sniffed {
        check_type(declared, &prefix)?;
    }
    if received != declared.size_bytes {
        return Err(invalid(
            "size_bytes",
            format!("declared {} but {received} arrived", declared.size_bytes),
        ));
    }
    let actual = super::letters::hex(&hasher.finalize());
    if actual != declared.sha256 {
        return Err(invalid(
            "sha256",
            format!("the bytes that arrived have SHA-256 {actual}"),
        ));
    }
    Ok(())
}

fn check_type(declared: &Declared, prefix: &[u8]) -> Result<(), AppError> {
    sniff::check(&declared.content_type, prefix).map_err(|why| invalid("content_type", why))
}

fn invalid(field: &str, why: impl Into<String>) -> AppError {
    let mut v = FieldViolations::new();
    v.add(field, why);
    AppError::Invalid(v)
}
