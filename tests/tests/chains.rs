//! Chains that cross services and end in an officer's decision, on real servers: a rent
//! account referred for arrears opens a review of the placement in temporary accommodation,
//! which an officer decides; nothing closes a household's home on its own.

mod common;

use std::time::Duration;

use common::{as_role, place_a_household, start_accommodation, start_rent};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::rent::v1::{self as rent, rent_service_client::RentServiceClient};
use housing_testkit::{eventually, servers, unique_prefix};
use tonic::Code;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn an_arrears_referral_opens_a_closure_review_that_only_an_officer_decides() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let rent_service = start_rent(nats_url, &prefix).await;
    let accommodation = start_accommodation(nats_url, &prefix).await;
    let mut ta_client =
        AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    let mut income = RentServiceClient::new(as_role(&rent_service, Role::IncomeOfficer).await);

    let placement_id = place_a_household(&mut ta_client).await;
    let account = eventually(WAIT, "the rent account for the placement", || {
        let mut income = income.clone();
        let placement_id = placement_id.clone();
        async move {
            income
                .get_account(rent::GetAccountRequest {
                    key: Some(rent::get_account_request::Key::PlacementId(placement_id)),
                })
                .await
                .ok()?
                .into_inner()
                .account
        }
    })
    .await;
    // Nine weeks' rent unpaid: past the eight weeks at which the account is referred.
    income
        .post_adjustment(rent::PostAdjustmentRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            account_id: account.account_id.clone(),
            kind: rent::AdjustmentKind::Debit as i32,
            amount_pence: 9 * 18_000,
            effective_date: format_date(today()),
            reason: "charges missed since the household moved in".into(),
        })
        .await
        .unwrap();
    let reviewed = income
        .review_arrears(rent::ReviewArrearsRequest {
            as_of: format_date(today()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(reviewed.stages_changed, 1);

    let review = eventually(WAIT, "the closure review", || {
        let mut client = ta_client.clone();
        async move {
            let open = client
                .list_closure_reviews(ta::ListClosureReviewsRequest {
                    status: ta::ClosureReviewStatus::Open as i32,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner()
                .reviews;
            open.into_iter().next()
        }
    })
    .await;
    assert_eq!(review.placement_id, placement_id);
    assert_eq!(review.rent_account_id, account.account_id);
    assert_eq!(review.balance_pence, 9 * 18_000);
    assert_eq!(review.opened_on, format_date(today()));
    // The referral alone closes nothing.
    let placement = |client: &mut AccommodationServiceClient<common::Authed>| {
        let mut client = client.clone();
        let id = placement_id.clone();
        async move {
            client
                .get_placement(ta::GetPlacementRequest { placement_id: id })
                .await
                .unwrap()
                .into_inner()
                .placement
                .unwrap()
        }
    };
    let before = placement(&mut ta_client).await;
    assert_ne!(before.status, ta::PlacementStatus::Closed as i32);
    assert_eq!(before.closure_reviews.len(), 1);

    let bad = ta_client
        .decide_closure_review(ta::DecideClosureReviewRequest {
            review_id: "the one".into(),
            close_placement: true,
            reason: " ".into(),
            end_date: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["review_id", "reason", "end_date"]
    );

    let end = format_date(today() + chrono::Days::new(28));
    let decide = ta::DecideClosureReviewRequest {
        review_id: review.review_id.clone(),
        close_placement: true,
        reason: "no payment or contact after two letters and a visit".into(),
        end_date: end.clone(),
    };
    let decided = ta_client
        .decide_closure_review(decide.clone())
        .await
        .unwrap()
        .into_inner();
    let decided_review = decided.review.unwrap();
    assert_eq!(
        decided_review.status,
        ta::ClosureReviewStatus::PlacementClosed as i32
    );
    assert!(!decided_review.decided_by.is_empty());
    let closed = decided.placement.unwrap();
    assert_eq!(closed.status, ta::PlacementStatus::Closed as i32);
    assert_eq!(closed.closure_reason, ta::ClosureReason::Arrears as i32);
    assert_eq!(closed.end_date, end);
    // The same decision again changes nothing; keeping the placement now is refused.
    ta_client.decide_closure_review(decide).await.unwrap();
    let keep = ta_client
        .decide_closure_review(ta::DecideClosureReviewRequest {
            review_id: review.review_id.clone(),
            close_placement: false,
            reason: "changed my mind".into(),
            end_date: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(keep.code(), Code::FailedPrecondition);
    let open_left = ta_client
        .list_closure_reviews(ta::ListClosureReviewsRequest {
            status: ta::ClosureReviewStatus::Open as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .reviews;
    assert!(open_left.is_empty());

    accommodation.running.stop().await.expect("stops");
    rent_service.running.stop().await.expect("stops");
}
