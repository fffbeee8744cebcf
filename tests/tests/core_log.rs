//! CORE's lettings log from a small made-up borough: a family's answers taken by the real
//! register, nominated to a council home and let with the landlord's details, exported in
//! CORE's 2026/27 form with every field worked out by hand; a let with nothing known withheld
//! with its failures listed; and a housing association given the household part of its own
//! log over its partner port.

mod common;

use common::{Service, adult, as_partner, as_role, start_nominations, start_register};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_proto::nominations::v1::{
    self as noms, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient, returns_service_client::ReturnsServiceClient,
};
use housing_proto::register::v1::{self as reg, register_service_client::RegisterServiceClient};
use housing_proto::returns::v1 as returns_pb;
use housing_testkit::{servers, unique_prefix};
use tonic::Code;

fn member(
    given: &str,
    born: &str,
    relationship: reg::Relationship,
    sex: reg::SexRegisteredAtBirth,
    gender: reg::GenderIdentity,
    working: reg::WorkingSituation,
) -> reg::HouseholdMember {
    reg::HouseholdMember {
        sex_registered_at_birth: sex as i32,
        gender_identity: gender as i32,
        working_situation: working as i32,
        ..adult(given, born, relationship)
    }
}

/// A couple and their daughter of five, overcrowded in a one-bedroom private let: two
/// bedrooms, with every question CORE asks answered.
fn answered_application() -> reg::SubmitApplicationRequest {
    use reg::{GenderIdentity as G, Relationship as R, SexRegisteredAtBirth as S};
    let mut request = common::application("core-family", false, false);
    request.lead_applicant = Some(reg::HouseholdMember {
        ethnic_background: reg::EthnicBackground::BlackAfrican as i32,
        nationality: Some(reg::Nationality {
            country_code: 826,
            prefers_not_to_say: false,
        }),
        ..member(
            "Amara",
            "1988-03-10",
            R::LeadApplicant,
            S::Female,
            G::SameAsSexRegisteredAtBirth,
            reg::WorkingSituation::PartTime,
        )
    });
    request.members = vec![
        member(
            "Kofi",
            "1986-07-22",
            R::Partner,
            S::Male,
            G::PrefersNotToSay,
            reg::WorkingSituation::FullTime,
        ),
        member(
            "Esi",
            "2021-01-05",
            R::Child,
            S::Female,
            G::SameAsSexRegisteredAtBirth,
            reg::WorkingSituation::Unspecified,
        ),
    ];
    let details = request.details.as_mut().unwrap();
    details.circumstances = Some(reg::HousingCircumstances {
        current_bedrooms: Some(1),
        tenure: reg::Tenure::PrivateRented as i32,
        address: "2 Cable Street".into(),
        ..Default::default()
    });
    details.household_answers = Some(reg::HouseholdAnswers {
        armed_forces_link: reg::ArmedForcesLink::None as i32,
        health_condition: reg::Answer::Yes as i32,
        health_effects: vec![
            reg::HealthEffect::Mobility as i32,
            reg::HealthEffect::Vision as i32,
        ],
        net_income_known: reg::Answer::Yes as i32,
        net_income_pence: 41_240,
        income_frequency: reg::IncomeFrequency::Weekly as i32,
        housing_benefit: reg::HousingBenefit::UniversalCreditHousingElement as i32,
        benefit_share: reg::BenefitShare::Some as i32,
        last_settled_postcode: "e1 6an".into(),
        reason_for_leaving: reg::ReasonForLeaving::Overcrowding as i32,
        time_in_area: reg::TimeInArea::TimeInArea5To10Years as i32,
        ..Default::default()
    });
    request
}

fn details() -> noms::LettingDetails {
    noms::LettingDetails {
        postcode: "E3 4AB".into(),
        uprn: "10012345678".into(),
        rent_type: 1,
        vacancy_reason: 8,
        previous_let_type: 1,
        unit_type: 1,
        building_type: 1,
        joint_tenancy: true,
        starter_tenancy: true,
        tenancy_type: 7,
        rent_period: 1,
        basic_rent_pence: 10_512,
        service_charge_pence: 1_250,
        rent_shortfall: 2,
        tenant_code: "T-0042".into(),
        property_reference: "P-77".into(),
        privacy_notice_seen: true,
        ..Default::default()
    }
}

struct Borough {
    register: RegisterServiceClient<common::Authed>,
    staff: NominationsServiceClient<common::Authed>,
}

impl Borough {
    async fn apply(&mut self, request: reg::SubmitApplicationRequest) -> reg::Application {
        self.register
            .submit_application(request)
            .await
            .expect("the register takes the application")
            .into_inner()
            .application
            .unwrap()
    }

