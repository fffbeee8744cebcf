//! Ranking units for a placement request, each with the hard constraints it meets and every
//! part of its score explained, the units left out with the reasons; and placing the
//! household in the unit the officer chooses, with why.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::money::Pence;
use housing_proto::accommodation::v1 as pb;
use serde::Deserialize;

use super::{WORK, unit_type_words};
use crate::format::DateParts;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render};

/// The best units shown; the officer rarely looks past the first few.
const RANKED: i32 = 10;

pub struct Part {
    pub name: String,
    pub value: String,
    pub explanation: String,
}

pub struct Ranked {
    pub position: usize,
    pub unit_id: String,
    pub address: String,
    pub unit_type: &'static str,
    pub authority: String,
    pub bedrooms: i32,
    pub rent: String,
    pub score: String,
    pub met: Vec<String>,
    pub parts: Vec<Part>,
}

#[derive(Template)]
#[template(path = "accommodation/units.html")]
struct UnitsPage<'a> {
    page: Page<'a>,
    request_id: String,
    ranked: Vec<Ranked>,
    /// How many units were left out, and each reason with the number of units it left out.
    excluded: usize,
    exclusions: Vec<(String, usize)>,
}

/// Each reason units were left out for, with how many it applied to, the commonest first:
/// a stock of thousands leaves out thousands, and an officer needs to see why in a few
/// lines (a unit with two shortfalls counts under each).
fn exclusions(excluded: &[pb::ExcludedUnit]) -> Vec<(String, usize)> {
    let mut counts = std::collections::HashMap::<&str, usize>::new();
    for reason in excluded.iter().flat_map(|e| &e.reasons) {
        *counts.entry(reason.as_str()).or_default() += 1;
    }
    let mut counted: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(reason, n)| (crate::web::sentence(reason), n))
        .collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counted
}

fn path(request_id: &str) -> String {
    format!("/accommodation/requests/{request_id}/units")
}

pub(super) async fn ranking(
    state: &crate::web::State,
    officer: &Officer,
    request_id: &str,
) -> Result<pb::RankUnitsResponse, PageError> {
    state
        .accommodation(officer, &path(request_id))
        .await?
        .rank_units(pb::RankUnitsRequest {
            placement_request_id: request_id.to_owned(),
            page_size: RANKED,
        })
        .await
        .map(tonic::Response::into_inner)
        .map_err(|s| PageError::from_status(s, &path(request_id)))
}

pub async fn rank(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(request_id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let ranking = ranking(&state, &officer, &request_id).await?;
    let ranked = ranking
        .ranked
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let unit = r.unit?;
            Some(Ranked {
                position: i + 1,
                address: unit.address,
                unit_type: unit_type_words(unit.unit_type),
                authority: unit.local_authority,
                bedrooms: unit.bedrooms,
                rent: Pence::new(unit.weekly_rent_pence).to_string(),
                score: format!("{:.2}", r.score),
                met: r.constraints_met,
                parts: r
                    .parts
                    .into_iter()
                    .map(|p| Part {
                        name: crate::web::sentence(&p.name.replace('_', " ")),
                        value: format!("{:.2}", p.value),
                        explanation: p.explanation,
                    })
                    .collect(),
                unit_id: unit.unit_id,
            })
        })
        .collect();
    Ok(render(&UnitsPage {
        page: Page::new(
            "Units ranked for the household",
            Some(&officer),
            Section::Accommodation,
        ),
        request_id,
        ranked,
        excluded: ranking.excluded.len(),
        exclusions: exclusions(&ranking.excluded),
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct PlaceForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    unit: String,
    #[serde(default, flatten)]
    start: DateParts,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "accommodation/place.html")]
struct PlacePage<'a> {
    page: Page<'a>,
    placement_request_id: String,
    address: String,
    form: PlaceForm,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl PlacePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

/// The chosen unit's address, from the ranking (a unit no longer ranked cannot be chosen).
async fn chosen(
    state: &crate::web::State,
    officer: &Officer,
    request_id: &str,
    unit_id: &str,
) -> Result<String, PageError> {
    ranking(state, officer, request_id)
        .await?
        .ranked
        .into_iter()
        .filter_map(|r| r.unit)
        .find(|u| u.unit_id == unit_id)
        .map(|u| u.address)
        .ok_or(PageError::NotFound)
}

fn place_page(
    officer: &Officer,
    placement_request_id: String,
    address: String,
    mut form: PlaceForm,
    errors: Vec<FieldError>,
) -> Response {
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let mut page = Page::new("Place the household", Some(officer), Section::Accommodation);
    page.error_count = errors.len();
    render(&PlacePage {
        page,
        placement_request_id,
        address,
        form,
        csrf_token: &officer.csrf_token,
        errors,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct Choice {
    #[serde(default)]
    unit: String,
}

pub async fn confirm_place(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(request_id): Path<String>,
    Query(choice): Query<Choice>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let address = chosen(&state, &officer, &request_id, &choice.unit).await?;
    let form = PlaceForm {
        unit: choice.unit,
        ..Default::default()
    };
    Ok(place_page(&officer, request_id, address, form, Vec::new()))
}

pub async fn place(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(request_id): Path<String>,
    Form(form): Form<PlaceForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(WORK)?;
    let here = format!("/accommodation/requests/{request_id}/place");
    let address = chosen(&state, &officer, &request_id, &form.unit).await?;
    let mut errors = Vec::new();
    let start_date = form
        .start
        .iso("start_date", "The date the household moves in")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if form.reason.trim().is_empty() {
        errors.push(FieldError::on("reason", "Enter why you chose this unit"));
    }
    if !errors.is_empty() {
        return Ok(place_page(&officer, request_id, address, form, errors));
    }
    let answer = state
        .accommodation(&officer, &here)
        .await?
        .start_placement(pb::StartPlacementRequest {
            request_id: form.request_id.clone(),
            placement_request_id: request_id.clone(),
            unit_id: form.unit.clone(),
            start_date,
            reason: form.reason.trim().to_owned(),
        })
        .await;
    match answer {
        Ok(started) => {
            let id = started
                .into_inner()
                .placement
                .map(|p| p.placement_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/accommodation/placements/{id}?placed=1")).into_response())
        }
        Err(status) => {
            let errors = refusal(status, &here)?;
            Ok(place_page(&officer, request_id, address, form, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_left_out_are_counted_by_reason_the_commonest_first() {
        let unit = |reasons: &[&str]| pb::ExcludedUnit {
            unit_id: String::new(),
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
        };
        let counted = exclusions(&[
            unit(&["not step-free"]),
            unit(&["1 bedroom; the household needs 2", "not step-free"]),
            unit(&["1 bedroom; the household needs 2"]),
            unit(&["not step-free"]),
        ]);
        assert_eq!(
            counted,
            [
                ("Not step-free".to_owned(), 3),
                ("1 bedroom; the household needs 2".to_owned(), 2)
            ]
        );
    }
}
