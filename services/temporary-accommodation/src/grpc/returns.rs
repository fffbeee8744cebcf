//! H-CLIC and the management report over gRPC: the temporary accommodation team and
//! managers produce them.

use std::sync::Arc;

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::FieldViolations;
use housing_platform::returns::{Period, RunBy, list_page, run_proto};
use housing_platform::time::format_date;
use housing_proto::accommodation::v1::{self as pb, returns_service_server::ReturnsService};
use tonic::{Request, Response, Status};

use super::TA_STAFF;
use crate::ServiceSettings;
use crate::app::returns;

pub struct Returns {
    pub pool: Pool,
    pub settings: Arc<ServiceSettings>,
}

#[tonic::async_trait]
impl ReturnsService for Returns {
    async fn produce_hclic_return(
        &self,
        request: Request<pb::ProduceHclicReturnRequest>,
    ) -> Result<Response<pb::ProduceHclicReturnResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TA_STAFF)?;
        let r = request.get_ref();
        let mut violations = FieldViolations::new();
        if !(2000..=9999).contains(&r.year_ending) {
            violations.add("year_ending", "must be a year from 2000, such as 2027");
        }
        if !(1..=4).contains(&r.quarter) {
            violations.add(
                "quarter",
                "must be 1 (April to June) to 4 (January to March)",
            );
        }
        violations.into_result(())?;
        let (built, run) = returns::hclic(
            &self.pool,
            r.year_ending,
            r.quarter as u32,
            &self.settings.home_authority,
            &RunBy::from(&caller),
        )
        .await?;
        Ok(Response::new(pb::ProduceHclicReturnResponse {
            period_start: format_date(built.quarter.start),
            period_end: format_date(built.quarter.end),
            records_csv: built.records_csv(),
            records: built.records.len() as i64,
            tables_csv: built.tables_csv(),
            tables: built
                .figures()
                .into_iter()
                .map(|(table, line, figure)| pb::HclicFigure {
                    table,
                    line,
                    figure,
                })
                .collect(),
            problems: built
                .problems
                .iter()
                .map(|p| pb::HclicProblem {
                    placement_reference: p.reference.clone(),
                    field: p.field.to_owned(),
                    reason: p.reason.clone(),
                })
                .collect(),
            run: Some(run_proto(&run)),
        }))
    }

    async fn produce_management_report(
        &self,
        request: Request<pb::ProduceManagementReportRequest>,
    ) -> Result<Response<pb::ProduceManagementReportResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TA_STAFF)?;
        let r = request.get_ref();
        let period = Period::for_report(&r.period_start, &r.period_end)?;
        let (figures, csv, run) =
            returns::management_report(&self.pool, period, &RunBy::from(&caller)).await?;
        Ok(Response::new(pb::ProduceManagementReportResponse {
            period_start: format_date(period.start),
            period_end: format_date(period.end),
            figures,
            csv,
            run: Some(run_proto(&run)),
        }))
    }

    async fn list_return_runs(
        &self,
        request: Request<pb::ListReturnRunsRequest>,
    ) -> Result<Response<pb::ListReturnRunsResponse>, Status> {
        caller(&request)?.require(TA_STAFF)?;
        let r = request.get_ref();
        let (runs, next_page_token) =
            list_page(&self.pool, r.kind, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListReturnRunsResponse {
            runs,
            next_page_token,
        }))
    }
}
