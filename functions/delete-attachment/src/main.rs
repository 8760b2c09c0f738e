//! DELETE /claims/{id}/lines/{lineId}/attachments/{attachmentId}: the Delete
//! button beside a file, while the claim can be changed; the object goes too.

use lambda_http::Request;
use serde_json::json;
use shared::access;
use shared::edge::{json, path_param, HttpResult};
use shared::{App, AppError};

shared::serve_http!(delete; path: ["id", "lineId", "attachmentId"], query: [], body: );

async fn delete(app: &App, request: Request) -> HttpResult {
    let (_, document) = access::claims::open_to_edit(app, &request, &path_param(&request, "id")?).await?;
    let (line_id, attachment_id) = (path_param(&request, "lineId")?, path_param(&request, "attachmentId")?);
    let file = document
        .files_of(&line_id)
        .find(|f| f.id == attachment_id)
        .ok_or_else(|| AppError::NotFound("This claim line has no such file".into()))?;
    app.store.remove_file(&document.claim, file, shared::Timestamp::now()).await?;
    app.evidence().delete(std::slice::from_ref(&file.object_key)).await?;
    json(200, &json!({ "id": file.id, "deleted": true, "version": document.claim.version + 1 }))
}
