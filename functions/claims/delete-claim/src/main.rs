//! DELETE /claims/{id}: the Delete button — a draft goes as if it had never
//! been started: its lines and evidence too. Its id is never given again, and
//! the audit trail keeps that it existed.

use shared::access;
use shared::access::caller::SignedIn;
use shared::edge::address::ClaimId;
use shared::edge::{json, Answered, Path};
use shared::views::claims::Deleted;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(DELETE "/claims/{id}" => delete);

async fn delete(app: &App, who: SignedIn, Path(id): Path<ClaimId>) -> Answered<Deleted<u64>> {
    let (account, document) = access::claims::open_own(app, &who, id).await?;
    document.claim.status.delete().map_err(|refused| AppError::conflict(ConflictKind::ClaimNotDraft, refused.0))?;
    app.store.delete_claim(&document, &account.account.user_id, shared::Timestamp::now()).await?;
    let objects: Vec<String> = document.files.iter().map(|f| f.object_key.clone()).collect();
    app.evidence().delete(&objects).await?;
    tracing::info!(claim_id = document.claim.id, "draft claim deleted");
    json(&Deleted { id: document.claim.id, deleted: true, version: None })
}
