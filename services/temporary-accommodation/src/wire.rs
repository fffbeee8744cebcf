//! The proto enums are the wire's words for the API and the events alike: each domain
//! enum's proto value, one table per enum, read both ways. The gRPC mapping and the events
//! the use cases publish share them, so the use cases need nothing from `grpc`.

use housing_proto::accommodation::v1 as pb;

use crate::domain::clocks::{S208Standing, UnitCompliance};
use crate::domain::placement::{
    ClosureReason, ClosureReviewStatus, Duty, PlacementStatus, RemovalStatus, S213aaConsent,
};
use crate::domain::unit::{CertificateKind, UnitType};

/// The domain value for a proto enum number, from a table of pairs.
pub fn from_proto<D: Copy, P: Copy + Into<i32>>(table: &[(D, P)], value: i32) -> Option<D> {
    table
        .iter()
        .find(|(_, p)| (*p).into() == value)
        .map(|(d, _)| *d)
}

/// The proto enum for a domain value; the tables cover every domain value.
pub fn to_proto<D: Copy + PartialEq + std::fmt::Debug, P: Copy>(table: &[(D, P)], value: D) -> P {
    table
        .iter()
        .find(|(d, _)| *d == value)
        .map(|(_, p)| *p)
        .unwrap_or_else(|| panic!("{value:?} has no proto value"))
}

pub const UNIT_TYPES: [(UnitType, pb::UnitType); 6] = [
    (UnitType::BedAndBreakfast, pb::UnitType::BedAndBreakfast),
    (
        UnitType::NightlyPaidSelfContained,
        pb::UnitType::NightlyPaidSelfContained,
    ),
    (UnitType::Hostel, pb::UnitType::Hostel),
    (
        UnitType::PrivateSectorLeased,
        pb::UnitType::PrivateSectorLeased,
    ),
    (
        UnitType::SocialHousingStock,
        pb::UnitType::SocialHousingStock,
    ),
    (UnitType::Other, pb::UnitType::Other),
];

pub fn unit_type_proto(t: UnitType) -> pb::UnitType {
    to_proto(&UNIT_TYPES, t)
}

pub const DUTIES: [(Duty, pb::DutyType); 2] = [
    (Duty::Interim, pb::DutyType::Interim),
    (Duty::Main, pb::DutyType::Main),
];

pub fn duty_proto(duty: Duty) -> pb::DutyType {
    to_proto(&DUTIES, duty)
}

pub const CERTIFICATE_KINDS: [(CertificateKind, pb::CertificateKind); 5] = [
    (CertificateKind::GasSafety, pb::CertificateKind::GasSafety),
    (CertificateKind::Electrical, pb::CertificateKind::Electrical),
    (
        CertificateKind::EnergyPerformance,
        pb::CertificateKind::EnergyPerformance,
    ),
    (CertificateKind::HmoLicence, pb::CertificateKind::HmoLicence),
    (
        CertificateKind::FireRiskAssessment,
        pb::CertificateKind::FireRiskAssessment,
    ),
];

pub fn certificate_kind_proto(kind: CertificateKind) -> pb::CertificateKind {
    to_proto(&CERTIFICATE_KINDS, kind)
}

pub const CLOSURE_REASONS: [(ClosureReason, pb::ClosureReason); 7] = [
    (
        ClosureReason::DutyDischargedFinalOfferAccepted,
        pb::ClosureReason::DutyDischargedFinalOfferAccepted,
    ),
    (
        ClosureReason::DutyDischargedFinalOfferRefused,
        pb::ClosureReason::DutyDischargedFinalOfferRefused,
    ),
    (
        ClosureReason::PrivateRentedOffer,
        pb::ClosureReason::PrivateRentedOffer,
    ),
    (
        ClosureReason::AbandonmentVerified,
        pb::ClosureReason::AbandonmentVerified,
    ),
    (
        ClosureReason::AntiSocialBehaviour,
        pb::ClosureReason::AntiSocialBehaviour,
    ),
    (ClosureReason::Arrears, pb::ClosureReason::Arrears),
    (ClosureReason::MovedOut, pb::ClosureReason::MovedOut),
];

pub fn closure_reason_proto(r: ClosureReason) -> pb::ClosureReason {
    to_proto(&CLOSURE_REASONS, r)
}

pub const UNIT_COMPLIANCES: [(UnitCompliance, pb::UnitCompliance); 3] = [
    (UnitCompliance::Expiring, pb::UnitCompliance::Expiring),
    (UnitCompliance::Lapsed, pb::UnitCompliance::Lapsed),
    (
        UnitCompliance::ExpiringOrLapsed,
        pb::UnitCompliance::ExpiringOrLapsed,
    ),
];

pub const S208_STANDINGS: [(S208Standing, pb::S208NoticeStanding); 2] = [
    (
        S208Standing::Outstanding,
        pb::S208NoticeStanding::Outstanding,
    ),
    (S208Standing::Overdue, pb::S208NoticeStanding::Overdue),
];

pub const PLACEMENT_STATUSES: [(PlacementStatus, pb::PlacementStatus); 3] = [
    (PlacementStatus::Offered, pb::PlacementStatus::Offered),
    (PlacementStatus::Active, pb::PlacementStatus::Active),
    (PlacementStatus::Closed, pb::PlacementStatus::Closed),
];

pub const REMOVAL_STATUSES: [(RemovalStatus, pb::RemovalStatus); 3] = [
    (
        RemovalStatus::AwaitingApproval,
        pb::RemovalStatus::AwaitingApproval,
    ),
    (RemovalStatus::Approved, pb::RemovalStatus::Approved),
    (RemovalStatus::Declined, pb::RemovalStatus::Declined),
];

pub const CLOSURE_REVIEW_STATUSES: [(ClosureReviewStatus, pb::ClosureReviewStatus); 3] = [
    (ClosureReviewStatus::Open, pb::ClosureReviewStatus::Open),
    (
        ClosureReviewStatus::PlacementKept,
        pb::ClosureReviewStatus::PlacementKept,
    ),
    (
        ClosureReviewStatus::PlacementClosed,
        pb::ClosureReviewStatus::PlacementClosed,
    ),
];

pub const S213AA_CONSENTS: [(S213aaConsent, pb::S213aaConsent); 3] = [
    (S213aaConsent::Pending, pb::S213aaConsent::Pending),
    (S213aaConsent::Given, pb::S213aaConsent::Given),
    (S213aaConsent::Refused, pb::S213aaConsent::Refused),
];
