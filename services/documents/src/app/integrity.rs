//! Stored bytes are checked against the SHA-256 recorded on arrival as they stream out, so a
//! document damaged or changed in the store is never passed off as the one uploaded.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt};
use housing_platform::errors::AppError;
use sha2::{Digest, Sha256};

/// `source`, ending in an error instead of its end if the bytes do not hash to `sha256`.
pub fn checked<S>(source: S, sha256: String) -> BoxStream<'static, Result<Bytes, AppError>>
where
    S: Stream<Item = Result<Bytes, AppError>> + Send + Unpin + 'static,
{
    futures::stream::unfold(Some((source, Sha256::new(), sha256)), |state| async move {
        let (mut source, mut hasher, expected) = state?;
        match source.next().await {
            Some(Ok(bytes)) => {
                hasher.update(&bytes);
                Some((Ok(bytes), Some((source, hasher, expected))))
            }
            Some(Err(e)) => Some((Err(e), None)),
            None => {
                let actual = super::letters::hex(&hasher.finalize());
                if actual == expected {
                    None
                } else {
                    tracing::error!(%expected, %actual, "stored bytes do not match their checksum");
                    Some((
                        Err(AppError::Upstream(tonic::Status::data_loss(
                            "the stored document does not match its checksum",
                        ))),
                        None,
                    ))
                }
            }
        }
    })
    .boxed()
}
