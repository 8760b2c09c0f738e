//! Edge helpers for the catalogue: which service or provider a request is
//! about, and whether the caller may see or change it. Anything the caller may
//! not see is "not found", so nothing leaks between commissioners.

use crate::domain::account::{Caller, MembershipStatus};
use crate::domain::ods::OdsCode;
use crate::domain::role::{OrganisationKind, Role};
use crate::error::AppError;
use crate::store::catalogue::ServiceRecord;
use crate::store::records::OrganisationRecord;
use crate::App;

/// Who is looking at a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// A member of the owning commissioner or one it is shared with.
    Commissioner(OdsCode),
    /// A provider it was offered to: sees its own prices only.
    Provider(OdsCode),
}

fn no_such_service() -> AppError {
    AppError::NotFound("There is no service with this reference among yours".into())
}

impl Caller {
    /// Organisations where the caller holds any active role.
    pub fn active_organisations(&self) -> impl Iterator<Item = &OdsCode> {
        self.memberships.iter().filter(|m| m.status == MembershipStatus::Active).map(|m| &m.organisation_code)
    }

    pub fn is_provider_member(&self, provider: &OdsCode) -> bool {
        self.holds(Role::ProviderUser, provider) || self.holds(Role::ProviderApprover, provider)
    }

    /// Commissioners where the caller holds any active role, each once.
    pub fn commissioners(&self) -> Vec<OdsCode> {
        let mut codes: Vec<OdsCode> = self
            .memberships
            .iter()
            .filter(|m| {
                m.status == MembershipStatus::Active && m.role.organisation_kind() == OrganisationKind::Commissioner
            })
            .map(|m| m.organisation_code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Providers where the caller is an active user or approver, each once.
    pub fn providers(&self) -> Vec<OdsCode> {
        let mut codes: Vec<OdsCode> =
            self.active_organisations().filter(|code| self.is_provider_member(code)).cloned().collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

impl App {
    /// A service the caller may change: its commissioner's administrators only.
    pub async fn service_to_change(&self, caller: &Caller, id: &str) -> Result<ServiceRecord, AppError> {
        let (service, _) = self.service_to_view(caller, id).await?;
        if !caller.holds(Role::CommissioningAdministrator, &service.commissioner) {
            return Err(AppError::Forbidden(format!(
                "Only the Commissioning Administrators of {} change this service",
                service.commissioner
            )));
        }
        Ok(service)
    }

    /// A service the caller may see, and as whom.
    pub async fn service_to_view(&self, caller: &Caller, id: &str) -> Result<(ServiceRecord, Viewer), AppError> {
        let service = self.store.service(id).await?.ok_or_else(no_such_service)?;
        let member_of = service.commissioners().find(|c| caller.active_organisations().any(|o| o == *c)).cloned();
        if let Some(code) = member_of {
            return Ok((service, Viewer::Commissioner(code)));
        }
        for provider in caller.active_organisations().filter(|code| caller.is_provider_member(code)) {
            if self.store.offer(&service.id, provider).await?.is_some() {
                let viewer = Viewer::Provider(provider.clone());
                return Ok((service, viewer));
            }
        }
        Err(no_such_service())
    }

    /// A service and the commissioner the caller offers it for: its owner or one
    /// it is shared with, whose administrator the caller is.
    pub async fn service_to_offer(
        &self,
        caller: &Caller,
        id: &str,
        requested: Option<&str>,
    ) -> Result<(ServiceRecord, OdsCode), AppError> {
        let (service, _) = self.service_to_view(caller, id).await?;
        let mut administered: Vec<OdsCode> =
            service.commissioners().filter(|c| caller.holds(Role::CommissioningAdministrator, c)).cloned().collect();
        if let Some(raw) = requested.map(str::trim).filter(|r| !r.is_empty()) {
            let code = OdsCode::parse(raw).map_err(|detail| AppError::invalid_field("commissioner", detail))?;
            administered.retain(|c| c == &code);
        }
        match administered.len() {
            1 => Ok((service, administered.remove(0))),
            0 => Err(AppError::Forbidden("Only Commissioning Administrators offer services".into())),
            _ => Err(AppError::invalid_field(
                "commissioner",
                "You administer more than one commissioner sharing this service: choose which one offers it",
            )),
        }
    }

    /// A provider whose services and windows the caller may see: its own members
    /// and its commissioner's administrators.
    pub async fn provider_in_view(&self, caller: &Caller, raw_code: &str) -> Result<OrganisationRecord, AppError> {
        let not_found = || AppError::NotFound("There is no provider with this ODS code among yours".into());
        let code = OdsCode::parse(raw_code).map_err(|_| not_found())?;
        let record = self.store.organisation_record(&code).await?.ok_or_else(not_found)?;
        if record.kind != OrganisationKind::Provider {
            return Err(not_found());
        }
        if caller.is_provider_member(&code) || caller.administers(&record.organisation()) {
            return Ok(record);
        }
        Err(not_found())
    }
}

impl App {
    /// Organisation records for codes a form lists (the i-th at `pointer(i)`),
    /// each checked to exist and pass `fits` (which says why not); every
    /// problem is reported.
    pub async fn organisations_listed(
        &self,
        pointer: impl Fn(usize) -> String,
        codes: &[OdsCode],
        fits: impl Fn(&OrganisationRecord) -> Result<(), String>,
    ) -> Result<Vec<OrganisationRecord>, AppError> {
        let found = self.store.organisation_records(codes).await?;
        let mut errors = crate::domain::validation::FieldErrors::new();
        let mut records = Vec::with_capacity(codes.len());
        for (i, code) in codes.iter().enumerate() {
            match found.iter().find(|r| &r.code == code) {
                None => errors.add(&pointer(i), format!("There is no organisation with the ODS code {code}")),
                Some(record) => match fits(record) {
                    Ok(()) => records.push(record.clone()),
                    Err(message) => errors.add(&pointer(i), message),
                },
            }
        }
        errors.into_result()?;
        Ok(records)
    }

    /// Every provider given its own price must be one the service's commissioners commission.
    pub async fn tariff_providers_known(
        &self,
        service: &ServiceRecord,
        definition: &crate::domain::component_form::ComponentDefinition,
    ) -> Result<(), AppError> {
        let codes: Vec<OdsCode> = definition.tariffs.iter().map(|t| t.provider.clone()).collect();
        self.organisations_listed(
            |i| format!("tariffs/{i}/provider"),
            &codes,
            |org| match &org.commissioner {
                Some(c) if org.kind == OrganisationKind::Provider && service.commissioners().any(|s| s == c) => Ok(()),
                _ => Err(format!(
                    "{} ({}) is not a provider commissioned by {}",
                    org.name, org.code, service.commissioner
                )),
            },
        )
        .await
        .map(|_| ())
    }

    /// The organisation a list is for: the one asked for, or the caller's only
    /// one among `candidates`.
    pub fn chosen_organisation(
        &self,
        candidates: Vec<OdsCode>,
        requested: Option<&str>,
        field: &str,
        refusal: &str,
    ) -> Result<OdsCode, AppError> {
        match requested.map(str::trim).filter(|r| !r.is_empty()) {
            Some(raw) => {
                let code = OdsCode::parse(raw).map_err(|detail| AppError::invalid_field(field, detail))?;
                if candidates.contains(&code) {
                    Ok(code)
                } else {
                    Err(AppError::Forbidden(refusal.to_string()))
                }
            }
            None => match candidates.as_slice() {
                [only] => Ok(only.clone()),
                [] => Err(AppError::Forbidden(refusal.to_string())),
                many => {
                    let codes: Vec<String> = many.iter().map(|c| c.to_string()).collect();
                    Err(AppError::invalid_field(
                        field,
                        format!("You belong to several: choose one of {}", codes.join(", ")),
                    ))
                }
            },
        }
    }

    /// Providers that accepted a service and owe a claim for a window's period:
    /// not claimed yet, and not set to claim any time.
    pub async fn providers_without_claim(
        &self,
        window: &crate::store::windows::WindowRecord,
    ) -> Result<Vec<OrganisationRecord>, AppError> {
        let accepted: Vec<OdsCode> = self
            .store
            .offers_of_service(&window.service_id)
            .await?
            .into_iter()
            .filter(|o| o.status == crate::domain::offer::OfferStatus::Accepted)
            .map(|o| o.provider)
            .collect();
        if accepted.is_empty() {
            return Ok(Vec::new());
        }
        let claimed = self.store.claimed(&accepted, &window.service_id, &window.period_key).await?;
        let mut owing: Vec<OrganisationRecord> = self
            .store
            .organisation_records(&accepted)
            .await?
            .into_iter()
            .filter(|p| !p.claims_any_time && !claimed.contains(&p.code))
            .collect();
        owing.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(owing)
    }

    /// The services a provider accepted: what it can claim for.
    pub async fn accepted_services(&self, provider: &OdsCode) -> Result<Vec<ServiceRecord>, AppError> {
        let accepted: Vec<String> = self
            .store
            .offers_to(provider)
            .await?
            .into_iter()
            .filter(|o| o.status == crate::domain::offer::OfferStatus::Accepted)
            .map(|o| o.service_id)
            .collect();
        self.store.services(&accepted).await
    }

    /// The provider's active users and approvers whose accounts are active, each
    /// once: the people told about its offers and windows.
    pub async fn provider_people(
        &self,
        provider: &OdsCode,
    ) -> Result<Vec<crate::store::records::MembershipRecord>, AppError> {
        let mut people = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let listing = crate::store::users::UserListing {
                organisation: provider,
                status: Some(MembershipStatus::Active),
                order: crate::domain::listing::Order::Ascending,
                limit: 100,
                cursor: cursor.as_deref(),
            };
            let page = self.store.members(&listing).await?;
            people.extend(
                page.items.into_iter().filter(|m| matches!(m.role, Role::ProviderUser | Role::ProviderApprover)),
            );
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let ids: Vec<String> = people.iter().map(|m| m.user_id.clone()).collect();
        let accounts = self.store.accounts(&ids).await?;
        let mut seen = std::collections::HashSet::new();
        people.retain(|m| {
            accounts.get(&m.user_id).is_some_and(|a| a.status == crate::domain::account::AccountStatus::Active)
                && seen.insert(m.user_id.clone())
        });
        Ok(people)
    }

    /// A provider accepts or declines an offer made to it.
    pub async fn answer_offer(&self, request: &lambda_http::Request, accept: bool) -> crate::http::HttpResult {
        let caller = self.caller(request).await?;
        let not_found = || AppError::NotFound("There is no offer with this reference among yours".into());
        let id = crate::http::path_param(request, "id")?;
        let (service_id, provider) = crate::domain::offer::parse_offer_id(&id).ok_or_else(not_found)?;
        if !caller.is_provider_member(&provider) {
            return Err(not_found());
        }
        let offer = self.store.offer(&service_id, &provider).await?.ok_or_else(not_found)?;
        let service = self.store.service(&service_id).await?.ok_or_else(not_found)?;
        let answer = crate::domain::offer::answer(offer.status, accept)
            .map_err(|detail| AppError::conflict("offer-answered", detail))?;
        let answered =
            self.store.answer_offer(&offer, answer, &service.name, &caller.user_id, jiff::Timestamp::now()).await?;
        tracing::info!(service = %service.id, provider = %provider, status = ?answer, "offer answered");
        crate::http::json(200, &crate::catalogue_views::offer_json(&answered, Some(&service)))
    }
}
