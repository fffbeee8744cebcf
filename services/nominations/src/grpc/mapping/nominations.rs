//! Nominations as officers make them, and as the council and the partner each see them.

use housing_platform::errors::FieldViolations;
use housing_platform::time::{self, format_date, timestamp};
use housing_proto::nominations::v1 as pb;
use tonic::Status;

use crate::app::nominations::Offer;
use crate::db::nominations::Nomination;
use crate::domain::household::{
    Access, Household, MAX_SHARED, MAX_SHARED_CHARS, Relationship, Shared,
};
use crate::domain::nomination::Status as NominationStatus;

pub fn nomination_status_proto(status: NominationStatus) -> pb::NominationStatus {
    match status {
        NominationStatus::Pending => pb::NominationStatus::Pending,
        NominationStatus::Accepted => pb::NominationStatus::Accepted,
        NominationStatus::Rejected => pb::NominationStatus::Rejected,
        NominationStatus::Let => pb::NominationStatus::Let,
        NominationStatus::Withdrawn => pb::NominationStatus::Withdrawn,
        NominationStatus::Refused => pb::NominationStatus::Refused,
    }
}

impl TryFrom<&pb::CreateNominationRequest> for Offer {
    type Error = Status;

    fn try_from(r: &pb::CreateNominationRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let vacancy = v.uuid("vacancy_id", &r.vacancy_id);
        let application = v.uuid("application_id", &r.application_id);
        let kind = match pb::OfferKind::try_from(r.offer_kind) {
            Ok(pb::OfferKind::Unspecified | pb::OfferKind::Nomination) => Some("nomination"),
            Ok(pb::OfferKind::HomelessFinalOffer) => Some("homeless_final_offer"),
            Ok(pb::OfferKind::Decant) => Some("decant"),
            Ok(pb::OfferKind::Urgent) => Some("urgent"),
            Err(_) => {
                v.add("offer_kind", format!("unknown value {}", r.offer_kind));
                None
            }
        };
        let mobility_scheme = if r.mobility_scheme_id.is_empty() {
            None
        } else {
            v.uuid("mobility_scheme_id", &r.mobility_scheme_id)
        };
        let shared = shared(r.shared.as_ref(), &mut v);
        match (vacancy, application, kind) {
            (Some(vacancy_id), Some(application_id), Some(kind)) if v.is_empty() => Ok(Offer {
                vacancy_id,
                application_id,
                kind,
                mobility_scheme,
                shared,
            }),
            _ => Err(v.into_status()),
        }
    }
}

/// Support needs and risks for the partner: each said in words, within bounds, and only
/// with the applicant's agreement.
fn shared(s: Option<&pb::SharedWithPartner>, v: &mut FieldViolations) -> Shared {
    let Some(s) = s else {
        return Shared::default();
    };
    let mut items = |field: &str, given: &[String]| -> Vec<String> {
        if given.len() > MAX_SHARED {
            v.add(format!("shared.{field}"), format!("at most {MAX_SHARED}"));
        }
        given
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let item = item.trim();
                if item.is_empty() {
                    v.add(format!("shared.{field}[{i}]"), "must not be blank");
                } else if item.chars().count() > MAX_SHARED_CHARS {
                    v.add(
                        format!("shared.{field}[{i}]"),
                        format!("at most {MAX_SHARED_CHARS} characters"),
                    );
                }
                (!item.is_empty()).then(|| item.to_owned())
            })
            .collect()
    };
    let support_needs = items("support_needs", &s.support_needs);
    let risks = items("risks", &s.risks);
    let anything_shared = !support_needs.is_empty() || !risks.is_empty();
    if anything_shared && !s.applicant_agreed {
        v.add(
            "shared.applicant_agreed",
            "the applicant must agree before support needs or risks are shared with the landlord",
        );
    }
    Shared {
        support_needs,
        risks,
        applicant_agreed: s.applicant_agreed,
    }
}

/// A nomination as the partner sees it: what it needs to make an offer, and no more. The
/// register's id for the application, the band and the nominating officer stay with the
/// council.
pub fn partner_nomination_proto(n: &Nomination) -> pb::Nomination {
    pb::Nomination {
        application_id: String::new(),
        band: String::new(),
        nominated_by: String::new(),
        ..nomination_proto(n)
    }
}

fn household_proto(h: &Household) -> pb::NominatedHousehold {
    use pb::{AccessNeed as A, OccupantRelationship as R};
    pb::NominatedHousehold {
        lead_name: h.lead_name.clone(),
        occupants: h
            .occupants
            .iter()
            .map(|o| pb::Occupant {
                relationship: match o.relationship {
                    Relationship::LeadApplicant => R::LeadApplicant,
                    Relationship::Partner => R::Partner,
                    Relationship::Child => R::Child,
                    Relationship::OtherRelative => R::OtherRelative,
                    Relationship::Other => R::Other,
                } as i32,
                age: i32::try_from(o.age).unwrap_or(i32::MAX),
            })
            .collect(),
        bedrooms_needed: h.bedrooms_needed,
        access_need: match h.access {
            Access::Unknown => A::Unspecified,
            Access::GeneralNeeds => A::GeneralNeeds,
            Access::StepFree => A::StepFree,
            Access::WheelchairPartial => A::WheelchairPartial,
            Access::WheelchairThroughout => A::WheelchairThroughout,
        } as i32,
        support_needs: h.shared.support_needs.clone(),
        risks: h.shared.risks.clone(),
        applicant_agreed_to_share: h.shared.applicant_agreed,
    }
}

pub fn nomination_proto(n: &Nomination) -> pb::Nomination {
    pb::Nomination {
        nomination_id: n.id.to_string(),
        vacancy_id: n.vacancy_id.to_string(),
        partner_id: n.partner_id.to_string(),
        application_id: n.application_id.to_string(),
        application_reference: n.application_reference.clone(),
        band: n.band.clone(),
        status: NominationStatus::parse(&n.status)
            .map_or(pb::NominationStatus::Unspecified, nomination_status_proto)
            as i32,
        respond_by: format_date(n.respond_by),
        rejection_reason: n.rejection_reason.clone().unwrap_or_default(),
        nominated_by: n.nominated_by.clone(),
        nominated_at: Some(timestamp(n.nominated_at)),
        offer_kind: match n.offer_kind.as_str() {
            "homeless_final_offer" => pb::OfferKind::HomelessFinalOffer,
            "decant" => pb::OfferKind::Decant,
            "urgent" => pb::OfferKind::Urgent,
            _ => pb::OfferKind::Nomination,
        } as i32,
        offered_on: time::format_optional_date(n.offered_on),
        viewed_on: time::format_optional_date(n.viewed_on),
        viewing_notes: n.viewing_notes.clone().unwrap_or_default(),
        household: n.household.as_ref().map(|h| household_proto(h)),
    }
}
