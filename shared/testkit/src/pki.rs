//! Partners' mutual TLS for tests: an authority, the nominations service's server
//! certificate and a client certificate per partner, made with the `openssl` command.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};

pub struct PartnerPki {
    dir: PathBuf,
    /// Removes a test's authority when it is dropped; none for a kept one.
    _temporary: Option<tempfile::TempDir>,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Default for PartnerPki {
    fn default() -> Self {
        Self::new()
    }
}

impl PartnerPki {
    /// A new authority and a server certificate for 127.0.0.1 and localhost, removed when
    /// dropped.
    pub fn new() -> Self {
        let temporary = tempfile::tempdir().expect("temp dir");
        let pki = Self::create(temporary.path());
        Self {
            _temporary: Some(temporary),
            ..pki
        }
    }

    /// The authority kept in `dir` (the local stack's), made there on first use.
    pub fn at(dir: &Path) -> Self {
        std::fs::create_dir_all(dir).expect("PKI folder");
        if dir.join("server.pem").exists() {
            return Self {
                dir: dir.to_owned(),
                _temporary: None,
            };
        }
        Self::create(dir)
    }

    fn create(dir: &Path) -> Self {
        openssl(
            dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=Test partner authority",
            ],
        );
        let pki = Self {
            dir: dir.to_owned(),
            _temporary: None,
        };
        pki.sign(
            "server",
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        );
        pki
    }

    /// A file of the authority's: `ca.pem`, `server.pem`, `server.key`, ...
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn sign(&self, name: &str, extensions: &str) {
        let dir = &self.dir;
        std::fs::write(dir.join(format!("{name}.ext")), extensions).expect("write");
        openssl(
            dir,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                &format!("/CN={name}"),
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &format!("{name}.pem"),
                "-days",
                "2",
                "-extfile",
                &format!("{name}.ext"),
            ],
        );
    }

    /// The nominations settings that open the partner port with this authority.
    pub fn server_settings(&self) -> Vec<(String, String)> {
        let file = |f: &str| self.path(f).to_str().expect("utf-8 path").to_owned();
        vec![
            ("HOUSING__SERVICE__PARTNER_TLS__PORT".into(), "0".into()),
            (
                "HOUSING__SERVICE__PARTNER_TLS__CERTIFICATE_FILE".into(),
                file("server.pem"),
            ),
            (
                "HOUSING__SERVICE__PARTNER_TLS__KEY_FILE".into(),
                file("server.key"),
            ),
            (
                "HOUSING__SERVICE__PARTNER_TLS__CLIENT_CA_FILE".into(),
                file("ca.pem"),
            ),
        ]
    }

    /// The client certificate (PEM) of `name`, issued on first asking.
    pub fn certificate(&self, name: &str) -> String {
        if !self.path(&format!("{name}.pem")).exists() {
            self.sign(name, "extendedKeyUsage=clientAuth\n");
        }
        std::fs::read_to_string(self.path(&format!("{name}.pem"))).expect("read certificate")
    }

    /// The SHA-256 fingerprint (hex, of the DER bytes) of `name`'s certificate, as the
    /// nominations service records a partner's.
    pub fn fingerprint(&self, name: &str) -> String {
        let pem = self.certificate(name);
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = STANDARD.decode(body).expect("PEM body is base64");
        Sha256::digest(der)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A channel to the partner port at `addr`, presenting `name`'s certificate (none when
    /// `None`).
    pub async fn channel(
        &self,
        addr: std::net::SocketAddr,
        name: Option<&str>,
    ) -> Result<Channel, tonic::transport::Error> {
        let read = |f: &str| std::fs::read(self.path(f)).expect("read");
        let mut tls = ClientTlsConfig::new()
            .ca_certificate(Certificate::from_pem(read("ca.pem")))
            .domain_name("localhost");
        if let Some(name) = name {
            self.certificate(name);
            tls = tls.identity(Identity::from_pem(
                read(&format!("{name}.pem")),
                read(&format!("{name}.key")),
            ));
        }
        Channel::from_shared(format!("https://{addr}"))
            .expect("valid address")
            .tls_config(tls)?
            .connect()
            .await
    }
}
