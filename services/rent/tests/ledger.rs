//! The rent ledger over gRPC on a real PostgreSQL: charge runs, payments, imports,
//! statements, concurrent writers and a crash in the middle of a charge run.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use housing_platform::auth::Role;
use housing_platform::errors::bad_request_fields;
use housing_platform::money::Pence;
use housing_proto::rent::v1 as pb;
use housing_testkit::{TestDatabase, eventually, servers, unique_prefix};
use uuid::Uuid;

#[tokio::test]
async fn a_charge_run_run_twice_posts_once_and_prorates_a_part_week() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let whole = open_accounts(&pool, 3, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    // Opened on the Thursday: four days of the week.
    let part = open_accounts(&pool, 1, 21_000, date(2026, 11, 5)).await;

    let first = h
        .client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.accounts_charged, 4);
    assert_eq!(first.total_charged_pence, 3 * 21_000 + 12_000);
    let second = h
        .client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(second.accounts_charged, 4, "nothing new was charged");
    let charges: i64 = sqlx::query_scalar("SELECT count(*) FROM charges")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(charges, 4);
    let progress = h
        .client
        .get_charge_run(pb::GetChargeRunRequest {
            week_start: week_start(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(progress.finished);
    assert_eq!(
        (progress.accounts_charged, progress.accounts_remaining),
        (4, 0)
    );
    assert_eq!(
        progress.run_by,
        housing_testkit::oidc::officer(Role::IncomeOfficer).sub
    );

    let account = |id: Uuid| pb::GetAccountRequest {
        key: Some(pb::get_account_request::Key::AccountId(id.to_string())),
    };
    let a = h
        .client
        .get_account(account(whole[0]))
        .await
        .unwrap()
        .into_inner()
        .account
        .unwrap();
    assert_eq!(a.balance_pence, 21_000);
    let p = h
        .client
        .get_account(account(part[0]))
        .await
        .unwrap()
        .into_inner()
        .account
        .unwrap();
    assert_eq!(p.balance_pence, 12_000);
    assert_books_balance(&pool).await;

    let tuesday = h
        .client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: "2026-11-03".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&tuesday), vec!["week_start"]);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_payment_file_imported_twice_posts_once_and_reports_unmatched_lines() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 2, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    let reference = |id: Uuid| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT payment_reference FROM rent_accounts WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (r1, r2) = (reference(ids[0]).await, reference(ids[1]).await);
    let file = format!(
        "date,reference,amount\n2026-11-03,{r1},100.00\n2026-11-04,{r2},50.50\n2026-11-04,TA99999999,10.00\n"
    );
    let request = || pb::ImportPaymentsRequest {
        content: file.clone().into_bytes(),
        method: pb::PaymentMethod::HousingBenefit as i32,
    };

    let first = h
        .client
        .import_payments(request())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.posted_lines, vec![2, 3]);
    assert_eq!(
        first.unmatched.iter().map(|u| u.line).collect::<Vec<_>>(),
        vec![4]
    );
    let again = h
        .client
        .import_payments(request())
        .await
        .unwrap()
        .into_inner();
    assert!(again.posted_lines.is_empty());
    assert_eq!(again.already_posted_lines, vec![2, 3]);
    let payments: i64 = sqlx::query_scalar("SELECT count(*) FROM payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(payments, 2);
    let direct: i64 = sqlx::query_scalar(
        "SELECT sum(amount_pence)::bigint FROM postings WHERE ledger_account = 'cash:benefit_paid_direct'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(direct, 15_050, "housing benefit paid direct is kept apart");
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn bad_input_is_named_and_posts_nothing() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 1, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    let r: String = sqlx::query_scalar("SELECT payment_reference FROM rent_accounts")
        .fetch_one(&pool)
        .await
        .unwrap();

    // A malformed line anywhere: the whole file is refused, every bad line named.
    let file = format!("{r},2026-11-03,1.00\n2026-11-03,{r},12.345\n2026-11-03,{r},5.00\n");
    let err = h
        .client
        .import_payments(pb::ImportPaymentsRequest {
            content: file.into_bytes(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&err),
        vec!["content.line[1]", "content.line[2]"]
    );

    let err = h
        .client
        .record_payment(pb::RecordPaymentRequest {
            request_id: "p-1".into(),
            account_id: Uuid::now_v7().to_string(),
            amount_pence: -5,
            received_on: "2026-11-31".into(),
            method: 0,
        })
        .await
        .unwrap_err();
    let mut fields = bad_request_fields(&err);
    fields.sort();
    assert_eq!(fields, vec!["amount_pence", "method", "received_on"]);

    let err = h
        .client
        .record_payment(pb::RecordPaymentRequest {
            request_id: "p-2".into(),
            account_id: Uuid::now_v7().to_string(),
            amount_pence: 500,
            received_on: "2026-11-03".into(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&err),
        vec!["account_id"],
        "an unknown account is named"
    );

    let journals: i64 = sqlx::query_scalar("SELECT count(*) FROM journal_entries")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(journals, 0, "nothing posted");
    let _ = ids;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn eight_writers_on_the_same_accounts_lose_and_double_nothing() {
    let h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 4, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    let mut writers = Vec::new();
    for w in 0..8 {
        let mut client = rent_client(h.running.addr()).await;
        let ids = ids.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..25 {
                let request = pb::RecordPaymentRequest {
                    // Writers 0-3 and 4-7 send the same request ids: each payment is retried once.
                    request_id: format!("w{}-{i}", w % 4),
                    account_id: ids[i % ids.len()].to_string(),
                    amount_pence: 100 + i as i64,
                    received_on: "2026-11-03".into(),
                    method: pb::PaymentMethod::Tenant as i32,
                };
                client
                    .record_payment(request)
                    .await
                    .expect("payment accepted");
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let payments: i64 = sqlx::query_scalar("SELECT count(*) FROM payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(payments, 4 * 25, "each distinct payment once");
    let expected: i64 = 4 * (0..25).map(|i| 100 + i as i64).sum::<i64>();
    let received: i64 = sqlx::query_scalar("SELECT -coalesce(sum(amount_pence), 0)::bigint FROM postings WHERE ledger_account LIKE 'tenant:%'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(received, expected);
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_statement_shows_opening_and_closing_balances_and_every_line() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 1, 21_000, date(2026, 10, 26)).await;
    h.client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: "2026-10-26".into(),
        })
        .await
        .unwrap();
    h.client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap();
    h.client
        .record_payment(pb::RecordPaymentRequest {
            request_id: "s-1".into(),
            account_id: ids[0].to_string(),
            amount_pence: 15_000,
            received_on: "2026-11-04".into(),
            method: pb::PaymentMethod::UniversalCredit as i32,
        })
        .await
        .unwrap();
    let s = h
        .client
        .get_statement(pb::GetStatementRequest {
            account_id: ids[0].to_string(),
            from_date: "2026-11-01".into(),
            to_date: "2026-11-30".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(s.opening_balance_pence, 21_000);
    assert_eq!(
        s.lines.iter().map(|l| l.amount_pence).collect::<Vec<_>>(),
        vec![21_000, -15_000]
    );
    assert_eq!(s.closing_balance_pence, 27_000);
    assert!(
        s.csv
            .starts_with("date,type,description,debit,credit,balance\n")
    );
    assert!(
        s.csv
            .contains("2026-11-04,payment,\"payment (universal_credit)\",,150.00,270.00"),
        "{}",
        s.csv
    );
    h.running.stop().await.unwrap();
}

/// The rent binary as its own process, so the test can kill it.
fn spawn_rent(db_url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rent"))
        .env("HOUSING__DATABASE__URL", db_url)
        .env("HOUSING__NATS__URL", servers::nats_url())
        .env("HOUSING__NATS__SUBJECT_PREFIX", unique_prefix())
        .env("HOUSING__GRPC__HOST", "127.0.0.1")
        .env("HOUSING__GRPC__PORT", port.to_string())
        .env("HOUSING__AUTH__ISSUER", housing_testkit::oidc::issuer())
        .env("HOUSING__TELEMETRY__LOG_FILTER", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("rent binary starts")
}

#[tokio::test]
async fn a_charge_run_killed_part_way_then_run_again_charges_each_account_week_once() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let pool = db.pool().await;
    let accounts = 40_000;
    sqlx::query(
        "INSERT INTO rent_accounts (id, placement_id, status, weekly_charge_pence, opened_on, charged_through, created_at, payment_reference)
         SELECT gen_random_uuid(), gen_random_uuid(), 'open', 21000, $1, $1, now(),
                'TA' || lpad(nextval('payment_reference_seq')::text, 8, '0')
         FROM generate_series(1, $2)",
    )
    .bind(date(WEEK.0, WEEK.1, WEEK.2))
    .bind(accounts)
    .execute(&pool)
    .await
    .unwrap();

    let port = housing_testkit::servers::free_port();
    let mut process = spawn_rent(&db.url, port);
    housing_testkit::servers::wait_for(port);
    let mut client = rent_client(([127, 0, 0, 1], port).into()).await;
    let run = tokio::spawn(async move {
        client
            .run_weekly_charges(pb::RunWeeklyChargesRequest {
                week_start: week_start(),
            })
            .await
    });

    eventually(Duration::from_secs(60), "the run to be part way", || {
        let pool = pool.clone();
        async move {
            let done: Option<i32> = sqlx::query_scalar("SELECT accounts_charged FROM charge_runs")
                .fetch_optional(&pool)
                .await
                .ok()?;
            done.filter(|d| *d > 0).map(|_| ())
        }
    })
    .await;
    process.kill().unwrap();
    process.wait().unwrap();
    assert!(run.await.unwrap().is_err(), "the killed run did not finish");
    let part: i64 = sqlx::query_scalar("SELECT count(*) FROM charges")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        part > 0 && part < accounts as i64,
        "killed part way: {part} of {accounts}"
    );

    let mut process = spawn_rent(&db.url, port);
    housing_testkit::servers::wait_for(port);
    let mut client = rent_client(([127, 0, 0, 1], port).into()).await;
    let report = client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap()
        .into_inner();
    process.kill().unwrap();
    process.wait().unwrap();

    assert_eq!(report.accounts_charged, accounts as i64);
    let per_week: Vec<i64> = sqlx::query_scalar(
        "SELECT count(*) FROM charges GROUP BY account_id, period_start HAVING count(*) <> 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(per_week.is_empty(), "no account-week charged twice");
    let charged: i64 = sqlx::query_scalar("SELECT count(DISTINCT account_id) FROM charges")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(charged, accounts as i64);
    assert_books_balance(&pool).await;
}

fn adjustment(
    request_id: &str,
    account: Uuid,
    kind: pb::AdjustmentKind,
    amount: i64,
) -> pb::PostAdjustmentRequest {
    pb::PostAdjustmentRequest {
        request_id: request_id.into(),
        account_id: account.to_string(),
        kind: kind as i32,
        amount_pence: amount,
        effective_date: "2026-11-10".into(),
        reason: "agreed at review".into(),
    }
}

#[tokio::test]
async fn a_write_off_needs_a_manager_and_cannot_exceed_the_arrears() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 1, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    h.client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap();

    let refused = h
        .client
        .post_adjustment(adjustment(
            "w-1",
            ids[0],
            pb::AdjustmentKind::WriteOff,
            5_000,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        tonic::Code::PermissionDenied,
        "an income officer may not write off"
    );

    let mut manager = manager_client(h.running.addr()).await;
    let too_much = manager
        .post_adjustment(adjustment(
            "w-2",
            ids[0],
            pb::AdjustmentKind::WriteOff,
            21_001,
        ))
        .await
        .unwrap_err();
    assert_eq!(too_much.code(), tonic::Code::FailedPrecondition);
    let done = manager
        .post_adjustment(adjustment(
            "w-3",
            ids[0],
            pb::AdjustmentKind::WriteOff,
            5_000,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(done.balance_pence, 16_000);
    let retried = manager
        .post_adjustment(adjustment(
            "w-3",
            ids[0],
            pb::AdjustmentKind::WriteOff,
            5_000,
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (retried.journal_id, retried.balance_pence),
        (done.journal_id, 16_000),
        "a retry posts nothing more"
    );
    let by: String = sqlx::query_scalar("SELECT created_by FROM journal_entries WHERE id = $1")
        .bind(done.journal_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        by,
        housing_testkit::oidc::officer(Role::Manager).sub,
        "the decision records who made it"
    );
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn refunds_are_limited_to_the_credit_and_a_journal_is_reversed_once() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 1, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    let credit = h
        .client
        .post_adjustment(adjustment("c-1", ids[0], pb::AdjustmentKind::Credit, 3_000))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(credit.balance_pence, -3_000);
    let too_much = h
        .client
        .post_adjustment(adjustment("r-1", ids[0], pb::AdjustmentKind::Refund, 3_001))
        .await
        .unwrap_err();
    assert_eq!(too_much.code(), tonic::Code::FailedPrecondition);
    let refund = h
        .client
        .post_adjustment(adjustment("r-2", ids[0], pb::AdjustmentKind::Refund, 1_000))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(refund.balance_pence, -2_000);

    let reverse = |request_id: &str| pb::ReverseJournalRequest {
        request_id: request_id.into(),
        journal_id: credit.journal_id,
        reason: "credited in error".into(),
    };
    h.client.reverse_journal(reverse("x-1")).await.unwrap();
    let twice = h.client.reverse_journal(reverse("x-2")).await.unwrap_err();
    assert_eq!(twice.code(), tonic::Code::FailedPrecondition);
    let account = h
        .client
        .get_account(pb::GetAccountRequest {
            key: Some(pb::get_account_request::Key::AccountId(ids[0].to_string())),
        })
        .await
        .unwrap()
        .into_inner()
        .account
        .unwrap();
    assert_eq!(
        account.balance_pence, 1_000,
        "the credit undone, the refund stands"
    );
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn income_figures_show_charged_collected_and_the_collection_rate() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 2, 20_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    h.client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap();
    h.client
        .record_payment(pb::RecordPaymentRequest {
            request_id: "f-1".into(),
            account_id: ids[0].to_string(),
            amount_pence: 30_000,
            received_on: "2026-11-05".into(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap();
    let figures = h
        .client
        .get_income_figures(pb::GetIncomeFiguresRequest {
            from_date: "2026-11-01".into(),
            to_date: "2026-11-30".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (figures.charged_pence, figures.collected_pence),
        (40_000, 30_000)
    );
    assert_eq!(figures.collection_rate_basis_points, 7_500);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn the_database_refuses_an_unbalanced_journal_and_any_edit() {
    let db = TestDatabase::create("rent", &rent::migrators()).await;
    let pool = db.pool().await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO journal_entries (kind, memo, effective_date, created_by, created_at) VALUES ('test', 'x', current_date, 't', now()) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let unbalanced = sqlx::query("INSERT INTO postings (journal_id, ledger_account, amount_pence) VALUES ($1, 'a', 100), ($1, 'b', -99)")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(
        unbalanced.to_string().contains("does not balance"),
        "{unbalanced}"
    );
    sqlx::query("INSERT INTO postings (journal_id, ledger_account, amount_pence) VALUES ($1, 'a', 100), ($1, 'b', -100)")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let edit = sqlx::query("UPDATE postings SET amount_pence = 1 WHERE journal_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(edit.to_string().contains("append-only"), "{edit}");
}

#[tokio::test]
async fn a_bond_claim_is_paid_up_to_the_guarantee_and_recovered_from_the_household() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let bond = h
        .client
        .issue_bond(pb::IssueBondRequest {
            request_id: "b-1".into(),
            application_id: String::new(),
            household_name: "Sam Lee".into(),
            landlord: "Greenway Lettings".into(),
            property_address: "4 Park Row".into(),
            guaranteed_pence: 120_000,
            issued_on: "2026-06-01".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .bond
        .unwrap();
    let claim = |id: &str, amount: i64| pb::ClaimBondRequest {
        request_id: id.into(),
        bond_id: bond.bond_id.clone(),
        amount_pence: amount,
        reason: "damage to the kitchen".into(),
        paid_on: "2026-11-10".into(),
    };
    let after = h
        .client
        .claim_bond(claim("c-1", 80_000))
        .await
        .unwrap()
        .into_inner()
        .bond
        .unwrap();
    assert_eq!((after.claimed_pence, after.debt_pence), (80_000, 80_000));
    let again = h
        .client
        .claim_bond(claim("c-1", 80_000))
        .await
        .unwrap()
        .into_inner()
        .bond
        .unwrap();
    assert_eq!(again.claimed_pence, 80_000, "a retried claim is paid once");
    let over = h.client.claim_bond(claim("c-2", 40_001)).await.unwrap_err();
    assert_eq!(
        over.code(),
        tonic::Code::FailedPrecondition,
        "no more than the guarantee"
    );

    let repaid = h
        .client
        .record_bond_repayment(pb::RecordBondRepaymentRequest {
            request_id: "rp-1".into(),
            bond_id: bond.bond_id.clone(),
            amount_pence: 30_000,
            received_on: "2026-11-20".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .bond
        .unwrap();
    assert_eq!(repaid.debt_pence, 50_000);
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn service_charges_are_charged_with_the_rent_and_booked_to_their_own_income() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let mut tx = pool.begin().await.unwrap();
    let schedule = rent::domain::charges::Schedule {
        rent_pence: Pence::new(21_000),
        service_pence: Pence::new(1_400),
    };
    // Opened on the Friday: three days of the week.
    let account =
        rent::app::accounts::open(&mut tx, Uuid::now_v7(), None, schedule, date(2026, 11, 6))
            .await
            .unwrap();
    tx.commit().await.unwrap();
    h.client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap();
    let balance = h
        .client
        .get_account(pb::GetAccountRequest {
            key: Some(pb::get_account_request::Key::AccountId(
                account.id.to_string(),
            )),
        })
        .await
        .unwrap()
        .into_inner()
        .account
        .unwrap()
        .balance_pence;
    assert_eq!(balance, 9_000 + 600, "three sevenths of each");
    let services: i64 = sqlx::query_scalar("SELECT -sum(amount_pence)::bigint FROM postings WHERE ledger_account = 'income:service_charges'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(services, 600);
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}
