//! Providers, their contacts and their agreements.

use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::format_date;
use housing_proto::accommodation::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::{MAX_PAGE_SIZE, PAGE_SIZE, from_proto, page_after, to_proto};
use crate::app::providers::ListProviders;
use crate::domain::provider::{Agreement, AgreementKind, Contact, Provider};

const AGREEMENT_KINDS: [(AgreementKind, pb::AgreementKind); 3] = [
    (AgreementKind::BlockBooking, pb::AgreementKind::BlockBooking),
    (AgreementKind::SpotPurchase, pb::AgreementKind::SpotPurchase),
    (AgreementKind::Lease, pb::AgreementKind::Lease),
];

/// An agreement as proposed: every bad field named.
pub fn agreement(a: Option<&pb::Agreement>) -> Result<Agreement, Status> {
    let mut v = FieldViolations::new();
    let a = a.cloned().unwrap_or_default();
    let kind = from_proto(&AGREEMENT_KINDS, a.kind).unwrap_or_else(|| {
        v.add("agreement.kind", "block booking, spot purchase or lease");
        AgreementKind::SpotPurchase
    });
    v.require(
        "agreement.reference",
        &a.reference,
        "the agreement's reference",
    );
    let starts_on = v.date("agreement.starts_on", &a.starts_on);
    let ends_on = v.date("agreement.ends_on", &a.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e <= s
    {
        v.add(
            "agreement.ends_on",
            format!("{e} is not after the start {s}"),
        );
    }
    v.into_result(Agreement {
        id: Uuid::nil(),
        kind,
        reference: a.reference.trim().to_owned(),
        starts_on: starts_on.unwrap_or_default(),
        ends_on: ends_on.unwrap_or_default(),
    })
}

impl TryFrom<pb::ListProvidersRequest> for ListProviders {
    type Error = Status;

    fn try_from(r: pb::ListProvidersRequest) -> Result<Self, Status> {
        let mut v = FieldViolations::new();
        let after = page_after(&r.page_token, &mut v);
        let name = r.name_contains.trim();
        v.into_result(ListProviders {
            name_contains: (!name.is_empty()).then(|| name.to_owned()),
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

/// A provider's contacts: each named, each reachable by email or phone.
pub fn contacts(contacts: &[pb::Contact], v: &mut FieldViolations) -> Vec<Contact> {
    for (i, c) in contacts.iter().enumerate() {
        v.require(&format!("contacts[{i}].name"), &c.name, "who to ask for");
        if c.email.trim().is_empty() && c.phone.trim().is_empty() {
            v.add(
                format!("contacts[{i}]"),
                "an email address or a phone number",
            );
        } else if !c.email.is_empty() && !c.email.contains('@') {
            v.add(format!("contacts[{i}].email"), "must be an email address");
        }
    }
    contacts
        .iter()
        .map(|c| Contact {
            name: c.name.trim().to_owned(),
            role: c.role.trim().to_owned(),
            email: c.email.trim().to_owned(),
            phone: c.phone.trim().to_owned(),
        })
        .collect()
}

pub fn provider_proto(p: &Provider) -> pb::Provider {
    pb::Provider {
        provider_id: p.id.to_string(),
        name: p.name.clone(),
        contact_email: p.contact_email.clone(),
        landlord: p.landlord,
        contacts: p
            .contacts
            .iter()
            .map(|c| pb::Contact {
                name: c.name.clone(),
                role: c.role.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
            })
            .collect(),
        agreements: p
            .agreements
            .iter()
            .map(|a| pb::Agreement {
                agreement_id: a.id.to_string(),
                kind: to_proto(&AGREEMENT_KINDS, a.kind) as i32,
                reference: a.reference.clone(),
                starts_on: format_date(a.starts_on),
                ends_on: format_date(a.ends_on),
            })
            .collect(),
    }
}
