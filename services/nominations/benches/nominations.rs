//! Shortlist to nomination against the whole of England's register (issue 7), printing:
//!
//! 1. how long seeding 1,340,000 applications into the register's database and assessing
//!    them takes;
//! 2. for a few hundred partner vacancies of one to four bedrooms across the register's
//!    areas, as an officer works through them over gRPC: `ShortlistVacancy` (nominations
//!    asks the register for the ranked shortlist) and `CreateNomination` of the top applicant
//!    not already nominated (nominations checks the applicant with the register, then
//!    records the nomination and its event), each and together, p50 and p99;
//! 3. the register alone, asked the same shortlists and applications directly, for what the
//!    hop through nominations adds.
//!
//! The register and nominations run in this process on real PostgreSQL and NATS, each with
//! its own database, talking over loopback only. The run is bounded in vacancies and in time
//! and stops by itself.
//!
//! Run with `cargo bench -p nominations --bench nominations`. Set
//! `NOMINATIONS_BENCH_APPLICATIONS` for a smaller register.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use housing_platform::auth::{BearerToken, Role};
use housing_platform::shutdown::CancellationToken;
use housing_platform::time::{format_date, today};
use housing_proto::nominations::v1::{
    self as pb, nominations_service_client::NominationsServiceClient,
    partner_service_client::PartnerServiceClient,
};
use housing_proto::register::v1::{self as reg, register_service_client::RegisterServiceClient};
use housing_testkit::pki::PartnerPki;
use housing_testkit::{Lcg, TestDatabase, TestEnv, servers, unique_prefix};
use register::bench::{AREAS, ENGLAND, SCHEME, seed};
use register::domain::scheme::Scheme;
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

/// Vacancies measured, after the warm-up ones.
const VACANCIES: usize = 300;
/// Vacancies shortlisted and nominated first, not measured: connections and statements warm.
const WARM_UP: usize = 10;
/// The measuring stops here even if vacancies are left.
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Candidates the officer sees. Everyone nominated earlier in the run is still on the
/// register and near the top, so the page is long enough to reach someone new.
const PAGE_SIZE: i32 = 200;

type Authed = InterceptedService<Channel, BearerToken>;

async fn as_role(addr: SocketAddr, role: Role) -> Authed {
    let token = housing_testkit::oidc::token_for(role, "api://housing-nominations").await;
    InterceptedService::new(
        housing_testkit::channel(addr).await,
        BearerToken::new(&token),
    )
}

/// Social lets by size as in England's lettings: about a third one-bedroom, two in five
/// two-bedroom, a fifth three-bedroom and a few larger; flats and houses; some step-free.
fn vacancy(seq: &mut Lcg, n: usize) -> pb::Vacancy {
    let bedrooms = match seq.below(100) {
        0..34 => 1,
        34..74 => 2,
        74..95 => 3,
        _ => 4,
    };
    let house = bedrooms >= 3 || seq.below(4) == 0;
    pb::Vacancy {
        address: format!(
            "{} {} Road",
            1 + n % 200,
            ["Mill", "Station", "Church"][n % 3]
        ),
        area: AREAS[seq.below(AREAS.len() as u64) as usize].into(),
        bedrooms,
        property_type: if house { "house" } else { "flat" }.into(),
        step_free: seq.below(10) == 0,
        wheelchair_accessible: false,
        weekly_rent_pence: 9_000 + 2_500 * bedrooms as i64 + seq.below(3_000) as i64,
        available_from: format_date(today()),
        void_start: format_date(today()),
        ..Default::default()
    }
}

