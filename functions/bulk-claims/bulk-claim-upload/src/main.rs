//! POST /services/{id}/bulk-claims?period=: a commissioner's Tier 1 uploads
//! the filled template (CSV). Every row is judged on its own — an unknown or
//! foreign practice, units that are not a whole number or over the maximum, a
//! practice already claimed or named twice — and answered in a per-row
//! report. Each good row becomes a claim entered by the commissioner straight
//! into Pending Tier 2 Review, with its claim marker, so the same file sent
//! again (or twice at once) creates nothing more. Sent again with its
//! `Idempotency-Key` (its answer lost, or its function ended partway), it is
//! answered as the first was: the claims that request entered are reported as
//! entered, and any rows it had not reached yet are entered now.

use futures::stream::{self, StreamExt};
use shared::access::bulk_claims::BulkClaimAddress;
use shared::access::bulk_claims::{self, BulkClaims};
use shared::access::caller::SignedIn;
use shared::domain::bulk_claim::{check_row, read_sheet, RowCheck, SheetRow, Standing, MAX_BYTES};
use shared::domain::ods::OdsCode;
use shared::domain::organisation::ClaimSubmission;
use shared::domain::review::DEFAULT_FINANCE_THRESHOLD;
use shared::edge::address::ServiceId;
use shared::edge::crash::crash_point;
use shared::edge::{json, Answered, CsvFile, IdempotencyKey, Path, Query};
use shared::store::bulk_claims::EnteredClaim;
use shared::store::claims::ClaimService;
use shared::store::records::OrganisationRecord;
use shared::store::requests::Keyed;
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
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, address: Query<BulkClaimAddress>, key: IdempotencyKey,
    sheet: CsvFile<MAX_BYTES>,
) -> Answered<BulkUploaded<'static>> {
    let key = key.key()?;
    let bulk = bulk_claims::open(app, &who, &id, &address.read()?).await?;
    let text = sheet.read()?;
    let route = format!("POST /services/{}/bulk-claims?period={}", bulk.service.id, bulk.period.key());
    let keyed = Keyed::new(&bulk.account.account.user_id, key, &route, &sheet.fingerprint());
    app.store.hold_request(&keyed, Timestamp::now()).await?;
    let ours = keyed.sent_as();
    let columns = bulk.columns();
    let rows = read_sheet(&text, &columns).map_err(|detail| AppError::invalid_field("file", detail))?;
    let accepted: Vec<OdsCode> = bulk.accepted().map(|o| o.provider.clone()).collect();
    let period = bulk.period.key();
    let (standing, claimed, commissioner) = tokio::try_join!(
        standings(app, &bulk, &rows),
        app.store.claimed_with(&accepted, &bulk.service.id, &period),
        app.store.organisation_record(&bulk.commissioner)
    )?;
    let commissioner = commissioner
        .ok_or_else(|| AppError::Internal(format!("the commissioner {} has no record", bulk.commissioner)))?;
    // Claims this very request entered before: its own, not "already claimed".
    let (earlier, claimed): (HashMap<_, _>, HashMap<_, _>) =
        claimed.into_iter().partition(|(_, marker)| ours.is_some() && marker.entered_with == ours);
    let earlier: HashMap<OdsCode, u64> =
        earlier.into_iter().filter_map(|(code, marker)| Some((code, marker.claim_id.parse().ok()?))).collect();
    let mut seen = HashSet::new();
    let checks: Vec<(usize, RowCheck)> = rows
        .iter()
        .map(|row| {
            let check = check_row(
                row,
                &columns,
                |code| standing.get(code).cloned().unwrap_or(Standing::Unknown),
                |code| claimed.get(code).map(|marker| marker.claim_id.clone()),
                &mut seen,
            );
            (row.number, check)
        })
        .collect();
    let entered = enter_claims(app, &bulk, &commissioner, &checks, &earlier, ours).await?;
    crash_point("after-claims-entered");
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
/// number, or `None` where the practice was claimed meanwhile. A row whose
/// claim this request entered before (`earlier`) is reported with it again.
async fn enter_claims(
    app: &App, bulk: &BulkClaims, commissioner: &OrganisationRecord, checks: &[(usize, RowCheck)],
    earlier: &HashMap<OdsCode, u64>, entered_with: Option<String>,
) -> Result<HashMap<usize, Option<u64>>, AppError> {
    let mut entered = HashMap::new();
    let mut ready: Vec<(usize, &OdsCode, &Units)> = Vec::new();
    for (number, check) in checks {
        if let RowCheck::Ready { provider, units } = check {
            match earlier.get(provider) {
                Some(id) => _ = entered.insert(*number, Some(*id)),
                None => ready.push((*number, provider, units)),
            }
        }
    }
    if ready.is_empty() {
        return Ok(entered);
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
                entered_with: entered_with.clone(),
            };
            (number, claim, id)
        })
        .collect();
    let results: Vec<Result<(usize, Option<u64>), AppError>> = stream::iter(claims)
        .map(|(number, claim, id)| enter_one(app.store.clone(), number, claim, id, now))
        .buffer_unordered(WRITERS)
        .collect()
        .await;
    for result in results {
        let (number, id) = result?;
        entered.insert(number, id);
    }
    Ok(entered)
}

/// One row's claim: its id, or `None` if the practice was claimed meanwhile.
async fn enter_one(
    store: Store, number: usize, claim: EnteredClaim, id: u64, now: Timestamp,
) -> Result<(usize, Option<u64>), AppError> {
    let written = store.enter_claim(&claim, id, now).await?;
    Ok((number, written.then_some(id)))
}
