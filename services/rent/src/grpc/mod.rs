//! The rent service's gRPC API.

use housing_events::host::Host;
use housing_platform::auth::{Role, caller};
use housing_platform::errors::{FieldViolations, date_field, uuid_field};
use housing_platform::paging;
use housing_platform::time::{format_date, format_optional_date};
use housing_proto::rent::v1::{
    self as pb,
    get_account_request::Key as PbKey,
    rent_service_server::{RentService, RentServiceServer},
};
use sqlx::PgPool;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use crate::app::payments::{self, Method};
use crate::app::{accounts, adjustments, arrears, bonds, charge_run, payables, statements};
use crate::db::accounts::{AccountStatus, Key, RentAccount};
use crate::db::bonds::Bond as BondRecord;
use crate::db::figures;
use crate::db::payables as payables_store;
use crate::domain::arrears::Thresholds;

pub const SERVICE_NAMES: &[&str] = &["housing.rent.v1.RentService"];

pub fn routes(host: &Host) -> tonic::service::Routes {
    let server = RentServiceServer::new(Rent {
        pool: host.pool.clone(),
    })
    .max_decoding_message_size(host.max_message_bytes)
    .max_encoding_message_size(host.max_message_bytes);
    let mut routes = tonic::service::RoutesBuilder::default();
    routes.add_service(host.authenticated(server));
    routes.routes()
}

struct Rent {
    pool: PgPool,
}

const READ: &[Role] = &[Role::IncomeOfficer, Role::TaOfficer, Role::Manager];
const INCOME: &[Role] = &[Role::IncomeOfficer, Role::Manager];

fn account_proto(account: &RentAccount, balance: i64) -> pb::RentAccount {
    pb::RentAccount {
        account_id: account.id.to_string(),
        placement_id: account.placement_id.to_string(),
        application_id: account
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        status: match account.status {
            AccountStatus::Open => pb::AccountStatus::Open,
            AccountStatus::Closed => pb::AccountStatus::Closed,
        } as i32,
        weekly_charge_pence: account.weekly_charge_pence,
        balance_pence: balance,
        opened_on: format_date(account.opened_on),
        closed_on: format_optional_date(account.closed_on),
        payment_reference: account.payment_reference.clone(),
        weekly_service_charge_pence: account.weekly_service_charge_pence,
    }
}

fn method(value: i32, v: &mut FieldViolations) -> Method {
    match pb::PaymentMethod::try_from(value) {
        Ok(pb::PaymentMethod::Tenant) => Method::Tenant,
        Ok(pb::PaymentMethod::HousingBenefit) => Method::HousingBenefit,
        Ok(pb::PaymentMethod::UniversalCredit) => Method::UniversalCredit,
        _ => {
            v.add(
                "method",
                "required: PAYMENT_METHOD_TENANT, _HOUSING_BENEFIT or _UNIVERSAL_CREDIT",
            );
            Method::Tenant
        }
    }
}

#[tonic::async_trait]
impl RentService for Rent {
    async fn get_account(
        &self,
        request: Request<pb::GetAccountRequest>,
    ) -> Result<Response<pb::GetAccountResponse>, Status> {
        caller(&request)?.require(READ)?;
        let mut v = FieldViolations::new();
        let key = match &request.get_ref().key {
            Some(PbKey::AccountId(id)) => Uuid::parse_str(id)
                .map(Key::Account)
                .map_err(|_| v.add("account_id", "must be a UUID"))
                .ok(),
            Some(PbKey::PlacementId(id)) => Uuid::parse_str(id)
                .map(Key::Placement)
                .map_err(|_| v.add("placement_id", "must be a UUID"))
                .ok(),
            None => {
                v.add("key", "account_id or placement_id is required");
                None
            }
        };
        let Some(key) = key else {
            return Err(v.into_status());
        };
        let (account, balance) = accounts::get(&self.pool, key).await?;
        Ok(Response::new(pb::GetAccountResponse {
            account: Some(account_proto(&account, balance)),
        }))
    }

