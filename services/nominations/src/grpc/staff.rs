use housing_platform::auth::{Role, caller};
use housing_platform::calendar::WorkingDays;
use housing_platform::db::Pool;
use housing_platform::errors::{FieldViolations, uuid_field};
use housing_platform::paging;
use housing_proto::nominations::v1::{self as pb, nominations_service_server::NominationsService};
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::mapping::{self, nomination_proto};
use crate::app::lists::{
    self, ListDecants, ListExchangeListings, ListIncentives, ListNominations, ListVacancies,
};
use crate::app::mobility::ListMobilitySchemes;
use crate::app::register::Register;
use crate::app::{adverts, decants, exchanges, mobility, nominations, partners, refusals};
use crate::db::partners::Partner;
use crate::domain::decant::HomeLossRules;
use crate::domain::nomination::{ReferralSource, share_of};

pub struct Staff {
    pub pool: Pool,
    pub register: Register,
    pub bid_limit: i64,
    pub incentive_per_bedroom_pence: i64,
    pub home_loss: HomeLossRules,
    /// Working days, by which partners' answers fall due.
    pub calendar: WorkingDays,
}

/// Who places bids: the bidding portal on the applicant's behalf, or staff.
const BIDDING: &[Role] = &[
    Role::Service,
    Role::RegisterAssistant,
    Role::AllocationsOfficer,
    Role::SeniorOfficer,
    Role::Manager,
];

const OFFICERS: &[Role] = &[Role::AllocationsOfficer, Role::SeniorOfficer, Role::Manager];

#[tonic::async_trait]
impl NominationsService for Staff {
    async fn create_partner(
        &self,
        request: Request<pb::CreatePartnerRequest>,
    ) -> Result<Response<pb::CreatePartnerResponse>, Status> {
        caller(&request)?.require(&[Role::Manager, Role::SeniorOfficer])?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        if r.name.trim().is_empty() {
            v.add("name", "required");
        }
        if !(1..=60).contains(&r.response_days) {
            v.add("response_days", "must be 1 to 60 working days");
        }
        if !r.council_stock && !(1..=100).contains(&r.nomination_share_percent) {
            v.add(
                "nomination_share_percent",
                "must be 1 to 100: the council's share of the partner's lets",
            );
        }
        let fingerprint = if r.client_certificate_pem.trim().is_empty() {
            None
        } else {
            crate::domain::certificate::pem_fingerprint(&r.client_certificate_pem)
                .map_err(|e| v.add("client_certificate_pem", e))
                .ok()
        };
        v.into_result(())?;
        let partner = Partner {
            id: uuid::Uuid::now_v7(),
            name: r.name.trim().to_owned(),
            response_days: r.response_days,
            nomination_share_percent: if r.council_stock {
                100
            } else {
                r.nomination_share_percent
            },
            council_stock: r.council_stock,
        };
        let p =
            nominations::create_partner(&self.pool, &r.request_id, partner, fingerprint.as_deref())
                .await?;
        Ok(Response::new(pb::CreatePartnerResponse {
            partner: Some(mapping::partner_proto(&p)),
        }))
    }

