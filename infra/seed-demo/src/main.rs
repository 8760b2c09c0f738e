//! Loads demo organisations and users into the local stack, through the same
//! store and user-pool adapters the functions use. Local development only.
//!
//! Usage: seed-demo <demo-data.json>   (settings from the same env as the functions)

use serde::Deserialize;
use shared::domain::account::{AccountStatus, MembershipStatus};
use shared::domain::email::Email;
use shared::domain::ods::OdsCode;
use shared::domain::organisation::{ClaimSubmission, NewOrganisation, Organisation, OrganisationType};
use shared::domain::role::Role;
use shared::store::keys;
use shared::store::records::{AccountRecord, MembershipRecord};
use shared::App;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoData {
    organisations: Vec<DemoOrganisation>,
    users: Vec<DemoUser>,
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
    let now = jiff::Timestamp::now();
    let at = keys::instant(now);

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
        let user_id = uuid::Uuid::now_v7().to_string();
        let account = AccountRecord {
            pk: keys::user(&user_id),
            sk: keys::PROFILE.into(),
            user_id: user_id.clone(),
            email: user.email.to_string(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            status: AccountStatus::Active,
            subject: Some(subject),
            last_sign_in_at: None,
            disabled_reason: None,
            created_at: at.clone(),
            updated_at: at.clone(),
            version: 1,
        };
        let memberships: Vec<MembershipRecord> = user
            .memberships
            .iter()
            .map(|m| {
                let organisation = organisations.get(&m.organisation).ok_or("membership in an unknown organisation")?;
                Ok(MembershipRecord::new(&account, organisation, m.role, MembershipStatus::Active, &at))
            })
            .collect::<Result<_, &str>>()?;
        app.store.create_active_user(&account, &memberships, "system", now).await?;
        println!("{} {}", user.email, user_id);
    }
    Ok(())
}
