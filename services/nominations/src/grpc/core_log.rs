//! CORE's lettings log over gRPC: the landlord's details with a letting, held to CORE's own
//! code lists when reported.

use housing_platform::errors::FieldViolations;
use housing_platform::postcode;
use housing_platform::time::parse_date;
use housing_proto::nominations::v1 as pb;

use crate::domain::core_log::letting::{
    BUILDING_TYPES, Details, FIRST_LET_REASONS, FIXED_TERM_TENANCIES, PREVIOUS_LET_TYPES,
    RENT_PERIODS, RENT_TYPES, SHORTFALL_ANSWERS, TENANCY_OTHER, TENANCY_TYPES, UNIT_TYPES,
    VACANCY_REASONS,
};

/// The landlord's details of a letting, every bad field named under `details.`.
pub fn letting_details(d: &pb::LettingDetails, v: &mut FieldViolations) -> Details {
    let mut code = |field: &str, value: i32, allowed: &[u16]| -> u16 {
        match u16::try_from(value).ok().filter(|c| allowed.contains(c)) {
            Some(c) => c,
            None => {
                v.add(
                    format!("details.{field}"),
                    format!("must be one of CORE's codes {}", list(allowed)),
                );
                0
            }
        }
    };
    let rent_type = code("rent_type", d.rent_type, RENT_TYPES);
    let vacancy_reason = code("vacancy_reason", d.vacancy_reason, VACANCY_REASONS);
    let unit_type = code("unit_type", d.unit_type, UNIT_TYPES);
    let building_type = code("building_type", d.building_type, BUILDING_TYPES);
    let tenancy_type = code("tenancy_type", d.tenancy_type, TENANCY_TYPES);
    let rent_period = code("rent_period", d.rent_period, RENT_PERIODS);
    let previous_let_type = (d.previous_let_type != 0)
        .then(|| code("previous_let_type", d.previous_let_type, PREVIOUS_LET_TYPES));
    let rent_shortfall = (d.rent_shortfall != 0)
        .then(|| code("rent_shortfall", d.rent_shortfall, SHORTFALL_ANSWERS));
    if previous_let_type.is_some() && FIRST_LET_REASONS.contains(&vacancy_reason) {
        v.add(
            "details.previous_let_type",
            "must be 0 for a first let, which had no previous let",
        );
    }
    let postcode = postcode::uk(&d.postcode)
        .map_err(|why| v.add("details.postcode", why))
        .unwrap_or_default();
    if !d.uprn.is_empty() && (d.uprn.len() > 12 || !d.uprn.bytes().all(|b| b.is_ascii_digit())) {
        v.add(
            "details.uprn",
            "must be 1 to 12 digits, or empty when not known",
        );
    }
    let major_repairs_on = (!d.major_repairs_on.is_empty())
        .then(|| parse_date(&d.major_repairs_on))
        .and_then(|r| r.map_err(|e| v.add("details.major_repairs_on", e)).ok());
    let tenancy_other = d.tenancy_other.trim();
    if (tenancy_type == TENANCY_OTHER) == tenancy_other.is_empty() {
        v.add(
            "details.tenancy_other",
            "must say what the tenancy is when its type is 3 (other), and only then",
        );
    }
    let tenancy_years = match u16::try_from(d.tenancy_years) {
        Ok(0) => None,
        Ok(years @ 1..=99) => Some(years),
        _ => {
            v.add(
                "details.tenancy_years",
                "must be 0 (not fixed term) or 1 to 99 years",
            );
            None
        }
    };
    if FIXED_TERM_TENANCIES.contains(&tenancy_type) && tenancy_years.is_none() {
        v.add(
            "details.tenancy_years",
            "is required for a fixed-term tenancy",
        );
    }
    for (field, pence) in [
        ("basic_rent_pence", d.basic_rent_pence),
        ("service_charge_pence", d.service_charge_pence),
        (
            "personal_service_charge_pence",
            d.personal_service_charge_pence,
        ),
        ("support_charge_pence", d.support_charge_pence),
        ("shortfall_pence", d.shortfall_pence),
    ] {
        if pence < 0 {
            v.add(format!("details.{field}"), "must not be negative");
        }
    }
    let shortfall_pence = (rent_shortfall == Some(1)).then_some(d.shortfall_pence);
    if rent_shortfall != Some(1) && d.shortfall_pence != 0 {
        v.add(
            "details.shortfall_pence",
            "is given only when some rent is left to pay (rent_shortfall 1)",
        );
    }
    Details {
        postcode,
        uprn: d.uprn.clone(),
        rent_type,
        vacancy_reason,
        previous_let_type,
        unit_type,
        building_type,
        major_repairs_on,
        joint_tenancy: d.joint_tenancy,
        starter_tenancy: d.starter_tenancy,
        tenancy_type,
        tenancy_other: tenancy_other.to_owned(),
        tenancy_years,
        rent_period,
        basic_rent_pence: d.basic_rent_pence,
        service_charge_pence: d.service_charge_pence,
        personal_service_charge_pence: d.personal_service_charge_pence,
        support_charge_pence: d.support_charge_pence,
        rent_shortfall,
        shortfall_pence,
        tenant_code: d.tenant_code.trim().to_owned(),
        property_reference: d.property_reference.trim().to_owned(),
        privacy_notice_seen: d.privacy_notice_seen,
    }
}

fn list(codes: &[u16]) -> String {
    codes
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
