//! DELETE /claims/{id}/lines/{lineId}/attachments/{attachmentId}: the Delete
//! button beside a file, while the claim can be changed; the object goes too.

use shared::access;
use shared::access::caller::SignedIn;
use shared::edge::address::{AttachmentId, ClaimId, LineId};
use shared::edge::{json, Answered, Path};
use shared::views::claims::Deleted;
use shared::{App, AppError};

shared::serve_http!(DELETE "/claims/{id}/lines/{lineId}/attachments/{attachmentId}" => delete);

async fn delete(
    app: &App, who: SignedIn, Path((id, line_id, attachment_id)): Path<(ClaimId, LineId, AttachmentId)>,
) -> Answered<Deleted<String>> {
    let (_, document) = access::claims::open_to_edit(app, &who, id).await?;
    let (line_id, attachment_id) = (line_id, attachment_id);
    let file = document
        .files_of(&line_id)
        .find(|f| f.id == attachment_id)
        .ok_or_else(|| AppError::NotFound("This claim line has no such file".into()))?;
    app.store.remove_file(&document.claim, file, shared::Timestamp::now()).await?;
    app.evidence().delete(std::slice::from_ref(&file.object_key)).await?;
    json(&Deleted { id: &file.id, deleted: true, version: Some(document.claim.version + 1) })
}
