//! Which object store keeps the bytes of letters and evidence: a local folder
//! (`service.blob_root`), or an S3 bucket on AWS or on an S3-compatible store (MinIO, Ceph).
//! The settings are checked at start, so a half-configured bucket stops the service naming
//! what to fix instead of failing the first upload.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use housing_platform::settings::Secret;
use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct StorageSettings {
    pub kind: StorageKind,
    /// Read only when `kind` is `s3`.
    pub s3: S3Settings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    /// The folder `service.blob_root`.
    Local,
    S3,
}

#[derive(Debug, Clone, Deserialize)]
pub struct S3Settings {
    pub bucket: String,
    /// Empty for AWS; the URL of an S3-compatible store otherwise.
    pub endpoint: String,
    pub region: String,
    /// Both keys, or neither to take them from the standard AWS variables or the instance's role.
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// Plain HTTP, for an endpoint on loopback or inside the cluster.
    pub allow_http: bool,
    /// `bucket.host/key` rather than `host/bucket/key`; S3-compatible stores mostly want the
    /// latter.
    pub virtual_hosted_style: bool,
}

impl StorageSettings {
    /// The store these settings choose, `blob_root` being the local one's folder.
    pub fn open(&self, blob_root: &Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
        match self.kind {
            StorageKind::Local => local(blob_root),
            StorageKind::S3 => s3(&self.s3),
        }
    }
}

/// A folder as the object store, created if it is not there.
pub fn local(root: &Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
    let open = || -> anyhow::Result<LocalFileSystem> {
        std::fs::create_dir_all(root)?;
        Ok(LocalFileSystem::new_with_prefix(root)?)
    };
    let store = open().with_context(|| format!("service.blob_root {}", root.display()))?;
    Ok(Arc::new(store))
}

fn s3(settings: &S3Settings) -> anyhow::Result<Arc<dyn ObjectStore>> {
    let problems = settings.problems();
    anyhow::ensure!(
        problems.is_empty(),
        "service.storage.kind is s3, but {}",
        problems.join("; ")
    );
    // reqwest is built without a TLS crypto provider of its own (see the workspace
    // Cargo.toml) and takes the process's: ring's, as everywhere else here. One already
    // installed serves as well.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // The standard AWS variables come first (a pod's web identity, a container's
    // credentials); what the settings name overrides them.
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(&settings.bucket)
        .with_region(&settings.region)
        .with_allow_http(settings.allow_http)
        .with_virtual_hosted_style_request(settings.virtual_hosted_style);
    if !settings.endpoint.is_empty() {
        builder = builder.with_endpoint(&settings.endpoint);
    }
    if !settings.access_key_id.is_empty() {
        builder = builder
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(settings.secret_access_key.expose());
    }
    let store = builder
        .build()
        .with_context(|| format!("S3 bucket {}", settings.bucket))?;
    Ok(Arc::new(store))
}

impl S3Settings {
    /// Every setting that must change before the bucket can be used, each named as in the
    /// YAML and as its environment variable.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.bucket.is_empty() {
            problems.push(format!("{} is not set", setting("bucket")));
        }
        if self.region.is_empty() {
            problems.push(format!("{} is not set", setting("region")));
        }
        let (id, secret) = ("access_key_id", "secret_access_key");
        let half_a_pair = match (
            self.access_key_id.is_empty(),
            self.secret_access_key.is_empty(),
        ) {
            (false, true) => Some((id, secret)),
            (true, false) => Some((secret, id)),
            _ => None,
        };
        if let Some((set, missing)) = half_a_pair {
            problems.push(format!(
                "{} is set without {}",
                setting(set),
                setting(missing)
            ));
        }
        if self.endpoint.starts_with("http://") && !self.allow_http {
            problems.push(format!(
                "{} is plain HTTP while {} is false",
                setting("endpoint"),
                setting("allow_http")
            ));
        }
        problems
    }
}

