//! Every RPC of every service, sent requests made up from its proto (plausible, boundary and
//! hostile values, and bytes that are no message at all) against the five real services on
//! real PostgreSQL and NATS. No answer may be INTERNAL, UNKNOWN, CANCELLED or DATA_LOSS, no
//! call may hang, nothing may panic; afterwards every read of what the fuzzer created still
//! answers.
//!
//! The test command runs a bounded pass. A longer one:
//! `HOUSING_FUZZ_ROUNDS=500 cargo nextest run -p journeys --test fuzz --no-capture`;
//! `HOUSING_FUZZ_SEED=<n>` repeats a run exactly.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Stack, as_partner};
use housing_platform::auth::Role;
use housing_platform::screen::schema::{Kind, Method, Schema};
use housing_proto::nominations::v1 as noms;
use housing_testkit::fuzz::{Generator, RawCodec};
use housing_testkit::nats::unique_prefix;
use housing_testkit::{channel, servers};
use prost::encoding::{WireType, encode_key, encode_varint};
use tonic::Code;
use tonic::client::Grpc;
use tonic::metadata::MetadataValue;
use tonic::transport::Channel;

/// Answers that only a bug gives.
const BUGS: [Code; 5] = [
    Code::Internal,
    Code::Unknown,
    Code::Cancelled,
    Code::DataLoss,
    Code::Unimplemented,
];

/// Where each service is reached, and with which tokens.
struct Target {
    channel: Channel,
    /// One token per staff role, for this service's audience; empty for the partner port.
    tokens: Vec<String>,
    /// The service's own name, whose answers' ids are "its own".
    name: &'static str,
}

struct Outcome {
    code: Code,
    message: String,
    answers: Vec<Vec<u8>>,
}

async fn call(
    target: &Target,
    method: &Method,
    requests: Vec<Vec<u8>>,
    token: Option<&str>,
) -> Result<Outcome, String> {
    let mut grpc = Grpc::new(target.channel.clone());
    grpc.ready().await.map_err(|e| format!("not ready: {e}"))?;
    let path = method.path.parse().expect("a path");
    let work = async {
        if method.client_streaming {
            let stream = tokio_stream::iter(requests);
            grpc.client_streaming(
                authorise(tonic::Request::new(stream), token),
                path,
                RawCodec,
            )
            .await
            .map(|r| vec![r.into_inner()])
        } else {
            let request = authorise(
                tonic::Request::new(requests.into_iter().next().unwrap_or_default()),
                token,
            );
            if method.server_streaming {
                let mut stream = grpc
                    .server_streaming(request, path, RawCodec)
                    .await?
                    .into_inner();
                // A watch stays open for news: a quiet second ends the read, as it would a
                // client that had what it wanted.
                let mut answers = Vec::new();
                while let Ok(next) =
                    tokio::time::timeout(Duration::from_secs(1), stream.message()).await
                {
                    match next? {
                        Some(message) if answers.len() < 50 => answers.push(message),
                        Some(_) => {}
                        None => break,
                    }
                }
                Ok(answers)
            } else {
                grpc.unary(request, path, RawCodec)
                    .await
                    .map(|r| vec![r.into_inner()])
            }
        }
    };
    match tokio::time::timeout(Duration::from_secs(30), work).await {
        Err(_) => Err("no answer within 30 s".into()),
        Ok(Ok(answers)) => Ok(Outcome {
            code: Code::Ok,
            message: String::new(),
            answers,
        }),
        Ok(Err(status)) => Ok(Outcome {
            code: status.code(),
            message: status.message().chars().take(300).collect(),
            answers: Vec::new(),
        }),
    }
}

fn authorise<T>(mut request: tonic::Request<T>, token: Option<&str>) -> tonic::Request<T> {
    if let Some(token) = token {
        request.metadata_mut().insert(
            "authorization",
            MetadataValue::try_from(format!("Bearer {token}")).expect("ascii token"),
        );
    }
    request
}

/// Panics anywhere in the process (the services run in it), kept for the verdict.
fn record_panics() -> Arc<Mutex<Vec<String>>> {
    let panics = Arc::new(Mutex::new(Vec::new()));
    let kept = panics.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        kept.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(info.to_string());
        previous(info);
    }));
    panics
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

