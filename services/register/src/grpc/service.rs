use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use housing_platform::auth::{Caller, Role, caller};
use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::paging;
use housing_platform::time::today;
use housing_proto::register::v1::{self as pb, register_service_server::RegisterService};
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::mapping;
use crate::app::decision_reviews;
use crate::app::{
    Actor, applications, circumstances, overrides, reassessment, referrals, reviews,
    under_occupation,
};
use crate::db::shortlist::Property;
use crate::domain::lettings_answers::EqualityData;
use crate::domain::scheme::Scheme;

pub struct Register {
    pub pool: Pool,
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
const OFFICERS: &[Role] = &[Role::AllocationsOfficer, Role::SeniorOfficer, Role::Manager];
const SENIOR: &[Role] = &[Role::SeniorOfficer, Role::Manager];
const SHORTLIST: &[Role] = &[
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::Manager,
    Role::Service,
];
/// Who is shown equality data: managers, for equality monitoring and statutory returns, and
/// the other services (nominations builds CORE's lettings log from it). Casework needs none.
const EQUALITY_DATA: &[Role] = &[Role::Manager, Role::Service];
pub(super) const MAX_PAGE: i32 = 500;

#[tonic::async_trait]
impl RegisterService for Register {
    async fn submit_application(
        &self,
        request: Request<pb::SubmitApplicationRequest>,
    ) -> Result<Response<pb::SubmitApplicationResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TAKE_IN)?;
        let assess_now = caller.holds(OFFICERS);
        let request = request.into_inner();
        let submission = mapping::submission(&request, &self.scheme, today())?;
        let record = applications::submit(
            &self.pool,
            &self.scheme,
            &actor(&caller),
            assess_now,
            &request.request_id,
            submission,
        )
        .await?;
        Ok(Response::new(pb::SubmitApplicationResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
        }))
    }

    async fn get_application(
        &self,
        request: Request<pb::GetApplicationRequest>,
    ) -> Result<Response<pb::GetApplicationResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(READ)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let record = applications::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetApplicationResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
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
        if !(0..=120).contains(&request.minimum_age) {
            violations.add("minimum_age", "must be between 0 and 120");
        }
        let mobility = mapping::mobility(request.mobility).unwrap_or_else(|| {
            violations.add("mobility", format!("unknown value {}", request.mobility));
            None
        });
        let property_type = mapping::property_type(request.property_type).unwrap_or_else(|| {
            violations.add(
                "property_type",
                format!("unknown value {}", request.property_type),
            );
            None
        });
        let only: Vec<Uuid> = request
            .application_ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| violations.uuid(&format!("application_ids[{i}]"), id))
            .collect();
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
        let property = Property {
            bedrooms: request.bedrooms as u32,
            area: request.area.clone(),
            mobility: mobility.map_or(4, |m| m.level()),
            adapted: request.adapted,
            born_on_or_before: (request.minimum_age > 0)
                .then(|| today() - chrono::Months::new(12 * request.minimum_age as u32)),
            property_type: property_type.map(|t| t.as_str()),
            only: (!request.application_ids.is_empty()).then_some(only),
        };
        let rows = applications::shortlist(&self.pool, &property, offset, limit + 1).await?;
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
        let suspended_until = if r.suspended_until.is_empty() {
            if to == Some(crate::domain::application::Status::Suspended) {
                v.add("suspended_until", "required when suspending");
            }
            None
        } else {
            v.date("suspended_until", &r.suspended_until)
        };
        // Who may make the move is answered before how the request is worded.
        if let Some(to) = to {
            caller.require(roles_to_move_to(to))?;
        }
        let (Some(id), Some(to)) = (id, to) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let record = applications::change_status(
            &self.pool,
            id,
            to,
            r.reason.trim(),
            suspended_until,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::ChangeApplicationStatusResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
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
        let r = mapping::SearchApplications::try_from(request.into_inner())?;
        let rows = applications::search(&self.pool, &r.search, r.after, r.limit).await?;
        let next_page_token = paging::next_token(&rows, r.limit, |row| (row.submitted_at, row.id));
        Ok(Response::new(pb::SearchApplicationsResponse {
            applications: rows.iter().map(mapping::summary_proto).collect(),
            next_page_token,
        }))
    }

    async fn list_under_occupiers(
        &self,
        request: Request<pb::ListUnderOccupiersRequest>,
    ) -> Result<Response<pb::ListUnderOccupiersResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        // The position is the last row's spare bedrooms and reference.
        let after = paging::decode_position(&r.page_token)?
            .map(|text| {
                text.split_once(':')
                    .and_then(|(spare, reference)| {
                        Some((spare.parse().ok()?, reference.to_owned()))
                    })
                    .ok_or_else(paging::not_a_token)
            })
            .transpose()?;
        let limit = paging::size(r.page_size, 25, 100);
        let page = under_occupation::list(&self.pool, after, limit).await?;
        let next_page_token = match page.last() {
            Some(last) if page.len() as i64 == limit => paging::encode_position(&format!(
                "{}:{}",
                last.spare_bedrooms, last.record.reference
            )),
            _ => String::new(),
        };
        Ok(Response::new(pb::ListUnderOccupiersResponse {
            under_occupiers: page.iter().map(mapping::under_occupier_proto).collect(),
            next_page_token,
        }))
    }

    async fn assess_application(
        &self,
        request: Request<pb::AssessApplicationRequest>,
    ) -> Result<Response<pb::AssessApplicationResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let record = applications::assess(&self.pool, &self.scheme, id, &actor(&caller)).await?;
        Ok(Response::new(pb::AssessApplicationResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
        }))
    }

    async fn report_change_of_circumstances(
        &self,
        request: Request<pb::ReportChangeOfCircumstancesRequest>,
    ) -> Result<Response<pb::ReportChangeOfCircumstancesResponse>, Status> {
        let caller = caller(&request)?;
        // Register assistants record changes too; an officer then assesses them.
        caller.require(TAKE_IN)?;
        let assess = if caller.holds(OFFICERS) {
            circumstances::Then::Assess
        } else {
            circumstances::Then::LeaveForAnOfficer
        };
        let report = mapping::report_change(request.get_ref(), &self.scheme, today())?;
        let (record, changes) = circumstances::report(
            &self.pool,
            &self.scheme,
            report.application_id,
            report.now_is,
            &report.note,
            &actor(&caller),
            assess,
        )
        .await?;
        Ok(Response::new(pb::ReportChangeOfCircumstancesResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
            changes: mapping::changes_proto(&changes),
        }))
    }

    async fn override_assessment(
        &self,
        request: Request<pb::OverrideAssessmentRequest>,
    ) -> Result<Response<pb::OverrideAssessmentResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let command = mapping::OverrideAssessment::try_from(request.into_inner())?;
        let record = overrides::apply(
            &self.pool,
            &self.scheme,
            command.application_id,
            command.change,
            &command.reason,
            &actor(&caller),
        )
        .await?;
        Ok(Response::new(pb::OverrideAssessmentResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
        }))
    }

    async fn list_changes(
        &self,
        request: Request<pb::ListChangesRequest>,
    ) -> Result<Response<pb::ListChangesResponse>, Status> {
        caller(&request)?.require(READ)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let changes = circumstances::list(&self.pool, id).await?;
        Ok(Response::new(pb::ListChangesResponse {
            changes: changes.iter().map(mapping::change_record_proto).collect(),
        }))
    }

    async fn refer_application(
        &self,
        request: Request<pb::ReferApplicationRequest>,
    ) -> Result<Response<pb::ReferApplicationResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let command = mapping::ReferApplication::try_from(request.into_inner())?;
        let referral = referrals::refer(
            &self.pool,
            command.application_id,
            command.panel,
            &command.question,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::ReferApplicationResponse {
            referral: Some(mapping::referral_proto(&referral)),
        }))
    }

    async fn record_referral_outcome(
        &self,
        request: Request<pb::RecordReferralOutcomeRequest>,
    ) -> Result<Response<pb::RecordReferralOutcomeResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let command = mapping::RecordReferralOutcome::try_from(request.into_inner())?;
        let (referral, record) = referrals::decide(
            &self.pool,
            &self.scheme,
            command.referral_id,
            command.accepted,
            &command.findings,
            &actor(&caller),
        )
        .await?;
        Ok(Response::new(pb::RecordReferralOutcomeResponse {
            referral: Some(mapping::referral_proto(&referral)),
            application: Some(mapping::application(&record, equality_data(&caller))),
        }))
    }

    async fn list_referrals(
        &self,
        request: Request<pb::ListReferralsRequest>,
    ) -> Result<Response<pb::ListReferralsResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        let (referrals, next_page_token) = if r.application_id.is_empty() {
            let after = paging::decode(&r.page_token)?;
            let limit = paging::size(r.page_size, 50, MAX_PAGE as i64);
            let rows = referrals::awaiting_outcome(&self.pool, after, limit).await?;
            let next = paging::next_token(&rows, limit, |r| (r.referred_at, r.id));
            (rows, next)
        } else {
            let id = uuid_field("application_id", &r.application_id)?;
            (referrals::list(&self.pool, id).await?, String::new())
        };
        Ok(Response::new(pb::ListReferralsResponse {
            referrals: referrals.iter().map(mapping::referral_proto).collect(),
            next_page_token,
        }))
    }

    async fn record_review_reply(
        &self,
        request: Request<pb::RecordReviewReplyRequest>,
    ) -> Result<Response<pb::RecordReviewReplyResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TAKE_IN)?;
        let r = request.into_inner();
        let id = uuid_field("application_id", &r.application_id)?;
        let record = reviews::reply(
            &self.pool,
            &self.scheme,
            id,
            r.still_wants_housing,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::RecordReviewReplyResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
        }))
    }

    async fn start_annual_review(
        &self,
        request: Request<pb::StartAnnualReviewRequest>,
    ) -> Result<Response<pb::StartAnnualReviewResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let id = uuid_field("application_id", &request.get_ref().application_id)?;
        let record = reviews::start(&self.pool, &self.scheme, id, today()).await?;
        Ok(Response::new(pb::StartAnnualReviewResponse {
            application: Some(mapping::application(&record, equality_data(&caller))),
        }))
    }

    async fn request_decision_review(
        &self,
        request: Request<pb::RequestDecisionReviewRequest>,
    ) -> Result<Response<pb::RequestDecisionReviewResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(TAKE_IN)?;
        let command = mapping::RequestDecisionReview::try_from(request.into_inner())?;
        let review = decision_reviews::request(
            &self.pool,
            &self.scheme,
            command.application_id,
            command.decision,
            &command.grounds,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::RequestDecisionReviewResponse {
            review: Some(mapping::decision_review_proto(&review)),
        }))
    }

    async fn decide_decision_review(
        &self,
        request: Request<pb::DecideDecisionReviewRequest>,
    ) -> Result<Response<pb::DecideDecisionReviewResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(SENIOR)?;
        let command = mapping::decide_decision_review(request.into_inner(), &self.scheme)?;
        let (review, record) = decision_reviews::decide(
            &self.pool,
            &self.scheme,
            command.review_id,
            command.finding,
            &actor(&caller),
        )
        .await?;
        Ok(Response::new(pb::DecideDecisionReviewResponse {
            review: Some(mapping::decision_review_proto(&review)),
            application: Some(mapping::application(&record, equality_data(&caller))),
        }))
    }

    async fn list_decision_reviews(
        &self,
        request: Request<pb::ListDecisionReviewsRequest>,
    ) -> Result<Response<pb::ListDecisionReviewsResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        let (reviews, next_page_token) = if r.application_id.is_empty() {
            let after = paging::decode(&r.page_token)?;
            let limit = paging::size(r.page_size, 50, MAX_PAGE as i64);
            let rows = decision_reviews::awaiting_decision(&self.pool, after, limit).await?;
            let next = paging::next_token(&rows, limit, |r| (r.requested_at, r.id));
            (rows, next)
        } else {
            let id = uuid_field("application_id", &r.application_id)?;
            (decision_reviews::list(&self.pool, id).await?, String::new())
        };
        Ok(Response::new(pb::ListDecisionReviewsResponse {
            reviews: reviews.iter().map(mapping::decision_review_proto).collect(),
            next_page_token,
        }))
    }

    async fn get_reassessment_run(
        &self,
        request: Request<pb::GetReassessmentRunRequest>,
    ) -> Result<Response<pb::GetReassessmentRunResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        let id = if r.run_id.is_empty() {
            None
        } else {
            Some(uuid_field("run_id", &r.run_id)?)
        };
        let (run, moves) = reassessment::find(&self.pool, id).await?;
        Ok(Response::new(mapping::run_proto(&run, &moves)))
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

fn equality_data(caller: &Caller) -> EqualityData {
    if caller.holds(EQUALITY_DATA) {
        EqualityData::Shown
    } else {
        EqualityData::Withheld
    }
}

fn actor(caller: &Caller) -> Actor {
    Actor {
        id: caller.id.clone(),
        senior: caller.holds(SENIOR),
        equality_data: equality_data(caller),
    }
}
