//! Approvals from temporary accommodation and nominations become payables.

use housing_events::{ConsumerSpec, Handler, HandlingError, ReceivedEvent};
use housing_platform::money::Pence;
use housing_proto::accommodation::v1 as accommodation;
use housing_proto::nominations::v1 as nominations;
use prost::Name;
use sqlx::PgConnection;

use crate::app::payables::{Approval, Kind, book};

pub fn accommodation_spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "rent-accommodation-payables",
        "accommodation",
        "housing.accommodation.>",
        crate::IDENTITY.area,
    )
}

pub fn nominations_spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "rent-nominations-payables",
        "nominations",
        "housing.nominations.incentive.>",
        crate::IDENTITY.area,
    )
}

pub fn decants_spec() -> ConsumerSpec {
    ConsumerSpec::new(
        "rent-nominations-decants",
        "nominations",
        "housing.nominations.decant.>",
        crate::IDENTITY.area,
    )
}

pub struct Payables;

impl Handler for Payables {
    /// Only approvals: the rest of temporary accommodation's events pass without a
    /// transaction.
    fn wants(&self, ce_type: &str) -> bool {
        [
            accommodation::InvoiceApproved::full_name(),
            accommodation::RemovalApproved::full_name(),
            nominations::IncentiveApproved::full_name(),
            nominations::DecantPaymentsApproved::full_name(),
        ]
        .iter()
        .any(|wanted| wanted == ce_type)
    }

    async fn handle(
        &self,
        conn: &mut PgConnection,
        event: &ReceivedEvent,
    ) -> Result<(), HandlingError> {
        let approved_on = housing_platform::time::council_date(event.time);
        let approval = if let Some(i) = event.decode_if::<accommodation::InvoiceApproved>()? {
            let reference = format!(
                "invoice {} ({} to {})",
                i.provider_reference, i.period_start, i.period_end
            );
            Some((
                Kind::NightlyPaidInvoice,
                i.provider_name,
                reference,
                Pence::new(i.amount_pence),
                i.approved_by,
            ))
        } else if let Some(r) = event.decode_if::<accommodation::RemovalApproved>()? {
            let reference = format!(
                "removal {} for placement {}",
                r.supplier_reference, r.placement_id
            );
            Some((
                Kind::RemovalsAndStorage,
                r.supplier_name,
                reference,
                Pence::new(r.amount_pence),
                r.approved_by,
            ))
        } else if let Some(m) = event.decode_if::<nominations::IncentiveApproved>()? {
            let reference = format!(
                "move {}: {} bedroom(s) released",
                m.move_id, m.bedrooms_released
            );
            Some((
                Kind::MobilityIncentive,
                m.payee_name,
                reference,
                Pence::new(m.amount_pence),
                m.approved_by,
            ))
        } else if let Some(d) = event.decode_if::<nominations::DecantPaymentsApproved>()? {
            let reference = format!(
                "decant {} ({}): home loss {} pence, disturbance {} pence",
                d.decant_id, d.scheme, d.home_loss_pence, d.disturbance_pence
            );
            let total = Pence::new(d.home_loss_pence)
                .checked_add(Pence::new(d.disturbance_pence))
                .map_err(|_| {
                    HandlingError::Reject(format!("decant {}'s payments overflow", d.decant_id))
                })?;
            Some((
                Kind::DecantPayment,
                d.payee_name,
                reference,
                total,
                d.approved_by,
            ))
        } else {
            None
        };
        let Some((kind, payee, reference, amount, approved_by)) = approval else {
            return Ok(());
        };
        if payee.trim().is_empty() {
            return Err(HandlingError::Reject("an approval without a payee".into()));
        }
        let approval = Approval {
            event_id: event.id,
            kind,
            payee: payee.trim(),
            reference: &reference,
            amount,
            approved_by: &approved_by,
            approved_on,
        };
        book(conn, &approval).await?;
        Ok(())
    }
}
