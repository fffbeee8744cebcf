//! What an outside tester sent and found harmful, sent again to the five running services:
//! NUL bytes and control characters, megabyte text, negative page sizes, absurd amounts and
//! a huge bad value. Each is INVALID_ARGUMENT naming the field, with an error small enough
//! for any client, and nothing is stored.

mod common;

use common::{Authed, Stack, as_role};
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_proto::accommodation::v1 as ta;
use housing_proto::documents::v1 as docs;
use housing_proto::nominations::v1 as noms;
use housing_proto::register::v1 as reg;
use housing_proto::rent::v1 as rent;
use housing_testkit::nats::unique_prefix;
use housing_testkit::servers;
use tonic::Code;

/// The refusal is INVALID_ARGUMENT naming exactly `fields`, and small enough that a
/// standard client (16 KiB of metadata) reads it as such.
#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, tonic::Status>, fields: &[&str]) {
    let status = result.expect_err("refused");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert_eq!(bad_request_fields(&status), fields, "{status:?}");
    let size = status.message().len() + status.details().len();
    assert!(size < 4096, "an error of {size} bytes");
}

async fn count(stack_db: &housing_testkit::TestDatabase, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&stack_db.pool().await)
        .await
        .expect("count")
}

#[tokio::test]
async fn hostile_text_and_numbers_are_named_by_every_service_and_store_nothing() {
    let stack = Stack::start(servers::nats_url(), &unique_prefix()).await;

    let mut register = reg::register_service_client::RegisterServiceClient::new(
        as_role(&stack.register, Role::Manager).await,
    );
    refused(
        register
            .search_applications(reg::SearchApplicationsRequest {
                family_name: "Mensah\0".into(),
                page_size: -1,
                ..Default::default()
            })
            .await,
        &["family_name", "page_size"],
    );
    // A 100 KB bad value is named, not echoed back.
    refused(
        register
            .search_applications(reg::SearchApplicationsRequest {
                reference: "R".repeat(100_000),
                ..Default::default()
            })
            .await,
        &["reference"],
    );
    let mut thin = housing_testkit::sample::thin_application("hostile-1");
    if let Some(lead) = thin.lead_applicant.as_mut() {
        lead.given_name = "Amara\u{7}".into();
    }
    refused(
        register.submit_application(thin).await,
        &["lead_applicant.given_name"],
    );
    assert_eq!(count(&stack.register.db, "applications").await, 0);

    let mut accommodation = ta::accommodation_service_client::AccommodationServiceClient::new(
        as_role(&stack.accommodation, Role::Manager).await,
    );
    refused(
        accommodation
            .create_provider(ta::CreateProviderRequest {
                request_id: "p-1".into(),
                name: "Acme\0Lettings".into(),
                contact_email: "lettings@example.org".into(),
            })
            .await,
        &["name"],
    );
    refused(
        accommodation
            .create_unit(ta::CreateUnitRequest {
                request_id: "u-1".into(),
                unit: Some(ta::Unit {
                    address: "1 High Street ".repeat(75_000),
                    weekly_cost_pence: 1 << 62,
                    ..Default::default()
                }),
            })
            .await,
        &["unit.address", "unit.weekly_cost_pence"],
    );
    assert_eq!(count(&stack.accommodation.db, "providers").await, 0);
    assert_eq!(count(&stack.accommodation.db, "units").await, 0);

    let mut nominations = noms::nominations_service_client::NominationsServiceClient::new(
        as_role(&stack.nominations, Role::Manager).await,
    );
    refused(
        nominations
            .create_partner(noms::CreatePartnerRequest {
                request_id: "partner-1".into(),
                name: "Riverside\0Homes".into(),
                response_days: 5,
                ..Default::default()
            })
            .await,
        &["name"],
    );
    assert_eq!(count(&stack.nominations.db, "partners").await, 0);

    let mut rent_api = rent::rent_service_client::RentServiceClient::new(
        as_role(&stack.rent, Role::Manager).await,
    );
    refused(
        rent_api
            .record_payment(rent::RecordPaymentRequest {
                request_id: "pay-1".into(),
                account_id: "\0".into(),
                amount_pence: i64::MAX,
                ..Default::default()
            })
            .await,
        &["account_id", "amount_pence"],
    );
    refused(
        rent_api
            .list_payables(rent::ListPayablesRequest {
                page_size: -5,
                ..Default::default()
            })
            .await,
        &["page_size"],
    );

    let mut documents: docs::documents_service_client::DocumentsServiceClient<Authed> =
        docs::documents_service_client::DocumentsServiceClient::new(
            as_role(&stack.documents, Role::Manager).await,
        );
    refused(
        documents
            .list_letters(docs::ListLettersRequest {
                application_id: "a\u{0}".into(),
                page_size: i32::MIN,
                page_token: "\u{1b}[2J".into(),
            })
            .await,
        &["application_id", "page_size", "page_token"],
    );

    stack.stop().await;
}

#[tokio::test]
async fn a_lost_database_connection_is_unavailable_and_the_retry_is_honoured() {
    let stack = Stack::start(servers::nats_url(), &unique_prefix()).await;
    let mut accommodation = ta::accommodation_service_client::AccommodationServiceClient::new(
        as_role(&stack.accommodation, Role::Manager).await,
    );
    let request = ta::CreateProviderRequest {
        request_id: "after-the-restart".into(),
        name: "Acme Lettings".into(),
        contact_email: "lettings@example.org".into(),
    };
    // Every connection the service holds is cut, as a database restart or failover does.
    let admin = stack.accommodation.db.pool().await;
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&admin)
        .await
        .expect("database name");
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&database)
    .execute(&admin)
    .await
    .expect("connections cut");
    let first = accommodation.create_provider(request.clone()).await;
    if let Err(status) = &first {
        assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    }
    // The client retries with the same request id: one provider, whichever call stored it.
    let again = accommodation
        .create_provider(request)
        .await
        .expect("the retry succeeds")
        .into_inner();
    if let Ok(first) = first {
        assert_eq!(first.into_inner().provider, again.provider);
    }
    assert_eq!(count(&stack.accommodation.db, "providers").await, 1);
    stack.stop().await;
}
