//! GET /audit: an administrator reads the audit trail of an organisation they
//! administer — who did what, when, before and after — filtered by user, action
//! and dates, newest first, one page at a time.

use serde::Deserialize;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::audit_query::AuditQuery;
use shared::domain::ods::OdsCode;
use shared::edge::address::UserId;
use shared::edge::{json, query_value, Answered, Paging, Query};
use shared::store::records::{AccountRecord, AuditRecord};
use shared::views::audit::AuditEntryView;
use shared::views::listing::{Listed, OfOrganisation};
use shared::{App, AppError};
use std::collections::HashMap;

shared::serve_http!(GET "/audit" => list_audit);

/// The entries asked for: of which organisation, by whom, of what kind,
/// between which dates, how many a page and from where.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    organisation: Option<String>,
    #[serde(default, deserialize_with = "query_value")]
    user: Option<UserId>,
    #[param(value_type = Option<shared::domain::audit_action::AuditAction>)]
    action: Option<String>,
    #[param(schema_with = shared::edge::openapi::query::date)]
    from: Option<String>,
    #[param(schema_with = shared::edge::openapi::query::date)]
    to: Option<String>,
}

async fn list_audit(
    app: &App, who: SignedIn, query: Query<Wanted>, paging: Paging,
) -> Answered<Listed<'static, OfOrganisation<'static>, AuditEntryView<'static>>> {
    let requested = query.read().ok().and_then(|wanted| wanted.organisation);
    // The first page of the trail: its query is read once the token is verified
    // (a refused request never parses dates, nor loads the time-zone rules).
    let page = |code: OdsCode| {
        let query = &query;
        let paging = &paging;
        async move {
            let wanted = query.read()?;
            let (filter, limit) = filter(&wanted, paging)?;
            app.store.audit_trail(&code, &filter, limit, paging.cursor()).await
        }
    };
    let (_, organisation, page) =
        access::organisations::administered_list(app, &who, requested.as_deref(), page).await?;
    let names = Names::of(app, &page.items).await?;
    let of = OfOrganisation { organisation: (&organisation).into() };
    json(&Listed::of(of, &page, |a| {
        let person = names.people.get(&a.actor).map(|p| (p.names().full_name(), p.email.as_str()));
        AuditEntryView::of(a, person, names.target(&a.target))
    }))
}

/// The people, organisations and services a page of the trail names, read
/// together (one round trip, beside nothing else): who did each thing, and
/// what it was done to, in words.
struct Names {
    people: HashMap<String, AccountRecord>,
    organisations: HashMap<String, String>,
    services: HashMap<String, String>,
}

impl Names {
    async fn of(app: &App, entries: &[AuditRecord]) -> Result<Names, AppError> {
        let mut people: Vec<String> = entries.iter().map(|a| a.actor.clone()).collect();
        let mut codes = Vec::new();
        let mut services = Vec::new();
        for entry in entries {
            match entry.target.split_once('#') {
                Some(("USER", id)) => people.push(id.to_string()),
                Some(("ORG", code)) => codes.extend(OdsCode::parse(code).ok()),
                Some(("SERVICE", id)) => services.push(id.to_string()),
                _ => {}
            }
        }
        people.sort();
        people.dedup();
        people.retain(|p| p != "system" && p != "public");
        codes.sort();
        codes.dedup();
        services.sort();
        services.dedup();
        let (people, organisations, services) = tokio::try_join!(
            app.store.accounts(&people),
            app.store.organisation_records(&codes),
            app.store.services(&services)
        )?;
        Ok(Names {
            people,
            organisations: organisations.into_iter().map(|o| (o.code.to_string(), o.name)).collect(),
            services: services.into_iter().map(|s| (s.id, s.name)).collect(),
        })
    }

    /// What an entry was done to, as a person would say it.
    fn target(&self, target: &str) -> String {
        match target.split_once('#') {
            Some(("CLAIM", id)) => format!("claim {id}"),
            Some(("USER", id)) => {
                self.people.get(id).map(|p| p.names().full_name()).unwrap_or_else(|| "a person".into())
            }
            Some(("ORG", code)) => {
                self.organisations.get(code).map(|n| format!("{n} ({code})")).unwrap_or_else(|| code.into())
            }
            Some(("SERVICE", id)) => self.services.get(id).cloned().unwrap_or_else(|| "a service".into()),
            Some(("REGISTRATION", _)) => "a registration".into(),
            Some(("ACCESS_REQUEST", _)) => "an access request".into(),
            Some(("INVITATION", _)) => "an invitation".into(),
            Some(("RUN", _)) => "a payment run".into(),
            _ => target.to_lowercase(),
        }
    }
}

/// The entries asked for (by person, action and dates) and how many a page.
fn filter(wanted: &Wanted, paging: &Paging) -> Result<(AuditQuery, i32), AppError> {
    let query = AuditQuery::parse(
        wanted.user.as_deref(),
        wanted.action.as_deref(),
        wanted.from.as_deref(),
        wanted.to.as_deref(),
    )?;
    let size = paging.size()?;
    Ok((query, size))
}
