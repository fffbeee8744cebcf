//! The register, asked over gRPC by the services that keep no copy of applications
//! (nominations for shortlists, temporary accommodation for a household's make-up). Each
//! call carries the calling service's own token from the OpenID provider.

use tonic::codegen::InterceptedService;
use tonic::transport::Channel;
use uuid::Uuid;

use crate::auth::{BearerToken, ServiceTokens};
use crate::errors::AppError;
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};

#[derive(Clone)]
pub struct Register {
    channel: Channel,
    tokens: ServiceTokens,
    audience: String,
}

impl Register {
    pub fn new(channel: Channel, tokens: ServiceTokens, audience: String) -> Self {
        Self {
            channel,
            tokens,
            audience,
        }
    }

    async fn client(
        &self,
    ) -> Result<RegisterServiceClient<InterceptedService<Channel, BearerToken>>, AppError> {
        let token = self.tokens.token(&self.audience).await?;
        Ok(RegisterServiceClient::with_interceptor(
            self.channel.clone(),
            BearerToken::new(&token),
        ))
    }

    /// The applicants who fit `request`, ranked by the register: band (or points) then date.
    pub async fn shortlist(
        &self,
        request: pb::ListShortlistRequest,
    ) -> Result<Vec<pb::ShortlistEntry>, AppError> {
        Ok(self
            .client()
            .await?
            .list_shortlist(request)
            .await?
            .into_inner()
            .entries)
    }

    /// The application, or `None` if the register has no such application.
    pub async fn application(&self, id: Uuid) -> Result<Option<pb::Application>, AppError> {
        match self
            .client()
            .await?
            .get_application(pb::GetApplicationRequest {
                application_id: id.to_string(),
            })
            .await
        {
            Ok(response) => Ok(response.into_inner().application),
            Err(status) if status.code() == tonic::Code::NotFound => Ok(None),
            Err(status) => Err(status.into()),
        }
    }
}