    async fn run_weekly_charges(
        &self,
        request: Request<pb::RunWeeklyChargesRequest>,
    ) -> Result<Response<pb::RunWeeklyChargesResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let week_start = date_field("week_start", &request.get_ref().week_start)?;
        let report =
            charge_run::run_week(&self.pool, week_start, &caller.id, charge_run::BATCH).await?;
        Ok(Response::new(pb::RunWeeklyChargesResponse {
            week_start: format_date(week_start),
            accounts_charged: report.accounts_charged,
            total_charged_pence: report.total_pence,
        }))
    }

    async fn record_payment(
        &self,
        request: Request<pb::RecordPaymentRequest>,
    ) -> Result<Response<pb::RecordPaymentResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retried payment is posted once",
        );
        let account_id = v.uuid("account_id", &r.account_id);
        if r.amount_pence <= 0 {
            v.add(
                "amount_pence",
                "must be above zero (refunds are not payments)",
            );
        }
        let received_on = v.date("received_on", &r.received_on);
        let method = method(r.method, &mut v);
        let (Some(account_id), Some(received_on)) = (account_id, received_on) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let posted = payments::record(
            &self.pool,
            r.request_id.trim(),
            account_id,
            r.amount_pence,
            received_on,
            method,
            &caller.id,
        )
        .await?;
        let (_, balance) = accounts::get(&self.pool, Key::Account(account_id)).await?;
        Ok(Response::new(pb::RecordPaymentResponse {
            posted,
            balance_pence: balance,
        }))
    }

    async fn import_payments(
        &self,
        request: Request<pb::ImportPaymentsRequest>,
    ) -> Result<Response<pb::ImportPaymentsResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let method = method(r.method, &mut v);
        let content = String::from_utf8(r.content)
            .map_err(|_| v.add("content", "must be UTF-8 text"))
            .unwrap_or_default();
        if content.trim().is_empty() {
            v.add("content", "the file is empty");
        }
        v.into_result(())?;
        let report = payments::import(&self.pool, &content, method, &caller.id).await?;
        let lines = |l: Vec<usize>| l.into_iter().map(|n| n as i32).collect();
        Ok(Response::new(pb::ImportPaymentsResponse {
            posted_lines: lines(report.posted),
            already_posted_lines: lines(report.already_posted),
            unmatched: report
                .unmatched
                .into_iter()
                .map(|e| pb::LineProblem {
                    line: e.line as i32,
                    message: e.message,
                })
                .collect(),
        }))
    }

    async fn get_statement(
        &self,
        request: Request<pb::GetStatementRequest>,
    ) -> Result<Response<pb::GetStatementResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let account_id = v.uuid("account_id", &r.account_id);
        let from = v.date("from_date", &r.from_date);
        let to = v.date("to_date", &r.to_date);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            v.add("to_date", format!("{to} is before {from}"));
        }
        let (Some(account_id), Some(from), Some(to)) = (account_id, from, to) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let statement = statements::statement(&self.pool, account_id, from, to).await?;
        Ok(Response::new(pb::GetStatementResponse {
            account_id: statement.account_id.to_string(),
            payment_reference: statement.payment_reference.clone(),
            from_date: format_date(from),
            to_date: format_date(to),
            opening_balance_pence: statement.opening_pence,
            lines: statement
                .lines
                .iter()
                .map(|(line, balance)| pb::StatementLine {
                    date: format_date(line.date),
                    kind: line.kind.clone(),
                    description: line.memo.clone(),
                    amount_pence: line.amount_pence,
                    balance_pence: *balance,
                })
                .collect(),
            closing_balance_pence: statement.closing_pence,
            csv: statement.to_csv(),
        }))
    }

    async fn post_adjustment(
        &self,
        request: Request<pb::PostAdjustmentRequest>,
    ) -> Result<Response<pb::PostAdjustmentResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let kind = match pb::AdjustmentKind::try_from(r.kind) {
            Ok(pb::AdjustmentKind::Credit) => Some(adjustments::Kind::Credit),
            Ok(pb::AdjustmentKind::Debit) => Some(adjustments::Kind::Debit),
            Ok(pb::AdjustmentKind::Refund) => Some(adjustments::Kind::Refund),
            Ok(pb::AdjustmentKind::WriteOff) => Some(adjustments::Kind::WriteOff),
            _ => {
                v.add("kind", "required: CREDIT, DEBIT, REFUND or WRITE_OFF");
                None
            }
        };
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry posts nothing more",
        );
        let account_id = v.uuid("account_id", &r.account_id);
        if r.amount_pence <= 0 {
            v.add(
                "amount_pence",
                "must be above zero; the kind says which way it goes",
            );
        }
        let effective_date = v.date("effective_date", &r.effective_date);
        v.require("reason", &r.reason, "why the account is adjusted");
        let (Some(kind), Some(account_id), Some(effective_date)) =
            (kind, account_id, effective_date)
        else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        if kind == adjustments::Kind::WriteOff {
            caller.require(&[Role::Manager])?;
        }
        let (journal_id, balance) = adjustments::post(
            &self.pool,
            adjustments::Adjustment {
                request_id: r.request_id.trim(),
                account_id,
                kind,
                amount_pence: r.amount_pence,
                effective_date,
                reason: r.reason.trim(),
                by: &caller.id,
            },
        )
        .await?;
        Ok(Response::new(pb::PostAdjustmentResponse {
            journal_id,
            balance_pence: balance,
        }))
    }

    async fn reverse_journal(
        &self,
        request: Request<pb::ReverseJournalRequest>,
    ) -> Result<Response<pb::ReverseJournalResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry posts nothing more",
        );
        if r.journal_id <= 0 {
            v.add("journal_id", "required");
        }
        v.require("reason", &r.reason, "why the journal is reversed");
        v.into_result(())?;
        let id = adjustments::reverse(
            &self.pool,
            r.request_id.trim(),
            r.journal_id,
            r.reason.trim(),
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::ReverseJournalResponse {
            reversal_journal_id: id,
        }))
    }

    async fn review_arrears(
        &self,
        request: Request<pb::ReviewArrearsRequest>,
    ) -> Result<Response<pb::ReviewArrearsResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let on = date_field("as_of", &request.get_ref().as_of)?;
        let report = arrears::review(&self.pool, on, &Thresholds::default(), &caller.id).await?;
        Ok(Response::new(pb::ReviewArrearsResponse {
            accounts_reviewed: report.reviewed,
            stages_changed: report.changed,
        }))
    }

    async fn create_payment_plan(
        &self,
        request: Request<pb::CreatePaymentPlanRequest>,
    ) -> Result<Response<pb::CreatePaymentPlanResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry agrees one plan",
        );
        let account_id = v.uuid("account_id", &r.account_id);
        v.positive("instalment_pence", r.instalment_pence);
        let start = v.date("start_date", &r.start_date);
        let (Some(account_id), Some(start)) = (account_id, start) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let (plan_id, balance) = arrears::create_plan(
            &self.pool,
            r.request_id.trim(),
            account_id,
            r.instalment_pence,
            start,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::CreatePaymentPlanResponse {
            plan_id: plan_id.to_string(),
            start_balance_pence: balance,
        }))
    }

    async fn get_arrears(
        &self,
        request: Request<pb::GetArrearsRequest>,
    ) -> Result<Response<pb::GetArrearsResponse>, Status> {
        caller(&request)?.require(READ)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let account_id = v.uuid("account_id", &r.account_id);
        let on = v.date("as_of", &r.as_of);
        let (Some(account_id), Some(on)) = (account_id, on) else {
            return Err(v.into_status());
        };
        let view = arrears::view(&self.pool, account_id, on).await?;
        Ok(Response::new(pb::GetArrearsResponse {
            stage: view.stage.as_str().into(),
            balance_pence: view.balance_pence,
            weeks_in_arrears: view.weeks,
            under_4_weeks_pence: view.aged[0],
            weeks_4_to_8_pence: view.aged[1],
            weeks_8_to_13_pence: view.aged[2],
            over_13_weeks_pence: view.aged[3],
            has_active_plan: view.has_plan,
        }))
    }

    async fn get_income_figures(
        &self,
        request: Request<pb::GetIncomeFiguresRequest>,
    ) -> Result<Response<pb::GetIncomeFiguresResponse>, Status> {
        caller(&request)?.require(&[Role::IncomeOfficer, Role::Manager])?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let from = v.date("from_date", &r.from_date);
        let to = v.date("to_date", &r.to_date);
        let (Some(from), Some(to)) = (from, to) else {
            return Err(v.into_status());
        };
        if to < from {
            v.add("to_date", format!("{to} is before {from}"));
        }
        v.into_result(())?;
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        let (charged, collected) = figures::charged_and_collected(&mut conn, from, to)
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        let stages = figures::arrears_by_stage(&mut conn)
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        Ok(Response::new(pb::GetIncomeFiguresResponse {
            charged_pence: charged,
            collected_pence: collected,
            collection_rate_basis_points: if charged > 0 {
                collected * 10_000 / charged
            } else {
                0
            },
            arrears_by_stage: stages
                .into_iter()
                .map(|(stage, accounts, balance_pence)| pb::StageFigure {
                    stage,
                    accounts,
                    balance_pence,
                })
                .collect(),
        }))
    }

    async fn issue_bond(
        &self,
        request: Request<pb::IssueBondRequest>,
    ) -> Result<Response<pb::IssueBondResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry issues one bond",
        );
        let application_id = if r.application_id.is_empty() {
            None
        } else {
            v.uuid("application_id", &r.application_id)
        };
        for (field, value) in [
            ("household_name", &r.household_name),
            ("landlord", &r.landlord),
            ("property_address", &r.property_address),
        ] {
            if value.trim().is_empty() {
                v.add(field, "required");
            }
        }
        v.positive("guaranteed_pence", r.guaranteed_pence);
        let issued_on = v.date("issued_on", &r.issued_on);
        let Some(issued_on) = issued_on else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let bond = bonds::issue(
            &self.pool,
            r.request_id.trim(),
            BondRecord {
                id: Uuid::nil(),
                application_id,
                household_name: r.household_name.trim().into(),
                landlord: r.landlord.trim().into(),
                property_address: r.property_address.trim().into(),
                guaranteed_pence: r.guaranteed_pence,
                issued_on,
                claimed_pence: 0,
            },
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::IssueBondResponse {
            bond: Some(bond_proto(&bond)),
        }))
    }

    async fn claim_bond(
        &self,
        request: Request<pb::ClaimBondRequest>,
    ) -> Result<Response<pb::ClaimBondResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry pays one claim",
        );
        let bond_id = v.uuid("bond_id", &r.bond_id);
        v.positive("amount_pence", r.amount_pence);
        v.require("reason", &r.reason, "what the landlord claims for");
        let paid_on = v.date("paid_on", &r.paid_on);
        let (Some(bond_id), Some(paid_on)) = (bond_id, paid_on) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let bond = bonds::claim(
            &self.pool,
            r.request_id.trim(),
            bond_id,
            r.amount_pence,
            r.reason.trim(),
            paid_on,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::ClaimBondResponse {
            bond: Some(bond_proto(&bond)),
        }))
    }

    async fn record_bond_repayment(
        &self,
        request: Request<pb::RecordBondRepaymentRequest>,
    ) -> Result<Response<pb::RecordBondRepaymentResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require(
            "request_id",
            &r.request_id,
            "so that a retry posts one repayment",
        );
        let bond_id = v.uuid("bond_id", &r.bond_id);
        v.positive("amount_pence", r.amount_pence);
        let received_on = v.date("received_on", &r.received_on);
        let (Some(bond_id), Some(received_on)) = (bond_id, received_on) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let bond = bonds::repay(
            &self.pool,
            r.request_id.trim(),
            bond_id,
            r.amount_pence,
            received_on,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::RecordBondRepaymentResponse {
            bond: Some(bond_proto(&bond)),
        }))
    }

    async fn get_bond(
        &self,
        request: Request<pb::GetBondRequest>,
    ) -> Result<Response<pb::GetBondResponse>, Status> {
        caller(&request)?.require(READ)?;
        let id = uuid_field("bond_id", &request.get_ref().bond_id)?;
        let bond = bonds::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetBondResponse {
            bond: Some(bond_proto(&bond)),
        }))
    }

    async fn list_payables(
        &self,
        request: Request<pb::ListPayablesRequest>,
    ) -> Result<Response<pb::ListPayablesResponse>, Status> {
        caller(&request)?.require(INCOME)?;
        let r = request.into_inner();
        let after = paging::decode(&r.page_token)?;
        let limit = paging::size(r.page_size, 50, 500);
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        let rows = payables_store::list(&mut conn, r.unpaid_only, after, limit)
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        let next_page_token = paging::next_token(&rows, limit, |r| (r.created_at, r.id));
        Ok(Response::new(pb::ListPayablesResponse {
            payables: rows.iter().map(payable_proto).collect(),
            next_page_token,
        }))
    }

    async fn pay_payable(
        &self,
        request: Request<pb::PayPayableRequest>,
    ) -> Result<Response<pb::PayPayableResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(INCOME)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require("request_id", &r.request_id, "so that a retry pays once");
        let id = v.uuid("payable_id", &r.payable_id);
        let paid_on = v.date("paid_on", &r.paid_on);
        let (Some(id), Some(paid_on)) = (id, paid_on) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let payable =
            payables::pay(&self.pool, r.request_id.trim(), id, paid_on, &caller.id).await?;
        Ok(Response::new(pb::PayPayableResponse {
            payable: Some(payable_proto(&payable)),
        }))
    }

    async fn get_charge_run(
        &self,
        request: Request<pb::GetChargeRunRequest>,
    ) -> Result<Response<pb::GetChargeRunResponse>, Status> {
        caller(&request)?.require(INCOME)?;
        let week_start = date_field("week_start", &request.get_ref().week_start)?;
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        let state = crate::db::charges::run_state(&mut conn, week_start)
            .await
            .map_err(housing_platform::errors::from_sqlx)?
            .ok_or_else(|| {
                housing_platform::errors::not_found(
                    "charge run for the week of",
                    &format_date(week_start),
                )
            })?;
        Ok(Response::new(pb::GetChargeRunResponse {
            week_start: format_date(week_start),
            accounts_charged: state.accounts_charged,
            total_charged_pence: state.total_pence,
            accounts_remaining: state.accounts_remaining,
            finished: state.finished,
            run_by: state.run_by,
        }))
    }
}

