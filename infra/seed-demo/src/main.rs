//! Loads demo organisations and users into the local stack, through the same
//! store and user-pool adapters the functions use. Local development only.
//!
//! Usage: seed-demo <demo-data.json>   (settings from the same env as the functions)

use serde::Deserialize;
use shared::domain::claim_window::{closing_time, generate, OPEN_FOR_DAYS_DEFAULT};
use shared::domain::component_form::ComponentForm;
use shared::domain::component_version::ComponentVersion;
use shared::domain::email::Email;
use shared::domain::financial_year::FinancialYear;
use shared::domain::ods::OdsCode;
use shared::domain::offer::{OfferOutcome, OfferStatus};
use shared::domain::organisation::{ClaimSubmission, NewOrganisation, Organisation, OrganisationType};
use shared::domain::person::PersonNames;
use shared::domain::role::Role;
use shared::domain::service::{parse_period_kind, NewService};
use shared::domain::uk_time::{uk_instant, uk_today};
use shared::store::components::Written;
use shared::store::offers::OfferTo;
use shared::store::records::NewPerson;
use shared::App;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoData {
    organisations: Vec<DemoOrganisation>,
    users: Vec<DemoUser>,
    #[serde(default)]
    services: Vec<DemoService>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoService {
    commissioner: OdsCode,
    name: String,
    description: String,
    claim_periods: String,
    components: Vec<ComponentForm>,
    offer_to: Vec<OdsCode>,
    accepted_by: Vec<OdsCode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoOrganisation {
    code: OdsCode,
    name: String,
    #[serde(rename = "type")]
    organisation_type: OrganisationType,
    commissioner: Option<OdsCode>,
    claim_submission: Option<ClaimSubmission>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoUser {
    email: Email,
    first_name: String,
    last_name: String,
    password: String,
    memberships: Vec<DemoMembership>,
}

#[derive(Deserialize)]
struct DemoMembership {
    organisation: OdsCode,
    role: Role,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: seed-demo <demo-data.json>")?;
    let data: DemoData = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let app = App::from_env().await.map_err(|e| e.to_string())?;
    let now = shared::Timestamp::now();

    let mut organisations = HashMap::new();
    for org in &data.organisations {
        let organisation = Organisation {
            code: org.code.clone(),
            name: org.name.clone(),
            kind: org.organisation_type.kind(),
            commissioner: org.commissioner.clone(),
        };
        app.store
            .put_organisation(&NewOrganisation {
                organisation: organisation.clone(),
                organisation_type: org.organisation_type,
                claim_submission: org.claim_submission,
            })
            .await?;
        organisations.insert(org.code.clone(), organisation);
    }

    for user in &data.users {
        let subject = app.directory().create_sign_in(user.email.as_str(), &user.password).await?;
        let names =
            PersonNames { email: user.email.as_str(), first_name: &user.first_name, last_name: &user.last_name };
        let person = NewPerson { names, subject: &subject };
        let roles = user
            .memberships
            .iter()
            .map(|m| {
                let organisation = organisations.get(&m.organisation).ok_or("membership in an unknown organisation")?;
                Ok((organisation, m.role))
            })
            .collect::<Result<Vec<_>, &str>>()?;
        let user_id = app.store.create_active_user(&person, &roles, "system", now).await?;
        println!("{} {}", user.email, user_id);
    }

    for service in &data.services {
        seed_service(&app, service, &organisations, now).await?;
    }
    Ok(())
}

/// A service for the current financial year with its components, offers and
/// claim windows; the window of the last quarter to end is open now.
async fn seed_service(
    app: &App, demo: &DemoService, organisations: &HashMap<OdsCode, Organisation>, now: shared::Timestamp,
) -> Result<(), Box<dyn std::error::Error>> {
    let today = uk_today(now);
    let year = FinancialYear::containing(today);
    let new = NewService {
        name: demo.name.clone(),
        description: demo.description.clone(),
        year,
        claim_periods: parse_period_kind(Some(&demo.claim_periods))?,
        shared_with: vec![],
    };
    let service = app.store.create_service(&demo.commissioner, &new, "system", None, now).await?;
    for form in &demo.components {
        let valid = form.validate().map_err(|e| format!("demo component: {e:?}"))?;
        let version = ComponentVersion { version: 1, effective_from: year.first_day(), definition: valid.definition };
        let id = uuid::Uuid::now_v7().to_string();
        app.store.write_component_version(&service, &id, version, Written::New(None), "system", now).await?;
    }
    let mut windows = generate(year, new.claim_periods, OPEN_FOR_DAYS_DEFAULT)?;
    let ended: Vec<usize> = (0..windows.len()).filter(|&i| windows[i].period.last_day < today).collect();
    if let Some(&last) = ended.last() {
        let until = windows.get(last + 1).map(|next| next.period.last_day).unwrap_or(year.last_day());
        let close_day = today.checked_add(jiff::Span::new().days(7))?.min(until);
        let closes = uk_instant(close_day, closing_time())?;
        windows[last].closes_at = windows[last].closes_at.max(closes);
    }
    let service = app.store.service(&service.id).await?.ok_or("demo service vanished")?;
    app.store.add_windows(&service, &windows, "system", None, now).await?;
    let offers: Vec<OfferTo> = demo
        .offer_to
        .iter()
        .map(|code| OfferTo {
            provider: code.clone(),
            provider_name: organisations.get(code).map(|o| o.name.clone()).unwrap_or_default(),
            outcome: OfferOutcome::Offered,
            made_before: false,
        })
        .collect();
    app.store.make_offers(&service, &demo.commissioner, &offers, "system", None, now).await?;
    for code in &demo.accepted_by {
        let offer = app.store.offer(&service.id, code).await?.ok_or("demo offer missing")?;
        app.store
            .answer_offer(&offer, OfferStatus::Accepted, &service.commissioner, &service.name, "system", now)
            .await?;
    }
    println!("service {} {}", service.id, service.name);
    Ok(())
}
