//! `housing-demo call`: any RPC of the local stack from JSON, signed in as a demo person, the
//! answer printed as JSON. The README's walk-through is written with it, and a test runs
//! the walk-through.
//!
//! The request is the message in proto3's JSON form (field names as in the proto); a client
//! stream is a JSON array of messages. `$NAME` in the JSON is replaced by the environment
//! variable `NAME`, so ids from earlier answers can be passed on. A server stream prints one
//! JSON answer per message.

use std::str::FromStr;

use anyhow::{Context, bail};
use housing_testkit::fuzz::RawCodec;
use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, SerializeOptions};
use tonic::client::Grpc;
use tonic::metadata::MetadataValue;

/// The stack's services: the name used on the command line, the proto service, where it
/// listens and its audience at the provider.
const SERVICES: [(&str, &str, &str, &str); 5] = [
    (
        "register",
        "housing.register.v1.RegisterService",
        "127.0.0.1:50051",
        "api://housing-register",
    ),
    (
        "accommodation",
        "housing.accommodation.v1.AccommodationService",
        "127.0.0.1:50052",
        "api://housing-accommodation",
    ),
    (
        "nominations",
        "housing.nominations.v1.NominationsService",
        "127.0.0.1:50053",
        "api://housing-nominations",
    ),
    (
        "rent",
        "housing.rent.v1.RentService",
        "127.0.0.1:50054",
        "api://housing-rent",
    ),
    (
        "documents",
        "housing.documents.v1.DocumentsService",
        "127.0.0.1:50055",
        "api://housing-documents",
    ),
];

/// Calls `method` of `service` as the demo person `username` with the JSON `request`, and
/// prints the answer. `token` signs the person in for an audience.
pub async fn call<F, Fut>(
    service: &str,
    method: &str,
    username: &str,
    request: &str,
    token: F,
) -> anyhow::Result<()>
where
    F: FnOnce(String, String) -> Fut,
    Fut: Future<Output = anyhow::Result<String>>,
{
    let Some((_, proto_service, addr, audience)) =
        SERVICES.iter().find(|(name, ..)| *name == service)
    else {
        bail!(
            "no service {service}: one of {}",
            SERVICES.map(|s| s.0).join(", ")
        );
    };
    let pool = DescriptorPool::decode(housing_proto::FILE_DESCRIPTOR_SET)?;
    let descriptor = pool
        .get_service_by_name(proto_service)
        .context("the service is in the descriptors")?
        .methods()
        .find(|m| m.name() == method)
        .with_context(|| format!("{proto_service} has no method {method}"))?;
    let json = substitute(request)?;
    let input = descriptor.input();
    let messages: Vec<Vec<u8>> = if descriptor.is_client_streaming() {
        let items: Vec<serde_json::Value> =
            serde_json::from_str(&json).context("a client stream is a JSON array of messages")?;
        items
            .iter()
            .map(|item| encode(&input, &item.to_string()))
            .collect::<anyhow::Result<_>>()?
    } else {
        vec![encode(&input, &json)?]
    };

    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))?
        .connect()
        .await
        .with_context(|| format!("{service} at {addr}: is the stack running?"))?;
    let bearer = MetadataValue::from_str(&format!(
        "Bearer {}",
        token(username.to_owned(), (*audience).to_owned()).await?
    ))?;
    let mut grpc = Grpc::new(channel);
    grpc.ready().await?;
    let path = format!("/{proto_service}/{method}").parse()?;
    let answers = if descriptor.is_client_streaming() {
        let mut request = tonic::Request::new(tokio_stream::iter(messages));
        request.metadata_mut().insert("authorization", bearer);
        vec![
            grpc.client_streaming(request, path, RawCodec)
                .await?
                .into_inner(),
        ]
    } else {
        let mut request = tonic::Request::new(messages.into_iter().next().unwrap_or_default());
        request.metadata_mut().insert("authorization", bearer);
        if descriptor.is_server_streaming() {
            let mut stream = grpc
                .server_streaming(request, path, RawCodec)
                .await?
                .into_inner();
            let mut answers = Vec::new();
            while let Some(answer) = stream.message().await? {
                answers.push(answer);
            }
            answers
        } else {
            vec![grpc.unary(request, path, RawCodec).await?.into_inner()]
        }
    };
    let output = descriptor.output();
    let options = SerializeOptions::new().use_proto_field_name(true);
    for answer in answers {
        let message = DynamicMessage::decode(output.clone(), answer.as_slice())?;
        let mut text = serde_json::Serializer::pretty(std::io::stdout());
        message.serialize_with_options(&mut text, &options)?;
        println!();
    }
    Ok(())
}

fn encode(input: &MessageDescriptor, json: &str) -> anyhow::Result<Vec<u8>> {
    let mut reader = serde_json::Deserializer::from_str(json);
    let message = DynamicMessage::deserialize(input.clone(), &mut reader)
        .with_context(|| format!("the request is not a {} in JSON", input.full_name()))?;
    reader.end()?;
    Ok(message.encode_to_vec())
}

/// `text` with each `$NAME` (a letter or underscore, then letters, digits, underscores) replaced by that environment
/// variable; an unset one is an error rather than an empty id sent on.
fn substitute(text: &str) -> anyhow::Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        // A name starts with a letter or underscore; any other `$` is kept as it is.
        let starts_a_name = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !starts_a_name {
            out.push('$');
            rest = after;
            continue;
        }
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..len];
        out.push_str(&std::env::var(name).with_context(|| format!("${name} is not set"))?);
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_filled_in_and_an_unset_one_is_an_error() {
        // SAFETY: no other thread of this test reads the environment.
        unsafe { std::env::set_var("HOUSING_CALL_TEST_ID", "abc") };
        assert_eq!(
            substitute(r#"{"id": "$HOUSING_CALL_TEST_ID", "cost": "$5"}"#).unwrap(),
            r#"{"id": "abc", "cost": "$5"}"#
        );
        assert!(substitute("$HOUSING_CALL_TEST_UNSET").is_err());
    }
}
