//! Partners on the mutual TLS port: the client certificate is who the partner is.
//! Certificates are made for the test with the `openssl` command.

mod common;

use std::path::Path;
use std::process::Command;

use housing_platform::auth::Role;
use housing_proto::nominations::v1::{
    self as pb, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use housing_testkit::{TestDatabase, TestEnv};
use tonic::Code;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use uuid::Uuid;

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

/// A certificate for `name` signed by the test authority, for a server or a client.
fn issue(dir: &Path, name: &str, extensions: &str) {
    std::fs::write(dir.join(format!("{name}.ext")), extensions).unwrap();
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
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

fn certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
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
    issue(
        dir,
        "server",
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    );
    for partner in ["riverside", "hillside", "stranger"] {
        issue(dir, partner, "extendedKeyUsage=clientAuth\n");
    }
}

async fn connect(
    dir: &Path,
    addr: std::net::SocketAddr,
    client: Option<&str>,
) -> Result<Channel, tonic::transport::Error> {
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(read("ca.pem")))
        .domain_name("localhost");
    if let Some(name) = client {
        tls = tls.identity(Identity::from_pem(
            read(&format!("{name}.pem")),
            read(&format!("{name}.key")),
        ));
    }
    Channel::from_shared(format!("https://{addr}"))
        .unwrap()
        .tls_config(tls)?
        .connect()
        .await
}

#[tokio::test]
async fn partners_are_known_by_their_client_certificates_and_see_only_their_own_nominations() {
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    let path = |f: &str| dir.path().join(f).to_str().unwrap().to_owned();
    let db = TestDatabase::create("nominations", &nominations::migrators()).await;
    let env = TestEnv::for_database(&db);
    let (cert, key, ca) = (path("server.pem"), path("server.key"), path("ca.pem"));
    let running = nominations::build(env.settings(
        nominations::DEFAULTS,
        &[
            ("HOUSING__SERVICE__PARTNER_TLS__PORT", "0"),
            ("HOUSING__SERVICE__PARTNER_TLS__CERTIFICATE_FILE", &cert),
            ("HOUSING__SERVICE__PARTNER_TLS__KEY_FILE", &key),
            ("HOUSING__SERVICE__PARTNER_TLS__CLIENT_CA_FILE", &ca),
        ],
    ))
    .await
    .expect("starts");
    let partner_port = running.addr_of("partners").expect("a partner port");

    // The council registers each partner with its certificate.
    let h = common::Harness {
        pool: db.pool().await,
        db,
        running,
        partner: Uuid::nil(),
    };
    let mut manager = common::staff(&h, Role::Manager).await;
    let mut register = async |name: &str| {
        let pem = std::fs::read_to_string(dir.path().join(format!("{name}.pem"))).unwrap();
        Uuid::parse_str(
            &manager
                .create_partner(pb::CreatePartnerRequest {
                    request_id: name.into(),
                    name: name.into(),
                    response_days: 5,
                    nomination_share_percent: 50,
                    council_stock: false,
                    client_certificate_pem: pem,
                })
                .await
                .unwrap()
                .into_inner()
                .partner
                .unwrap()
                .partner_id,
        )
        .unwrap()
    };
    let riverside = register("riverside").await;
    register("hillside").await;
    let h = common::Harness {
        partner: riverside,
        ..h
    };
    let nomination = common::nomination(&h, "pending").await;

    let mut own = PartnerServiceClient::new(
        connect(dir.path(), partner_port, Some("riverside"))
            .await
            .unwrap(),
    );
    let listed = own
        .list_nominations(pb::ListNominationsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .nominations;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].nomination_id, nomination.to_string());

    let mut other = PartnerServiceClient::new(
        connect(dir.path(), partner_port, Some("hillside"))
            .await
            .unwrap(),
    );
    assert!(
        other
            .list_nominations(pb::ListNominationsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .nominations
            .is_empty()
    );
    let not_theirs = other
        .respond_to_nomination(pb::RespondToNominationRequest {
            nomination_id: nomination.to_string(),
            accept: true,
            rejection_reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(not_theirs.code(), Code::NotFound);
    // The partner port serves partners' RPCs only: a partner's certificate reaches no staff
    // RPC there.
    let mut staff_by_certificate = NominationsServiceClient::new(
        connect(dir.path(), partner_port, Some("riverside"))
            .await
            .unwrap(),
    );
    let staff_call = staff_by_certificate
        .get_nomination(pb::GetNominationRequest {
            nomination_id: nomination.to_string(),
        })
        .await
        .unwrap_err();
    assert_eq!(staff_call.code(), Code::Unimplemented);

    // A certificate from the authority that no partner registered is refused.
    let mut stranger = PartnerServiceClient::new(
        connect(dir.path(), partner_port, Some("stranger"))
            .await
            .unwrap(),
    );
    assert_eq!(
        stranger
            .list_nominations(pb::ListNominationsRequest::default())
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    // Without a client certificate there is no connection at all.
    let anonymous = match connect(dir.path(), partner_port, None).await {
        Err(_) => true,
        Ok(channel) => PartnerServiceClient::new(channel)
            .list_nominations(pb::ListNominationsRequest::default())
            .await
            .is_err(),
    };
    assert!(anonymous, "a client without a certificate is refused");
    h.running.stop().await.unwrap();
}