    async fn list_partners(
        &self,
        request: Request<pb::ListPartnersRequest>,
    ) -> Result<Response<pb::ListPartnersResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let r = request.into_inner();
        // The position is the last partner's name and id, apart by a unit separator.
        let after = paging::decode_position(&r.page_token)?
            .map(|text| {
                text.split_once('\u{1f}')
                    .and_then(|(name, id)| Some((name.to_owned(), Uuid::parse_str(id).ok()?)))
                    .ok_or_else(paging::not_a_token)
            })
            .transpose()?;
        let limit = paging::size(r.page_size, 25, 100);
        let page = partners::list_partners(&self.pool, after, limit).await?;
        let next_page_token = match page.last() {
            Some(last) if page.len() as i64 == limit => {
                paging::encode_position(&format!("{}\u{1f}{}", last.name, last.id))
            }
            _ => String::new(),
        };
        Ok(Response::new(pb::ListPartnersResponse {
            partners: page.iter().map(mapping::partner_proto).collect(),
            next_page_token,
        }))
    }

    async fn update_partner(
        &self,
        request: Request<pb::UpdatePartnerRequest>,
    ) -> Result<Response<pb::UpdatePartnerResponse>, Status> {
        caller(&request)?.require(&[Role::Manager, Role::SeniorOfficer])?;
        let update = mapping::partner_update(request.get_ref())?;
        let partner = partners::update_partner(&self.pool, &update).await?;
        Ok(Response::new(pb::UpdatePartnerResponse {
            partner: Some(mapping::partner_proto(&partner)),
        }))
    }

    async fn shortlist_vacancy(
        &self,
        request: Request<pb::ShortlistVacancyRequest>,
    ) -> Result<Response<pb::ShortlistVacancyResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let r = request.into_inner();
        let vacancy_id = uuid_field("vacancy_id", &r.vacancy_id)?;
        if !(0..=500).contains(&r.page_size) {
            let mut v = FieldViolations::new();
            v.add("page_size", "must be between 0 and 500");
            return Err(v.into_status());
        }
        let entries =
            nominations::shortlist(&self.pool, &self.register, vacancy_id, r.page_size).await?;
        Ok(Response::new(pb::ShortlistVacancyResponse {
            candidates: entries
                .into_iter()
                .map(|e| pb::ShortlistCandidate {
                    application_id: e.application_id,
                    reference: e.reference,
                    band: e.band,
                    effective_date: e.effective_date,
                    bedroom_need: e.bedroom_need,
                })
                .collect(),
        }))
    }

    async fn create_nomination(
        &self,
        request: Request<pb::CreateNominationRequest>,
    ) -> Result<Response<pb::CreateNominationResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let r = request.into_inner();
        let offer = nominations::Offer::try_from(&r)?;
        let n = nominations::nominate(
            &self.pool,
            &self.register,
            &self.calendar,
            &caller.id,
            &r.request_id,
            offer,
        )
        .await?;
        Ok(Response::new(pb::CreateNominationResponse {
            nomination: Some(nomination_proto(&n)),
        }))
    }

    async fn get_nomination(
        &self,
        request: Request<pb::GetNominationRequest>,
    ) -> Result<Response<pb::GetNominationResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let id = uuid_field("nomination_id", &request.get_ref().nomination_id)?;
        let n = nominations::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetNominationResponse {
            nomination: Some(nomination_proto(&n)),
        }))
    }

    async fn list_vacancies(
        &self,
        request: Request<pb::ListVacanciesRequest>,
    ) -> Result<Response<pb::ListVacanciesResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let query = ListVacancies::try_from(request.into_inner())?;
        let page = lists::vacancies(&self.pool, &query, housing_platform::time::today()).await?;
        Ok(Response::new(pb::ListVacanciesResponse {
            vacancies: page
                .items
                .iter()
                .map(mapping::vacancy_summary_proto)
                .collect(),
            next_page_token: mapping::vacancies_page_token(page.next),
        }))
    }

    async fn list_nominations(
        &self,
        request: Request<pb::NominationsServiceListNominationsRequest>,
    ) -> Result<Response<pb::NominationsServiceListNominationsResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let query = ListNominations::try_from(request.into_inner())?;
        let page = lists::nominations(&self.pool, &query, housing_platform::time::today()).await?;
        Ok(Response::new(
            pb::NominationsServiceListNominationsResponse {
                nominations: page.items.iter().map(nomination_proto).collect(),
                next_page_token: mapping::nominations_page_token(page.next),
            },
        ))
    }

    async fn record_refusal(
        &self,
        request: Request<pb::RecordRefusalRequest>,
    ) -> Result<Response<pb::RecordRefusalResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let id = v.uuid("nomination_id", &r.nomination_id);
        let reason = refusal_reason(r.reason);
        if reason.is_none() {
            v.add("reason", "required: the refusal's reason category");
        }
        v.require(
            "interview_notes",
            &r.interview_notes,
            "what the applicant said",
        );
        v.require(
            "suitability_reasons",
            &r.suitability_reasons,
            "why the offer is held suitable or not",
        );
        let (Some(id), Some(reason)) = (id, reason) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let senior = caller
            .require(&[Role::SeniorOfficer, Role::Manager])
            .is_ok();
        let n = refusals::record(
            &self.pool,
            id,
            refusals::Decision {
                reason,
                interview_notes: r.interview_notes.trim().to_owned(),
                final_offer: r.final_offer,
                suitable: r.suitable,
                suitability_reasons: r.suitability_reasons.trim().to_owned(),
            },
            &caller.id,
            senior,
        )
        .await?;
        Ok(Response::new(pb::RecordRefusalResponse {
            nomination: Some(nomination_proto(&n)),
        }))
    }

    async fn create_advert(
        &self,
        request: Request<pb::CreateAdvertRequest>,
    ) -> Result<Response<pb::CreateAdvertResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let vacancy_id = v.uuid("vacancy_id", &r.vacancy_id);
        let closes_on = v.date("closes_on", &r.closes_on);
        if !(0..=120).contains(&r.minimum_age) {
            v.add("minimum_age", "must be between 0 and 120");
        }
        let (Some(vacancy_id), Some(closes_on)) = (vacancy_id, closes_on) else {
            return Err(v.into_status());
        };
        v.into_result(())?;
        let advert = adverts::create(
            &self.pool,
            &r.request_id,
            adverts::NewAdvert {
                vacancy_id,
                closes_on,
                minimum_age: r.minimum_age,
                adapted: r.adapted,
            },
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::CreateAdvertResponse {
            advert: Some(mapping::advert_proto(&advert)),
        }))
    }

    async fn place_bid(
        &self,
        request: Request<pb::PlaceBidRequest>,
    ) -> Result<Response<pb::PlaceBidResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(BIDDING)?;
        let (advert, application) = bid_ids(
            request.get_ref().advert_id.as_str(),
            &request.get_ref().application_id,
        )?;
        let (advert, placed) = adverts::bid(
            &self.pool,
            &self.register,
            advert,
            application,
            self.bid_limit,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::PlaceBidResponse {
            advert: Some(mapping::advert_proto(&advert)),
            placed,
        }))
    }

    async fn withdraw_bid(
        &self,
        request: Request<pb::WithdrawBidRequest>,
    ) -> Result<Response<pb::WithdrawBidResponse>, Status> {
        caller(&request)?.require(BIDDING)?;
        let (advert, application) = bid_ids(
            request.get_ref().advert_id.as_str(),
            &request.get_ref().application_id,
        )?;
        let (advert, withdrawn) = adverts::withdraw(&self.pool, advert, application).await?;
        Ok(Response::new(pb::WithdrawBidResponse {
            advert: Some(mapping::advert_proto(&advert)),
            withdrawn,
        }))
    }

    async fn close_advert(
        &self,
        request: Request<pb::CloseAdvertRequest>,
    ) -> Result<Response<pb::CloseAdvertResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let id = uuid_field("advert_id", &request.get_ref().advert_id)?;
        let (advert, results) = adverts::close(&self.pool, &self.register, id).await?;
        Ok(Response::new(pb::CloseAdvertResponse {
            advert: Some(mapping::advert_proto(&advert)),
            results: results.iter().map(mapping::advert_result_proto).collect(),
        }))
    }

    async fn get_letting_result(
        &self,
        request: Request<pb::GetLettingResultRequest>,
    ) -> Result<Response<pb::GetLettingResultResponse>, Status> {
        caller(&request)?.require(BIDDING)?;
        let r = request.get_ref();
        let mut v = FieldViolations::new();
        let advert = v.uuid("advert_id", &r.advert_id);
        let bidder =
            (!r.application_id.is_empty()).then(|| v.uuid("application_id", &r.application_id));
        let (advert, bidder) = v.into_result((advert.unwrap_or_default(), bidder.flatten()))?;
        let (result, position) = adverts::letting_result(&self.pool, advert, bidder).await?;
        Ok(Response::new(pb::GetLettingResultResponse {
            result: Some(adverts::letting_result_proto(&result)),
            your_position: position.unwrap_or_default(),
        }))
    }

    async fn list_adverts(
        &self,
        request: Request<pb::ListAdvertsRequest>,
    ) -> Result<Response<pb::ListAdvertsResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let query = adverts::ListAdverts::try_from(request.into_inner())?;
        let page = adverts::list(&self.pool, &query).await?;
        Ok(Response::new(pb::ListAdvertsResponse {
            adverts: page
                .items
                .iter()
                .map(mapping::advert_summary_proto)
                .collect(),
            next_page_token: mapping::adverts_page_token(page.next),
        }))
    }

    async fn get_advert(
        &self,
        request: Request<pb::GetAdvertRequest>,
    ) -> Result<Response<pb::GetAdvertResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let id = uuid_field("advert_id", &request.get_ref().advert_id)?;
        let shown = adverts::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetAdvertResponse {
            advert: Some(mapping::advert_proto(&shown.listed.advert)),
            vacancy: Some(mapping::vacancy_summary_proto(&shown.listed.vacancy)),
            results: shown
                .results
                .iter()
                .map(mapping::advert_result_proto)
                .collect(),
            letting_result: shown.letting.as_ref().map(adverts::letting_result_proto),
        }))
    }

    async fn create_decant(
        &self,
        request: Request<pb::CreateDecantRequest>,
    ) -> Result<Response<pb::CreateDecantResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(&[Role::SeniorOfficer, Role::Manager])?;
        let r = request.get_ref();
        let decant = mapping::decant(r.decant.as_ref(), &caller.id)?;
        let decant = decants::create(&self.pool, &r.request_id, decant).await?;
        Ok(Response::new(pb::CreateDecantResponse {
            decant: Some(mapping::decant_proto(&decant)),
        }))
    }

    async fn get_decant(
        &self,
        request: Request<pb::GetDecantRequest>,
    ) -> Result<Response<pb::GetDecantResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let id = uuid_field("decant_id", &request.get_ref().decant_id)?;
        let decant = decants::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetDecantResponse {
            decant: Some(mapping::decant_proto(&decant)),
        }))
    }

    async fn approve_decant_payments(
        &self,
        request: Request<pb::ApproveDecantPaymentsRequest>,
    ) -> Result<Response<pb::ApproveDecantPaymentsResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(&[Role::Manager])?;
        let r = request.get_ref();
        let id = uuid_field("decant_id", &r.decant_id)?;
        let disturbance = mapping::disturbance(&r.disturbance)?;
        let decant =
            decants::approve_payments(&self.pool, id, disturbance, &self.home_loss, &caller.id)
                .await?;
        Ok(Response::new(pb::ApproveDecantPaymentsResponse {
            decant: Some(mapping::decant_proto(&decant)),
        }))
    }

    async fn approve_incentive(
        &self,
        request: Request<pb::ApproveIncentiveRequest>,
    ) -> Result<Response<pb::ApproveIncentiveResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(&[Role::Manager])?;
        let approval = mapping::ApproveIncentive::try_from(request.into_inner())?;
        let (move_id, amount_pence) = mobility::approve_incentive(
            &self.pool,
            &approval.request_id,
            approval.application_id,
            &approval.payee_name,
            approval.bedrooms_released,
            self.incentive_per_bedroom_pence,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::ApproveIncentiveResponse {
            move_id: move_id.to_string(),
            amount_pence,
        }))
    }

    async fn get_measures(
        &self,
        request: Request<pb::GetMeasuresRequest>,
    ) -> Result<Response<pb::GetMeasuresResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let period = mapping::Period::try_from(request.into_inner())?;
        let m = mobility::measures(&self.pool, period.from, period.to).await?;
        let refusals = m.refusals_by_reason.iter().map(|(_, n)| n).sum();
        Ok(Response::new(pb::GetMeasuresResponse {
            lettings: m.lettings,
            mean_days_void_to_let: m.mean_days_void_to_let,
            offers: m.offers,
            refusals,
            refusals_by_reason: m
                .refusals_by_reason
                .into_iter()
                .map(|(reason, refusals)| pb::RefusalCount { reason, refusals })
                .collect(),
            percent_lets_to_homeless: if m.lettings == 0 {
                0.0
            } else {
                100.0 * m.lets_to_homeless as f64 / m.lettings as f64
            },
            bedrooms_released: m.bedrooms_released,
            lets_to_overcrowded: m.lets_to_overcrowded,
            bedrooms_gained: m.bedrooms_gained,
            partner_shares: m
                .partner_shares
                .into_iter()
                .map(|s| pb::PartnerShare {
                    partner_id: s.partner_id.to_string(),
                    owed: share_of(s.vacancies, s.nomination_share_percent),
                    name: s.name,
                    nomination_share_percent: s.nomination_share_percent,
                    vacancies: s.vacancies,
                    nominated: s.nominated,
                })
                .collect(),
            lets_by_source: m
                .lets_by_source
                .into_iter()
                .map(|(source, lets)| pb::SourceCount {
                    source: match source {
                        ReferralSource::CouncilRegister => pb::ReferralSource::CouncilRegister,
                        ReferralSource::Nomination => pb::ReferralSource::Nomination,
                    } as i32,
                    lets,
                })
                .collect(),
            choice_based_lets: m.choice_based_lets,
        }))
    }

    async fn create_exchange_listing(
        &self,
        request: Request<pb::CreateExchangeListingRequest>,
    ) -> Result<Response<pb::CreateExchangeListingResponse>, Status> {
        caller(&request)?.require(BIDDING)?;
        let r = request.into_inner();
        let listing = super::mapping::exchange_listing(r.listing.as_ref())?;
        let listing = exchanges::create_listing(&self.pool, &r.request_id, listing).await?;
        Ok(Response::new(pb::CreateExchangeListingResponse {
            listing: Some(super::mapping::exchange_listing_proto(&listing)),
        }))
    }

    async fn find_exchanges(
        &self,
        request: Request<pb::FindExchangesRequest>,
    ) -> Result<Response<pb::FindExchangesResponse>, Status> {
        caller(&request)?.require(BIDDING)?;
        let id = uuid_field("listing_id", &request.get_ref().listing_id)?;
        let (swaps, chains) = exchanges::find_for(&self.pool, id).await?;
        let matches = |groups: Vec<Vec<uuid::Uuid>>| {
            groups
                .into_iter()
                .map(|g| pb::ExchangeMatch {
                    listing_ids: g.iter().map(uuid::Uuid::to_string).collect(),
                })
                .collect()
        };
        Ok(Response::new(pb::FindExchangesResponse {
            swaps: matches(swaps),
            chains: matches(chains),
        }))
    }

    async fn propose_exchange(
        &self,
        request: Request<pb::ProposeExchangeRequest>,
    ) -> Result<Response<pb::ProposeExchangeResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        let ids: Vec<uuid::Uuid> = r
            .listing_ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| v.uuid(&format!("listing_ids[{i}]"), id))
            .collect();
        if !(2..=3).contains(&r.listing_ids.len()) {
            v.add("listing_ids", "a swap is two listings, a chain three");
        }
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        if distinct.len() != ids.len() {
            v.add("listing_ids", "each listing once");
        }
        v.into_result(())?;
        let (exchange, awaiting) =
            exchanges::propose(&self.pool, &r.request_id, &ids, &caller.id).await?;
        Ok(Response::new(pb::ProposeExchangeResponse {
            exchange: Some(super::mapping::exchange_proto(&exchange, awaiting)),
        }))
    }

    async fn record_council_consent(
        &self,
        request: Request<pb::RecordCouncilConsentRequest>,
    ) -> Result<Response<pb::RecordCouncilConsentResponse>, Status> {
        let caller = caller(&request)?;
        caller.require(OFFICERS)?;
        let r = request.into_inner();
        let id = uuid_field("exchange_id", &r.exchange_id)?;
        let (exchange, awaiting) = exchanges::consent(
            &self.pool,
            id,
            exchanges::COUNCIL,
            r.consent,
            &r.reason,
            &caller.id,
        )
        .await?;
        Ok(Response::new(pb::RecordCouncilConsentResponse {
            exchange: Some(super::mapping::exchange_proto(&exchange, awaiting)),
        }))
    }

    async fn list_exchange_listings(
        &self,
        request: Request<pb::ListExchangeListingsRequest>,
    ) -> Result<Response<pb::ListExchangeListingsResponse>, Status> {
        caller(&request)?.require(BIDDING)?;
        let query = ListExchangeListings::try_from(request.into_inner())?;
        let page = lists::exchange_listings(&self.pool, &query).await?;
        Ok(Response::new(pb::ListExchangeListingsResponse {
            listings: page
                .items
                .iter()
                .map(mapping::exchange_listing_proto)
                .collect(),
            next_page_token: super::lists::exchange_listings_page_token(page.next),
        }))
    }

    async fn get_exchange(
        &self,
        request: Request<pb::GetExchangeRequest>,
    ) -> Result<Response<pb::GetExchangeResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let id = uuid_field("exchange_id", &request.get_ref().exchange_id)?;
        let (exchange, awaiting) = exchanges::get(&self.pool, id).await?;
        Ok(Response::new(pb::GetExchangeResponse {
            exchange: Some(mapping::exchange_proto(&exchange, awaiting)),
        }))
    }

    async fn list_incentives(
        &self,
        request: Request<pb::ListIncentivesRequest>,
    ) -> Result<Response<pb::ListIncentivesResponse>, Status> {
        caller(&request)?.require(&[Role::Manager])?;
        let query = ListIncentives::try_from(request.into_inner())?;
        let page = lists::incentives(&self.pool, &query).await?;
        Ok(Response::new(pb::ListIncentivesResponse {
            incentives: page
                .items
                .iter()
                .map(|m| super::lists::incentive_proto(m, self.incentive_per_bedroom_pence))
                .collect(),
            next_page_token: super::lists::incentives_page_token(page.next),
        }))
    }

    async fn list_decants(
        &self,
        request: Request<pb::ListDecantsRequest>,
    ) -> Result<Response<pb::ListDecantsResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let query = ListDecants::try_from(request.into_inner())?;
        let page = lists::decants(&self.pool, &query).await?;
        Ok(Response::new(pb::ListDecantsResponse {
            decants: page.items.iter().map(mapping::decant_proto).collect(),
            next_page_token: super::lists::decants_page_token(page.next),
        }))
    }

    async fn create_mobility_scheme(
        &self,
        request: Request<pb::CreateMobilitySchemeRequest>,
    ) -> Result<Response<pb::CreateMobilitySchemeResponse>, Status> {
        caller(&request)?.require(&[Role::Manager])?;
        let r = request.into_inner();
        let mut v = FieldViolations::new();
        v.require("name", &r.name, "the scheme's name");
        if !(1..=100).contains(&r.quota_percent) {
            v.add("quota_percent", "must be 1 to 100");
        }
        v.into_result(())?;
        let scheme =
            mobility::create_scheme(&self.pool, &r.request_id, r.name.trim(), r.quota_percent)
                .await?;
        Ok(Response::new(pb::CreateMobilitySchemeResponse {
            scheme: Some(scheme_proto(&scheme)),
        }))
    }

    async fn get_mobility_quota(
        &self,
        request: Request<pb::GetMobilityQuotaRequest>,
    ) -> Result<Response<pb::GetMobilityQuotaResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let asked = mapping::MobilityQuota::try_from(request.into_inner())?;
        let (scheme, quota) = mobility::quota(
            &self.pool,
            asked.scheme_id,
            asked.period.from,
            asked.period.to,
        )
        .await?;
        Ok(Response::new(quota_proto(&scheme, &quota)))
    }

    async fn list_mobility_schemes(
        &self,
        request: Request<pb::ListMobilitySchemesRequest>,
    ) -> Result<Response<pb::ListMobilitySchemesResponse>, Status> {
        caller(&request)?.require(OFFICERS)?;
        let asked = ListMobilitySchemes::try_from(request.into_inner())?;
        let (schemes, next) = mobility::schemes(&self.pool, &asked).await?;
        Ok(Response::new(pb::ListMobilitySchemesResponse {
            schemes: schemes
                .iter()
                .map(|(scheme, quota)| quota_proto(scheme, quota))
                .collect(),
            next_page_token: super::lists::mobility_schemes_page_token(next),
        }))
    }
}

