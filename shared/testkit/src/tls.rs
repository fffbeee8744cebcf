//! Servers that take only TLS, as managed PostgreSQL and a production NATS cluster do, with
//! certificates from a test authority: a service must verify them to connect at all.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::pki::PartnerPki;
use crate::postgres::PrivatePostgres;
use crate::servers::{find_binary, free_port, wait_for};

/// A private PostgreSQL that refuses every connection not made over TLS.
pub struct TlsPostgres {
    server: PrivatePostgres,
    pki: PartnerPki,
}

impl TlsPostgres {
    pub fn start() -> Self {
        let pki = PartnerPki::new();
        let server = PrivatePostgres::start(
            |dir| {
                for file in ["server.pem", "server.key"] {
                    std::fs::copy(pki.path(file), dir.join(file)).expect("copy certificate");
                }
                std::fs::write(
                    dir.join("pg_hba.conf"),
                    "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
                )
                .expect("pg_hba.conf");
                std::fs::set_permissions(
                    dir.join("server.key"),
                    std::os::unix::fs::PermissionsExt::from_mode(0o600),
                )
                .expect("key permissions");
            },
            &[
                "ssl=on",
                "ssl_cert_file=server.pem",
                "ssl_key_file=server.key",
            ],
            None,
        );
        Self { server, pki }
    }

    /// The authority whose certificate the server presents.
    pub fn ca_file(&self) -> PathBuf {
        self.pki.path("ca.pem")
    }

    /// A URL for `database` that verifies the server against `ca_file`, as production's does.
    pub fn url(&self, database: &str, ca_file: &Path) -> String {
        format!(
            "postgres://postgres@localhost:{}/{database}?sslmode=verify-full&sslrootcert={}",
            self.server.port(),
            ca_file.display()
        )
    }

    /// A URL for `database` without TLS, which the server refuses.
    pub fn plain_url(&self, database: &str) -> String {
        format!("{}/{database}?sslmode=disable", self.server.base_url())
    }
}

/// A private NATS server with JetStream that takes only TLS connections signed in as
/// `user` with `password`.
pub struct TlsNats {
    port: u16,
    child: std::process::Child,
    _store: tempfile::TempDir,
    pki: PartnerPki,
}

impl TlsNats {
    pub const USER: &'static str = "housing";
    pub const PASSWORD: &'static str = "a-test-password";

    pub fn start() -> Self {
        let pki = PartnerPki::new();
        let store = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let binary = find_binary("nats-server").expect("nats-server installed");
        let child = Command::new(binary)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(store.path())
            .arg("--tls")
            .arg("--tlscert")
            .arg(pki.path("server.pem"))
            .arg("--tlskey")
            .arg(pki.path("server.key"))
            .args(["--user", Self::USER, "--pass", Self::PASSWORD])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts");
        wait_for(port);
        Self {
            port,
            child,
            _store: store,
            pki,
        }
    }

    pub fn url(&self) -> String {
        format!("tls://localhost:{}", self.port)
    }

    /// The authority whose certificate the server presents.
    pub fn ca_file(&self) -> PathBuf {
        self.pki.path("ca.pem")
    }
}

impl Drop for TlsNats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
