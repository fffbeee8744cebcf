//! A unit's safety certificate verified in the documents service is the unit's certificate
//! renewed: issued the day it was verified, expiring when the document says. A unit kept
//! from matching by a lapse is offered again once all its certificates are current.

use chrono::DateTime;
use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::errors::AppError;
use housing_platform::time::{council_date, parse_date};
use housing_proto::documents::v1::{self as documents, EvidenceType, OwnerKind};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::app::stock::renew_certificate;
use crate::domain::unit::{Certificate, CertificateKind};

pub fn spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "accommodation-certificates",
        "documents",
        "housing.documents.certificate.verified.v1",
        crate::IDENTITY.area,
    )
}

pub struct CertificateVerified;

fn kind(evidence_type: i32) -> Option<CertificateKind> {
    match EvidenceType::try_from(evidence_type).ok()? {
        EvidenceType::GasSafetyCertificate => Some(CertificateKind::GasSafety),
        EvidenceType::ElectricalCertificate => Some(CertificateKind::Electrical),
        EvidenceType::EnergyPerformanceCertificate => Some(CertificateKind::EnergyPerformance),
        EvidenceType::HmoLicence => Some(CertificateKind::HmoLicence),
        EvidenceType::FireRiskAssessment => Some(CertificateKind::FireRiskAssessment),
        _ => None,
    }
}

impl Handler for CertificateVerified {
    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let Some(e) = event.decode_if::<documents::EvidenceVerified>()? else {
            return Ok(());
        };
        let (OwnerKind::Unit, Some(kind)) = (e.owner_kind(), kind(e.evidence_type)) else {
            return Ok(());
        };
        let unit_id = Uuid::parse_str(&e.owner_id).map_err(|_| {
            HandlingError::Reject(format!("owner_id {:?} is not a UUID", e.owner_id))
        })?;
        let expires_on = parse_date(&e.expires_on)
            .map_err(|why| HandlingError::Reject(format!("expires_on: {why}")))?;
        let verified_at = e
            .verified_at
            .and_then(|t| DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32))
            .unwrap_or(event.time);
        let issued_on = council_date(verified_at);
        if expires_on <= issued_on {
            // Verified already expired: nothing to renew with.
            return Ok(());
        }
        // A redelivered or late report of an older certificate leaves a newer one in place.
        let current = crate::db::stock::find_unit(conn, unit_id).await?;
        if current
            .iter()
            .flat_map(|u| &u.certificates)
            .any(|c| c.kind == kind && c.expires_on >= expires_on)
        {
            return Ok(());
        }
        let certificate = Certificate {
            kind,
            issued_on,
            expires_on,
        };
        match renew_certificate(conn, unit_id, &certificate, &e.verified_by).await {
            // A unit this service does not hold, or one withdrawn, keeps no certificates.
            Ok(_) | Err(AppError::NotFound { .. } | AppError::FailedPrecondition(_)) => Ok(()),
            Err(other) => Err(other.into()),
        }
    }
}