    /// A two-bedroom flat reported by `partner`, nominated to `application`, accepted and
    /// let on 15 June 2026 with `details`.
    async fn let_home(
        &mut self,
        partner: &mut PartnerServiceClient<tonic::transport::Channel>,
        address: &str,
        application: &reg::Application,
        details: Option<noms::LettingDetails>,
    ) -> noms::ReportLettingResponse {
        let vacancy = partner
            .report_vacancy(noms::ReportVacancyRequest {
                request_id: address.into(),
                vacancy: Some(noms::Vacancy {
                    address: address.into(),
                    area: "north".into(),
                    bedrooms: 2,
                    property_type: "flat".into(),
                    weekly_rent_pence: 11_762,
                    available_from: "2026-06-01".into(),
                    void_start: "2026-05-20".into(),
                    ..Default::default()
                }),
            })
            .await
            .unwrap()
            .into_inner()
            .vacancy
            .unwrap();
        let nomination = self
            .staff
            .create_nomination(noms::CreateNominationRequest {
                request_id: address.into(),
                vacancy_id: vacancy.vacancy_id,
                application_id: application.application_id.clone(),
                ..Default::default()
            })
            .await
            .expect("nominated")
            .into_inner()
            .nomination
            .unwrap();
        partner
            .respond_to_nomination(noms::RespondToNominationRequest {
                nomination_id: nomination.nomination_id.clone(),
                accept: true,
                ..Default::default()
            })
            .await
            .unwrap();
        partner
            .report_letting(noms::ReportLettingRequest {
                nomination_id: nomination.nomination_id,
                tenancy_start_date: "2026-06-15".into(),
                weekly_rent_pence: 11_762,
                details,
            })
            .await
            .expect("let")
            .into_inner()
    }
}

async fn partner(
    nominations: &Service,
    staff: &mut NominationsServiceClient<common::Authed>,
    name: &str,
    council_stock: bool,
) -> PartnerServiceClient<tonic::transport::Channel> {
    staff
        .create_partner(noms::CreatePartnerRequest {
            request_id: name.into(),
            name: name.into(),
            response_days: 5,
            nomination_share_percent: 50,
            council_stock,
            client_certificate_pem: nominations.pki().certificate(name),
        })
        .await
        .unwrap();
    PartnerServiceClient::new(as_partner(nominations, name).await)
}

/// Field `n` (1-based) of a CSV data row whose column A is the label.
fn field(row: &csv::StringRecord, n: usize) -> &str {
    &row[n]
}

