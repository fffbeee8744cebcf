//! Where document bytes live: an object store (a local folder by default). Metadata stays in
//! the database.

use std::sync::Arc;

use bytes::Bytes;
use housing_platform::errors::AppError;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

impl Blobs {
    pub fn local(root: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root)?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(root)?),
        })
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
}

fn unavailable(error: object_store::Error) -> AppError {
    tracing::error!(%error, "blob store");
    AppError::Upstream(tonic::Status::unavailable("document store unavailable"))
}
