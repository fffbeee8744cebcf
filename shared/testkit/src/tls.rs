//! Servers that take only TLS, as managed PostgreSQL and a production NATS cluster do, with
//! certificates from a test authority: a service must verify them to connect at all.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::pki::PartnerPki;
use crate::servers::{find_binary, free_port, is_root, run, wait_for};

/// A private PostgreSQL that refuses every connection not made over TLS.
pub struct TlsPostgres {
    port: u16,
    data: tempfile::TempDir,
    pki: PartnerPki,
}

impl TlsPostgres {
    pub fn start() -> Self {
        let pki = PartnerPki::new();
        let data = tempfile::tempdir().expect("temp dir");
        let dir = data.path();
        // PostgreSQL refuses to run as root; the Debian package brings a postgres user, who
        // must be able to reach the folder.
        let as_server_user = |binary: &Path| {
            if is_root() {
                let mut command = Command::new("runuser");
                command.args(["-u", "postgres", "--"]).arg(binary);
                command
            } else {
                Command::new(binary)
            }
        };
        let initdb = find_binary("initdb").expect("initdb (Debian package postgresql)");
        let pg_ctl = find_binary("pg_ctl").expect("pg_ctl");
        if is_root() {
            run(Command::new("chown").args(["postgres:postgres"]).arg(dir));
        }
        run(as_server_user(&initdb)
            .args(["-U", "postgres", "--auth=trust", "-D"])
            .arg(dir));
        for file in ["server.pem", "server.key"] {
            std::fs::copy(pki.path(file), dir.join(file)).expect("copy certificate");
        }
        std::fs::write(
            dir.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
        )
        .expect("pg_hba.conf");
        if is_root() {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir));
        }
        run(Command::new("chmod").arg("600").arg(dir.join("server.key")));
        let port = free_port();
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c ssl=on -c ssl_cert_file=server.pem -c ssl_key_file=server.key",
            dir.display()
        );
        run(as_server_user(&pg_ctl)
            .arg("-D")
            .arg(dir)
            .args(["-o", &options, "-l"])
            .arg(dir.join("log"))
            .args(["-w", "start"]));
        wait_for(port);
        Self { port, data, pki }
    }

    /// The authority whose certificate the server presents.
    pub fn ca_file(&self) -> PathBuf {
        self.pki.path("ca.pem")
    }

    /// A URL for `database` that verifies the server against `ca_file`, as production's does.
    pub fn url(&self, database: &str, ca_file: &Path) -> String {
        format!(
            "postgres://postgres@localhost:{}/{database}?sslmode=verify-full&sslrootcert={}",
            self.port,
            ca_file.display()
        )
    }

    /// A URL for `database` without TLS, which the server refuses.
    pub fn plain_url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        if let Some(pg_ctl) = find_binary("pg_ctl") {
            let mut command = if is_root() {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(pg_ctl);
                c
            } else {
                Command::new(pg_ctl)
            };
            let _ = command
                .arg("-D")
                .arg(self.data.path())
                .args(["-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
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
