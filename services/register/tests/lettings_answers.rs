//! The answers CORE's lettings log asks for: kept exactly, equality data shown only to
//! managers and to the other services, hostile answers refused field by field.

mod common;

use common::*;
use housing_platform::auth::{BearerToken, Role};
use housing_platform::errors::bad_request_fields;
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use tonic::Code;

/// The household of `family_request`, every CORE question answered.
fn answered(request_id: &str) -> pb::SubmitApplicationRequest {
    let mut request = family_request(request_id);
    let lead = request.lead_applicant.as_mut().unwrap();
    lead.sex_registered_at_birth = pb::SexRegisteredAtBirth::Female as i32;
    lead.gender_identity = pb::GenderIdentity::Different as i32;
    lead.gender_description = "Non-binary".into();
    lead.working_situation = pb::WorkingSituation::FullTime as i32;
    lead.ethnic_background = pb::EthnicBackground::AsianBangladeshi as i32;
    lead.nationality = Some(pb::Nationality {
        country_code: 826,
        prefers_not_to_say: false,
    });
    let partner = &mut request.members[0];
    partner.sex_registered_at_birth = pb::SexRegisteredAtBirth::Male as i32;
    partner.gender_identity = pb::GenderIdentity::SameAsSexRegisteredAtBirth as i32;
    partner.working_situation = pb::WorkingSituation::Jobseeker as i32;
    partner.ethnic_background = pb::EthnicBackground::PrefersNotToSay as i32;
    partner.nationality = Some(pb::Nationality {
        country_code: 0,
        prefers_not_to_say: true,
    });
    let child = &mut request.members[1];
    child.sex_registered_at_birth = pb::SexRegisteredAtBirth::PrefersNotToSay as i32;
    child.working_situation = pb::WorkingSituation::ChildUnder16 as i32;
    request.details.as_mut().unwrap().household_answers = Some(pb::HouseholdAnswers {
        armed_forces_link: pb::ArmedForcesLink::Regular as i32,
        armed_forces_service: pb::ArmedForcesService::LeftWithin5Years as i32,
        injured_in_service: pb::Answer::No as i32,
        pregnancy_prefers_not_to_say: true,
        health_condition: pb::Answer::Yes as i32,
        health_effects: vec![
            pb::HealthEffect::Mobility as i32,
            pb::HealthEffect::MentalHealth as i32,
        ],
        other_access_needs: true,
        net_income_known: pb::Answer::Yes as i32,
        net_income_pence: 41_250,
        income_frequency: pb::IncomeFrequency::Weekly as i32,
        housing_benefit: pb::HousingBenefit::UniversalCreditHousingElement as i32,
        benefit_share: pb::BenefitShare::Some as i32,
        last_settled_postcode: "E2 7QQ".into(),
        reason_for_leaving: pb::ReasonForLeaving::Other as i32,
        reason_for_leaving_other: "The landlord sold the building".into(),
        time_in_area: pb::TimeInArea::TimeInArea5To10Years as i32,
    });
    request
}

/// `member` as someone not shown equality data sees them.
fn without_equality_data(member: &pb::HouseholdMember) -> pb::HouseholdMember {
    pb::HouseholdMember {
        sex_registered_at_birth: 0,
        gender_identity: 0,
        gender_description: String::new(),
        ethnic_background: 0,
        nationality: None,
        ..member.clone()
    }
}

fn household_answers(app: &pb::Application) -> pb::HouseholdAnswers {
    app.details
        .as_ref()
        .unwrap()
        .household_answers
        .clone()
        .unwrap()
}

async fn as_nominations(h: &Harness) -> Client {
    let token = housing_testkit::oidc::service_token(
        housing_testkit::oidc::issuer(),
        "nominations-service",
        AUDIENCE,
    )
    .await
    .unwrap();
    RegisterServiceClient::with_interceptor(
        housing_testkit::channel(h.running.addr()).await,
        BearerToken::new(&token),
    )
}

