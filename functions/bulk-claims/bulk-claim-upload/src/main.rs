//! POST /services/{id}/bulk-claims?period=: a commissioner's Tier 1 uploads
//! the filled template (CSV). Every row is judged on its own — an unknown or
//! foreign practice, units that are not a whole number or over the maximum, a
//! practice already claimed or named twice — and answered in a per-row
//! report. Each good row becomes a claim entered by the commissioner straight
//! into Pending Tier 2 Review, with its claim marker, so the same file sent
//! again (or twice at once) creates nothing more.

use futures::stream::{self, StreamExt};
use shared::access::bulk_claims::BulkClaimAddress;
use shared::access::bulk_claims::{self, BulkClaims};
use shared::access::caller::SignedIn;
use shared::domain::bulk_claim::{check_row, read_sheet, RowCheck, SheetRow, Standing, MAX_BYTES};
use shared::domain::ods::OdsCode;
use shared::domain::organisation::ClaimSubmission;
use shared::domain::review::DEFAULT_FINANCE_THRESHOLD;
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, CsvFile, Path, Query};
use shared::store::bulk_claims::EnteredClaim;
use shared::store::claims::ClaimService;
use shared::store::records::OrganisationRecord;
use shared::store::Store;
use shared::views::bulk_claims::{BulkUploaded, RowReport};
use shared::views::catalogue::ServiceName;
use shared::{App, AppError, Timestamp};
use std::collections::{HashMap, HashSet};

shared::serve_http!(POST "/services/{id}/bulk-claims" => upload);

/// Units by component id, as a ready row has them.
type Units = Vec<(String, u32)>;

/// Claims written at once: enough to finish 500 rows well within a request.
const WRITERS: usize = 16;

async fn upload(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, address: Query<BulkClaimAddress>, sheet: CsvFile<MAX_BYTES>,
) -> Answered<BulkUploaded<'static>> {
    let bulk = bulk_claims::open(app, &who, &id, &address.read()?).await?;
    let text = sheet.read()?;
    let columns = bulk.columns();
    let rows = read_sheet(&text, &columns).map_err(|detail| AppError::invalid_field("file", detail))?;
    let accepted: Vec<OdsCode> = bulk.accepted().map(|o| o.provider.clone()).collect();
    let period = bulk.period.key();
    let (standing, claimed, commissioner) = tokio::try_join!(
        standings(app, &bulk, &rows),
        app.store.claimed(&accepted, &bulk.service.id, &period),
        app.store.organisation_record(&bulk.commissioner)
    )?;
    let commissioner = commissioner
        .ok_or_else(|| AppError::Internal(format!("the commissioner {} has no record", bulk.commissioner)))?;
    let mut seen = HashSet::new();
    let checks: Vec<(usize, RowCheck)> = rows
        .iter()
        .map(|row| {
            let check = check_row(
                row,
                &columns,
                |code| standing.get(code).cloned().unwrap_or(Standing::Unknown),
                |code| claimed.get(code).cloned(),
                &mut seen,
            );
            (row.number, check)
        })
        .collect();
    let entered = enter_claims(app, &bulk, &commissioner, &checks).await?;
    let rows = checks.iter().map(|(number, check)| RowReport::of(*number, check, &entered)).collect();
    let service = ServiceName { id: &bulk.service.id, name: &bulk.service.name };
    let uploaded = BulkUploaded::of(service, &bulk.period, &bulk.commissioner, rows);
    tracing::info!(
        service_id = bulk.service.id,
        rows = uploaded.rows.len(),
        created = uploaded.created,
        "bulk claims entered"
    );
    json(&uploaded)
}

/// Where each practice named in the file stands: from the commissioner's
/// offers, and for any other code, whether such a practice exists at all.
async fn standings(app: &App, bulk: &BulkClaims, rows: &[SheetRow]) -> Result<HashMap<OdsCode, Standing>, AppError> {
    let mut standing: HashMap<OdsCode, Standing> = HashMap::new();
    for offer in &bulk.offers {
        let s = if bulk.accepted().any(|a| a.provider == offer.provider) {
            Standing::Accepted
        } else {
            Standing::NotAccepted
        };
        standing.insert(offer.provider.clone(), s);
    }
    let mut strangers: Vec<OdsCode> = rows
        .iter()
        .filter_map(|row| OdsCode::parse(&row.ods_code).ok())
        .filter(|code| !standing.contains_key(code))
        .collect();
    strangers.sort();
    strangers.dedup();
    if !strangers.is_empty() {
        for record in app.store.organisation_records(&strangers).await? {
            standing.insert(record.code, Standing::NotOffered);
        }
    }
    Ok(standing)
}

/// Writes a claim for every ready row, side by side: the claim id by row
/// number, or `None` where the practice was claimed meanwhile.
async fn enter_claims(
    app: &App, bulk: &BulkClaims, commissioner: &OrganisationRecord, checks: &[(usize, RowCheck)],
) -> Result<HashMap<usize, Option<u64>>, AppError> {
    let ready: Vec<(usize, &OdsCode, &Units)> = checks
        .iter()
        .filter_map(|(number, check)| match check {
            RowCheck::Ready { provider, units } => Some((*number, provider, units)),
            _ => None,
        })
        .collect();
    if ready.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = app.store.next_claim_ids(ready.len() as u64).await?;
    let now = Timestamp::now();
    let actor = bulk.account.account.user_id.as_str();
    let service = ClaimService {
        service_id: bulk.service.id.clone(),
        name: bulk.service.name.clone(),
        period: bulk.period.key(),
        period_label: bulk.period.label(),
        closes_at: None,
    };
    let names: HashMap<&OdsCode, &str> = bulk.accepted().map(|o| (&o.provider, o.provider_name.as_str())).collect();
    let claims: Vec<(usize, EnteredClaim, u64)> = ready
        .into_iter()
        .zip(ids)
        .map(|((number, provider, units), id)| {
            let mut lines = bulk.lines_for(provider);
            for line in &mut lines {
                if let Some((_, n)) = units.iter().find(|(component, _)| component == &line.component_id) {
                    line.units = Some(*n);
                }
            }
            let claim = EnteredClaim {
                provider: provider.clone(),
                provider_name: names.get(provider).map(|n| n.to_string()).unwrap_or_default(),
                commissioner: commissioner.code.clone(),
                commissioner_name: commissioner.name.clone(),
                submission: commissioner.claim_submission.unwrap_or(ClaimSubmission::SingleService),
                service: service.clone(),
                lines,
                finance_threshold: commissioner.finance_threshold.unwrap_or(DEFAULT_FINANCE_THRESHOLD),
                entered_by: actor.to_string(),
            };
            (number, claim, id)
        })
        .collect();
    let results: Vec<Result<(usize, Option<u64>), AppError>> = stream::iter(claims)
        .map(|(number, claim, id)| enter_one(app.store.clone(), number, claim, id, now))
        .buffer_unordered(WRITERS)
        .collect()
        .await;
    results.into_iter().collect()
}

/// One row's claim: its id, or `None` if the practice was claimed meanwhile.
async fn enter_one(
    store: Store, number: usize, claim: EnteredClaim, id: u64, now: Timestamp,
) -> Result<(usize, Option<u64>), AppError> {
    let written = store.enter_claim(&claim, id, now).await?;
    Ok((number, written.then_some(id)))
}
