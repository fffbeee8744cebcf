//! Nominations hears from the register, on real PostgreSQL and NATS.

use std::time::Duration;

use housing_proto::register::v1 as register;
use housing_testkit::{TestDatabase, TestEnv, eventually, servers, unique_prefix};
use uuid::Uuid;

#[tokio::test]
async fn an_applicant_housed_elsewhere_has_live_nominations_withdrawn_and_vacancies_reopened() {
    let db = TestDatabase::create("nominations", &nominations::migrators()).await;
    let prefix = unique_prefix();
    let env = TestEnv {
        database_url: db.url.clone(),
        nats_url: servers::nats_url().to_owned(),
        subject_prefix: prefix.clone(),
    };
    let running = nominations::build(env.settings(nominations::DEFAULTS, &[]))
        .await
        .expect("starts");
    let pool = db.pool().await;

    let (partner, vacancy, application) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    sqlx::query(
        "INSERT INTO partners (id, name, response_days, created_at) VALUES ($1, 'P', 5, now())",
    )
    .bind(partner)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO vacancies (id, partner_id, address, area, bedrooms, property_type, step_free, wheelchair_accessible,
                                weekly_rent_pence, available_from, void_start, status, reported_at)
         VALUES ($1, $2, '1 Road', 'north', 2, 'flat', false, false, 15000, current_date, current_date, 'nominated', now())",
    )
    .bind(vacancy)
    .bind(partner)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO nominations (id, vacancy_id, partner_id, application_id, application_reference, band, status,
                                  respond_by, nominated_by, nominated_at)
         VALUES ($1, $2, $3, $4, 'REG-0000001', 'B', 'pending', current_date + 5, 'officer', now())",
    )
    .bind(Uuid::now_v7())
    .bind(vacancy)
    .bind(partner)
    .bind(application)
    .execute(&pool)
    .await
    .unwrap();

    // The register announces the applicant housed through another letting.
    let bus = housing_testkit::bus(servers::nats_url(), &prefix).await;
    bus.ensure_stream("register").await.unwrap();
    let housed = register::ApplicationHoused {
        application_id: application.to_string(),
        reference: "REG-0000001".into(),
        letting_id: "elsewhere".into(),
        housed_at: None,
    };
    housing_testkit::publish_as(
        &bus,
        Uuid::now_v7(),
        "housing.register.application.housed.v1",
        &application.to_string(),
        &housed,
    )
    .await;

    eventually(
        Duration::from_secs(20),
        "the nomination to be withdrawn",
        || {
            let pool = pool.clone();
            async move {
                let status: String = sqlx::query_scalar("SELECT status FROM nominations")
                    .fetch_one(&pool)
                    .await
                    .ok()?;
                (status == "withdrawn").then_some(())
            }
        },
    )
    .await;
    let vacancy_status: String = sqlx::query_scalar("SELECT status FROM vacancies")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(vacancy_status, "open");
    running.stop().await.unwrap();
}
