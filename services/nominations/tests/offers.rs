//! Refusals, overdue answers and the partner's resumable stream of nominations, on real
//! PostgreSQL and NATS.

mod common;

use std::time::Duration;

use common::{nomination, outbox, partner_client, staff, start};
use housing_platform::auth::{BearerToken, Role};
use housing_platform::time::today;
use housing_proto::nominations::v1::{
    self as pb, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use prost::Message;
use tokio_stream::StreamExt;
use tonic::Code;
use uuid::Uuid;

fn refusal(id: Uuid, final_offer: bool, suitable: bool) -> pb::RecordRefusalRequest {
    pb::RecordRefusalRequest {
        nomination_id: id.to_string(),
        reason: pb::RefusalReason::Location as i32,
        interview_notes: "too far from the children's school".into(),
        final_offer,
        suitable,
        suitability_reasons: "journey to school under 45 minutes by bus".into(),
    }
}

#[tokio::test]
async fn a_refused_suitable_final_offer_is_announced_and_needs_a_senior_officer() {
    let h = start().await;
    let id = nomination(&h, "accepted").await;
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let denied = officer
        .record_refusal(refusal(id, true, true))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    assert!(
        outbox(&h.pool, "housing.nominations.offer.refused.v1")
            .await
            .is_empty()
    );

    let mut senior = staff(&h, Role::SeniorOfficer).await;
    let refused = senior
        .record_refusal(refusal(id, true, true))
        .await
        .unwrap()
        .into_inner()
        .nomination
        .unwrap();
    assert_eq!(refused.status, pb::NominationStatus::Refused as i32);
    let events = outbox(&h.pool, "housing.nominations.offer.refused.v1").await;
    assert_eq!(events.len(), 1);
    let event = pb::OfferRefused::decode(events[0].as_slice()).unwrap();
    assert!(event.final_offer && event.suitable);
    assert_eq!(event.reason(), pb::RefusalReason::Location);
    assert_eq!(
        event.decided_by,
        housing_testkit::oidc::officer(Role::SeniorOfficer).sub
    );
    let vacancy: String = sqlx::query_scalar(
        "SELECT v.status FROM vacancies v JOIN nominations n ON n.vacancy_id = v.id WHERE n.id = $1",
    )
    .bind(id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(vacancy, "open", "the home goes to someone else");

    let again = senior
        .record_refusal(refusal(id, true, true))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition);
    h.running.stop().await.unwrap();
    drop(h.db);
}

#[tokio::test]
async fn a_refusal_names_every_missing_field_and_stores_nothing() {
    let h = start().await;
    let id = nomination(&h, "pending").await;
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let status = officer
        .record_refusal(pb::RecordRefusalRequest {
            nomination_id: id.to_string(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let mut fields = housing_platform::errors::bad_request_fields(&status);
    fields.sort();
    assert_eq!(
        fields,
        vec!["interview_notes", "reason", "suitability_reasons"]
    );
    let refusals: i64 = sqlx::query_scalar("SELECT count(*) FROM refusals")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(refusals, 0);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_unanswered_nomination_past_its_deadline_raises_one_overdue_event() {
    let h = start().await;
    let id = nomination(&h, "pending").await;
    nomination(&h, "accepted").await;
    // Due in five days: not overdue on the day itself, overdue the day after.
    let due = today() + chrono::Days::new(5);
    assert_eq!(
        nominations::app::overdue::raise(&h.pool, due)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        nominations::app::overdue::raise(&h.pool, due + chrono::Days::new(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        nominations::app::overdue::raise(&h.pool, due + chrono::Days::new(2))
            .await
            .unwrap(),
        0,
        "raised once"
    );
    let events = outbox(&h.pool, "housing.nominations.nomination.overdue.v1").await;
    let event = pb::NominationOverdue::decode(events[0].as_slice()).unwrap();
    assert_eq!(event.nomination_id, id.to_string());
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_partners_stream_resumes_after_a_dropped_connection_missing_and_repeating_nothing() {
    let h = start().await;
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(nomination(&h, "pending").await.to_string());
    }
    // Another partner's nominations never appear.
    let other = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO partners (id, name, response_days, created_at) VALUES ($1, 'Other', 5, now())",
    )
    .bind(other)
    .execute(&h.pool)
    .await
    .unwrap();

    let mut client = partner_client(&h, h.partner).await;
    let mut stream = client
        .watch_nominations(pb::WatchNominationsRequest::default())
        .await
        .unwrap()
        .into_inner();
    let mut seen = Vec::new();
    let mut cursor = String::new();
    for _ in 0..2 {
        let message = stream.next().await.unwrap().unwrap();
        seen.push(message.nomination.unwrap().nomination_id);
        cursor = message.cursor;
    }
    drop(stream);
    drop(client);

    for _ in 0..2 {
        made.push(nomination(&h, "pending").await.to_string());
    }
    let mut client = partner_client(&h, h.partner).await;
    let mut stream = client
        .watch_nominations(pb::WatchNominationsRequest {
            after_cursor: cursor,
        })
        .await
        .unwrap()
        .into_inner();
    for _ in 0..3 {
        let message = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .expect("the rest arrive")
            .unwrap()
            .unwrap();
        seen.push(message.nomination.unwrap().nomination_id);
    }
    // A nomination made while watching arrives live.
    made.push(nomination(&h, "pending").await.to_string());
    let live = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the new one arrives")
        .unwrap()
        .unwrap();
    seen.push(live.nomination.unwrap().nomination_id);
    assert_eq!(seen, made, "every nomination once, in order");

    let mut other_client = partner_client(&h, other).await;
    let mut others = other_client
        .watch_nominations(pb::WatchNominationsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(
        tokio::time::timeout(Duration::from_millis(600), others.next())
            .await
            .is_err(),
        "another partner sees none of them"
    );
    let bad = client
        .watch_nominations(pb::WatchNominationsRequest {
            after_cursor: "yesterday".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn another_partner_can_neither_see_nor_act_on_a_partners_nominations_and_partners_cannot_call_staff_rpcs()
 {
    let h = start().await;
    let id = nomination(&h, "pending").await;
    let accepted = nomination(&h, "accepted").await;
    let other = Uuid::now_v7();
    sqlx::query("INSERT INTO partners (id, name, response_days, created_at) VALUES ($1, 'Other Homes', 5, now())")
        .bind(other)
        .execute(&h.pool)
        .await
        .unwrap();
    let mut intruder = partner_client(&h, other).await;

    let respond = intruder
        .respond_to_nomination(pb::RespondToNominationRequest {
            nomination_id: id.to_string(),
            accept: true,
            rejection_reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(respond.code(), Code::NotFound);
    let letting = intruder
        .report_letting(pb::ReportLettingRequest {
            nomination_id: accepted.to_string(),
            tenancy_start_date: housing_platform::time::format_date(today()),
            weekly_rent_pence: 15_000,
            details: None,
        })
        .await
        .unwrap_err();
    assert_eq!(letting.code(), Code::NotFound);
    let offer = intruder
        .record_offer(pb::RecordOfferRequest {
            nomination_id: accepted.to_string(),
            offered_on: housing_platform::time::format_date(today()),
        })
        .await
        .unwrap_err();
    assert_eq!(offer.code(), Code::NotFound);
    let viewing = intruder
        .record_viewing(pb::RecordViewingRequest {
            nomination_id: accepted.to_string(),
            viewed_on: housing_platform::time::format_date(today()),
            notes: "liked it".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(viewing.code(), Code::NotFound);
    let listed = intruder
        .list_nominations(pb::ListNominationsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .nominations;
    assert!(listed.is_empty(), "another partner lists none of them");

    // Nothing changed for the partner whose nominations they are.
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM nominations WHERE partner_id = $1 ORDER BY seq")
            .bind(h.partner)
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(statuses, vec!["pending", "accepted"]);
    let lettings: i64 = sqlx::query_scalar("SELECT count(*) FROM lettings")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(lettings, 0);
    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM nominations WHERE offered_on IS NOT NULL OR viewed_on IS NOT NULL",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(recorded, 0);

    // A partner's people signed in at the provider open no staff RPC: partner credentials
    // are refused on the staff port.
    let token = housing_testkit::oidc::token_as("riverside.lettings", common::AUDIENCE).await;
    let mut as_staff = NominationsServiceClient::with_interceptor(
        housing_testkit::channel(h.running.addr()).await,
        BearerToken::new(&token),
    );
    let denied = [
        as_staff
            .get_nomination(pb::GetNominationRequest {
                nomination_id: id.to_string(),
            })
            .await
            .map(|_| ())
            .unwrap_err(),
        as_staff
            .record_refusal(refusal(id, false, false))
            .await
            .map(|_| ())
            .unwrap_err(),
        as_staff
            .create_partner(pb::CreatePartnerRequest {
                request_id: "x".into(),
                name: "x".into(),
                response_days: 5,
                nomination_share_percent: 50,
                ..Default::default()
            })
            .await
            .map(|_| ())
            .unwrap_err(),
        as_staff
            .close_advert(pb::CloseAdvertRequest {
                advert_id: Uuid::now_v7().to_string(),
            })
            .await
            .map(|_| ())
            .unwrap_err(),
    ];
    for status in denied {
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
        assert!(
            status
                .message()
                .contains("partners connect with mutual TLS"),
            "{status:?}"
        );
    }
    // And staff credentials do not act as a partner: the staff port serves no partner RPC.
    let mut officer_as_partner = PartnerServiceClient::with_interceptor(
        housing_testkit::channel(h.running.addr()).await,
        BearerToken::new(
            &housing_testkit::oidc::token_for(Role::AllocationsOfficer, common::AUDIENCE).await,
        ),
    );
    assert_eq!(
        officer_as_partner
            .list_nominations(pb::ListNominationsRequest::default())
            .await
            .unwrap_err()
            .code(),
        Code::Unimplemented
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_under_occupation_incentive_is_paid_per_bedroom_released_on_a_managers_approval() {
    let h = start().await;
    // A tenant of four bedrooms nominated to, and let, a two-bedroom home; the register
    // had them as a private tenant at first.
    let moved = nomination(&h, "accepted").await;
    sqlx::query("UPDATE nominations SET current_bedrooms = 4, social_tenant = false WHERE id = $1")
        .bind(moved)
        .execute(&h.pool)
        .await
        .unwrap();
    let mut partner = partner_client(&h, h.partner).await;
    partner
        .report_letting(pb::ReportLettingRequest {
            nomination_id: moved.to_string(),
            tenancy_start_date: housing_platform::time::format_date(today()),
            weekly_rent_pence: 15_000,
            details: None,
        })
        .await
        .unwrap();
    let application_id: Uuid =
        sqlx::query_scalar("SELECT application_id FROM nominations WHERE id = $1")
            .bind(moved)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    let request = pb::ApproveIncentiveRequest {
        request_id: "move-1".into(),
        application_id: application_id.to_string(),
        payee_name: "Mrs E. Shaw".into(),
        bedrooms_released: 0,
    };
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    assert_eq!(
        officer
            .approve_incentive(request.clone())
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    let mut manager = staff(&h, Role::Manager).await;
    let bad = manager
        .approve_incentive(pb::ApproveIncentiveRequest {
            request_id: "bad".into(),
            application_id: "nobody".into(),
            payee_name: " ".into(),
            bedrooms_released: 7,
        })
        .await
        .unwrap_err();
    let mut fields = housing_platform::errors::bad_request_fields(&bad);
    fields.sort();
    assert_eq!(
        fields,
        vec!["application_id", "bedrooms_released", "payee_name"]
    );
    // Not a move that happened, and not the figure the move gives.
    let unmoved = manager
        .approve_incentive(pb::ApproveIncentiveRequest {
            request_id: "unmoved".into(),
            application_id: Uuid::now_v7().to_string(),
            ..request.clone()
        })
        .await
        .unwrap_err();
    assert_eq!(unmoved.code(), Code::FailedPrecondition);
    // A private tenant's move releases no social home: nothing to pay for.
    let private = manager
        .approve_incentive(request.clone())
        .await
        .unwrap_err();
    assert_eq!(private.code(), Code::FailedPrecondition);
    assert!(
        private
            .message()
            .contains("council or housing association tenancy"),
        "{}",
        private.message()
    );
    sqlx::query("UPDATE nominations SET social_tenant = true WHERE id = $1")
        .bind(moved)
        .execute(&h.pool)
        .await
        .unwrap();
    let typed = manager
        .approve_incentive(pb::ApproveIncentiveRequest {
            request_id: "typed".into(),
            bedrooms_released: 3,
            ..request.clone()
        })
        .await
        .unwrap_err();
    assert_eq!(
        housing_platform::errors::bad_request_fields(&typed),
        vec!["bedrooms_released"]
    );
    let approved = manager
        .approve_incentive(request.clone())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        approved.amount_pence, 200_000,
        "£1,000 a bedroom by default"
    );
    let again = manager
        .approve_incentive(request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        again.move_id, approved.move_id,
        "a retry approves nothing more"
    );
    let events = outbox(&h.pool, "housing.nominations.incentive.approved.v1").await;
    assert_eq!(events.len(), 1);
    let event = pb::IncentiveApproved::decode(events[0].as_slice()).unwrap();
    assert_eq!((event.bedrooms_released, event.amount_pence), (2, 200_000));

    let measures = manager
        .get_measures(pb::GetMeasuresRequest {
            from: housing_platform::time::format_date(today()),
            to: housing_platform::time::format_date(today()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(measures.bedrooms_released, 2);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn measures_count_refusals_by_reason_and_the_days_from_void_to_let() {
    let h = start().await;
    let refused = nomination(&h, "accepted").await;
    let let_one = nomination(&h, "accepted").await;
    sqlx::query(
        "UPDATE nominations SET homeless = true, overcrowded = true, current_bedrooms = 1 WHERE id = $1",
    )
        .bind(let_one)
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE vacancies SET void_start = current_date - 12, available_from = current_date - 12",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    let mut senior = staff(&h, Role::SeniorOfficer).await;
    senior
        .record_refusal(refusal(refused, false, false))
        .await
        .unwrap();
    let mut partner = partner_client(&h, h.partner).await;
    partner
        .report_letting(pb::ReportLettingRequest {
            nomination_id: let_one.to_string(),
            tenancy_start_date: housing_platform::time::format_date(today()),
            weekly_rent_pence: 15_000,
            details: None,
        })
        .await
        .unwrap();
    let day = housing_platform::time::format_date(today());
    let m = senior
        .get_measures(pb::GetMeasuresRequest {
            from: day.clone(),
            to: day,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((m.lettings, m.offers, m.refusals), (1, 2, 1));
    assert_eq!(m.mean_days_void_to_let, 12.0);
    assert_eq!(m.percent_lets_to_homeless, 100.0);
    assert_eq!(m.refusals_by_reason[0].reason, "location");
    assert_eq!((m.lets_to_overcrowded, m.bedrooms_gained), (1, 1));
    // A housing association's home, let directly to the council's nominee.
    assert_eq!(
        m.lets_by_source,
        vec![pb::SourceCount {
            source: pb::ReferralSource::Nomination as i32,
            lets: 1,
        }]
    );
    assert_eq!(m.choice_based_lets, 0);
    let share = &m.partner_shares[0];
    assert_eq!(
        (
            share.nomination_share_percent,
            share.vacancies,
            share.owed,
            share.nominated
        ),
        (100, 2, 2, 2)
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn refusing_a_homeless_final_offer_is_a_final_refusal_whatever_the_form_says() {
    let h = start().await;
    let id = nomination(&h, "accepted").await;
    sqlx::query("UPDATE nominations SET offer_kind = 'homeless_final_offer' WHERE id = $1")
        .bind(id)
        .execute(&h.pool)
        .await
        .unwrap();
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    assert_eq!(
        officer
            .record_refusal(refusal(id, false, true))
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied,
        "a suitable final offer needs a senior officer"
    );
    let mut senior = staff(&h, Role::SeniorOfficer).await;
    let refused = senior
        .record_refusal(refusal(id, false, true))
        .await
        .unwrap()
        .into_inner()
        .nomination
        .unwrap();
    assert_eq!(refused.offer_kind, pb::OfferKind::HomelessFinalOffer as i32);
    let events = outbox(&h.pool, "housing.nominations.offer.refused.v1").await;
    let event = pb::OfferRefused::decode(events[0].as_slice()).unwrap();
    assert!(event.final_offer && event.suitable);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_mobility_scheme_is_owed_its_share_of_the_periods_lets_rounded_up_and_listed_with_it() {
    let h = start().await;
    let mut manager = staff(&h, Role::Manager).await;
    let scheme = manager
        .create_mobility_scheme(pb::CreateMobilitySchemeRequest {
            request_id: "pan-london".into(),
            name: "Pan-London mobility".into(),
            quota_percent: 10,
        })
        .await
        .unwrap()
        .into_inner()
        .scheme
        .unwrap();
    let mut partner = partner_client(&h, h.partner).await;
    for n in 0..11 {
        let id = nomination(&h, "accepted").await;
        if n == 0 {
            sqlx::query("UPDATE nominations SET mobility_scheme_id = $2 WHERE id = $1")
                .bind(id)
                .bind(Uuid::parse_str(&scheme.scheme_id).unwrap())
                .execute(&h.pool)
                .await
                .unwrap();
        }
        partner
            .report_letting(pb::ReportLettingRequest {
                nomination_id: id.to_string(),
                tenancy_start_date: housing_platform::time::format_date(today()),
                weekly_rent_pence: 15_000,
                details: None,
            })
            .await
            .unwrap();
    }
    let day = housing_platform::time::format_date(today());
    let quota = manager
        .get_mobility_quota(pb::GetMobilityQuotaRequest {
            scheme_id: scheme.scheme_id.clone(),
            from: day.clone(),
            to: day,
        })
        .await
        .unwrap()
        .into_inner();
    // 10 % of 11 lets is 1.1: two lets are owed, one was given.
    assert_eq!(
        (
            quota.lettings,
            quota.through_scheme,
            quota.quota_lets,
            quota.shortfall
        ),
        (11, 1, 2, 1)
    );

    // Listed with a second scheme, a page at a time, each with its quota over the period.
    manager
        .create_mobility_scheme(pb::CreateMobilitySchemeRequest {
            request_id: "seaside".into(),
            name: "Seaside and Country Homes".into(),
            quota_percent: 5,
        })
        .await
        .unwrap();
    let mut officer = staff(&h, Role::AllocationsOfficer).await;
    let day = housing_platform::time::format_date(today());
    let list = |page_token: String| pb::ListMobilitySchemesRequest {
        from: day.clone(),
        to: day.clone(),
        page_size: 1,
        page_token,
    };
    let first = officer
        .list_mobility_schemes(list(String::new()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.schemes.len(), 1);
    assert_eq!(first.schemes[0], quota, "as GetMobilityQuota answers");
    let second = officer
        .list_mobility_schemes(list(first.next_page_token))
        .await
        .unwrap()
        .into_inner();
    let seaside = &second.schemes[0];
    assert_eq!(
        seaside.scheme.as_ref().unwrap().name,
        "Seaside and Country Homes"
    );
    // 5 % of 11 lets is 0.55: one let is owed, none given.
    assert_eq!(
        (
            seaside.lettings,
            seaside.through_scheme,
            seaside.quota_lets,
            seaside.shortfall
        ),
        (11, 0, 1, 1)
    );
    assert!(second.next_page_token.is_empty(), "the last page");

    let refused = officer
        .list_mobility_schemes(pb::ListMobilitySchemesRequest {
            from: "2026-13-01".into(),
            to: String::new(),
            page_size: 1000,
            page_token: "not a token".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    let mut named = housing_platform::errors::bad_request_fields(&refused);
    named.sort();
    assert_eq!(named, ["from", "page_size", "page_token", "to"]);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_partner_records_the_offer_and_the_viewing_of_an_accepted_nomination_only() {
    let h = start().await;
    let id = nomination(&h, "pending").await;
    let mut partner = partner_client(&h, h.partner).await;
    let day = housing_platform::time::format_date(today());
    let offer = |offered_on: &str| pb::RecordOfferRequest {
        nomination_id: id.to_string(),
        offered_on: offered_on.into(),
    };
    let pending = partner.record_offer(offer(&day)).await.unwrap_err();
    assert_eq!(pending.code(), Code::FailedPrecondition);
    partner
        .respond_to_nomination(pb::RespondToNominationRequest {
            nomination_id: id.to_string(),
            accept: true,
            rejection_reason: String::new(),
        })
        .await
        .unwrap();
    let bad = partner
        .record_viewing(pb::RecordViewingRequest {
            nomination_id: "nine".into(),
            viewed_on: "tomorrow".into(),
            notes: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        housing_platform::errors::bad_request_fields(&bad),
        vec!["nomination_id", "viewed_on"]
    );
    let tomorrow = housing_platform::time::format_date(today() + chrono::Days::new(1));
    let future = partner.record_offer(offer(&tomorrow)).await.unwrap_err();
    assert_eq!(
        housing_platform::errors::bad_request_fields(&future),
        vec!["offered_on"]
    );
    let offered = partner
        .record_offer(offer(&day))
        .await
        .unwrap()
        .into_inner()
        .nomination
        .unwrap();
    assert_eq!(offered.offered_on, day);
    let viewed = partner
        .record_viewing(pb::RecordViewingRequest {
            nomination_id: id.to_string(),
            viewed_on: day.clone(),
            notes: "accompanied viewing; wants the flat".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .nomination
        .unwrap();
    assert_eq!(
        (viewed.offered_on.as_str(), viewed.viewed_on.as_str()),
        (day.as_str(), day.as_str())
    );
    assert_eq!(viewed.viewing_notes, "accompanied viewing; wants the flat");
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_partner_rejecting_a_nominee_raises_an_event_with_its_reason_and_reopens_the_vacancy() {
    let h = start().await;
    let id = nomination(&h, "pending").await;
    let mut partner = partner_client(&h, h.partner).await;
    let unexplained = partner
        .respond_to_nomination(pb::RespondToNominationRequest {
            nomination_id: id.to_string(),
            accept: false,
            rejection_reason: "  ".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        housing_platform::errors::bad_request_fields(&unexplained),
        vec!["rejection_reason"]
    );
    assert!(
        outbox(&h.pool, "housing.nominations.nomination.rejected.v1")
            .await
            .is_empty()
    );
    for _ in 0..2 {
        partner
            .respond_to_nomination(pb::RespondToNominationRequest {
                nomination_id: id.to_string(),
                accept: false,
                rejection_reason: "rent arrears with us of £2,400 unpaid".into(),
            })
            .await
            .unwrap();
    }
    // Answering twice is one decision and one event.
    let rejected: Vec<pb::NominationRejected> =
        outbox(&h.pool, "housing.nominations.nomination.rejected.v1")
            .await
            .iter()
            .map(|payload| pb::NominationRejected::decode(payload.as_slice()).unwrap())
            .collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].nomination_id, id.to_string());
    assert_eq!(rejected[0].partner_id, h.partner.to_string());
    assert!(!rejected[0].partner_name.is_empty());
    assert!(!rejected[0].application_id.is_empty());
    assert_eq!(rejected[0].reason, "rent arrears with us of £2,400 unpaid");
    assert!(rejected[0].rejected_at.is_some());
    let vacancy: String = sqlx::query_scalar(
        "SELECT v.status FROM vacancies v JOIN nominations n ON n.vacancy_id = v.id WHERE n.id = $1",
    )
    .bind(id)
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(vacancy, "open");
    h.running.stop().await.unwrap();
}
