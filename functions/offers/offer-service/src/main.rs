//! POST /services/{id}/offers: a commissioner offers a service to chosen
//! providers it commissions. New offers are made, declined ones made again,
//! and offers already open or accepted are left as they are. The people of
//! each provider offered now are told by email.
//!
//! Sent again with its `Idempotency-Key` (its answer lost, or its function
//! ended before its emails), the request is answered as the first was — its
//! offers are tagged with it — and the emails not yet sent are sent, each
//! once; the key sent with another request is refused.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::ods::OdsCode;
use shared::domain::offer::{offer, OfferCounts, OfferOutcome, OfferStatus};
use shared::domain::role::OrganisationKind;
use shared::domain::validation::FieldErrors;
use shared::edge::address::ServiceId;
use shared::edge::crash::crash_point;
use shared::edge::{json, Answered, IdempotencyKey, Json, Path};
use shared::mail::templates::service_offered;
use shared::store::catalogue::ServiceRecord;
use shared::store::offers::{OfferRecord, OfferTo};
use shared::store::records::{MembershipRecord, OrganisationRecord};
use shared::store::requests::Keyed;
use shared::views::catalogue::{OfferResult, OffersMade};
use shared::{App, AppError, ConflictKind};
use std::collections::HashMap;

use shared::domain::offer::PROVIDERS_MAX;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct OfferForm {
    #[schema(value_type = shared::domain::ods::OdsCode, required = false)]
    commissioner: Option<String>,
    #[serde(default)]
    #[schema(schema_with = shared::edge::openapi::fields::providers, required = true)]
    providers: Vec<String>,
}

shared::serve_http!(POST "/services/{id}/offers" => offer_service);

fn provider_codes(raw: &[String]) -> Result<Vec<OdsCode>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if raw.is_empty() || raw.len() > PROVIDERS_MAX {
        errors.add("providers", format!("Choose from 1 to {PROVIDERS_MAX} providers to offer the service to"));
    }
    let mut codes: Vec<OdsCode> = Vec::new();
    for (i, code) in raw.iter().enumerate() {
        match OdsCode::parse(code) {
            Ok(code) if codes.contains(&code) => errors.add(&format!("providers/{i}"), "This provider is listed twice"),
            Ok(code) => codes.push(code),
            Err(message) => errors.add(&format!("providers/{i}"), message),
        }
    }
    errors.into_result().map(|_| codes)
}

async fn offer_service(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, key: IdempotencyKey, form: Json<OfferForm>,
) -> Answered<OffersMade<'static>> {
    let key = key.key()?;
    let fingerprint = form.fingerprint();
    let form = form.read();
    let listed: Vec<OdsCode> = form.as_ref().ok().and_then(|f| provider_codes(&f.providers).ok()).unwrap_or_default();
    // Everything the request names, read beside the caller's own account: the
    // service, the offers of it made so far, and the providers listed.
    let named = async {
        tokio::try_join!(
            app.store.service(&id),
            app.store.offers_of_service(&id),
            app.store.organisation_records(&listed)
        )
    };
    let (caller, (found, offered, listed)) = signed_in_alongside(app, &who, named).await?;
    let form = form?;
    let (service, commissioner) =
        access::catalogue::service_to_offer(&app.store, &caller, found, form.commissioner.as_deref()).await?;
    let codes = provider_codes(&form.providers)?;
    let providers = access::catalogue::organisations_checked(
        |i| format!("providers/{i}"),
        &codes,
        &listed,
        |org| match &org.commissioner {
            Some(c) if org.kind == OrganisationKind::Provider && c == &commissioner => Ok(()),
            _ => Err(format!("{} ({}) is not a provider commissioned by {commissioner}", org.name, org.code)),
        },
    )?;
    let keyed = Keyed::new(&caller.user_id, key, &format!("POST /services/{}/offers", service.id), &fingerprint);
    let chosen = Chosen { service: &service, commissioner: &commissioner, providers: &providers };
    match offer_to(app, &chosen, offered, &caller.user_id, &keyed).await {
        // The same keyed request at the same moment: its offers are this one's.
        Err(AppError::Conflict { kind: ConflictKind::AlreadyChanged, .. }) if keyed.sender.key.is_some() => {
            let offered = app.store.offers_of_service(&service.id).await?;
            offer_to(app, &chosen, offered, &caller.user_id, &keyed).await
        }
        answered => answered,
    }
}

