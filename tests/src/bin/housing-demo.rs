//! Loads a small demo borough into a running local stack over gRPC: a few hundred register
//! applications, temporary accommodation stock from several providers, and two partner
//! providers with vacancies. `deploy/local/stack.sh --demo` runs it. It signs in at the
//! local OpenID provider as the demo officers do, and the partners connect to nominations'
//! partner port with their certificates from the stack's authority.
//!
//!   housing-demo pki DIR                makes the stack's partner authority in DIR (once)
//!   housing-demo load DIR               loads the demo borough, the partner authority in DIR
//!   housing-demo token USER AUDIENCE    signs the demo person USER in on the provider's
//!                                       login page and prints their token for AUDIENCE
//!   housing-demo call SERVICE METHOD --as USER JSON
//!                                       calls an RPC as USER with the request in JSON and
//!                                       prints the answer (see journeys::call)

use chrono::Datelike;
use housing_platform::auth::{BearerToken, Role};
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::nominations::v1::{
    self as noms, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use housing_proto::register::v1::{self as reg, register_service_client::RegisterServiceClient};
use housing_proto::rent::v1::{self as rent_pb, rent_service_client::RentServiceClient};
use housing_testkit::Lcg;
use housing_testkit::oidc::{AUDIENCES, Session, officer, sign_in};
use housing_testkit::pki::PartnerPki;
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

const GIVEN: &[&str] = &[
    "Ada", "Ben", "Chloe", "Dev", "Esi", "Farah", "George", "Hana", "Ivan", "Jade", "Kwame", "Lena",
];
const FAMILY: &[&str] = &[
    "Okafor", "Smith", "Khan", "Nowak", "Patel", "Jones", "Ahmed", "Silva", "Murphy", "Chen",
];
const AREAS: &[&str] = &["north", "south", "east", "west", "central"];

/// The local provider; the stack command says where.
fn issuer() -> String {
    std::env::var("HOUSING_DEMO_ISSUER").unwrap_or_else(|_| "http://127.0.0.1:9400".into())
}

/// The demo officer holding `role`, signed in at the provider.
async fn session(role: Role) -> anyhow::Result<Session> {
    let person = officer(role);
    Ok(
        sign_in(&issuer(), &person.username, &person.password, &AUDIENCES)
            .await?
            .0,
    )
}

/// A channel to the service at `addr` (audience `audience`) as `session`'s officer.
async fn client(
    addr: &str,
    session: &Session,
    audience: &str,
) -> anyhow::Result<InterceptedService<Channel, BearerToken>> {
    let channel = Channel::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let token = session.token_for(audience).await?;
    Ok(InterceptedService::new(channel, BearerToken::new(&token)))
}

fn born(years_ago: u64, seq: &mut Lcg) -> String {
    let days = years_ago * 365 + seq.below(300);
    format_date(today() - chrono::Days::new(days))
}

fn person(
    seq: &mut Lcg,
    family: &str,
    age: u64,
    relationship: reg::Relationship,
) -> reg::HouseholdMember {
    reg::HouseholdMember {
        given_name: GIVEN[seq.below(GIVEN.len() as u64) as usize].into(),
        family_name: family.into(),
        date_of_birth: born(age, seq),
        sex: if seq.below(2) == 0 {
            reg::Sex::Female
        } else {
            reg::Sex::Male
        } as i32,
        relationship: relationship as i32,
        pregnant: false,
        ..Default::default()
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["pki", dir] => {
            PartnerPki::at(std::path::Path::new(dir));
            Ok(())
        }
        ["load", dir] => load(&PartnerPki::at(std::path::Path::new(dir))).await,
        ["token", username, audience] => {
            let person = housing_testkit::oidc::person(username);
            let (_, token) =
                sign_in(&issuer(), &person.username, &person.password, &[audience]).await?;
            println!("{token}");
            Ok(())
        }
        ["call", service, method, "--as", username, json] => {
            journeys::call::call(
                service,
                method,
                username,
                json,
                |user, audience| async move {
                    let person = housing_testkit::oidc::person(&user);
                    Ok(
                        sign_in(&issuer(), &person.username, &person.password, &[&audience])
                            .await?
                            .1,
                    )
                },
            )
            .await
        }
        _ => anyhow::bail!(
            "usage: housing-demo pki DIR | housing-demo load DIR | housing-demo token USER AUDIENCE \
             | housing-demo call SERVICE METHOD --as USER JSON"
        ),
    }
}

/// How many of the demo's homeless households are in temporary accommodation.
const PLACED: usize = 12;

/// Places the first homeless households, each some weeks ago, in the unit ranked best for
/// them; two ask for removals a manager has still to approve. The placements' ids.
///
/// The first household goes to the best-ranked nightly-paid unit instead, so that there is
/// always a nightly-paid provider to invoice: which unit ranks first overall turns on ties
/// broken by the units' random ids, so it cannot be relied on to be nightly-paid.
async fn place(
    accommodation: &mut AccommodationServiceClient<InterceptedService<Channel, BearerToken>>,
    households: &[String],
) -> anyhow::Result<Vec<String>> {
    let mut placed = Vec::new();
    let mut nightly_paid = None;
    for (i, application_id) in households.iter().take(PLACED).enumerate() {
        let weeks_ago = 2 + (i as u64 % 10);
        let start = format_date(today() - chrono::Days::new(7 * weeks_ago));
        let request = accommodation
            .create_placement_request(ta::CreatePlacementRequestRequest {
                request_id: format!("demo-placement-request-{i}"),
                placement_request: Some(ta::PlacementRequest {
                    // The household is taken from the register application.
                    application_id: application_id.clone(),
                    duty: ta::DutyType::Main as i32,
                    anchors: vec![ta::Location {
                        latitude: 51.55,
                        longitude: -0.1,
                    }],
                    needed_from: start.clone(),
                    ..Default::default()
                }),
                confirm_differences: false,
            })
            .await?
            .into_inner()
            .placement_request
            .expect("placement request");
        let ranked = accommodation
            .rank_units(ta::RankUnitsRequest {
                placement_request_id: request.placement_request_id.clone(),
                // Every unit, so the best nightly-paid one is among them.
                page_size: 100,
            })
            .await?
            .into_inner();
        let mut units = ranked.ranked.iter().filter_map(|r| r.unit.as_ref());
        let (unit, reason) = if nightly_paid.is_none() {
            match units.find(|u| u.nightly_cost_pence > 0) {
                Some(unit) => (unit, "the nightly-paid unit ranked best for the household"),
                None => continue,
            }
        } else {
            match units.next() {
                Some(unit) => (unit, "ranked best for the household"),
                None => continue,
            }
        };
        let placement = accommodation
            .start_placement(ta::StartPlacementRequest {
                request_id: format!("demo-placement-{i}"),
                placement_request_id: request.placement_request_id,
                unit_id: unit.unit_id.clone(),
                start_date: start,
                reason: reason.into(),
            })
            .await?
            .into_inner()
            .placement
            .expect("placement");
        if i < 2 {
            accommodation
                .request_removal(ta::RequestRemovalRequest {
                    request_id: format!("demo-removal-{i}"),
                    placement_id: placement.placement_id.clone(),
                    kind: ta::RemovalKind::Storage as i32,
                    supplier_name: "Borough Removals Ltd".into(),
                    supplier_reference: format!("BR-{}", 4100 + i),
                    amount_pence: 18_000 + 2_500 * i as i64,
                })
                .await?;
        }
        if nightly_paid.is_none() && unit.nightly_cost_pence > 0 {
            nightly_paid = Some(unit.clone());
        }
        placed.push(placement.placement_id);
    }
    println!(
        "temporary accommodation: {} households placed, 2 removals awaiting a manager",
        placed.len()
    );
    if let Some(unit) = nightly_paid {
        invoice(accommodation, &unit).await?;
    }
    Ok(placed)
}

/// The provider of a nightly-paid unit invoices the week before last, when every placed
/// household was in, at more than the agreed rate: one invoice awaiting a manager, with a
/// difference to see.
async fn invoice(
    accommodation: &mut AccommodationServiceClient<InterceptedService<Channel, BearerToken>>,
    unit: &ta::Unit,
) -> anyhow::Result<()> {
    let nights = 7;
    let amount_pence = unit
        .nightly_cost_pence
        .checked_mul(i64::from(nights))
        .and_then(|cost| cost.checked_add(2_000))
        .ok_or_else(|| anyhow::anyhow!("unit {} costs beyond counting", unit.unit_id))?;
    accommodation
        .submit_invoice(ta::SubmitInvoiceRequest {
            request_id: "demo-invoice-0".into(),
            provider_id: unit.provider_id.clone(),
            provider_reference: "INV-2026-0412".into(),
            period_start: format_date(today() - chrono::Days::new(14)),
            period_end: format_date(today() - chrono::Days::new(7)),
            lines: vec![ta::InvoiceLine {
                unit_id: unit.unit_id.clone(),
                nights,
                amount_pence,
                ..Default::default()
            }],
        })
        .await?;
    println!("temporary accommodation: 1 invoice awaiting a manager");
    Ok(())
}

/// Charges the placed households' rent week by week since they moved in, takes some of it,
/// and reviews the arrears, so the income officer's queue has work in it.
async fn charge(placements: &[String]) -> anyhow::Result<()> {
    let mut rent = RentServiceClient::new(
        client(
            "127.0.0.1:50054",
            &session(Role::IncomeOfficer).await?,
            "api://housing-rent",
        )
        .await?,
    );
    // Rent opens each account when it hears of the placement.
    let mut accounts = Vec::new();
    for placement_id in placements {
        let mut waited = 0;
        let account = loop {
            match rent
                .get_account(rent_pb::GetAccountRequest {
                    key: Some(rent_pb::get_account_request::Key::PlacementId(
                        placement_id.clone(),
                    )),
                })
                .await
            {
                Ok(found) => break found.into_inner().account.expect("account"),
                Err(status) if status.code() == tonic::Code::NotFound && waited < 300 => {
                    waited += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(status) => return Err(status.into()),
            }
        };
        accounts.push(account);
    }
    let monday = today() - chrono::Days::new(today().weekday().num_days_from_monday().into());
    for weeks_ago in (0..12u64).rev() {
        rent.run_weekly_charges(rent_pb::RunWeeklyChargesRequest {
            week_start: format_date(monday - chrono::Days::new(7 * weeks_ago)),
        })
        .await?;
    }
    // Some households pay in full, some in part, some not at all.
    for (i, account) in accounts.iter().enumerate() {
        let weekly = account.weekly_charge_pence + account.weekly_service_charge_pence;
        let paid = match i % 3 {
            0 => weekly * 20,
            1 => weekly * 2,
            _ => 0,
        };
        if paid > 0 {
            rent.record_payment(rent_pb::RecordPaymentRequest {
                request_id: format!("demo-payment-{i}"),
                account_id: account.account_id.clone(),
                amount_pence: paid.min(1_000_000),
                received_on: format_date(today() - chrono::Days::new(3)),
                method: rent_pb::PaymentMethod::HousingBenefit as i32,
            })
            .await?;
        }
    }
    let reviewed = rent
        .review_arrears(rent_pb::ReviewArrearsRequest {
            as_of: format_date(today()),
        })
        .await?
        .into_inner();
    println!(
        "rent: {} accounts charged for 12 weeks, {} in arrears reviewed",
        accounts.len(),
        reviewed.accounts_reviewed
    );
    Ok(())
}

async fn load(pki: &PartnerPki) -> anyhow::Result<()> {
    // The same generator every run, so every demo borough is the same.
    let mut seq = Lcg::new(2026);

    let mut register = RegisterServiceClient::new(
        client(
            "127.0.0.1:50051",
            &session(Role::AllocationsOfficer).await?,
            "api://housing-register",
        )
        .await?,
    );
    // Homeless households' applications, to place in temporary accommodation.
    let mut homeless_households = Vec::new();
    let mut reviews_started = 0;
    for i in 0..300 {
        let family = FAMILY[seq.below(FAMILY.len() as u64) as usize];
        let mut members = Vec::new();
        if seq.below(2) == 0 {
            let age = 25 + seq.below(30);
            members.push(person(&mut seq, family, age, reg::Relationship::Partner));
        }
        for _ in 0..seq.below(4) {
            let age = seq.below(18);
            members.push(person(&mut seq, family, age, reg::Relationship::Child));
        }
        let lead_age = 20 + seq.below(50);
        let lead = person(&mut seq, family, lead_age, reg::Relationship::LeadApplicant);
        let homeless = seq.below(4) == 0;
        let submitted = register
            .submit_application(reg::SubmitApplicationRequest {
                request_id: format!("demo-application-{i}"),
                lead_applicant: Some(lead),
                members,
                details: Some(reg::ApplicationDetails {
                    area: AREAS[seq.below(AREAS.len() as u64) as usize].into(),
                    postcode: format!("N{} {}AB", 1 + seq.below(20), seq.below(9)),
                    circumstances: Some(reg::HousingCircumstances {
                        current_bedrooms: Some(seq.below(3) as i32),
                        homeless,
                        owed_homelessness_duty: homeless && seq.below(2) == 0,
                        medical_need: seq.below(10) == 0,
                        needs_to_move_for_hardship: seq.below(15) == 0,
                        tenure: if homeless {
                            reg::Tenure::TemporaryAccommodation
                        } else {
                            reg::Tenure::PrivateRented
                        } as i32,
                        address: format!("{} High Street", 1 + seq.below(200)),
                        ..Default::default()
                    }),
                    local_connection: Some(reg::LocalConnection {
                        years_resident: Some(2 + seq.below(20) as i32),
                        ..Default::default()
                    }),
                    immigration_status: reg::ImmigrationStatus::BritishOrIrishCitizen as i32,
                    finances: Some(reg::Finances {
                        annual_income_pence: Some(1_000_000 + seq.below(3_000_000) as i64),
                        savings_pence: Some(seq.below(500_000) as i64),
                    }),
                    mobility: if seq.below(20) == 0 {
                        reg::MobilityCategory::StepFree
                    } else {
                        reg::MobilityCategory::GeneralNeeds
                    } as i32,
                    areas_wanted: vec![],
                    property_types: vec![],
                    ..Default::default()
                }),
            })
            .await?
            .into_inner()
            .application
            .expect("application");
        // Every application is a year from its first review, so a few are started early to
        // give the officers' queue of annual reviews work.
        if i % 50 == 7 && submitted.status == reg::ApplicationStatus::Active as i32 {
            let started = register
                .start_annual_review(reg::StartAnnualReviewRequest {
                    application_id: submitted.application_id.clone(),
                })
                .await;
            match started {
                Ok(_) => reviews_started += 1,
                // A database kept from an earlier load has the review open already.
                Err(status) if status.code() == tonic::Code::FailedPrecondition => {}
                Err(status) => return Err(status.into()),
            }
        }
        if homeless {
            homeless_households.push(submitted.application_id);
        }
    }
    println!("register: 300 applications, {reviews_started} annual reviews started");

    let mut accommodation = AccommodationServiceClient::new(
        client(
            "127.0.0.1:50052",
            &session(Role::TaOfficer).await?,
            "api://housing-accommodation",
        )
        .await?,
    );
    let types = [
        ta::UnitType::BedAndBreakfast,
        ta::UnitType::NightlyPaidSelfContained,
        ta::UnitType::PrivateSectorLeased,
        ta::UnitType::Hostel,
    ];
    let mut units = 0;
    for (p, name) in [
        "Northside Lettings",
        "Riverside Nightly",
        "Greenway Leasing",
        "Harbour Hostels",
    ]
    .iter()
    .enumerate()
    {
        let provider = accommodation
            .create_provider(ta::CreateProviderRequest {
                request_id: format!("demo-provider-{p}"),
                name: (*name).into(),
                contact_email: format!("bookings{p}@provider.example"),
            })
            .await?
            .into_inner()
            .provider
            .expect("provider");
        for u in 0..15 {
            let bedrooms = 1 + seq.below(4) as i32;
            let cert = |kind: ta::CertificateKind, seq: &mut Lcg| ta::Certificate {
                kind: kind as i32,
                issued_on: format_date(today() - chrono::Days::new(30 + seq.below(300))),
                expires_on: format_date(today() + chrono::Days::new(seq.below(400))),
            };
            let self_contained =
                types[p] != ta::UnitType::Hostel && types[p] != ta::UnitType::BedAndBreakfast;
            let mut certificates = vec![
                cert(ta::CertificateKind::GasSafety, &mut seq),
                cert(ta::CertificateKind::Electrical, &mut seq),
                cert(ta::CertificateKind::EnergyPerformance, &mut seq),
            ];
            if !self_contained {
                certificates.push(cert(ta::CertificateKind::FireRiskAssessment, &mut seq));
            }
            let cost = 20_000 + seq.below(40_000) as i64;
            let nightly = matches!(
                types[p],
                ta::UnitType::BedAndBreakfast | ta::UnitType::NightlyPaidSelfContained
            );
            accommodation
                .create_unit(ta::CreateUnitRequest {
                    request_id: format!("demo-unit-{p}-{u}"),
                    unit: Some(ta::Unit {
                        unit_id: String::new(),
                        provider_id: provider.provider_id.clone(),
                        address: format!(
                            "{} {} Road",
                            1 + seq.below(200),
                            ["Elm", "Oak", "Mill", "Station", "Church"][seq.below(5) as usize]
                        ),
                        local_authority: if seq.below(5) == 0 {
                            "Neighbouring Borough"
                        } else {
                            "Example Borough"
                        }
                        .into(),
                        location: Some(ta::Location {
                            latitude: 51.50 + seq.below(100) as f64 / 1000.0,
                            longitude: -0.15 + seq.below(100) as f64 / 1000.0,
                        }),
                        unit_type: types[p] as i32,
                        bedrooms,
                        max_occupancy: bedrooms * 2,
                        self_contained,
                        step_free: seq.below(3) == 0,
                        wheelchair_accessible: seq.below(8) == 0,
                        lift: seq.below(4) == 0,
                        weekly_cost_pence: if nightly { 0 } else { cost },
                        nightly_cost_pence: if nightly { cost / 7 } else { 0 },
                        weekly_rent_pence: 15_000 + seq.below(15_000) as i64,
                        // Shared facilities come with a charge for heating and cleaning.
                        weekly_service_charge_pence: if self_contained { 0 } else { 1_500 },
                        block_booked: seq.below(4) == 0,
                        certificates,
                    }),
                })
                .await?;
            units += 1;
        }
    }
    println!("temporary accommodation: 4 providers, {units} units");
    let placements = place(&mut accommodation, &homeless_households).await?;
    charge(&placements).await?;

    let mut staff = NominationsServiceClient::new(
        client(
            "127.0.0.1:50053",
            &session(Role::Manager).await?,
            "api://housing-nominations",
        )
        .await?,
    );
    for (p, (name, certificate)) in [
        ("Riverside Homes", "riverside"),
        ("Northern Housing Association", "northern"),
    ]
    .iter()
    .enumerate()
    {
        let created = staff
            .create_partner(noms::CreatePartnerRequest {
                // Named by the certificate as well: a stack with a new authority (a fresh
                // clone on a database kept from before) registers its partners anew.
                request_id: format!("demo-partner-{p}-{}", &pki.fingerprint(certificate)[..16]),
                name: (*name).into(),
                response_days: 5,
                nomination_share_percent: 50,
                client_certificate_pem: pki.certificate(certificate),
                ..Default::default()
            })
            .await;
        let partner = match created {
            Ok(created) => created.into_inner().partner.expect("partner"),
            // This authority's certificate is a partner's already: an earlier load made it.
            Err(status) if status.code() == tonic::Code::AlreadyExists => {
                println!("nominations: {name} was loaded before");
                continue;
            }
            Err(status) => return Err(status.into()),
        };
        let mut partner_api = PartnerServiceClient::new(
            pki.channel(([127, 0, 0, 1], 50063).into(), Some(certificate))
                .await?,
        );
        for v in 0..6 {
            partner_api
                .report_vacancy(noms::ReportVacancyRequest {
                    request_id: format!("demo-vacancy-{}-{v}", partner.partner_id),
                    vacancy: Some(noms::Vacancy {
                        address: format!("{} Canal Street", 10 + v),
                        area: AREAS[seq.below(AREAS.len() as u64) as usize].into(),
                        bedrooms: 1 + seq.below(4) as i32,
                        property_type: if seq.below(2) == 0 { "flat" } else { "house" }.into(),
                        weekly_rent_pence: 12_000 + seq.below(10_000) as i64,
                        available_from: format_date(today() + chrono::Days::new(7)),
                        void_start: format_date(today()),
                        ..Default::default()
                    }),
                })
                .await?;
        }
        println!(
            "nominations: {name} with 6 vacancies (partner id {})",
            partner.partner_id
        );
        if p == 0 {
            moves(
                &mut register,
                &mut staff,
                &mut partner_api,
                &partner.partner_id,
            )
            .await?;
        }
    }
    Ok(())
}

type Channelled = InterceptedService<Channel, BearerToken>;

/// Two households rehoused in the first partner's homes, each leaving a payment for a
/// manager to approve: a council tenant with two spare bedrooms (an under-occupation
/// incentive), and a household decanted from a regeneration scheme (home-loss payment).
async fn moves(
    register: &mut RegisterServiceClient<Channelled>,
    staff: &mut NominationsServiceClient<Channelled>,
    partner_api: &mut PartnerServiceClient<Channel>,
    // Keys each request: a database kept from an earlier load holds these households
    // already housed, under a partner this load does not know.
    partner: &str,
) -> anyhow::Result<()> {
    for (family, current_bedrooms, offer_kind) in [
        ("Underhill", 3, noms::OfferKind::Nomination),
        ("Brook", 1, noms::OfferKind::Decant),
    ] {
        let lead = reg::HouseholdMember {
            given_name: "Margaret".into(),
            family_name: family.into(),
            date_of_birth: format_date(today() - chrono::Days::new(60 * 365)),
            sex: reg::Sex::Female as i32,
            relationship: reg::Relationship::LeadApplicant as i32,
            ..Default::default()
        };
        let application = register
            .submit_application(reg::SubmitApplicationRequest {
                request_id: format!("demo-move-{partner}-{family}"),
                lead_applicant: Some(lead),
                members: vec![],
                details: Some(reg::ApplicationDetails {
                    area: "central".into(),
                    postcode: "N1 1AB".into(),
                    circumstances: Some(reg::HousingCircumstances {
                        current_bedrooms: Some(current_bedrooms),
                        tenure: reg::Tenure::CouncilTenant as i32,
                        address: format!("{current_bedrooms} Canal Estate"),
                        ..Default::default()
                    }),
                    local_connection: Some(reg::LocalConnection {
                        years_resident: Some(20),
                        ..Default::default()
                    }),
                    immigration_status: reg::ImmigrationStatus::BritishOrIrishCitizen as i32,
                    finances: Some(reg::Finances {
                        annual_income_pence: Some(1_500_000),
                        savings_pence: Some(100_000),
                    }),
                    mobility: reg::MobilityCategory::GeneralNeeds as i32,
                    ..Default::default()
                }),
            })
            .await?
            .into_inner()
            .application
            .expect("application");
        if offer_kind == noms::OfferKind::Decant {
            staff
                .create_decant(noms::CreateDecantRequest {
                    request_id: format!("demo-decant-{partner}-{family}"),
                    decant: Some(noms::Decant {
                        scheme: "Canal Estate regeneration".into(),
                        application_id: application.application_id.clone(),
                        payee_name: format!("Margaret {family}"),
                        address: format!("{current_bedrooms} Canal Estate"),
                        tenure: noms::DecantTenure::Tenant as i32,
                        occupied_since: format_date(today() - chrono::Days::new(6 * 365)),
                        right_to_return: true,
                        ..Default::default()
                    }),
                })
                .await?;
        }
        let vacancy = partner_api
            .report_vacancy(noms::ReportVacancyRequest {
                request_id: format!("demo-move-vacancy-{partner}-{family}"),
                vacancy: Some(noms::Vacancy {
                    address: format!("Flat 1, {family} Court"),
                    area: "central".into(),
                    bedrooms: 1,
                    property_type: "flat".into(),
                    weekly_rent_pence: 11_000,
                    available_from: format_date(today()),
                    void_start: format_date(today()),
                    ..Default::default()
                }),
            })
            .await?
            .into_inner()
            .vacancy
            .expect("vacancy");
        let nomination = staff
            .create_nomination(noms::CreateNominationRequest {
                request_id: format!("demo-move-nomination-{partner}-{family}"),
                vacancy_id: vacancy.vacancy_id,
                application_id: application.application_id,
                offer_kind: offer_kind as i32,
                ..Default::default()
            })
            .await?
            .into_inner()
            .nomination
            .expect("nomination");
        partner_api
            .respond_to_nomination(noms::RespondToNominationRequest {
                nomination_id: nomination.nomination_id.clone(),
                accept: true,
                ..Default::default()
            })
            .await?;
        partner_api
            .report_letting(noms::ReportLettingRequest {
                nomination_id: nomination.nomination_id,
                tenancy_start_date: format_date(today()),
                weekly_rent_pence: 11_000,
                details: None,
            })
            .await?;
        println!(
            "nominations: {} (Margaret {family}) moved, a payment for a manager to approve",
            application.reference
        );
    }
    Ok(())
}
