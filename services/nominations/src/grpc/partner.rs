//! The partner-facing service. Every call acts for the calling partner only, checked on the
//! object itself.

use std::pin::Pin;
use std::time::Duration;

use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::paging;
use housing_platform::shutdown::CancellationToken;
use housing_platform::time::parse_date;
use housing_proto::nominations::v1::{self as pb, partner_service_server::PartnerService};
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::mapping::{self, partner_nomination_proto, vacancy_proto};
use crate::app::{nominations, partners};
use crate::db::nominations as stored;

pub struct Partners {
    pub pool: Pool,
    pub stop: CancellationToken,
    /// What the council tells CORE, for the log's household part.
    pub council: std::sync::Arc<crate::domain::core_log::build::Council>,
}

/// How often a watching partner's stream looks for new nominations.
const WATCH_POLL: Duration = Duration::from_millis(250);

type Watch = Pin<Box<dyn Stream<Item = Result<pb::WatchNominationsResponse, Status>> + Send>>;

impl Partners {
    /// The calling partner: whoever owns the client certificate presented on the mutual
    /// TLS port.
    async fn partner<T>(&self, request: &Request<T>) -> Result<Uuid, Status> {
        let certificates = request
            .peer_certs()
            .ok_or_else(|| Status::unauthenticated("no client certificate"))?;
        let leaf = certificates
            .first()
            .ok_or_else(|| Status::unauthenticated("no client certificate"))?;
        let fingerprint = crate::domain::certificate::fingerprint(leaf.as_ref());
        Ok(
            nominations::partner_by_certificate(&self.pool, &fingerprint)
                .await?
                .id,
        )
    }
}

#[tonic::async_trait]
impl PartnerService for Partners {
    type WatchNominationsStream = Watch;

