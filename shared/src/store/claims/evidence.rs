//! Evidence files on a claim's lines: added as uploads arrive, checked for
//! malware and type, downloaded and removed, each change audited.

use super::*;

impl Store {
    /// A transaction step that holds only while the file is still being checked.
    pub(super) fn still_scanning(&self, file: &FileRecord) -> Result<TransactWriteItem, AppError> {
        let check = ConditionCheck::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .condition_expression("#status = :scanning")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":scanning", Self::to_attribute(&AttachmentStatus::Scanning)?)
            .build()
            .map_err(|e| AppError::Internal(format!("building condition check: {e}")))?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    /// A transaction step for a file whose upload the submit found before its
    /// check began: it is being checked from now, with that upload pinned.
    pub(super) fn submitted_while_arriving(
        &self, file: &FileRecord, version: &str,
    ) -> Result<TransactWriteItem, AppError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .update_expression("SET #status = :scanning, checkingVersion = :version")
            .condition_expression("#status = :awaiting")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":scanning", Self::to_attribute(&AttachmentStatus::Scanning)?)
            .expression_attribute_values(":awaiting", Self::to_attribute(&AttachmentStatus::AwaitingUpload)?)
            .expression_attribute_values(":version", s(version))
            .build()
            .map_err(|e| AppError::Internal(format!("building a file's update: {e}")))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Records a file about to be uploaded to a line (awaiting its upload).
    pub async fn add_file(
        &self, claim: &ClaimRecord, line_id: &str, upload: &crate::domain::claim_line::EvidenceUpload,
        keyed: &Keyed<'_>, now: Timestamp,
    ) -> Result<FileRecord, AppError> {
        let actor = keyed.sender.user_id;
        let id = uuid::Uuid::now_v7().to_string();
        let file = FileRecord {
            pk: keys::claim(claim.id),
            sk: keys::claim_file(line_id, &id),
            claim_id: claim.id,
            line_id: line_id.to_string(),
            object_key: crate::files::object_key(claim.id, line_id, &id),
            id,
            file_name: upload.file_name.trim().to_string(),
            content_type: upload.content_type.trim().to_ascii_lowercase(),
            size: upload.size,
            status: AttachmentStatus::AwaitingUpload,
            refusal: None,
            created_at: now,
            created_by: actor.to_string(),
            scanned_version: None,
            checking_version: None,
            scanned_at: None,
            quarantined_as: None,
        };
        let mut items = vec![
            Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?,
            self.put(&file, true)?,
        ];
        items.extend(self.keyed_marker(Some(keyed), &file.id, now)?);
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))?;
        Ok(file)
    }

    /// One evidence file.
    pub async fn file(
        &self, claim_id: u64, line_id: &str, attachment_id: &str,
    ) -> Result<Option<FileRecord>, AppError> {
        self.get(keys::claim(claim_id), keys::claim_file(line_id, attachment_id)).await
    }

    /// An upload (S3 version) starts being checked: the file is `scanning`
    /// — not downloadable, and a claim submitted now waits in Pending System
    /// Review — until its decision is recorded. False if the file is gone or
    /// this upload was decided on already (a redelivered event).
    pub async fn begin_check(&self, file: &FileRecord, version: &str) -> Result<bool, AppError> {
        let update = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .update_expression("SET #status = :scanning, checkingVersion = :version")
            .condition_expression(
                "attribute_exists(PK) AND (attribute_not_exists(scannedVersion) OR scannedVersion <> :version)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":scanning", Self::to_attribute(&AttachmentStatus::Scanning)?)
            .expression_attribute_values(":version", s(version));
        applied(update.send().await, "recording an upload")
    }

    /// Records the checks' decision on the upload being checked (its S3
    /// version), once: a redelivered event for the same version, a check
    /// overtaken by a newer upload, or a file deleted meanwhile, changes
    /// nothing (false).
    pub async fn record_scan(
        &self, file: &FileRecord, version: &str, outcome: &ScanOutcome, now: Timestamp,
    ) -> Result<bool, AppError> {
        let update = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .condition_expression(
                "attribute_exists(PK) AND checkingVersion = :version \
                 AND (attribute_not_exists(scannedVersion) OR scannedVersion <> :version)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":version", s(version))
            .expression_attribute_values(":at", s(now.to_string()));
        let update = match outcome {
            ScanOutcome::Clean => update
                .update_expression(
                    "SET #status = :status, scannedVersion = :version, scannedAt = :at REMOVE refusal, quarantinedAs",
                )
                .expression_attribute_values(":status", Self::to_attribute(&AttachmentStatus::Clean)?),
            ScanOutcome::Refused { reason, quarantined_as } => update
                .update_expression(
                    "SET #status = :status, scannedVersion = :version, scannedAt = :at, refusal = :refusal, \
                     quarantinedAs = :quarantine",
                )
                .expression_attribute_values(":status", Self::to_attribute(&AttachmentStatus::Refused)?)
                .expression_attribute_values(":refusal", s(reason))
                .expression_attribute_values(":quarantine", s(quarantined_as)),
        };
        applied(update.send().await, "recording a scan")
    }

    /// Audits a download of an evidence file, in the trail of the organisation
    /// the person downloaded it for; written before the address is given.
    pub async fn record_download(
        &self, file: &FileRecord, actor: &str, organisation: &OdsCode, now: Timestamp,
    ) -> Result<(), AppError> {
        let audit = AuditEntry {
            actor,
            action: AuditAction::EvidenceDownloaded,
            target: keys::claim(file.claim_id),
            organisation,
            before: None,
            after: Some(json!({"lineId": file.line_id, "attachmentId": file.id, "fileName": file.file_name})),
        }
        .record(now);
        self.record_alone(&audit, "recording the download").await
    }

    /// Audits an upload removed because it arrived after the claim was
    /// submitted: the claim keeps the file it was submitted with.
    pub async fn record_replacement_removed(
        &self, claim: &ClaimRecord, file: &FileRecord, version: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let audit = AuditEntry {
            actor: crate::domain::claim::SYSTEM,
            action: AuditAction::EvidenceReplacementRemoved,
            target: keys::claim(file.claim_id),
            organisation: &claim.provider,
            before: None,
            after: Some(json!({"lineId": file.line_id, "attachmentId": file.id, "fileName": file.file_name,
                               "kept": file.pinned_version(), "removed": version})),
        }
        .record(now);
        self.record_alone(&audit, "recording a removed upload").await
    }

    /// Removes one file from a line.
    pub async fn remove_file(&self, claim: &ClaimRecord, file: &FileRecord, now: Timestamp) -> Result<(), AppError> {
        let items = vec![
            Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?,
            self.delete_item(file.pk.clone(), file.sk.clone())?,
        ];
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))
    }
}

