//! DELETE /claims/{id}/lines/{lineId}: takes one component out of the claim,
//! with its evidence.

use shared::access;
use shared::access::caller::SignedIn;
use shared::edge::address::{ClaimId, LineId};
use shared::edge::{json, Answered, Path};
use shared::views::claims::ClaimSummary;
use shared::{App, AppError};

shared::serve_http!(DELETE "/claims/{id}/lines/{lineId}" => remove);

async fn remove(
    app: &App, who: SignedIn, Path((id, line_id)): Path<(ClaimId, LineId)>,
) -> Answered<ClaimSummary<'static>> {
    let (_, mut document) = access::claims::open_to_edit(app, &who, id).await?;
    if document.line(&line_id).is_none() {
        return Err(AppError::NotFound("This claim has no such line".into()));
    }
    let ids = [line_id.0];
    app.store.remove_lines(&document, &ids, shared::Timestamp::now()).await?;
    let objects: Vec<String> = document.files_of(&ids[0]).map(|f| f.object_key.clone()).collect();
    app.evidence().delete(&objects).await?;
    document.forget_lines(&ids);
    json(&ClaimSummary::of(&document))
}
