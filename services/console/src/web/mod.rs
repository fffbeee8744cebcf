//! The console's pages. Each handler turns a request into calls to the services as the
//! signed-in officer and renders a GOV.UK page; forms carry the session's CSRF token.

mod accommodation;
mod approvals;
mod auth;
mod evidence;
mod figures;
mod home;
mod income;
mod letters;
mod nominations;
mod people;
mod records;
mod register;
mod upload;

use std::path::Path;
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use housing_platform::auth::Role;
use housing_platform::db::Pool;
use tower_http::services::ServeDir;

use crate::services::{Authed, Services};
use crate::session::{Officer, SessionError, Sessions};
use crate::signin::Provider;
use housing_proto::accommodation::v1::accommodation_service_client::AccommodationServiceClient;
use housing_proto::documents::v1::documents_service_client::DocumentsServiceClient;
use housing_proto::nominations::v1::nominations_service_client::NominationsServiceClient;
use housing_proto::register::v1::register_service_client::RegisterServiceClient;
use housing_proto::rent::v1::rent_service_client::RentServiceClient;

/// The session cookie. `Secure`, `HttpOnly` and `SameSite=Lax`: Lax so that arriving back
/// from the provider's sign-in page, a top-level navigation, still carries it.
const SESSION_COOKIE: &str = "console_session";
/// The sign-in under way, binding the provider's answer to the browser that asked.
const SIGN_IN_COOKIE: &str = "console_sign_in";

#[derive(Clone)]
pub struct State {
    pub sessions: Sessions,
    pub services: Services,
}

impl State {
    pub fn new(pool: Pool, settings: &crate::Settings) -> anyhow::Result<Self> {
        let provider = Provider::new(
            &settings.auth,
            &settings.service.public_url,
            settings.service.services.audiences(),
        );
        Ok(Self {
            sessions: Sessions::new(pool, Arc::new(provider), settings.service.idle_minutes),
            services: Services::new(&settings.service.services)?,
        })
    }
}

/// A service's client carrying the officer's token, for a page at `path` (where a new
/// sign-in returns).
macro_rules! client {
    ($name:ident, $client:ty) => {
        pub async fn $name(&self, officer: &Officer, path: &str) -> Result<$client, PageError> {
            self.services
                .$name(&self.sessions, officer)
                .await
                .map_err(|e| PageError::from_session(e, path))
        }
    };
}

impl State {
    client!(register, RegisterServiceClient<Authed>);
    client!(accommodation, AccommodationServiceClient<Authed>);
    client!(rent, RentServiceClient<Authed>);
    client!(nominations, NominationsServiceClient<Authed>);
    client!(documents, DocumentsServiceClient<Authed>);
    client!(
        register_returns,
        housing_proto::register::v1::returns_service_client::ReturnsServiceClient<Authed>
    );
    client!(
        accommodation_returns,
        housing_proto::accommodation::v1::returns_service_client::ReturnsServiceClient<Authed>
    );
    client!(
        rent_returns,
        housing_proto::rent::v1::returns_service_client::ReturnsServiceClient<Authed>
    );
    client!(
        nominations_returns,
        housing_proto::nominations::v1::returns_service_client::ReturnsServiceClient<Authed>
    );
}

impl FromRef<State> for Sessions {
    fn from_ref(state: &State) -> Self {
        state.sessions.clone()
    }
}

