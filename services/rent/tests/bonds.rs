//! Bonds listed by household and state a page at a time (ListBonds), and a bond's history
//! of issue, claims, repayments and reversals (GetBond), against a real PostgreSQL.

mod common;

use common::*;
use housing_platform::auth::Role;
use housing_platform::db::Pool;
use housing_platform::errors::bad_request_fields;
use housing_platform::money::Pence;
use housing_proto::rent::v1::{self as pb, list_bonds_request::Holder};
use tonic::Code;
use uuid::Uuid;

async fn open(pool: &Pool, application: Option<Uuid>) -> Uuid {
    let mut tx = pool.begin().await.unwrap();
    let account = rent::app::accounts::open(
        &mut tx,
        Uuid::now_v7(),
        application,
        rent::domain::charges::Schedule {
            rent_pence: Pence::new(20_000),
            service_pence: Pence::ZERO,
        },
        date(2026, 9, 7),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    account.id
}

async fn issue(client: &mut Client, application: Option<Uuid>, landlord: &str) -> String {
    client
        .issue_bond(pb::IssueBondRequest {
            request_id: format!("issue-{landlord}"),
            application_id: application.map(|a| a.to_string()).unwrap_or_default(),
            household_name: "Sam Lee".into(),
            landlord: landlord.into(),
            property_address: "4 Park Row".into(),
            guaranteed_pence: 120_000,
            issued_on: "2026-06-01".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .bond
        .unwrap()
        .bond_id
}

async fn claim(client: &mut Client, bond_id: &str, request_id: &str, pence: i64) {
    client
        .claim_bond(pb::ClaimBondRequest {
            request_id: request_id.into(),
            bond_id: bond_id.into(),
            amount_pence: pence,
            reason: "damage to the kitchen".into(),
            paid_on: "2026-11-10".into(),
        })
        .await
        .unwrap();
}

async fn repay(client: &mut Client, bond_id: &str, request_id: &str, pence: i64) {
    client
        .record_bond_repayment(pb::RecordBondRepaymentRequest {
            request_id: request_id.into(),
            bond_id: bond_id.into(),
            amount_pence: pence,
            received_on: "2026-11-20".into(),
        })
        .await
        .unwrap();
}

/// Every page of bonds under `request`, `page_size` at a time, as (page lengths, ids).
async fn every_page(
    client: &mut Client,
    request: pb::ListBondsRequest,
    page_size: i32,
) -> (Vec<usize>, Vec<String>) {
    let mut pages = Vec::new();
    let mut ids = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_bonds(pb::ListBondsRequest {
                page_size,
                page_token: token.clone(),
                ..request.clone()
            })
            .await
            .unwrap()
            .into_inner();
        pages.push(page.bonds.len());
        ids.extend(page.bonds.into_iter().map(|b| b.bond_id));
        if page.next_page_token.is_empty() {
            return (pages, ids);
        }
        assert!(pages.len() < 100, "the pages come to an end");
        token = page.next_page_token;
    }
}

fn of_account(account: Uuid) -> pb::ListBondsRequest {
    pb::ListBondsRequest {
        holder: Some(Holder::AccountId(account.to_string())),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_households_bonds_are_listed_newest_first_a_page_at_a_time_and_by_state() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let household = Uuid::now_v7();
    let first_placement = open(&pool, Some(household)).await;
    // The same household placed again: its bonds are the household's, not the account's.
    let second_placement = open(&pool, Some(household)).await;
    let no_application = open(&pool, None).await;
    let other_household = Uuid::now_v7();

    let owed = issue(&mut h.client, Some(household), "Greenway").await;
    let cleared = issue(&mut h.client, Some(household), "Parkside").await;
    let held = issue(&mut h.client, Some(household), "Riverside").await;
    let others = issue(&mut h.client, Some(other_household), "Hilltop").await;
    let unattached = issue(&mut h.client, None, "Lakeside").await;
    claim(&mut h.client, &owed, "c-owed", 80_000).await;
    repay(&mut h.client, &owed, "r-owed", 30_000).await;
    claim(&mut h.client, &cleared, "c-cleared", 10_000).await;
    repay(&mut h.client, &cleared, "r-cleared", 10_000).await;

    let newest_first = vec![held.clone(), cleared.clone(), owed.clone()];
    for account in [first_placement, second_placement] {
        let (pages, ids) = every_page(&mut h.client, of_account(account), 2).await;
        assert_eq!(pages, [2, 1]);
        assert_eq!(ids, newest_first);
    }
    let by_application = pb::ListBondsRequest {
        holder: Some(Holder::ApplicationId(household.to_string())),
        ..Default::default()
    };
    assert_eq!(
        every_page(&mut h.client, by_application, 0).await,
        (vec![3], newest_first.clone())
    );
    assert_eq!(
        every_page(&mut h.client, pb::ListBondsRequest::default(), 3).await,
        (
            vec![3, 2],
            vec![
                unattached,
                others,
                held.clone(),
                cleared.clone(),
                owed.clone()
            ]
        )
    );
    assert_eq!(
        every_page(&mut h.client, of_account(no_application), 0).await,
        (vec![0], vec![]),
        "an account of no application has no household's bonds"
    );

    for (state, bond) in [
        (pb::BondState::Held, &held),
        (pb::BondState::BeingRepaid, &owed),
        (pb::BondState::Repaid, &cleared),
    ] {
        let listed = h
            .client
            .list_bonds(pb::ListBondsRequest {
                state: state as i32,
                ..of_account(first_placement)
            })
            .await
            .unwrap()
            .into_inner();
        let ids: Vec<_> = listed.bonds.iter().map(|b| b.bond_id.as_str()).collect();
        assert_eq!(ids, [bond.as_str()], "{state:?}");
        assert_eq!(listed.bonds[0].state, state as i32);
        assert!(listed.next_page_token.is_empty());
    }
    let first = h
        .client
        .list_bonds(of_account(first_placement))
        .await
        .unwrap()
        .into_inner();
    let owed_listed = first.bonds.iter().find(|b| b.bond_id == owed).unwrap();
    assert_eq!(
        (owed_listed.claimed_pence, owed_listed.debt_pence),
        (80_000, 50_000)
    );
    assert_books_balance(&pool).await;
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_bonds_history_lists_its_issue_claims_repayments_and_reversals_in_order() {
    let mut h = start().await;
    let household = Uuid::now_v7();
    let bond = issue(&mut h.client, Some(household), "Greenway").await;
    claim(&mut h.client, &bond, "c-1", 80_000).await;
    repay(&mut h.client, &bond, "r-1", 30_000).await;
    repay(&mut h.client, &bond, "r-2", 50_000).await;
    let pool = h.db.pool().await;
    let second_repayment: i64 =
        sqlx::query_scalar("SELECT id FROM journal_entries WHERE request_id = 'r-2'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let mut manager = manager_client(h.running.addr()).await;
    manager
        .reverse_journal(pb::ReverseJournalRequest {
            request_id: "undo-r-2".into(),
            journal_id: second_repayment,
            reason: "the cheque bounced".into(),
        })
        .await
        .unwrap();

    let got = h
        .client
        .get_bond(pb::GetBondRequest {
            bond_id: bond.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    let position = got.bond.unwrap();
    assert_eq!(position.debt_pence, 50_000);
    assert_eq!(position.state, pb::BondState::BeingRepaid as i32);
    use pb::BondEventKind as K;
    let seen: Vec<_> = got
        .history
        .iter()
        .map(|e| (e.kind, e.amount_pence, e.effective_on.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (K::Issued as i32, 120_000, "2026-06-01"),
            (K::Claim as i32, 80_000, "2026-11-10"),
            (K::Repayment as i32, 30_000, "2026-11-20"),
            (K::Repayment as i32, 50_000, "2026-11-20"),
            (K::Reversal as i32, 50_000, seen[4].2),
        ]
    );
    assert_eq!(got.history[1].reason, "damage to the kitchen");
    assert!(got.history[4].reason.contains("the cheque bounced"));
    assert!(got.history[0].reason.is_empty() && got.history[2].reason.is_empty());
    let income_officer = &got.history[0].recorded_by;
    assert!(!income_officer.is_empty());
    assert!(
        got.history[..4]
            .iter()
            .all(|e| &e.recorded_by == income_officer)
    );
    assert_ne!(&got.history[4].recorded_by, income_officer, "the manager");
    assert!(got.history.iter().all(|e| e.recorded_at.is_some()));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_bad_list_names_every_bad_field_and_only_those_who_read_rent_may_list() {
    let mut h = start().await;
    let pool = h.db.pool().await;
    let account = open(&pool, Some(Uuid::now_v7())).await;
    let refused = h
        .client
        .list_bonds(pb::ListBondsRequest {
            holder: Some(Holder::AccountId("nope".into())),
            state: 42,
            page_token: "%%".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&refused),
        ["account_id", "state", "page_token"]
    );
    for (request, field) in [
        (
            pb::ListBondsRequest {
                holder: Some(Holder::ApplicationId("x".into())),
                ..Default::default()
            },
            "application_id",
        ),
        (
            pb::ListBondsRequest {
                page_token: "bm90IGEgdG9rZW4".into(),
                ..of_account(account)
            },
            "page_token",
        ),
        (of_account(Uuid::now_v7()), "account_id"),
    ] {
        let refused = h.client.list_bonds(request).await.unwrap_err();
        assert_eq!(refused.code(), Code::InvalidArgument, "{field}");
        assert_eq!(bad_request_fields(&refused), [field]);
    }

    let mut ta = client_as(h.running.addr(), Role::TaOfficer).await;
    ta.list_bonds(of_account(account)).await.unwrap();
    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    assert_eq!(
        assistant
            .list_bonds(of_account(account))
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    let bond = issue(&mut h.client, None, "Greenway").await;
    assert_eq!(
        assistant
            .get_bond(pb::GetBondRequest { bond_id: bond })
            .await
            .unwrap_err()
            .code(),
        Code::PermissionDenied
    );
    h.running.stop().await.unwrap();
}
