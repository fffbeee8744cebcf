//! Figures across every placement.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::date_field;
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response};

use super::{READ, Reply};
use crate::app::portfolio;
use crate::wire::unit_type_proto;

pub(super) async fn get_figures(
    pool: &Pool,
    home_authority: &str,
    request: Request<pb::GetFiguresRequest>,
) -> Reply<pb::GetFiguresResponse> {
    caller(&request)?.require(READ)?;
    let on = match request.get_ref().on.as_str() {
        "" => today(),
        on => date_field("on", on)?,
    };
    let figures = portfolio::figures(pool, on, home_authority).await?;
    Ok(Response::new(pb::GetFiguresResponse {
        on: format_date(on),
        by_unit_type: figures
            .by_unit_type
            .iter()
            .map(|(t, n)| pb::PlacementsOfType {
                unit_type: unit_type_proto(*t) as i32,
                placements: *n as i32,
            })
            .collect(),
        families_in_bed_and_breakfast_over_six_weeks: figures.families_in_bnb_over_six_weeks as i32,
        out_of_district: figures.out_of_district as i32,
        csv: portfolio::csv(&figures),
    }))
}
