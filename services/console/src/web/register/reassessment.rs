//! The re-assessment of the whole register that follows a change of the allocation scheme:
//! how far it has got, and whose band or points moved.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use housing_proto::register::v1 as pb;

use super::READ;
use crate::format;
use crate::session::Officer;
use crate::web::{Page, PageError, Section, render};

pub struct Moved {
    pub application_id: String,
    pub reference: String,
    pub from: String,
    pub to: String,
}

pub struct RunView {
    pub scheme_version: String,
    pub running: bool,
    pub total: i64,
    pub done: i64,
    pub percent: i64,
    pub moved: i64,
    pub started: String,
    pub completed: String,
    pub moves: Vec<Moved>,
}

/// A standing in words: the band, or the points when the scheme gives points.
fn standing(band: &str, points: i32, outcome: &str) -> String {
    let standing = if !band.is_empty() {
        format!("Band {band}")
    } else {
        format!("{points} points")
    };
    match outcome {
        "" | "active" => standing,
        other => format!("{standing} ({})", other.replace('_', " ")),
    }
}

impl From<pb::GetReassessmentRunResponse> for RunView {
    fn from(run: pb::GetReassessmentRunResponse) -> Self {
        let percent = if run.total > 0 {
            (run.done.min(run.total) * 100) / run.total
        } else {
            100
        };
        Self {
            scheme_version: run.scheme_version,
            running: run.state == "running",
            total: run.total,
            done: run.done,
            percent,
            moved: run.moved,
            started: format::timestamp(run.started_at.as_ref()),
            completed: format::timestamp(run.completed_at.as_ref()),
            moves: run
                .moves
                .into_iter()
                .map(|m| Moved {
                    from: standing(&m.from_band, m.from_points, &m.from_outcome),
                    to: standing(&m.to_band, m.to_points, &m.to_outcome),
                    application_id: m.application_id,
                    reference: m.reference,
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "register/reassessment.html")]
struct RunPage<'a> {
    page: Page<'a>,
    run: Option<RunView>,
}

/// The newest run; reloading the page shows how far it has got.
pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = "/register/reassessment";
    let answer = state
        .register(&officer, path)
        .await?
        .get_reassessment_run(pb::GetReassessmentRunRequest::default())
        .await;
    let run = match answer {
        Ok(run) => Some(RunView::from(run.into_inner())),
        Err(status) if status.code() == tonic::Code::NotFound => None,
        Err(status) => return Err(PageError::from_status(status, path)),
    };
    Ok(render(&RunPage {
        page: Page::new(
            "Re-assessment after a scheme change",
            Some(&officer),
            Section::Register,
        ),
        run,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_a_whole_percentage_and_a_move_reads_as_bands() {
        let run = RunView::from(pb::GetReassessmentRunResponse {
            state: "running".into(),
            total: 3,
            done: 2,
            moves: vec![pb::BandMove {
                from_band: "C".into(),
                to_band: "B".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        assert_eq!((run.percent, run.running), (66, true));
        assert_eq!(
            (run.moves[0].from.as_str(), run.moves[0].to.as_str()),
            ("Band C", "Band B")
        );
        assert_eq!(
            standing("", 120, "not_qualifying"),
            "120 points (not qualifying)"
        );
    }
}
