//! The register, asked over gRPC: this service keeps no copy of applications.

use housing_platform::auth::{BearerToken, ServiceTokens};
use housing_platform::errors::AppError;
use housing_proto::register::v1::{self as pb, register_service_client::RegisterServiceClient};
use tonic::codegen::InterceptedService;
use tonic::transport::Channel;
use uuid::Uuid;

use crate::db::vacancies::Vacancy;

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

    /// A client carrying this service's own token from the OpenID provider.
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

/// Who a home fits, as the register filters: its size, area, access and kind. Adverts add
/// their own rules to it.
pub fn fits_home(vacancy: &Vacancy, page_size: i32) -> pb::ListShortlistRequest {
    use pb::{MobilityCategory as M, PropertyType as T};
    pb::ListShortlistRequest {
        bedrooms: vacancy.bedrooms,
        area: vacancy.area.clone(),
        page_size,
        mobility: if vacancy.wheelchair_accessible {
            M::WheelchairThroughout
        } else if vacancy.step_free {
            M::StepFree
        } else {
            M::GeneralNeeds
        } as i32,
        property_type: match vacancy.property_type.as_str() {
            "flat" => T::Flat,
            "house" => T::House,
            "bungalow" => T::Bungalow,
            "maisonette" => T::Maisonette,
            "sheltered" => T::Sheltered,
            _ => T::Unspecified,
        } as i32,
        ..Default::default()
    }
}
