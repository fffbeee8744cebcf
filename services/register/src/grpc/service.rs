use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use housing_platform::auth::{Role, caller};
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::paging;
use housing_proto::register::v1::{self as pb, register_service_server::RegisterService};
use sqlx::PgPool;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::mapping;
use crate::app::applications;
use crate::db::applications::Search;
use crate::domain::scheme::Scheme;

pub struct Register {
    pub pool: PgPool,
    pub scheme: Arc<Scheme>,
}

const TAKE_IN: &[Role] = &[
    Role::RegisterAssistant,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::Manager,
];
const READ: &[Role] = &[
    Role::RegisterAssistant,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::Manager,
    Role::TaOfficer,
    Role::Service,
];
const SHORTLIST: &[Role] = &[
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::Manager,
    Role::Service,
];
const MAX_PAGE: i32 = 500;

#[tonic::async_trait]
impl RegisterService for Register {
    async fn submit_application(
        &self,
        request: Request<pb::SubmitApplicationRequest>,
    ) -> Result<Response<pb::SubmitApplicationResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TAKE_IN)?;
        let request = request.into_inner();
        let submission =
            mapping::submission(&request, &self.scheme, housing_platform::time::today())?;
        let record = applications::submit(
            &self.pool,
            &self.scheme,
            &caller.id,
            &request.request_id,
            submission,
        )
        .await?;
        Ok(Response::new(pb::SubmitApplicationResponse {
            application: Some(mapping::application(&record)),
        }))
    }

    async fn get_application(
        &self,
        request: Request<pb::GetApplicationRequest>,
    ) -> Result<Response<pb::GetApplicationResponse>, Status> {
        caller(&request)?.require(READ)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let record = applications::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetApplicationResponse {
            application: Some(mapping::application(&record)),
        }))
    }

    async fn list_shortlist(
        &self,
        request: Request<pb::ListShortlistRequest>,
    ) -> Result<Response<pb::ListShortlistResponse>, Status> {
        caller(&request)?.require(SHORTLIST)?;
        let request = request.into_inner();
        let mut violations = FieldViolations::new();
        if request.bedrooms < 1 {
            violations.add("bedrooms", "must be at least 1");
        }
        if !request.area.is_empty() && !self.scheme.knows_area(&request.area) {
            violations.add("area", format!("unknown area {:?}", request.area));
        }
        if !(0..=MAX_PAGE).contains(&request.page_size) {
            violations.add("page_size", format!("must be between 0 and {MAX_PAGE}"));
        }
        let offset = match decode_token(&request.page_token) {
            Ok(offset) => offset,
            Err(e) => {
                violations.add("page_token", e);
                0
            }
        };
        violations.into_result(())?;
        let limit = if request.page_size == 0 {
            50
        } else {
            request.page_size
        } as i64;
        let rows = applications::shortlist(
            &self.pool,
            request.bedrooms as u32,
            &request.area,
            offset,
            limit + 1,
        )
        .await?;
        let more = rows.len() as i64 > limit;
        let entries = rows
            .iter()
            .take(limit as usize)
            .map(mapping::shortlist_entry)
            .collect();
        let next_page_token = if more {
            URL_SAFE_NO_PAD.encode((offset + limit).to_string())
        } else {
            String::new()
        };
        Ok(Response::new(pb::ListShortlistResponse {
            entries,
            next_page_token,
        }))
    }

    async fn change_application_status(
        &self,
        request: Request<pb::ChangeApplicationStatusRequest>,
    ) -> Result<Response<pb::ChangeApplicationStatusResponse>, Status> {
        let caller = caller(&request)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let id = Uuid::parse_str(&r.application_id)
            .map_err(|_| v.add("application_id", "must be a UUID"))
            .ok();
        let to = mapping::status_from_proto(r.status);
        if to.is_none() {
            v.add("status", "required: the status to move to");
        }
        if r.reason.trim().is_empty() {
            v.add("reason", "required: why the status changes");
        }
        let (Some(id), Some(to)) = (id, to) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        caller.require(roles_to_move_to(to))?;
        let record =
            applications::change_status(&self.pool, id, to, r.reason.trim(), &caller.id).await?;
        Ok(Response::new(pb::ChangeApplicationStatusResponse {
            application: Some(mapping::application(&record)),
        }))
    }

    async fn explain_assessment(
        &self,
        request: Request<pb::ExplainAssessmentRequest>,
    ) -> Result<Response<pb::ExplainAssessmentResponse>, Status> {
        caller(&request)?.require(READ)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let assessments = applications::assessments(&self.pool, id).await?;
        Ok(Response::new(pb::ExplainAssessmentResponse {
            assessments: assessments.iter().map(mapping::assessment_proto).collect(),
        }))
    }

    async fn search_applications(
        &self,
        request: Request<pb::SearchApplicationsRequest>,
    ) -> Result<Response<pb::SearchApplicationsResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let search = Search {
            reference: non_empty(&r.reference).map(|s| s.to_uppercase()),
            family_name_prefix: non_empty(&r.family_name),
            postcode: non_empty(&r.postcode).map(|s| s.to_uppercase()),
            status: mapping::status_from_proto(r.status),
            band: non_empty(&r.band),
        };
        let after = paging::decode(&r.page_token)?;
        let limit = paging::size(r.page_size, 50, MAX_PAGE as i64);
        let rows = applications::search(&self.pool, &search, after, limit).await?;
        let next_page_token = paging::next_token(&rows, limit, |r| (r.submitted_at, r.id));
        Ok(Response::new(pb::SearchApplicationsResponse {
            applications: rows.iter().map(mapping::summary_proto).collect(),
            next_page_token,
        }))
    }
}

/// Who may move an application to each status: eligibility, qualification and suspension
/// (and lifting it) are a senior officer's decisions; withdrawing, cancelling and closing are
/// everyday register work.
fn roles_to_move_to(to: crate::domain::application::Status) -> &'static [Role] {
    use crate::domain::application::Status as S;
    match to {
        S::NotEligible | S::NotQualifying | S::Suspended | S::Active => {
            &[Role::SeniorOfficer, Role::Manager]
        }
        S::Housed | S::AwaitingInformation | S::Submitted => {
            &[Role::AllocationsOfficer, Role::SeniorOfficer, Role::Manager]
        }
        S::Withdrawn | S::Cancelled | S::Closed | S::Draft => TAKE_IN,
    }
}

fn decode_token(token: &str) -> Result<i64, String> {
    if token.is_empty() {
        return Ok(0);
    }
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| "not a page token from this service".to_owned())
}
