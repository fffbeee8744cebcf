//! Returns over gRPC: the lettings team and managers produce them.

use std::sync::Arc;

use housing_platform::auth::{Role, caller};
use housing_platform::db::Pool;
use housing_platform::errors::FieldViolations;
use housing_platform::returns::{RunBy, list_page, run_proto};
use housing_platform::time::format_date;
use housing_proto::nominations::v1::{self as pb, returns_service_server::ReturnsService};
use tonic::{Request, Response, Status};
use uuid::Uuid;

use crate::app::register::Register;
use crate::app::returns;
use crate::domain::core_log::build::Council;
use crate::domain::core_log::validate::{Failure, question};

const RETURNS_STAFF: &[Role] = &[Role::AllocationsOfficer, Role::SeniorOfficer, Role::Manager];

pub struct Returns {
    pub pool: Pool,
    /// Asked for a household's answers again when a log is corrected.
    pub register: Register,
    pub council: Arc<Council>,
}

#[tonic::async_trait]
impl ReturnsService for Returns {
    async fn produce_core_lettings_log(
        &self,
        request: Request<pb::ProduceCoreLettingsLogRequest>,
    ) -> Result<Response<pb::ProduceCoreLettingsLogResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(RETURNS_STAFF)?;
        let year_ending = request.get_ref().year_ending;
        if !(2000..=9999).contains(&year_ending) {
            let mut v = FieldViolations::new();
            v.add("year_ending", "must be a year from 2000, such as 2027");
            return Err(v.into_status());
        }
        let (log, run) = returns::core_lettings_log(
            &self.pool,
            year_ending,
            &self.council,
            &RunBy::from(&caller),
        )
        .await?;
        Ok(Response::new(pb::ProduceCoreLettingsLogResponse {
            period_start: format_date(log.period.start),
            period_end: format_date(log.period.end),
            csv: log.csv,
            logs: log.logs,
            withheld: log.withheld,
            problems: log
                .problems
                .into_iter()
                .map(|p| problem(p.letting_id, &p.application_reference, p.failure))
                .collect(),
            run: Some(run_proto(&run)),
        }))
    }

    async fn produce_management_report(
        &self,
        request: Request<pb::ProduceManagementReportRequest>,
    ) -> Result<Response<pb::ProduceManagementReportResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(RETURNS_STAFF)?;
        let r = request.get_ref();
        let period = housing_platform::returns::Period::for_report(&r.period_start, &r.period_end)?;
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

    async fn correct_letting_log(
        &self,
        request: Request<pb::CorrectLettingLogRequest>,
    ) -> Result<Response<pb::CorrectLettingLogResponse>, Status> {
        caller(&request)?.require(RETURNS_STAFF)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let letting_id = v.uuid("letting_id", &r.letting_id);
        let details = r
            .details
            .as_ref()
            .map(|d| super::core_log::letting_details(d, &mut v));
        let letting_id = v.into_result(letting_id.unwrap_or_default())?;
        let (reference, failures) = crate::app::core_log::correct(
            &self.pool,
            &self.register,
            letting_id,
            details,
            &self.council,
        )
        .await?;
        Ok(Response::new(pb::CorrectLettingLogResponse {
            problems: failures
                .into_iter()
                .map(|failure| problem(letting_id, &reference, failure))
                .collect(),
        }))
    }

    async fn list_return_runs(
        &self,
        request: Request<pb::ListReturnRunsRequest>,
    ) -> Result<Response<pb::ListReturnRunsResponse>, Status> {
        caller(&request)?.require(RETURNS_STAFF)?;
        let r = request.get_ref();
        let (runs, next_page_token) =
            list_page(&self.pool, r.kind, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListReturnRunsResponse {
            runs,
            next_page_token,
        }))
    }
}

fn problem(letting_id: Uuid, reference: &str, failure: Failure) -> pb::CoreLogProblem {
    pb::CoreLogProblem {
        letting_id: letting_id.to_string(),
        application_reference: reference.to_owned(),
        field: failure.field as i32,
        question: question(failure.field).to_owned(),
        confirmable: !failure.is_error(),
        message: failure.message,
    }
}
