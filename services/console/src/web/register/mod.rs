//! The housing register: search, an application with the explanation of its assessment,
//! recording the applicant's answers, and assessing.

mod answers;
mod core_answers;
mod evidence;
mod household;
mod overrides;
mod reassessment;
mod referrals;
mod review_reply;
mod reviews;
mod status;
mod take_in;

pub use answers::{edit_answers, save_answers};
pub use evidence::{
    edit_reject as edit_evidence_reject, reject as reject_evidence, upload as upload_evidence,
    verify as verify_evidence,
};
pub use household::{edit_household, save_household};
pub use overrides::{edit_override, save_override};
pub use reassessment::show as reassessment;
pub use referrals::{
    edit_outcome as edit_referral_outcome, new_referral, queue as referrals, refer,
    save_outcome as save_referral_outcome,
};
pub use review_reply::{edit_reply as edit_review_reply, save_reply as save_review_reply};
pub use reviews::{
    DECIDE as DECIDE_REVIEWS, edit_decision as edit_review_decision,
    new_request as new_review_request, queue as reviews, save_decision as save_review_decision,
    save_request as save_review_request,
};
pub use status::{edit_status, save_status};
pub use take_in::{new_application, take_in};

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::register::v1::{self as pb, ApplicationStatus, Relationship};
use serde::Deserialize;

use super::{FieldError, Page, PageError, Section, encode, refusal, render};
use crate::format;
use crate::session::Officer;
use crate::web::people::People;
use answers::label as answer_label;

/// Who may read the register (as the register service allows).
pub const READ: &[Role] = &[
    Role::RegisterAssistant,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::Manager,
];
/// Who may take applications in (as the register allows).
const TAKE_IN: &[Role] = &[
    Role::RegisterAssistant,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::Manager,
];
/// Who may record answers and changes, refer, and assess (as the register allows).
pub const ASSESS: &[Role] = &[Role::AllocationsOfficer, Role::SeniorOfficer, Role::Manager];

const STATUSES: [(ApplicationStatus, &str, &str); 10] = [
    (
        ApplicationStatus::Submitted,
        "Awaiting assessment",
        "govuk-tag--blue",
    ),
    (
        ApplicationStatus::AwaitingInformation,
        "Awaiting information",
        "govuk-tag--yellow",
    ),
    (ApplicationStatus::Active, "Active", "govuk-tag--green"),
    (
        ApplicationStatus::Suspended,
        "Suspended",
        "govuk-tag--orange",
    ),
    (ApplicationStatus::Housed, "Housed", "govuk-tag--purple"),
    (ApplicationStatus::Withdrawn, "Withdrawn", "govuk-tag--grey"),
    (ApplicationStatus::Cancelled, "Cancelled", "govuk-tag--grey"),
    (ApplicationStatus::Closed, "Closed", "govuk-tag--grey"),
    (
        ApplicationStatus::NotEligible,
        "Not eligible",
        "govuk-tag--red",
    ),
    (
        ApplicationStatus::NotQualifying,
        "Not qualifying",
        "govuk-tag--red",
    ),
];

/// A status as it appears in a URL: `awaiting_information`.
pub fn status_value(status: ApplicationStatus) -> String {
    status
        .as_str_name()
        .trim_start_matches("APPLICATION_STATUS_")
        .to_ascii_lowercase()
}

fn status_from_value(value: &str) -> Option<ApplicationStatus> {
    STATUSES
        .iter()
        .map(|(s, _, _)| *s)
        .find(|s| status_value(*s) == value)
}

/// A status's words and tag colour.
fn status_tag(status: i32) -> (String, String) {
    STATUSES
        .iter()
        .find(|(s, _, _)| *s as i32 == status)
        .map(|(_, label, class)| (label.to_string(), class.to_string()))
        .unwrap_or_else(|| ("Draft".into(), "govuk-tag--grey".into()))
}

