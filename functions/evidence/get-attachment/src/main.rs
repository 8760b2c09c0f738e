//! GET /claims/{id}/lines/{lineId}/attachments/{attachmentId}: the Download
//! button — a presigned GET valid 5 minutes, only once the file has been
//! scanned and found clean; never for one still being checked or refused.
//! Only the practice's own users and the commissioner's reviewers (Tier 1,
//! Tier 2, Finance) download evidence, and every download is audited first.

use shared::access::caller::SignedIn;
use shared::access::{self, claims::ClaimViewer};
use shared::domain::claim_line::AttachmentStatus;
use shared::domain::role::Role;
use shared::edge::address::{AttachmentId, ClaimId, LineId};
use shared::edge::{json, Answered, Path};
use shared::views::claims::Transfer;
use shared::ConflictKind;
use shared::{App, AppError, Timestamp};

/// Who at a commissioner may read a claim's evidence.
const REVIEWERS: [Role; 3] = [Role::ApproverTier1, Role::ApproverTier2, Role::Finance];

shared::serve_http!(GET "/claims/{id}/lines/{lineId}/attachments/{attachmentId}" => download, refusing 409);

async fn download(
    app: &App, who: SignedIn, Path((id, line_id, attachment_id)): Path<(ClaimId, LineId, AttachmentId)>,
) -> Answered<Transfer<'static>> {
    let (account, document, viewer) = access::claims::open(app, &who, id).await?;
    let claim = &document.claim;
    let downloading_for = match viewer {
        ClaimViewer::Provider => &claim.provider,
        ClaimViewer::Commissioner => {
            let caller = account.caller();
            if !REVIEWERS.iter().any(|role| caller.holds(*role, &claim.commissioner)) {
                return Err(AppError::Forbidden(
                    "Only the commissioner's reviewers (Tier 1, Tier 2 and Finance) can download a claim's evidence"
                        .into(),
                ));
            }
            &claim.commissioner
        }
    };
    let (line_id, attachment_id) = (line_id, attachment_id);
    let file = document
        .files_of(&line_id)
        .find(|f| f.id == attachment_id)
        .ok_or_else(|| AppError::NotFound("This claim line has no such file".into()))?;
    match file.status {
        AttachmentStatus::Clean => {}
        AttachmentStatus::Refused => {
            return Err(AppError::conflict(
                ConflictKind::FileRefused,
                format!(
                    "{} was refused ({}) and cannot be downloaded",
                    file.file_name,
                    file.refusal.as_deref().unwrap_or("it did not pass the checks")
                ),
            ))
        }
        AttachmentStatus::AwaitingUpload | AttachmentStatus::Scanning => {
            return Err(AppError::conflict(
                ConflictKind::FileNotChecked,
                format!("{} is still being checked for malware: try again in a minute", file.file_name),
            ))
        }
    }
    let checked = file.scanned_version.as_deref().ok_or_else(|| {
        AppError::conflict(
            ConflictKind::FileNotChecked,
            format!("{} is still being checked for malware", file.file_name),
        )
    })?;
    app.store.record_download(file, &account.account.user_id, downloading_for, Timestamp::now()).await?;
    let presigned = app.evidence().presign_download(&file.object_key, checked, &file.file_name).await?;
    json(&Transfer::download(&presigned))
}
