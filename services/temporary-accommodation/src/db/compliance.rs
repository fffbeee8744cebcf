//! Certificates coming up to expiry or lapsed, each announced once per expiry date.

use chrono::NaiveDate;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::stock::parse_enum;
use crate::domain::clocks::certificate_warned_until;
use crate::domain::unit::CertificateKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDue {
    pub unit_id: Uuid,
    pub kind: CertificateKind,
    pub expires_on: NaiveDate,
    /// The placement in the unit, for a lapse.
    pub placement_id: Option<Uuid>,
}

/// Certificates that expire within the warning window (`lapsed` false) or have expired
/// (`lapsed` true) on `on`, not announced before; recorded as announced.
pub async fn newly_due(
    conn: &mut PgConnection,
    on: NaiveDate,
    lapsed: bool,
) -> Result<Vec<CertificateDue>, sqlx::Error> {
    let notice = if lapsed {
        "compliance_lapsed"
    } else {
        "compliance_warning"
    };
    let rows = sqlx::query(
        "WITH due AS (
             SELECT unit_id, kind, expires_on FROM certificates
             WHERE CASE WHEN $3 THEN expires_on < $1 ELSE expires_on >= $1 AND expires_on <= $4 END),
         noted AS (
             INSERT INTO notices (subject_id, notice, about, sent_on)
             SELECT unit_id, $2 || '.' || kind, expires_on, $1 FROM due
             ON CONFLICT DO NOTHING RETURNING subject_id, notice, about)
         SELECT noted.subject_id AS unit_id, split_part(noted.notice, '.', 2) AS kind, noted.about AS expires_on,
                p.id AS placement_id
         FROM noted LEFT JOIN placements p ON p.unit_id = noted.subject_id AND p.status <> 'closed'
         ORDER BY 1, 2",
    )
    .bind(on)
    .bind(notice)
    .bind(lapsed)
    .bind(certificate_warned_until(on))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CertificateDue {
                unit_id: r.try_get("unit_id")?,
                kind: parse_enum(r.try_get("kind")?)?,
                expires_on: r.try_get("expires_on")?,
                placement_id: r.try_get("placement_id")?,
            })
        })
        .collect()
}
