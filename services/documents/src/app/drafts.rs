//! Which letter each event calls for, and what goes in it. Pure: the person's name and
//! reference come from the caller, which keeps its own copy fed by events.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use housing_platform::time::parse_date;
use housing_proto::accommodation::v1 as accommodation;
use housing_proto::nominations::v1 as nominations;
use housing_proto::register::v1 as register;
use housing_proto::rent::v1 as rent;
use uuid::Uuid;

use super::letters::Draft;
use crate::domain::letters::{LetterKind, household, long_date, missing_in_words, pounds, words};

/// Days a household has to ask for a review of a decision: 21 for homelessness decisions
/// (s.202), and the period this council's allocation scheme gives for Part VI decisions.
pub const REVIEW_DAYS: u64 = 21;

/// Who a letter is to.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub lead_name: String,
    pub reference: String,
    /// Where letters reach them, a line each; empty for care of the council.
    pub address: Vec<String>,
}

/// The template field for the recipient's postal address block.
pub const RECIPIENT_ADDRESS: &str = "recipient_address";

fn review_deadline(today: NaiveDate) -> String {
    long_date(today + Days::new(REVIEW_DAYS))
}

fn date(field: &str, value: &str) -> Result<NaiveDate, String> {
    parse_date(value).map_err(|e| format!("{field}: {e}"))
}

fn application(id: &str) -> Result<Uuid, String> {
    Uuid::parse_str(id).map_err(|_| format!("application_id {id:?} is not a UUID"))
}

fn base(today: NaiveDate, person: &Person) -> HashMap<&'static str, String> {
    let mut values = HashMap::from([
        ("letter_date", long_date(today)),
        ("lead_name", person.lead_name.clone()),
        ("reference", person.reference.clone()),
    ]);
    if !person.address.is_empty() {
        values.insert(RECIPIENT_ADDRESS, person.address.join("\n"));
    }
    values
}

fn register_draft(
    kind: LetterKind,
    template: &'static str,
    title: &'static str,
    application_id: Uuid,
    values: HashMap<&'static str, String>,
) -> Draft {
    Draft {
        kind,
        template,
        title,
        case_kind: "application",
        case_id: application_id.to_string(),
        application_id: Some(application_id),
        values,
    }
}

/// The placement letter, to `who` where letters reached them before they move in.
pub fn placement_started(
    e: &accommodation::PlacementStarted,
    who: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let start = date("start_date", &e.start_date)?;
    let mut values = base(today, who);
    values.extend([
        ("unit_address", e.unit_address.clone()),
        ("start_date", long_date(start)),
        ("weekly_charge", pounds(e.weekly_rent_pence)),
        ("review_deadline", review_deadline(today)),
    ]);
    Ok(placement_draft(
        LetterKind::Placement,
        "placement.txt",
        "Temporary accommodation placement",
        (&e.placement_id, &e.placement_reference),
        &e.application_id,
        values,
    ))
}

/// The notice to the council whose district a household is placed in, with everything
/// s.208(2) requires: applicant, household, address, the date the accommodation was made
/// available and the Part 7 function it is provided under.
pub fn s208_notice(
    e: &accommodation::S208NotificationDue,
    today: NaiveDate,
) -> Result<Draft, String> {
    let placed_on = date("placed_on", &e.placed_on)?;
    let function = match accommodation::DutyType::try_from(e.duty) {
        Ok(accommodation::DutyType::Interim) => {
            "interim duty to accommodate pending our decision (section 188(1))"
        }
        Ok(accommodation::DutyType::Main) => "main housing duty (section 193(2))",
        _ => return Err(format!("duty {} is not a Part 7 duty", e.duty)),
    };
    let mut values = base(
        today,
        &Person {
            lead_name: e.lead_name.clone(),
            ..Person::default()
        },
    );
    values.extend([
        ("receiving_authority", e.receiving_authority.clone()),
        ("placing_authority", e.placing_authority.clone()),
        (
            "household",
            household(e.household_size, e.has_children, e.pregnant),
        ),
        ("address", e.address.clone()),
        ("placed_on", long_date(placed_on)),
        ("function", function.to_owned()),
    ]);
    Ok(placement_draft(
        LetterKind::S208Notice,
        "s208_notice.txt",
        "Notice under section 208 of the Housing Act 1996",
        (&e.placement_id, &e.placement_reference),
        &e.application_id,
        values,
    ))
}

