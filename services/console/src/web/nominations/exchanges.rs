//! Mutual exchanges: a tenant's home listed with what they would move to, the swaps and
//! chains the nominations service finds for it (each explained: who moves where), an
//! exchange proposed to the landlords, and the council's consent as landlord.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use housing_platform::auth::Role;
use housing_proto::nominations::v1::{self as pb, ExchangeListingStatus};
use serde::Deserialize;

use super::Tab;
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, encode, refusal, render};

/// Who works on exchanges: listing and matching as the service allows staff to, and
/// proposing and consenting as it allows officers to.
const OFFICERS: &[Role] = super::OFFICERS;
const PATH: &str = "/nominations/exchanges";
const PAGE_SIZE: i32 = 25;
/// The most listings one request names: a chain is three.
const MATCHED: usize = 100;

/// The nominations section's sub-navigation with `current` marked: the lists, then the
/// exchanges and decants.
pub fn tabs(current: &str) -> Vec<Tab> {
    super::TABS
        .iter()
        .map(|(v, text)| Tab {
            text,
            href: format!("/nominations?show={v}"),
            current: false,
        })
        .chain([
            Tab {
                text: "Exchanges",
                href: PATH.into(),
                current: current == "exchanges",
            },
            Tab {
                text: "Decants",
                href: "/nominations/decants".into(),
                current: current == "decants",
            },
        ])
        .collect()
}

/// A listing in words.
pub struct ListingView {
    pub id: String,
    pub tenant: String,
    /// "2 bedroom flat in north".
    pub home: String,
    /// "1 to 2 bedrooms, in south or east, a flat or house".
    pub wants: String,
    pub landlord: String,
    pub status: (&'static str, &'static str),
}

fn bedrooms(n: i32) -> String {
    match n {
        0 => "studio".into(),
        n => format!("{n} bedroom"),
    }
}

