//! Partners' agreements.

use housing_platform::errors::FieldViolations;
use housing_proto::nominations::v1 as pb;
use tonic::Status;

use crate::app::partners::PartnerUpdate;
use crate::db::partners::Partner;

/// A partner's agreement as a manager changes it: every bad field named.
pub fn partner_update(r: &pb::UpdatePartnerRequest) -> Result<PartnerUpdate, Status> {
    let mut v = FieldViolations::new();
    let id = v.uuid("partner_id", &r.partner_id);
    v.require("name", &r.name, "the partner's name");
    if !(1..=60).contains(&r.response_days) {
        v.add("response_days", "must be 1 to 60 working days");
    }
    let Some(id) = id else {
        return Err(v.into_status());
    };
    v.into_result(PartnerUpdate {
        id,
        name: r.name.trim().to_owned(),
        response_days: r.response_days,
        nomination_share_percent: r.nomination_share_percent,
    })
}

pub fn partner_proto(p: &Partner) -> pb::Partner {
    pb::Partner {
        partner_id: p.id.to_string(),
        name: p.name.clone(),
        response_days: p.response_days,
        nomination_share_percent: p.nomination_share_percent,
        council_stock: p.council_stock,
    }
}
