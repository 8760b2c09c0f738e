//! PATCH /claims/{id}/lines/{lineId}: units and answers on one line, with the
//! claim's version in `If-Match` (a stale version is refused and nothing is
//! lost). Units are whole numbers up to the component's maximum; answers are
//! checked by question type, and free text holding an NHS number is refused.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::claim_line::LineEdit;
use shared::edge::address::{ClaimId, LineId};
use shared::edge::{json, Answered, IfMatch, Json, Path};
use shared::views::claims::{ClaimPane, LineEdited, LineView};
use shared::{App, AppError};

shared::serve_http!(PATCH "/claims/{id}/lines/{lineId}" => edit);

async fn edit(
    app: &App, who: SignedIn, Path((id, line_id)): Path<(ClaimId, LineId)>, if_match: IfMatch, form: Json<LineEdit>,
) -> Answered<LineEdited<'static>> {
    let (_, mut document) = access::claims::open_to_edit(app, &who, id).await?;
    let if_match = if_match.value.as_deref();
    access::claims::check_version(if_match, &document)?;
    let form = form.read()?;
    let line = document
        .lines
        .iter_mut()
        .find(|l| l.id == line_id)
        .ok_or_else(|| AppError::NotFound("This claim has no such line".into()))?;
    line.edit(&form)?;
    let edited = line.clone();
    app.store.save_line(&document.claim, &edited, shared::Timestamp::now()).await?;
    document.claim.version += 1;
    let files: Vec<_> = document.files_of(&edited.id).collect();
    json(&LineEdited {
        id: document.claim.id,
        version: document.claim.version,
        line: LineView::of(&edited, &files),
        claim_pane: ClaimPane::of(&document),
    })
}