#[tokio::test]
async fn a_council_letting_is_logged_in_cores_form_and_a_log_that_fails_is_withheld() {
    let prefix = unique_prefix();
    let nats = servers::nats_url();
    let register = start_register(nats, &prefix).await;
    let nominations = start_nominations(nats, &prefix, &register, &[]).await;
    let mut borough = Borough {
        register: RegisterServiceClient::new(as_role(&register, Role::AllocationsOfficer).await),
        staff: NominationsServiceClient::new(as_role(&nominations, Role::Manager).await),
    };
    let mut council = partner(&nominations, &mut borough.staff, "council-homes", true).await;
    let mut association = partner(&nominations, &mut borough.staff, "eastside-homes", false).await;

    let family = borough.apply(answered_application()).await;
    assert_eq!(family.assessment.as_ref().unwrap().bedroom_need, 2);
    let unknown = borough
        .apply(common::application("core-unknown", false, false))
        .await;
    let nominee = borough
        .apply(common::application("core-association", true, false))
        .await;

    // The landlord's codes are held to CORE's lists when the letting is reported.
    let mut hostile = details();
    hostile.rent_type = 9;
    hostile.tenancy_type = 4;
    hostile.postcode = "nowhere".into();
    hostile.shortfall_pence = 500;
    let refused = council
        .report_letting(noms::ReportLettingRequest {
            nomination_id: uuid::Uuid::now_v7().to_string(),
            tenancy_start_date: "2026-06-15".into(),
            weekly_rent_pence: 11_762,
            details: Some(hostile),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&refused),
        [
            "details.rent_type",
            "details.postcode",
            "details.tenancy_years",
            "details.shortfall_pence"
        ]
    );

    let let_family = borough
        .let_home(
            &mut council,
            "Flat 3, 12 Bow Road, London",
            &family,
            Some(details()),
        )
        .await;
    let let_unknown = borough
        .let_home(&mut council, "Flat 4, 12 Bow Road, London", &unknown, None)
        .await;
    let let_nominee = borough
        .let_home(&mut association, "7 Mile End Road, London", &nominee, None)
        .await;

    let mut returns = ReturnsServiceClient::new(as_role(&nominations, Role::Manager).await);
    let log = returns
        .produce_core_lettings_log(noms::ProduceCoreLettingsLogRequest { year_ending: 2027 })
        .await
        .expect("the log")
        .into_inner();
    assert_eq!(
        (log.period_start.as_str(), log.period_end.as_str()),
        ("2026-04-01", "2027-03-31")
    );
    // The association's letting is its own log to send.
    assert_eq!((log.logs, log.withheld), (1, 1));

    // The family's row, worked out by hand from what was answered and reported. Ages are
    // on the tenancy start, 15 June 2026; every field not listed is blank.
    let expected: Vec<(usize, &str)> = vec![
        // Setup: the council's organisation, general needs, not a renewal, the start date,
        // social rent, the landlord's references, the privacy notice seen.
        (1, "ORG1"),
        (2, "ORG1"),
        (4, "1"),
        (7, "2"),
        (8, "15"),
        (9, "6"),
        (10, "2026"),
        (11, "1"),
        (13, "T-0042"),
        (14, "P-77"),
        (15, "1"),
        // The home: the previous tenant moved to the private sector, last let at social
        // rent; its UPRN and address; the council's district; a purpose-built flat of two
        // bedrooms, not for wheelchair users, empty from 20 May.
        (16, "8"),
        (17, "1"),
        (18, "10012345678"),
        (19, "Flat 3"),
        (20, "12 Bow Road"),
        (21, "London"),
        (23, "E3"),
        (24, "4AB"),
        (25, "E09000033"),
        (26, "1"),
        (27, "1"),
        (28, "2"),
        (29, "2"),
        (30, "20"),
        (31, "5"),
        (32, "2026"),
        // A joint, starter (introductory) tenancy, secure for life after it.
        (37, "1"),
        (38, "1"),
        (39, "7"),
        // Amara, 38, female, Black African, British, part-time.
        (42, "38"),
        (43, "F"),
        (44, "13"),
        (45, "826"),
        (46, "2"),
        // Kofi, her partner, 39, male, full-time.
        (47, "1"),
        (48, "39"),
        (49, "M"),
        (50, "1"),
        // Esi, not a partner, 5, female: a child under 16.
        (51, "2"),
        (52, "5"),
        (53, "F"),
        (54, "9"),
        // No armed forces link; no one pregnant; no access needs; a long-term condition
        // affecting mobility and vision.
        (75, "2"),
        (78, "2"),
        (83, "1"),
        (85, "1"),
        (91, "1"),
        (94, "1"),
        // Five to ten years in the area; on the list under a year (registered after the
        // let's date, as a test borough is); left for overcrowding, from a private let;
        // not homeless; the last settled home's postcode; reasonable preference for
        // overcrowding alone.
        (96, "11"),
        (97, "2"),
        (98, "12"),
        (100, "3"),
        (101, "1"),
        (102, "1"),
        (103, "E1"),
        (104, "6AN"),
        (106, "1"),
        (107, "0"),
        (108, "1"),
        (109, "0"),
        (110, "0"),
        (111, "0"),
        // Not choice-based, and no common policy or registers; from the housing register.
        (112, "2"),
        (113, "2"),
        (114, "2"),
        (115, "2"),
        (116, "3"),
        // £412.40 a week after tax, rounded to £412; Universal Credit's housing element;
        // some income from benefits.
        (117, "1"),
        (118, "1"),
        (119, "412"),
        (120, "6"),
        (121, "2"),
        // Weekly rent of £105.12 with a £12.50 service charge; nothing left to pay after
        // benefit.
        (123, "1"),
        (124, "105.12"),
        (125, "12.50"),
        (126, "0.00"),
        (127, "0.00"),
        (128, "2"),
        // Gender identity: Amara's as registered at birth, Kofi's not said, Esi's as
        // registered at birth.
        (130, "1"),
        (132, "3"),
        (134, "1"),
    ];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(log.csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let labels: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    assert_eq!(
        labels,
        [
            "Question",
            "Additional info",
            "Values",
            "Can be empty?",
            "Type of letting the question applies to",
            "Duplicate check field?",
            "Field number",
            let_family.letting_id.as_str(),
        ]
    );
    let numbers: Vec<String> = (1..=148).map(|n| n.to_string()).collect();
    assert_eq!(records[6].iter().skip(1).collect::<Vec<_>>(), numbers);
    let row = &records[7];
    assert_eq!(row.len(), 149);
    for n in 1..=148 {
        let want = expected
            .iter()
            .find(|(f, _)| *f == n)
            .map_or("", |(_, v)| *v);
        assert_eq!(field(row, n), want, "field {n}");
    }

    // The log with nothing known is withheld, each failure named by letting and field.
    assert!(
        log.problems
            .iter()
            .all(|p| p.letting_id == let_unknown.letting_id),
        "{:?}",
        log.problems
    );
    let failed: Vec<i32> = log
        .problems
        .iter()
        .filter(|p| !p.confirmable)
        .map(|p| p.field)
        .collect();
    for missing in [11, 15, 16, 37, 38, 39, 43, 44, 45, 46, 123, 124] {
        assert!(failed.contains(&missing), "field {missing} in {failed:?}");
    }
    assert!(
        log.problems
            .iter()
            .all(|p| p.application_reference == unknown.reference && !p.message.is_empty())
    );

    // An officer puts the landlord's part right; what the register never asked stays to
    // answer there.
    let corrected = returns
        .correct_letting_log(noms::CorrectLettingLogRequest {
            letting_id: let_unknown.letting_id.clone(),
            details: Some(details()),
        })
        .await
        .expect("corrected")
        .into_inner()
        .problems;
    let still: Vec<i32> = corrected.iter().map(|p| p.field).collect();
    for answered in [11, 15, 16, 37, 38, 39, 123, 124] {
        assert!(!still.contains(&answered), "field {answered} in {still:?}");
    }
    for unanswered in [43, 44, 45, 46] {
        assert!(
            still.contains(&unanswered),
            "field {unanswered} in {still:?}"
        );
    }
    let no_letting = returns
        .correct_letting_log(noms::CorrectLettingLogRequest {
            letting_id: uuid::Uuid::now_v7().to_string(),
            details: None,
        })
        .await
        .unwrap_err();
    assert_eq!(no_letting.code(), Code::NotFound);
    let bad = returns
        .correct_letting_log(noms::CorrectLettingLogRequest {
            letting_id: "nine".into(),
            details: Some(noms::LettingDetails::default()),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        [
            "letting_id",
            "details.rent_type",
            "details.vacancy_reason",
            "details.unit_type",
            "details.building_type",
            "details.tenancy_type",
            "details.rent_period",
            "details.postcode"
        ]
    );

    // The run is recorded with who ran it.
    let run = log.run.unwrap();
    assert_eq!(run.kind(), returns_pb::ReturnKind::CoreLettings);
    assert_eq!(run.rows, 1);
    let runs = returns
        .list_return_runs(noms::ListReturnRunsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(runs, [run]);

    // The association gets its household part for its own log; no one else does.
    let part = association
        .get_lettings_log_household(noms::GetLettingsLogHouseholdRequest {
            nomination_id: let_nominee
                .nomination
                .as_ref()
                .unwrap()
                .nomination_id
                .clone(),
        })
        .await
        .expect("the household part")
        .into_inner()
        .fields;
    let numbers: Vec<i32> = part.iter().map(|f| f.field).collect();
    let household: Vec<i32> = (42..=121).chain(130..=148).collect();
    assert_eq!(numbers, household);
    let value = |n: i32| part.iter().find(|f| f.field == n).unwrap().value.as_str();
    // Nominated by the council from its register; what first brought them to the council
    // is not known. Homeless, and so in reasonable preference for it.
    assert_eq!(
        (value(116), value(146), value(147), value(148)),
        ("", "6", "1", "10")
    );
    assert_eq!((value(101), value(106), value(107)), ("11", "1", "1"));
    assert!(part.iter().all(|f| !f.question.is_empty()));
    let not_theirs = council
        .get_lettings_log_household(noms::GetLettingsLogHouseholdRequest {
            nomination_id: let_nominee.nomination.unwrap().nomination_id,
        })
        .await
        .unwrap_err();
    assert_eq!(not_theirs.code(), Code::NotFound);

    // Only the 2026/27 form is written, and only by the lettings team.
    let other_year = returns
        .produce_core_lettings_log(noms::ProduceCoreLettingsLogRequest { year_ending: 2026 })
        .await
        .unwrap_err();
    assert_eq!(other_year.code(), Code::FailedPrecondition);
    let no_year = returns
        .produce_core_lettings_log(noms::ProduceCoreLettingsLogRequest { year_ending: 0 })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&no_year), ["year_ending"]);
    let mut assistant =
        ReturnsServiceClient::new(as_role(&nominations, Role::RegisterAssistant).await);
    let denied = assistant
        .produce_core_lettings_log(noms::ProduceCoreLettingsLogRequest { year_ending: 2027 })
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
}
