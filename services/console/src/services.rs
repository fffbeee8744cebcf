//! The five services, called with the signed-in officer's own token so each records the
//! person who acted.

use std::sync::Arc;

use housing_platform::auth::BearerToken;
use housing_proto::accommodation::v1::accommodation_service_client::AccommodationServiceClient;
use housing_proto::documents::v1::documents_service_client::DocumentsServiceClient;
use housing_proto::nominations::v1::nominations_service_client::NominationsServiceClient;
use housing_proto::register::v1::register_service_client::RegisterServiceClient;
use housing_proto::rent::v1::rent_service_client::RentServiceClient;
use serde::Deserialize;
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;

use crate::session::{Officer, SessionError, Sessions};

#[derive(Debug, Clone, Deserialize)]
pub struct Endpoint {
    pub url: String,
    /// The service's audience at the OpenID provider.
    pub audience: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Endpoints {
    pub register: Endpoint,
    pub accommodation: Endpoint,
    pub nominations: Endpoint,
    pub rent: Endpoint,
    pub documents: Endpoint,
}

impl Endpoints {
    /// Every service's audience, the register's first: a sign-in asks for them all.
    pub fn audiences(&self) -> Vec<String> {
        [
            &self.register,
            &self.accommodation,
            &self.nominations,
            &self.rent,
            &self.documents,
        ]
        .into_iter()
        .map(|e| e.audience.clone())
        .collect()
    }
}

pub type Authed = InterceptedService<Channel, BearerToken>;

struct Connected {
    channel: Channel,
    audience: String,
}

impl Connected {
    fn new(endpoint: &Endpoint) -> anyhow::Result<Self> {
        Ok(Self {
            channel: housing_platform::grpc::lazy_channel(&endpoint.url)?,
            audience: endpoint.audience.clone(),
        })
    }

    async fn authed(&self, sessions: &Sessions, officer: &Officer) -> Result<Authed, SessionError> {
        let token = sessions.token(officer, &self.audience).await?;
        Ok(InterceptedService::new(
            self.channel.clone(),
            BearerToken::new(&token),
        ))
    }
}

/// Channels to the services, connecting when first used.
#[derive(Clone)]
pub struct Services {
    register: Arc<Connected>,
    accommodation: Arc<Connected>,
    rent: Arc<Connected>,
    nominations: Arc<Connected>,
    documents: Arc<Connected>,
}

impl Services {
    pub fn new(endpoints: &Endpoints) -> anyhow::Result<Self> {
        Ok(Self {
            register: Arc::new(Connected::new(&endpoints.register)?),
            accommodation: Arc::new(Connected::new(&endpoints.accommodation)?),
            rent: Arc::new(Connected::new(&endpoints.rent)?),
            nominations: Arc::new(Connected::new(&endpoints.nominations)?),
            documents: Arc::new(Connected::new(&endpoints.documents)?),
        })
    }

    pub async fn register(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<RegisterServiceClient<Authed>, SessionError> {
        Ok(RegisterServiceClient::new(
            self.register.authed(sessions, officer).await?,
        ))
    }

    pub async fn accommodation(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<AccommodationServiceClient<Authed>, SessionError> {
        Ok(AccommodationServiceClient::new(
            self.accommodation.authed(sessions, officer).await?,
        ))
    }

    pub async fn nominations(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<NominationsServiceClient<Authed>, SessionError> {
        Ok(NominationsServiceClient::new(
            self.nominations.authed(sessions, officer).await?,
        ))
    }

    pub async fn documents(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<DocumentsServiceClient<Authed>, SessionError> {
        Ok(DocumentsServiceClient::new(
            self.documents.authed(sessions, officer).await?,
        ))
    }

    /// The register's statutory returns, on the register's channel.
    pub async fn register_returns(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<
        housing_proto::register::v1::returns_service_client::ReturnsServiceClient<Authed>,
        SessionError,
    > {
        Ok(
            housing_proto::register::v1::returns_service_client::ReturnsServiceClient::new(
                self.register.authed(sessions, officer).await?,
            ),
        )
    }

    /// Temporary accommodation's statutory returns, on its channel.
    pub async fn accommodation_returns(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<
        housing_proto::accommodation::v1::returns_service_client::ReturnsServiceClient<Authed>,
        SessionError,
    > {
        Ok(
            housing_proto::accommodation::v1::returns_service_client::ReturnsServiceClient::new(
                self.accommodation.authed(sessions, officer).await?,
            ),
        )
    }

    pub async fn rent_returns(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<
        housing_proto::rent::v1::returns_service_client::ReturnsServiceClient<Authed>,
        SessionError,
    > {
        Ok(
            housing_proto::rent::v1::returns_service_client::ReturnsServiceClient::new(
                self.rent.authed(sessions, officer).await?,
            ),
        )
    }

    pub async fn nominations_returns(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<
        housing_proto::nominations::v1::returns_service_client::ReturnsServiceClient<Authed>,
        SessionError,
    > {
        Ok(
            housing_proto::nominations::v1::returns_service_client::ReturnsServiceClient::new(
                self.nominations.authed(sessions, officer).await?,
            ),
        )
    }

    pub async fn rent(
        &self,
        sessions: &Sessions,
        officer: &Officer,
    ) -> Result<RentServiceClient<Authed>, SessionError> {
        Ok(RentServiceClient::new(
            self.rent.authed(sessions, officer).await?,
        ))
    }
}
