//! Bytes from the store (8 KiB reads) or a bundle (tar headers) regrouped into messages of a
//! sensible size for the wire.

use std::pin::Pin;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use housing_platform::errors::AppError;
use tonic::Status;

/// Bytes per message: large enough to keep the per-message cost small, well under the
/// 4 MiB message limit.
pub const CHUNK: usize = 256 * 1024;

pub type ChunkStream<M> = Pin<Box<dyn Stream<Item = Result<M, Status>> + Send>>;

pub fn chunked<S, M>(source: S, make: fn(Vec<u8>) -> M) -> ChunkStream<M>
where
    S: Stream<Item = Result<Bytes, AppError>> + Send + Unpin + 'static,
    M: Send + 'static,
{
    let state = (source, Vec::with_capacity(CHUNK), false);
    Box::pin(futures::stream::unfold(
        state,
        move |(mut source, mut buf, done)| async move {
            if done {
                return None;
            }
            loop {
                if buf.len() >= CHUNK {
                    let rest = buf.split_off(CHUNK);
                    let out = std::mem::replace(&mut buf, rest);
                    return Some((Ok(make(out)), (source, buf, false)));
                }
                match source.next().await {
                    Some(Ok(bytes)) => buf.extend_from_slice(&bytes),
                    Some(Err(e)) => {
                        return Some((Err(Status::from(e)), (source, Vec::new(), true)));
                    }
                    None if buf.is_empty() => return None,
                    None => {
                        let out = std::mem::take(&mut buf);
                        return Some((Ok(make(out)), (source, buf, true)));
                    }
                }
            }
        },
    ))
}
