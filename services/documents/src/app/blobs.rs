//! Where document bytes live: an object store, a local folder or an S3 bucket as configured
//! (`crate::storage`). Metadata stays in the database.

use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use futures::stream::BoxStream;
use housing_platform::errors::AppError;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};

/// Parts of a streamed upload: S3's smallest part, so the same code works there.
const PART_BYTES: usize = 5 * 1024 * 1024;

#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

impl Blobs {
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self { store }
    }

    pub async fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        self.store
            .put(&Path::from(path), PutPayload::from(bytes))
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    pub async fn get(&self, path: &str) -> Result<Bytes, AppError> {
        self.store
            .get(&Path::from(path))
            .await
            .map_err(unavailable)?
            .bytes()
            .await
            .map_err(unavailable)
    }

    /// The bytes as a stream, without holding them all in memory.
    pub async fn stream(
        &self,
        path: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, AppError>>, AppError> {
        let result = self
            .store
            .get(&Path::from(path))
            .await
            .map_err(unavailable)?;
        Ok(result.into_stream().map(|r| r.map_err(unavailable)).boxed())
    }

    /// A multipart write: nothing is visible at `path` until it is finished, and aborting
    /// it removes what was written.
    pub async fn writer(&self, path: &str) -> Result<WriteMultipart, AppError> {
        let upload = self
            .store
            .put_multipart(&Path::from(path))
            .await
            .map_err(unavailable)?;
        Ok(WriteMultipart::new_with_chunk_size(upload, PART_BYTES))
    }

    /// Removes the object; one already gone counts as removed.
    pub async fn delete(&self, path: &str) -> Result<(), AppError> {
        match self.store.delete(&Path::from(path)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

pub fn unavailable(error: object_store::Error) -> AppError {
    tracing::error!(%error, "blob store");
    AppError::Upstream(tonic::Status::unavailable("document store unavailable"))
}
