//! The register's rules over its whole life: information, eligibility, qualification,
//! overrides, referrals, changes, birthdays, annual reviews, suspensions, decision reviews
//! and scheme changes. Real PostgreSQL and NATS; the days are driven by the test.

mod common;

use chrono::{Days, Months, NaiveDate};
use common::{
    Client, Harness, client_as, client_as_person, details, events, family_request, get, person,
    start, start_on, submit,
};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1 as nominations;
use housing_proto::register::v1 as pb;
use register::app::daily;
use register::domain::scheme::Scheme;
use tonic::Code;

const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

fn scheme() -> Scheme {
    Scheme::load(std::path::Path::new(common::BANDING)).unwrap()
}

async fn run_day(h: &Harness, on: NaiveDate) {
    daily::run_day(&h.db.pool().await, &scheme(), on)
        .await
        .unwrap();
}

fn born_years_ago(years: u32, days_later: u64) -> String {
    format_date(today() - Months::new(12 * years) + Days::new(days_later))
}

fn status(app: &pb::Application) -> pb::ApplicationStatus {
    pb::ApplicationStatus::try_from(app.status).unwrap()
}

#[tokio::test]
async fn an_incomplete_application_waits_listing_every_missing_answer_until_they_come() {
    let mut h = start().await;
    let mut request = family_request("incomplete");
    let d = request.details.as_mut().unwrap();
    d.immigration_status = pb::ImmigrationStatus::Unspecified as i32;
    d.finances = None;
    let app = submit(&mut h.client, request.clone()).await;
    assert_eq!(status(&app), pb::ApplicationStatus::AwaitingInformation);
    assert_eq!(
        app.missing,
        vec![
            "details.immigration_status",
            "details.finances.annual_income_pence",
            "details.finances.savings_pence"
        ]
    );
    assert!(app.assessment.is_none());
    let refused = h
        .client
        .assess_application(pb::AssessApplicationRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);

    let answered = h
        .client
        .report_change_of_circumstances(pb::ReportChangeOfCircumstancesRequest {
            application_id: app.application_id.clone(),
            lead_applicant: request.lead_applicant.clone(),
            members: request.members.clone(),
            details: Some(details()),
            note: "applicant sent passport and payslips".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let app = answered.application.unwrap();
    assert_eq!(status(&app), pb::ApplicationStatus::Active);
    assert!(app.missing.is_empty());
    assert_eq!(app.assessment.unwrap().trigger, "change_of_circumstances");
    let fields: Vec<&str> = answered.changes.iter().map(|c| c.field.as_str()).collect();
    assert!(fields.contains(&"details.immigration"), "{fields:?}");
    let pool = h.db.pool().await;
    assert_eq!(
        events(&pool, "housing.register.application.submitted.v1").await,
        1
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn finding_an_applicant_not_eligible_is_a_senior_officers_decision() {
    let mut h = start().await;
    let mut request = family_request("ineligible");
    request.details.as_mut().unwrap().immigration_status =
        pb::ImmigrationStatus::SubjectToImmigrationControl as i32;
    let app = submit(&mut h.client, request).await;
    assert_eq!(
        status(&app),
        pb::ApplicationStatus::Submitted,
        "left for a senior officer"
    );
    let refused = h
        .client
        .assess_application(pb::AssessApplicationRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    assert!(refused.message().contains("subject_to_immigration_control"));

    let mut senior = client_as(h.running.addr(), Role::SeniorOfficer).await;
    let decided = senior
        .assess_application(pb::AssessApplicationRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    assert_eq!(status(&decided), pb::ApplicationStatus::NotEligible);
    let a = decided.assessment.unwrap();
    assert_eq!(a.outcome, "not_eligible");
    assert_eq!(a.reason_codes, vec!["subject_to_immigration_control"]);
    assert_eq!(a.assessed_by, common::subject(Role::SeniorOfficer));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_failed_qualification_rule_is_named_and_a_review_by_another_senior_officer_can_overturn_it()
 {
    let h = start().await;
    let mut request = family_request("short-residence");
    let d = request.details.as_mut().unwrap();
    d.local_connection = Some(pb::LocalConnection {
        years_resident: Some(1),
        ..Default::default()
    });
    d.circumstances.as_mut().unwrap().owed_homelessness_duty = false;
    // Sade Nowak, a senior officer who also works as an allocations officer, decides.
    let mut sade = client_as_person(h.running.addr(), "senior.officer").await;
    let app = submit(&mut sade, request).await;
    assert_eq!(status(&app), pb::ApplicationStatus::NotQualifying);
    assert_eq!(
        app.assessment.as_ref().unwrap().reason_codes,
        vec!["residence"]
    );

    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let review = assistant
        .request_decision_review(pb::RequestDecisionReviewRequest {
            application_id: app.application_id.clone(),
            decision: pb::ReviewableDecision::Qualification as i32,
            grounds: "lived here as a child for 10 years".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .review
        .unwrap();
    // Decided within the scheme's eight weeks of the request.
    assert_eq!(review.decide_by, format_date(today() + Days::new(56)));
    let pending = assistant
        .list_decision_reviews(pb::ListDecisionReviewsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .reviews;
    assert_eq!(
        pending
            .iter()
            .map(|r| (r.review_id.as_str(), r.application_reference.as_str()))
            .collect::<Vec<_>>(),
        vec![(review.review_id.as_str(), app.reference.as_str())],
        "the reviewers' queue holds the review, named by the application's reference"
    );
    let decide = pb::DecideDecisionReviewRequest {
        review_id: review.review_id.clone(),
        overturned: true,
        reason: "earlier residence counts under paragraph 4.2".into(),
        band: String::new(),
    };
    // The officer who made the decision may not review it.
    let mut same = client_as_person(h.running.addr(), "senior.officer").await;
    assert_eq!(
        same.decide_decision_review(decide.clone())
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    let mut senior = client_as_person(h.running.addr(), "senior.officer2").await;
    let decided = senior
        .decide_decision_review(decide)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(decided.review.unwrap().outcome, "overturned");
    let app = decided.application.unwrap();
    assert_eq!(status(&app), pb::ApplicationStatus::Active);
    let a = app.assessment.unwrap();
    assert_eq!(a.exemptions, vec!["residence: waived on review"]);
    assert_eq!(a.trigger, "review_decision");
    // The outcome is announced, for the letter with the reasons.
    let announced: Vec<pb::DecisionReviewDecided> = common::payloads(
        &h.db.pool().await,
        "housing.register.decision_review.decided.v1",
    )
    .await;
    assert_eq!(announced.len(), 1);
    assert_eq!(
        announced[0].outcome,
        pb::DecisionReviewOutcome::Overturned as i32
    );
    assert_eq!(
        announced[0].decision,
        pb::ReviewableDecision::Qualification as i32
    );
    assert_eq!(
        announced[0].reason,
        "earlier residence counts under paragraph 4.2"
    );
    let mut reviews = assistant
        .list_decision_reviews(pb::ListDecisionReviewsRequest {
            application_id: app.application_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(reviews.next_page_token.is_empty());
    let review = reviews.reviews.pop().unwrap();
    assert_eq!(
        (review.outcome.as_str(), review.decided_by.as_str()),
        (
            "overturned",
            housing_testkit::oidc::person("senior.officer2")
                .sub
                .as_str()
        )
    );
    assert!(
        assistant
            .list_decision_reviews(pb::ListDecisionReviewsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .reviews
            .is_empty(),
        "a decided review leaves the queue"
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_override_needs_a_reason_and_is_audited_with_who_when_and_why() {
    let mut h = start().await;
    let app = submit(&mut h.client, family_request("override")).await;
    let missing_reason = h
        .client
        .override_assessment(pb::OverrideAssessmentRequest {
            application_id: app.application_id.clone(),
            band: "Z".into(),
            bedroom_need: 0,
            reason: " ".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing_reason.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&missing_reason), vec!["reason"]);
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let override_a = pb::OverrideAssessmentRequest {
        application_id: app.application_id.clone(),
        band: "A".into(),
        bedroom_need: 0,
        reason: "violence at home: immediate risk".into(),
    };
    assert_eq!(
        assistant
            .override_assessment(override_a.clone())
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    let overridden = h
        .client
        .override_assessment(override_a)
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    assert_eq!(overridden.assessment.as_ref().unwrap().band, "A");
    let explained = h
        .client
        .explain_assessment(pb::ExplainAssessmentRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .assessments;
    let latest = &explained[0];
    assert_eq!(
        (
            latest.trigger.as_str(),
            latest.override_reason.as_str(),
            latest.assessed_by.as_str()
        ),
        (
            "override",
            "violence at home: immediate risk",
            common::subject(Role::AllocationsOfficer)
        )
    );
    assert!(
        latest
            .rules_fired
            .contains(&"band overridden to A".to_owned())
    );
    assert_eq!(
        explained[1].band, "B",
        "the decision before stays in the audit"
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_medical_panel_finding_feeds_reassessment_and_is_recorded_as_a_change() {
    let mut h = start().await;
    let app = submit(&mut h.client, family_request("medical")).await;
    let referral = h
        .client
        .refer_application(pb::ReferApplicationRequest {
            application_id: app.application_id.clone(),
            panel: pb::ReferralPanel::MedicalWelfare as i32,
            question: "Does the child's asthma need a move?".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .referral
        .unwrap();
    assert_eq!(referral.status, "open");
    let queue = h
        .client
        .list_referrals(pb::ListReferralsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .referrals;
    assert_eq!(
        queue
            .iter()
            .map(|r| (r.referral_id.as_str(), r.application_reference.as_str()))
            .collect::<Vec<_>>(),
        vec![(referral.referral_id.as_str(), app.reference.as_str())],
        "the panels' queue holds the open referral, named by the application's reference"
    );
    let decided = h
        .client
        .record_referral_outcome(pb::RecordReferralOutcomeRequest {
            referral_id: referral.referral_id.clone(),
            accepted: true,
            findings: "damp home worsens condition; move needed".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(decided.referral.unwrap().status, "accepted");
    let a = decided.application.unwrap().assessment.unwrap();
    assert_eq!(
        (a.band.as_str(), a.trigger.as_str()),
        ("A", "referral_outcome")
    );
    assert!(
        a.reasonable_preference
            .contains(&"d_medical_or_welfare".to_owned())
    );
    let changes = h
        .client
        .list_changes(pb::ListChangesRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .changes;
    assert_eq!(
        changes[0].changes[0].field,
        "details.circumstances.medical_need"
    );

    let mut senior_panel = h
        .client
        .refer_application(pb::ReferApplicationRequest {
            application_id: app.application_id.clone(),
            panel: pb::ReferralPanel::SeniorOfficer as i32,
            question: "exceptional circumstances?".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .referral
        .unwrap();
    let queue = h
        .client
        .list_referrals(pb::ListReferralsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .referrals;
    assert_eq!(
        queue.iter().map(|r| &r.referral_id).collect::<Vec<_>>(),
        vec![&senior_panel.referral_id],
        "a referral with its outcome leaves the queue"
    );
    let history = h
        .client
        .list_referrals(pb::ListReferralsRequest {
            application_id: app.application_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .referrals;
    assert_eq!(
        history
            .iter()
            .map(|r| r.status.as_str())
            .collect::<Vec<_>>(),
        vec!["accepted", "open"]
    );
    // The panels heard of both referrals, and of the medical panel's finding.
    let pool = h.db.pool().await;
    let opened: Vec<pb::ReferralOpened> =
        common::payloads(&pool, "housing.register.referral.opened.v1").await;
    assert_eq!(
        opened
            .iter()
            .map(|e| (e.panel, e.reference.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (
                pb::ReferralPanel::MedicalWelfare as i32,
                app.reference.as_str()
            ),
            (
                pb::ReferralPanel::SeniorOfficer as i32,
                app.reference.as_str()
            )
        ]
    );
    let decided: Vec<pb::ReferralDecided> =
        common::payloads(&pool, "housing.register.referral.decided.v1").await;
    assert_eq!(decided.len(), 1);
    assert!(decided[0].accepted);
    assert_eq!(
        decided[0].findings,
        "damp home worsens condition; move needed"
    );
    assert_eq!(
        decided[0].decided_by,
        common::subject(Role::AllocationsOfficer)
    );
    senior_panel.findings = "no".into();
    assert_eq!(
        h.client
            .record_referral_outcome(pb::RecordReferralOutcomeRequest {
                referral_id: senior_panel.referral_id,
                accepted: false,
                findings: "nothing exceptional".into(),
            })
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied,
        "a senior officer referral is decided by a senior officer"
    );
    h.running.stop().await.unwrap();
}

/// A couple with a girl who turns ten `days` from now and a boy of eight: two bedrooms
/// until her birthday, three after it.
fn family_with_a_birthday(request_id: &str, days: u64) -> pb::SubmitApplicationRequest {
    let mut request = family_request(request_id);
    request.members = vec![
        person(
            "Ben",
            "1986-07-19",
            pb::Sex::Male,
            pb::Relationship::Partner,
        ),
        person(
            "Di",
            &born_years_ago(10, days),
            pb::Sex::Female,
            pb::Relationship::Child,
        ),
        person(
            "Cy",
            &born_years_ago(8, 0),
            pb::Sex::Male,
            pb::Relationship::Child,
        ),
    ];
    let c = request
        .details
        .as_mut()
        .unwrap()
        .circumstances
        .as_mut()
        .unwrap();
    c.owed_homelessness_duty = false;
    c.current_bedrooms = Some(2);
    request
}

#[tokio::test]
async fn a_birthday_that_changes_need_reassesses_but_an_overridden_need_awaits_an_officer() {
    let mut h = start().await;
    let plain = submit(&mut h.client, family_with_a_birthday("birthday-1", 20)).await;
    let overridden = submit(&mut h.client, family_with_a_birthday("birthday-2", 20)).await;
    assert_eq!(plain.assessment.as_ref().unwrap().bedroom_need, 2);
    assert_eq!(plain.assessment.as_ref().unwrap().band, "D");
    h.client
        .override_assessment(pb::OverrideAssessmentRequest {
            application_id: overridden.application_id.clone(),
            band: String::new(),
            bedroom_need: 2,
            reason: "children share by choice; confirmed at visit".into(),
        })
        .await
        .unwrap();

    run_day(&h, today() + Days::new(19)).await;
    assert_eq!(
        get(&mut h.client, &plain.application_id)
            .await
            .assessment
            .unwrap()
            .bedroom_need,
        2,
        "nothing changes the day before"
    );

    // The job does not run on the birthday itself; the next day it catches up.
    run_day(&h, today() + Days::new(21)).await;
    let plain = get(&mut h.client, &plain.application_id).await;
    let a = plain.assessment.unwrap();
    assert_eq!(
        (a.bedroom_need, a.band.as_str(), a.trigger.as_str()),
        (3, "B", "birthday")
    );
    let overridden = get(&mut h.client, &overridden.application_id).await;
    assert_eq!(overridden.assessment.unwrap().bedroom_need, 2);
    assert_eq!(
        overridden.awaiting_reassessment,
        vec!["the bedroom standard now gives 3 bedrooms; overridden to 2"]
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn annual_review_closes_applications_with_no_reply_and_keeps_those_that_reply() {
    let mut h = start().await;
    let silent = submit(&mut h.client, family_request("review-silent")).await;
    let replies = submit(&mut h.client, family_request("review-replies")).await;
    assert_eq!(
        silent.next_review_on,
        format_date(today() + Months::new(12))
    );
    let due = today() + Months::new(12);
    run_day(&h, due).await;
    let pool = h.db.pool().await;
    assert_eq!(events(&pool, "housing.register.review.due.v1").await, 2);

    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    assistant
        .record_review_reply(pb::RecordReviewReplyRequest {
            application_id: replies.application_id.clone(),
            still_wants_housing: true,
        })
        .await
        .unwrap();
    // 28 days to reply: on the 28th day nothing closes, on the 29th it does.
    run_day(&h, due + Days::new(28)).await;
    assert_eq!(
        status(&get(&mut h.client, &silent.application_id).await),
        pb::ApplicationStatus::Active
    );
    run_day(&h, due + Days::new(29)).await;
    assert_eq!(
        status(&get(&mut h.client, &silent.application_id).await),
        pb::ApplicationStatus::Closed
    );
    assert_eq!(
        status(&get(&mut h.client, &replies.application_id).await),
        pb::ApplicationStatus::Active
    );
    assert_eq!(
        events(&pool, "housing.register.application.closed.v1").await,
        1
    );
    let reply_again = assistant
        .record_review_reply(pb::RecordReviewReplyRequest {
            application_id: replies.application_id.clone(),
            still_wants_housing: true,
        })
        .await
        .unwrap_err();
    assert_eq!(reply_again.code(), Code::FailedPrecondition);
    h.running.stop().await.unwrap();
}

async fn refuse(h: &Harness, application_id: &str, suitable: bool) {
    let bus = h.env.bus().await;
    bus.ensure_stream("nominations").await.unwrap();
    housing_testkit::publish_as(
        &bus,
        uuid::Uuid::now_v7(),
        "housing.nominations.offer.refused.v1",
        application_id,
        &nominations::OfferRefused {
            nomination_id: uuid::Uuid::now_v7().to_string(),
            application_id: application_id.into(),
            reason: nominations::RefusalReason::Location as i32,
            final_offer: true,
            suitable,
            decided_by: "officer-9".into(),
            ..Default::default()
        },
    )
    .await;
}

async fn wait_for_status(
    client: &Client,
    id: &str,
    want: pb::ApplicationStatus,
) -> pb::Application {
    housing_testkit::eventually(WAIT, &format!("application {want:?}"), || {
        let mut client = client.clone();
        let id = id.to_owned();
        async move {
            let app = get(&mut client, &id).await;
            (status(&app) == want).then_some(app)
        }
    })
    .await
}

#[tokio::test]
async fn refusing_a_suitable_final_offer_suspends_for_the_scheme_period_and_the_suspension_lifts_itself()
 {
    let mut h = start().await;
    let unsuitable = submit(&mut h.client, family_request("refused-unsuitable")).await;
    let app = submit(&mut h.client, family_request("refused-suitable")).await;
    refuse(&h, &unsuitable.application_id, false).await;
    refuse(&h, &app.application_id, true).await;
    let suspended = wait_for_status(
        &h.client,
        &app.application_id,
        pb::ApplicationStatus::Suspended,
    )
    .await;
    let until = today() + Days::new(182);
    assert_eq!(suspended.suspended_until, format_date(until));
    assert_eq!(
        status(&get(&mut h.client, &unsuitable.application_id).await),
        pb::ApplicationStatus::Active,
        "an unsuitable offer's refusal has no consequence"
    );
    let pool = h.db.pool().await;
    assert_eq!(
        events(&pool, "housing.register.application.suspended.v1").await,
        1
    );

    run_day(&h, until).await;
    assert_eq!(
        status(&get(&mut h.client, &app.application_id).await),
        pb::ApplicationStatus::Suspended,
        "suspended through the last day"
    );
    run_day(&h, until + Days::new(1)).await;
    let lifted = get(&mut h.client, &app.application_id).await;
    assert_eq!(status(&lifted), pb::ApplicationStatus::Active);
    assert!(lifted.suspended_until.is_empty());
    h.running.stop().await.unwrap();
}

fn shortlist(bedrooms: i32) -> pb::ListShortlistRequest {
    pb::ListShortlistRequest {
        bedrooms,
        page_size: 50,
        ..Default::default()
    }
}

async fn references(client: &mut Client, request: pb::ListShortlistRequest) -> Vec<String> {
    client
        .list_shortlist(request)
        .await
        .unwrap()
        .into_inner()
        .entries
        .into_iter()
        .map(|e| e.reference)
        .collect()
}

#[tokio::test]
async fn the_shortlist_matches_areas_accessibility_age_and_type_and_leaves_out_the_suspended() {
    let mut h = start().await;
    // Four households of one: a single person needs one bedroom.
    let single = |id: &str, dob: &str| {
        let mut r = family_request(id);
        r.members.clear();
        r.lead_applicant.as_mut().unwrap().date_of_birth = dob.into();
        r
    };
    let mut north_wheelchair = single("s-wheelchair", "1990-01-01");
    let d = north_wheelchair.details.as_mut().unwrap();
    d.mobility = pb::MobilityCategory::WheelchairThroughout as i32;
    d.areas_wanted = vec!["north".into()];
    let north_wheelchair = submit(&mut h.client, north_wheelchair).await.reference;

    let mut east = single("s-east", "1990-01-01");
    east.details.as_mut().unwrap().areas_wanted = vec!["east".into()];
    east.details.as_mut().unwrap().property_types = vec![pb::PropertyType::House as i32];
    let east = submit(&mut h.client, east).await.reference;

    let mut older = single("s-older", "1960-01-01");
    older.details.as_mut().unwrap().areas_wanted = vec![];
    let older = submit(&mut h.client, older).await.reference;

    let suspended = submit(&mut h.client, single("s-suspended", "1990-01-01")).await;
    let mut senior = client_as(h.running.addr(), Role::SeniorOfficer).await;
    senior
        .change_application_status(pb::ChangeApplicationStatusRequest {
            suspended_until: format_date(today() + Days::new(30)),
            ..common::change(
                &suspended.application_id,
                pb::ApplicationStatus::Suspended,
                "arrears",
            )
        })
        .await
        .unwrap();

    let mut general_needs = references(&mut h.client, shortlist(1)).await;
    general_needs.sort();
    assert_eq!(
        general_needs,
        vec![east.clone(), older.clone()],
        "a general needs home meets neither the wheelchair user's need nor the suspended applicant"
    );

    let accessible_north = references(
        &mut h.client,
        pb::ListShortlistRequest {
            area: "north".into(),
            mobility: pb::MobilityCategory::WheelchairThroughout as i32,
            ..shortlist(1)
        },
    )
    .await;
    assert_eq!(
        accessible_north,
        vec![north_wheelchair.clone(), older.clone()],
        "the household wanting only the east is left out"
    );

    let general_needs_flat = references(
        &mut h.client,
        pb::ListShortlistRequest {
            mobility: pb::MobilityCategory::GeneralNeeds as i32,
            property_type: pb::PropertyType::Flat as i32,
            ..shortlist(1)
        },
    )
    .await;
    assert_eq!(
        general_needs_flat,
        vec![older.clone()],
        "a flat meets neither the wheelchair user nor the house-seeker"
    );

    let adapted = references(
        &mut h.client,
        pb::ListShortlistRequest {
            mobility: pb::MobilityCategory::WheelchairThroughout as i32,
            adapted: true,
            ..shortlist(1)
        },
    )
    .await;
    assert_eq!(adapted, vec![north_wheelchair]);

    let sheltered = references(
        &mut h.client,
        pb::ListShortlistRequest {
            minimum_age: 55,
            ..shortlist(1)
        },
    )
    .await;
    assert_eq!(sheltered, vec![older]);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_points_scheme_shortlists_by_points_then_registration_date() {
    let points = concat!(env!("CARGO_MANIFEST_DIR"), "/schemes/points-example.toml");
    let db = housing_testkit::TestDatabase::create("register", &register::migrators()).await;
    let mut h = start_on(db, &[("HOUSING__SERVICE__SCHEME_FILE", points)]).await;
    let mut first = family_request("p-first");
    first
        .details
        .as_mut()
        .unwrap()
        .circumstances
        .as_mut()
        .unwrap()
        .owed_homelessness_duty = false;
    let first = submit(&mut h.client, first).await;
    let second = submit(&mut h.client, family_request("p-second")).await;
    assert_eq!(
        first.assessment.as_ref().unwrap().points,
        50,
        "overcrowded by one"
    );
    assert_eq!(
        second.assessment.as_ref().unwrap().points,
        150,
        "and owed a duty"
    );
    let order = references(&mut h.client, shortlist(3)).await;
    assert_eq!(order, vec![second.reference, first.reference]);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_scheme_change_reassesses_every_active_application_and_reports_who_moved() {
    let mut h = start().await;
    let owed = submit(&mut h.client, family_request("change-owed")).await;
    let mut not_owed = family_request("change-not-owed");
    not_owed
        .details
        .as_mut()
        .unwrap()
        .circumstances
        .as_mut()
        .unwrap()
        .owed_homelessness_duty = false;
    let not_owed = submit(&mut h.client, not_owed).await;
    assert_eq!(owed.assessment.as_ref().unwrap().band, "B");

    // The council moves households owed a duty up to band A in version 2026.2.
    let new_scheme = std::fs::read_to_string(common::BANDING)
        .unwrap()
        .replace("version = \"2026.1\"", "version = \"2026.2\"")
        .replace(
            "when_any = [\"medical_need\", \"overcrowded_by_2\", \"exceptional_circumstances\"]",
            "when_any = [\"medical_need\", \"overcrowded_by_2\", \"exceptional_circumstances\", \"owed_homelessness_duty\"]",
        );
    let dir = std::env::temp_dir().join(format!("register-scheme-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scheme.toml");
    std::fs::write(&file, new_scheme).unwrap();

    let Harness { db, running, .. } = h;
    running.stop().await.unwrap();
    let mut h = start_on(
        db,
        &[("HOUSING__SERVICE__SCHEME_FILE", file.to_str().unwrap())],
    )
    .await;
    let run = housing_testkit::eventually(WAIT, "the re-assessment to complete", || {
        let mut client = h.client.clone();
        async move {
            let run = client
                .get_reassessment_run(pb::GetReassessmentRunRequest::default())
                .await
                .ok()?
                .into_inner();
            (run.state == "completed").then_some(run)
        }
    })
    .await;
    assert_eq!(
        (run.scheme_version.as_str(), run.total, run.done, run.moved),
        ("2026.2", 2, 2, 1)
    );
    assert_eq!(run.moves.len(), 1);
    assert_eq!(
        (
            run.moves[0].reference.as_str(),
            run.moves[0].from_band.as_str(),
            run.moves[0].to_band.as_str()
        ),
        (owed.reference.as_str(), "B", "A")
    );
    let moved = get(&mut h.client, &owed.application_id)
        .await
        .assessment
        .unwrap();
    assert_eq!(
        (
            moved.band.as_str(),
            moved.scheme_version.as_str(),
            moved.trigger.as_str()
        ),
        ("A", "2026.2", "scheme_change")
    );
    let stayed = get(&mut h.client, &not_owed.application_id)
        .await
        .assessment
        .unwrap();
    assert_eq!(
        (stayed.band.as_str(), stayed.scheme_version.as_str()),
        ("B", "2026.2"),
        "still overcrowded by one bedroom, now under the new version"
    );
    let pool = h.db.pool().await;
    assert_eq!(
        events(&pool, "housing.register.reassessment.completed.v1").await,
        1
    );
    h.running.stop().await.unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn assessing_again_with_nothing_changed_records_and_sends_nothing() {
    let mut h = start().await;
    let app = submit(&mut h.client, family_request("assessed-twice")).await;
    let before = app
        .assessment
        .clone()
        .expect("a complete application is assessed");
    let pool = h.db.pool().await;
    let assessed = "housing.register.application.assessed.v1";
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM assessments")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let (events_before, rows_before) = (events(&pool, assessed).await, rows().await);
    for _ in 0..2 {
        let again = h
            .client
            .assess_application(pb::AssessApplicationRequest {
                application_id: app.application_id.clone(),
            })
            .await
            .unwrap()
            .into_inner()
            .application
            .unwrap();
        assert_eq!(
            again.assessment.as_ref(),
            Some(&before),
            "the same decision stands"
        );
    }
    assert_eq!(
        events(&pool, assessed).await,
        events_before,
        "no second event or letter"
    );
    assert_eq!(rows().await, rows_before, "no second assessment row");
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_review_is_asked_for_within_21_days_and_one_undecided_after_8_weeks_is_overdue_once() {
    let h = start().await;
    let pool = h.db.pool().await;
    let mut senior = client_as_person(h.running.addr(), "senior.officer").await;
    let not_qualifying = |name: &str| {
        let mut request = family_request(name);
        let d = request.details.as_mut().unwrap();
        d.local_connection = Some(pb::LocalConnection {
            years_resident: Some(1),
            ..Default::default()
        });
        d.circumstances.as_mut().unwrap().owed_homelessness_duty = false;
        request
    };
    let late = submit(&mut senior, not_qualifying("late-review")).await;
    let timely = submit(&mut senior, not_qualifying("timely-review")).await;
    // The decision on the first was made 22 days ago.
    for table in ["status_changes", "assessments"] {
        let column = if table == "assessments" {
            "assessed_at"
        } else {
            "changed_at"
        };
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = {column} - interval '22 days' WHERE application_id = $1::uuid"
        ))
        .bind(&late.application_id)
        .execute(&pool)
        .await
        .unwrap();
    }
    let ask = |app: &pb::Application| pb::RequestDecisionReviewRequest {
        application_id: app.application_id.clone(),
        decision: pb::ReviewableDecision::Qualification as i32,
        grounds: "lived here as a child".into(),
    };
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let refused = assistant
        .request_decision_review(ask(&late))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(
        refused.message().contains(&format!(
            "had to be asked for by {}",
            format_date(today() - Days::new(1))
        )),
        "{}",
        refused.message()
    );
    let review = assistant
        .request_decision_review(ask(&timely))
        .await
        .unwrap()
        .into_inner()
        .review
        .unwrap();

    const OVERDUE: &str = "housing.register.decision_review.overdue.v1";
    run_day(&h, today() + Days::new(56)).await;
    assert_eq!(events(&pool, OVERDUE).await, 0);
    run_day(&h, today() + Days::new(57)).await;
    run_day(&h, today() + Days::new(58)).await;
    let overdue: Vec<pb::DecisionReviewOverdue> = common::payloads(&pool, OVERDUE).await;
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].review_id, review.review_id);
    assert_eq!(overdue[0].reference, timely.reference);
    assert_eq!(overdue[0].decide_by, format_date(today() + Days::new(56)));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_register_assistant_records_a_change_that_an_officer_then_assesses() {
    let mut h = start().await;
    let request = family_request("assistant-change");
    let app = submit(&mut h.client, request.clone()).await;
    assert_eq!(status(&app), pb::ApplicationStatus::Active);
    let assessed_before = app.assessment.clone().unwrap();

    // A third child is born: the assistant at the front desk records it.
    let mut members = request.members.clone();
    members.push(pb::HouseholdMember {
        given_name: "Baby".into(),
        family_name: "Test".into(),
        date_of_birth: format_date(today()),
        sex: pb::Sex::Female as i32,
        relationship: pb::Relationship::Child as i32,
        pregnant: false,
        ..Default::default()
    });
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let recorded = assistant
        .report_change_of_circumstances(pb::ReportChangeOfCircumstancesRequest {
            application_id: app.application_id.clone(),
            lead_applicant: request.lead_applicant.clone(),
            members,
            details: request.details.clone(),
            note: "birth certificate seen at the front desk".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let waiting = recorded.application.unwrap();
    assert_eq!(
        waiting.assessment.as_ref().unwrap().assessed_at,
        assessed_before.assessed_at,
        "the assistant's change is not assessed"
    );
    assert_eq!(waiting.awaiting_reassessment.len(), 1);
    assert!(
        waiting.awaiting_reassessment[0].contains("birth certificate seen at the front desk"),
        "{:?}",
        waiting.awaiting_reassessment
    );
    let changes = h
        .client
        .list_changes(pb::ListChangesRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .changes;
    assert_eq!(
        changes[0].changed_by,
        common::subject(Role::RegisterAssistant)
    );

    let assessed = h
        .client
        .assess_application(pb::AssessApplicationRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    assert!(assessed.awaiting_reassessment.is_empty());
    let a = assessed.assessment.unwrap();
    assert_eq!(a.trigger, "officer");
    assert_eq!(a.assessed_by, common::subject(Role::AllocationsOfficer));
    assert_ne!(a.assessed_at, assessed_before.assessed_at);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn social_tenants_with_spare_bedrooms_are_listed_as_under_occupiers_most_spare_first() {
    let mut h = start().await;
    let need = submit(&mut h.client, family_request("need-probe"))
        .await
        .assessment
        .unwrap()
        .bedroom_need;
    let tenant = |name: &str, tenure: pb::Tenure, bedrooms: i32| {
        let mut request = family_request(name);
        let c = request
            .details
            .as_mut()
            .unwrap()
            .circumstances
            .as_mut()
            .unwrap();
        c.tenure = tenure as i32;
        c.current_bedrooms = Some(bedrooms);
        c.owed_homelessness_duty = false;
        request
    };
    let two_spare = submit(
        &mut h.client,
        tenant("two-spare", pb::Tenure::CouncilTenant, need + 2),
    )
    .await;
    let one_spare = submit(
        &mut h.client,
        tenant("one-spare", pb::Tenure::HousingAssociationTenant, need + 1),
    )
    .await;
    // A private tenant's spare room, and a tenant in a home the right size, are not listed.
    submit(
        &mut h.client,
        tenant("private", pb::Tenure::PrivateRented, need + 2),
    )
    .await;
    submit(
        &mut h.client,
        tenant("right-size", pb::Tenure::CouncilTenant, need),
    )
    .await;

    let first = h
        .client
        .list_under_occupiers(pb::ListUnderOccupiersRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.under_occupiers.len(), 1);
    let top = &first.under_occupiers[0];
    assert_eq!(top.application_id, two_spare.application_id);
    assert_eq!(
        (
            top.current_bedrooms,
            top.bedrooms_needed,
            top.spare_bedrooms
        ),
        (need + 2, need, 2)
    );
    assert_eq!(top.tenure, pb::Tenure::CouncilTenant as i32);
    let rest = h
        .client
        .list_under_occupiers(pb::ListUnderOccupiersRequest {
            page_size: 10,
            page_token: first.next_page_token,
        })
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<&str> = rest
        .under_occupiers
        .iter()
        .map(|u| u.application_id.as_str())
        .collect();
    assert_eq!(ids, vec![one_spare.application_id.as_str()]);
    assert!(rest.next_page_token.is_empty());
    let bad = h
        .client
        .list_under_occupiers(pb::ListUnderOccupiersRequest {
            page_token: "nonsense".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), vec!["page_token"]);
    h.running.stop().await.unwrap();
}
