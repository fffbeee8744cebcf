//! Income figures.

use housing_platform::auth::{Role, caller};
use housing_platform::db::Pool;
use housing_platform::errors::from_sqlx;
use housing_proto::rent::v1 as pb;
use tonic::{Request, Response};

use super::{Reply, mapping};
use crate::db::figures;
use crate::domain::charges::collection_rate_basis_points;

pub(super) async fn get_income_figures(
    pool: &Pool,
    request: Request<pb::GetIncomeFiguresRequest>,
) -> Reply<pb::GetIncomeFiguresResponse> {
    caller(&request)?.require(&[Role::IncomeOfficer, Role::Manager])?;
    let (from, to) = mapping::figures(request.get_ref())?;
    let mut conn = pool.acquire().await.map_err(from_sqlx)?;
    let (charged, collected) = figures::charged_and_collected(&mut conn, from, to)
        .await
        .map_err(from_sqlx)?;
    let stages = figures::arrears_by_stage(&mut conn)
        .await
        .map_err(from_sqlx)?;
    Ok(Response::new(pb::GetIncomeFiguresResponse {
        charged_pence: charged.get(),
        collected_pence: collected.get(),
        collection_rate_basis_points: collection_rate_basis_points(charged, collected),
        arrears_by_stage: stages
            .into_iter()
            .map(|(stage, accounts, balance_pence)| pb::StageFigure {
                stage,
                accounts,
                balance_pence,
            })
            .collect(),
    }))
}
