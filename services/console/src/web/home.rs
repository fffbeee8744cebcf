//! My work: the queues the signed-in officer's roles give them, with how many cases wait in
//! each.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use housing_proto::register::v1::{self as pb, ApplicationStatus};

use super::{Page, PageError, Section, register, render};
use crate::session::Officer;

pub struct Queue {
    pub name: &'static str,
    pub href: String,
    pub count: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    page: Page<'a>,
    queues: Vec<Queue>,
}

/// Counted a page at a time, up to this; past it the queue shows "100 or more".
const COUNT_UP_TO: i32 = 100;

pub async fn show(
    State(state): State<super::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    let mut queues = Vec::new();
    if officer.holds(register::READ) {
        let mut client = state
            .services
            .register(&state.sessions, &officer)
            .await
            .map_err(|e| PageError::from_session(e, "/"))?;
        for (name, status) in [
            (
                "Applications awaiting assessment",
                ApplicationStatus::Submitted,
            ),
            (
                "Applications awaiting information",
                ApplicationStatus::AwaitingInformation,
            ),
        ] {
            let found = client
                .search_applications(pb::SearchApplicationsRequest {
                    status: status as i32,
                    page_size: COUNT_UP_TO,
                    ..Default::default()
                })
                .await
                .map_err(|s| PageError::from_status(s, "/"))?
                .into_inner();
            let count = if found.next_page_token.is_empty() {
                found.applications.len().to_string()
            } else {
                format!("{COUNT_UP_TO} or more")
            };
            queues.push(Queue {
                name,
                href: format!("/register?status={}", register::status_value(status)),
                count,
            });
        }
    }
    Ok(render(&Home {
        page: Page::new("My work", Some(&officer), Section::Home),
        queues,
    }))
}
