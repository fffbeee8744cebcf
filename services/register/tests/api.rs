//! The register over gRPC, against a real PostgreSQL and NATS.

mod common;

use common::{change, client_as, family_request, start, start_with};
use housing_platform::auth::{BearerToken, Role};
use housing_platform::errors::bad_request_fields;
use housing_platform::idempotency;
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use housing_testkit::TestDatabase;
use tonic::Code;

/// A retry sent while the first run of its request is still at work: it waits for the
/// first run's lock, then finds the answer the first committed meanwhile, so the work is
/// done once.
#[tokio::test]
async fn a_retry_made_while_the_first_run_works_gets_the_first_answer() {
    let db = TestDatabase::create("register", &register::migrators()).await;
    let pool = db.pool().await;
    let mut first = pool.begin().await.unwrap();
    assert_eq!(
        idempotency::replay::<String>(&mut first, "test.Submit", "r-1")
            .await
            .unwrap(),
        None
    );
    let retry = tokio::spawn({
        let pool = pool.clone();
        async move {
            let mut second = pool.begin().await.unwrap();
            idempotency::replay::<String>(&mut second, "test.Submit", "r-1")
                .await
                .unwrap()
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!retry.is_finished(), "the retry waits for the first run");
    idempotency::record(
        &mut first,
        "test.Submit",
        "r-1",
        &"the first answer".to_owned(),
    )
    .await
    .unwrap();
    first.commit().await.unwrap();
    assert_eq!(retry.await.unwrap(), Some("the first answer".to_owned()));
}

#[tokio::test]
async fn a_complete_application_is_assessed_and_active() {
    let mut h = start().await;
    let app = h
        .client
        .submit_application(family_request("r-1"))
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    assert_eq!(app.status, pb::ApplicationStatus::Active as i32);
    let assessment = app.assessment.unwrap();
    assert_eq!(assessment.bedroom_need, 3);
    assert_eq!(assessment.band, "B");
    assert_eq!(assessment.scheme_version, "2026.1");
    assert_eq!(
        assessment.assessed_by,
        common::subject(Role::AllocationsOfficer)
    );
    assert!(app.reference.starts_with("REG-"));

    // A retry with the same request id returns the first application, not a second one.
    let again = h
        .client
        .submit_application(family_request("r-1"))
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    assert_eq!(again.application_id, app.application_id);

    let shortlist = h
        .client
        .list_shortlist(pb::ListShortlistRequest {
            bedrooms: 3,
            area: "north".into(),
            page_size: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(shortlist.entries.len(), 1);
    h.running.stop().await.unwrap();
    drop(h.db);
}

#[tokio::test]
async fn bad_input_names_every_field_and_stores_nothing() {
    let mut h = start().await;
    let mut request = family_request("r-bad");
    request.lead_applicant = None;
    request.members[1].date_of_birth = "2999-01-01".into();
    request.details.as_mut().unwrap().area = "atlantis".into();
    let status = h.client.submit_application(request).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(
        fields,
        vec!["details.area", "lead_applicant", "members[1].date_of_birth"]
    );

    let pool = h.db.pool().await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((stored, events), (0, 0));
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_caller_without_a_token_is_unauthenticated_and_a_partner_is_refused() {
    let h = start().await;
    let mut anonymous =
        RegisterServiceClient::new(housing_testkit::channel(h.running.addr()).await);
    assert_eq!(
        anonymous
            .submit_application(family_request("x"))
            .await
            .unwrap_err()
            .code(),
        Code::Unauthenticated
    );

    // A partner's person signed in at the provider: partners connect with mutual TLS, never
    // with a token on a staff port.
    let token =
        housing_testkit::oidc::token_as("riverside.lettings", "api://housing-register").await;
    let mut partner = RegisterServiceClient::with_interceptor(
        housing_testkit::channel(h.running.addr()).await,
        BearerToken::new(&token),
    );
    assert_eq!(
        partner
            .submit_application(family_request("x"))
            .await
            .unwrap_err()
            .code(),
        Code::Unauthenticated
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn a_draining_service_answers_not_serving_before_it_stops() {
    use tonic_health::pb::{
        HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
    };
    let h = start_with(&[("HOUSING__GRPC__DRAIN_SECONDS", "3")]).await;
    let mut health = HealthClient::new(housing_testkit::channel(h.running.addr()).await);
    let status = |name: &str| HealthCheckRequest {
        service: name.to_owned(),
    };
    let serving = health
        .check(status("housing.register.v1.RegisterService"))
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(serving, ServingStatus::Serving as i32);

    let stopping = tokio::spawn(h.running.stop());
    housing_testkit::eventually(
        std::time::Duration::from_secs(3),
        "NOT_SERVING while draining",
        || {
            let mut health = health.clone();
            async move {
                let s = health.check(status("")).await.ok()?.into_inner().status;
                (s == ServingStatus::NotServing as i32).then_some(())
            }
        },
    )
    .await;
    stopping.await.unwrap().unwrap();
}

#[tokio::test]
async fn illegal_transitions_are_refused_naming_the_current_status_and_suspension_needs_a_senior_officer()
 {
    let mut h = start().await;
    let app = h
        .client
        .submit_application(family_request("t-1"))
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    let id = app.application_id.clone();

    let denied = h
        .client
        .change_application_status(change(
            &id,
            pb::ApplicationStatus::Suspended,
            "refused a final offer",
        ))
        .await
        .unwrap_err();
    assert_eq!(
        denied.code(),
        Code::PermissionDenied,
        "an allocations officer may not suspend"
    );

    let mut senior = client_as(h.running.addr(), Role::SeniorOfficer).await;
    let suspended = senior
        .change_application_status(pb::ChangeApplicationStatusRequest {
            suspended_until: "2027-06-01".into(),
            ..change(
                &id,
                pb::ApplicationStatus::Suspended,
                "refused a final offer",
            )
        })
        .await
        .unwrap();
    assert_eq!(
        suspended.into_inner().application.unwrap().status,
        pb::ApplicationStatus::Suspended as i32
    );

    let illegal = h
        .client
        .change_application_status(change(&id, pb::ApplicationStatus::Housed, "let elsewhere"))
        .await
        .unwrap_err();
    assert_eq!(illegal.code(), Code::FailedPrecondition);
    assert!(
        illegal.message().contains("is suspended"),
        "{}",
        illegal.message()
    );

    let mut assistant = client_as(h.running.addr(), Role::RegisterAssistant).await;
    assistant
        .change_application_status(change(&id, pb::ApplicationStatus::Withdrawn, "moved away"))
        .await
        .unwrap();
    let gone = senior
        .change_application_status(change(&id, pb::ApplicationStatus::Active, "reinstate"))
        .await
        .unwrap_err();
    assert_eq!(
        gone.code(),
        Code::FailedPrecondition,
        "a withdrawn application is not reinstated"
    );

    let pool = h.db.pool().await;
    let history: Vec<(Option<String>, String, String)> =
        sqlx::query_as("SELECT from_status, to_status, changed_by FROM status_changes WHERE application_id = $1::uuid ORDER BY id")
            .bind(&id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        history.last().unwrap(),
        &(
            Some("suspended".into()),
            "withdrawn".into(),
            common::subject(Role::RegisterAssistant).into()
        )
    );
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE subject = 'housing.register.application.status_changed.v1'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // submitted to active on assessment, then suspended, then withdrawn
    assert_eq!(events, 3);
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn an_assessment_explains_its_rules_scheme_version_and_decision_maker() {
    let mut h = start().await;
    let app = h
        .client
        .submit_application(family_request("e-1"))
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    let explained = h
        .client
        .explain_assessment(pb::ExplainAssessmentRequest {
            application_id: app.application_id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .assessments;
    assert_eq!(explained.len(), 1);
    let a = &explained[0];
    assert_eq!(
        (a.scheme_version.as_str(), a.assessed_by.as_str()),
        ("2026.1", common::subject(Role::AllocationsOfficer))
    );
    assert!(
        a.rules_fired
            .iter()
            .any(|r| r.starts_with("band B:") && r.contains("owed_homelessness_duty")),
        "{:?}",
        a.rules_fired
    );
    assert_eq!(
        a.rules_fired
            .iter()
            .filter(|r| r.starts_with("bedroom standard"))
            .count(),
        3
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn applications_are_found_by_reference_name_postcode_status_and_band() {
    let mut h = start().await;
    let first = h
        .client
        .submit_application(family_request("s-1"))
        .await
        .unwrap()
        .into_inner()
        .application
        .unwrap();
    let mut other = family_request("s-2");
    for m in other
        .lead_applicant
        .iter_mut()
        .chain(other.members.iter_mut())
    {
        m.family_name = "Nowak".into();
    }
    other.details.as_mut().unwrap().postcode = "e2 7qq".into();
    h.client.submit_application(other).await.unwrap();

    let find = |search: pb::SearchApplicationsRequest| {
        let mut client = h.client.clone();
        async move {
            client
                .search_applications(search)
                .await
                .unwrap()
                .into_inner()
        }
    };
    let by_name = find(pb::SearchApplicationsRequest {
        family_name: "oka".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(by_name.applications.len(), 1);
    assert_eq!(by_name.applications[0].lead_name, "Ada Okafor");
    let by_reference = find(pb::SearchApplicationsRequest {
        reference: first.reference.to_lowercase(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        by_reference.applications[0].application_id,
        first.application_id
    );
    let by_postcode = find(pb::SearchApplicationsRequest {
        postcode: "E2 7QQ".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(by_postcode.applications.len(), 1);
    let by_band = find(pb::SearchApplicationsRequest {
        band: "B".into(),
        status: pb::ApplicationStatus::Active as i32,
        ..Default::default()
    })
    .await;
    assert_eq!(by_band.applications.len(), 2);

    let page = find(pb::SearchApplicationsRequest {
        page_size: 1,
        ..Default::default()
    })
    .await;
    assert_eq!(page.applications.len(), 1);
    let rest = find(pb::SearchApplicationsRequest {
        page_size: 1,
        page_token: page.next_page_token.clone(),
        ..Default::default()
    })
    .await;
    assert_eq!(rest.applications.len(), 1);
    assert_ne!(
        rest.applications[0].application_id,
        page.applications[0].application_id
    );
    h.running.stop().await.unwrap();
}

#[tokio::test]
async fn bad_details_name_every_field_and_store_nothing() {
    let mut h = start().await;
    let mut request = family_request("r-bad-details");
    let d = request.details.as_mut().unwrap();
    d.areas_wanted = vec!["north".into(), "narnia".into()];
    d.immigration_status = 99;
    d.property_types = vec![pb::PropertyType::Flat as i32, 0];
    d.finances = Some(pb::Finances {
        annual_income_pence: Some(-1),
        savings_pence: Some(-5),
    });
    let c = d.circumstances.as_mut().unwrap();
    c.current_bedrooms = Some(-2);
    c.exceptional_circumstances = true;
    let status = h.client.submit_application(request).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "details.areas_wanted[1]",
            "details.circumstances.current_bedrooms",
            "details.circumstances.exceptional_circumstances",
            "details.finances.annual_income_pence",
            "details.finances.savings_pence",
            "details.immigration_status",
            "details.property_types[1]",
        ]
    );
    let pool = h.db.pool().await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM applications")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);

    let app = common::submit(&mut h.client, family_request("r-good")).await;
    let status = h
        .client
        .override_assessment(pb::OverrideAssessmentRequest {
            application_id: app.application_id.clone(),
            band: String::new(),
            bedroom_need: 42,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    let mut fields = bad_request_fields(&status);
    fields.sort();
    assert_eq!(fields, vec!["bedroom_need", "reason"]);
    let assessments: i64 = sqlx::query_scalar("SELECT count(*) FROM assessments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(assessments, 1, "the refused override changed nothing");
    h.running.stop().await.unwrap();
}

/// The register binary started as production would be, with `vars` and nothing else.
fn start_binary(vars: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_register"));
    command
        .env_clear()
        .env("HOUSING_ENVIRONMENT", "production")
        .env(
            "HOUSING_CONFIG_DIR",
            std::env::temp_dir().join("register-no-config"),
        )
        .env(
            "HOUSING__DATABASE__URL",
            "postgres://nobody@127.0.0.1:1/none",
        )
        .env("HOUSING__SERVICE__SCHEME_FILE", common::BANDING);
    for (k, v) in vars {
        command.env(k, v);
    }
    command.output().expect("the register binary runs")
}

#[test]
fn a_production_start_with_development_settings_exits_naming_each() {
    let issuer = ("HOUSING__AUTH__ISSUER", "https://login.council.example");
    for (secret, complaint) in [
        (
            "local-register-secret",
            "auth.client_secret (HOUSING__AUTH__CLIENT_SECRET) is the local provider's published development secret",
        ),
        (
            "",
            "auth.client_secret (HOUSING__AUTH__CLIENT_SECRET) is empty",
        ),
    ] {
        let out = start_binary(&[issuer, ("HOUSING__AUTH__CLIENT_SECRET", secret)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(stderr.contains(complaint), "{stderr}");
        // Every development default left in place is named in the same refusal.
        for setting in [
            "grpc.host (HOUSING__GRPC__HOST) is the development default 127.0.0.1",
            "nats.url (HOUSING__NATS__URL) is the development default",
        ] {
            assert!(stderr.contains(setting), "{stderr}");
        }
    }
    let out = start_binary(&[
        issuer,
        (
            "HOUSING__DATABASE__URL",
            "postgres://postgres@127.0.0.1:5432/housing",
        ),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("database.url (HOUSING__DATABASE__URL) is the development default"),
        "{stderr}"
    );
}

#[test]
fn a_production_start_without_an_openid_provider_exits_naming_the_settings() {
    let out = start_binary(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("auth.issuer (HOUSING__AUTH__ISSUER) is not set"),
        "{stderr}"
    );

    // Nor over plain HTTP, nor with authentication switched off.
    let out = start_binary(&[("HOUSING__AUTH__ISSUER", "http://login.council.example")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("must be https in production"), "{stderr}");
    let out = start_binary(&[("HOUSING__AUTH__MODE", "off")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(
            "auth.mode (HOUSING__AUTH__MODE) is off, which only the test environment allows"
        ),
        "{stderr}"
    );
}
