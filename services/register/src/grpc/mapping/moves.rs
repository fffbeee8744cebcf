//! Households on the move: shortlists, reassessment runs and under-occupiers.

use housing_platform::time::{format_date, timestamp};
use housing_proto::register::v1 as pb;

use super::applications::tenure_proto;
use crate::app::under_occupation::UnderOccupier;
use crate::db::reassessment::{MoveRow, Run};
use crate::db::shortlist::ShortlistRow;

pub fn shortlist_entry(row: &ShortlistRow) -> pb::ShortlistEntry {
    pb::ShortlistEntry {
        application_id: row.id.to_string(),
        reference: row.reference.clone(),
        band: row.band.clone(),
        effective_date: format_date(row.effective_date),
        bedroom_need: row.bedroom_need as i32,
        points: row.points.unwrap_or(0) as i32,
        mobility: row.mobility.into(),
    }
}

pub fn run_proto(run: &Run, moves: &[MoveRow]) -> pb::GetReassessmentRunResponse {
    pb::GetReassessmentRunResponse {
        run_id: run.id.to_string(),
        scheme_version: run.scheme_version.clone(),
        state: run.state.clone(),
        total: run.total,
        done: run.done,
        moved: run.moved,
        started_at: Some(timestamp(run.started_at)),
        completed_at: run.completed_at.map(timestamp),
        moves: moves
            .iter()
            .map(|m| pb::BandMove {
                application_id: m.application_id.to_string(),
                reference: m.reference.clone(),
                from_band: m.from_band.clone().unwrap_or_default(),
                to_band: m.to_band.clone(),
                from_points: m.from_points.unwrap_or(0),
                to_points: m.to_points.unwrap_or(0),
                from_outcome: m.from_outcome.clone().unwrap_or_default(),
                to_outcome: m.to_outcome.clone(),
            })
            .collect(),
    }
}

pub fn under_occupier_proto(u: &UnderOccupier) -> pb::UnderOccupier {
    pb::UnderOccupier {
        application_id: u.record.id.to_string(),
        reference: u.record.reference.clone(),
        lead_name: u.record.lead_name(),
        tenure: tenure_proto(u.record.details.circumstances.tenure) as i32,
        current_bedrooms: i32::try_from(u.current_bedrooms).unwrap_or(i32::MAX),
        bedrooms_needed: i32::try_from(u.bedrooms_needed).unwrap_or(i32::MAX),
        spare_bedrooms: i32::try_from(u.spare_bedrooms).unwrap_or(i32::MAX),
    }
}
