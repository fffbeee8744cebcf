//! Chains that cross services, on real servers: a rent account referred for arrears opens a
//! review of the placement in temporary accommodation, which an officer decides (nothing
//! closes a household's home on its own); evidence verified or rejected in the documents
//! service moves a register application that the scheme says needs it; a unit's renewed
//! certificate verified there returns the unit to matching; a placement in another
//! council's district has its s.208 notice written by the documents service; a placement
//! request takes its household from the register application.

mod common;

use std::time::Duration;

use common::{
    application, as_role, new_unit, place_a_household, placement_request, start_accommodation,
    start_documents, start_register_with, start_rent,
};
use housing_platform::auth::Role;
use housing_platform::errors::{bad_request_fields, bad_request_violations};
use housing_platform::time::{format_date, today};
use housing_proto::accommodation::v1::{
    self as ta, accommodation_service_client::AccommodationServiceClient,
};
use housing_proto::documents::v1::{
    self as docs, documents_service_client::DocumentsServiceClient,
};
use housing_proto::register::v1::{self as reg, register_service_client::RegisterServiceClient};
use housing_proto::rent::v1::{self as rent, rent_service_client::RentServiceClient};
use housing_testkit::{eventually, servers, unique_prefix};
use sha2::{Digest, Sha256};
use tonic::Code;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn an_arrears_referral_opens_a_closure_review_that_only_an_officer_decides() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let rent_service = start_rent(nats_url, &prefix).await;
    let accommodation = start_accommodation(nats_url, &prefix, None).await;
    let mut ta_client =
        AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    let mut income = RentServiceClient::new(as_role(&rent_service, Role::IncomeOfficer).await);

    let placement_id = place_a_household(&mut ta_client).await.placement_id;
    let account = eventually(WAIT, "the rent account for the placement", || {
        let mut income = income.clone();
        let placement_id = placement_id.clone();
        async move {
            income
                .get_account(rent::GetAccountRequest {
                    key: Some(rent::get_account_request::Key::PlacementId(placement_id)),
                })
                .await
                .ok()?
                .into_inner()
                .account
        }
    })
    .await;
    // Nine weeks' rent unpaid: past the eight weeks at which the account is referred.
    income
        .post_adjustment(rent::PostAdjustmentRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            account_id: account.account_id.clone(),
            kind: rent::AdjustmentKind::Debit as i32,
            amount_pence: 9 * 15_000,
            effective_date: format_date(today()),
            reason: "charges missed since the household moved in".into(),
        })
        .await
        .unwrap();
    let reviewed = income
        .review_arrears(rent::ReviewArrearsRequest {
            as_of: format_date(today()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(reviewed.stages_changed, 1);

    let review = eventually(WAIT, "the closure review", || {
        let mut client = ta_client.clone();
        async move {
            let open = client
                .list_closure_reviews(ta::ListClosureReviewsRequest {
                    status: ta::ClosureReviewStatus::Open as i32,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner()
                .reviews;
            open.into_iter().next()
        }
    })
    .await;
    assert_eq!(review.placement_id, placement_id);
    assert_eq!(review.rent_account_id, account.account_id);
    assert_eq!(review.balance_pence, 9 * 15_000);
    assert_eq!(review.opened_on, format_date(today()));
    // The referral alone closes nothing.
    let placement = |client: &mut AccommodationServiceClient<common::Authed>| {
        let mut client = client.clone();
        let id = placement_id.clone();
        async move {
            client
                .get_placement(ta::GetPlacementRequest { placement_id: id })
                .await
                .unwrap()
                .into_inner()
                .placement
                .unwrap()
        }
    };
    let before = placement(&mut ta_client).await;
    assert_ne!(before.status, ta::PlacementStatus::Closed as i32);
    assert_eq!(before.closure_reviews.len(), 1);

    let bad = ta_client
        .decide_closure_review(ta::DecideClosureReviewRequest {
            review_id: "the one".into(),
            close_placement: true,
            reason: " ".into(),
            end_date: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        bad_request_fields(&bad),
        vec!["review_id", "reason", "end_date"]
    );

    let end = format_date(today() + chrono::Days::new(28));
    let decide = ta::DecideClosureReviewRequest {
        review_id: review.review_id.clone(),
        close_placement: true,
        reason: "no payment or contact after two letters and a visit".into(),
        end_date: end.clone(),
    };
    let decided = ta_client
        .decide_closure_review(decide.clone())
        .await
        .unwrap()
        .into_inner();
    let decided_review = decided.review.unwrap();
    assert_eq!(
        decided_review.status,
        ta::ClosureReviewStatus::PlacementClosed as i32
    );
    assert!(!decided_review.decided_by.is_empty());
    let closed = decided.placement.unwrap();
    assert_eq!(closed.status, ta::PlacementStatus::Closed as i32);
    assert_eq!(closed.closure_reason, ta::ClosureReason::Arrears as i32);
    assert_eq!(closed.end_date, end);
    // The same decision again changes nothing; keeping the placement now is refused.
    ta_client.decide_closure_review(decide).await.unwrap();
    let keep = ta_client
        .decide_closure_review(ta::DecideClosureReviewRequest {
            review_id: review.review_id.clone(),
            close_placement: false,
            reason: "changed my mind".into(),
            end_date: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(keep.code(), Code::FailedPrecondition);
    let open_left = ta_client
        .list_closure_reviews(ta::ListClosureReviewsRequest {
            status: ta::ClosureReviewStatus::Open as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .reviews;
    assert!(open_left.is_empty());

    accommodation.running.stop().await.expect("stops");
    rent_service.running.stop().await.expect("stops");
}

/// A scanned document, as an officer uploads it: `what` is about the owner `owner`.
async fn upload(
    client: &mut DocumentsServiceClient<common::Authed>,
    (owner_kind, owner): (docs::OwnerKind, &str),
    what: docs::EvidenceType,
    expires_on: &str,
) -> docs::Document {
    let bytes = documents::domain::pdf::render("Scan", &format!("{what:?} for {owner}"));
    let header = docs::UploadHeader {
        request_id: uuid::Uuid::now_v7().to_string(),
        owner_kind: owner_kind as i32,
        owner_id: owner.to_owned(),
        application_id: if owner_kind == docs::OwnerKind::Application {
            owner.to_owned()
        } else {
            String::new()
        },
        evidence_type: what as i32,
        filename: "scan.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: bytes.len() as i64,
        sha256: format!("{:x}", Sha256::digest(&bytes)),
        expires_on: expires_on.to_owned(),
    };
    let parts = vec![
        docs::UploadDocumentRequest {
            part: Some(docs::upload_document_request::Part::Header(header)),
        },
        docs::UploadDocumentRequest {
            part: Some(docs::upload_document_request::Part::Chunk(bytes)),
        },
    ];
    client
        .upload_document(tokio_stream::iter(parts))
        .await
        .unwrap()
        .into_inner()
        .document
        .unwrap()
}

/// A letter's text, as a reader's pdftotext reads it.
async fn letter_text(
    client: &mut DocumentsServiceClient<common::Authed>,
    letter_id: &str,
) -> String {
    let mut chunks = client
        .download_letter(docs::DownloadLetterRequest {
            letter_id: letter_id.to_owned(),
        })
        .await
        .unwrap()
        .into_inner();
    let mut pdf = Vec::new();
    while let Some(chunk) = chunks.message().await.unwrap() {
        pdf.extend(chunk.chunk);
    }
    housing_testkit::pdf::pdf_text(&pdf)
}

async fn upload_identity(
    client: &mut DocumentsServiceClient<common::Authed>,
    id: &str,
) -> docs::Document {
    upload(
        client,
        (docs::OwnerKind::Application, id),
        docs::EvidenceType::Identity,
        "",
    )
    .await
}

#[tokio::test]
async fn verified_evidence_puts_an_application_live_and_rejected_evidence_keeps_it_waiting_named() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    // The example scheme, requiring verified proof of identity before an application goes live.
    let scheme = tempfile::NamedTempFile::new().unwrap();
    let text = std::fs::read_to_string(common::BANDING).unwrap();
    let requiring = text.replace(
        "[evidence]\nrequired = []",
        "[evidence]\nrequired = [\"identity\"]",
    );
    assert_ne!(
        requiring, text,
        "the example scheme has an [evidence] section"
    );
    std::fs::write(scheme.path(), requiring).unwrap();
    let register = start_register_with(nats_url, &prefix, scheme.path().to_str().unwrap()).await;
    let (documents, _files) = start_documents(nats_url, &prefix).await;
    let mut officer =
        RegisterServiceClient::new(as_role(&register, Role::AllocationsOfficer).await);
    let mut evidence =
        DocumentsServiceClient::new(as_role(&documents, Role::AllocationsOfficer).await);

    let mut submit = async |request_id: &str| {
        officer
            .submit_application(application(request_id, true, false))
            .await
            .unwrap()
            .into_inner()
            .application
            .unwrap()
    };
    let verified = submit("evidence-verified").await;
    let rejected = submit("evidence-rejected").await;
    for waiting in [&verified, &rejected] {
        assert_eq!(
            waiting.status,
            reg::ApplicationStatus::AwaitingInformation as i32
        );
        assert_eq!(waiting.missing, vec!["evidence.identity"]);
    }

    let status = |id: String| {
        let officer = officer.clone();
        async move {
            officer
                .clone()
                .get_application(reg::GetApplicationRequest { application_id: id })
                .await
                .unwrap()
                .into_inner()
                .application
                .unwrap()
        }
    };
    let passport = upload_identity(&mut evidence, &verified.application_id).await;
    evidence
        .verify_document(docs::VerifyDocumentRequest {
            document_id: passport.document_id,
        })
        .await
        .unwrap();
    let live = eventually(WAIT, "the verified application to go live", || {
        let id = verified.application_id.clone();
        async move {
            let a = status(id).await;
            (a.status == reg::ApplicationStatus::Active as i32).then_some(a)
        }
    })
    .await;
    assert!(live.missing.is_empty());
    assert!(live.assessment.is_some(), "assessed once live");

    let blurred = upload_identity(&mut evidence, &rejected.application_id).await;
    evidence
        .reject_document(docs::RejectDocumentRequest {
            document_id: blurred.document_id,
            reason: "the photograph page is blurred: send a clear scan".into(),
        })
        .await
        .unwrap();
    // The rejection is recorded and the application still waits, naming what it needs.
    let pool = register.db.pool().await;
    eventually(WAIT, "the rejection to reach the register", || {
        let pool = pool.clone();
        let id = rejected.application_id.clone();
        async move {
            let state: Option<String> = sqlx::query_scalar(
                "SELECT state::text FROM application_evidence WHERE application_id = $1::uuid",
            )
            .bind(&id)
            .fetch_optional(&pool)
            .await
            .ok()?;
            (state.as_deref() == Some("rejected")).then_some(())
        }
    })
    .await;
    let waiting = status(rejected.application_id.clone()).await;
    assert_eq!(
        waiting.status,
        reg::ApplicationStatus::AwaitingInformation as i32
    );
    assert_eq!(waiting.missing, vec!["evidence.identity"]);

    // The applicant was sent a letter listing exactly what is missing.
    let letters = eventually(WAIT, "the letter asking for what is missing", || {
        let mut evidence = evidence.clone();
        let id = rejected.application_id.clone();
        async move {
            let letters = evidence
                .list_letters(docs::ListLettersRequest {
                    application_id: id,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner()
                .letters;
            (!letters.is_empty()).then_some(letters)
        }
    })
    .await;
    assert_eq!(letters[0].kind, docs::LetterKind::InformationRequest as i32);
    let text = letter_text(&mut evidence, &letters[0].letter_id).await;
    assert!(
        text.contains("Proof of identity for the lead applicant"),
        "{text}"
    );

    documents.running.stop().await.expect("stops");
    register.running.stop().await.expect("stops");
}

#[tokio::test]
async fn a_certificate_verified_in_documents_returns_a_lapsed_unit_to_matching() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let (documents, _files) = start_documents(nats_url, &prefix).await;
    let accommodation = start_accommodation(nats_url, &prefix, None).await;
    let mut ta_client =
        AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    let mut evidence = DocumentsServiceClient::new(as_role(&documents, Role::TaOfficer).await);

    // The gas safety record ran out yesterday.
    let unit = new_unit(
        &mut ta_client,
        "3 Lapse Lane",
        "Example Borough",
        today() - chrono::Days::new(1),
    )
    .await;
    let request = placement_request(
        &mut ta_client,
        &uuid::Uuid::now_v7().to_string(),
        "Ola Bello",
        (1, false),
        ta::DutyType::Interim,
    )
    .await;
    let ranked = |client: &AccommodationServiceClient<common::Authed>| {
        let mut client = client.clone();
        let id = request.placement_request_id.clone();
        async move {
            client
                .rank_units(ta::RankUnitsRequest {
                    placement_request_id: id,
                    page_size: 0,
                })
                .await
                .unwrap()
                .into_inner()
        }
    };
    let before = ranked(&ta_client).await;
    assert!(before.ranked.is_empty());
    assert!(before.excluded[0].reasons[0].starts_with("gas safety record expired"));

    let renewal = upload(
        &mut evidence,
        (docs::OwnerKind::Unit, &unit.unit_id),
        docs::EvidenceType::GasSafetyCertificate,
        &format_date(today() + chrono::Days::new(365)),
    )
    .await;
    evidence
        .verify_document(docs::VerifyDocumentRequest {
            document_id: renewal.document_id,
        })
        .await
        .unwrap();
    let after = eventually(WAIT, "the unit offered again", || {
        let ranked = ranked(&ta_client);
        async move {
            let after = ranked.await;
            (!after.ranked.is_empty()).then_some(after)
        }
    })
    .await;
    assert_eq!(after.ranked[0].unit.as_ref().unwrap().unit_id, unit.unit_id);
    let history = ta_client
        .get_unit(ta::GetUnitRequest {
            unit_id: unit.unit_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .history;
    assert_eq!(history.last().unwrap().change, "certificate_renewed");

    accommodation.running.stop().await.expect("stops");
    documents.running.stop().await.expect("stops");
}

#[tokio::test]
async fn an_out_of_district_placement_has_its_s208_notice_written_with_each_statutory_item() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let (documents, _files) = start_documents(nats_url, &prefix).await;
    let accommodation = start_accommodation(nats_url, &prefix, None).await;
    let mut ta_client =
        AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);
    let mut letters = DocumentsServiceClient::new(as_role(&documents, Role::TaOfficer).await);

    let unit = new_unit(
        &mut ta_client,
        "Flat 2, 14 Mill Lane, Sittingbourne ME10 1AA",
        "Swale Borough Council",
        today() + chrono::Days::new(300),
    )
    .await;
    let application_id = uuid::Uuid::now_v7().to_string();
    let request = placement_request(
        &mut ta_client,
        &application_id,
        "Nguyễn Thị Hương",
        (3, true),
        ta::DutyType::Main,
    )
    .await;
    let placement = ta_client
        .start_placement(ta::StartPlacementRequest {
            request_id: String::new(),
            placement_request_id: request.placement_request_id,
            unit_id: unit.unit_id,
            start_date: format_date(today()),
            reason: "the only suitable home free today".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap();

    let notice = eventually(WAIT, "the s.208 notice", || {
        let mut letters = letters.clone();
        let id = application_id.clone();
        async move {
            letters
                .list_letters(docs::ListLettersRequest {
                    application_id: id,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner()
                .letters
                .into_iter()
                .find(|l| l.kind == docs::LetterKind::S208Notice as i32)
        }
    })
    .await;
    let text = letter_text(&mut letters, &notice.letter_id)
        .await
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for statement in [
        "Notice under section 208 of the Housing Act 1996",
        "Swale Borough Council",
        "Applicant: Nguyễn Thị Hương",
        "Household: the applicant and 2 other people, including dependent children",
        "Address of accommodation: Flat 2, 14 Mill Lane, Sittingbourne ME10 1AA",
        &format!(
            "Date made available: {}",
            housing_platform::time::long_date(today())
        ),
        "Part 7 function: main housing duty (section 193(2))",
        &format!("placement reference {}", placement.reference),
    ] {
        assert!(text.contains(statement), "{statement:?} in {text}");
    }

    accommodation.running.stop().await.expect("stops");
    documents.running.stop().await.expect("stops");
}

#[tokio::test]
async fn a_placement_request_takes_the_household_from_the_register_and_names_each_difference() {
    let prefix = unique_prefix();
    let nats_url = servers::nats_url();
    let register = start_register_with(nats_url, &prefix, common::BANDING).await;
    let accommodation = start_accommodation(nats_url, &prefix, Some(&register)).await;
    let mut officer =
        RegisterServiceClient::new(as_role(&register, Role::AllocationsOfficer).await);
    let ta_client = AccommodationServiceClient::new(as_role(&accommodation, Role::TaOfficer).await);

    // Ann, pregnant, with Bo (5): the register assesses two bedrooms.
    let mut submitted = application("household-from-register", true, false);
    submitted.lead_applicant.as_mut().unwrap().pregnant = true;
    let app = officer
        .submit_application(submitted)
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    let bedrooms = app.assessment.as_ref().expect("assessed").bedroom_need;
    assert_eq!(bedrooms, 2);
    let ask = |request_id: &str, request: ta::PlacementRequest, confirm: bool| {
        let mut ta_client = ta_client.clone();
        let request_id = request_id.to_owned();
        async move {
            ta_client
                .create_placement_request(ta::CreatePlacementRequestRequest {
                    request_id,
                    placement_request: Some(ta::PlacementRequest {
                        duty: ta::DutyType::Interim as i32,
                        needed_from: format_date(today()),
                        ..request
                    }),
                    confirm_differences: confirm,
                })
                .await
        }
    };

    // Nothing typed but the application: the household is the register's.
    let taken = ask(
        "from-register",
        ta::PlacementRequest {
            application_id: app.application_id.clone(),
            ..Default::default()
        },
        false,
    )
    .await
    .expect("a request taken from the register")
    .into_inner()
    .placement_request
    .unwrap();
    assert!(taken.from_register);
    assert_eq!(taken.lead_name, "Ann Bidder");
    assert_eq!((taken.household_size, taken.bedrooms_needed), (2, bedrooms));
    assert!(taken.has_children && taken.pregnant);
    assert!(!taken.needs_step_free && !taken.needs_wheelchair_access);
    let people: Vec<_> = taken
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.lead, p.pregnant))
        .collect();
    assert_eq!(
        people,
        [("Ann Bidder", true, true), ("Bo Bidder", false, false)]
    );
    assert!(taken.confirmed_differences.is_empty());

    // An officer who says three people and wheelchair access is asked to confirm both,
    // each named against its field with what the register says; nothing is created.
    let changed = ta::PlacementRequest {
        application_id: app.application_id.clone(),
        household_size: 3,
        needs_wheelchair_access: true,
        ..Default::default()
    };
    let refused = ask("changed", changed.clone(), false)
        .await
        .expect_err("differences to confirm");
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&refused),
        [
            "placement_request.household_size",
            "placement_request.needs_wheelchair_access"
        ]
    );
    let reasons = bad_request_violations(&refused);
    assert_eq!(
        reasons[0].1,
        format!(
            "the register application {} lists 2 people; the request says 3 people: confirm \
             the difference, or leave it blank to take the register's",
            app.reference
        )
    );
    // Confirmed, the officer's answers stand and the differences are kept with the request.
    let confirmed = ask("changed", changed, true)
        .await
        .expect("confirmed")
        .into_inner()
        .placement_request
        .unwrap();
    assert_eq!(confirmed.household_size, 3);
    assert!(confirmed.needs_wheelchair_access);
    assert_eq!(confirmed.confirmed_differences.len(), 2);
    assert_ne!(confirmed.placement_request_id, taken.placement_request_id);

    // An application the register does not hold is the request's mistake, not the service's.
    let unknown = ask(
        "unknown",
        ta::PlacementRequest {
            application_id: uuid::Uuid::now_v7().to_string(),
            ..Default::default()
        },
        false,
    )
    .await
    .expect_err("no such application");
    assert_eq!(unknown.code(), Code::InvalidArgument);
    assert_eq!(
        bad_request_fields(&unknown),
        ["placement_request.application_id"]
    );
}
