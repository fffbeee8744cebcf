//! Property test on the real ledger: any sequence of charges, payments, adjustments,
//! reversals and closures keeps every journal balanced and every balance equal to the sum
//! of its postings.

use chrono::NaiveDate;
use housing_platform::db::Pool;
use housing_platform::money::Pence;
use housing_testkit::TestDatabase;
use proptest::prelude::*;
use rent::app::adjustments::{self, Adjustment, Kind, Reversal};
use rent::app::payments::{self, Method, Payment};
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Op {
    ChargeWeek(u32),
    Pay {
        account: usize,
        pence: i64,
    },
    Adjust {
        account: usize,
        debit: bool,
        pence: i64,
    },
    ReverseLatest,
    Close {
        account: usize,
        days: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..6).prop_map(Op::ChargeWeek),
        (0usize..3, 1i64..50_000).prop_map(|(account, pence)| Op::Pay { account, pence }),
        (0usize..3, any::<bool>(), 1i64..20_000).prop_map(|(account, debit, pence)| Op::Adjust {
            account,
            debit,
            pence
        }),
        Just(Op::ReverseLatest),
        (0usize..3, 1u32..60).prop_map(|(account, days)| Op::Close { account, days }),
    ]
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 7).unwrap()
}

async fn apply(pool: &Pool, accounts: &[(Uuid, Uuid)], ops: &[Op], case: &str) {
    for (i, op) in ops.iter().enumerate() {
        let request = format!("{case}-{i}");
        match op {
            Op::ChargeWeek(w) => {
                let week = start() + chrono::Days::new(7 * *w as u64);
                rent::app::charge_run::run_week(pool, week, "prop", 2)
                    .await
                    .unwrap();
            }
            Op::Pay { account, pence } => {
                let payment = Payment {
                    request_id: request,
                    account_id: accounts[*account].0,
                    amount: Pence::new(*pence),
                    received_on: start(),
                    method: Method::Tenant,
                };
                payments::record(pool, &payment, "prop").await.unwrap();
            }
            Op::Adjust {
                account,
                debit,
                pence,
            } => {
                let kind = if *debit { Kind::Debit } else { Kind::Credit };
                let a = Adjustment {
                    request_id: request,
                    account_id: accounts[*account].0,
                    kind,
                    amount: Pence::new(*pence),
                    effective_date: start(),
                    reason: "prop".into(),
                };
                adjustments::post(pool, &a, "prop").await.unwrap();
            }
            Op::ReverseLatest => {
                let latest: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM journal_entries j WHERE kind <> 'reversal'
                       AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses = j.id)
                       AND rent_account_id = ANY($1)
                     ORDER BY id DESC LIMIT 1",
                )
                .bind(accounts.iter().map(|a| a.0).collect::<Vec<_>>())
                .fetch_optional(pool)
                .await
                .unwrap();
                if let Some(journal_id) = latest {
                    let reversal = Reversal {
                        request_id: request,
                        journal_id,
                        reason: "prop".into(),
                    };
                    adjustments::reverse(pool, &reversal, "prop").await.unwrap();
                }
            }
            Op::Close { account, days } => {
                let mut tx = pool.begin().await.unwrap();
                let end = start() + chrono::Days::new(*days as u64);
                rent::app::accounts::close(&mut tx, accounts[*account].1, end, "prop")
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }
    }
}

async fn check_invariants(pool: &Pool) {
    let unbalanced: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT journal_id FROM postings GROUP BY journal_id HAVING sum(amount_pence) <> 0) j",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(unbalanced, 0, "every journal balances");
    // The service's balance of each account is the sum of that account's postings.
    let accounts: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM rent_accounts")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    for id in accounts {
        let ledger_account = rent::domain::ledger::tenant_account(id);
        let balance = rent::db::ledger::balance(&mut conn, &ledger_account)
            .await
            .unwrap();
        let summed: i64 = sqlx::query_scalar::<_, i64>(
            "SELECT amount_pence FROM postings WHERE ledger_account = $1",
        )
        .bind(&ledger_account)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .into_iter()
        .sum();
        assert_eq!(balance.get(), summed);
    }
    let total: i64 =
        sqlx::query_scalar("SELECT coalesce(sum(amount_pence), 0)::bigint FROM postings")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(total, 0, "the books sum to zero");
}

#[test]
fn any_sequence_of_postings_reversals_and_closures_keeps_the_books_balanced() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = runtime.block_on(TestDatabase::create("rent", &rent::migrators()));
    let pool = runtime.block_on(db.pool());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    runner
        .run(&prop::collection::vec(op(), 1..25), |ops| {
            // Request ids must be unique across cases: each case is its own.
            let case = Uuid::now_v7();
            runtime.block_on(async {
                let mut accounts = Vec::new();
                let mut tx = pool.begin().await.unwrap();
                for _ in 0..3 {
                    let placement = Uuid::now_v7();
                    let account = rent::app::accounts::open(
                        &mut tx,
                        placement,
                        None,
                        rent::domain::charges::Schedule {
                            rent_pence: Pence::new(21_000),
                            service_pence: Pence::ZERO,
                        },
                        start(),
                    )
                    .await
                    .unwrap();
                    accounts.push((account.id, placement));
                }
                tx.commit().await.unwrap();
                apply(&pool, &accounts, &ops, &format!("case{case}")).await;
                check_invariants(&pool).await;
            });
            Ok(())
        })
        .unwrap();
}
