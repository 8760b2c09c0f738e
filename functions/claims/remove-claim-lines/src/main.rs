//! DELETE /claims/{id}/lines: Remove All — takes every component out of the
//! claim (and its evidence); the services stay ticked.

use shared::access;
use shared::access::caller::SignedIn;
use shared::edge::address::ClaimId;
use shared::edge::{json, Answered, Path};
use shared::views::claims::ClaimSummary;
use shared::App;

shared::serve_http!(DELETE "/claims/{id}/lines" => remove_all);

async fn remove_all(app: &App, who: SignedIn, Path(id): Path<ClaimId>) -> Answered<ClaimSummary<'static>> {
    let (_, mut document) = access::claims::open_to_edit(app, &who, id).await?;
    let ids: Vec<String> = document.lines.iter().map(|l| l.id.clone()).collect();
    if !ids.is_empty() {
        app.store.remove_lines(&document, &ids, shared::Timestamp::now()).await?;
        let objects: Vec<String> = document.files.iter().map(|f| f.object_key.clone()).collect();
        app.evidence().delete(&objects).await?;
        document.forget_lines(&ids);
    }
    json(&ClaimSummary::of(&document))
}
