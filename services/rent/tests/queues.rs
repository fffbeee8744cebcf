//! The officer console's two queues over gRPC on a real PostgreSQL: the income officer's
//! arrears queue (ListAccounts) and write-offs asked for by officers and decided by a
//! manager (RequestWriteOff, ListWriteOffs, DecideWriteOff).

mod common;

use std::collections::BTreeMap;

use common::*;
use housing_platform::auth::Role;
use housing_platform::db::Pool;
use housing_platform::errors::bad_request_fields;
use housing_platform::money::Pence;
use housing_proto::rent::v1::{self as pb, list_accounts_request::Reference};
use housing_testkit::oidc::officer;
use tonic::Code;
use uuid::Uuid;

/// Opens an account for a new placement, charged `weekly` from `opened`.
async fn open(
    pool: &Pool,
    weekly: i64,
    application: Option<Uuid>,
    opened: (i32, u32, u32),
) -> (Uuid, Uuid) {
    let mut tx = pool.begin().await.unwrap();
    let account = rent::app::accounts::open(
        &mut tx,
        Uuid::now_v7(),
        application,
        rent::domain::charges::Schedule {
            rent_pence: Pence::new(weekly),
            service_pence: Pence::ZERO,
        },
        date(opened.0, opened.1, opened.2),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (account.id, account.placement_id)
}

async fn charge_week(client: &mut Client, week_start: &str) {
    client
        .run_weekly_charges(pb::RunWeeklyChargesRequest {
            week_start: week_start.into(),
        })
        .await
        .unwrap();
}

async fn pay(client: &mut Client, request_id: &str, account: Uuid, pence: i64) {
    client
        .record_payment(pb::RecordPaymentRequest {
            request_id: request_id.into(),
            account_id: account.to_string(),
            amount_pence: pence,
            received_on: "2026-10-30".into(),
            method: pb::PaymentMethod::Tenant as i32,
        })
        .await
        .unwrap();
}

/// What each account should show in the queue.
#[derive(Debug, Clone)]
struct Expected {
    id: Uuid,
    reference: String,
    balance: i64,
    stage: pb::ArrearsStage,
    status: pb::AccountStatus,
    application: Option<Uuid>,
    plan: bool,
}

/// Every page of the queue under `request`, `page_size` at a time, as (page lengths, all).
async fn every_page(
    client: &mut Client,
    request: pb::ListAccountsRequest,
    page_size: i32,
) -> (Vec<usize>, Vec<pb::AccountSummary>) {
    let mut pages = Vec::new();
    let mut all = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_accounts(pb::ListAccountsRequest {
                page_size,
                page_token: token.clone(),
                ..request.clone()
            })
            .await
            .unwrap()
            .into_inner();
        pages.push(page.accounts.len());
        all.extend(page.accounts);
        if page.next_page_token.is_empty() {
            return (pages, all);
        }
        assert!(pages.len() < 100, "the pages come to an end");
        token = page.next_page_token;
    }
}

/// The queue's order: the highest balance first, then by account id.
fn in_queue_order(mut expected: Vec<&Expected>) -> Vec<Uuid> {
    expected.sort_by(|a, b| b.balance.cmp(&a.balance).then(a.id.cmp(&b.id)));
    expected.into_iter().map(|e| e.id).collect()
}

fn ids(listed: &[pb::AccountSummary]) -> Vec<Uuid> {
    listed
        .iter()
        .map(|s| Uuid::parse_str(&s.account.as_ref().unwrap().account_id).unwrap())
        .collect()
}

fn counts(response: &pb::ListAccountsResponse) -> BTreeMap<i32, i64> {
    response
        .stage_counts
        .iter()
        .map(|c| (c.stage, c.accounts))
        .collect()
}

fn expected_counts<'a>(accounts: impl IntoIterator<Item = &'a Expected>) -> BTreeMap<i32, i64> {
    let mut counts: BTreeMap<i32, i64> = (1..=6).map(|stage| (stage, 0)).collect();
    for a in accounts {
        *counts.get_mut(&(a.stage as i32)).unwrap() += 1;
    }
    counts
}