pub fn router(state: State, assets: &Path) -> Router {
    let govuk = assets.join("govuk-frontend/dist/govuk");
    let moj = assets.join("@ministryofjustice/frontend/moj");
    Router::new()
        .route("/", get(home::show))
        .route("/sign-in", get(auth::sign_in))
        .route("/auth/callback", get(auth::callback))
        .route("/sign-out", get(auth::sign_out))
        .route("/signed-out", get(auth::signed_out))
        .route("/letters/{id}", get(letters::download))
        .route("/figures", get(figures::show))
        .route(
            "/figures/temporary-accommodation.csv",
            get(figures::accommodation_csv),
        )
        .route("/figures/arrears-by-stage.csv", get(figures::arrears_csv))
        .route("/figures/lets-by-source.csv", get(figures::lettings_csv))
        .route("/figures/returns", get(figures::returns::show))
        .route("/figures/returns/lahs", get(figures::returns::show_lahs))
        .route("/figures/returns/lahs.csv", get(figures::returns::lahs_csv))
        .route("/figures/returns/hclic", get(figures::returns::show_hclic))
        .route("/figures/returns/core", get(figures::core::show))
        .route("/figures/returns/core.csv", get(figures::core::csv))
        .route(
            "/figures/returns/core-failures.csv",
            get(figures::core::problems_csv),
        )
        .route(
            "/figures/returns/management",
            get(figures::management::show),
        )
        .route(
            "/figures/returns/management.csv",
            get(figures::management::csv),
        )
        .route(
            "/figures/returns/hclic-records.csv",
            get(figures::returns::hclic_records_csv),
        )
        .route(
            "/figures/returns/hclic-tables.csv",
            get(figures::returns::hclic_tables_csv),
        )
        .route("/register", get(register::search))
        .route(
            "/register/new",
            get(register::new_application).post(register::take_in),
        )
        .route("/register/applications/{id}", get(register::show))
        .route(
            "/register/applications/{id}/assess",
            axum::routing::post(register::assess),
        )
        .route(
            "/register/applications/{id}/answers",
            get(register::edit_answers).post(register::save_answers),
        )
        .route(
            "/register/applications/{id}/override",
            get(register::edit_override).post(register::save_override),
        )
        .route(
            "/register/applications/{id}/status",
            get(register::edit_status).post(register::save_status),
        )
        .route(
            "/register/applications/{id}/household",
            get(register::edit_household).post(register::save_household),
        )
        .route(
            "/register/applications/{id}/refer",
            get(register::new_referral).post(register::refer),
        )
        .route(
            "/register/applications/{id}/referrals/{referral_id}/outcome",
            get(register::edit_referral_outcome).post(register::save_referral_outcome),
        )
        .route(
            "/register/applications/{id}/review-reply",
            get(register::edit_review_reply).post(register::save_review_reply),
        )
        .route(
            "/register/applications/{id}/review",
            get(register::new_review_request).post(register::save_review_request),
        )
        .route(
            "/register/applications/{id}/reviews/{review_id}/decide",
            get(register::edit_review_decision).post(register::save_review_decision),
        )
        .route(
            "/register/applications/{id}/hold",
            axum::routing::post(records::place),
        )
        .route(
            "/register/applications/{id}/hold/release",
            axum::routing::post(records::release),
        )
        .route(
            "/register/applications/{id}/subject-access.tar",
            get(records::subject_access),
        )
        .route(
            "/register/applications/{id}/evidence",
            axum::routing::post(register::upload_evidence).layer(
                axum::extract::DefaultBodyLimit::max(evidence::MAX_UPLOAD_BYTES),
            ),
        )
        .route(
            "/register/applications/{id}/evidence/{document}/verify",
            axum::routing::post(register::verify_evidence),
        )
        .route(
            "/register/applications/{id}/evidence/{document}/reject",
            get(register::edit_evidence_reject).post(register::reject_evidence),
        )
        .route("/documents/{id}", get(evidence::download))
        .route("/register/referrals", get(register::referrals))
        .route("/register/reviews", get(register::reviews))
        .route("/register/reassessment", get(register::reassessment))
        .route("/accommodation", get(accommodation::queue))
        .route("/accommodation/providers", get(accommodation::providers))
        .route(
            "/accommodation/providers/new",
            get(accommodation::new_provider).post(accommodation::create_provider),
        )
        .route(
            "/accommodation/providers/{id}",
            get(accommodation::provider),
        )
        .route(
            "/accommodation/providers/{id}/agreements/new",
            get(accommodation::new_agreement).post(accommodation::add_agreement),
        )
        .route("/accommodation/units", get(accommodation::units))
        .route("/accommodation/units/{id}", get(accommodation::unit))
        .route(
            "/accommodation/units/{id}/certificates",
            get(accommodation::edit_renewal).post(accommodation::renew_certificate),
        )
        .route(
            "/accommodation/units/{id}/withdraw",
            get(accommodation::edit_withdrawal).post(accommodation::withdraw_unit),
        )
        .route("/accommodation/voids", get(accommodation::voids))
        .route("/accommodation/invoices", get(accommodation::invoices))
        .route(
            "/accommodation/optimiser",
            get(accommodation::proposals).post(accommodation::apply_proposal),
        )
        .route(
            "/accommodation/placements/{id}/s213aa",
            get(accommodation::edit_s213aa).post(accommodation::record_s213aa),
        )
        .route(
            "/accommodation/arrears-reviews",
            get(accommodation::arrears_queue),
        )
        .route(
            "/accommodation/placements/{id}/arrears-reviews/{review_id}",
            get(accommodation::edit_arrears_review).post(accommodation::decide_arrears_review),
        )
        .route(
            "/accommodation/new",
            get(accommodation::new_request).post(accommodation::create_request),
        )
        .route(
            "/accommodation/placements/{id}/transfer",
            get(accommodation::new_transfer).post(accommodation::transfer),
        )
        .route(
            "/accommodation/placements/{id}/concerns/new",
            get(accommodation::new_concern).post(accommodation::log_concern),
        )
        .route(
            "/accommodation/placements/{id}/concerns/{concern_id}",
            get(accommodation::edit_concern).post(accommodation::act_on_concern),
        )
        .route(
            "/accommodation/requests/{id}/units",
            get(accommodation::rank),
        )
        .route(
            "/accommodation/requests/{id}/place",
            get(accommodation::confirm_place).post(accommodation::place),
        )
        .route("/accommodation/placements/{id}", get(accommodation::show))
        .route(
            "/accommodation/placements/{id}/documents",
            axum::routing::post(accommodation::upload).layer(axum::extract::DefaultBodyLimit::max(
                evidence::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            "/accommodation/placements/{id}/documents/{document}/verify",
            axum::routing::post(accommodation::verify),
        )
        .route(
            "/accommodation/placements/{id}/close",
            get(accommodation::edit_close).post(accommodation::close_placement),
        )
        .route("/nominations", get(nominations::list))
        .route("/nominations/vacancies/{id}", get(nominations::shortlist))
        .route(
            "/nominations/vacancies/{id}/nominate",
            get(nominations::nominate::new).post(nominations::nominate::create),
        )
        .route(
            "/nominations/vacancies/{id}/advert",
            get(nominations::adverts::new_advert).post(nominations::adverts::create),
        )
        .route("/nominations/adverts/{id}", get(nominations::adverts::show))
        .route(
            "/nominations/adverts/{id}/bids",
            axum::routing::post(nominations::bids::bid),
        )
        .route(
            "/nominations/adverts/{id}/close",
            axum::routing::post(nominations::adverts::close),
        )
        .route(
            "/nominations/partners",
            get(nominations::partners::list).post(nominations::partners::create),
        )
        .route("/nominations/partners/new", get(nominations::partners::new))
        .route(
            "/nominations/mobility",
            get(nominations::mobility::list).post(nominations::mobility::create),
        )
        .route("/nominations/mobility/new", get(nominations::mobility::new))
        .route(
            "/nominations/partners/{id}",
            get(nominations::partners::edit).post(nominations::partners::update),
        )
        .route(
            "/nominations/{id}/refusal",
            get(nominations::refusal::edit).post(nominations::refusal::record),
        )
        .route("/nominations/exchanges", get(nominations::exchanges::list))
        .route(
            "/nominations/exchanges/new",
            get(nominations::exchanges::new_listing).post(nominations::exchanges::create_listing),
        )
        .route(
            "/nominations/exchanges/listings/{id}",
            get(nominations::exchanges::show_listing),
        )
        .route(
            "/nominations/exchanges/propose",
            axum::routing::post(nominations::exchanges::propose),
        )
        .route(
            "/nominations/exchanges/{id}",
            get(nominations::exchanges::show),
        )
        .route(
            "/nominations/exchanges/{id}/consent",
            axum::routing::post(nominations::exchanges::consent),
        )
        .route("/nominations/decants", get(nominations::decants::list))
        .route(
            "/nominations/decants/new",
            get(nominations::decants::new_decant).post(nominations::decants::create),
        )
        .route("/nominations/decants/{id}", get(nominations::decants::show))
        .route("/nominations/{id}", get(nominations::show))
        .route("/income", get(income::queue))
        .route(
            "/income/charges",
            get(income::charges).post(income::run_charges),
        )
        .route("/income/accounts/{id}", get(income::show))
        .route(
            "/income/accounts/{id}/write-off",
            get(income::new_write_off).post(income::request_write_off),
        )
        .route("/approvals", get(approvals::queue))
        .route(
            "/approvals/incentives/{id}",
            get(approvals::incentives::show_incentive)
                .post(approvals::incentives::approve_incentive),
        )
        .route(
            "/approvals/invoices/{id}",
            get(approvals::invoices::show_invoice).post(approvals::invoices::approve_invoice),
        )
        .route(
            "/approvals/decants/{id}",
            get(approvals::decants::show_decant).post(approvals::decants::approve_decant),
        )
        .route(
            "/approvals/{kind}/{id}/approve",
            axum::routing::post(approvals::approve),
        )
        .route(
            "/approvals/{kind}/{id}/decline",
            get(approvals::edit_decline).post(approvals::decline),
        )
        .route(
            "/income/accounts/{id}/statement.csv",
            get(income::statement_csv),
        )
        .route(
            "/income/accounts/{id}/payment",
            get(income::new_payment).post(income::record_payment),
        )
        .route(
            "/income/accounts/{id}/plan",
            get(income::new_plan).post(income::create_plan),
        )
        .route(
            "/income/accounts/{id}/adjustment",
            get(income::new_adjustment).post(income::post_adjustment),
        )
        .route(
            "/income/import",
            get(income::import_form).post(income::import_payments),
        )
        .route("/income/payables", get(income::payables))
        .route(
            "/income/payables/{id}/pay",
            get(income::new_payable_payment).post(income::pay_payable),
        )
        .route(
            "/income/accounts/{id}/bond",
            get(income::new_bond).post(income::issue_bond),
        )
        .route("/income/bonds", get(income::find_bond))
        .route("/income/bonds/{id}", get(income::bond))
        .route(
            "/income/bonds/{id}/claim",
            get(income::new_bond_claim).post(income::claim_bond),
        )
        .route(
            "/income/bonds/{id}/repayment",
            get(income::new_bond_repayment).post(income::repay_bond),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/assets/console.js", get(console_js))
        .nest_service("/assets/govuk", ServeDir::new(&govuk))
        .nest_service("/assets/moj", ServeDir::new(&moj))
        .nest_service("/assets/fonts", ServeDir::new(govuk.join("assets/fonts")))
        .nest_service(
            "/assets/images",
            ServeDir::new(govuk.join("assets/images"))
                .fallback(ServeDir::new(moj.join("assets/images"))),
        )
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Starts the Design System's JavaScript; every page works without it.
async fn console_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript")],
        "import { initAll } from '/assets/govuk/govuk-frontend.min.js'\ninitAll()\n",
    )
}

/// Pages name no other origin, are never framed, and are not cached when they hold a
/// person's details.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self' 'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='; frame-ancestors 'none'; form-action 'self'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    if headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"))
    {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

/// A link in a sub-navigation or a row of tabs; `current` marks the page shown.
pub struct Tab {
    pub text: &'static str,
    pub href: String,
    pub current: bool,
}

/// What every page's layout needs.
pub struct Page<'a> {
    pub title: String,
    pub officer: Option<&'a Officer>,
    pub section: Section,
    pub error_count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Register,
    Accommodation,
    Nominations,
    Income,
    Approvals,
    Figures,
    None,
}

pub struct NavItem {
    pub text: &'static str,
    pub href: &'static str,
    pub current: bool,
}

impl<'a> Page<'a> {
    pub fn new(title: impl Into<String>, officer: Option<&'a Officer>, section: Section) -> Self {
        Self {
            title: title.into(),
            officer,
            section,
            error_count: 0,
        }
    }

    /// The sections the officer's roles open.
    pub fn navigation(&self) -> Vec<NavItem> {
        let Some(officer) = self.officer else {
            return Vec::new();
        };
        let mut items = vec![NavItem {
            text: "My work",
            href: "/",
            current: self.section == Section::Home,
        }];
        if officer.holds(register::READ) {
            items.push(NavItem {
                text: "Register",
                href: "/register",
                current: self.section == Section::Register,
            });
        }
        if officer.holds(nominations::OFFICERS) {
            items.push(NavItem {
                text: "Nominations",
                href: "/nominations",
                current: self.section == Section::Nominations,
            });
        }
        if officer.holds(accommodation::WORK) {
            items.push(NavItem {
                text: "Temporary accommodation",
                href: "/accommodation",
                current: self.section == Section::Accommodation,
            });
        }
        if officer.holds(income::READ) {
            items.push(NavItem {
                text: "Rent and income",
                href: "/income",
                current: self.section == Section::Income,
            });
        }
        if officer.holds(approvals::DECIDE) {
            items.push(NavItem {
                text: "Approvals",
                href: "/approvals",
                current: self.section == Section::Approvals,
            });
        }
        if officer.holds(figures::READ) {
            items.push(NavItem {
                text: "Figures",
                href: "/figures",
                current: self.section == Section::Figures,
            });
        }
        items
    }
}

/// One problem to put in the error summary, linking to its field when it has one.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: Option<String>,
    pub message: String,
}

impl FieldError {
    /// A problem with the form field `field` (its id).
    pub fn on(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    pub fn href(&self) -> Option<String> {
        self.field.as_ref().map(|f| format!("#{f}"))
    }

    /// A service's refusal in words: each bad field of a `BadRequest`, else its message.
    pub fn from_status(status: &tonic::Status) -> Vec<Self> {
        use tonic_types::StatusExt;
        match status.get_details_bad_request() {
            Some(bad) if !bad.field_violations.is_empty() => bad
                .field_violations
                .into_iter()
                .map(|v| FieldError {
                    field: Some(v.field.replace('.', "-")),
                    message: sentence(&v.description),
                })
                .collect(),
            _ => vec![FieldError {
                field: None,
                message: sentence(status.message()),
            }],
        }
    }
}

/// A service's refusal of what a form asked: when the request was wrong or the case's state
/// forbids it, the reasons to show on the form again; anything else is the error page.
pub fn refusal(status: tonic::Status, path: &str) -> Result<Vec<FieldError>, PageError> {
    match status.code() {
        tonic::Code::InvalidArgument | tonic::Code::FailedPrecondition => {
            Ok(FieldError::from_status(&status))
        }
        _ => Err(PageError::from_status(status, path)),
    }
}

/// The message for the form field `field` (its id), if it has one.
pub fn error_for<'e>(errors: &'e [FieldError], field: &str) -> Option<&'e str> {
    errors
        .iter()
        .find(|e| e.field.as_deref() == Some(field))
        .map(|e| e.message.as_str())
}

