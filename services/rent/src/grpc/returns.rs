//! Rent's reports over gRPC: income officers and managers produce them.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::returns::{Period, RunBy, list_page, run_proto};
use housing_platform::time::format_date;
use housing_proto::rent::v1::{self as pb, returns_service_server::ReturnsService};
use tonic::{Request, Response};

use super::{INCOME, Reply};
use crate::app::returns;

pub struct Returns {
    pub pool: Pool,
}

#[tonic::async_trait]
impl ReturnsService for Returns {
    async fn produce_management_report(
        &self,
        request: Request<pb::ProduceManagementReportRequest>,
    ) -> Reply<pb::ProduceManagementReportResponse> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
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
    ) -> Reply<pb::ListReturnRunsResponse> {
        caller(&request)?.require(INCOME)?;
        let r = request.get_ref();
        let (runs, next_page_token) =
            list_page(&self.pool, r.kind, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListReturnRunsResponse {
            runs,
            next_page_token,
        }))
    }
}