/// With the parent's consent, the notice of a child's placement to each of the school, GP
/// practice and health visiting service named (s.213AA).
pub fn s213aa_notice(
    e: &accommodation::S213aaNoticesDue,
    today: NaiveDate,
) -> Result<Draft, String> {
    let placed_on = date("placed_on", &e.placed_on)?;
    let recipients: Vec<String> = [
        ("The head teacher", &e.school),
        ("The practice manager", &e.gp_practice),
        ("The health visiting service", &e.health_visiting_service),
    ]
    .into_iter()
    .filter(|(_, name)| !name.trim().is_empty())
    .map(|(whom, name)| format!("    {whom}, {}", name.trim()))
    .collect();
    if recipients.is_empty() {
        return Err("no school, GP practice or health visiting service to notify".into());
    }
    let mut values = base(
        today,
        &Person {
            lead_name: e.lead_name.clone(),
            ..Person::default()
        },
    );
    values.extend([
        ("recipients", recipients.join("\n")),
        ("placing_authority", e.placing_authority.clone()),
        ("address", e.address.clone()),
        ("placed_on", long_date(placed_on)),
    ]);
    Ok(placement_draft(
        LetterKind::S213aaNotice,
        "s213aa_notice.txt",
        "Notice of a child's placement in temporary accommodation",
        (&e.placement_id, &e.placement_reference),
        &e.application_id,
        values,
    ))
}

/// The outcome of a review of a decision on the application, with the reviewer's reasons.
pub fn review_decision(
    e: &register::DecisionReviewDecided,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    use register::{DecisionReviewOutcome as O, ReviewableDecision as D};
    let id = application(&e.application_id)?;
    let decision = match D::try_from(e.decision).unwrap_or(D::Unspecified) {
        D::Eligibility => "that you are not eligible for an allocation of housing",
        D::Qualification => "that you do not qualify to join the housing register",
        D::Suspension => "to suspend your application",
        D::Priority => "on the priority your application has",
        D::Unspecified => return Err("a review of no decision".into()),
    };
    let outcome = match O::try_from(e.outcome).unwrap_or(O::Unspecified) {
        O::Upheld => "We have upheld the decision: it stands.",
        O::Overturned => {
            "We have overturned the decision, and put your application right from today."
        }
        O::Unspecified => return Err("a review decided with no outcome".into()),
    };
    let mut values = base(today, person);
    values.extend([
        ("decision", decision.to_owned()),
        ("outcome", outcome.to_owned()),
        ("reasons", e.reason.clone()),
    ]);
    Ok(register_draft(
        LetterKind::ReviewDecision,
        "review_decision.txt",
        "The outcome of your review",
        id,
        values,
    ))
}