/// `text` with a capital first letter, as the Design System writes messages.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Template)]
#[template(path = "problem.html")]
struct Problem<'a> {
    page: Page<'a>,
    paragraphs: Vec<String>,
}

/// Why a page could not be shown.
#[derive(Debug)]
pub enum PageError {
    /// No live session: sign in, then come back to this path.
    SignIn(String),
    Forbidden(String),
    NotFound,
    /// A form posted without this session's CSRF token.
    Forged,
    Unavailable(String),
}

impl PageError {
    /// A service's answer to the officer's call, as a page.
    pub fn from_status(status: tonic::Status, path: &str) -> Self {
        match status.code() {
            tonic::Code::Unauthenticated => PageError::SignIn(path.to_owned()),
            tonic::Code::PermissionDenied => PageError::Forbidden(status.message().to_owned()),
            tonic::Code::NotFound | tonic::Code::InvalidArgument => PageError::NotFound,
            _ => PageError::Unavailable(format!("{}: {}", status.code(), status.message())),
        }
    }

    pub fn from_session(error: SessionError, path: &str) -> Self {
        match error {
            SessionError::Ended | SessionError::UnknownSignIn => PageError::SignIn(path.to_owned()),
            other => PageError::Unavailable(other.to_string()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, paragraphs) = match self {
            PageError::SignIn(path) => {
                return Redirect::to(&format!("/sign-in?return_to={}", encode(&path)))
                    .into_response();
            }
            PageError::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                "You cannot do this",
                vec![
                    "Your roles do not allow it.".to_owned(),
                    sentence(&why),
                ],
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                vec!["If you typed the web address, check it is correct.".to_owned()],
            ),
            PageError::Forged => (
                StatusCode::FORBIDDEN,
                "Sorry, that form could not be accepted",
                vec![
                    "It did not come from a page of this service in your session. Go back, reload the page and try again.".to_owned(),
                ],
            ),
            PageError::Unavailable(why) => {
                tracing::warn!(%why, "a page could not be served");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Sorry, there is a problem with the service",
                    vec!["Try again later.".to_owned()],
                )
            }
        };
        let page = Problem {
            page: Page::new(title, None, Section::None),
            paragraphs,
        };
        (status, render(&page)).into_response()
    }
}

pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => PageError::Unavailable(format!("template: {error}")).into_response(),
    }
}

fn cookie_value(parts: &HeaderMap, name: &str) -> Option<String> {
    parts
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

fn set_cookie(name: &str, value: &str, max_age_seconds: i64) -> HeaderValue {
    let cookie = cookie::Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("a cookie is a valid header")
}

/// The signed-in officer; a request without a live session is sent to sign in.
impl<S> FromRequestParts<S> for Officer
where
    S: Send + Sync,
    Sessions: FromRef<S>,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let sessions = Sessions::from_ref(state);
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let Some(secret) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(PageError::SignIn(path));
        };
        sessions
            .officer(&secret)
            .await
            .map_err(|e| PageError::from_session(e, &path))?
            .ok_or(PageError::SignIn(path))
    }
}

impl Officer {
    /// Refuses a form that does not carry this session's CSRF token.
    pub fn check_form(&self, token: &str) -> Result<(), PageError> {
        if !token.is_empty() && token == self.csrf_token {
            Ok(())
        } else {
            tracing::warn!(subject = %self.subject, "a form without the session's CSRF token");
            Err(PageError::Forged)
        }
    }

    /// Refuses what the officer's roles do not allow, before any service is asked.
    pub fn require(&self, roles: &[Role]) -> Result<(), PageError> {
        if self.holds(roles) {
            Ok(())
        } else {
            Err(PageError::Forbidden(format!(
                "allowed: {}",
                roles
                    .iter()
                    .map(|r| r.as_str().replace('_', " "))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}

async fn not_found() -> Response {
    PageError::NotFound.into_response()
}