/// A row of a queue across the register: the case, what waits, and the officer's next step.
pub struct QueueRow {
    pub application_id: String,
    pub reference: String,
    pub what: &'static str,
    pub detail: String,
    pub since: String,
    /// Where the officer acts on it, and the link's words.
    pub action: Option<(String, &'static str)>,
}

/// A queue of work across the register, a page at a time.
#[derive(Template)]
#[template(path = "register/queue.html")]
struct QueuePage<'a> {
    page: Page<'a>,
    columns: (&'static str, &'static str, &'static str),
    rows: Vec<QueueRow>,
    empty: &'static str,
    /// Ends each action's words for a screen reader: "for", "the review of".
    action_suffix: &'static str,
    next_page: Option<String>,
}

/// The words of a queue's page, beside its rows.
struct Queue {
    title: &'static str,
    path: &'static str,
    columns: (&'static str, &'static str, &'static str),
    empty: &'static str,
    action_suffix: &'static str,
}

fn queue_page(
    officer: &Officer,
    queue: Queue,
    rows: Vec<QueueRow>,
    next_page_token: String,
) -> Response {
    render(&QueuePage {
        page: Page::new(queue.title, Some(officer), Section::Register),
        columns: queue.columns,
        rows,
        empty: queue.empty,
        action_suffix: queue.action_suffix,
        next_page: Some(next_page_token)
            .filter(|t| !t.is_empty())
            .map(|t| format!("{}?page={}", queue.path, encode(&t))),
    })
}

/// A list's page, by the token the service gave for it.
#[derive(Debug, Default, Deserialize)]
pub struct Paged {
    #[serde(default)]
    page: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub status: String,
    /// "due" for the annual reviews awaiting the applicant's reply.
    #[serde(default)]
    pub review: String,
    #[serde(default)]
    pub page: String,
}

/// The register's list of annual reviews awaiting a reply, as My work links to it.
pub const REVIEWS_DUE_HREF: &str = "/register?review=due";

pub struct Row {
    pub id: String,
    pub reference: String,
    pub lead_name: String,
    pub postcode: String,
    pub status: (String, String),
    pub band: String,
    pub submitted: String,
    /// When the annual review fell due and the reply is needed by; empty unless its letter
    /// awaits a reply.
    pub review_due: String,
    pub reply_by: String,
}

#[derive(Template)]
#[template(path = "register/search.html")]
struct Search<'a> {
    page: Page<'a>,
    query: SearchQuery,
    statuses: Vec<(String, &'static str)>,
    searched: bool,
    reviews_due: bool,
    results: Vec<Row>,
    next_page: Option<String>,
    errors: Vec<FieldError>,
    can_take_in: bool,
}

const PAGE_SIZE: i32 = 25;

pub async fn search(
    State(state): State<super::State>,
    officer: Officer,
    Query(query): Query<SearchQuery>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let status = status_from_value(&query.status);
    let reviews_due = query.review == "due";
    let searched = [&query.reference, &query.family_name, &query.postcode]
        .iter()
        .any(|v| !v.trim().is_empty())
        || status.is_some()
        || reviews_due;
    let (mut results, mut next_page, mut errors) = (Vec::new(), None, Vec::new());
    if searched {
        let path = "/register";
        let mut client = state
            .services
            .register(&state.sessions, &officer)
            .await
            .map_err(|e| PageError::from_session(e, path))?;
        let answer = client
            .search_applications(pb::SearchApplicationsRequest {
                reference: query.reference.trim().to_owned(),
                family_name: query.family_name.trim().to_owned(),
                postcode: query.postcode.trim().to_owned(),
                status: status.map(|s| s as i32).unwrap_or_default(),
                annual_review_due: reviews_due,
                page_size: PAGE_SIZE,
                page_token: query.page.clone(),
                ..Default::default()
            })
            .await;
        match answer {
            Ok(found) => {
                let found = found.into_inner();
                results = found
                    .applications
                    .into_iter()
                    .map(|a| Row {
                        id: a.application_id,
                        reference: a.reference,
                        lead_name: a.lead_name,
                        postcode: a.postcode,
                        status: status_tag(a.status),
                        band: a.band,
                        submitted: format::timestamp(a.submitted_at.as_ref()),
                        review_due: format::date(&a.review_due_on),
                        reply_by: format::date(&a.review_reply_by),
                    })
                    .collect();
                if !found.next_page_token.is_empty() {
                    next_page = Some(format!(
                        "/register?reference={}&family_name={}&postcode={}&status={}&review={}&page={}",
                        encode(&query.reference),
                        encode(&query.family_name),
                        encode(&query.postcode),
                        encode(&query.status),
                        encode(&query.review),
                        encode(&found.next_page_token)
                    ));
                }
            }
            Err(status) if status.code() == tonic::Code::InvalidArgument => {
                errors = FieldError::from_status(&status);
            }
            Err(status) => return Err(PageError::from_status(status, path)),
        }
    }
    let title = if reviews_due {
        "Annual reviews due"
    } else {
        "Search the register"
    };
    let mut page = Page::new(title, Some(&officer), Section::Register);
    page.error_count = errors.len();
    Ok(render(&Search {
        page,
        statuses: STATUSES
            .iter()
            .map(|(s, label, _)| (status_value(*s), *label))
            .collect(),
        query,
        searched,
        reviews_due,
        results,
        next_page,
        errors,
        can_take_in: officer.holds(TAKE_IN),
    }))
}

pub struct Member {
    pub relationship: &'static str,
    pub name: String,
    pub born: String,
    pub pregnant: bool,
}

pub struct Assessed {
    pub outcome: String,
    pub standing_label: &'static str,
    pub standing: String,
    pub bedroom_need: i32,
    pub effective: String,
    pub scheme_version: String,
    pub assessed_by: String,
    pub assessed_at: String,
    pub trigger: String,
    pub why: Vec<String>,
}

pub struct ApplicationView {
    pub id: String,
    pub reference: String,
    pub status: (String, String),
    /// Each answer still needed: its words, and the field of the answers form.
    pub missing: Vec<(String, String)>,
    pub household: Vec<Member>,
    pub area: String,
    pub postcode: String,
    pub submitted: String,
    pub next_review: String,
    pub assessment: Option<Assessed>,
    /// The answers kept for CORE's lettings log, in words: what the register returned.
    pub lettings_answers: Vec<(String, String)>,
}

fn relationship(r: i32) -> &'static str {
    match Relationship::try_from(r).unwrap_or(Relationship::Unspecified) {
        Relationship::LeadApplicant => "Lead applicant",
        Relationship::Partner => "Partner",
        Relationship::Child => "Child",
        Relationship::OtherRelative => "Other relative",
        _ => "Household member",
    }
}

fn view(app: pb::Application, people: &People) -> (String, ApplicationView) {
    let lead = app.lead_applicant.clone().unwrap_or_default();
    let title = format!("{} {}", lead.given_name, lead.family_name);
    let household = app
        .lead_applicant
        .iter()
        .chain(app.members.iter())
        .map(|m| Member {
            relationship: relationship(m.relationship),
            name: format!("{} {}", m.given_name, m.family_name),
            born: format::date(&m.date_of_birth),
            pregnant: m.pregnant,
        })
        .collect();
    let details = app.details.clone().unwrap_or_default();
    let everyone: Vec<&pb::HouseholdMember> = app
        .lead_applicant
        .iter()
        .chain(app.members.iter())
        .collect();
    let lettings_answers =
        core_answers::summary(&everyone, &details.household_answers.unwrap_or_default());
    let assessment = app.assessment.map(|a| {
        let mut why = a.rules_fired.clone();
        why.extend(a.reason_codes.iter().map(|r| format!("Failed: {r}")));
        why.extend(a.exemptions.iter().map(|e| format!("Exempted: {e}")));
        if !a.override_reason.is_empty() {
            why.push(format!("Overridden: {}", a.override_reason));
        }
        let (standing_label, standing) = if a.band.is_empty() {
            ("Points", a.points.to_string())
        } else {
            ("Band", a.band.clone())
        };
        Assessed {
            outcome: sentence_case(&a.outcome),
            standing_label,
            standing,
            bedroom_need: a.bedroom_need,
            effective: format::date(&a.effective_date),
            scheme_version: a.scheme_version,
            assessed_by: people.who(&a.assessed_by),
            assessed_at: format::timestamp(a.assessed_at.as_ref()),
            trigger: trigger(&a.trigger),
            why,
        }
    });
    (
        title,
        ApplicationView {
            id: app.application_id,
            reference: app.reference,
            status: status_tag(app.status),
            missing: app
                .missing
                .iter()
                .map(|field| (answer_label(field).to_owned(), field.replace('.', "-")))
                .collect(),
            household,
            area: sentence_case(&details.area),
            postcode: details.postcode,
            submitted: format::timestamp(app.submitted_at.as_ref()),
            next_review: if app.next_review_on.is_empty() {
                String::new()
            } else {
                format::date(&app.next_review_on)
            },
            assessment,
            lettings_answers,
        },
    )
}

/// One recorded change of circumstances.
pub struct ChangeView {
    pub when: String,
    pub note: String,
    pub fields: Vec<(String, String, String)>,
}

impl ChangeView {
    fn new(record: pb::ChangeRecord, people: &People) -> Self {
        Self {
            when: format!(
                "{} by {}",
                format::timestamp(record.changed_at.as_ref()),
                people.who(&record.changed_by)
            ),
            note: record.note,
            fields: record
                .changes
                .into_iter()
                .map(|c| {
                    (
                        change_label(&c.field),
                        change_value(&c.before),
                        change_value(&c.after),
                    )
                })
                .collect(),
        }
    }
}

/// A changed field's path (`household.members[2].pregnant`) in words.
fn change_label(field: &str) -> String {
    let known = answer_label(field);
    if known != "Another answer" {
        return known.to_owned();
    }
    if field == "household.members" {
        return "Who is in the household".into();
    }
    let leaf = |path: &str| sentence_case(path.rsplit('.').next().unwrap_or(path));
    if let Some(rest) = field.strip_prefix("household.members[")
        && let Some((index, path)) = rest.split_once("].")
        && let Ok(index) = index.parse::<usize>()
    {
        return format!(
            "Household member {}: {}",
            index + 1,
            format::lower_first(&leaf(path))
        );
    }
    leaf(field)
}

/// A field's value as the register recorded it (JSON) in words: yes or no, the text, or a
/// household's names.
fn change_value(json: &str) -> String {
    use serde_json::Value;
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Bool(true)) => "Yes".into(),
        Ok(Value::Bool(false)) => "No".into(),
        Ok(Value::Null) => "Not recorded".into(),
        Ok(Value::String(text)) => sentence_case(&text),
        Ok(Value::Array(items)) if items.iter().all(|i| i.get("given_name").is_some()) => items
            .iter()
            .map(|i| {
                let name = |key: &str| {
                    i.get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                format!("{} {}", name("given_name"), name("family_name"))
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => json.to_owned(),
    }
}

/// What led to an assessment, in words.
fn trigger(code: &str) -> String {
    match code {
        "submitted" => "On taking the application in".into(),
        "officer" => "An officer assessed it".into(),
        "change_of_circumstances" => "A change of circumstances".into(),
        "override" => "An officer's override".into(),
        "scheme_change" => "A change to the allocation scheme".into(),
        "birthday" => "A birthday changed the bedroom need".into(),
        "referral_outcome" => "A referral's outcome".into(),
        "review_decision" => "A decision review".into(),
        other => sentence_case(other),
    }
}

fn sentence_case(text: &str) -> String {
    super::sentence(&text.replace('_', " "))
}

#[derive(Template)]
#[template(path = "register/application.html")]
struct ApplicationPage<'a> {
    page: Page<'a>,
    app: ApplicationView,
    referrals: Vec<referrals::ReferralRow>,
    reviews: Vec<reviews::ReviewRow>,
    changes: Vec<ChangeView>,
    nominations: Vec<crate::web::nominations::ApplicationNomination>,
    letters: Vec<crate::web::letters::LetterRow>,
    /// The legal hold, for an officer who keeps records.
    hold: Option<crate::web::records::HoldView>,
    evidence: Vec<crate::web::evidence::DocumentView>,
    evidence_kinds: Vec<(String, &'static str)>,
    can_upload_evidence: bool,
    can_check_evidence: bool,
    /// Made when the page is shown: an upload posted twice is taken once.
    upload_request_id: String,
    max_file_mb: usize,
    can_assess: bool,
    can_answer: bool,
    /// A live application whose household changes may be recorded (assistants too).
    can_record_change: bool,
    /// What an officer is to look at before the assessment stands.
    awaiting: Vec<String>,
    /// The decision in force a review may be asked of, when the officer may record one.
    reviewable: bool,
    can_decide_reviews: bool,
    /// The annual review awaiting the applicant's reply, when the officer may record it.
    review_reply: Option<ReviewDue>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

/// An annual review whose letter awaits the applicant's reply.
pub struct ReviewDue {
    pub due: String,
    pub reply_by: String,
}

#[derive(Deserialize)]
pub struct Shown {
    #[serde(default)]
    assessed: Option<String>,
    #[serde(default)]
    answered: Option<String>,
    #[serde(default)]
    overridden: Option<String>,
    #[serde(default)]
    status_changed: Option<String>,
    #[serde(default)]
    household_changed: Option<String>,
    #[serde(default)]
    referred: Option<String>,
    #[serde(default)]
    referral_decided: Option<String>,
    #[serde(default)]
    review_requested: Option<String>,
    #[serde(default)]
    review_decided: Option<String>,
    #[serde(default)]
    review_replied: Option<String>,
    #[serde(default)]
    held: Option<String>,
    #[serde(default)]
    evidence_uploaded: Option<String>,
    #[serde(default)]
    evidence_verified: Option<String>,
    #[serde(default)]
    evidence_rejected: Option<String>,
    #[serde(default)]
    released: Option<String>,
}

impl Shown {
    fn notice(&self) -> Option<&'static str> {
        [
            (&self.assessed, "The application has been assessed"),
            (&self.answered, "The answers have been recorded"),
            (&self.overridden, "The assessment has been overridden"),
            (&self.status_changed, "The status has been changed"),
            (
                &self.household_changed,
                "The change in the household has been recorded",
            ),
            (&self.referred, "The application has been referred"),
            (
                &self.referral_decided,
                "The referral's outcome has been recorded",
            ),
            (
                &self.review_requested,
                "The request for a review has been recorded",
            ),
            (&self.review_decided, "The review has been decided"),
            (
                &self.review_replied,
                "The reply to the annual review has been recorded",
            ),
            (&self.held, "A legal hold has been placed"),
            (
                &self.evidence_uploaded,
                "The evidence has been uploaded: check it and verify it",
            ),
            (&self.evidence_verified, "The evidence has been verified"),
            (
                &self.evidence_rejected,
                "The evidence has been rejected, and the applicant will be told why",
            ),
            (&self.released, "The legal hold has been released"),
        ]
        .into_iter()
        .find(|(shown, _)| shown.is_some())
        .map(|(_, notice)| notice)
    }
}

/// The application `id`, for a page at `path` (where a new sign-in returns).
async fn fetch(
    state: &super::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::Application, PageError> {
    state
        .services
        .register(&state.sessions, officer)
        .await
        .map_err(|e| PageError::from_session(e, path))?
        .get_application(pb::GetApplicationRequest {
            application_id: id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .application
        .ok_or(PageError::NotFound)
}

pub(crate) async fn application_page(
    state: &super::State,
    officer: &Officer,
    id: &str,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    officer.require(READ)?;
    let path = format!("/register/applications/{id}");
    let app = fetch(state, officer, id, &path).await?;
    let mut client = state.register(officer, &path).await?;
    // Only the register's search says whether an annual review letter awaits a reply.
    let mut search = client.clone();
    let due = search.search_applications(pb::SearchApplicationsRequest {
        reference: app.reference.clone(),
        annual_review_due: true,
        page_size: 1,
        ..Default::default()
    });
    let changes = client.list_changes(pb::ListChangesRequest {
        application_id: id.to_owned(),
    });
    let (referrals, reviews, changes, due, letters, hold, evidence, nominations) = tokio::try_join!(
        referrals::of_application(state, officer, id, &path),
        reviews::of_application(state, officer, id, &path),
        async { changes.await.map_err(|s| PageError::from_status(s, &path)) },
        async { due.await.map_err(|s| PageError::from_status(s, &path)) },
        crate::web::letters::of_application(state, officer, id, &path),
        crate::web::records::hold(state, officer, id, &path),
        evidence::of_application(state, officer, id, &path),
        crate::web::nominations::of_application(state, officer, id, &path),
    )?;
    // An application that has ended (housed, withdrawn, cancelled, closed) is kept to read;
    // the register takes no more answers or decisions on it, so none are offered.
    let live = !matches!(
        ApplicationStatus::try_from(app.status),
        Ok(ApplicationStatus::Housed
            | ApplicationStatus::Withdrawn
            | ApplicationStatus::Cancelled
            | ApplicationStatus::Closed
            | ApplicationStatus::Draft)
    );
    let reviewable = officer.holds(TAKE_IN)
        && reviews::decision_in_force(app.status).is_some()
        && !reviews.iter().any(|r| r.outcome == "pending");
    let changes = changes.into_inner().changes;
    let subjects = app
        .assessment
        .iter()
        .map(|a| a.assessed_by.as_str())
        .chain(referrals.iter().flat_map(referrals::ReferralRow::subjects))
        .chain(reviews.iter().flat_map(reviews::ReviewRow::subjects))
        .chain(changes.iter().map(|c| c.changed_by.as_str()))
        .chain(hold.iter().map(|h| h.placed_by.as_str()));
    let people = People::of(state, officer, subjects).await?;
    let awaiting = app.awaiting_reassessment.clone();
    let review_reply = due
        .into_inner()
        .applications
        .into_iter()
        .find(|a| a.application_id == app.application_id && officer.holds(TAKE_IN))
        .map(|a| ReviewDue {
            due: format::date(&a.review_due_on),
            reply_by: format::date(&a.review_reply_by),
        });
    let (title, app) = view(app, &people);
    let mut page = Page::new(title, Some(officer), Section::Register);
    page.error_count = errors.len();
    Ok(render(&ApplicationPage {
        page,
        app,
        referrals: referrals
            .into_iter()
            .map(|r| referrals::ReferralRow::new(r, officer, &people))
            .collect(),
        reviews: reviews
            .into_iter()
            .map(|r| reviews::ReviewRow::new(r, &people))
            .collect(),
        changes: changes
            .into_iter()
            .map(|c| ChangeView::new(c, &people))
            .collect(),
        letters,
        nominations,
        hold: hold.map(|h| crate::web::records::HoldView::new(h, &people)),
        evidence,
        evidence_kinds: evidence::kinds(),
        can_upload_evidence: live
            && officer.holds(TAKE_IN)
            && officer.holds(crate::web::letters::READ),
        can_check_evidence: officer.holds(ASSESS),
        upload_request_id: uuid::Uuid::new_v4().to_string(),
        max_file_mb: crate::web::evidence::MAX_FILE_MB,
        can_assess: live && officer.holds(ASSESS),
        can_answer: live && officer.holds(ASSESS),
        can_record_change: live && officer.holds(TAKE_IN),
        awaiting,
        reviewable,
        can_decide_reviews: officer.holds(reviews::DECIDE),
        review_reply,
        csrf_token: &officer.csrf_token,
        errors,
        notice,
    }))
}

pub async fn show(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    let notice = shown.notice();
    application_page(&state, &officer, &id, Vec::new(), notice).await
}

#[derive(Deserialize)]
pub struct Csrf {
    #[serde(default)]
    csrf_token: String,
}

pub async fn assess(
    State(state): State<super::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<Csrf>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(ASSESS)?;
    let path = format!("/register/applications/{id}");
    let answer = state
        .services
        .register(&state.sessions, &officer)
        .await
        .map_err(|e| PageError::from_session(e, &path))?
        .assess_application(pb::AssessApplicationRequest {
            application_id: id.clone(),
        })
        .await;
    match answer {
        // Post, redirect, get: a reload does not assess again.
        Ok(_) => Ok(Redirect::to(&format!("{path}?assessed=1")).into_response()),
        Err(status) => application_page(&state, &officer, &id, refusal(status, &path)?, None).await,
    }
}
