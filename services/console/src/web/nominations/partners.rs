//! The council's partners: the housing associations it nominates to under an agreement, and
//! its own homes let through the service. Any officer in nominations reads them; adding a
//! partner or changing an agreement (name, days to answer, the council's share) is a senior
//! officer's or a manager's, as the nominations service allows.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::nominations::v1 as pb;
use serde::Deserialize;

use super::OFFICERS;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, encode, refusal, render};

/// Who adds partners and changes their agreements.
const EDITORS: &[Role] = &[Role::SeniorOfficer, Role::Manager];
const PATH: &str = "/nominations/partners";
const PAGE_SIZE: i32 = 25;
/// The service lists at most this many a page; finding one partner reads pages this size.
const SCAN_PAGE: i32 = 100;

const KINDS: [(&str, &str); 2] = [
    (
        "association",
        "A housing association, nominated to under an agreement",
    ),
    ("council", "The council's own homes"),
];

pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub response_days: i32,
    pub share: String,
}

impl From<pb::Partner> for PartnerRow {
    fn from(p: pb::Partner) -> Self {
        Self {
            kind: if p.council_stock {
                "The council's own homes"
            } else {
                "Housing association"
            },
            share: if p.council_stock {
                "All lets".to_owned()
            } else {
                format!("{}%", p.nomination_share_percent)
            },
            id: p.partner_id,
            name: p.name,
            response_days: p.response_days,
        }
    }
}

#[derive(Template)]
#[template(path = "nominations/partners.html")]
struct ListPage<'a> {
    page: Page<'a>,
    partners: Vec<PartnerRow>,
    editor: bool,
    next_page: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page_token: String,
    #[serde(default)]
    added: Option<String>,
    #[serde(default)]
    changed: Option<String>,
}

pub async fn list(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let listed = state
        .nominations(&officer, PATH)
        .await?
        .list_partners(pb::ListPartnersRequest {
            page_size: PAGE_SIZE,
            page_token: query.page_token.clone(),
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    let notice = if query.added.is_some() {
        Some("The partner has been added")
    } else if query.changed.is_some() {
        Some("The agreement has been changed")
    } else {
        None
    };
    Ok(render(&ListPage {
        page: Page::new("Partners", Some(&officer), Section::Nominations),
        partners: listed.partners.into_iter().map(PartnerRow::from).collect(),
        editor: officer.holds(EDITORS),
        next_page: (!listed.next_page_token.is_empty())
            .then(|| format!("{PATH}?page_token={}", encode(&listed.next_page_token))),
        notice,
    }))
}

/// The agreement's terms as the form holds them: text as typed, so a mistake is shown back.
#[derive(Debug, Default, Deserialize)]
pub struct PartnerForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    response_days: String,
    #[serde(default)]
    nomination_share_percent: String,
    /// "council" for the council's own homes, "association" for a housing association.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    client_certificate_pem: String,
}

/// The agreement's terms in numbers, or every field a person must put right.
struct Terms {
    name: String,
    response_days: i32,
    share: i32,
}

impl PartnerForm {
    fn council_stock(&self) -> bool {
        self.kind == "council"
    }

    fn terms(&self, adding: bool) -> Result<Terms, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::on("name", "Enter the partner's name"));
        }
        if adding && !matches!(self.kind.as_str(), "council" | "association") {
            errors.push(FieldError::on(
                "kind",
                "Select whether the homes are the council's own or a housing association's",
            ));
        }
        let response_days = match self.response_days.trim().parse::<i32>() {
            Ok(days) if days > 0 => days,
            _ => {
                errors.push(FieldError::on(
                    "response_days",
                    "Enter the working days the partner has to answer, as a whole number above 0",
                ));
                0
            }
        };
        let share = if self.council_stock() {
            100
        } else {
            match self.nomination_share_percent.trim().parse::<i32>() {
                Ok(share) if (1..=100).contains(&share) => share,
                _ => {
                    errors.push(FieldError::on(
                        "nomination_share_percent",
                        "Enter the council's share of the partner's lets, a whole number from 1 to 100",
                    ));
                    0
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Terms {
            name: self.name.trim().to_owned(),
            response_days,
            share,
        })
    }
}

