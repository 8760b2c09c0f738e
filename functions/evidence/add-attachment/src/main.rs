//! POST /claims/{id}/lines/{lineId}/attachments: Add Attachment. The file is
//! checked against the line's evidence rule (accepted type by extension and
//! content type, size, no NHS number in its name) before anything is made;
//! then the practice gets a presigned PUT, valid 5 minutes, for exactly that
//! type and size, to a key under this claim line only. The attachment waits
//! for its upload; the upload event moves it to scanning. The same request
//! sent again with its `Idempotency-Key` offers the same attachment again.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::claim_line::EvidenceUpload;
use shared::edge::address::{ClaimId, LineId};
use shared::edge::{json, Answered, IdempotencyKey, Json, Path};
use shared::store::requests::{made_is_gone, Keyed};
use shared::views::claims::{FileView, Transfer, UploadOffered};
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/claims/{id}/lines/{lineId}/attachments" => add_attachment);

async fn add_attachment(
    app: &App, who: SignedIn, Path((id, line_id)): Path<(ClaimId, LineId)>, key: IdempotencyKey,
    form: Json<EvidenceUpload>,
) -> Answered<UploadOffered<'static>, 201> {
    let key = key.key()?;
    let (account, document) = access::claims::open_to_edit(app, &who, id).await?;
    let route = format!("POST /claims/{}/lines/{line_id}/attachments", document.claim.id);
    let keyed = Keyed::new(&account.account.user_id, key, &route, &form.fingerprint());
    let line = document.line(&line_id).ok_or_else(|| AppError::NotFound("This claim has no such line".into()))?;
    let rule = line.evidence.as_ref().ok_or_else(|| {
        AppError::conflict(
            ConflictKind::NoEvidenceAsked,
            format!("{} does not ask for evidence: there is nothing to attach", line.name),
        )
    })?;
    let upload: EvidenceUpload = form.read()?;
    upload.check(rule)?;
    let now = shared::Timestamp::now();
    let (claim_id, version_now, line) = (document.claim.id, document.claim.version, &line_id);
    let (file, version) = app
        .store
        .create_once(
            &keyed,
            || async {
                let file = app.store.add_file(&document.claim, line, &upload, &keyed, now).await?;
                Ok((file, version_now + 1))
            },
            |made| async move {
                let file = app.store.file(claim_id, line, &made).await?;
                let file = file.ok_or_else(|| made_is_gone("attachment"))?;
                Ok((file, version_now))
            },
        )
        .await?;
    let presigned = app.evidence().presign_upload(&file.object_key, &file.content_type, file.size).await?;
    tracing::info!(claim_id = document.claim.id, attachment_id = %file.id, "evidence upload offered");
    json(&UploadOffered { attachment: FileView::of(&file), upload: Transfer::upload(&presigned), version })
}
