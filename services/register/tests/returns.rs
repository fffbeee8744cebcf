//! LAHS section C from a small made-up borough, its figures worked out by hand, and the same
//! past year produced again after the register has moved on.

mod common;

use std::time::Duration;

use chrono::Months;
use common::*;
use housing_platform::auth::Role;
use housing_platform::returns::Period;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1 as nominations;
use housing_proto::register::v1::{self as pb, returns_service_client::ReturnsServiceClient};
use housing_proto::returns::v1 as returns_pb;
use housing_testkit::oidc;
use tonic::Code;
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

type Returns =
    ReturnsServiceClient<InterceptedService<Channel, housing_platform::auth::BearerToken>>;

const WAIT: Duration = Duration::from_secs(20);

async fn returns_as(h: &Harness, role: Role) -> Returns {
    let token = oidc::token_for(role, AUDIENCE).await;
    ReturnsServiceClient::with_interceptor(
        housing_testkit::channel(h.running.addr()).await,
        housing_platform::auth::BearerToken::new(&token),
    )
}

fn adult(given: &str, dob: &str, relationship: pb::Relationship) -> pb::HouseholdMember {
    person(given, dob, pb::Sex::Female, relationship)
}

/// A household of `lead` (and `others`) in `tenure` with `bedrooms` of its own now, its
/// circumstances set by `with`.
fn application(
    lead: &str,
    others: Vec<pb::HouseholdMember>,
    tenure: pb::Tenure,
    bedrooms: i32,
    with: impl FnOnce(&mut pb::HousingCircumstances),
) -> pb::SubmitApplicationRequest {
    let mut details = details();
    let mut circumstances = pb::HousingCircumstances {
        current_bedrooms: Some(bedrooms),
        tenure: tenure as i32,
        address: format!("{lead}'s home, 1 Borough Road"),
        ..Default::default()
    };
    with(&mut circumstances);
    details.circumstances = Some(circumstances);
    pb::SubmitApplicationRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        lead_applicant: Some(adult(lead, "1980-01-01", pb::Relationship::LeadApplicant)),
        members: others,
        details: Some(details),
    }
}

async fn letting(h: &Harness, application_id: &str, council_stock: bool, choice_based: bool) {
    let bus = h.env.bus().await;
    bus.ensure_stream("nominations").await.unwrap();
    housing_testkit::publish_as(
        &bus,
        uuid::Uuid::now_v7(),
        "housing.nominations.letting.completed.v1",
        application_id,
        &nominations::LettingCompleted {
            letting_id: uuid::Uuid::now_v7().to_string(),
            application_id: application_id.into(),
            tenancy_start_date: format_date(today()),
            council_stock,
            choice_based,
            ..Default::default()
        },
    )
    .await;
    housing_testkit::eventually(WAIT, "the applicant to be housed", || {
        let mut client = h.client.clone();
        let id = application_id.to_owned();
        async move {
            let app = get(&mut client, &id).await;
            (app.status == pb::ApplicationStatus::Housed as i32).then_some(())
        }
    })
    .await;
}

