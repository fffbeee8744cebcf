//! Removals and storage of a placed household's belongings, asked for by a TA officer.

use housing_platform::money::Pence;
use housing_proto::accommodation::v1::{self as ta, RemovalKind};

use super::{Item, Kind};
use crate::format;
use crate::web::people::People;

pub(super) fn removal_item(removal: ta::Removal, people: &People) -> Item {
    let kind = match RemovalKind::try_from(removal.kind) {
        Ok(RemovalKind::Storage) => "Storage of belongings",
        _ => "Removal of belongings",
    };
    Item {
        kind: Kind::Removals.slug(),
        what: kind.to_owned(),
        detail: format!(
            "{}, reference {}",
            removal.supplier_name, removal.supplier_reference
        ),
        link: None,
        review: None,
        asked_label: "Asked by",
        amount: Pence::new(removal.amount_pence).to_string(),
        asked_by: crate::web::sentence(&people.who(&removal.requested_by)),
        asked_at: format::timestamp(removal.requested_at.as_ref()),
        id: removal.removal_id,
    }
}

/// Asks the accommodation service to approve or decline the removal: its refusal, if any.
pub(super) async fn decide(
    state: &crate::web::State,
    officer: &crate::session::Officer,
    removal_id: String,
    approve: bool,
    reason: String,
) -> Result<Result<(), tonic::Status>, crate::web::PageError> {
    let mut client = state.accommodation(officer, super::PATH).await?;
    Ok(if approve {
        client
            .approve_removal(ta::ApproveRemovalRequest { removal_id })
            .await
            .map(drop)
    } else {
        client
            .decline_removal(ta::DeclineRemovalRequest { removal_id, reason })
            .await
            .map(drop)
    })
}