/// An evidence file on a claim's line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub claim_id: u64,
    pub line_id: String,
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    /// Where the file is (or will be) in the evidence bucket.
    pub object_key: String,
    pub status: AttachmentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    pub created_at: Timestamp,
    pub created_by: String,
    /// The upload (S3 version) the checks last decided on: a redelivered
    /// event for it changes nothing; a replacement is checked afresh. A
    /// download serves this version and no other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_version: Option<String>,
    /// The upload (S3 version) being checked now, set when it is first seen
    /// (by the check, or by a submit that found it had arrived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checking_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_at: Option<Timestamp>,
    /// Where a refused upload was moved (no GetObject reaches it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarantined_as: Option<String>,
}

/// What the checks decided about one upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    Clean,
    Refused { reason: String, quarantined_as: String },
}

impl FileRecord {
    pub fn evidence(&self) -> EvidenceFile {
        EvidenceFile { file_name: self.file_name.clone(), status: self.status, refusal: self.refusal.clone() }
    }

    /// The upload this file stands for: the one decided on, or the one being
    /// checked. Once its claim is submitted, no other upload may take its place.
    pub fn pinned_version(&self) -> Option<&str> {
        match self.status {
            AttachmentStatus::Clean | AttachmentStatus::Refused => self.scanned_version.as_deref(),
            AttachmentStatus::Scanning => self.checking_version.as_deref(),
            AttachmentStatus::AwaitingUpload => None,
        }
    }
}
