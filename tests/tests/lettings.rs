//! Choice-based lettings across the register and nominations: adverts, bids within the
//! limit, a close that ranks the bidders who fit by band then date, and the result
//! published once the home is let; the nominee's household as the partner is told of it.

mod common;

use std::time::Duration;

use common::{
    application, as_partner, as_role, as_service, read_stream, start_nominations, start_register,
};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1::{
    self as noms, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use housing_proto::register::v1::{self as reg, register_service_client::RegisterServiceClient};
use housing_testkit::{eventually, servers, unique_prefix};
use prost::Message;
use tonic::Code;

#[tokio::test]
async fn bidders_who_fit_are_ranked_by_band_then_date_within_the_bid_limit_and_the_result_is_published()
 {
    let prefix = unique_prefix();
    let nats = servers::nats_url();
    let register = start_register(nats, &prefix).await;
    let nominations = start_nominations(
        nats,
        &prefix,
        &register,
        &[("HOUSING__SERVICE__BID_LIMIT", "2")],
    )
    .await;

    let mut officer =
        RegisterServiceClient::new(as_role(&register, Role::AllocationsOfficer).await);
    let mut submit = async |r: reg::SubmitApplicationRequest| {
        officer
            .submit_application(r)
            .await
            .unwrap()
            .into_inner()
            .application
            .unwrap()
    };
    let band_c_early = submit(application("c-early", false, false)).await;
    let band_b = submit(application("b", true, false)).await;
    let band_c_late = submit(application("c-late", false, false)).await;
    let wheelchair = submit(application("wheelchair", true, true)).await;
    let bands: Vec<&str> = [&band_c_early, &band_b, &band_c_late]
        .iter()
        .map(|a| a.assessment.as_ref().unwrap().band.as_str())
        .collect();
    assert_eq!(bands, vec!["C", "B", "C"]);

    let manager = as_role(&nominations, Role::Manager).await;
    let mut staff = NominationsServiceClient::new(manager);
    let bad_agreement = staff
        .create_partner(noms::CreatePartnerRequest {
            request_id: "bad".into(),
            name: "Northside Homes".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        housing_platform::errors::bad_request_fields(&bad_agreement),
        vec!["response_days", "nomination_share_percent"]
    );
    staff
        .create_partner(noms::CreatePartnerRequest {
            request_id: "p".into(),
            name: "Northside Homes".into(),
            response_days: 5,
            nomination_share_percent: 50,
            client_certificate_pem: nominations.pki().certificate("northside"),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut partner_api = PartnerServiceClient::new(as_partner(&nominations, "northside").await);
    let mut advertise = async |n: usize| {
        let vacancy = partner_api
            .report_vacancy(noms::ReportVacancyRequest {
                request_id: format!("v-{n}"),
                vacancy: Some(noms::Vacancy {
                    address: format!("{n} Mill Lane"),
                    area: "north".into(),
                    bedrooms: 2,
                    property_type: "flat".into(),
                    weekly_rent_pence: 14_000,
                    available_from: format_date(today()),
                    void_start: format_date(today()),
                    ..Default::default()
                }),
            })
            .await
            .unwrap()
            .into_inner()
            .vacancy
            .unwrap();
        staff
            .create_advert(noms::CreateAdvertRequest {
                request_id: format!("a-{n}"),
                vacancy_id: vacancy.vacancy_id,
                closes_on: format_date(today() + chrono::Days::new(7)),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .advert
            .unwrap()
    };
    let advert = advertise(1).await;
    let second = advertise(2).await;
    let third = advertise(3).await;

    // The applicants' portal places bids on its own account.
    let mut portal =
        NominationsServiceClient::new(as_service(&nominations, "applicant-portal").await);
    let bid = |advert: &noms::Advert, application: &reg::Application| noms::PlaceBidRequest {
        advert_id: advert.advert_id.clone(),
        application_id: application.application_id.clone(),
    };
    for applicant in [&band_c_late, &band_c_early, &band_b, &wheelchair] {
        let placed = portal.place_bid(bid(&advert, applicant)).await.unwrap();
        assert!(placed.into_inner().placed);
    }
    // A bid placed again (a retry, or an officer unaware of it) changes nothing and says so.
    let again = portal
        .place_bid(bid(&advert, &band_b))
        .await
        .unwrap()
        .into_inner();
    assert!(!again.placed);
    assert_eq!(again.advert.unwrap().bids, 4);
    portal.place_bid(bid(&second, &band_b)).await.unwrap();
    let over_limit = portal.place_bid(bid(&third, &band_b)).await.unwrap_err();
    assert_eq!(over_limit.code(), Code::FailedPrecondition);
    assert!(
        over_limit.message().contains("limit"),
        "{}",
        over_limit.message()
    );
    // Withdrawing a bid frees a place under the limit; withdrawing it again finds none.
    let withdraw = || noms::WithdrawBidRequest {
        advert_id: second.advert_id.clone(),
        application_id: band_b.application_id.clone(),
    };
    assert!(
        portal
            .withdraw_bid(withdraw())
            .await
            .unwrap()
            .into_inner()
            .withdrawn
    );
    assert!(
        !portal
            .withdraw_bid(withdraw())
            .await
            .unwrap()
            .into_inner()
            .withdrawn
    );
    portal.place_bid(bid(&third, &band_b)).await.unwrap();

    let closed = staff
        .close_advert(noms::CloseAdvertRequest {
            advert_id: advert.advert_id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(closed.advert.unwrap().bids, 4);
    let order: Vec<&str> = closed
        .results
        .iter()
        .map(|r| r.application_id.as_str())
        .collect();
    assert_eq!(
        order,
        vec![
            band_b.application_id.as_str(),
            band_c_early.application_id.as_str(),
            band_c_late.application_id.as_str()
        ],
        "band B first, then band C by date; the wheelchair user's need is not met by this flat"
    );
    let late = portal
        .place_bid(bid(&advert, &band_c_late))
        .await
        .unwrap_err();
    assert_eq!(late.code(), Code::FailedPrecondition, "bidding has closed");

    // A decant offer goes only to a household being decanted.
    let not_decanted = staff
        .create_nomination(noms::CreateNominationRequest {
            request_id: "n-decant".into(),
            vacancy_id: advert.vacancy_id.clone(),
            application_id: band_b.application_id.clone(),
            offer_kind: noms::OfferKind::Decant as i32,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(not_decanted.code(), Code::FailedPrecondition);
    assert!(not_decanted.message().contains("no decant"));

    // The top bidder is verified and nominated as any nominee is. Support needs and risks
    // go to the landlord only with the applicant's agreement.
    let shared = noms::SharedWithPartner {
        support_needs: vec!["Tenancy sustainment support for the first six months".into()],
        risks: vec!["Visit in pairs: a previous threat to a housing officer".into()],
        applicant_agreed: false,
    };
    let unagreed = staff
        .create_nomination(noms::CreateNominationRequest {
            request_id: "n-unagreed".into(),
            vacancy_id: advert.vacancy_id.clone(),
            application_id: band_b.application_id.clone(),
            shared: Some(shared.clone()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&unagreed),
        ["shared.applicant_agreed"],
        "{unagreed:?}"
    );
    let nomination = staff
        .create_nomination(noms::CreateNominationRequest {
            request_id: "n-1".into(),
            vacancy_id: advert.vacancy_id.clone(),
            application_id: band_b.application_id.clone(),
            shared: Some(noms::SharedWithPartner {
                applicant_agreed: true,
                ..shared.clone()
            }),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .nomination
        .unwrap();
    assert_eq!(nomination.band, "B");

    // The partner is told what it needs to make an offer, and no more: the lead by name,
    // the others by relationship and age, the home needed, and what the applicant agreed
    // to share; not the register's id, the band or the officer.
    let seen = partner_api
        .list_nominations(noms::ListNominationsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .nominations
        .into_iter()
        .find(|n| n.nomination_id == nomination.nomination_id)
        .expect("the partner sees its nomination");
    assert_eq!(
        (
            seen.application_id.as_str(),
            seen.band.as_str(),
            seen.nominated_by.as_str()
        ),
        ("", "", "")
    );
    assert_eq!(seen.application_reference, band_b.reference);
    let lead_age = today().years_since("1990-02-03".parse().unwrap()).unwrap() as i32;
    assert_eq!(
        seen.household,
        Some(noms::NominatedHousehold {
            lead_name: "Ann Bidder".into(),
            occupants: vec![
                noms::Occupant {
                    relationship: noms::OccupantRelationship::LeadApplicant as i32,
                    age: lead_age,
                },
                noms::Occupant {
                    relationship: noms::OccupantRelationship::Child as i32,
                    age: 5,
                },
            ],
            bedrooms_needed: 2,
            access_need: noms::AccessNeed::GeneralNeeds as i32,
            support_needs: shared.support_needs.clone(),
            risks: shared.risks.clone(),
            applicant_agreed_to_share: true,
        })
    );
    assert_eq!(
        nomination.household, seen.household,
        "the council sees the same"
    );

    // The result is published once the home is let, and names no one.
    let result_of = |application: &reg::Application| noms::GetLettingResultRequest {
        advert_id: advert.advert_id.clone(),
        application_id: application.application_id.clone(),
    };
    let early = portal
        .get_letting_result(result_of(&band_c_early))
        .await
        .unwrap_err();
    assert_eq!(
        early.code(),
        Code::FailedPrecondition,
        "{}",
        early.message()
    );
    partner_api
        .respond_to_nomination(noms::RespondToNominationRequest {
            nomination_id: nomination.nomination_id.clone(),
            accept: true,
            ..Default::default()
        })
        .await
        .unwrap();
    partner_api
        .report_letting(noms::ReportLettingRequest {
            nomination_id: nomination.nomination_id.clone(),
            tenancy_start_date: format_date(today() + chrono::Days::new(14)),
            weekly_rent_pence: 14_000,
            details: None,
        })
        .await
        .unwrap();
    let published = portal
        .get_letting_result(result_of(&band_c_early))
        .await
        .unwrap()
        .into_inner();
    let result = published.result.unwrap();
    assert_eq!((result.bids, result.position), (4, 1));
    assert_eq!(result.band, "B");
    assert_eq!(
        result.effective_date,
        band_b.assessment.as_ref().unwrap().effective_date
    );
    assert_eq!(published.your_position, 2, "band C, the earlier date");
    let outsider = portal
        .get_letting_result(result_of(&wheelchair))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(outsider.your_position, 0, "the flat did not fit their need");
    let announced = eventually(Duration::from_secs(20), "the published result", || async {
        read_stream(nats, &prefix, "nominations")
            .await
            .into_iter()
            .find(|m| m.subject.ends_with("advert.result_published.v1"))
    })
    .await;
    let announced = noms::AdvertResultPublished::decode(announced.payload.as_slice()).unwrap();
    assert_eq!(announced.result, Some(result));

    nominations.running.stop().await.unwrap();
    register.running.stop().await.unwrap();
}
