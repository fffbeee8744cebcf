//! Amounts no household could owe or pay: refused by name when a client sends them, and
//! survived when a ledger somehow holds one. Real PostgreSQL.

mod common;

use common::*;
use housing_platform::db::Pool;
use housing_platform::errors::bad_request_fields;
use housing_proto::rent::v1 as pb;
use tonic::Code;
use uuid::Uuid;

/// The reads every account answers, whatever its ledger holds; returns the account's
/// balance as read.
async fn every_read_answers(client: &mut Client, account: Uuid) -> i64 {
    let balance = client
        .get_account(pb::GetAccountRequest {
            key: Some(pb::get_account_request::Key::AccountId(account.to_string())),
        })
        .await
        .expect("GetAccount answers")
        .into_inner()
        .account
        .unwrap()
        .balance_pence;
    let statement = client
        .get_statement(pb::GetStatementRequest {
            account_id: account.to_string(),
            from_date: "2026-11-01".into(),
            to_date: "2026-11-30".into(),
        })
        .await
        .expect("GetStatement answers")
        .into_inner();
    assert_eq!(statement.closing_balance_pence, balance);
    let arrears = client
        .get_arrears(pb::GetArrearsRequest {
            account_id: account.to_string(),
            as_of: "2026-11-23".into(),
        })
        .await
        .expect("GetArrears answers")
        .into_inner();
    assert_eq!(arrears.balance_pence, balance);
    client
        .review_arrears(pb::ReviewArrearsRequest {
            as_of: "2026-11-23".into(),
        })
        .await
        .expect("ReviewArrears answers");
    client
        .get_income_figures(pb::GetIncomeFiguresRequest {
            from_date: "2026-11-01".into(),
            to_date: "2026-11-30".into(),
        })
        .await
        .expect("GetIncomeFigures answers");
    balance
}

