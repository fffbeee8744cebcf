//! The officers' queue of annual reviews awaiting the applicant's reply, as the register's
//! search gives it. Real PostgreSQL and NATS; the days are driven by the test.

mod common;

use chrono::{Days, Months};
use common::{client_as, family_request, start, submit};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::time::{format_date, today};
use housing_proto::register::v1 as pb;
use register::app::daily;
use register::domain::scheme::Scheme;
use tonic::Code;

fn due_request() -> pb::SearchApplicationsRequest {
    pb::SearchApplicationsRequest {
        annual_review_due: true,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_queue_holds_reviews_awaiting_a_reply_with_their_dates_and_a_reply_takes_one_out() {
    let mut h = start().await;
    let first = submit(&mut h.client, family_request("queue-first")).await;
    let second = submit(&mut h.client, family_request("queue-second")).await;
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;

    let before = assistant
        .search_applications(due_request())
        .await
        .unwrap()
        .into_inner();
    assert!(before.applications.is_empty(), "no review is due yet");

    let due = today() + Months::new(12);
    let scheme = Scheme::load(std::path::Path::new(common::BANDING)).unwrap();
    daily::run_day(&h.db.pool().await, &scheme, due)
        .await
        .unwrap();

    let queue = assistant
        .search_applications(due_request())
        .await
        .unwrap()
        .into_inner();
    let listed: Vec<_> = queue
        .applications
        .iter()
        .map(|a| {
            (
                a.reference.as_str(),
                a.review_due_on.as_str(),
                a.review_reply_by.as_str(),
            )
        })
        .collect();
    let (due_on, reply_by) = (format_date(due), format_date(due + Days::new(28)));
    assert_eq!(
        listed,
        [
            (first.reference.as_str(), due_on.as_str(), reply_by.as_str()),
            (
                second.reference.as_str(),
                due_on.as_str(),
                reply_by.as_str()
            ),
        ]
    );
    // A page of one says there is more, as the home page's count relies on.
    let page = assistant
        .search_applications(pb::SearchApplicationsRequest {
            page_size: 1,
            ..due_request()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.applications.len(), 1);
    let rest = assistant
        .search_applications(pb::SearchApplicationsRequest {
            page_token: page.next_page_token,
            ..due_request()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.applications[0].reference, second.reference);

    assistant
        .record_review_reply(pb::RecordReviewReplyRequest {
            application_id: first.application_id.clone(),
            still_wants_housing: true,
        })
        .await
        .unwrap();
    let after = assistant
        .search_applications(due_request())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        after
            .applications
            .iter()
            .map(|a| a.reference.as_str())
            .collect::<Vec<_>>(),
        [second.reference.as_str()],
        "a reply takes the application out of the queue"
    );
    // Outside the queue an application carries no review dates.
    let everyone = assistant
        .search_applications(pb::SearchApplicationsRequest {
            reference: first.reference.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(everyone.applications[0].review_due_on, "");
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_hostile_search_names_every_bad_field() {
    let h = start().await;
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let err = assistant
        .search_applications(pb::SearchApplicationsRequest {
            status: 9999,
            page_token: "x' OR 1=1; --".into(),
            family_name: "%_\\".into(),
            ..due_request()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&err), ["status", "page_token"]);

    // LIKE's wildcards in a name are only characters: they match nothing here.
    let found = assistant
        .search_applications(pb::SearchApplicationsRequest {
            family_name: "%_\\".into(),
            ..due_request()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(found.applications.is_empty());
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_officer_starts_a_review_early_once_and_it_joins_the_queue() {
    let mut h = start().await;
    let app = submit(&mut h.client, family_request("queue-early")).await;
    let start_review = |id: &str| pb::StartAnnualReviewRequest {
        application_id: id.to_owned(),
    };
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    let refused = assistant
        .start_annual_review(start_review(&app.application_id))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);

    h.client
        .start_annual_review(start_review(&app.application_id))
        .await
        .unwrap();
    let queue = assistant
        .search_applications(due_request())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(queue.applications.len(), 1);
    assert_eq!(queue.applications[0].review_due_on, format_date(today()));
    assert_eq!(
        queue.applications[0].review_reply_by,
        format_date(today() + Days::new(28))
    );
    assert_eq!(
        common::events(&h.db.pool().await, "housing.register.review.due.v1").await,
        1
    );

    let again = h
        .client
        .start_annual_review(start_review(&app.application_id))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition);
    let hostile = h
        .client
        .start_annual_review(start_review("00000000-0000-0000-0000-000000000000'--"))
        .await
        .unwrap_err();
    assert_eq!(hostile.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&hostile), ["application_id"]);

    // A reply renews the application a year from the day the review started.
    let replied = assistant
        .record_review_reply(pb::RecordReviewReplyRequest {
            application_id: app.application_id.clone(),
            still_wants_housing: true,
        })
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    assert_eq!(
        replied.next_review_on,
        format_date(today() + Months::new(12))
    );
    h.running.stop().await.unwrap();
}