/// The machine's load averages (1, 5 and 15 minutes), for the record beside the figures.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 * q) as usize).min(sorted.len() - 1);
    sorted[i].as_secs_f64() * 1000.0
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{what}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        times.last().unwrap().as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("NOMINATIONS_BENCH_APPLICATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ENGLAND);

    // The register's database, seeded and assessed as the service would have it.
    let register_db = TestDatabase::create("register_bench", &register::migrators()).await;
    let pool = register_db.pool().await;
    let started = Instant::now();
    seed(&pool, n).await;
    let seeded = started.elapsed();
    let scheme = Scheme::load(std::path::Path::new(SCHEME)).unwrap();
    let run = register::app::reassessment::run(&pool, &scheme, &CancellationToken::new())
        .await
        .expect("first assessment")
        .expect("a run");
    let assessed = started.elapsed();
    // Settled as a register in service is: every table the assessment wrote vacuumed and
    // analysed, so autovacuum starts on none of them mid-measurement, and the gigabytes of
    // WAL checkpointed. Measured straight after the assessment instead, the checkpoints and
    // writeback it leaves behind put commits and reads behind the disk (p99 over 150 ms).
    for settle in ["VACUUM ANALYZE", "CHECKPOINT"] {
        sqlx::query(settle).execute(&pool).await.unwrap();
    }
    pool.close().await;
    println!(
        "seeded {n} applications in {:.1} s: SQL {:.1} s, first assessment of {} {:.1} s, vacuum and checkpoint {:.1} s",
        started.elapsed().as_secs_f64(),
        seeded.as_secs_f64(),
        run.done,
        (assessed - seeded).as_secs_f64(),
        (started.elapsed() - assessed).as_secs_f64()
    );

    // Both services, on one NATS server under a prefix of this run's own.
    let prefix = unique_prefix();
    let env = |db: &TestDatabase| TestEnv {
        database_url: db.url.clone(),
        nats_url: servers::nats_url().to_owned(),
        subject_prefix: prefix.clone(),
    };
    // Nominations' stream first: the register listens on it, and finds it at once.
    housing_testkit::bus(servers::nats_url(), &prefix)
        .await
        .ensure_stream(nominations::IDENTITY.area)
        .await
        .expect("nominations' stream");
    let settings: register::Settings = env(&register_db).settings(
        register::DEFAULTS,
        &[
            ("HOUSING__SERVICE__SCHEME_FILE", SCHEME),
            ("HOUSING__SERVICE__RUN_DAILY_JOBS", "false"),
        ],
    );
    let register = register::build(settings).await.expect("register starts");
    let nominations_db = TestDatabase::create("nominations_bench", &nominations::migrators()).await;
    let register_url = format!("http://{}", register.addr());
    // The partner reports its vacancies on the partner port, with its own certificate.
    let pki = PartnerPki::new();
    let tls = pki.server_settings();
    let partner_tls: Vec<(&str, &str)> =
        tls.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let settings: nominations::Settings = env(&nominations_db).settings(
        nominations::DEFAULTS,
        &[
            &[("HOUSING__SERVICE__REGISTER_URL", register_url.as_str())][..],
            &partner_tls,
        ]
        .concat(),
    );
    let nominations = nominations::build(settings)
        .await
        .expect("nominations starts");
    let addr = nominations.addr();

    let mut manager = NominationsServiceClient::new(as_role(addr, Role::Manager).await);
    manager
        .create_partner(pb::CreatePartnerRequest {
            request_id: "bench-partner".into(),
            name: "Riverside Homes".into(),
            response_days: 5,
            nomination_share_percent: 50,
            client_certificate_pem: pki.certificate("riverside"),
            ..Default::default()
        })
        .await
        .expect("partner")
        .into_inner()
        .partner
        .unwrap();
    let partner_port = nominations.addr_of("partners").expect("a partner port");
    let mut partner_api = PartnerServiceClient::new(
        pki.channel(partner_port, Some("riverside"))
            .await
            .expect("the partner connects"),
    );
    let mut seq = Lcg::new(0x2545_f491_4f6c_dd1d);
    let mut vacancies = Vec::with_capacity(WARM_UP + VACANCIES);
    for i in 0..WARM_UP + VACANCIES {
        let reported = partner_api
            .report_vacancy(pb::ReportVacancyRequest {
                request_id: format!("vacancy-{i}"),
                vacancy: Some(vacancy(&mut seq, i)),
            })
            .await
            .expect("vacancy")
            .into_inner()
            .vacancy
            .unwrap();
        vacancies.push(reported);
    }

    let mut officer = NominationsServiceClient::new(as_role(addr, Role::AllocationsOfficer).await);
    let mut nominated: HashSet<String> = HashSet::new();
    let (mut shortlists, mut nominations_made, mut together) = (vec![], vec![], vec![]);
    let mut exhausted = 0;
    let mut asked_of_register = Vec::with_capacity(VACANCIES);
    let mut listed = 0;
    let load_before = load();
    let measuring = Instant::now();
    for (i, vacancy) in vacancies.iter().enumerate() {
        if measuring.elapsed() > TIME_LIMIT {
            println!(
                "stopped after {} s with {} vacancies left",
                TIME_LIMIT.as_secs(),
                vacancies.len() - i
            );
            break;
        }
        let asked = Instant::now();
        let candidates = officer
            .shortlist_vacancy(pb::ShortlistVacancyRequest {
                vacancy_id: vacancy.vacancy_id.clone(),
                page_size: PAGE_SIZE,
            })
            .await
            .expect("shortlist")
            .into_inner()
            .candidates;
        let shortlisted = Instant::now();
        // The top applicant not already nominated: one nomination each.
        let Some(top) = candidates
            .iter()
            .find(|c| !nominated.contains(&c.application_id))
        else {
            exhausted += 1;
            continue;
        };
        let nominating = Instant::now();
        officer
            .create_nomination(pb::CreateNominationRequest {
                request_id: format!("nominate-{i}"),
                vacancy_id: vacancy.vacancy_id.clone(),
                application_id: top.application_id.clone(),
                offer_kind: pb::OfferKind::Nomination as i32,
                ..Default::default()
            })
            .await
            .expect("nomination");
        let done = Instant::now();
        nominated.insert(top.application_id.clone());
        if i >= WARM_UP {
            asked_of_register.push((vacancy, top.application_id.clone()));
            listed += candidates.len();
            shortlists.push(shortlisted - asked);
            nominations_made.push(done - nominating);
            together.push(done - asked);
        }
    }
    let measured = shortlists.len();
    println!(
        "{measured} vacancies measured after {WARM_UP} warm-up ({} to {} bedrooms, {} areas), {:.1} candidates a shortlist of up to {PAGE_SIZE}, {exhausted} with no one left to nominate, in {:.1} s; load average {load_before} before, {} after",
        vacancies.iter().map(|v| v.bedrooms).min().unwrap(),
        vacancies.iter().map(|v| v.bedrooms).max().unwrap(),
        AREAS.len(),
        listed as f64 / measured.max(1) as f64,
        measuring.elapsed().as_secs_f64(),
        load()
    );
    if measured > 0 {
        report(
            "ShortlistVacancy (nominations, then the register)",
            shortlists,
        );
        report(
            "CreateNomination of the top applicant (verified with the register)",
            nominations_made,
        );
        report("shortlist to nomination, together", together);
    }

    // The register alone, asked what nominations asked it for the measured vacancies: what
    // the hop through nominations adds. Asked again, so its pages are already in memory.
    let service_token = housing_testkit::oidc::service_token(
        housing_testkit::oidc::issuer(),
        "nominations-service",
        "api://housing-register",
    )
    .await
    .expect("nominations' own token");
    let mut direct = RegisterServiceClient::new(InterceptedService::new(
        housing_testkit::channel(register.addr()).await,
        BearerToken::new(&service_token),
    ));
    let (mut listings, mut reads) = (vec![], vec![]);
    for (vacancy, application_id) in asked_of_register {
        let asked = Instant::now();
        direct
            .list_shortlist(reg::ListShortlistRequest {
                bedrooms: vacancy.bedrooms,
                area: vacancy.area.clone(),
                page_size: PAGE_SIZE,
                ..Default::default()
            })
            .await
            .expect("register shortlist");
        let listed = Instant::now();
        direct
            .get_application(reg::GetApplicationRequest { application_id })
            .await
            .expect("register application");
        listings.push(listed - asked);
        reads.push(listed.elapsed());
    }
    if !listings.is_empty() {
        report("the register alone, ListShortlist of the same", listings);
        report("the register alone, GetApplication of each nominee", reads);
    }

    nominations.stop().await.expect("nominations stops");
    register.stop().await.expect("register stops");
}
