//! Providers: who supplies the stock, who to ask for there, and what was agreed.

use housing_platform::auth::caller;
use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::paging;
use housing_proto::accommodation::v1 as pb;
use tonic::{Request, Response};
use uuid::Uuid;

use super::{READ, Reply, TA_STAFF, mapping};
use crate::app::providers;
use crate::domain::provider::Provider;

pub(super) async fn create_provider(
    pool: &Pool,
    request: Request<pb::CreateProviderRequest>,
) -> Reply<pb::CreateProviderResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    v.require("name", &r.name, "the provider's name");
    if !r.contact_email.contains('@') {
        v.add("contact_email", "must be an email address");
    }
    v.into_result(())?;
    let provider = providers::create(
        pool,
        &r.request_id,
        Provider {
            id: Uuid::nil(),
            name: r.name.trim().to_owned(),
            contact_email: r.contact_email.trim().to_owned(),
            landlord: false,
            contacts: vec![],
            agreements: vec![],
        },
    )
    .await?;
    Ok(Response::new(pb::CreateProviderResponse {
        provider: Some(mapping::provider_proto(&provider)),
    }))
}

pub(super) async fn update_provider(
    pool: &Pool,
    request: Request<pb::UpdateProviderRequest>,
) -> Reply<pb::UpdateProviderResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let r = request.into_inner();
    let mut v = FieldViolations::new();
    let id = v.uuid("provider_id", &r.provider_id);
    let contacts = mapping::contacts(&r.contacts, &mut v);
    let Some(id) = id else {
        return Err(v.into_status());
    };
    v.into_result(())?;
    let provider = providers::update(pool, id, r.landlord, contacts).await?;
    Ok(Response::new(pb::UpdateProviderResponse {
        provider: Some(mapping::provider_proto(&provider)),
    }))
}

pub(super) async fn get_provider(
    pool: &Pool,
    request: Request<pb::GetProviderRequest>,
) -> Reply<pb::GetProviderResponse> {
    caller(&request)?.require(READ)?;
    let id = uuid_field("provider_id", &request.get_ref().provider_id)?;
    let provider = providers::get(pool, id).await?;
    Ok(Response::new(pb::GetProviderResponse {
        provider: Some(mapping::provider_proto(&provider)),
    }))
}

pub(super) async fn list_providers(
    pool: &Pool,
    request: Request<pb::ListProvidersRequest>,
) -> Reply<pb::ListProvidersResponse> {
    caller(&request)?.require(READ)?;
    let query = providers::ListProviders::try_from(request.into_inner())?;
    let page = providers::list(pool, &query).await?;
    Ok(Response::new(pb::ListProvidersResponse {
        next_page_token: paging::next_token(&page, query.limit, |(at, p)| (*at, p.id)),
        providers: page
            .iter()
            .map(|(_, p)| mapping::provider_proto(p))
            .collect(),
    }))
}

pub(super) async fn add_agreement(
    pool: &Pool,
    request: Request<pb::AddAgreementRequest>,
) -> Reply<pb::AddAgreementResponse> {
    caller(&request)?.require(TA_STAFF)?;
    let r = request.into_inner();
    let provider_id = uuid_field("provider_id", &r.provider_id)?;
    let agreement = mapping::agreement(r.agreement.as_ref())?;
    let provider = providers::add_agreement(pool, provider_id, agreement).await?;
    Ok(Response::new(pb::AddAgreementResponse {
        provider: Some(mapping::provider_proto(&provider)),
    }))
}