#[tokio::test]
async fn every_answer_is_kept_and_equality_data_goes_only_to_managers_and_services() {
    let mut h = start().await;
    let request = answered("core-all");
    let submitted = submit(&mut h.client, request.clone()).await;
    let id = submitted.application_id.clone();

    let mut manager = client_as(h.running.addr(), Role::Manager).await;
    let mut nominations = as_nominations(&h).await;
    for seen in [
        get(&mut manager, &id).await,
        get(&mut nominations, &id).await,
    ] {
        assert_eq!(seen.lead_applicant, request.lead_applicant);
        assert_eq!(seen.members, request.members);
        assert_eq!(
            seen.details.unwrap().household_answers,
            request.details.as_ref().unwrap().household_answers
        );
    }

    // The allocations officer who took it in sees the rest, in the reply and on reading.
    for seen in [submitted, get(&mut h.client, &id).await] {
        assert_eq!(
            seen.lead_applicant,
            request.lead_applicant.as_ref().map(without_equality_data)
        );
        let members: Vec<_> = request.members.iter().map(without_equality_data).collect();
        assert_eq!(seen.members, members);
        assert_eq!(
            seen.members[1].working_situation,
            pb::WorkingSituation::ChildUnder16 as i32
        );
        let expected = pb::HouseholdAnswers {
            health_condition: 0,
            health_effects: vec![],
            ..request
                .details
                .as_ref()
                .unwrap()
                .household_answers
                .clone()
                .unwrap()
        };
        assert_eq!(household_answers(&seen), expected);
    }

    // No event carries any of it.
    let pool = h.db.pool().await;
    let payloads: Vec<Vec<u8>> = sqlx::query_scalar("SELECT payload FROM outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(!payloads.is_empty());
    for payload in payloads {
        let text = String::from_utf8_lossy(&payload);
        for secret in ["Non-binary", "landlord sold", "E2 7QQ"] {
            assert!(!text.contains(secret), "{secret} in an event");
        }
    }
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_change_of_circumstances_updates_the_answers_and_keeps_what_the_officer_was_not_shown() {
    let mut h = start().await;
    let request = answered("core-change");
    let app = submit(&mut h.client, request.clone()).await;
    let id = app.application_id.clone();
    let mut manager = client_as(h.running.addr(), Role::Manager).await;

    // The manager corrects the lead applicant's ethnic background and the time in the area.
    let mut lead = request.lead_applicant.clone().unwrap();
    lead.ethnic_background = pb::EthnicBackground::BlackCaribbean as i32;
    let mut details = request.details.clone().unwrap();
    let answers = details.household_answers.as_mut().unwrap();
    answers.time_in_area = pb::TimeInArea::TimeInArea10YearsOrMore as i32;
    let changed = manager
        .report_change_of_circumstances(pb::ReportChangeOfCircumstancesRequest {
            application_id: id.clone(),
            lead_applicant: Some(lead.clone()),
            members: request.members.clone(),
            details: Some(details.clone()),
            note: "Corrected at the annual review".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let shown = changed.application.unwrap();
    assert_eq!(shown.lead_applicant, Some(lead.clone()));
    assert_eq!(
        household_answers(&shown).time_in_area,
        pb::TimeInArea::TimeInArea10YearsOrMore as i32
    );

    // The allocations officer sends back what they were shown with a new working situation:
    // the equality data they never saw stays as it was.
    let seen = get(&mut h.client, &id).await;
    let mut lead_seen = seen.lead_applicant.clone().unwrap();
    lead_seen.working_situation = pb::WorkingSituation::PartTime as i32;
    h.client
        .report_change_of_circumstances(pb::ReportChangeOfCircumstancesRequest {
            application_id: id.clone(),
            lead_applicant: Some(lead_seen),
            members: seen.members.clone(),
            details: seen.details.clone(),
            note: "Phone call".into(),
        })
        .await
        .unwrap();
    let now = get(&mut manager, &id).await;
    lead.working_situation = pb::WorkingSituation::PartTime as i32;
    assert_eq!(now.lead_applicant, Some(lead));
    assert_eq!(now.members, request.members);
    assert_eq!(
        household_answers(&now),
        details.household_answers.clone().unwrap()
    );

    // The change log every officer reads names a change of equality data, not its values.
    let log = h
        .client
        .list_changes(pb::ListChangesRequest {
            application_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .changes;
    let fields: Vec<(&str, &str, &str)> = log
        .iter()
        .flat_map(|record| &record.changes)
        .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
        .collect();
    assert!(
        fields.iter().any(|&(field, before, after)| field
            == "household.members[0].ethnic_background"
            && !before.contains("asian")
            && !after.contains("black")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&(
            "details.household_answers.time_in_area",
            "\"5_to_10_years\"",
            "\"10_years_or_more\""
        )),
        "{fields:?}"
    );
    assert!(
        fields.contains(&(
            "household.members[0].working_situation",
            "\"full_time\"",
            "\"part_time\""
        )),
        "{fields:?}"
    );
    h.running.stop().await.unwrap();
}

/// One request breaking every rule the answers have, with the fields it names.
fn hostile(request: &mut pb::SubmitApplicationRequest) -> Vec<&'static str> {
    let lead = request.lead_applicant.as_mut().unwrap();
    lead.sex_registered_at_birth = 42;
    lead.gender_identity = pb::GenderIdentity::Different as i32;
    lead.gender_description = "x".repeat(101);
    lead.working_situation = pb::WorkingSituation::ChildUnder16 as i32;
    lead.ethnic_background = 99;
    lead.nationality = Some(pb::Nationality {
        country_code: 1000,
        prefers_not_to_say: false,
    });
    let partner = &mut request.members[0];
    partner.gender_identity = pb::GenderIdentity::SameAsSexRegisteredAtBirth as i32;
    partner.gender_description = "Woman".into();
    partner.working_situation = pb::WorkingSituation::ChildUnder16 as i32;
    partner.nationality = Some(pb::Nationality {
        country_code: 826,
        prefers_not_to_say: true,
    });
    request.members[1].gender_identity = pb::GenderIdentity::Different as i32;
    request.details.as_mut().unwrap().household_answers = Some(pb::HouseholdAnswers {
        armed_forces_link: pb::ArmedForcesLink::None as i32,
        armed_forces_service: pb::ArmedForcesService::StillServing as i32,
        injured_in_service: pb::Answer::Yes as i32,
        health_condition: pb::Answer::No as i32,
        health_effects: vec![
            pb::HealthEffect::Vision as i32,
            pb::HealthEffect::Vision as i32,
        ],
        net_income_known: pb::Answer::No as i32,
        net_income_pence: -1,
        income_frequency: pb::IncomeFrequency::Weekly as i32,
        housing_benefit: 50,
        last_settled_postcode: "NOT A POSTCODE".into(),
        reason_for_leaving: pb::ReasonForLeaving::Other as i32,
        time_in_area: 77,
        ..Default::default()
    });
    vec![
        "details.household_answers.armed_forces_service",
        "details.household_answers.health_effects",
        "details.household_answers.health_effects[1]",
        "details.household_answers.housing_benefit",
        "details.household_answers.income_frequency",
        "details.household_answers.injured_in_service",
        "details.household_answers.last_settled_postcode",
        "details.household_answers.net_income_pence",
        "details.household_answers.reason_for_leaving_other",
        "details.household_answers.time_in_area",
        "lead_applicant.ethnic_background",
        "lead_applicant.gender_description",
        "lead_applicant.nationality.country_code",
        "lead_applicant.sex_registered_at_birth",
        "lead_applicant.working_situation",
        "members[0].gender_description",
        "members[0].nationality.country_code",
        "members[0].working_situation",
        "members[1].gender_description",
    ]
}

#[tokio::test]
async fn hostile_answers_are_each_named_and_change_nothing() {
    let mut h = start().await;
    let mut request = family_request("core-hostile");
    let expected = hostile(&mut request);
    let status = h.client.submit_application(request).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(fields, expected);
    let pool = h.db.pool().await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);

    // The same answers as a change of circumstances change nothing either.
    let good = answered("core-then-hostile");
    let mut manager = client_as(h.running.addr(), Role::Manager).await;
    let app = submit(&mut manager, good).await;
    let mut bad = family_request("unused");
    hostile(&mut bad);
    let status = manager
        .report_change_of_circumstances(pb::ReportChangeOfCircumstancesRequest {
            application_id: app.application_id.clone(),
            lead_applicant: bad.lead_applicant,
            members: bad.members,
            details: bad.details,
            note: "Hostile".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(fields, expected);
    assert_eq!(get(&mut manager, &app.application_id).await, app);
    let changes: i64 = sqlx::query_scalar("SELECT count(*) FROM circumstance_changes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(changes, 0);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_application_without_answers_reads_back_unanswered() {
    let mut h = start().await;
    let request = family_request("core-none");
    let app = submit(&mut h.client, request.clone()).await;
    let mut manager = client_as(h.running.addr(), Role::Manager).await;
    let seen = get(&mut manager, &app.application_id).await;
    assert_eq!(seen.lead_applicant, request.lead_applicant);
    assert_eq!(seen.members, request.members);
    assert_eq!(household_answers(&seen), pb::HouseholdAnswers::default());
    h.running.stop().await.unwrap();
}
