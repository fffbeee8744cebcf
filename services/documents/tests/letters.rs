//! Every letter type, written from the event that calls for it, rendered to a real PDF and
//! read back as text: names and postal addresses, dates, amounts and review deadlines.

mod common;

use std::collections::HashMap;

use chrono::Days;
use common::{Service, WAIT, download_letter};
use housing_events::EventBus;
use housing_platform::auth::Role;
use housing_platform::time::today;
use housing_proto::accommodation::v1 as accommodation;
use housing_proto::documents::v1 as pb;
use housing_proto::nominations::v1 as nominations;
use housing_proto::register::v1 as register;
use housing_proto::rent::v1 as rent;
use housing_testkit::pdf::pdf_text;
use housing_testkit::{eventually, publish_as};
use uuid::Uuid;

fn long(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The text with every run of whitespace as one space: lines wrap wherever they wrap.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn publish<M: prost::Message + prost::Name>(bus: &EventBus, subject: &str, id: &str, m: &M) {
    publish_as(bus, Uuid::now_v7(), subject, id, m).await;
}

/// Each letter's kind and text for the application, once `count` have been written.
async fn letters(
    client: &common::Client,
    application_id: &str,
    count: usize,
) -> Vec<(i32, String)> {
    let listed = eventually(WAIT, "the letters", || {
        let mut client = client.clone();
        let application_id = application_id.to_owned();
        async move {
            let letters = client
                .list_letters(pb::ListLettersRequest {
                    application_id,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner()
                .letters;
            (letters.len() >= count).then_some(letters)
        }
    })
    .await;
    assert_eq!(listed.len(), count, "{listed:?}");
    let mut out = Vec::new();
    for letter in listed {
        let mut client = client.clone();
        let pdf = download_letter(&mut client, &letter.letter_id).await;
        assert_eq!(pdf.len() as i64, letter.size_bytes);
        assert_eq!(common::sha256_hex(&pdf), letter.sha256);
        out.push((letter.kind, flat(&pdf_text(&pdf))));
    }
    out
}

/// The one letter an event writes: the service started with `settings`, `message` published
/// on `subject` in the `area` stream, and the letter about `application_id` read back.
async fn the_letter_for<M: prost::Message + prost::Name>(
    settings: &[(&str, &str)],
    (area, subject): (&str, &str),
    application_id: &str,
    message: &M,
) -> (i32, String) {
    let service = Service::start(settings).await;
    let client = service.client(Role::AllocationsOfficer).await;
    let bus = service.env.bus().await;
    bus.ensure_stream(area).await.unwrap();
    publish(&bus, subject, application_id, message).await;
    let mut written = letters(&client, application_id, 1).await;
    service.stop().await;
    written.remove(0)
}

fn ada_address() -> Vec<String> {
    ["Room 2", "5 Hill Road", "Example Town", "N1 1AA"]
        .map(String::from)
        .to_vec()
}

fn by_kind(letters: &[(i32, String)]) -> HashMap<i32, Vec<&str>> {
    let mut map: HashMap<i32, Vec<&str>> = HashMap::new();
    for (kind, text) in letters {
        map.entry(*kind).or_default().push(text);
    }
    map
}

#[tokio::test]
async fn every_letter_type_is_written_from_its_event_and_reads_right() {
    let service = Service::start(&[]).await;
    let client = service.client(Role::AllocationsOfficer).await;
    let bus = service.env.bus().await;
    for area in ["register", "nominations", "rent", "accommodation"] {
        bus.ensure_stream(area).await.unwrap();
    }
    let today = today();
    let letter_date = long(today);
    let deadline = long(today + Days::new(21));
    let (ada, ben, cleo, dan) = (
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
    );

    // Ben's refused offer is published before the register names him: the letter waits
    // for the name rather than going out unaddressed.
    publish(
        &bus,
        "housing.nominations.offer.refused.v1",
        &ben,
        &nominations::OfferRefused {
            nomination_id: "NOM-B".into(),
            application_id: ben.clone(),
            reason: nominations::RefusalReason::SchoolsOrWork as i32,
            final_offer: true,
            suitable: false,
            ..Default::default()
        },
    )
    .await;

    // Ada: applies, is assessed, nominated, refuses a suitable final offer, is suspended,
    // is reviewed and is closed.
    publish(
        &bus,
        "housing.register.application.submitted.v1",
        &ada,
        &register::ApplicationSubmitted {
            application_id: ada.clone(),
            reference: "HR-000101".into(),
            lead_name: "Ada Okafor".into(),
            application_status: register::ApplicationStatus::Submitted as i32,
            postal_address: ada_address(),
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.register.application.assessed.v1",
        &ada,
        &register::ApplicationAssessed {
            application_id: ada.clone(),
            reference: "HR-000101".into(),
            band: "B".into(),
            bedroom_need: 2,
            effective_date: "2026-11-02".into(),
            assessment_outcome: register::AssessmentOutcome::Active as i32,
            areas_wanted: vec!["Hackney Central".into(), "Dalston".into()],
            lead_name: "Ada Okafor".into(),
            assessment_trigger: register::AssessmentTrigger::Submitted as i32,
            postal_address: ada_address(),
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.nominations.nomination.created.v1",
        &ada,
        &nominations::NominationCreated {
            nomination_id: "NOM-A".into(),
            application_id: ada.clone(),
            respond_by: "2026-12-04".into(),
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.nominations.offer.refused.v1",
        &ada,
        &nominations::OfferRefused {
            nomination_id: "NOM-A".into(),
            application_id: ada.clone(),
            reason: nominations::RefusalReason::Size as i32,
            final_offer: true,
            suitable: true,
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.register.application.suspended.v1",
        &ada,
        &register::ApplicationSuspended {
            application_id: ada.clone(),
            reference: "HR-000101".into(),
            reason: "refused a suitable final offer".into(),
            suspended_until: "2027-05-23".into(),
            lead_name: "Ada Okafor".into(),
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.register.review.due.v1",
        &ada,
        &register::ReviewDue {
            review_id: Uuid::now_v7().to_string(),
            application_id: ada.clone(),
            reference: "HR-000101".into(),
            lead_name: "Ada Okafor".into(),
            reply_by: "2026-12-21".into(),
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.register.application.closed.v1",
        &ada,
        &register::ApplicationClosed {
            application_id: ada.clone(),
            reference: "HR-000101".into(),
            reason: "no reply to the annual review".into(),
            closed_at: Some(prost_types::Timestamp {
                seconds: 1_798_934_400, // 2027-01-03
                nanos: 0,
            }),
            lead_name: "Ada Okafor".into(),
            ..Default::default()
        },
    )
    .await;

    // Ben is not eligible; Cleo does not qualify.
    for (id, name, outcome, reasons) in [
        (
            &ben,
            "Ben Ali",
            register::AssessmentOutcome::NotEligible,
            vec!["person_from_abroad"],
        ),
        (
            &cleo,
            "Cleo Grant",
            register::AssessmentOutcome::NotQualifying,
            vec!["no_local_connection"],
        ),
    ] {
        publish(
            &bus,
            "housing.register.application.assessed.v1",
            id,
            &register::ApplicationAssessed {
                application_id: id.clone(),
                reference: format!("HR-{name}"),
                assessment_outcome: outcome as i32,
                reason_codes: reasons.into_iter().map(String::from).collect(),
                lead_name: name.into(),
                ..Default::default()
            },
        )
        .await;
    }

    // Cleo's household, a council tenant, was decanted for regeneration and is paid.
    publish(
        &bus,
        "housing.nominations.decant.payments_approved.v1",
        &cleo,
        &nominations::DecantPaymentsApproved {
            decant_id: "DEC-7".into(),
            application_id: cleo.clone(),
            payee_name: "Cleo Grant".into(),
            scheme: "Northside Estate regeneration".into(),
            home_loss_pence: 810_000,
            disturbance_pence: 65_050,
            home_loss_reason: "a tenant of a year or more: the fixed amount".into(),
            ..Default::default()
        },
    )
    .await;

    // Dan: placed in temporary accommodation, his rent account opened, then arrears.
    let placement_id = Uuid::now_v7().to_string();
    let account_id = Uuid::now_v7().to_string();
    publish(
        &bus,
        "housing.accommodation.placement.started.v1",
        &placement_id,
        &accommodation::PlacementStarted {
            placement_id: placement_id.clone(),
            application_id: dan.clone(),
            lead_name: "Dan Price".into(),
            unit_address: "Flat 2, 9 Mill Lane, London E8 1AA".into(),
            start_date: "2026-11-30".into(),
            weekly_rent_pence: 19_950,
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.rent.account.opened.v1",
        &account_id,
        &rent::AccountOpened {
            account_id: account_id.clone(),
            placement_id: placement_id.clone(),
            application_id: dan.clone(),
            weekly_charge_pence: 19_950,
            opened_on: "2026-11-30".into(),
            weekly_service_charge_pence: 1_500,
            payment_reference: "TA00000042".into(),
        },
    )
    .await;
    for (stage, balance) in [
        (rent::ArrearsStage::FirstLetter, 42_000),
        (rent::ArrearsStage::SecondLetter, 63_000),
        (rent::ArrearsStage::PaymentPlan, 63_000),
        (rent::ArrearsStage::Referral, 84_000),
    ] {
        publish(
            &bus,
            "housing.rent.arrears.stage_changed.v1",
            &account_id,
            &rent::ArrearsStageChanged {
                account_id: account_id.clone(),
                placement_id: placement_id.clone(),
                application_id: dan.clone(),
                to: stage as i32,
                payment_reference: "TA00000042".into(),
                balance_pence: balance,
                weeks_in_arrears: balance as f64 / 21_450.0,
                reviewed_on: "2027-01-11".into(),
                ..Default::default()
            },
        )
        .await;
    }

    publish(
        &bus,
        "housing.accommodation.placement.closed.v1",
        &placement_id,
        &accommodation::PlacementClosed {
            placement_id: placement_id.clone(),
            application_id: dan.clone(),
            end_date: "2027-02-14".into(),
            reason: accommodation::ClosureReason::Arrears as i32,
            ..Default::default()
        },
    )
    .await;
    publish(
        &bus,
        "housing.rent.account.closed.v1",
        &account_id,
        &rent::AccountClosed {
            account_id: account_id.clone(),
            placement_id: placement_id.clone(),
            closed_on: "2027-02-14".into(),
            final_balance_pence: 84_000,
            total_charged_pence: 231_000,
            application_id: dan.clone(),
            payment_reference: "TA00000042".into(),
        },
    )
    .await;

    use pb::LetterKind as K;
    let ada_letters = letters(&client, &ada, 6).await;
    let a = by_kind(&ada_letters);
    for (_, text) in &ada_letters {
        // Addressed to her, where the register says she lives.
        assert!(
            text.contains("Ada Okafor Room 2 5 Hill Road Example Town N1 1AA"),
            "{text}"
        );
        assert!(text.contains("Dear Ada Okafor,"), "{text}");
        assert!(text.contains(&letter_date), "dated today: {text}");
        assert!(text.contains("HR-000101"), "{text}");
    }
    let ack = a[&(K::Acknowledgement as i32)][0];
    assert!(ack.contains("Band B"), "{ack}");
    assert!(ack.contains("Bedrooms you need: 2"), "{ack}");
    assert!(ack.contains("Hackney Central, Dalston"), "{ack}");
    assert!(ack.contains("2 November 2026"), "{ack}");
    let offer = a[&(K::Offer as i32)][0];
    assert!(
        offer.contains("4 December 2026") && offer.contains("HR-000101"),
        "{offer}"
    );
    let suitable = a[&(K::SuitabilityDecision as i32)][0];
    assert!(suitable.contains("the offer was suitable"), "{suitable}");
    assert!(suitable.contains("the size of the home"), "{suitable}");
    assert!(suitable.contains("section 202"), "{suitable}");
    let suspension = a[&(K::SuspensionDecision as i32)][0];
    assert!(suspension.contains("until 23 May 2027"), "{suspension}");
    let review = a[&(K::AnnualReview as i32)][0];
    assert!(review.contains("by 21 December 2026"), "{review}");
    let closure = a[&(K::ClosureNotice as i32)][0];
    assert!(closure.contains("closed on 3 January 2027"), "{closure}");
    assert!(
        closure.contains("no reply to the annual review"),
        "{closure}"
    );
    // Every decision letter states the right to a review and its deadline.
    for decision in [suitable, suspension, closure] {
        assert!(decision.contains("right to ask us to review"), "{decision}");
        assert!(decision.contains(&format!("by {deadline}")), "{decision}");
    }

    let ben_letters = letters(&client, &ben, 2).await;
    let b = by_kind(&ben_letters);
    let eligibility = b[&(K::EligibilityDecision as i32)][0];
    // No postal address held: care of the council, to collect.
    assert!(
        eligibility.contains(
            "Ben Ali c/o Example Borough Council Civic Centre 1 High Street Example Town EX1 1AA"
        ),
        "{eligibility}"
    );
    assert!(eligibility.contains("Dear Ben Ali,"), "{eligibility}");
    assert!(eligibility.contains("not eligible"), "{eligibility}");
    assert!(eligibility.contains("person from abroad"), "{eligibility}");
    assert!(
        eligibility.contains(&format!("by {deadline}")),
        "{eligibility}"
    );
    let not_suitable = b[&(K::SuitabilityDecision as i32)][0];
    assert!(not_suitable.contains("Dear Ben Ali,"), "{not_suitable}");
    assert!(not_suitable.contains("not suitable"), "{not_suitable}");
    assert!(not_suitable.contains("schools or work"), "{not_suitable}");

    let cleo_letters = letters(&client, &cleo, 2).await;
    let c = by_kind(&cleo_letters);
    let qualification = c[&(K::QualificationDecision as i32)][0];
    assert!(qualification.contains("Dear Cleo Grant,"));
    assert!(qualification.contains("no local connection"));
    assert!(qualification.contains(&format!("by {deadline}")));
    let decant = c[&(K::DecantPayments as i32)][0];
    assert!(decant.contains("Dear Cleo Grant,"), "{decant}");
    assert!(decant.contains("Northside Estate regeneration"), "{decant}");
    assert!(decant.contains("Home-loss payment: £8,100.00"), "{decant}");
    assert!(decant.contains("a tenant of a year or more"), "{decant}");
    assert!(
        decant.contains("£650.50") && decant.contains("Total: £8,750.50"),
        "{decant}"
    );

    let dan_letters = letters(&client, &dan, 7).await;
    let d = by_kind(&dan_letters);
    for (_, text) in &dan_letters {
        assert!(text.contains("Dear Dan Price,"), "{text}");
    }
    let placement = d[&(K::Placement as i32)][0];
    assert!(
        placement.contains("Flat 2, 9 Mill Lane, London E8 1AA"),
        "{placement}"
    );
    assert!(placement.contains("30 November 2026"), "{placement}");
    assert!(placement.contains(&format!("by {deadline}")), "{placement}");
    let account = d[&(K::RentAccount as i32)][0];
    // Once placed, letters reach the household at the unit.
    for later in [account, d[&(K::FinalBalance as i32)][0]] {
        assert!(
            later.contains("Dan Price Flat 2 9 Mill Lane London E8 1AA"),
            "{later}"
        );
    }
    assert!(account.contains("£199.50"), "{account}");
    assert!(account.contains("£15.00"), "{account}");
    assert!(account.contains("£214.50"), "{account}");
    assert!(
        account.contains("Your payment reference is TA00000042"),
        "{account}"
    );
    let last = d[&(K::FinalBalance as i32)][0];
    assert!(
        last.contains("closed your rent account on 14 February 2027"),
        "{last}"
    );
    assert!(last.contains("Final balance: £840.00 owed"), "{last}");
    assert!(
        last.contains("quoting your payment reference TA00000042"),
        "{last}"
    );
    let ending = d[&(K::PlacementClosure as i32)][0];
    assert!(ending.contains("ends on 14 February 2027"), "{ending}");
    assert!(ending.contains("rent arrears"), "{ending}");
    assert!(ending.contains("section 202"), "{ending}");
    assert!(ending.contains(&format!("by {deadline}")), "{ending}");
    let arrears = &d[&(K::Arrears as i32)];
    assert_eq!(arrears.len(), 3, "no letter for a payment plan");
    // Events about someone not yet named are retried, so letters may be written out of order.
    let at = |balance: &str| {
        *arrears
            .iter()
            .find(|t| t.contains(balance))
            .unwrap_or_else(|| panic!("a letter for {balance}: {arrears:?}"))
    };
    let first = at("£420.00");
    assert!(
        first.contains("11 January 2027") && first.contains("within 7 days"),
        "{first}"
    );
    assert!(
        !first.contains("Second letter") && !first.contains("referral"),
        "{first}"
    );
    assert!(at("£630.00").contains("Second letter"));
    assert!(
        at("£630.00").contains("your rent account TA00000042 is still in arrears"),
        "{}",
        at("£630.00")
    );
    assert!(at("£840.00").contains("referral for closure"));
    service.stop().await;
}

#[tokio::test]
async fn a_name_in_any_script_prints_in_the_letter_and_reads_back_intact() {
    let service = Service::start(&[]).await;
    let client = service.client(Role::AllocationsOfficer).await;
    let bus = service.env.bus().await;
    bus.ensure_stream("register").await.unwrap();
    let names = [
        "Zoë Adeyemi",
        "Łukasz Wiśniewski",
        "Nguyễn Thị Hương",
        "محمد علي",
        "সুমন রায়",
    ];
    for name in names {
        let id = Uuid::now_v7().to_string();
        publish(
            &bus,
            "housing.register.review.due.v1",
            &id,
            &register::ReviewDue {
                review_id: Uuid::now_v7().to_string(),
                application_id: id.clone(),
                reference: "HR-000777".into(),
                lead_name: name.into(),
                reply_by: "2026-12-21".into(),
                ..Default::default()
            },
        )
        .await;
        let written = letters(&client, &id, 1).await;
        let text = &written[0].1;
        assert!(text.contains(&format!("Dear {name}")), "{name}: {text}");
        assert!(!text.contains('?'), "{name}: nothing printed as ?: {text}");
    }
    service.stop().await;
}

#[tokio::test]
async fn an_out_of_district_placement_gets_its_s208_notice_stating_what_the_act_requires() {
    let id = Uuid::now_v7().to_string();
    let placement_id = Uuid::now_v7().to_string();
    let (kind, text) = the_letter_for(
        &[],
        ("accommodation", "housing.accommodation.s208.due.v1"),
        &id,
        &accommodation::S208NotificationDue {
            placement_id: placement_id.clone(),
            application_id: id.clone(),
            receiving_authority: "Swale Borough Council".into(),
            placing_authority: "Example Borough Council".into(),
            lead_name: "Nguyễn Thị Hương".into(),
            household_size: 4,
            has_children: true,
            pregnant: false,
            address: "Flat 2, 14 Mill Lane, Sittingbourne ME10 1AA".into(),
            placed_on: "2027-06-01".into(),
            duty: accommodation::DutyType::Main as i32,
            due_on: "2027-06-15".into(),
            placement_reference: "TAP-0000042".into(),
        },
    )
    .await;
    assert_eq!(kind, pb::LetterKind::S208Notice as i32);
    for statement in [
        "Notice under section 208 of the Housing Act 1996",
        "To: the Housing Department, Swale Borough Council",
        "Applicant: Nguyễn Thị Hương",
        "Household: the applicant and 3 other people, including dependent children",
        "Address of accommodation: Flat 2, 14 Mill Lane, Sittingbourne ME10 1AA",
        "Date made available: 1 June 2027",
        "Part 7 function: main housing duty (section 193(2))",
        "placement reference TAP-0000042",
    ] {
        assert!(text.contains(statement), "{statement:?} in {text}");
    }
}

#[tokio::test]
async fn a_childs_school_gp_and_health_visitors_are_told_of_the_placement_with_consent() {
    let id = Uuid::now_v7().to_string();
    let placement_id = Uuid::now_v7().to_string();
    let (kind, text) = the_letter_for(
        &[],
        ("accommodation", "housing.accommodation.s213aa.due.v1"),
        &id,
        &accommodation::S213aaNoticesDue {
            placement_id: placement_id.clone(),
            application_id: id.clone(),
            lead_name: "Łukasz Wiśniewski".into(),
            address: "Room 4, 22 Station Road, London E8 1AA".into(),
            placed_on: "2027-06-01".into(),
            placing_authority: "Example Borough Council".into(),
            school: "Hill Primary School".into(),
            gp_practice: "Mill Lane Surgery".into(),
            health_visiting_service: String::new(),
            placement_reference: "TAP-0000043".into(),
        },
    )
    .await;
    assert_eq!(kind, pb::LetterKind::S213aaNotice as i32);
    for statement in [
        "section 213AA of the Housing Act 1996",
        "The head teacher, Hill Primary School",
        "The practice manager, Mill Lane Surgery",
        "the household of Łukasz Wiśniewski",
        "from 1 June 2027",
        "Room 4, 22 Station Road, London E8 1AA",
    ] {
        assert!(text.contains(statement), "{statement:?} in {text}");
    }
    assert!(!text.contains("health visiting service,"), "{text}");
}

#[tokio::test]
async fn the_outcome_of_a_decision_review_is_written_with_its_reasons() {
    let id = Uuid::now_v7().to_string();
    let review_id = Uuid::now_v7().to_string();
    let (kind, text) = the_letter_for(
        &[],
        ("register", "housing.register.decision_review.decided.v1"),
        &id,
        &register::DecisionReviewDecided {
            review_id: review_id.clone(),
            application_id: id.clone(),
            reference: "REG-0000042".into(),
            lead_name: "Zoë Adeyemi".into(),
            decision: register::ReviewableDecision::Qualification as i32,
            outcome: register::DecisionReviewOutcome::Upheld as i32,
            reason: "Five years' residence is required and you have lived here for one.".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(kind, pb::LetterKind::ReviewDecision as i32);
    for statement in [
        "Dear Zoë Adeyemi",
        "our decision that you do not qualify to join the housing register",
        "section 166A(9)",
        "We have upheld the decision: it stands.",
        "Five years' residence is required and you have lived here for one.",
    ] {
        assert!(text.contains(statement), "{statement:?} in {text}");
    }
}

#[tokio::test]
async fn every_letter_is_headed_with_the_councils_own_details_from_configuration() {
    let id = Uuid::now_v7().to_string();
    let (kind, text) = the_letter_for(
        &[
            (
                "HOUSING__SERVICE__COUNCIL__NAME",
                "Riverside District Council",
            ),
            ("HOUSING__SERVICE__COUNCIL__PHONE", "01234 567890"),
            (
                "HOUSING__SERVICE__COUNCIL__EMAIL",
                "housing@riverside.gov.uk",
            ),
        ],
        ("register", "housing.register.review.due.v1"),
        &id,
        &register::ReviewDue {
            review_id: Uuid::now_v7().to_string(),
            application_id: id.clone(),
            reference: "REG-0000099".into(),
            lead_name: "Eve Stone".into(),
            reply_by: "2026-12-21".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(kind, pb::LetterKind::AnnualReview as i32);
    assert!(
        text.starts_with("Riverside District Council - Housing Register"),
        "{text}"
    );
    assert!(text.contains("Civic Centre"), "{text}");
    assert!(
        text.contains("Telephone 01234 567890 Email housing@riverside.gov.uk"),
        "{text}"
    );
    assert!(!text.contains("Example Borough"), "{text}");
}

#[tokio::test]
async fn a_redelivered_event_writes_its_letter_once() {
    let service = Service::start(&[]).await;
    let client = service.client(Role::AllocationsOfficer).await;
    let bus = service.env.bus().await;
    bus.ensure_stream("register").await.unwrap();
    let id = Uuid::now_v7().to_string();
    let event_id = Uuid::now_v7();
    let review = register::ReviewDue {
        review_id: Uuid::now_v7().to_string(),
        application_id: id.clone(),
        reference: "HR-7".into(),
        lead_name: "Eve Stone".into(),
        reply_by: "2026-12-21".into(),
        ..Default::default()
    };
    for _ in 0..2 {
        publish_as(
            &bus,
            event_id,
            "housing.register.review.due.v1",
            &id,
            &review,
        )
        .await;
    }
    letters(&client, &id, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(service.count("letters").await, 1);
    service.stop().await;
}

#[tokio::test]
async fn a_council_template_with_a_mistake_stops_the_service_at_start_naming_its_line() {
    let db = housing_testkit::TestDatabase::create("documents", &documents::migrators()).await;
    let env = housing_testkit::TestEnv::for_database(&db);
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("arrears_first_letter.txt"),
        "Dear {{lead_name}},\nYou owe {{balance}}.\nPay by {{pay_by}} or {{balanse\n",
    )
    .unwrap();
    let blobs = tempfile::tempdir().unwrap();
    let settings = env.settings::<documents::ServiceSettings>(
        documents::DEFAULTS,
        &[
            (
                "HOUSING__SERVICE__TEMPLATES_DIR",
                templates.path().to_str().unwrap(),
            ),
            (
                "HOUSING__SERVICE__BLOB_ROOT",
                blobs.path().to_str().unwrap(),
            ),
        ],
    );
    let error = documents::build(settings)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("arrears_first_letter.txt line 3: unknown field \"pay_by\""),
        "{error}"
    );
    assert!(
        error.contains("arrears_first_letter.txt line 3: unclosed {{"),
        "{error}"
    );
}
