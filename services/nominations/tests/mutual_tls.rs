//! Partners on the mutual TLS port: the client certificate is who the partner is.
//! Certificates come from the test kit's authority, made with the `openssl` command.

mod common;

use housing_platform::auth::Role;
use housing_proto::nominations::v1::{
    self as pb, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use tonic::Code;
use uuid::Uuid;

#[tokio::test]
async fn partners_are_known_by_their_client_certificates_and_see_only_their_own_nominations() {
    let h = common::start().await;
    let partner_port = h.running.addr_of("partners").expect("a partner port");

    // The council registers each partner with its certificate.
    let mut manager = common::staff(&h, Role::Manager).await;
    let mut register = async |name: &str| {
        let pem = h.pki.certificate(name);
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
        h.pki
            .channel(partner_port, Some("riverside"))
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

    let mut other =
        PartnerServiceClient::new(h.pki.channel(partner_port, Some("hillside")).await.unwrap());
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
        h.pki
            .channel(partner_port, Some("riverside"))
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
    let mut stranger =
        PartnerServiceClient::new(h.pki.channel(partner_port, Some("stranger")).await.unwrap());
    assert_eq!(
        stranger
            .list_nominations(pb::ListNominationsRequest::default())
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    // Without a client certificate there is no connection at all.
    let anonymous = match h.pki.channel(partner_port, None).await {
        Err(_) => true,
        Ok(channel) => PartnerServiceClient::new(channel)
            .list_nominations(pb::ListNominationsRequest::default())
            .await
            .is_err(),
    };
    assert!(anonymous, "a client without a certificate is refused");
    h.running.stop().await.unwrap();
}