/// Everything the register recorded moves back a year, as if the borough had been built
/// then: the year it falls in has ended, so its return can be produced.
async fn a_year_passes(h: &Harness) {
    let pool = h.db.pool().await;
    for statement in [
        "UPDATE applications SET submitted_at = submitted_at - interval '1 year'",
        "UPDATE status_changes SET changed_at = changed_at - interval '1 year'",
        "UPDATE assessments SET assessed_at = assessed_at - interval '1 year'",
        "UPDATE lettings SET tenancy_start_date = tenancy_start_date - interval '1 year',
                             housed_at = housed_at - interval '1 year'",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
}

fn households(
    total: i64,
    bedrooms: [i64; 4],
    categories: [i64; 5],
    any: i64,
    additional: i64,
) -> pb::LahsHouseholds {
    pb::LahsHouseholds {
        total,
        needing_one_bedroom: bedrooms[0],
        needing_two_bedrooms: bedrooms[1],
        needing_three_bedrooms: bedrooms[2],
        needing_four_or_more_bedrooms: bedrooms[3],
        homeless: categories[0],
        owed_homelessness_duty: categories[1],
        insanitary_overcrowded_or_unsatisfactory: categories[2],
        medical_or_welfare: categories[3],
        hardship: categories[4],
        any_reasonable_preference: any,
        additional_preference: additional,
    }
}

#[tokio::test]
async fn lahs_section_c_counts_the_borough_as_it_stood_and_a_past_year_gives_the_same_figures() {
    let mut h = start().await;
    let child =
        |given: &str, dob: &str, sex: pb::Sex| person(given, dob, sex, pb::Relationship::Child);
    let years_ago = |years: u32| format_date(today() - Months::new(12 * years));

    // Ada: a couple with a boy of 3 and a girl of 11 in two bedrooms, owed a duty. Three
    // bedrooms needed; short of one, so overcrowded. Categories b and c.
    let ada = submit(
        &mut h.client,
        application(
            "Ada",
            vec![
                adult("Abe", "1981-01-01", pb::Relationship::Partner),
                child("Al", &years_ago(3), pb::Sex::Male),
                child("Amy", &years_ago(11), pb::Sex::Female),
            ],
            pb::Tenure::PrivateRented,
            2,
            |c| c.owed_homelessness_duty = true,
        ),
    )
    .await;
    // Bo: alone, homeless and owed a duty, a veteran: one bedroom, categories a and b, and
    // additional preference (armed forces).
    let bo = submit(
        &mut h.client,
        application("Bo", vec![], pb::Tenure::NoFixedAbode, 0, |c| {
            c.homeless = true;
            c.owed_homelessness_duty = true;
            c.armed_forces = true;
        }),
    )
    .await;
    // Cai: a couple, council tenants with a medical need: the transfer list, category d.
    submit(
        &mut h.client,
        application(
            "Cai",
            vec![adult("Cy", "1979-01-01", pb::Relationship::Partner)],
            pb::Tenure::CouncilTenant,
            1,
            |c| c.medical_need = true,
        ),
    )
    .await;
    // Dee: alone in a one-bedroom private let, no preference; suspended, but still on the
    // register.
    let dee = submit(
        &mut h.client,
        application("Dee", vec![], pb::Tenure::PrivateRented, 1, |_| {}),
    )
    .await;
    let mut senior = client_as(h.running.addr(), Role::SeniorOfficer).await;
    let mut suspend = change(
        &dee.application_id,
        pb::ApplicationStatus::Suspended,
        "rent arrears with no agreement",
    );
    suspend.suspended_until = format_date(today() + Months::new(3));
    senior.change_application_status(suspend).await.unwrap();
    // Eve: owed a duty, housed in a council home let through choice-based lettings.
    let eve = submit(
        &mut h.client,
        application("Eve", vec![], pb::Tenure::WithFamilyOrFriends, 0, |c| {
            c.owed_homelessness_duty = true;
        }),
    )
    .await;
    letting(&h, &eve.application_id, true, true).await;
    // Fin: a housing association tenant moving to avoid hardship, nominated to another
    // association: a transfer, category e, not homeless.
    let fin = submit(
        &mut h.client,
        application(
            "Fin",
            vec![],
            pb::Tenure::HousingAssociationTenant,
            1,
            |c| {
                c.needs_to_move_for_hardship = true;
            },
        ),
    )
    .await;
    letting(&h, &fin.application_id, false, false).await;
    // Gus: withdrew before the count.
    let gus = submit(
        &mut h.client,
        application("Gus", vec![], pb::Tenure::PrivateRented, 1, |_| {}),
    )
    .await;
    h.client
        .change_application_status(change(
            &gus.application_id,
            pb::ApplicationStatus::Withdrawn,
            "moved away",
        ))
        .await
        .unwrap();
    // Hal: a couple with a daughter of 25, a son of 22 and a son of 12, in four bedrooms:
    // one for the couple and one for each of the others.
    submit(
        &mut h.client,
        application(
            "Hal",
            vec![
                adult("Hu", "1978-01-01", pb::Relationship::Partner),
                child("Hy", &years_ago(25), pb::Sex::Female),
                child("Ho", &years_ago(22), pb::Sex::Male),
                child("Hex", &years_ago(12), pb::Sex::Male),
            ],
            pb::Tenure::PrivateRented,
            4,
            |_| {},
        ),
    )
    .await;
    assert_eq!(
        get(&mut h.client, &ada.application_id)
            .await
            .assessment
            .unwrap()
            .bedroom_need,
        3
    );

    a_year_passes(&h).await;
    let year_ending = Period::year_ending_of(today() - Months::new(12));

    let mut manager = returns_as(&h, Role::Manager).await;
    let first = manager
        .produce_lahs_section_c(pb::ProduceLahsSectionCRequest { year_ending })
        .await
        .unwrap()
        .into_inner();
    let section = first.section_c.clone().unwrap();
    assert_eq!(section.year_ending, year_ending);
    assert_eq!(section.count_date, format!("{year_ending}-03-31"));
    // Waiting list: Ada (3 bedrooms; b, c), Bo (1; a, b, and c as he has no bedroom of his
    // own; additional), Dee (1; none), Hal (4; none). Cai is a transfer; Eve and Fin were
    // housed and Gus withdrew.
    assert_eq!(
        section.waiting_list.unwrap(),
        households(4, [2, 0, 1, 1], [1, 2, 2, 0, 0], 2, 1)
    );
    assert_eq!(
        section.transfer_list.unwrap(),
        households(1, [1, 0, 0, 0], [0, 0, 0, 1, 0], 1, 0)
    );
    assert_eq!(
        section.lettings.unwrap(),
        pb::LahsLettings {
            total: 2,
            council_stock: 1,
            nominations_to_housing_associations: 1,
            new_tenants: 1,
            transfers: 1,
            with_reasonable_preference: 2,
            homeless_households: 1,
            choice_based: 1,
        }
    );
    let csv = &first.csv;
    assert!(csv.starts_with("section,line,figure\nwaiting list,households,4\n"));
    assert!(csv.contains("transfer list,reasonable preference: medical or welfare grounds,1\n"));
    assert!(csv.contains("lettings,lettings to homeless households,1\n"));
    let run = first.run.clone().unwrap();
    assert_eq!(run.kind, returns_pb::ReturnKind::LahsSectionC as i32);
    assert_eq!(
        (run.period_start.as_str(), run.period_end.as_str()),
        (
            format!("{}-04-01", year_ending - 1).as_str(),
            format!("{year_ending}-03-31").as_str()
        )
    );
    assert_eq!(run.run_by, oidc::officer(Role::Manager).sub);
    assert_eq!(run.run_by_name, oidc::officer(Role::Manager).name);
    assert_eq!(run.rows, 32);

    // The register moves on: Ada withdraws, Dee becomes homeless, someone new applies and
    // Bo is housed. The past year's return is the same, to the byte.
    h.client
        .change_application_status(change(
            &ada.application_id,
            pb::ApplicationStatus::Withdrawn,
            "found a home privately",
        ))
        .await
        .unwrap();
    senior
        .change_application_status(change(
            &dee.application_id,
            pb::ApplicationStatus::Active,
            "arrears agreement made",
        ))
        .await
        .unwrap();
    let homeless_now = application("Dee", vec![], pb::Tenure::NoFixedAbode, 0, |c| {
        c.homeless = true;
    });
    h.client
        .report_change_of_circumstances(pb::ReportChangeOfCircumstancesRequest {
            application_id: dee.application_id.clone(),
            lead_applicant: homeless_now.lead_applicant,
            members: vec![],
            details: homeless_now.details,
            note: "lost her tenancy".into(),
        })
        .await
        .unwrap();
    submit(
        &mut h.client,
        application("Ivy", vec![], pb::Tenure::PrivateRented, 1, |c| {
            c.homeless = true
        }),
    )
    .await;
    letting(&h, &bo.application_id, true, false).await;

    let again = manager
        .produce_lahs_section_c(pb::ProduceLahsSectionCRequest { year_ending })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(again.section_c, first.section_c);
    assert_eq!(again.csv, first.csv);
    assert_eq!(again.run.as_ref().unwrap().sha256, run.sha256);

    // Both runs are on record, newest first.
    let runs = manager
        .list_return_runs(pb::ListReturnRunsRequest {
            kind: returns_pb::ReturnKind::LahsSectionC as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].run_id, again.run.unwrap().run_id);
    assert_eq!(runs[1].run_id, run.run_id);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_return_is_refused_to_officers_for_a_bad_year_and_for_a_year_not_yet_ended() {
    let h = start().await;
    let mut officer = returns_as(&h, Role::AllocationsOfficer).await;
    let denied = officer
        .produce_lahs_section_c(pb::ProduceLahsSectionCRequest { year_ending: 2026 })
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);

    let mut manager = returns_as(&h, Role::Manager).await;
    let bad = manager
        .produce_lahs_section_c(pb::ProduceLahsSectionCRequest { year_ending: 1999 })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(bad.message().contains("year_ending"), "{}", bad.message());

    let this_year = Period::year_ending_of(today());
    let early = manager
        .produce_lahs_section_c(pb::ProduceLahsSectionCRequest {
            year_ending: this_year,
        })
        .await
        .unwrap_err();
    assert_eq!(early.code(), Code::FailedPrecondition);
    assert!(
        early.message().contains(&format!("{this_year}-03-31")),
        "{}",
        early.message()
    );

    let token = manager
        .list_return_runs(pb::ListReturnRunsRequest {
            kind: 99,
            page_size: 501,
            page_token: "nonsense".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(token.code(), Code::InvalidArgument);
    for field in ["kind", "page_size", "page_token"] {
        assert!(token.message().contains(field), "{}", token.message());
    }
    // Nothing refused was recorded.
    let runs = manager
        .list_return_runs(pb::ListReturnRunsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert!(runs.is_empty());
    h.running.stop().await.unwrap();
}