fn payable_proto(p: &payables_store::Payable) -> pb::Payable {
    pb::Payable {
        payable_id: p.id.to_string(),
        kind: match p.kind.as_str() {
            "nightly_paid_invoice" => pb::PayableKind::NightlyPaidInvoice,
            "removals_and_storage" => pb::PayableKind::RemovalsAndStorage,
            "mobility_incentive" => pb::PayableKind::MobilityIncentive,
            "decant_payment" => pb::PayableKind::DecantPayment,
            _ => pb::PayableKind::Unspecified,
        } as i32,
        payee: p.payee.clone(),
        reference: p.reference.clone(),
        amount_pence: p.amount_pence,
        paid: p.paid_on.is_some(),
        paid_on: format_optional_date(p.paid_on),
    }
}

fn bond_proto(p: &bonds::BondPosition) -> pb::Bond {
    pb::Bond {
        bond_id: p.bond.id.to_string(),
        application_id: p
            .bond
            .application_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        household_name: p.bond.household_name.clone(),
        landlord: p.bond.landlord.clone(),
        property_address: p.bond.property_address.clone(),
        guaranteed_pence: p.bond.guaranteed_pence,
        issued_on: format_date(p.bond.issued_on),
        claimed_pence: p.bond.claimed_pence,
        debt_pence: p.debt_pence,
    }
}
