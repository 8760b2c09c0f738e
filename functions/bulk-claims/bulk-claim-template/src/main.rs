//! GET /services/{id}/bulk-claims?period=: the bulk claim template for a
//! commissioner's Tier 1 — a CSV with a row per practice that accepted the
//! service and has not claimed the period, and a column per component that
//! takes units, ready to fill in and upload.

use shared::access::bulk_claims;
use shared::access::bulk_claims::BulkClaimAddress;
use shared::access::caller::SignedIn;
use shared::domain::bulk_claim::template_csv;
use shared::domain::ods::OdsCode;
use shared::edge::address::ServiceId;
use shared::edge::Csv;
use shared::edge::{csv_file, Answered, Path, Query};
use shared::App;

shared::serve_http!(GET "/services/{id}/bulk-claims" => template);

async fn template(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, address: Query<BulkClaimAddress>,
) -> Answered<Csv> {
    let bulk = bulk_claims::open(app, &who, &id, &address.read()?).await?;
    let accepted: Vec<OdsCode> = bulk.accepted().map(|o| o.provider.clone()).collect();
    let claimed = app.store.claimed(&accepted, &bulk.service.id, &bulk.period.key()).await?;
    let mut practices: Vec<(OdsCode, String)> = bulk
        .accepted()
        .filter(|o| !claimed.contains_key(&o.provider))
        .map(|o| (o.provider.clone(), o.provider_name.clone()))
        .collect();
    practices.sort();
    let sheet = template_csv(&bulk.columns(), &practices)?;
    csv_file(&format!("bulk-claims-{}-{}.csv", bulk.service.name, bulk.period.key()), sheet)
}