fn setting(key: &str) -> String {
    format!(
        "service.storage.s3.{key} (HOUSING__SERVICE__STORAGE__S3__{})",
        key.to_uppercase()
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use housing_platform::settings::{SettingsError, Sources, load};

    use super::*;

    /// The service's settings as it would load them, with `vars` in its environment.
    fn load_with(vars: &[(&str, &str)]) -> Result<crate::Settings, SettingsError> {
        let env: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        load(&Sources {
            service_defaults: crate::DEFAULTS,
            config_dir: std::env::temp_dir().join("documents-storage-no-config"),
            environment: "test".into(),
            env_override: Some(env),
        })
    }

    fn loaded(vars: &[(&str, &str)]) -> StorageSettings {
        load_with(vars).expect("settings load").service.storage
    }

    const BUCKET: [(&str, &str); 2] = [
        ("HOUSING__SERVICE__STORAGE__KIND", "s3"),
        ("HOUSING__SERVICE__STORAGE__S3__BUCKET", "letters"),
    ];

    fn with_bucket(more: &[(&'static str, &'static str)]) -> StorageSettings {
        loaded(&[&BUCKET[..], more].concat())
    }

    fn refusal(settings: &StorageSettings) -> String {
        let dir = tempfile::tempdir().unwrap();
        match settings.open(dir.path()) {
            Ok(_) => panic!("{settings:?} opened"),
            Err(error) => format!("{error:#}"),
        }
    }

    #[test]
    fn the_local_folder_is_the_default_and_ignores_the_s3_section() {
        let settings = loaded(&[]);
        assert_eq!(settings.kind, StorageKind::Local);
        let dir = tempfile::tempdir().unwrap();
        settings.open(&dir.path().join("blobs")).expect("opens");
        assert!(dir.path().join("blobs").is_dir(), "the folder is made");
    }

    #[test]
    fn environment_variables_configure_a_bucket() {
        let settings = with_bucket(&[
            (
                "HOUSING__SERVICE__STORAGE__S3__ENDPOINT",
                "http://127.0.0.1:9000",
            ),
            ("HOUSING__SERVICE__STORAGE__S3__REGION", "eu-west-2"),
            ("HOUSING__SERVICE__STORAGE__S3__ACCESS_KEY_ID", "documents"),
            (
                "HOUSING__SERVICE__STORAGE__S3__SECRET_ACCESS_KEY",
                "hunter2",
            ),
            ("HOUSING__SERVICE__STORAGE__S3__ALLOW_HTTP", "true"),
            (
                "HOUSING__SERVICE__STORAGE__S3__VIRTUAL_HOSTED_STYLE",
                "true",
            ),
        ]);
        assert_eq!(settings.kind, StorageKind::S3);
        let s3 = &settings.s3;
        assert_eq!(
            (s3.bucket.as_str(), s3.endpoint.as_str(), s3.region.as_str()),
            ("letters", "http://127.0.0.1:9000", "eu-west-2")
        );
        assert!(s3.allow_http && s3.virtual_hosted_style);
        assert_eq!(s3.secret_access_key.expose(), "hunter2");
        settings
            .open(std::path::Path::new("unused"))
            .expect("opens");
    }

    #[test]
    fn the_secret_key_is_never_printed() {
        let settings = with_bucket(&[
            ("HOUSING__SERVICE__STORAGE__S3__ACCESS_KEY_ID", "documents"),
            (
                "HOUSING__SERVICE__STORAGE__S3__SECRET_ACCESS_KEY",
                "hunter2",
            ),
        ]);
        let printed = format!("{settings:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("secret_access_key: \"<redacted>\""));
    }

    #[test]
    fn a_bucket_must_be_named() {
        let settings = loaded(&[("HOUSING__SERVICE__STORAGE__KIND", "s3")]);
        assert_eq!(
            refusal(&settings),
            "service.storage.kind is s3, but service.storage.s3.bucket \
             (HOUSING__SERVICE__STORAGE__S3__BUCKET) is not set"
        );
    }

    #[test]
    fn half_a_key_pair_is_refused_either_way() {
        let key_only = with_bucket(&[("HOUSING__SERVICE__STORAGE__S3__ACCESS_KEY_ID", "id")]);
        let why = refusal(&key_only);
        assert!(
            why.ends_with(
                "service.storage.s3.access_key_id (HOUSING__SERVICE__STORAGE__S3__ACCESS_KEY_ID) \
                 is set without service.storage.s3.secret_access_key \
                 (HOUSING__SERVICE__STORAGE__S3__SECRET_ACCESS_KEY)"
            ),
            "{why}"
        );
        let secret_only = with_bucket(&[(
            "HOUSING__SERVICE__STORAGE__S3__SECRET_ACCESS_KEY",
            "hunter2",
        )]);
        let why = refusal(&secret_only);
        assert!(
            why.ends_with(
                "service.storage.s3.secret_access_key \
                 (HOUSING__SERVICE__STORAGE__S3__SECRET_ACCESS_KEY) is set without \
                 service.storage.s3.access_key_id (HOUSING__SERVICE__STORAGE__S3__ACCESS_KEY_ID)"
            ),
            "{why}"
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let settings = loaded(&[
            ("HOUSING__SERVICE__STORAGE__KIND", "s3"),
            ("HOUSING__SERVICE__STORAGE__S3__REGION", ""),
            ("HOUSING__SERVICE__STORAGE__S3__ACCESS_KEY_ID", "id"),
            (
                "HOUSING__SERVICE__STORAGE__S3__ENDPOINT",
                "http://minio.storage:9000",
            ),
        ]);
        let why = refusal(&settings);
        for named in [
            "s3.bucket (",
            "s3.region (",
            "s3.access_key_id (",
            "s3.endpoint (HOUSING__SERVICE__STORAGE__S3__ENDPOINT) is plain HTTP while \
             service.storage.s3.allow_http (HOUSING__SERVICE__STORAGE__S3__ALLOW_HTTP) is false",
        ] {
            assert!(why.contains(named), "{named} missing from: {why}");
        }
    }

    #[test]
    fn an_unknown_kind_stops_the_load() {
        let error = load_with(&[("HOUSING__SERVICE__STORAGE__KIND", "azure")]).unwrap_err();
        assert!(error.to_string().contains("azure"), "{error}");
    }
}
