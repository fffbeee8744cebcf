//! Voids: nights the council paid for block-booked units with nobody in them, and what they
//! cost, over the last four weeks, the quarter or the financial year so far; the units that
//! lost most first, each named by its address.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Days, NaiveDate};
use housing_platform::money::Pence;
use housing_platform::returns::Period;
use housing_platform::time::{format_date, long_date, today};
use housing_proto::accommodation::v1 as pb;
use serde::Deserialize;

use super::{TabLink, WORK, sections, unit_type_words};
use crate::session::Officer;
use crate::web::{Page, PageError, Section, Tab, render};

const PATH: &str = "/accommodation/voids";
/// Units shown by name, the largest loss first; the totals cover them all.
const SHOWN: usize = 50;

/// The periods an officer looks back over, as the page's tabs.
const PERIODS: [(&str, &str); 3] = [
    ("weeks", "Last 4 weeks"),
    ("quarter", "This quarter"),
    ("year", "This financial year"),
];

/// The first night of `period` and the day after its last: the nights up to last night.
fn nights(period: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let year_ending = Period::year_ending_of(today);
    let start = match period {
        "weeks" => today.checked_sub_days(Days::new(28))?,
        "quarter" => {
            (1..=4)
                .filter_map(|q| Period::quarter(year_ending, q))
                .find(|q| q.start <= today && today <= q.end)?
                .start
        }
        "year" => Period::financial_year(year_ending)?.start,
        _ => return None,
    };
    // The service counts at least one night: on a period's first day, tonight's.
    let end = today.max(start.checked_add_days(Days::new(1))?);
    Some((start, end))
}

pub struct VoidRow {
    pub unit_id: String,
    pub address: String,
    pub description: String,
    pub nights: i32,
    pub loss: String,
}

#[derive(Template)]
#[template(path = "accommodation/voids.html")]
struct VoidsPage<'a> {
    page: Page<'a>,
    sections: Vec<TabLink>,
    tabs: Vec<Tab>,
    period: String,
    nights: i32,
    loss: String,
    units: Vec<VoidRow>,
    more: usize,
}

#[derive(Debug, Default, Deserialize)]
pub struct VoidsQuery {
    #[serde(default)]
    period: String,
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<VoidsQuery>,
) -> Result<Response, PageError> {
    officer.require(WORK)?;
    let chosen = if query.period.is_empty() {
        PERIODS[0].0
    } else {
        query.period.as_str()
    };
    let (start, end) = nights(chosen, today()).ok_or(PageError::NotFound)?;
    let mut client = state.accommodation(&officer, PATH).await?;
    let voids = client
        .get_voids(pb::GetVoidsRequest {
            period_start: format_date(start),
            period_end: format_date(end),
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    // The service lists every block-booked unit; those full every night are no void.
    let mut lost: Vec<_> = voids
        .units
        .into_iter()
        .filter(|u| u.void_nights > 0)
        .collect();
    lost.sort_by(|a, b| {
        b.void_loss_pence
            .cmp(&a.void_loss_pence)
            .then(b.void_nights.cmp(&a.void_nights))
    });
    let more = lost.len().saturating_sub(SHOWN);
    lost.truncate(SHOWN);
    let mut units = Vec::with_capacity(lost.len());
    for void in lost {
        let unit = client
            .get_unit(pb::GetUnitRequest {
                unit_id: void.unit_id.clone(),
            })
            .await
            .map_err(|s| PageError::from_status(s, PATH))?
            .into_inner()
            .unit
            .unwrap_or_default();
        units.push(VoidRow {
            address: unit.address,
            description: format!(
                "{}, {} bedrooms",
                unit_type_words(unit.unit_type),
                unit.bedrooms
            ),
            unit_id: void.unit_id,
            nights: void.void_nights,
            loss: Pence::new(void.void_loss_pence).to_string(),
        });
    }
    let last_night = end.pred_opt().unwrap_or(end);
    Ok(render(&VoidsPage {
        page: Page::new("Voids", Some(&officer), Section::Accommodation),
        sections: sections(PATH),
        tabs: PERIODS
            .iter()
            .map(|(value, text)| Tab {
                text,
                href: format!("{PATH}?period={value}"),
                current: *value == chosen,
            })
            .collect(),
        period: format!(
            "Nights from {} to {}.",
            long_date(start),
            long_date(last_night)
        ),
        nights: voids.void_nights,
        loss: Pence::new(voids.void_loss_pence).to_string(),
        units,
        more,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_run_to_last_night() {
        let today = day(2026, 12, 6);
        assert_eq!(nights("weeks", today), Some((day(2026, 11, 8), today)));
        assert_eq!(nights("quarter", today), Some((day(2026, 10, 1), today)));
        assert_eq!(nights("year", today), Some((day(2026, 4, 1), today)));
        assert_eq!(nights("decade", today), None);
    }

    #[test]
    fn a_period_on_its_first_day_counts_tonight() {
        let first = day(2027, 1, 1);
        assert_eq!(nights("quarter", first), Some((first, day(2027, 1, 2))));
        let april = day(2027, 4, 1);
        assert_eq!(nights("year", april), Some((april, day(2027, 4, 2))));
    }
}
