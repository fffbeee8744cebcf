//! Starting the five services side by side, as they run in production: each with its own
//! database, all on one NATS server under a prefix of this test's own.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use async_nats::jetstream::consumer::{DeliverPolicy, pull};
use futures::StreamExt;
use housing_events::host::Running;
use housing_platform::auth::{BearerToken, Role};
use housing_testkit::{TestDatabase, TestEnv, authenticator, channel};
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

pub type Authed = InterceptedService<Channel, BearerToken>;

pub struct Service {
    pub running: Running,
    pub db: TestDatabase,
}

pub struct Stack {
    pub register: Service,
    pub accommodation: Service,
    pub rent: Service,
    pub documents: Service,
    pub nominations: Service,
    pub nats_url: String,
    pub prefix: String,
    _blobs: tempfile::TempDir,
}

fn env(db: &TestDatabase, nats_url: &str, prefix: &str) -> TestEnv {
    TestEnv {
        database_url: db.url.clone(),
        nats_url: nats_url.to_owned(),
        subject_prefix: prefix.to_owned(),
    }
}

pub async fn start_register(nats_url: &str, prefix: &str) -> Service {
    let db = TestDatabase::create("register", &register::migrators()).await;
    let scheme = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../services/register/schemes/banding-example.toml"
    );
    let settings = env(&db, nats_url, prefix).settings(
        register::DEFAULTS,
        &[("HOUSING__SERVICE__SCHEME_FILE", scheme)],
    );
    Service {
        running: register::build(settings).await.expect("register starts"),
        db,
    }
}

pub async fn start_accommodation(nats_url: &str, prefix: &str) -> Service {
    let db = TestDatabase::create("accommodation", &temporary_accommodation::migrators()).await;
    let settings = env(&db, nats_url, prefix).settings(temporary_accommodation::DEFAULTS, &[]);
    Service {
        running: temporary_accommodation::build(settings)
            .await
            .expect("temporary accommodation starts"),
        db,
    }
}

pub async fn start_rent(nats_url: &str, prefix: &str) -> Service {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let settings = env(&db, nats_url, prefix).settings(rent::DEFAULTS, &[]);
    Service {
        running: rent::build(settings).await.expect("rent starts"),
        db,
    }
}

/// Nominations, asking `register` for shortlists and verification.
pub async fn start_nominations(
    nats_url: &str,
    prefix: &str,
    register: &Service,
    extra: &[(&str, &str)],
) -> Service {
    let db = TestDatabase::create("nominations", &nominations::migrators()).await;
    let register_url = format!("http://{}", register.running.addr());
    let mut vars = vec![("HOUSING__SERVICE__REGISTER_URL", register_url.as_str())];
    vars.extend_from_slice(extra);
    let settings = env(&db, nats_url, prefix).settings(nominations::DEFAULTS, &vars);
    Service {
        running: nominations::build(settings)
            .await
            .expect("nominations starts"),
        db,
    }
}

impl Stack {
    pub async fn start(nats_url: &str, prefix: &str) -> Self {
        let register = start_register(nats_url, prefix).await;
        let accommodation = start_accommodation(nats_url, prefix).await;
        let rent = start_rent(nats_url, prefix).await;

        let blobs = tempfile::tempdir().expect("temp dir");
        let db = TestDatabase::create("documents", &documents::migrators()).await;
        let blob_root = blobs.path().to_str().expect("utf-8 path").to_owned();
        let settings = env(&db, nats_url, prefix).settings(
            documents::DEFAULTS,
            &[("HOUSING__SERVICE__BLOB_ROOT", &blob_root)],
        );
        let documents = Service {
            running: documents::build(settings).await.expect("documents starts"),
            db,
        };

        let nominations = start_nominations(nats_url, prefix, &register, &[]).await;

        Self {
            register,
            accommodation,
            rent,
            documents,
            nominations,
            nats_url: nats_url.to_owned(),
            prefix: prefix.to_owned(),
            _blobs: blobs,
        }
    }

    pub fn addrs(&self) -> [(&'static str, SocketAddr); 5] {
        [
            ("register", self.register.running.addr()),
            ("temporary-accommodation", self.accommodation.running.addr()),
            ("rent", self.rent.running.addr()),
            ("documents", self.documents.running.addr()),
            ("nominations", self.nominations.running.addr()),
        ]
    }

    pub async fn stop(self) {
        for service in [
            self.register,
            self.accommodation,
            self.rent,
            self.documents,
            self.nominations,
        ] {
            service.running.stop().await.expect("service stops cleanly");
        }
    }
}

/// A channel to `addr` whose calls carry a token for `role` (and partner).
pub async fn as_role(addr: SocketAddr, role: Role, partner: Option<&str>) -> Authed {
    let token = authenticator().token(
        &format!("{}-1", role.as_str()),
        role,
        partner,
        chrono::Duration::minutes(30),
    );
    InterceptedService::new(channel(addr).await, BearerToken::new(&token))
}

/// A message as an outside integration reads it from a stream.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub subject: String,
    pub headers: async_nats::HeaderMap,
    pub payload: Vec<u8>,
}

/// Every message now in the stream of `area`, read with an ephemeral consumer from the start.
pub async fn read_stream(nats_url: &str, prefix: &str, area: &str) -> Vec<Delivered> {
    let client = async_nats::connect(nats_url)
        .await
        .expect("connect to NATS");
    let jetstream = async_nats::jetstream::new(client);
    let name = housing_events::bus::stream_name(prefix, area);
    let Ok(mut stream) = jetstream.get_stream(&name).await else {
        return Vec::new();
    };
    let total = stream.info().await.expect("stream info").state.messages as usize;
    if total == 0 {
        return Vec::new();
    }
    let consumer = stream
        .create_consumer(pull::Config {
            deliver_policy: DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .expect("ephemeral consumer");
    let mut messages = consumer
        .fetch()
        .max_messages(total)
        .expires(Duration::from_secs(2))
        .messages()
        .await
        .expect("fetch");
    let mut out = Vec::new();
    while let Some(Ok(message)) = messages.next().await {
        out.push(Delivered {
            subject: message.subject.to_string(),
            headers: message.headers.clone().unwrap_or_default(),
            payload: message.payload.to_vec(),
        });
        message.ack().await.ok();
    }
    out
}