    async fn decide_exchange_consent(
        &self,
        request: Request<pb::DecideExchangeConsentRequest>,
    ) -> Result<Response<pb::DecideExchangeConsentResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let r = request.into_inner();
        let id = uuid_field("exchange_id", &r.exchange_id)?;
        let (exchange, awaiting) = crate::app::exchanges::consent(
            &self.pool,
            id,
            &partner_id.to_string(),
            r.consent,
            &r.reason,
            &format!("partner:{partner_id}"),
        )
        .await?;
        Ok(Response::new(pb::DecideExchangeConsentResponse {
            exchange: Some(super::mapping::exchange_proto(&exchange, awaiting)),
        }))
    }

    async fn watch_nominations(
        &self,
        request: Request<pb::WatchNominationsRequest>,
    ) -> Result<Response<Watch>, Status> {
        let partner_id = self.partner(&request).await?;
        let cursor = &request.get_ref().after_cursor;
        let mut after: i64 = if cursor.is_empty() {
            0
        } else {
            cursor.parse().map_err(|_| {
                let mut v = FieldViolations::new();
                v.add("after_cursor", "not a cursor from this stream");
                v.into_status()
            })?
        };
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let (pool, stop) = (self.pool.clone(), self.stop.clone());
        tokio::spawn(async move {
            loop {
                let batch = match pool.acquire().await {
                    Ok(mut conn) => {
                        stored::for_partner_after(&mut conn, partner_id, after, 100).await
                    }
                    Err(e) => Err(e),
                };
                let batch = match batch {
                    Ok(batch) => batch,
                    Err(e) => {
                        let _ = tx.send(Err(housing_platform::errors::from_sqlx(e))).await;
                        return;
                    }
                };
                if batch.is_empty() {
                    tokio::select! {
                        _ = tx.closed() => return,
                        _ = stop.cancelled() => return,
                        _ = tokio::time::sleep(WATCH_POLL) => continue,
                    }
                }
                for numbered in batch {
                    after = numbered.seq;
                    let message = pb::WatchNominationsResponse {
                        cursor: numbered.seq.to_string(),
                        nomination: Some(partner_nomination_proto(&numbered.nomination)),
                    };
                    if tx.send(Ok(message)).await.is_err() {
                        return;
                    }
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn report_vacancy(
        &self,
        request: Request<pb::ReportVacancyRequest>,
    ) -> Result<Response<pb::ReportVacancyResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let r = request.into_inner();
        let vacancy = mapping::vacancy(r.vacancy.as_ref(), partner_id)?;
        let vacancy = nominations::report_vacancy(&self.pool, &r.request_id, vacancy).await?;
        Ok(Response::new(pb::ReportVacancyResponse {
            vacancy: Some(vacancy_proto(&vacancy)),
        }))
    }

    async fn amend_vacancy(
        &self,
        request: Request<pb::AmendVacancyRequest>,
    ) -> Result<Response<pb::AmendVacancyResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let vacancy = mapping::amendment(request.get_ref(), partner_id)?;
        let vacancy = partners::amend_vacancy(&self.pool, vacancy).await?;
        Ok(Response::new(pb::AmendVacancyResponse {
            vacancy: Some(vacancy_proto(&vacancy)),
        }))
    }

    async fn withdraw_vacancy(
        &self,
        request: Request<pb::WithdrawVacancyRequest>,
    ) -> Result<Response<pb::WithdrawVacancyResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let (id, reason) = mapping::withdrawal(request.get_ref())?;
        let vacancy = partners::withdraw_vacancy(&self.pool, partner_id, id, &reason).await?;
        Ok(Response::new(pb::WithdrawVacancyResponse {
            vacancy: Some(vacancy_proto(&vacancy)),
        }))
    }

    async fn list_nominations(
        &self,
        request: Request<pb::ListNominationsRequest>,
    ) -> Result<Response<pb::ListNominationsResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let r = request.into_inner();
        let after = paging::decode(&r.page_token)?;
        let limit = paging::size(r.page_size, 50, 500);
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        let rows = crate::db::nominations::for_partner(&mut conn, partner_id, after, limit)
            .await
            .map_err(housing_platform::errors::from_sqlx)?;
        let next_page_token = paging::next_token(&rows, limit, |r| (r.nominated_at, r.id));
        Ok(Response::new(pb::ListNominationsResponse {
            nominations: rows.iter().map(partner_nomination_proto).collect(),
            next_page_token,
        }))
    }

    async fn respond_to_nomination(
        &self,
        request: Request<pb::RespondToNominationRequest>,
    ) -> Result<Response<pb::RespondToNominationResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let r = request.into_inner();
        let id = uuid_field("nomination_id", &r.nomination_id)?;
        if !r.accept && r.rejection_reason.trim().is_empty() {
            let mut v = FieldViolations::new();
            v.add("rejection_reason", "required when rejecting");
            return Err(v.into_status());
        }
        let n = nominations::respond(
            &self.pool,
            partner_id,
            id,
            r.accept,
            r.rejection_reason.trim(),
        )
        .await?;
        Ok(Response::new(pb::RespondToNominationResponse {
            nomination: Some(partner_nomination_proto(&n)),
        }))
    }

    async fn record_offer(
        &self,
        request: Request<pb::RecordOfferRequest>,
    ) -> Result<Response<pb::RecordOfferResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let id = v.uuid("nomination_id", &r.nomination_id);
        let on = v.date("offered_on", &r.offered_on);
        let (id, on) = v.into_result((id.unwrap_or_default(), on.unwrap_or_default()))?;
        let n = nominations::record_offer(&self.pool, partner_id, id, on).await?;
        Ok(Response::new(pb::RecordOfferResponse {
            nomination: Some(partner_nomination_proto(&n)),
        }))
    }

    async fn record_viewing(
        &self,
        request: Request<pb::RecordViewingRequest>,
    ) -> Result<Response<pb::RecordViewingResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let id = v.uuid("nomination_id", &r.nomination_id);
        let on = v.date("viewed_on", &r.viewed_on);
        let (id, on) = v.into_result((id.unwrap_or_default(), on.unwrap_or_default()))?;
        let n = nominations::record_viewing(&self.pool, partner_id, id, on, r.notes.trim()).await?;
        Ok(Response::new(pb::RecordViewingResponse {
            nomination: Some(partner_nomination_proto(&n)),
        }))
    }

    async fn report_letting(
        &self,
        request: Request<pb::ReportLettingRequest>,
    ) -> Result<Response<pb::ReportLettingResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let id = Uuid::parse_str(&r.nomination_id)
            .map_err(|_| v.add("nomination_id", "must be a UUID"))
            .ok();
        let start = parse_date(&r.tenancy_start_date)
            .map_err(|e| v.add("tenancy_start_date", e))
            .ok();
        if r.weekly_rent_pence <= 0 {
            v.add("weekly_rent_pence", "must be above zero");
        }
        let details = r
            .details
            .as_ref()
            .map(|d| super::core_log::letting_details(d, &mut v));
        let (Some(id), Some(start)) = (id, start) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let letting = nominations::LettingReport {
            tenancy_start: start,
            weekly_rent_pence: r.weekly_rent_pence,
            details,
        };
        let (letting_id, n) =
            nominations::report_letting(&self.pool, partner_id, id, letting).await?;
        Ok(Response::new(pb::ReportLettingResponse {
            letting_id: letting_id.to_string(),
            nomination: Some(partner_nomination_proto(&n)),
        }))
    }

    async fn get_lettings_log_household(
        &self,
        request: Request<pb::GetLettingsLogHouseholdRequest>,
    ) -> Result<Response<pb::GetLettingsLogHouseholdResponse>, Status> {
        let partner_id = self.partner(&request).await?;
        let id = housing_platform::errors::uuid_field(
            "nomination_id",
            &request.get_ref().nomination_id,
        )?;
        let fields =
            crate::app::returns::household_part(&self.pool, partner_id, id, &self.council).await?;
        Ok(Response::new(pb::GetLettingsLogHouseholdResponse {
            fields: fields
                .into_iter()
                .map(|(field, value)| pb::CoreLogField {
                    field: field as i32,
                    question: crate::domain::core_log::validate::question(field).to_owned(),
                    value,
                })
                .collect(),
        }))
    }
}
