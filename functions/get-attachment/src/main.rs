//! GET /claims/{id}/lines/{lineId}/attachments/{attachmentId}: the Download
//! button — a presigned GET valid 5 minutes, only once the file has been
//! scanned and found clean; never for one still being checked or refused.

use lambda_http::Request;
use serde_json::json;
use shared::access;
use shared::domain::claim_line::AttachmentStatus;
use shared::edge::{json, path_param, HttpResult};
use shared::files::url_expiry;
use shared::{App, AppError};

shared::serve_http!(download; path: ["id", "lineId", "attachmentId"], query: [], body: );

async fn download(app: &App, request: Request) -> HttpResult {
    let (_, document, _) = access::claims::open(app, &request, &path_param(&request, "id")?).await?;
    let (line_id, attachment_id) = (path_param(&request, "lineId")?, path_param(&request, "attachmentId")?);
    let file = document
        .files_of(&line_id)
        .find(|f| f.id == attachment_id)
        .ok_or_else(|| AppError::NotFound("This claim line has no such file".into()))?;
    match file.status {
        AttachmentStatus::Clean => {}
        AttachmentStatus::Refused => {
            return Err(AppError::conflict(
                "file-refused",
                format!(
                    "{} was refused ({}) and cannot be downloaded",
                    file.file_name,
                    file.refusal.as_deref().unwrap_or("it did not pass the checks")
                ),
            ))
        }
        AttachmentStatus::AwaitingUpload | AttachmentStatus::Scanning => {
            return Err(AppError::conflict(
                "file-not-checked",
                format!("{} is still being checked for malware: try again in a minute", file.file_name),
            ))
        }
    }
    let presigned = app.evidence().presign_download(&file.object_key, &file.file_name).await?;
    json(200, &json!({ "url": presigned.url, "method": "GET", "expiresAt": url_expiry() }))
}