/// A request carrying only `field` (a string) set to `value`.
fn only(field: u32, value: &str) -> Vec<u8> {
    let mut out = Vec::new();
    encode_key(field, WireType::LengthDelimited, &mut out);
    encode_varint(value.len() as u64, &mut out);
    out.extend(value.as_bytes());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_however_hostile_breaks_a_service() {
    let panics = record_panics();
    let rounds = env_number("HOUSING_FUZZ_ROUNDS").unwrap_or(40);
    let seed = env_number("HOUSING_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    println!("fuzzing with HOUSING_FUZZ_SEED={seed} HOUSING_FUZZ_ROUNDS={rounds}");
    let prefix = unique_prefix();
    let stack = Stack::start(servers::nats_url(), &prefix).await;

    // A partner whose certificate the partner port knows, so partner calls get past the door.
    let manager = housing_testkit::oidc::token_for(Role::Manager, stack.nominations.audience).await;
    let mut staff = noms::nominations_service_client::NominationsServiceClient::with_interceptor(
        channel(stack.nominations.running.addr()).await,
        housing_platform::auth::BearerToken::new(&manager),
    );
    staff
        .create_partner(noms::CreatePartnerRequest {
            request_id: "fuzz-partner".into(),
            name: "Riverside Homes".into(),
            response_days: 5,
            nomination_share_percent: 50,
            client_certificate_pem: stack.nominations.pki().certificate("riverside"),
            ..Default::default()
        })
        .await
        .expect("a partner");

    let mut targets: HashMap<&str, Target> = HashMap::new();
    for (service, name, proto_services) in [
        (
            &stack.register,
            "register",
            &[
                "housing.register.v1.RegisterService",
                "housing.register.v1.ReturnsService",
            ][..],
        ),
        (
            &stack.accommodation,
            "temporary-accommodation",
            &[
                "housing.accommodation.v1.AccommodationService",
                "housing.accommodation.v1.ReturnsService",
            ][..],
        ),
        (
            &stack.rent,
            "rent",
            &[
                "housing.rent.v1.RentService",
                "housing.rent.v1.ReturnsService",
            ][..],
        ),
        (
            &stack.documents,
            "documents",
            &["housing.documents.v1.DocumentsService"][..],
        ),
        (
            &stack.nominations,
            "nominations",
            &[
                "housing.nominations.v1.NominationsService",
                "housing.nominations.v1.ReturnsService",
            ][..],
        ),
    ] {
        let mut tokens = Vec::new();
        for role in Role::STAFF {
            tokens.push(housing_testkit::oidc::token_for(role, service.audience).await);
        }
        let channel = channel(service.running.addr()).await;
        for proto_service in proto_services {
            targets.insert(
                proto_service,
                Target {
                    channel: channel.clone(),
                    tokens: tokens.clone(),
                    name,
                },
            );
        }
    }
    targets.insert(
        "housing.nominations.v1.PartnerService",
        Target {
            channel: as_partner(&stack.nominations, "riverside").await,
            tokens: Vec::new(),
            name: "nominations",
        },
    );

    let schema = Schema::housing();
    let methods: Vec<&Method> = schema
        .methods()
        .filter(|m| targets.contains_key(m.service.as_str()))
        .collect();
    for service in targets.keys() {
        assert!(
            methods.iter().any(|m| m.service == *service),
            "{service}'s RPCs are fuzzed"
        );
    }
    println!("{} RPCs across {} services", methods.len(), targets.len());

    let mut generator = Generator::new(seed);
    let mut failures = Vec::new();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    // Ids each service itself handed out, by field.
    let mut own: HashMap<(&str, String), Vec<String>> = HashMap::new();
    let mut calls = 0usize;
    for round in 0..rounds {
        for method in &methods {
            let target = &targets[method.service.as_str()];
            let count = if method.client_streaming {
                1 + generator.rng.index(3)
            } else {
                1
            };
            let requests: Vec<Vec<u8>> = (0..count)
                .map(|_| generator.request(&method.input))
                .collect();
            let token = (!target.tokens.is_empty())
                .then(|| target.tokens[generator.rng.index(target.tokens.len())].as_str());
            calls += 1;
            match call(target, method, requests.clone(), token).await {
                Err(why) => failures.push(format!("{} (round {round}): {why}", method.path)),
                Ok(outcome) => {
                    *codes.entry(format!("{:?}", outcome.code)).or_default() += 1;
                    if BUGS.contains(&outcome.code) {
                        failures.push(format!(
                            "{} (round {round}): {:?} {} for request {:02x?}",
                            method.path,
                            outcome.code,
                            outcome.message,
                            requests
                                .iter()
                                .map(|r| &r[..r.len().min(120)])
                                .collect::<Vec<_>>()
                        ));
                    }
                    for answer in &outcome.answers {
                        for (field, value) in generator.remember(&method.output, answer) {
                            let values = own.entry((target.name, field)).or_default();
                            if !values.contains(&value) {
                                values.push(value);
                            }
                        }
                    }
                }
            }
        }
    }

    // Every read of what was created still answers, to someone entitled to it.
    let mut reads = 0usize;
    let mut unread = Vec::new();
    for method in methods
        .iter()
        .filter(|m| m.name.starts_with("Get") && !m.client_streaming)
    {
        let target = &targets[method.service.as_str()];
        let input = schema.message(&method.input).expect("known input");
        let ids: Vec<_> = input
            .fields
            .values()
            .filter(|f| f.kind == Kind::String && f.name.ends_with("_id") && !f.repeated)
            .collect();
        let [id] = ids.as_slice() else { continue };
        let Some(values) = own.get(&(target.name, id.name.clone())) else {
            continue;
        };
        let mut answered = false;
        // The id, after plausible values for whatever else the read asks (a period, say):
        // the last value of a field is the one that counts.
        for value in values.iter().take(5) {
            for token in target
                .tokens
                .iter()
                .map(Some)
                .chain(target.tokens.is_empty().then_some(None))
            {
                reads += 1;
                let mut request = generator.plausible(&method.input);
                request.extend(only(id.number, value));
                match call(target, method, vec![request], token.map(String::as_str)).await {
                    Err(why) => failures.push(format!("{} read of {value}: {why}", method.path)),
                    Ok(outcome) if BUGS.contains(&outcome.code) => failures.push(format!(
                        "{} read of {value}: {:?} {}",
                        method.path, outcome.code, outcome.message
                    )),
                    Ok(outcome) => answered |= outcome.code == Code::Ok,
                }
            }
        }
        if !answered {
            unread.push(format!(
                "{} ({}: {:?})",
                method.path,
                id.name,
                &values[..values.len().min(3)]
            ));
        }
    }

    println!("{calls} fuzzed calls, then {reads} reads; answers by code: {codes:?}");
    let panics = panics.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(panics.is_empty(), "panics:\n{}", panics.join("\n"));
    assert!(
        failures.is_empty(),
        "{} failures (HOUSING_FUZZ_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        unread.is_empty(),
        "created, then not readable by anyone (HOUSING_FUZZ_SEED={seed}):\n{}",
        unread.join("\n")
    );
    stack.stop().await;
}
