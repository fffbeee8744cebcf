//! Write-offs of rent arrears, asked for by an income officer.

use housing_platform::money::Pence;
use housing_proto::rent::v1::{self as rent, WriteOffDecision};

use super::{Item, Kind};
use crate::format;
use crate::web::people::People;

/// A reason as a sentence, ending with a full stop.
fn full_stop(reason: &str) -> String {
    let reason = reason.trim();
    if reason.ends_with(['.', '!', '?']) {
        reason.to_owned()
    } else {
        format!("{reason}.")
    }
}

pub(super) fn write_off_item(write_off: rent::WriteOff, people: &People) -> Item {
    Item {
        kind: Kind::WriteOffs.slug(),
        what: format!("Write off arrears on {}", write_off.payment_reference),
        detail: format!(
            "{} The account stands at {}.",
            full_stop(&write_off.reason),
            crate::web::income::balance_words(write_off.account_balance_pence).to_lowercase()
        ),
        link: Some((
            format!("/income/accounts/{}", write_off.account_id),
            format!("View the account {}", write_off.payment_reference),
        )),
        review: None,
        asked_label: "Asked by",
        amount: Pence::new(write_off.amount_pence).to_string(),
        asked_by: crate::web::sentence(&people.who(&write_off.requested_by)),
        asked_at: format::timestamp(write_off.requested_at.as_ref()),
        id: write_off.write_off_id,
    }
}

/// Asks the rent service to approve or decline the write-off: its refusal, if any.
pub(super) async fn decide(
    state: &crate::web::State,
    officer: &crate::session::Officer,
    write_off_id: String,
    approve: bool,
    reason: String,
) -> Result<Result<(), tonic::Status>, crate::web::PageError> {
    let decision = if approve {
        WriteOffDecision::Approve
    } else {
        WriteOffDecision::Decline
    };
    Ok(state
        .rent(officer, super::PATH)
        .await?
        .decide_write_off(rent::DecideWriteOffRequest {
            write_off_id,
            decision: decision as i32,
            reason,
        })
        .await
        .map(drop))
}