fn quota_proto(
    scheme: &crate::db::measures::MobilityScheme,
    quota: &mobility::Quota,
) -> pb::GetMobilityQuotaResponse {
    pb::GetMobilityQuotaResponse {
        scheme: Some(scheme_proto(scheme)),
        lettings: quota.lettings,
        through_scheme: quota.through_scheme,
        quota_lets: quota.quota_lets,
        shortfall: quota.shortfall(),
    }
}

fn bid_ids(advert: &str, application: &str) -> Result<(uuid::Uuid, uuid::Uuid), Status> {
    let mut v = FieldViolations::new();
    let advert = v.uuid("advert_id", advert);
    let application = v.uuid("application_id", application);
    match (advert, application) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(v.into_status()),
    }
}

fn refusal_reason(value: i32) -> Option<&'static str> {
    let reason = pb::RefusalReason::try_from(value).ok()?;
    crate::wire::REFUSAL_REASONS
        .iter()
        .find(|(_, r)| *r == reason)
        .map(|(text, _)| *text)
}

fn scheme_proto(s: &crate::db::measures::MobilityScheme) -> pb::MobilityScheme {
    pb::MobilityScheme {
        scheme_id: s.id.to_string(),
        name: s.name.clone(),
        quota_percent: s.quota_percent,
    }
}