#[derive(Template)]
#[template(path = "nominations/partner_form.html")]
struct FormPage<'a> {
    page: Page<'a>,
    /// The partner changed; `None` when adding one.
    id: Option<String>,
    form: PartnerForm,
    council_stock: bool,
    kinds: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl FormPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }

    fn action(&self) -> String {
        match &self.id {
            Some(id) => format!("{PATH}/{id}"),
            None => PATH.to_owned(),
        }
    }
}

fn form_page(
    officer: &Officer,
    id: Option<String>,
    form: PartnerForm,
    council_stock: bool,
    errors: Vec<FieldError>,
) -> Response {
    let title = if id.is_some() {
        "Change the agreement"
    } else {
        "Add a partner"
    };
    let mut page = Page::new(title, Some(officer), Section::Nominations);
    page.error_count = errors.len();
    render(&FormPage {
        page,
        id,
        form,
        council_stock,
        kinds: KINDS.to_vec(),
        csrf_token: &officer.csrf_token,
        errors,
    })
}

pub async fn new(officer: Officer) -> Result<Response, PageError> {
    officer.require(EDITORS)?;
    let form = PartnerForm {
        request_id: uuid::Uuid::new_v4().to_string(),
        ..PartnerForm::default()
    };
    Ok(form_page(&officer, None, form, false, Vec::new()))
}

pub async fn create(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<PartnerForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(EDITORS)?;
    let terms = match form.terms(true) {
        Ok(terms) => terms,
        Err(errors) => {
            let council = form.council_stock();
            return Ok(form_page(&officer, None, form, council, errors));
        }
    };
    let answer = state
        .nominations(&officer, PATH)
        .await?
        .create_partner(pb::CreatePartnerRequest {
            request_id: form.request_id.clone(),
            name: terms.name,
            response_days: terms.response_days,
            nomination_share_percent: terms.share,
            council_stock: form.council_stock(),
            client_certificate_pem: form.client_certificate_pem.trim().to_owned(),
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?added=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, PATH)?;
            let council = form.council_stock();
            Ok(form_page(&officer, None, form, council, errors))
        }
    }
}

/// The partner, read from the service's list: there is no call for one partner, and a
/// council has tens of partners, not thousands.
async fn find(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    path: &str,
) -> Result<pb::Partner, PageError> {
    let mut client = state.nominations(officer, path).await?;
    let mut page_token = String::new();
    loop {
        let listed = client
            .list_partners(pb::ListPartnersRequest {
                page_size: SCAN_PAGE,
                page_token,
            })
            .await
            .map_err(|s| PageError::from_status(s, path))?
            .into_inner();
        if let Some(found) = listed.partners.into_iter().find(|p| p.partner_id == id) {
            return Ok(found);
        }
        if listed.next_page_token.is_empty() {
            return Err(PageError::NotFound);
        }
        page_token = listed.next_page_token;
    }
}

pub async fn edit(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    officer.require(EDITORS)?;
    let path = format!("{PATH}/{id}");
    let partner = find(&state, &officer, &id, &path).await?;
    let form = PartnerForm {
        name: partner.name,
        response_days: partner.response_days.to_string(),
        nomination_share_percent: partner.nomination_share_percent.to_string(),
        kind: if partner.council_stock {
            "council"
        } else {
            "association"
        }
        .to_owned(),
        ..PartnerForm::default()
    };
    Ok(form_page(
        &officer,
        Some(id),
        form,
        partner.council_stock,
        Vec::new(),
    ))
}

pub async fn update(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(mut form): Form<PartnerForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(EDITORS)?;
    let path = format!("{PATH}/{id}");
    // Whether the homes are the council's is fixed when the partner is added: read it again
    // rather than trust the form.
    let council = find(&state, &officer, &id, &path).await?.council_stock;
    form.kind = if council { "council" } else { "association" }.to_owned();
    let terms = match form.terms(false) {
        Ok(terms) => terms,
        Err(errors) => return Ok(form_page(&officer, Some(id), form, council, errors)),
    };
    let answer = state
        .nominations(&officer, &path)
        .await?
        .update_partner(pb::UpdatePartnerRequest {
            partner_id: id.clone(),
            name: terms.name,
            response_days: terms.response_days,
            nomination_share_percent: terms.share,
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?changed=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            Ok(form_page(&officer, Some(id), form, council, errors))
        }
    }
}