fn or_list(items: &[String], any: &str) -> String {
    match items {
        [] => any.to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The landlord's name: the council, or the partner of that id among `partners`.
fn landlord(partner_id: &str, partners: &[pb::Partner]) -> String {
    if partner_id.is_empty() {
        return "The council".into();
    }
    partners
        .iter()
        .find(|p| p.partner_id == partner_id)
        .map_or_else(|| partner_id.to_owned(), |p| p.name.clone())
}

fn listing_view(l: pb::ExchangeListing, partners: &[pb::Partner]) -> ListingView {
    let status = l.status();
    let home = l.home.unwrap_or_default();
    let wants = l.wants.unwrap_or_default();
    let rooms = if wants.min_bedrooms == wants.max_bedrooms {
        bedrooms(wants.min_bedrooms)
    } else {
        format!("{} to {} bedroom", wants.min_bedrooms, wants.max_bedrooms)
    };
    let status = match status {
        ExchangeListingStatus::Active => ("Open to matching", "govuk-tag--green"),
        ExchangeListingStatus::Proposed => ("Proposed", "govuk-tag--blue"),
        ExchangeListingStatus::Exchanged => ("Exchanged", "govuk-tag--grey"),
        ExchangeListingStatus::Unspecified => ("Unknown", "govuk-tag--grey"),
    };
    ListingView {
        home: format!(
            "{} {} in {}",
            bedrooms(home.bedrooms),
            home.property_type,
            home.area
        ),
        wants: format!(
            "A {rooms} {} in {}",
            or_list(&wants.property_types, "home of any kind"),
            or_list(&wants.areas, "any area")
        ),
        landlord: landlord(&l.landlord_partner_id, partners),
        tenant: l.tenant_name,
        status,
        id: l.listing_id,
    }
}

async fn partners(
    state: &crate::web::State,
    officer: &Officer,
    path: &str,
) -> Result<Vec<pb::Partner>, PageError> {
    Ok(state
        .nominations(officer, path)
        .await?
        .list_partners(pb::ListPartnersRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .partners)
}

/// The listings of `ids`, in no particular order.
async fn listings(
    state: &crate::web::State,
    officer: &Officer,
    ids: Vec<String>,
    path: &str,
) -> Result<Vec<pb::ExchangeListing>, PageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(state
        .nominations(officer, path)
        .await?
        .list_exchange_listings(pb::ListExchangeListingsRequest {
            page_size: 100,
            listing_ids: ids,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, path))?
        .into_inner()
        .listings)
}

#[derive(Template)]
#[template(path = "nominations/exchanges.html")]
struct ListPage<'a> {
    page: Page<'a>,
    tabs: Vec<Tab>,
    listings: Vec<ListingView>,
    next_page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: String,
}

pub async fn list(
    State(state): State<crate::web::State>,
    officer: Officer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let found = state
        .nominations(&officer, PATH)
        .await?
        .list_exchange_listings(pb::ListExchangeListingsRequest {
            page_size: PAGE_SIZE,
            page_token: query.page,
            status: ExchangeListingStatus::Active as i32,
            ..Default::default()
        })
        .await
        .map_err(|s| PageError::from_status(s, PATH))?
        .into_inner();
    let partners = partners(&state, &officer, PATH).await?;
    Ok(render(&ListPage {
        page: Page::new("Mutual exchanges", Some(&officer), Section::Nominations),
        tabs: tabs("exchanges"),
        listings: found
            .listings
            .into_iter()
            .map(|l| listing_view(l, &partners))
            .collect(),
        next_page: (!found.next_page_token.is_empty())
            .then(|| format!("{PATH}?page={}", encode(&found.next_page_token))),
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListingForm {
    #[serde(default)]
    csrf_token: String,
    /// Made when the form is first shown: a form sent twice lists the home once.
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    tenant_name: String,
    #[serde(default)]
    landlord: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    bedrooms: String,
    #[serde(default)]
    property_type: String,
    #[serde(default)]
    wants_areas: String,
    #[serde(default)]
    min_bedrooms: String,
    #[serde(default)]
    max_bedrooms: String,
    #[serde(default)]
    wants_types: String,
}

/// Words separated by commas, each trimmed, empty ones left out.
fn words(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

impl ListingForm {
    /// The request, or each problem on the id of the service's field.
    fn request(&self) -> Result<pb::CreateExchangeListingRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut required = |value: &str, field: &str, message: &str| {
            if value.trim().is_empty() {
                errors.push(FieldError::on(field, message));
            }
        };
        required(
            &self.tenant_name,
            "listing-tenant_name",
            "Enter the tenant's name",
        );
        required(&self.area, "listing-home-area", "Enter where the home is");
        required(
            &self.property_type,
            "listing-home-property_type",
            "Enter the kind of home, like flat or house",
        );
        let mut rooms = |text: &str, field: &str, what: &str| match text.trim().parse::<i32>() {
            Ok(n) if (0..=10).contains(&n) => n,
            _ => {
                errors.push(FieldError::on(
                    field,
                    format!("Enter {what} as a number from 0 to 10"),
                ));
                0
            }
        };
        let bedrooms = rooms(
            &self.bedrooms,
            "listing-home-bedrooms",
            "the bedrooms of the home",
        );
        let min_bedrooms = rooms(
            &self.min_bedrooms,
            "listing-wants-min_bedrooms",
            "the fewest bedrooms wanted",
        );
        let max_bedrooms = rooms(
            &self.max_bedrooms,
            "listing-wants-max_bedrooms",
            "the most bedrooms wanted",
        );
        if errors.is_empty() && min_bedrooms > max_bedrooms {
            errors.push(FieldError::on(
                "listing-wants-max_bedrooms",
                "The most bedrooms wanted must not be fewer than the fewest",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(pb::CreateExchangeListingRequest {
            request_id: self.request_id.clone(),
            listing: Some(pb::ExchangeListing {
                tenant_name: self.tenant_name.trim().to_owned(),
                landlord_partner_id: self.landlord.trim().to_owned(),
                home: Some(pb::ExchangeHome {
                    area: self.area.trim().to_owned(),
                    bedrooms,
                    property_type: self.property_type.trim().to_owned(),
                }),
                wants: Some(pb::ExchangeWants {
                    areas: words(&self.wants_areas),
                    min_bedrooms,
                    max_bedrooms,
                    property_types: words(&self.wants_types),
                }),
                ..Default::default()
            }),
        })
    }
}

#[derive(Template)]
#[template(path = "nominations/exchange_listing_new.html")]
struct NewListingPage<'a> {
    page: Page<'a>,
    form: ListingForm,
    /// The landlords to choose from: the council (an empty id), then the partners.
    landlords: Vec<(String, String)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl NewListingPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

async fn new_listing_page(
    state: &crate::web::State,
    officer: &Officer,
    mut form: ListingForm,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = format!("{PATH}/new");
    if form.request_id.is_empty() {
        form.request_id = uuid::Uuid::new_v4().to_string();
    }
    let landlords = std::iter::once((String::new(), "The council".to_owned()))
        .chain(
            partners(state, officer, &path)
                .await?
                .into_iter()
                .filter(|p| !p.council_stock)
                .map(|p| (p.partner_id, p.name)),
        )
        .collect();
    let mut page = Page::new(
        "List a home for mutual exchange",
        Some(officer),
        Section::Nominations,
    );
    page.error_count = errors.len();
    Ok(render(&NewListingPage {
        page,
        form,
        landlords,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn new_listing(
    State(state): State<crate::web::State>,
    officer: Officer,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    new_listing_page(&state, &officer, ListingForm::default(), Vec::new()).await
}

pub async fn create_listing(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<ListingForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let request = match form.request() {
        Ok(request) => request,
        Err(errors) => return new_listing_page(&state, &officer, form, errors).await,
    };
    let path = format!("{PATH}/new");
    let answer = state
        .nominations(&officer, &path)
        .await?
        .create_exchange_listing(request)
        .await;
    match answer {
        Ok(created) => {
            let id = created
                .into_inner()
                .listing
                .map(|l| l.listing_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("{PATH}/listings/{id}?listed=1")).into_response())
        }
        Err(status) => {
            let errors = refusal(status, &path)?;
            new_listing_page(&state, &officer, form, errors).await
        }
    }
}

/// A swap or chain the service found, explained: each tenant and the home they move into.
pub struct MatchView {
    pub kind: &'static str,
    pub moves: Vec<String>,
    /// The listings in moving order, for proposing it.
    pub listing_ids: Vec<String>,
    /// Made when the page is shown: proposing twice proposes once.
    pub request_id: String,
}

/// "Ann Lee moves into Bo Chan's 3 bedroom flat in south", for each tenant in moving order:
/// each moves into the next one's home, the last into the first's.
fn moves(ids: &[String], views: &[ListingView]) -> Vec<String> {
    let find = |id: &String| views.iter().find(|v| &v.id == id);
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let next = &ids[(i + 1) % ids.len()];
            match (find(id), find(next)) {
                (Some(mover), Some(home)) => format!(
                    "{} moves into {}'s {}",
                    mover.tenant, home.tenant, home.home
                ),
                _ => format!("Listing {id} moves into listing {next}'s home"),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "nominations/exchange_listing.html")]
struct ListingPage<'a> {
    page: Page<'a>,
    listing: ListingView,
    /// None when the listing is no longer open to matching.
    matches: Option<Vec<MatchView>>,
    notice: Option<&'static str>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListingShown {
    #[serde(default)]
    listed: Option<String>,
}

async fn listing_page(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = format!("{PATH}/listings/{id}");
    let listing = listings(state, officer, vec![id.to_owned()], &path)
        .await?
        .into_iter()
        .next()
        .ok_or(PageError::NotFound)?;
    let partners = partners(state, officer, &path).await?;
    let found = if listing.status() == ExchangeListingStatus::Active {
        let found = state
            .nominations(officer, &path)
            .await?
            .find_exchanges(pb::FindExchangesRequest {
                listing_id: id.to_owned(),
            })
            .await
            .map_err(|s| PageError::from_status(s, &path))?
            .into_inner();
        Some(found)
    } else {
        None
    };
    let matches = match found {
        Some(found) => {
            let mut ids: Vec<String> = found
                .swaps
                .iter()
                .chain(&found.chains)
                .flat_map(|m| m.listing_ids.iter().cloned())
                .collect();
            ids.sort();
            ids.dedup();
            ids.truncate(MATCHED);
            let views: Vec<ListingView> = listings(state, officer, ids, &path)
                .await?
                .into_iter()
                .map(|l| listing_view(l, &partners))
                .collect();
            let view = |kind, m: pb::ExchangeMatch| MatchView {
                kind,
                moves: moves(&m.listing_ids, &views),
                listing_ids: m.listing_ids,
                request_id: uuid::Uuid::new_v4().to_string(),
            };
            Some(
                found
                    .swaps
                    .into_iter()
                    .map(|m| view("A two-way swap", m))
                    .chain(
                        found
                            .chains
                            .into_iter()
                            .map(|m| view("A three-way chain", m)),
                    )
                    .collect(),
            )
        }
        None => None,
    };
    let listing = listing_view(listing, &partners);
    let mut page = Page::new(
        format!("Exchange listing of {}", listing.tenant),
        Some(officer),
        Section::Nominations,
    );
    page.error_count = errors.len();
    Ok(render(&ListingPage {
        page,
        listing,
        matches,
        notice,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn show_listing(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<ListingShown>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let notice = shown
        .listed
        .is_some()
        .then_some("The home is listed for exchange");
    listing_page(&state, &officer, &id, notice, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ProposeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    request_id: String,
    /// The listing whose page proposed it, to go back to if the service refuses.
    #[serde(default)]
    from: String,
    /// The listings in moving order, apart by commas.
    #[serde(default)]
    listing_ids: String,
}

pub async fn propose(
    State(state): State<crate::web::State>,
    officer: Officer,
    Form(form): Form<ProposeForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let path = format!("{PATH}/listings/{}", form.from);
    let answer = state
        .nominations(&officer, &path)
        .await?
        .propose_exchange(pb::ProposeExchangeRequest {
            request_id: form.request_id.clone(),
            listing_ids: words(&form.listing_ids),
        })
        .await;
    match answer {
        Ok(proposed) => {
            let id = proposed
                .into_inner()
                .exchange
                .map(|e| e.exchange_id)
                .unwrap_or_default();
            Ok(Redirect::to(&format!("{PATH}/{id}?proposed=1")).into_response())
        }
        Err(status) => {
            let errors = refusal(status, &path)?;
            listing_page(&state, &officer, &form.from, None, errors).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    csrf_token: String,
    /// "yes" or "no".
    #[serde(default)]
    consent: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "nominations/exchange.html")]
struct ExchangePage<'a> {
    page: Page<'a>,
    id: String,
    status: (&'static str, &'static str),
    moves: Vec<String>,
    listings: Vec<ListingView>,
    /// Landlords still to answer, by name.
    awaiting: Vec<String>,
    /// The council is one of the landlords still to answer.
    council_to_answer: bool,
    form: ConsentForm,
    choices: &'static [(&'static str, &'static str)],
    notice: Option<&'static str>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
}

impl ExchangePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ExchangeShown {
    #[serde(default)]
    proposed: Option<String>,
    #[serde(default)]
    answered: Option<String>,
}

async fn exchange_page(
    state: &crate::web::State,
    officer: &Officer,
    id: &str,
    form: ConsentForm,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let path = format!("{PATH}/{id}");
    let exchange = state
        .nominations(officer, &path)
        .await?
        .get_exchange(pb::GetExchangeRequest {
            exchange_id: id.to_owned(),
        })
        .await
        .map_err(|s| PageError::from_status(s, &path))?
        .into_inner()
        .exchange
        .ok_or(PageError::NotFound)?;
    let partners = partners(state, officer, &path).await?;
    let found = listings(state, officer, exchange.listing_ids.clone(), &path).await?;
    let mut listings: Vec<ListingView> = found
        .into_iter()
        .map(|l| listing_view(l, &partners))
        .collect();
    listings.sort_by_key(|l| exchange.listing_ids.iter().position(|id| *id == l.id));
    let status = match exchange.status.as_str() {
        "awaiting_consent" => ("Awaiting the landlords' consent", "govuk-tag--blue"),
        "approved" => ("Approved: it goes ahead", "govuk-tag--green"),
        "refused" => ("Refused", "govuk-tag--red"),
        _ => ("Unknown", "govuk-tag--grey"),
    };
    let council = "council";
    let mut page = Page::new("Mutual exchange", Some(officer), Section::Nominations);
    page.error_count = errors.len();
    Ok(render(&ExchangePage {
        page,
        id: exchange.exchange_id.clone(),
        status,
        moves: moves(&exchange.listing_ids, &listings),
        listings,
        council_to_answer: exchange.status == "awaiting_consent"
            && exchange.awaiting.iter().any(|a| a == council),
        awaiting: exchange
            .awaiting
            .iter()
            .map(|a| {
                if a == council {
                    "The council".to_owned()
                } else {
                    landlord(a, &partners)
                }
            })
            .collect(),
        form,
        choices: &[
            ("yes", "Yes, the council consents"),
            ("no", "No, the council refuses"),
        ],
        notice,
        csrf_token: &officer.csrf_token,
        errors,
    }))
}

pub async fn show(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Query(shown): Query<ExchangeShown>,
) -> Result<Response, PageError> {
    officer.require(OFFICERS)?;
    let notice = if shown.proposed.is_some() {
        Some("The exchange has been put to the landlords")
    } else if shown.answered.is_some() {
        Some("The council's answer has been recorded")
    } else {
        None
    };
    exchange_page(
        &state,
        &officer,
        &id,
        ConsentForm::default(),
        notice,
        Vec::new(),
    )
    .await
}

pub async fn consent(
    State(state): State<crate::web::State>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ConsentForm>,
) -> Result<Response, PageError> {
    officer.check_form(&form.csrf_token)?;
    officer.require(OFFICERS)?;
    let consent = match form.consent.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let errors = vec![FieldError::on(
                "consent",
                "Select whether the council consents to the exchange",
            )];
            return exchange_page(&state, &officer, &id, form, None, errors).await;
        }
    };
    if !consent && form.reason.trim().is_empty() {
        let errors = vec![FieldError::on(
            "reason",
            "Enter why the council refuses its consent",
        )];
        return exchange_page(&state, &officer, &id, form, None, errors).await;
    }
    let path = format!("{PATH}/{id}");
    let answer = state
        .nominations(&officer, &path)
        .await?
        .record_council_consent(pb::RecordCouncilConsentRequest {
            exchange_id: id.clone(),
            consent,
            reason: form.reason.trim().to_owned(),
        })
        .await;
    match answer {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}/{id}?answered=1")).into_response()),
        Err(status) => {
            let errors = refusal(status, &path)?;
            exchange_page(&state, &officer, &id, form, None, errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(id: &str, tenant: &str, home: &str) -> ListingView {
        ListingView {
            id: id.into(),
            tenant: tenant.into(),
            home: home.into(),
            wants: String::new(),
            landlord: String::new(),
            status: ("", ""),
        }
    }

    #[test]
    fn each_tenant_moves_into_the_next_ones_home_and_the_last_into_the_firsts() {
        let views = [
            view("a", "Ann", "1 bedroom flat in north"),
            view("b", "Bo", "2 bedroom house in south"),
            view("c", "Cy", "3 bedroom house in east"),
        ];
        let ids = ["a", "b", "c"].map(String::from);
        assert_eq!(
            moves(&ids, &views),
            [
                "Ann moves into Bo's 2 bedroom house in south",
                "Bo moves into Cy's 3 bedroom house in east",
                "Cy moves into Ann's 1 bedroom flat in north",
            ]
        );
    }

    #[test]
    fn a_listing_form_names_each_bad_field_on_the_services_field_ids() {
        let errors = ListingForm {
            bedrooms: "eleven".into(),
            min_bedrooms: "2".into(),
            max_bedrooms: "1".into(),
            ..Default::default()
        }
        .request()
        .unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                "listing-tenant_name",
                "listing-home-area",
                "listing-home-property_type",
                "listing-home-bedrooms"
            ]
        );
        let request = ListingForm {
            tenant_name: " Ann Lee ".into(),
            area: "north".into(),
            bedrooms: "2".into(),
            property_type: "flat".into(),
            wants_areas: "south, east,".into(),
            min_bedrooms: "3".into(),
            max_bedrooms: "3".into(),
            ..Default::default()
        }
        .request()
        .unwrap();
        let listing = request.listing.unwrap();
        assert_eq!(listing.tenant_name, "Ann Lee");
        assert_eq!(listing.wants.unwrap().areas, ["south", "east"]);
    }
}
