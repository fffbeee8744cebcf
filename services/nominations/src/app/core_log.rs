//! Putting a letting's CORE log right: the landlord's details replaced, and the household
//! read again from the register, where an officer corrects its answers.

use housing_platform::db::Pool;
use housing_platform::errors::AppError;
use uuid::Uuid;

use super::register::{Register, core_household};
use crate::db::{lettings, nominations, returns as store};
use crate::domain::core_log::Row;
use crate::domain::core_log::build::{self, Council, Letting};
use crate::domain::core_log::letting::Details;
use crate::domain::core_log::validate::{self, Failure, Owner};

/// The letting's application reference and its log's failures once corrected.
pub async fn correct(
    pool: &Pool,
    register: &Register,
    letting_id: Uuid,
    details: Option<Details>,
    council: &Council,
) -> Result<(String, Vec<Failure>), AppError> {
    let mut conn = pool.acquire().await?;
    let (nomination_id, application_id) = lettings::parties(&mut conn, letting_id)
        .await?
        .ok_or_else(|| AppError::not_found("letting", letting_id))?;
    drop(conn);
    // Read before the transaction: no lock is held across a network call.
    let application = register.application(application_id).await?.ok_or_else(|| {
        AppError::FailedPrecondition(format!(
            "the register no longer holds application {application_id}"
        ))
    })?;
    let household = core_household(&application)?;
    let mut tx = pool.begin().await?;
    nominations::keep_core_household(&mut tx, nomination_id, &household).await?;
    if let Some(details) = details {
        lettings::set_core_details(&mut tx, letting_id, &details).await?;
    }
    let l = store::letting_of_nomination(&mut tx, nomination_id)
        .await?
        .ok_or_else(|| AppError::not_found("letting", letting_id))?;
    tx.commit().await?;
    let owner = if l.council_stock {
        Owner::LocalAuthority
    } else {
        Owner::PrivateRegisteredProvider
    };
    let row = log_row(&l, owner, council);
    let failures = validate::check(&row, owner)
        .into_iter()
        // A housing association's own details are its to give in its own log.
        .filter(|f| owner == Owner::LocalAuthority || build::is_household_field(f.field))
        .collect();
    Ok((l.application_reference, failures))
}

/// A letting's log as its row, from what the service recorded.
pub(super) fn log_row(l: &store::LoggedLetting, owner: Owner, council: &Council) -> Row {
    build::row(
        &Letting {
            tenancy_start: l.tenancy_start_date,
            void_start: l.void_start,
            bedrooms: l.bedrooms,
            property_type: &l.property_type,
            wheelchair_accessible: l.wheelchair_accessible,
            address: &l.address,
            choice_based: l.choice_based,
        },
        l.core_household.as_deref(),
        l.core_details.as_deref(),
        owner,
        council,
    )
}