#[tokio::test]
async fn the_arrears_queue_filters_orders_by_balance_pages_and_counts_the_stages() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let application = Uuid::now_v7();
    let opened = (2026, 9, 7);
    // (weekly rent, paid by the end of October, application)
    let plans: [(i64, i64, Option<Uuid>); 7] = [
        (20_000, 0, Some(application)), // 8 weeks owed: referral
        (30_000, 150_000, None),        // 3 weeks: first letter
        (20_000, 80_000, None),         // 4 weeks: second letter
        (20_000, 140_000, None),        // 1 week: reminder
        (20_000, 160_000, None),        // paid up: clear
        (10_000, 0, None),              // 8 weeks of a lower rent: referral
        (20_000, 80_000, None),         // 4 weeks, then a payment plan
    ];
    let mut accounts = Vec::new();
    for (weekly, _, application) in plans {
        accounts.push(open(&pool, weekly, application, opened).await.0);
    }
    // A former tenant of the same application: two weeks charged, then the placement ended.
    let (former, former_placement) = open(&pool, 20_000, Some(application), opened).await;
    for week in ["2026-09-07", "2026-09-14"] {
        charge_week(&mut h.client, week).await;
    }
    let mut tx = pool.begin().await.unwrap();
    rent::app::accounts::close(&mut tx, former_placement, date(2026, 9, 21), "test")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for week in [
        "2026-09-21",
        "2026-09-28",
        "2026-10-05",
        "2026-10-12",
        "2026-10-19",
        "2026-10-26",
    ] {
        charge_week(&mut h.client, week).await;
    }
    for (i, (&account, (_, paid, _))) in accounts.iter().zip(plans).enumerate() {
        if paid > 0 {
            pay(&mut h.client, &format!("pay-{i}"), account, paid).await;
        }
    }
    h.client
        .create_payment_plan(pb::CreatePaymentPlanRequest {
            request_id: "plan-1".into(),
            account_id: accounts[6].to_string(),
            instalment_pence: 5_000,
            start_date: "2026-11-02".into(),
        })
        .await
        .unwrap();
    h.client
        .review_arrears(pb::ReviewArrearsRequest {
            as_of: "2026-11-02".into(),
        })
        .await
        .unwrap();
    // Opened since: nothing charged, nothing owed, never reviewed.
    let mut newcomers = Vec::new();
    for _ in 0..3 {
        newcomers.push(open(&pool, 20_000, None, (2026, 11, 2)).await.0);
    }

    use pb::ArrearsStage as S;
    let stages = [
        S::Referral,
        S::FirstLetter,
        S::SecondLetter,
        S::Reminder,
        S::Clear,
        S::Referral,
        S::PaymentPlan,
    ];
    let balances = [160_000, 90_000, 80_000, 20_000, 0, 80_000, 80_000];
    let mut expected: Vec<Expected> = accounts
        .iter()
        .zip(stages)
        .zip(balances)
        .zip(plans)
        .enumerate()
        .map(
            |(i, (((&id, stage), balance), (_, _, application)))| Expected {
                id,
                reference: String::new(),
                balance,
                stage,
                status: pb::AccountStatus::Open,
                application,
                plan: i == 6,
            },
        )
        .collect();
    expected.push(Expected {
        id: former,
        reference: String::new(),
        balance: 40_000,
        stage: S::FirstLetter,
        status: pb::AccountStatus::Closed,
        application: Some(application),
        plan: false,
    });
    for &id in &newcomers {
        expected.push(Expected {
            id,
            reference: String::new(),
            balance: 0,
            stage: S::Clear,
            status: pb::AccountStatus::Open,
            application: None,
            plan: false,
        });
    }
    for e in &mut expected {
        e.reference = h
            .client
            .get_account(pb::GetAccountRequest {
                key: Some(pb::get_account_request::Key::AccountId(e.id.to_string())),
            })
            .await
            .unwrap()
            .into_inner()
            .account
            .unwrap()
            .payment_reference;
    }
    let find = |id: Uuid| expected.iter().find(|e| e.id == id).unwrap();

    // The whole queue, three at a time: the three accounts owing £800 fall across a page
    // boundary and come in order of id; nothing is repeated or skipped, and the last page
    // says it is the last.
    let (pages, all) = every_page(&mut h.client, pb::ListAccountsRequest::default(), 3).await;
    assert_eq!(pages, [3, 3, 3, 2]);
    assert_eq!(ids(&all), in_queue_order(expected.iter().collect()));
    for summary in &all {
        let account = summary.account.as_ref().unwrap();
        let e = find(Uuid::parse_str(&account.account_id).unwrap());
        assert_eq!(account.balance_pence, e.balance, "{e:?}");
        assert_eq!(summary.arrears_stage, e.stage as i32, "{e:?}");
        assert_eq!(summary.has_active_plan, e.plan, "{e:?}");
        assert_eq!(account.status, e.status as i32, "{e:?}");
        assert_eq!(account.payment_reference, e.reference);
    }
    // The default page holds them all; the counts are of every stage, in recovery order.
    let first = h
        .client
        .list_accounts(pb::ListAccountsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.accounts.len(), expected.len());
    assert!(first.next_page_token.is_empty());
    assert_eq!(
        first
            .stage_counts
            .iter()
            .map(|c| c.stage)
            .collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert_eq!(counts(&first), expected_counts(&expected));

    // Each filter, alone and together, against what each account should be.
    let check = |request: pb::ListAccountsRequest,
                 keep: &dyn Fn(&Expected) -> bool,
                 keep_but_stage: &dyn Fn(&Expected) -> bool| {
        let kept = in_queue_order(expected.iter().filter(|e| keep(e)).collect());
        assert!(kept.len() < expected.len(), "{request:?} leaves some out");
        let counted = expected_counts(expected.iter().filter(|e| keep_but_stage(e)));
        (request, kept, counted)
    };
    let referral = check(
        pb::ListAccountsRequest {
            stage: S::Referral as i32,
            ..Default::default()
        },
        &|e| e.stage == S::Referral,
        &|_| true,
    );
    let clear = check(
        pb::ListAccountsRequest {
            stage: S::Clear as i32,
            ..Default::default()
        },
        &|e| e.stage == S::Clear,
        &|_| true,
    );
    let former_tenants = check(
        pb::ListAccountsRequest {
            status: pb::AccountStatus::Closed as i32,
            ..Default::default()
        },
        &|e| e.status == pb::AccountStatus::Closed,
        &|e| e.status == pb::AccountStatus::Closed,
    );
    let open_first_letters = check(
        pb::ListAccountsRequest {
            stage: S::FirstLetter as i32,
            status: pb::AccountStatus::Open as i32,
            ..Default::default()
        },
        &|e| e.stage == S::FirstLetter && e.status == pb::AccountStatus::Open,
        &|e| e.status == pb::AccountStatus::Open,
    );
    let of_application = check(
        pb::ListAccountsRequest {
            application_id: application.to_string(),
            ..Default::default()
        },
        &|e| e.application == Some(application),
        &|e| e.application == Some(application),
    );
    let referenced = expected[1].reference.clone();
    let by_reference = check(
        pb::ListAccountsRequest {
            // As an officer might type it.
            reference: Some(Reference::PaymentReference(referenced.to_lowercase())),
            ..Default::default()
        },
        &|e| e.reference == referenced,
        &|e| e.reference == referenced,
    );
    // References run TA00000001 to TA00000011: those from the tenth on.
    let last = &expected.last().unwrap().reference;
    let prefix = last[..last.len() - 1].to_owned();
    let by_prefix = check(
        pb::ListAccountsRequest {
            reference: Some(Reference::PaymentReferencePrefix(prefix.clone())),
            ..Default::default()
        },
        &|e| e.reference.starts_with(&prefix),
        &|e| e.reference.starts_with(&prefix),
    );
    assert_eq!(by_prefix.1.len(), 2, "TA00000010 and TA00000011");
    let no_such_prefix = check(
        pb::ListAccountsRequest {
            reference: Some(Reference::PaymentReferencePrefix("TB".into())),
            ..Default::default()
        },
        &|_| false,
        &|_| false,
    );
    for (request, kept, counted) in [
        referral,
        clear,
        former_tenants,
        open_first_letters,
        of_application,
        by_reference,
        by_prefix,
        no_such_prefix,
    ] {
        let page = h
            .client
            .list_accounts(request.clone())
            .await
            .unwrap()
            .into_inner();
        assert_eq!(ids(&page.accounts), kept, "{request:?}");
        assert_eq!(counts(&page), counted, "{request:?}");
        // One at a time, the same.
        let (_, all) = every_page(&mut h.client, request.clone(), 1).await;
        assert_eq!(ids(&all), kept, "{request:?} a page at a time");
    }
    assert_eq!(
        ids(&h
            .client
            .list_accounts(pb::ListAccountsRequest {
                stage: S::Referral as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .accounts),
        [accounts[0], accounts[5]],
        "the referrals, the larger debt first"
    );

    // A token from another list, or none from this service, is refused by name.
    let token = h
        .client
        .list_accounts(pb::ListAccountsRequest {
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .next_page_token;
    assert!(!token.is_empty());
    for (page_token, stage) in [
        (token.clone(), S::Referral),
        ("not-a-token".to_owned(), S::Unspecified),
        ("bm90IGEgdG9rZW4".to_owned(), S::Unspecified),
    ] {
        let err = h
            .client
            .list_accounts(pb::ListAccountsRequest {
                stage: stage as i32,
                page_token,
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument);
        assert_eq!(bad_request_fields(&err), ["page_token"]);
    }
    let err = h
        .client
        .list_accounts(pb::ListAccountsRequest {
            stage: 99,
            application_id: "not-an-id".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&err), ["stage", "application_id"]);

    // TA officers read the queue too; a register assistant does not.
    let mut ta = client_as(h.running.addr(), Role::TaOfficer).await;
    ta.list_accounts(pb::ListAccountsRequest::default())
        .await
        .unwrap();
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    assert_eq!(
        assistant
            .list_accounts(pb::ListAccountsRequest::default())
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    assert_queue_follows(&pool).await;
    h.running.stop().await.unwrap();
}

fn ask(request_id: &str, account: Uuid, amount: i64) -> pb::RequestWriteOffRequest {
    pb::RequestWriteOffRequest {
        request_id: request_id.into(),
        account_id: account.to_string(),
        amount_pence: amount,
        reason: "the household left no forwarding address".into(),
    }
}

fn decide(
    write_off: &pb::WriteOff,
    decision: pb::WriteOffDecision,
    reason: &str,
) -> pb::DecideWriteOffRequest {
    pb::DecideWriteOffRequest {
        write_off_id: write_off.write_off_id.clone(),
        decision: decision as i32,
        reason: reason.into(),
    }
}

async fn balance(client: &mut Client, account: Uuid) -> i64 {
    client
        .get_account(pb::GetAccountRequest {
            key: Some(pb::get_account_request::Key::AccountId(account.to_string())),
        })
        .await
        .unwrap()
        .into_inner()
        .account
        .unwrap()
        .balance_pence
}

async fn pending(client: &mut Client) -> Vec<pb::WriteOff> {
    client
        .list_write_offs(pb::ListWriteOffsRequest {
            status: pb::WriteOffStatus::Pending as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .write_offs
}

#[tokio::test]
async fn a_write_off_an_officer_asks_for_is_posted_when_a_manager_approves_it() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 1, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    charge_week(&mut h.client, &week_start()).await;
    let mut manager = manager_client(h.running.addr()).await;

    let asked = h
        .client
        .request_write_off(ask("wo-1", ids[0], 5_000))
        .await
        .unwrap()
        .into_inner()
        .write_off
        .unwrap();
    assert_eq!(asked.status, pb::WriteOffStatus::Pending as i32);
    assert_eq!(asked.requested_by, officer(Role::IncomeOfficer).sub);
    assert!(asked.requested_at.is_some() && asked.decided_at.is_none());
    assert_eq!(
        (asked.amount_pence, asked.account_balance_pence),
        (5_000, 21_000)
    );
    assert!(asked.payment_reference.starts_with("TA"));
    assert_eq!(
        balance(&mut h.client, ids[0]).await,
        21_000,
        "nothing is posted yet"
    );

    // A retry returns the first, whatever it says, and asks for nothing more.
    let retried = h
        .client
        .request_write_off(ask("wo-1", ids[0], 6_000))
        .await
        .unwrap()
        .into_inner()
        .write_off
        .unwrap();
    assert_eq!(retried.write_off_id, asked.write_off_id);
    assert_eq!(retried.amount_pence, 5_000);
    assert_eq!(count(&pool, "write_offs").await, 1);

    // The manager's queue holds it; only a manager decides it.
    let queue = pending(&mut manager).await;
    assert_eq!(
        queue.iter().map(|w| &w.write_off_id).collect::<Vec<_>>(),
        [&asked.write_off_id]
    );
    let denied = h
        .client
        .decide_write_off(decide(&asked, pb::WriteOffDecision::Approve, ""))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);

    let approved = manager
        .decide_write_off(decide(&asked, pb::WriteOffDecision::Approve, ""))
        .await
        .unwrap()
        .into_inner()
        .write_off
        .unwrap();
    assert_eq!(approved.status, pb::WriteOffStatus::Approved as i32);
    assert_eq!(approved.requested_by, officer(Role::IncomeOfficer).sub);
    assert_eq!(approved.decided_by, officer(Role::Manager).sub);
    assert!(approved.decided_at.is_some());
    assert_eq!(approved.account_balance_pence, 16_000);
    assert_eq!(balance(&mut h.client, ids[0]).await, 16_000);

    // The journal is the one a manager's WRITE_OFF adjustment posts.
    let (kind, memo, by): (String, String, String) =
        sqlx::query_as("SELECT kind, memo, created_by FROM journal_entries WHERE id = $1")
            .bind(approved.journal_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(kind, "write_off");
    assert_eq!(memo, "write-off: the household left no forwarding address");
    assert_eq!(by, officer(Role::Manager).sub);
    let written_off: i64 = sqlx::query_scalar(
        "SELECT amount_pence FROM postings WHERE journal_id = $1 AND ledger_account = 'expense:write_offs'",
    )
    .bind(approved.journal_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(written_off, 5_000);

    // Decided once.
    for decision in [pb::WriteOffDecision::Approve, pb::WriteOffDecision::Decline] {
        let again = manager
            .decide_write_off(decide(&asked, decision, "second thoughts"))
            .await
            .unwrap_err();
        assert_eq!(again.code(), Code::FailedPrecondition);
        assert!(again.message().contains("approved already"), "{again:?}");
    }
    assert_eq!(balance(&mut h.client, ids[0]).await, 16_000);
    assert!(pending(&mut manager).await.is_empty());
    let history = manager
        .list_write_offs(pb::ListWriteOffsRequest {
            status: pb::WriteOffStatus::Approved as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(history.write_offs, std::slice::from_ref(&approved));

    // A retry of the request after the decision still returns the write-off, decided.
    let late_retry = h
        .client
        .request_write_off(ask("wo-1", ids[0], 5_000))
        .await
        .unwrap()
        .into_inner()
        .write_off
        .unwrap();
    assert_eq!(late_retry.status, pb::WriteOffStatus::Approved as i32);
    assert_eq!(balance(&mut h.client, ids[0]).await, 16_000);

    // The database keeps a decision as made.
    let edit = sqlx::query(
        "UPDATE write_offs SET status = 'declined', decision_reason = 'x' WHERE id = $1",
    )
    .bind(Uuid::parse_str(&approved.write_off_id).unwrap())
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(edit.to_string().contains("decided"), "{edit}");
    assert_books_balance(&pool).await;
    assert_queue_follows(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_write_off_is_held_to_the_arrears_and_a_decline_records_why() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 2, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    charge_week(&mut h.client, &week_start()).await;
    let mut manager = manager_client(h.running.addr()).await;

    // More than the arrears, nothing, no reason, no account: each named.
    let too_much = h
        .client
        .request_write_off(ask("wo-1", ids[0], 21_001))
        .await
        .unwrap_err();
    assert_eq!(too_much.code(), Code::InvalidArgument);
    assert_eq!(bad_request_fields(&too_much), ["amount_pence"]);
    assert!(too_much.message().contains("amount_pence"));
    let mut blank = ask("", ids[0], 0);
    blank.reason = " ".into();
    let blank = h.client.request_write_off(blank).await.unwrap_err();
    assert_eq!(
        bad_request_fields(&blank),
        ["request_id", "amount_pence", "reason"]
    );
    let nobody = h
        .client
        .request_write_off(ask("wo-2", Uuid::now_v7(), 100))
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&nobody), ["account_id"]);
    assert_eq!(count(&pool, "write_offs").await, 0);

    // Declined, with the reason required and recorded; nothing posted.
    let asked = h
        .client
        .request_write_off(ask("wo-3", ids[0], 10_000))
        .await
        .unwrap()
        .into_inner()
        .write_off
        .unwrap();
    let no_reason = manager
        .decide_write_off(decide(&asked, pb::WriteOffDecision::Decline, ""))
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&no_reason), ["reason"]);
    let declined = manager
        .decide_write_off(decide(
            &asked,
            pb::WriteOffDecision::Decline,
            "the household is working again: agree a payment plan",
        ))
        .await
        .unwrap()
        .into_inner()
        .write_off
        .unwrap();
    assert_eq!(declined.status, pb::WriteOffStatus::Declined as i32);
    assert_eq!(
        declined.decision_reason,
        "the household is working again: agree a payment plan"
    );
    assert_eq!(declined.decided_by, officer(Role::Manager).sub);
    assert!(declined.decided_at.is_some());
    assert_eq!(declined.journal_id, 0);
    assert_eq!(balance(&mut h.client, ids[0]).await, 21_000);
    let again = manager
        .decide_write_off(decide(&asked, pb::WriteOffDecision::Approve, ""))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition);
    assert!(again.message().contains("declined already"), "{again:?}");

    // Asked for while owed, the arrears then paid down below it: not approved, and still
    // pending for the manager to decline.
    let asked = h
        .client
        .request_write_off(ask("wo-4", ids[1], 15_000))
        .await
        .unwrap()
        .into_inner()
        .write_off
        .unwrap();
    pay(&mut h.client, "pay-1", ids[1], 10_000).await;
    let fallen = manager
        .decide_write_off(decide(&asked, pb::WriteOffDecision::Approve, ""))
        .await
        .unwrap_err();
    assert_eq!(fallen.code(), Code::FailedPrecondition);
    assert!(
        fallen.message().contains("arrears have fallen to £110.00"),
        "{fallen:?}"
    );
    assert_eq!(balance(&mut h.client, ids[1]).await, 11_000);
    let still = pending(&mut manager).await;
    assert_eq!(still.len(), 1);
    assert_eq!(
        (
            still[0].write_off_id.as_str(),
            still[0].account_balance_pence
        ),
        (asked.write_off_id.as_str(), 11_000)
    );

    // No such write-off.
    let missing = manager
        .decide_write_off(pb::DecideWriteOffRequest {
            write_off_id: Uuid::now_v7().to_string(),
            decision: pb::WriteOffDecision::Approve as i32,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    assert_books_balance(&pool).await;
    assert_queue_follows(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn pending_write_offs_are_listed_oldest_first_a_page_at_a_time() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let ids = open_accounts(&pool, 3, 21_000, date(WEEK.0, WEEK.1, WEEK.2)).await;
    charge_week(&mut h.client, &week_start()).await;
    let mut manager = manager_client(h.running.addr()).await;
    let mut asked = Vec::new();
    for i in 0..5 {
        let write_off = h
            .client
            .request_write_off(ask(&format!("wo-{i}"), ids[i % 3], 1_000))
            .await
            .unwrap()
            .into_inner()
            .write_off
            .unwrap();
        asked.push(write_off.write_off_id);
    }
    // The first asked for is declined: the queue is the other four.
    manager
        .decide_write_off(pb::DecideWriteOffRequest {
            write_off_id: asked[0].clone(),
            decision: pb::WriteOffDecision::Decline as i32,
            reason: "recoverable".into(),
        })
        .await
        .unwrap();

    let list =
        |status: pb::WriteOffStatus, account: &str, page_token: String| pb::ListWriteOffsRequest {
            status: status as i32,
            account_id: account.into(),
            page_size: 3,
            page_token,
        };
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let page = manager
            .list_write_offs(list(pb::WriteOffStatus::Pending, "", token))
            .await
            .unwrap()
            .into_inner();
        pages += 1;
        seen.extend(page.write_offs.into_iter().map(|w| w.write_off_id));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(pages, 2);
    assert_eq!(seen, asked[1..]);

    // Every status, newest first; one account's.
    let all = manager
        .list_write_offs(pb::ListWriteOffsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .write_offs;
    let newest_first: Vec<_> = asked.iter().rev().cloned().collect();
    assert_eq!(
        all.iter()
            .map(|w| w.write_off_id.clone())
            .collect::<Vec<_>>(),
        newest_first
    );
    let of_first_account = manager
        .list_write_offs(list(
            pb::WriteOffStatus::Unspecified,
            &ids[0].to_string(),
            String::new(),
        ))
        .await
        .unwrap()
        .into_inner()
        .write_offs;
    assert_eq!(
        of_first_account
            .iter()
            .map(|w| w.write_off_id.clone())
            .collect::<Vec<_>>(),
        [asked[3].clone(), asked[0].clone()]
    );

    // Income officers see the queue; a TA officer does not.
    assert_eq!(pending(&mut h.client).await.len(), 4);
    let mut ta = client_as(h.running.addr(), Role::TaOfficer).await;
    let denied = ta
        .list_write_offs(pb::ListWriteOffsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let bad = manager
        .list_write_offs(list(pb::WriteOffStatus::Pending, "nope", "garbage".into()))
        .await
        .unwrap_err();
    assert_eq!(bad_request_fields(&bad), ["account_id", "page_token"]);
    h.running.stop().await.unwrap();
}
