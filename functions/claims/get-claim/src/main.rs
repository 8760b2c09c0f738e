//! GET /claims/{id}: the claim screen — the Claim ID, the Services pane (each
//! claimable service with its component count and a tick when it is in the
//! claim), the Components pane (the components of the services added) and the
//! Claim pane (the lines with units, prices, values, retainers, evidence and
//! questions, and the totals), with the claim's version and history (who did
//! each step, by name). For a reviewer, also the decisions open to them now.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::review::{verdicts_open_to, Stage};
use shared::edge::address::ClaimId;
use shared::edge::{json, Answered, Path};
use shared::views::claims::{people_in, ClaimScreen, DecisionOpen, OpenedClaim};
use shared::App;

shared::serve_http!(GET "/claims/{id}" => get);

async fn get(app: &App, who: SignedIn, Path(id): Path<ClaimId>) -> Answered<OpenedClaim<'static>> {
    let (account, document, _) = access::claims::open(app, &who, id).await?;
    let claim = &document.claim;
    let services = claim.claimable.iter().map(|c| c.service_id.clone());
    let people = people_in(&claim.history);
    let (components, accounts) =
        tokio::try_join!(access::claims::components_of(&app.store, services), app.store.accounts(&people))?;
    let caller = account.caller();
    let waiting = Stage::waiting_at(claim.status).filter(|stage| {
        let deciding_for = if stage.decided_by_provider() { &claim.provider } else { &claim.commissioner };
        caller.holds(stage.role(), deciding_for)
    });
    let decide = waiting.map(|stage| DecisionOpen {
        stage: stage.code(),
        stage_label: stage.label(),
        verdicts: verdicts_open_to(&caller.user_id, stage, &claim.history),
    });
    json(&OpenedClaim { screen: ClaimScreen::of(&document, &components).named(&accounts), decide })
}
