//! DELETE /claims/{id}/lines/{lineId}: takes one component out of the claim,
//! with its evidence.

use lambda_http::Request;
use shared::access;
use shared::edge::{json, path_param, HttpResult};
use shared::views::claims::claim_summary_json;
use shared::{App, AppError};

shared::serve_http!(remove; path: ["id", "lineId"], query: [], body: );

async fn remove(app: &App, request: Request) -> HttpResult {
    let (_, mut document) = access::claims::open_to_edit(app, &request, &path_param(&request, "id")?).await?;
    let line_id = path_param(&request, "lineId")?;
    if document.line(&line_id).is_none() {
        return Err(AppError::NotFound("This claim has no such line".into()));
    }
    let ids = [line_id];
    app.store.remove_lines(&document, &ids, shared::Timestamp::now()).await?;
    let objects: Vec<String> = document.files_of(&ids[0]).map(|f| f.object_key.clone()).collect();
    app.evidence().delete(&objects).await?;
    document.forget_lines(&ids);
    json(200, &claim_summary_json(&document))
}
