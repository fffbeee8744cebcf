//! The portfolio optimiser's proposed moves: across every active placement and every vacant
//! unit, the transfers that lower the weekly cost plus unsuitability, each explained part by
//! part. Nothing moves until the officer applies a move, one at a time; the moves are
//! proposed afresh after each, since one move changes what is best for the rest.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::accommodation::v1 as pb;
use serde::Deserialize;

use super::{TabLink, WORK, sections, unit_type_words};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

const PATH: &str = "/accommodation/optimiser";

pub struct Part {
    pub name: String,
    pub points: String,
    pub explanation: String,
}

pub struct Move {
    pub placement_id: String,
    pub to_unit_id: String,
    pub from: String,
    pub to: String,
    pub to_hint: String,
    pub before: String,
    pub after: String,
    pub saving: String,
    /// The parts of the cost and unsuitability where the household is, then after the move.
    pub explained: [(&'static str, Vec<Part>); 2],
}

#[derive(Template)]
#[template(path = "accommodation/optimiser.html")]
struct OptimiserPage<'a> {
    page: Page<'a>,
    sections: Vec<TabLink>,
    moves: Vec<Move>,
    total_now: String,
    total_proposed: String,
    total_greedy: String,
    notice: Option<&'static str>,
    csrf_token: &'a str,
    /// Made when the page is shown: a move posted twice is made once.
    request_id: String,
    errors: Vec<FieldError>,
}

/// Points are pence a week: what a household in a unit costs, plus its unsuitability priced.
fn points(points: i64) -> String {
    format!("{} a week", Pence::new(points))
}

fn part_name(name: &str) -> String {
    match name {
        "cost" => "Weekly cost".into(),
        "bnb_family" => "Family in bed and breakfast".into(),
        "overcrowded" => "Overcrowding".into(),
        "out_of_district" => "Out of district".into(),
        "move" => "Moving".into(),
        other => crate::web::sentence(&other.replace('_', " ")),
    }
}

fn parts(parts: Vec<pb::ScorePart>) -> Vec<Part> {
    parts
        .into_iter()
        .map(|p| Part {
            name: part_name(&p.name),
            // Each part is whole points carried as a double.
            points: points(p.value.round() as i64),
            explanation: p.explanation,
        })
        .collect()
}

async fn propose(
    state: &crate::web::State,
    officer: &Officer,
) -> Result<pb::ProposeTransfersResponse, PageError> {
    state
        .accommodation(officer, PATH)
        .await?
        .propose_transfers(pb::ProposeTransfersRequest::default())
        .await
        .map_err(|s| PageError::from_status(s, PATH))
        .map(|r| r.into_inner())
}

/// The moves proposed, each unit named by its address.
async fn moves(
    state: &crate::web::State,
    officer: &Officer,
    proposed: &pb::ProposeTransfersResponse,
) -> Result<Vec<Move>, PageError> {
    let mut client = state.accommodation(officer, PATH).await?;
    let mut units: HashMap<String, pb::Unit> = HashMap::new();
    for id in proposed
        .transfers
        .iter()
        .flat_map(|t| [&t.from_unit_id, &t.to_unit_id])
    {
        if units.contains_key(id) {
            continue;
        }
        let unit = client
            .get_unit(pb::GetUnitRequest {
                unit_id: id.clone(),
            })
            .await
            .map_err(|s| PageError::from_status(s, PATH))?
            .into_inner()
            .unit
            .unwrap_or_default();
        units.insert(id.clone(), unit);
    }
    Ok(proposed
        .transfers
        .iter()
        .map(|t| {
            let (from, to) = (&units[&t.from_unit_id], &units[&t.to_unit_id]);
            Move {
                placement_id: t.placement_id.clone(),
                to_unit_id: t.to_unit_id.clone(),
                from: from.address.clone(),
                to: to.address.clone(),
                to_hint: format!(
                    "{}, {} bedrooms, in {}",
                    unit_type_words(to.unit_type),
                    to.bedrooms,
                    to.local_authority
                ),
                before: points(t.points_before),
                after: points(t.points_after),
                saving: points(t.points_before - t.points_after),
                explained: [
                    ("Where the household is now", parts(t.parts_before.clone())),
                    ("After the move", parts(t.parts_after.clone())),
                ],
            }
        })
        .collect())
}

async fn optimiser_page(
    state: &crate::web::State,
    officer: &Officer,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let proposed = propose(state, officer).await?;
    let moves = moves(state, officer, &proposed).await?;
    let mut page = Page::new("Proposed moves", Some(officer), Section::Accommodation);
    page.error_count = errors.len();
    Ok(render(&OptimiserPage {
        page,
        sections: sections(PATH),
        moves,
        total_now: points(proposed.total_points_now),
        total_proposed: points(proposed.total_points_proposed),
        total_greedy: points(proposed.total_points_greedy),
        notice,
        csrf_token: &officer.csrf_token,
        request_id: uuid::Uuid::new_v4().to_string(),
        errors,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    #[serde(default)]
    moved: Option<String>,
}

pub async fn proposals(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let notice = shown
        .moved
        .is_some()
        .then_some("The household has been moved. The moves below are proposed afresh");
    optimiser_page(&state, &officer, notice, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    placement_id: String,
    #[serde(default)]
    unit_id: String,
}

/// Applies one proposed move: the household moves from today. The move must still be
/// proposed now (an earlier move, or a placement since, may have changed what is best).
pub async fn apply_proposal(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<ApplyForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let proposed = propose(&state, &officer).await?;
    let Some(chosen) = proposed
        .transfers
        .iter()
        .find(|t| t.placement_id == form.placement_id && t.to_unit_id == form.unit_id)
    else {
        let errors = vec![FieldError {
            field: None,
            message: "That move is no longer proposed: the moves have been proposed afresh".into(),
        }];
        return optimiser_page(&state, &officer, None, errors).await;
    };
    let reason = format!(
        "Proposed by the optimiser: lowers the weekly cost plus unsuitability from {} to {}",
        points(chosen.points_before),
        points(chosen.points_after)
    );
    let transfer = pb::TransferPlacementRequest {
        request_id: form.request_id.clone(),
        placement_id: chosen.placement_id.clone(),
        unit_id: chosen.to_unit_id.clone(),
        transfer_date: housing_platform::time::today()
            .format("%Y-%m-%d")
            .to_string(),
        reason,
    };
    match state
        .accommodation(&officer, PATH)
        .await?
        .transfer_placement(transfer)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?moved=1")).into_response()),
        Err(status) => {
            // The fields named are the transfer's own, not a field of this page's.
            let errors = refusal(status, PATH)?
                .into_iter()
                .map(|e| FieldError {
                    field: None,
                    message: e.message,
                })
                .collect();
            optimiser_page(&state, &officer, None, errors).await
        }
    }
}
