//! Evidence upload events (S3 → SQS → here): each uploaded object goes
//! through every check, in order, on the stored bytes (nothing the browser
//! said is trusted): it belongs to an attachment (else it is removed), its
//! size within the rule and as declared, its form (type from the bytes and
//! matching its name, no programs, macros or PDF scripts), the malware
//! engine's verdict, and no NHS numbers in its text. Clean, or refused and
//! moved to quarantine with the reason; then the claim moves on or goes back
//! to the practice. Records are read as AWS sends them and as the local
//! emulator does (no `userIdentity`; URL-encoded keys).
//!
//! Each upload is an S3 version. While its claim can be edited, a new upload
//! at a file's key (a replacement) makes the file unchecked again until its
//! own check is done, and downloads go on serving the version last found
//! clean. Once the claim is submitted its evidence never changes silently: an
//! upload that is not the one submitted (a presigned PUT used again) is
//! removed, the version submitted is the object again, and the trail says so.

use aws_lambda_events::sqs::SqsMessage;
use serde::Deserialize;
use shared::domain::component::EvidenceRequirement;
use shared::domain::evidence_content::{check_form, check_patient_data, ContentRefusal};
use shared::files::{parse_object_key, StoredObject, Verdict};
use shared::store::claims::{ClaimDocument, FileRecord, ScanOutcome};
use shared::workflow::evidence_checked;
use shared::{App, AppError, Timestamp};

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

shared::serve_queue!(check_uploads, Notification);

async fn check_uploads(app: &App, message: SqsMessage) -> Result<(), AppError> {
    let body = message.body.as_deref().unwrap_or_default();
    // The test event S3 sends when notifications are set up has no records.
    let notification: Notification =
        serde_json::from_str(body).map_err(|e| AppError::Malformed(format!("unreadable upload event: {e}")))?;
    for record in notification.records.iter().filter(|r| r.event_name.starts_with("ObjectCreated")) {
        // Boxed: the whole check inline is deeper than the compiler lays out.
        Box::pin(check_upload(app, &decode_key(&record.s3.object.key))).await?;
    }
    log_peak_memory();
    Ok(())
}

/// One uploaded object through every check, then its claim.
async fn check_upload(app: &App, key: &str) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    let document = match parse_object_key(key) {
        Some((claim_id, _, _)) => app.store.claim(claim_id).await?,
        None => None,
    };
    let file = document.as_ref().and_then(|d| d.files.iter().find(|f| f.object_key == key));
    let (Some(document), Some(file)) = (document.as_ref(), file) else {
        tracing::warn!(key = %key, "an object that is no attachment's: removed");
        return app.evidence().delete(&[key.to_string()]).await;
    };
    let Some(object) = submitted_upload(app, document, file, key).await? else {
        // Deleted with its attachment, or quarantined by an earlier delivery.
        return settled(app, file.claim_id).await;
    };
    if file.scanned_version.as_deref() == Some(object.version.as_str()) {
        return settled(app, file.claim_id).await; // a redelivery
    }
    if !app.store.begin_check(file, &object.version).await? {
        return settled(app, file.claim_id).await; // decided by a redelivery meanwhile, or deleted
    }
    let rule = document
        .line(&file.line_id)
        .and_then(|line| line.evidence.clone())
        .unwrap_or_else(EvidenceRequirement::accepting_nothing);
    let outcome = match examine(app, file, &rule, &object).await {
        Ok(Ok(())) => ScanOutcome::Clean,
        Ok(Err(refusal)) => {
            let quarantined_as = app.evidence().quarantine(key, &object).await?;
            ScanOutcome::Refused { reason: refusal.reason(), quarantined_as }
        }
        // The file stays `scanning` (a submitted claim waits) and the event is retried.
        Err(engine_down) => return Err(engine_down),
    };
    app.store.record_scan(file, &object.version, &outcome, Timestamp::now()).await?;
    let (bytes, checked_ms) = (object.bytes.len(), started.elapsed().as_millis() as u64);
    match &outcome {
        ScanOutcome::Clean => tracing::info!(attachment_id = %file.id, bytes, checked_ms, "evidence clean"),
        ScanOutcome::Refused { reason, .. } => {
            tracing::warn!(attachment_id = %file.id, bytes, checked_ms, reason = %reason, "evidence refused and quarantined")
        }
    }
    settled(app, file.claim_id).await
}

/// The upload to check: the object at `key`, unless the claim has been
/// submitted and this is not the upload it was submitted with — then that
/// upload is removed (and audited) and the one before it read, at most a few times.
async fn submitted_upload(
    app: &App, document: &ClaimDocument, file: &FileRecord, key: &str,
) -> Result<Option<StoredObject>, AppError> {
    const REMOVALS: usize = 3;
    for _ in 0..REMOVALS {
        let Some(object) = app.evidence().read(key).await? else { return Ok(None) };
        let pinned = file.pinned_version();
        if document.claim.status.is_editable() || pinned.is_none() || pinned == Some(object.version.as_str()) {
            return Ok(Some(object));
        }
        app.evidence().remove_version(key, &object.version).await?;
        app.store.record_replacement_removed(&document.claim, file, &object.version, Timestamp::now()).await?;
        tracing::warn!(claim_id = file.claim_id, attachment_id = %file.id, "an upload after submission was removed");
    }
    Err(AppError::Dependency("uploads kept arriving after the claim was submitted; retried later".into()))
}

async fn settled(app: &App, claim_id: u64) -> Result<(), AppError> {
    evidence_checked::settle(app, claim_id).await.map(|_| ())
}

/// The checks in order. Every object within size goes to the malware engine,
/// even one its form already refuses, so a finding is never hidden behind a
/// lesser reason. An engine that cannot answer is an error (retried), never a pass.
async fn examine(
    app: &App, file: &FileRecord, rule: &EvidenceRequirement, object: &StoredObject,
) -> Result<Result<(), ContentRefusal>, AppError> {
    let size = object.bytes.len() as u64;
    if size > rule.max_bytes {
        return Ok(Err(ContentRefusal::TooBig { max_bytes: rule.max_bytes }));
    }
    if size != file.size || !object.content_type.eq_ignore_ascii_case(&file.content_type) {
        return Ok(Err(ContentRefusal::NotAsDescribed));
    }
    let clock = std::time::Instant::now();
    let form = check_form(&object.bytes, &file.file_name, rule);
    let form_ms = clock.elapsed().as_millis() as u64;
    let verdict = app.malware_scanner()?.scan(&object.bytes).await?;
    let engine_ms = clock.elapsed().as_millis() as u64 - form_ms;
    if let Verdict::Infected(found) = verdict {
        return Ok(Err(ContentRefusal::Malware { found }));
    }
    let checked = form.and_then(|sniffed| check_patient_data(&object.bytes, &sniffed));
    let text_ms = clock.elapsed().as_millis() as u64 - form_ms - engine_ms;
    tracing::info!(attachment_id = %file.id, form_ms, engine_ms, text_ms, "checks timed");
    Ok(checked)
}

/// The process's peak memory, so the benchmark can show a 20 MB file fits.
fn log_peak_memory() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    if let Some(kb) = peak_kb {
        tracing::info!(peak_memory_mb = kb / 1024, "memory");
    }
}

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
        let aws = include_str!("../../../../events/scan-evidence-aws-record.json");
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