/// An application waiting for information: the applicant is asked for exactly what is
/// missing, each item in words.
pub fn information_request(
    application_id: &str,
    missing: &[String],
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let id = application(application_id)?;
    if missing.is_empty() {
        return Err("an application waiting for information names what it is missing".into());
    }
    let mut values = base(today, person);
    values.insert(
        "missing",
        missing
            .iter()
            .map(|field| format!("  - {}", missing_in_words(field)))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    Ok(register_draft(
        LetterKind::InformationRequest,
        "information_request.txt",
        "Your housing application: what we still need",
        id,
        values,
    ))
}

/// A letter about a placement, kept with it. It quotes the placement's reference, or for a
/// placement made before placements had references, its id.
fn placement_draft(
    kind: LetterKind,
    template: &'static str,
    title: &'static str,
    (placement_id, reference): (&str, &str),
    application_id: &str,
    mut values: HashMap<&'static str, String>,
) -> Draft {
    let quoted = if reference.is_empty() {
        placement_id
    } else {
        reference
    };
    values.extend([
        ("placement_id", placement_id.to_owned()),
        ("placement_reference", quoted.to_owned()),
    ]);
    Draft {
        kind,
        template,
        title,
        case_kind: "placement",
        case_id: placement_id.to_owned(),
        application_id: Uuid::parse_str(application_id).ok(),
        values,
    }
}

/// An active application gets its acknowledgement (band or points, bedroom need, areas);
/// a decision that it is not eligible or does not qualify gets a decision letter.
pub fn assessed(
    e: &register::ApplicationAssessed,
    who: &Person,
    today: NaiveDate,
) -> Result<Option<Draft>, String> {
    let id = application(&e.application_id)?;
    let mut values = base(today, who);
    let reasons = || {
        if e.reason_codes.is_empty() {
            "the rules of our allocations scheme".to_owned()
        } else {
            e.reason_codes
                .iter()
                .map(|c| words(c))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    use register::AssessmentOutcome as O;
    let draft = match outcome_of(e) {
        O::Active | O::Unspecified => {
            let priority = if e.points > 0 {
                format!("{} points", e.points)
            } else {
                format!("Band {}", e.band)
            };
            let effective = if e.effective_date.is_empty() {
                String::new()
            } else {
                long_date(date("effective_date", &e.effective_date)?)
            };
            let areas = if e.areas_wanted.is_empty() {
                "any area".to_owned()
            } else {
                e.areas_wanted.join(", ")
            };
            values.extend([
                ("priority", priority),
                ("effective_date", effective),
                ("bedroom_need", e.bedroom_need.to_string()),
                ("areas", areas),
            ]);
            register_draft(
                LetterKind::Acknowledgement,
                "acknowledgement.txt",
                "Your housing register application",
                id,
                values,
            )
        }
        O::NotEligible => {
            values.extend([
                ("reasons", reasons()),
                ("review_deadline", review_deadline(today)),
            ]);
            register_draft(
                LetterKind::EligibilityDecision,
                "eligibility_decision.txt",
                "Decision on eligibility",
                id,
                values,
            )
        }
        O::NotQualifying => {
            values.extend([
                ("reasons", reasons()),
                ("review_deadline", review_deadline(today)),
            ]);
            register_draft(
                LetterKind::QualificationDecision,
                "qualification_decision.txt",
                "Decision on qualification",
                id,
                values,
            )
        }
    };
    Ok(Some(draft))
}

/// The assessment's outcome; events from before the register sent it as an enum carry it as
/// text.
#[allow(deprecated)]
fn outcome_of(e: &register::ApplicationAssessed) -> register::AssessmentOutcome {
    use register::AssessmentOutcome as O;
    match (e.assessment_outcome(), e.outcome.as_str()) {
        (O::Unspecified, "not_eligible") => O::NotEligible,
        (O::Unspecified, "not_qualifying") => O::NotQualifying,
        (O::Unspecified, _) => O::Active,
        (known, _) => known,
    }
}

pub fn suspended(
    e: &register::ApplicationSuspended,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let id = application(&e.application_id)?;
    let mut values = base(today, person);
    values.extend([
        ("reason", e.reason.clone()),
        (
            "suspended_until",
            long_date(date("suspended_until", &e.suspended_until)?),
        ),
        ("review_deadline", review_deadline(today)),
    ]);
    Ok(register_draft(
        LetterKind::SuspensionDecision,
        "suspension_decision.txt",
        "Suspension of your application",
        id,
        values,
    ))
}

pub fn closed(
    e: &register::ApplicationClosed,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let id = application(&e.application_id)?;
    let closed_on = e
        .closed_at
        .as_ref()
        .and_then(|t| chrono::DateTime::from_timestamp(t.seconds, 0))
        .map(housing_platform::time::council_date)
        .unwrap_or(today);
    let mut values = base(today, person);
    values.extend([
        ("reason", e.reason.clone()),
        ("closed_on", long_date(closed_on)),
        ("review_deadline", review_deadline(today)),
    ]);
    Ok(register_draft(
        LetterKind::ClosureNotice,
        "closure_notice.txt",
        "Your application has been closed",
        id,
        values,
    ))
}

pub fn review_due(
    e: &register::ReviewDue,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let id = application(&e.application_id)?;
    let mut values = base(today, person);
    values.insert("reply_by", long_date(date("reply_by", &e.reply_by)?));
    Ok(register_draft(
        LetterKind::AnnualReview,
        "annual_review.txt",
        "Annual review of your application",
        id,
        values,
    ))
}

pub fn nominated(
    e: &nominations::NominationCreated,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let id = application(&e.application_id)?;
    let mut values = base(today, person);
    values.extend([
        ("nomination_id", e.nomination_id.clone()),
        ("respond_by", long_date(date("respond_by", &e.respond_by)?)),
    ]);
    Ok(register_draft(
        LetterKind::Offer,
        "offer.txt",
        "An offer of a home",
        id,
        values,
    ))
}

/// What a decanted household is paid for the loss of its home and the costs of moving.
pub fn decant_payments(
    e: &nominations::DecantPaymentsApproved,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let id = application(&e.application_id)?;
    let mut values = base(today, person);
    values.extend([
        ("scheme", e.scheme.clone()),
        ("home_loss", pounds(e.home_loss_pence)),
        ("home_loss_reason", e.home_loss_reason.clone()),
        ("disturbance", pounds(e.disturbance_pence)),
        ("total", pounds(e.home_loss_pence + e.disturbance_pence)),
        ("decant_id", e.decant_id.clone()),
    ]);
    Ok(register_draft(
        LetterKind::DecantPayments,
        "decant_payments.txt",
        "Your home-loss and disturbance payments",
        id,
        values,
    ))
}

/// A refused final offer gets the council's decision on its suitability; other refusals
/// need no letter.
pub fn offer_refused(
    e: &nominations::OfferRefused,
    person: &Person,
    today: NaiveDate,
) -> Result<Option<Draft>, String> {
    if !e.final_offer {
        return Ok(None);
    }
    let id = application(&e.application_id)?;
    let mut values = base(today, person);
    values.extend([
        ("reason", e.reason_in_words()),
        ("nomination_id", e.nomination_id.clone()),
    ]);
    let template = if e.suitable {
        values.insert("review_deadline", review_deadline(today));
        "suitability_suitable.txt"
    } else {
        "suitability_not_suitable.txt"
    };
    Ok(Some(register_draft(
        LetterKind::SuitabilityDecision,
        template,
        "Decision on the suitability of an offer",
        id,
        values,
    )))
}

/// The end of a placement, why, and the right to a review of the decision that the duty
/// has ended.
pub fn placement_closed(
    e: &accommodation::PlacementClosed,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    use accommodation::ClosureReason as R;
    let reason = match R::try_from(e.reason).unwrap_or(R::Unspecified) {
        R::DutyDischargedFinalOfferAccepted => "you accepted a final offer of a settled home",
        R::DutyDischargedFinalOfferRefused => "you refused a final offer of suitable accommodation",
        // Since the Renters' Rights Act 2025 a private rented sector offer is a periodic
        // assured tenancy: there is no fixed term to speak of.
        R::PrivateRentedOffer => {
            "we made you a private rented sector offer of a suitable home let on a periodic \
             assured tenancy (section 193(7AA) of the Housing Act 1996, as amended by the \
             Renters' Rights Act 2025)"
        }
        R::AbandonmentVerified => "we found that you are no longer living in the accommodation",
        R::AntiSocialBehaviour => "serious anti-social behaviour",
        R::Arrears => "rent arrears that have not been paid or kept to a plan",
        R::MovedOut => "you moved out",
        R::Unspecified => return Err("a placement closed without a reason".into()),
    };
    let mut values = base(today, person);
    values.extend([
        ("end_date", long_date(date("end_date", &e.end_date)?)),
        ("reason", reason.to_owned()),
        ("review_deadline", review_deadline(today)),
    ]);
    Ok(placement_draft(
        LetterKind::PlacementClosure,
        "placement_closure.txt",
        "Your temporary accommodation is ending",
        (&e.placement_id, &e.placement_reference),
        &e.application_id,
        values,
    ))
}

fn account_draft(
    kind: LetterKind,
    template: &'static str,
    title: &'static str,
    account_id: &str,
    application_id: &str,
    values: HashMap<&'static str, String>,
) -> Draft {
    Draft {
        kind,
        template,
        title,
        case_kind: "account",
        case_id: account_id.to_owned(),
        application_id: Uuid::parse_str(application_id).ok(),
        values,
    }
}

pub fn account_opened(
    e: &rent::AccountOpened,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let mut values = base(today, person);
    values.extend([
        ("account_id", e.account_id.clone()),
        ("payment_reference", e.payment_reference.clone()),
        ("opened_on", long_date(date("opened_on", &e.opened_on)?)),
        ("weekly_rent", pounds(e.weekly_charge_pence)),
        (
            "weekly_service_charge",
            pounds(e.weekly_service_charge_pence),
        ),
        (
            "weekly_total",
            pounds(e.weekly_charge_pence + e.weekly_service_charge_pence),
        ),
    ]);
    Ok(account_draft(
        LetterKind::RentAccount,
        "rent_account.txt",
        "Your rent account",
        &e.account_id,
        &e.application_id,
        values,
    ))
}

/// The final balance of a closed rent account, as the placement's closure letter promises:
/// what is still owed and how to pay it, a credit and how it is refunded, or nothing.
pub fn final_balance(
    e: &rent::AccountClosed,
    person: &Person,
    today: NaiveDate,
) -> Result<Draft, String> {
    let balance = e.final_balance_pence;
    let (stated, what_next) = match balance.cmp(&0) {
        std::cmp::Ordering::Greater => (
            format!("{} owed", pounds(balance)),
            format!(
                "Please pay what is owed, quoting your payment reference {}. If you cannot pay \
                 it all at once, contact the Income Team to agree how you will pay it.",
                e.payment_reference
            ),
        ),
        std::cmp::Ordering::Less => (
            format!("{} in credit", pounds(-balance)),
            "You paid more than was charged. Contact the Income Team with the account the \
             refund should be paid into."
                .to_owned(),
        ),
        std::cmp::Ordering::Equal => (
            "nothing owed".to_owned(),
            "Your account is clear: there is nothing more to pay.".to_owned(),
        ),
    };
    let mut values = base(today, person);
    values.extend([
        ("payment_reference", e.payment_reference.clone()),
        ("closed_on", long_date(date("closed_on", &e.closed_on)?)),
        ("total_charged", pounds(e.total_charged_pence)),
        ("balance", stated),
        ("what_next", what_next),
    ]);
    Ok(account_draft(
        LetterKind::FinalBalance,
        "final_balance.txt",
        "Your rent account: final balance",
        &e.account_id,
        &e.application_id,
        values,
    ))
}

/// A letter for each recovery stage that writes one; a payment plan or a cleared account
/// needs none from here.
pub fn arrears(
    e: &rent::ArrearsStageChanged,
    person: &Person,
    today: NaiveDate,
) -> Result<Option<Draft>, String> {
    let template = match e.to() {
        rent::ArrearsStage::FirstLetter => "arrears_first_letter.txt",
        rent::ArrearsStage::SecondLetter => "arrears_second_letter.txt",
        rent::ArrearsStage::Referral => "arrears_referral.txt",
        _ => return Ok(None),
    };
    let reviewed_on = if e.reviewed_on.is_empty() {
        today
    } else {
        date("reviewed_on", &e.reviewed_on)?
    };
    let mut values = base(today, person);
    values.extend([
        ("account_id", e.account_id.clone()),
        ("payment_reference", e.payment_reference.clone()),
        ("balance", pounds(e.balance_pence)),
        ("weeks_in_arrears", format!("{:.1}", e.weeks_in_arrears)),
        ("reviewed_on", long_date(reviewed_on)),
    ]);
    Ok(Some(account_draft(
        LetterKind::Arrears,
        template,
        "Your rent account is in arrears",
        &e.account_id,
        &e.application_id,
        values,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_decision_letter_gives_a_review_deadline_21_days_on() {
        let e = register::ApplicationAssessed {
            application_id: Uuid::now_v7().to_string(),
            assessment_outcome: register::AssessmentOutcome::NotEligible as i32,
            reason_codes: vec!["person_from_abroad".into()],
            lead_name: "Ada Okafor".into(),
            ..Default::default()
        };
        let who = Person {
            lead_name: "Ada Okafor".into(),
            address: vec!["Flat 2".into(), "5 Hill Road".into(), "N1 1AA".into()],
            ..Person::default()
        };
        let draft = assessed(&e, &who, today()).unwrap().unwrap();
        assert_eq!(draft.kind, LetterKind::EligibilityDecision);
        assert_eq!(
            draft.values[RECIPIENT_ADDRESS],
            "Flat 2\n5 Hill Road\nN1 1AA"
        );
        assert_eq!(draft.values["review_deadline"], "14 December 2026");
        assert_eq!(draft.values["reasons"], "person from abroad");
    }

    #[test]
    fn points_schemes_show_points_and_banding_schemes_the_band() {
        let mut e = register::ApplicationAssessed {
            application_id: Uuid::now_v7().to_string(),
            assessment_outcome: register::AssessmentOutcome::Active as i32,
            band: "B".into(),
            ..Default::default()
        };
        assert_eq!(
            assessed(&e, &Person::default(), today())
                .unwrap()
                .unwrap()
                .values["priority"],
            "Band B"
        );
        e.points = 120;
        assert_eq!(
            assessed(&e, &Person::default(), today())
                .unwrap()
                .unwrap()
                .values["priority"],
            "120 points"
        );
    }

    #[test]
    fn only_a_refused_final_offer_gets_a_suitability_letter() {
        let e = nominations::OfferRefused {
            application_id: Uuid::now_v7().to_string(),
            final_offer: false,
            ..Default::default()
        };
        assert!(
            offer_refused(&e, &Person::default(), today())
                .unwrap()
                .is_none()
        );
    }

    #[test]
    #[allow(deprecated)]
    fn a_refusal_from_before_the_enum_gives_its_reason_from_its_text() {
        let e = nominations::OfferRefused {
            application_id: Uuid::now_v7().to_string(),
            reason_category: "too_far_from_school".into(),
            final_offer: true,
            ..Default::default()
        };
        let draft = offer_refused(&e, &Person::default(), today())
            .unwrap()
            .unwrap();
        assert_eq!(draft.values["reason"], "too far from school");
    }

    #[test]
    #[allow(deprecated)]
    fn an_assessment_from_before_the_enum_is_read_from_its_text() {
        let e = register::ApplicationAssessed {
            application_id: uuid::Uuid::now_v7().to_string(),
            outcome: "not_eligible".into(),
            ..Default::default()
        };
        let draft = assessed(&e, &Person::default(), today()).unwrap().unwrap();
        assert_eq!(draft.kind, LetterKind::EligibilityDecision);
    }

    #[test]
    fn a_private_rented_sector_offer_is_a_periodic_assured_tenancy() {
        let e = accommodation::PlacementClosed {
            placement_id: "P-1".into(),
            end_date: "2027-01-31".into(),
            reason: accommodation::ClosureReason::PrivateRentedOffer as i32,
            ..Default::default()
        };
        let draft = placement_closed(&e, &Person::default(), today()).unwrap();
        let reason = &draft.values["reason"];
        assert!(reason.contains("periodic assured tenancy"), "{reason}");
        assert!(!reason.contains("shorthold"), "{reason}");
    }

    #[test]
    fn a_cleared_account_needs_no_arrears_letter() {
        let e = rent::ArrearsStageChanged {
            to: rent::ArrearsStage::Clear as i32,
            ..Default::default()
        };
        assert!(arrears(&e, &Person::default(), today()).unwrap().is_none());
    }
}
