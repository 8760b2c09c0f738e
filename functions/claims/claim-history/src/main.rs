//! GET /claims/{id}/history: how a claim got where it is — its status and
//! version now, and each move (when, by whom by name, from what to what, why,
//! and a return's notes on lines). Whoever may see the claim may see this. The
//! claim summary watches it while the evidence check runs: it reads the claim
//! and the people it names, not the services and components the screen needs.

use shared::access;
use shared::access::caller::SignedIn;
use shared::edge::address::ClaimId;
use shared::edge::{json, Answered, Path};
use shared::views::claims::{people_in, ClaimHistory};
use shared::App;

shared::serve_http!(GET "/claims/{id}/history" => history);

async fn history(app: &App, who: SignedIn, Path(id): Path<ClaimId>) -> Answered<ClaimHistory<'static>> {
    let (_, document, _) = access::claims::open(app, &who, id).await?;
    let claim = &document.claim;
    let accounts = app.store.accounts(&people_in(&claim.history)).await?;
    json(&ClaimHistory::of(claim, &accounts))
}
