//! The register, asked over gRPC: this service keeps no copy of applications.

use housing_platform::auth::{Authenticator, BearerToken, Role};
use housing_platform::errors::AppError;
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;
use uuid::Uuid;

#[derive(Clone)]
pub struct Register {
    channel: Channel,
    auth: Authenticator,
}

impl Register {
    pub fn new(channel: Channel, auth: Authenticator) -> Self {
        Self { channel, auth }
    }

    /// A client carrying a fresh short-lived token: this service, on its own account.
    fn client(&self) -> RegisterServiceClient<InterceptedService<Channel, BearerToken>> {
        let token = self.auth.token(
            "nominations",
            Role::Service,
            None,
            chrono::Duration::minutes(5),
        );
        RegisterServiceClient::with_interceptor(self.channel.clone(), BearerToken::new(&token))
    }

    pub async fn shortlist(
        &self,
        bedrooms: i32,
        area: &str,
        page_size: i32,
    ) -> Result<Vec<pb::ShortlistEntry>, AppError> {
        let request = pb::ListShortlistRequest {
            bedrooms,
            area: area.to_owned(),
            page_size,
            ..Default::default()
        };
        Ok(self
            .client()
            .list_shortlist(request)
            .await?
            .into_inner()
            .entries)
    }

    /// The bidders who fit the advert's criteria, ranked by the register: band (or points)
    /// then date.
    pub async fn rank(
        &self,
        request: pb::ListShortlistRequest,
    ) -> Result<Vec<pb::ShortlistEntry>, AppError> {
        Ok(self
            .client()
            .list_shortlist(request)
            .await?
            .into_inner()
            .entries)
    }

    /// The application, or `None` if the register has no such application.
    pub async fn application(&self, id: Uuid) -> Result<Option<pb::Application>, AppError> {
        match self
            .client()
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
