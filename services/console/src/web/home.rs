//! My work: the queues the signed-in officer's roles give them, with how many cases wait in
//! each.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use housing_proto::accommodation::v1 as ta;
use housing_proto::nominations::v1 as noms;
use housing_proto::register::v1::{self as pb, ApplicationStatus};
use housing_proto::rent::v1::{self as rent, ArrearsStage};

use super::{
    Page, PageError, Section, accommodation, approvals, income, nominations, register, render,
};
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

/// A page of a queue as a count: "100 or more" when there is another page.
fn counted(on_page: usize, next_page_token: &str) -> String {
    if next_page_token.is_empty() {
        on_page.to_string()
    } else {
        format!("{COUNT_UP_TO} or more")
    }
}

pub async fn show(
    State(state): State<super::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    let mut queues = Vec::new();
    if officer.holds(register::READ) {
        let mut client = state.register(&officer, "/").await?;
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
            queues.push(Queue {
                name,
                href: format!("/register?status={}", register::status_value(status)),
                count: counted(found.applications.len(), &found.next_page_token),
            });
        }
        // Every role that reads the register may record the reply that clears one.
        let due = client
            .search_applications(pb::SearchApplicationsRequest {
                annual_review_due: true,
                page_size: COUNT_UP_TO,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, "/"))?
            .into_inner();
        queues.push(Queue {
            name: "Annual reviews due",
            href: register::REVIEWS_DUE_HREF.into(),
            count: counted(due.applications.len(), &due.next_page_token),
        });
    }
    if officer.holds(register::ASSESS) {
        let found = state
            .register(&officer, "/")
            .await?
            .list_referrals(pb::ListReferralsRequest {
                page_size: COUNT_UP_TO,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, "/"))?
            .into_inner();
        queues.push(Queue {
            name: "Referrals awaiting an outcome",
            href: "/register/referrals".into(),
            count: counted(found.referrals.len(), &found.next_page_token),
        });
    }
    if officer.holds(register::DECIDE_REVIEWS) {
        let found = state
            .register(&officer, "/")
            .await?
            .list_decision_reviews(pb::ListDecisionReviewsRequest {
                page_size: COUNT_UP_TO,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, "/"))?
            .into_inner();
        queues.push(Queue {
            name: "Decision reviews awaiting a decision",
            href: "/register/reviews".into(),
            count: counted(found.reviews.len(), &found.next_page_token),
        });
    }
    if officer.holds(nominations::OFFICERS) {
        let overdue = state
            .nominations(&officer, "/")
            .await?
            .list_nominations(noms::NominationsServiceListNominationsRequest {
                page_size: COUNT_UP_TO,
                status: noms::NominationStatus::Pending as i32,
                overdue: Some(true),
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, "/"))?
            .into_inner();
        queues.push(Queue {
            name: "Nominations a partner has not answered in time",
            href: "/nominations?show=overdue".into(),
            count: counted(overdue.nominations.len(), &overdue.next_page_token),
        });
    }
    if officer.holds(accommodation::WORK) {
        let mut client = state.accommodation(&officer, "/").await?;
        let referred = client
            .list_closure_reviews(ta::ListClosureReviewsRequest {
                page_size: COUNT_UP_TO,
                status: ta::ClosureReviewStatus::Open as i32,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, "/"))?
            .into_inner();
        queues.push(Queue {
            name: "Placements referred for rent arrears",
            href: "/accommodation/arrears-reviews".into(),
            count: counted(referred.reviews.len(), &referred.next_page_token),
        });
        // Each queue is one filter of the placements list, counted the same way.
        let placements = |filter: ta::ListPlacementsRequest| ta::ListPlacementsRequest {
            page_size: COUNT_UP_TO,
            ..filter
        };
        for (name, show, filter) in [
            (
                "Placements awaiting sign-up",
                "offered",
                placements(ta::ListPlacementsRequest {
                    status: ta::PlacementStatus::Offered as i32,
                    ..Default::default()
                }),
            ),
            (
                "Families in B&B at day 35 or more",
                "bnb-35",
                placements(ta::ListPlacementsRequest {
                    bnb_clock_day_at_least: Some(accommodation::BNB_WARNING_DAY),
                    ..Default::default()
                }),
            ),
            (
                "Families in B&B for six weeks or more",
                "bnb-42",
                placements(ta::ListPlacementsRequest {
                    bnb_clock_day_at_least: Some(accommodation::BNB_LIMIT_DAY),
                    ..Default::default()
                }),
            ),
            (
                "s.208 notices due",
                "s208",
                placements(ta::ListPlacementsRequest {
                    s208_notice: ta::S208NoticeStanding::Outstanding as i32,
                    ..Default::default()
                }),
            ),
        ] {
            let found = client
                .list_placements(filter)
                .await
                .map_err(|s| PageError::from_status(s, "/"))?
                .into_inner();
            queues.push(Queue {
                name,
                href: format!("/accommodation?show={show}"),
                count: counted(found.placements.len(), &found.next_page_token),
            });
        }
        let renewals = client
            .list_units(ta::ListUnitsRequest {
                page_size: COUNT_UP_TO,
                compliance: ta::UnitCompliance::ExpiringOrLapsed as i32,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, "/"))?
            .into_inner();
        queues.push(Queue {
            name: "Units with certificates expiring or lapsed",
            href: "/accommodation/units?certificates=expiring-or-lapsed".into(),
            count: counted(renewals.units.len(), &renewals.next_page_token),
        });
    }
    if officer.holds(income::READ) {
        let counts = state
            .rent(&officer, "/")
            .await?
            .list_accounts(rent::ListAccountsRequest {
                page_size: 1,
                ..Default::default()
            })
            .await
            .map_err(|s| PageError::from_status(s, "/"))?
            .into_inner()
            .stage_counts;
        for (name, stage, value) in [
            (
                "Rent accounts at referral",
                ArrearsStage::Referral,
                "referral",
            ),
            (
                "Rent accounts at the second letter",
                ArrearsStage::SecondLetter,
                "second_letter",
            ),
        ] {
            let count = counts
                .iter()
                .find(|c| c.stage == stage as i32)
                .map_or(0, |c| c.accounts);
            queues.push(Queue {
                name,
                href: format!("/income?stage={value}"),
                count: count.to_string(),
            });
        }
    }
    if officer.holds(approvals::DECIDE) {
        let waiting = approvals::waiting(&state, &officer, COUNT_UP_TO, "/").await?;
        for (name, anchor, on_page, next_page_token) in [
            (
                "Removals and storage awaiting approval",
                "removals",
                waiting.removals.removals.len(),
                &waiting.removals.next_page_token,
            ),
            (
                "Write-offs awaiting approval",
                "write-offs",
                waiting.write_offs.write_offs.len(),
                &waiting.write_offs.next_page_token,
            ),
            (
                "Providers' invoices awaiting approval",
                "invoices",
                waiting.invoices.invoices.len(),
                &waiting.invoices.next_page_token,
            ),
            (
                "Under-occupation incentives awaiting approval",
                "incentives",
                waiting.incentives.incentives.len(),
                &waiting.incentives.next_page_token,
            ),
            (
                "Decant payments awaiting approval",
                "decants",
                waiting.decants.decants.len(),
                &waiting.decants.next_page_token,
            ),
        ] {
            queues.push(Queue {
                name,
                href: format!("/approvals#{anchor}"),
                count: counted(on_page, next_page_token),
            });
        }
    }
    Ok(render(&Home {
        page: Page::new("My work", Some(&officer), Section::Home),
        queues,
    }))
}