/// What the request offers, checked: the service, by which commissioner, to whom.
struct Chosen<'a> {
    service: &'a ServiceRecord,
    commissioner: &'a OdsCode,
    providers: &'a [OrganisationRecord],
}

/// Makes the offers not made yet (`offered`: the service's offers so far)
/// and tells the providers offered; `keyed`: the request, whose own offers
/// made before (sent with its key) are reported as then, not made again.
async fn offer_to(
    app: &App, chosen: &Chosen<'_>, offered: Vec<OfferRecord>, actor: &str, keyed: &Keyed<'_>,
) -> Answered<OffersMade<'static>> {
    let Chosen { service, commissioner, providers } = *chosen;
    let sent_as = keyed.sent_as();
    let sent_as = sent_as.as_deref();
    let by_provider: HashMap<&OdsCode, &OfferRecord> = offered.iter().map(|o| (&o.provider, o)).collect();
    let offers: Vec<OfferTo> = providers
        .iter()
        .map(|p| {
            let found = by_provider.get(&p.code).copied();
            let made_before = found.is_some_and(|o| o.made_by(sent_as));
            OfferTo {
                provider: p.code.clone(),
                provider_name: p.name.clone(),
                outcome: match found {
                    Some(o) if made_before => o.made_as(),
                    found => offer(found.map(|o| o.status)),
                },
                made_before,
            }
        })
        .collect();
    let mut existing: HashMap<OdsCode, (OdsCode, OfferStatus)> =
        offered.into_iter().map(|o| (o.provider, (o.commissioner, o.status))).collect();
    let told: Vec<&OfferTo> =
        offers.iter().filter(|o| matches!(o.outcome, OfferOutcome::Offered | OfferOutcome::Reoffered)).collect();
    let told_codes: Vec<OdsCode> = told.iter().map(|o| o.provider.clone()).collect();
    // The offers written while the people to tell and the commissioner's name
    // are read; nobody is told unless the offers stand.
    let made = app.store.make_offers(service, commissioner, &offers, actor, Some(keyed), shared::Timestamp::now());
    let (made, people, commissioner_record) = tokio::join!(
        made,
        access::catalogue::people_of_providers(&app.store, &told_codes),
        app.store.organisation(commissioner)
    );
    made?;
    crash_point("after-offers-made");
    let commissioner_name = match commissioner_record {
        Ok(Some(record)) => record.name,
        _ => commissioner.to_string(),
    };
    let notification = tell_providers(app, service, &commissioner_name, &told, people, sent_as).await;
    for made in &told {
        existing
            .entry(made.provider.clone())
            .and_modify(|(_, status)| *status = OfferStatus::Offered)
            .or_insert((commissioner.clone(), OfferStatus::Offered));
    }
    let counts = OfferCounts::of(existing.values().filter(|(by, _)| by == commissioner).map(|(_, status)| *status));
    let results = offers.iter().map(|o| OfferResult { provider: &o.provider, outcome: o.outcome }).collect();
    json(&OffersMade { service: &service.id, commissioner, results, counts, notification })
}

/// Emails the people of each provider offered the service now (not those
/// already offered or accepted; `people`: theirs, provider by provider), the
/// emails queued ten to a call. Offers stand if an email cannot be queued.
async fn tell_providers(
    app: &App, service: &ServiceRecord, commissioner_name: &str, told: &[&OfferTo],
    people: Vec<(OdsCode, Result<Vec<MembershipRecord>, AppError>)>, sent_as: Option<&str>,
) -> &'static str {
    let year = service.financial_year.to_string();
    let mut outcome = "queued";
    let mut mails = Vec::new();
    for (offer, (_, found)) in told.iter().zip(people) {
        match found {
            Ok(people) => mails.extend(people.iter().map(|person| {
                let mut mail =
                    service_offered(&person.names(), &offer.provider_name, commissioner_name, &service.name, &year);
                // Fixed per keyed request, so its retry emails no one twice.
                if let Some(request) = sent_as {
                    mail.id = format!("offer-{}-{}-{}-{request}", service.id, offer.provider, person.user_id);
                }
                mail
            })),
            Err(error) => {
                tracing::error!(provider = %offer.provider, error = %error, "offer emails not queued");
                outcome = "failed";
            }
        }
    }
    if app.mail().notify_all(&mails).await == "failed" {
        outcome = "failed";
    }
    outcome
}