async fn reference(pool: &Pool, account: Uuid) -> String {
    sqlx::query_scalar("SELECT payment_reference FROM rent_accounts WHERE id = $1")
        .bind(account)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn amounts_out_of_range_are_refused_by_name_and_nothing_is_stored() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let account = open_accounts(&pool, 1, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await[0];
    h.client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap();
    let journals = count(&pool, "journal_entries").await;

    let err = h
        .client
        .record_payment(pb::RecordPaymentRequest {
            request_id: "p-max".into(),
            account_id: account.to_string(),
            amount_pence: i64::MAX,
            received_on: "2026-11-03".into(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&err), vec!["amount_pence"]);

    // A good line, then one of £92,233,720,368,547,758.07: the most 64 bits of pence hold.
    let r = reference(&pool, account).await;
    let file = format!(
        "date,reference,amount\n2026-11-03,{r},10.00\n2026-11-04,{r},92233720368547758.07\n"
    );
    let err = h
        .client
        .import_payments(pb::ImportPaymentsRequest {
            content: file.into_bytes(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&err), vec!["content.line[3]"]);

    // Every other amount a client sends is held to its range too.
    let mut manager = manager_client(h.running.addr()).await;
    let adjustment = manager
        .post_adjustment(pb::PostAdjustmentRequest {
            request_id: "a-max".into(),
            account_id: account.to_string(),
            kind: pb::AdjustmentKind::WriteOff as i32,
            amount_pence: 1_000_000_001,
            effective_date: "2026-11-10".into(),
            reason: "written off".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&adjustment), vec!["amount_pence"]);
    let plan = h
        .client
        .create_payment_plan(pb::CreatePaymentPlanRequest {
            request_id: "plan-max".into(),
            account_id: account.to_string(),
            instalment_pence: i64::MIN,
            start_date: "2026-11-10".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&plan), vec!["instalment_pence"]);
    let bond = h
        .client
        .issue_bond(pb::IssueBondRequest {
            request_id: "b-max".into(),
            household_name: "Sam Lee".into(),
            landlord: "Greenway Lettings".into(),
            property_address: "4 Park Row".into(),
            guaranteed_pence: i64::MAX,
            issued_on: "2026-06-01".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bond), vec!["guaranteed_pence"]);
    let claim = h
        .client
        .claim_bond(pb::ClaimBondRequest {
            request_id: "c-max".into(),
            bond_id: Uuid::now_v7().to_string(),
            amount_pence: i64::MAX,
            reason: "damage".into(),
            paid_on: "2026-11-10".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&claim), vec!["amount_pence"]);

    assert_eq!(
        count(&pool, "journal_entries").await,
        journals,
        "nothing posted"
    );
    assert_eq!(count(&pool, "payments").await, 0);
    assert_eq!(count(&pool, "payment_plans").await, 0);
    assert_eq!(count(&pool, "bonds").await, 0);
    assert_eq!(every_read_answers(&mut h.client, account).await, 21_000);
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}

/// The screen in front of every service refuses any amount beyond what one amount may be;
/// behind it, each request's mapping holds its amounts to their range, and would alone.
#[test]
fn the_mapping_holds_every_amount_to_its_range_without_the_screen() {
    use rent::app::adjustments::Adjustment;
    use rent::app::arrears::NewPlan;
    use rent::app::bonds::{Claim, Issue, Repayment};
    use rent::app::payments::Payment;

    let account_id = Uuid::now_v7().to_string();
    for amount in [i64::MIN, -1, 0, 1_000_000_001, i64::MAX] {
        let payment = Payment::try_from(pb::RecordPaymentRequest {
            request_id: "p".into(),
            account_id: account_id.clone(),
            amount_pence: amount,
            received_on: "2026-11-03".into(),
            method: pb::PaymentMethod::Tenant as i32,
        });
        assert_eq!(
            bad_request_fields(&payment.err().unwrap()),
            ["amount_pence"]
        );
        let adjustment = Adjustment::try_from(pb::PostAdjustmentRequest {
            request_id: "a".into(),
            account_id: account_id.clone(),
            kind: pb::AdjustmentKind::Refund as i32,
            amount_pence: amount,
            effective_date: "2026-11-10".into(),
            reason: "overpaid".into(),
        });
        assert_eq!(
            bad_request_fields(&adjustment.err().unwrap()),
            ["amount_pence"]
        );
        let plan = NewPlan::try_from(pb::CreatePaymentPlanRequest {
            request_id: "plan".into(),
            account_id: account_id.clone(),
            instalment_pence: amount,
            start_date: "2026-11-10".into(),
        });
        assert_eq!(
            bad_request_fields(&plan.err().unwrap()),
            ["instalment_pence"]
        );
        let bond = Issue::try_from(pb::IssueBondRequest {
            request_id: "b".into(),
            household_name: "Sam Lee".into(),
            landlord: "Greenway Lettings".into(),
            property_address: "4 Park Row".into(),
            guaranteed_pence: amount,
            issued_on: "2026-06-01".into(),
            ..Default::default()
        });
        assert_eq!(
            bad_request_fields(&bond.err().unwrap()),
            ["guaranteed_pence"]
        );
        let claim = Claim::try_from(pb::ClaimBondRequest {
            request_id: "c".into(),
            bond_id: account_id.clone(),
            amount_pence: amount,
            reason: "damage".into(),
            paid_on: "2026-11-10".into(),
        });
        assert_eq!(bad_request_fields(&claim.err().unwrap()), ["amount_pence"]);
        let repayment = Repayment::try_from(pb::RecordBondRepaymentRequest {
            request_id: "r".into(),
            bond_id: account_id.clone(),
            amount_pence: amount,
            received_on: "2026-11-10".into(),
        });
        assert_eq!(
            bad_request_fields(&repayment.err().unwrap()),
            ["amount_pence"]
        );
    }
    let most = Payment::try_from(pb::RecordPaymentRequest {
        request_id: "p".into(),
        account_id,
        amount_pence: 1_000_000_000,
        received_on: "2026-11-03".into(),
        method: pb::PaymentMethod::Tenant as i32,
    });
    assert!(most.is_ok(), "£10,000,000 is the most one payment may be");
}

/// Posts `pence` to the tenant and takes it from rent income, as only corruption could: a
/// balanced journal straight into the database.
async fn corrupt(pool: &Pool, account: Uuid, pence: i64) {
    let mut tx = pool.begin().await.unwrap();
    let journal: i64 = sqlx::query_scalar(
        "INSERT INTO journal_entries (kind, memo, rent_account_id, effective_date, created_by, created_at)
         VALUES ('charge', 'corrupt', $1, '2026-11-06', 'corruption', now()) RETURNING id",
    )
    .bind(account)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO postings (journal_id, ledger_account, amount_pence)
         VALUES ($1, 'tenant:' || $2, $3), ($1, 'income:rent', -$3)",
    )
    .bind(journal)
    .bind(account)
    .bind(pence)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_ledger_holding_an_absurd_posting_still_answers_every_read() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 3, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    h.client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start(),
        })
        .await
        .unwrap();
    h.client
        .record_payment(pb::RecordPaymentRequest {
            request_id: "p-1".into(),
            account_id: ids[0].to_string(),
            amount_pence: 1_000,
            received_on: "2026-11-04".into(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap();
    // Two accounts each owing the most 64 bits hold, on top of their rent: their own
    // balances, rent income and the arrears at their stage all go beyond 64 bits.
    for &account in &ids[..2] {
        corrupt(&pool, account, i64::MAX).await;
    }

    for &account in &ids[..2] {
        assert_eq!(every_read_answers(&mut h.client, account).await, i64::MAX);
    }
    assert_eq!(every_read_answers(&mut h.client, ids[2]).await, 21_000);

    let statement = h
        .client
        .get_statement(pb::GetStatementRequest {
            account_id: ids[0].to_string(),
            from_date: "2026-11-01".into(),
            to_date: "2026-11-30".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        statement
            .lines
            .iter()
            .map(|l| l.balance_pence)
            .collect::<Vec<_>>(),
        vec![21_000, 20_000, i64::MAX],
        "the running balance holds at the most 64 bits do"
    );
    let arrears = h
        .client
        .get_arrears(pb::GetArrearsRequest {
            account_id: ids[0].to_string(),
            as_of: "2026-11-23".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(arrears.stage, "referral");
    assert_eq!(arrears.under_4_weeks_pence, i64::MAX);
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
        (i64::MAX, 1_000)
    );
    let referred = figures
        .arrears_by_stage
        .iter()
        .find(|s| s.stage == "referral")
        .unwrap();
    assert_eq!((referred.accounts, referred.balance_pence), (2, i64::MAX));
    // The arrears queue sorts by the exact sums, beyond 64 bits, a page at a time.
    let mut queued = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = h
            .client
            .list_accounts(pb::ListAccountsRequest {
                page_size: 1,
                page_token,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        queued.extend(page.accounts.into_iter().map(|a| {
            let account = a.account.unwrap();
            (account.account_id, account.balance_pence)
        }));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    // Both show the most 64 bits hold; the first paid £10, so owes less and comes second.
    assert_eq!(
        queued,
        [
            (ids[1].to_string(), i64::MAX),
            (ids[0].to_string(), i64::MAX),
            (ids[2].to_string(), 21_000)
        ]
    );
    assert_queue_follows(&pool).await;

    // What posts still checks: no refund of a credit the account does not have.
    let refund = h
        .client
        .post_adjustment(pb::PostAdjustmentRequest {
            request_id: "r-1".into(),
            account_id: ids[0].to_string(),
            kind: pb::AdjustmentKind::Refund as i32,
            amount_pence: 100,
            effective_date: "2026-11-10".into(),
            reason: "overpaid".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refund.code(), Code::FailedPrecondition);
    // Nor a payment plan the arrears review could not reckon with.
    let plan = h
        .client
        .create_payment_plan(pb::CreatePaymentPlanRequest {
            request_id: "plan-1".into(),
            account_id: ids[0].to_string(),
            instalment_pence: 5_000,
            start_date: "2026-11-10".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(plan.code(), Code::FailedPrecondition);
    h.running.stop().await.unwrap();
}
