//! Matching: placement requests, units ranked for them, and transfers proposed across
//! every placement.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::register::Register;
use housing_platform::time::today;
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response};

use super::{Reply, TA_STAFF, mapping};
use crate::app::vacancies::Vacancies;
use crate::app::{placements, portfolio};
use crate::domain::matching::rank;
use crate::domain::optimiser::DEFAULT_CANDIDATES;

pub(super) async fn create_placement_request(
    pool: &Pool,
    register: Option<&Register>,
    request: Request<pb::CreatePlacementRequestRequest>,
) -> Reply<pb::CreatePlacementRequestResponse> {
    let caller = caller(&request)?;
    caller.require(TA_STAFF)?;
    let r = request.into_inner();
    let record = mapping::placement_request(r.placement_request.as_ref(), register.is_some())?;
    let record = placements::create_request(
        pool,
        register,
        placements::NewRequest {
            request_id: &r.request_id,
            request: record,
            confirm_differences: r.confirm_differences,
            by: &caller.id,
        },
    )
    .await?;
    Ok(Response::new(pb::CreatePlacementRequestResponse {
        placement_request: Some(mapping::placement_request_proto(&record)),
    }))
}

pub(super) async fn rank_units(
    pool: &Pool,
    vacancies: &Vacancies,
    home_authority: &str,
    request: Request<pb::RankUnitsRequest>,
) -> Reply<pb::RankUnitsResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let r = request.into_inner();
    let id = uuid_field("placement_request_id", &r.placement_request_id)?;
    if !(0..=1000).contains(&r.page_size) {
        let mut v = FieldViolations::new();
        v.add("page_size", "must be between 0 and 1000");
        return Err(v.into_status());
    }
    let ranking = placements::ranking(pool, vacancies, id).await?;
    let on = ranking.request.needed_from.max(today());
    let need = &ranking.request.need;
    let (ranked, excluded) = rank(need, &ranking.stock.units, on, home_authority);
    let take = if r.page_size == 0 {
        20
    } else {
        r.page_size as usize
    };
    Ok(Response::new(pb::RankUnitsResponse {
        ranked: ranked
            .iter()
            .take(take)
            .map(|r| mapping::ranked_proto(r, need, home_authority))
            .collect(),
        excluded: excluded
            .iter()
            .map(|e| pb::ExcludedUnit {
                unit_id: e.unit.id.to_string(),
                reasons: e.reasons.clone(),
            })
            .collect(),
    }))
}

pub(super) async fn propose_transfers(
    pool: &Pool,
    home_authority: &str,
    request: Request<pb::ProposeTransfersRequest>,
) -> Reply<pb::ProposeTransfersResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let r = request.into_inner();
    if !(0..=200).contains(&r.candidates_per_household) {
        let mut v = FieldViolations::new();
        v.add("candidates_per_household", "must be between 0 and 200");
        return Err(v.into_status());
    }
    let per_household = match r.candidates_per_household {
        0 => DEFAULT_CANDIDATES,
        n => n as usize,
    };
    let proposal = portfolio::propose(pool, today(), home_authority, per_household).await?;
    Ok(Response::new(pb::ProposeTransfersResponse {
        transfers: proposal
            .transfers
            .iter()
            .map(|t| pb::ProposedTransfer {
                placement_id: t.placement_id.to_string(),
                from_unit_id: t.from_unit_id.to_string(),
                to_unit_id: t.to_unit_id.to_string(),
                points_before: t.points_before,
                points_after: t.points_after,
                parts_before: mapping::score_parts_proto(&t.before),
                parts_after: mapping::score_parts_proto(&t.after),
            })
            .collect(),
        total_points_now: proposal.total_now,
        total_points_proposed: proposal.total_proposed,
        total_points_greedy: proposal.total_greedy,
    }))
}
