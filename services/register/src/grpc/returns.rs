//! The register's statutory returns over gRPC: managers and senior officers produce them.

use housing_platform::auth::{Role, caller};
use housing_platform::db::Pool;
use housing_platform::errors::FieldViolations;
use housing_platform::returns::{RunBy, list_page, run_proto};
use housing_platform::time::format_date;
use housing_proto::register::v1::{self as pb, returns_service_server::ReturnsService};
use tonic::{Request, Response, Status};

use crate::app::returns;
use crate::domain::lahs::{Households, Lettings, SectionC};

pub struct Returns {
    pub pool: Pool,
}

/// Returns show the whole register's figures, so only those who answer for it run them.
const RETURNS: &[Role] = &[Role::SeniorOfficer, Role::Manager];

#[tonic::async_trait]
impl ReturnsService for Returns {
    async fn produce_lahs_section_c(
        &self,
        request: Request<pb::ProduceLahsSectionCRequest>,
    ) -> Result<Response<pb::ProduceLahsSectionCResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(RETURNS)?;
        let year_ending = request.get_ref().year_ending;
        let mut violations = FieldViolations::new();
        if !(2000..=9999).contains(&year_ending) {
            violations.add("year_ending", "must be a year from 2000, such as 2027");
        }
        violations.into_result(())?;
        let (section, csv, run) =
            returns::lahs_section_c(&self.pool, year_ending, &RunBy::from(&caller)).await?;
        Ok(Response::new(pb::ProduceLahsSectionCResponse {
            section_c: Some(section_proto(&section, year_ending)),
            csv,
            run: Some(run_proto(&run)),
        }))
    }

    async fn list_return_runs(
        &self,
        request: Request<pb::ListReturnRunsRequest>,
    ) -> Result<Response<pb::ListReturnRunsResponse>, Status> {
        caller(&request)?.require(RETURNS)?;
        let r = request.get_ref();
        let (runs, next_page_token) =
            list_page(&self.pool, r.kind, r.page_size, &r.page_token).await?;
        Ok(Response::new(pb::ListReturnRunsResponse {
            runs,
            next_page_token,
        }))
    }
}

fn section_proto(section: &SectionC, year_ending: i32) -> pb::LahsSectionC {
    pb::LahsSectionC {
        year_ending,
        count_date: format_date(section.count_date()),
        waiting_list: Some(households_proto(&section.waiting_list)),
        transfer_list: Some(households_proto(&section.transfer_list)),
        lettings: Some(lettings_proto(&section.lettings)),
    }
}

fn households_proto(h: &Households) -> pb::LahsHouseholds {
    pb::LahsHouseholds {
        total: h.total,
        needing_one_bedroom: h.one_bedroom,
        needing_two_bedrooms: h.two_bedrooms,
        needing_three_bedrooms: h.three_bedrooms,
        needing_four_or_more_bedrooms: h.four_or_more_bedrooms,
        homeless: h.homeless,
        owed_homelessness_duty: h.owed_homelessness_duty,
        insanitary_overcrowded_or_unsatisfactory: h.insanitary_overcrowded_or_unsatisfactory,
        medical_or_welfare: h.medical_or_welfare,
        hardship: h.hardship,
        any_reasonable_preference: h.any_reasonable_preference,
        additional_preference: h.additional_preference,
    }
}

fn lettings_proto(l: &Lettings) -> pb::LahsLettings {
    pb::LahsLettings {
        total: l.total,
        council_stock: l.council_stock,
        nominations_to_housing_associations: l.nominations_to_housing_associations,
        new_tenants: l.new_tenants,
        transfers: l.transfers,
        with_reasonable_preference: l.with_reasonable_preference,
        homeless_households: l.homeless_households,
        choice_based: l.choice_based,
    }
}
