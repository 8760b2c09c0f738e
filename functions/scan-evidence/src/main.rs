//! Evidence upload events (S3 → SQS → here): each uploaded object is matched
//! to its attachment and checked against what the practice said it would send
//! (the emulator enforces no presigned limits, and nothing from the browser is
//! trusted): the same size and content type move it to scanning, anything else
//! is refused. An object that is no attachment's is removed. Records are read
//! as AWS sends them and as the local emulator does (no `userIdentity`;
//! URL-encoded keys).

use aws_lambda_events::sqs::SqsMessage;
use serde::Deserialize;
use shared::files::parse_object_key;
use shared::{App, AppError};

#[derive(Deserialize)]
struct Notification {
    #[serde(rename = "Records", default)]
    records: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "eventName", default)]
    event_name: String,
    s3: S3Entity,
}

#[derive(Deserialize)]
struct S3Entity {
    object: S3Object,
}

#[derive(Deserialize)]
struct S3Object {
    key: String,
}

shared::serve_queue!(record_upload, Notification);

async fn record_upload(app: &App, message: SqsMessage) -> Result<(), AppError> {
    let body = message.body.as_deref().unwrap_or_default();
    // The test event S3 sends when notifications are set up has no records.
    let notification: Notification =
        serde_json::from_str(body).map_err(|e| AppError::Malformed(format!("unreadable upload event: {e}")))?;
    for record in notification.records.iter().filter(|r| r.event_name.starts_with("ObjectCreated")) {
        let key = decode_key(&record.s3.object.key);
        let file = match parse_object_key(&key) {
            Some((claim, line, attachment)) => app.store.file(claim, &line, &attachment).await?,
            None => None,
        };
        let Some(file) = file else {
            tracing::warn!(key = %key, "an object that is no attachment's: removed");
            app.evidence().delete(&[key]).await?;
            continue;
        };
        let Some((size, content_type)) = app.evidence().describe(&key).await? else {
            continue; // deleted since it arrived
        };
        if size == file.size && content_type.eq_ignore_ascii_case(&file.content_type) {
            app.store.file_uploaded(&file).await?;
            tracing::info!(attachment_id = %file.id, "evidence uploaded; scanning");
        } else {
            app.store.file_refused(&file, NOT_AS_DESCRIBED).await?;
            tracing::warn!(attachment_id = %file.id, "evidence not as described; refused");
        }
    }
    Ok(())
}

const NOT_AS_DESCRIBED: &str =
    "the file that arrived is not the one described when it was attached (its size or type differ)";

/// S3 event keys are URL-encoded, with `+` for a space.
fn decode_key(raw: &str) -> String {
    percent_encoding::percent_decode_str(&raw.replace('+', " ")).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_arrive_url_encoded() {
        assert_eq!(decode_key("evidence/claims/1/lines/a/b%2Bc+d"), "evidence/claims/1/lines/a/b+c d");
    }

    #[test]
    fn reads_what_aws_sends_and_what_the_emulator_sends() {
        let aws = include_str!("../../../events/scan-evidence-aws-record.json");
        let emulator = r#"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-2",
            "eventTime":"2026-11-27T10:00:00.000Z","eventName":"ObjectCreated:Put",
            "s3":{"s3SchemaVersion":"1.0","configurationId":"x","bucket":{"name":"b","arn":"arn:aws:s3:::b"},
            "object":{"key":"evidence/claims/35929/lines/l/f","size":10,"eTag":"e","versionId":"v"}}}]}"#;
        for body in [aws, emulator] {
            let notification: Notification = serde_json::from_str(body).unwrap();
            assert_eq!(notification.records.len(), 1);
            assert!(parse_object_key(&decode_key(&notification.records[0].s3.object.key)).is_some());
        }
        let test_event: Notification =
            serde_json::from_str(r#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}"#).unwrap();
        assert!(test_event.records.is_empty());
    }
}
