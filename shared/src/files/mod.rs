//! The evidence bucket (S3): short-lived presigned URLs so a practice uploads
//! straight to S3 and downloads only clean files, and removal of objects when
//! their claim line or draft goes. The browser never gets a long-lived key.

mod malware;

pub use malware::{read_reply, MalwareScanner, Verdict};

use crate::error::{dependency, AppError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use aws_sdk_s3::Client;
use std::collections::BTreeMap;
use std::time::Duration;

/// Where a line's evidence file lives: under the bucket's watched prefix, scoped
/// to its claim and line; the practice's file name is not part of it.
pub fn object_key(claim_id: u64, line_id: &str, attachment_id: &str) -> String {
    format!("evidence/claims/{claim_id}/lines/{line_id}/{attachment_id}")
}

/// The claim, line and attachment an object key names.
pub fn parse_object_key(key: &str) -> Option<(u64, String, String)> {
    let rest = key.strip_prefix("evidence/claims/")?;
    let (claim, rest) = rest.split_once("/lines/")?;
    let (line, attachment) = rest.split_once('/')?;
    if line.is_empty() || attachment.is_empty() || attachment.contains('/') {
        return None;
    }
    Some((claim.parse().ok()?, line.to_string(), attachment.to_string()))
}

/// Where a refused object is kept: outside the watched prefix (no new event),
/// and a bucket policy denies every GetObject under it.
pub fn quarantine_key(key: &str) -> String {
    format!("quarantine/{}", key.strip_prefix("evidence/").unwrap_or(key))
}

/// How long a presigned upload or download URL works.
pub const URL_LIFETIME: Duration = Duration::from_secs(300);

/// When a URL presigned now stops working.
pub fn url_expiry() -> crate::domain::timestamp::Timestamp {
    let lifetime = jiff::SignedDuration::try_from(URL_LIFETIME).unwrap_or_default();
    (jiff::Timestamp::now() + lifetime).into()
}

pub struct EvidenceStore {
    client: Client,
    bucket: String,
}

/// A presigned request for the browser: where, how, with which headers.
#[derive(Debug, Clone)]
pub struct Presigned {
    pub url: String,
    pub method: String,
    pub headers: BTreeMap<String, String>,
}

impl EvidenceStore {
    pub fn new(client: Client, bucket: String) -> Self {
        Self { client, bucket }
    }

    fn lifetime() -> Result<PresigningConfig, AppError> {
        PresigningConfig::expires_in(URL_LIFETIME).map_err(|e| AppError::Internal(format!("presigning: {e}")))
    }

    /// A PUT of exactly this type and size to this key: the signature covers
    /// the content type and length, so S3 refuses anything else.
    pub async fn presign_upload(&self, key: &str, content_type: &str, size: u64) -> Result<Presigned, AppError> {
        let length = i64::try_from(size).map_err(|_| AppError::Internal("file size out of range".into()))?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(length)
            .presigned(Self::lifetime()?)
            .await
            .map_err(|e| AppError::Internal(format!("presigning the upload: {e}")))?;
        let headers = request.headers().map(|(name, value)| (name.to_ascii_lowercase(), value.to_string())).collect();
        Ok(Presigned { url: request.uri().to_string(), method: request.method().to_string(), headers })
    }

    /// A GET of exactly the upload that was checked (its S3 version), saved
    /// under the file's own name: a later upload to the same key is never
    /// what a download serves.
    pub async fn presign_download(&self, key: &str, version: &str, file_name: &str) -> Result<Presigned, AppError> {
        let disposition = format!("attachment; filename=\"{}\"", file_name.replace(['"', '\\'], "_"));
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .version_id(version)
            .response_content_disposition(disposition)
            .presigned(Self::lifetime()?)
            .await
            .map_err(|e| AppError::Internal(format!("presigning the download: {e}")))?;
        Ok(Presigned { url: request.uri().to_string(), method: "GET".into(), headers: BTreeMap::new() })
    }

    /// The version of the object now at `key`, if one has arrived: an upload
    /// that is there is being checked, not missing.
    pub async fn arrived(&self, key: &str) -> Result<Option<String>, AppError> {
        match self.client.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(head) => Ok(Some(object_version(head.version_id(), head.e_tag()))),
            Err(error) if error.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(error) => Err(dependency("looking for an evidence file")(error)),
        }
    }

    /// Removes one version of an object for good (an upload that must not
    /// stand): the version before it, if any, is the object again.
    pub async fn remove_version(&self, key: &str, version: &str) -> Result<(), AppError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .version_id(version)
            .send()
            .await
            .map_err(dependency("removing an evidence upload"))?;
        Ok(())
    }

    /// A stored object, read whole (a requirement allows at most 25 MB), or
    /// None if it is gone.
    pub async fn read(&self, key: &str) -> Result<Option<StoredObject>, AppError> {
        let object = match self.client.get_object().bucket(&self.bucket).key(key).send().await {
            Ok(object) => object,
            Err(error) if error.as_service_error().is_some_and(|e| e.is_no_such_key()) => return Ok(None),
            Err(error) => return Err(dependency("reading an evidence file")(error)),
        };
        let content_type = object.content_type().unwrap_or_default().to_string();
        let version = object_version(object.version_id(), object.e_tag());
        let version_id = object.version_id().map(str::to_string);
        let bytes = object
            .body
            .collect()
            .await
            .map_err(|e| AppError::Dependency(format!("reading an evidence file: {e}")))?
            .into_bytes()
            .to_vec();
        Ok(Some(StoredObject { bytes, content_type, version, version_id }))
    }

    /// Moves a refused upload out of reach: copied to the quarantine prefix,
    /// then that version removed for good (the bucket keeps versions, and a
    /// plain delete would leave it behind a delete marker).
    pub async fn quarantine(&self, key: &str, object: &StoredObject) -> Result<String, AppError> {
        let target = quarantine_key(key);
        let source = match &object.version_id {
            Some(version) => format!("{}/{key}?versionId={version}", self.bucket),
            None => format!("{}/{key}", self.bucket),
        };
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .key(&target)
            .copy_source(percent_encoding::utf8_percent_encode(&source, COPY_SOURCE).to_string())
            .send()
            .await
            .map_err(dependency("quarantining an evidence file"))?;
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .set_version_id(object.version_id.clone())
            .send()
            .await
            .map_err(dependency("removing a refused evidence file"))?;
        Ok(target)
    }

    /// Removes objects, up to 1,000 a request (a whole claim's evidence is one
    /// call); ones already gone are fine.
    pub async fn delete(&self, keys: &[String]) -> Result<(), AppError> {
        for batch in keys.chunks(1000) {
            let objects = batch
                .iter()
                .map(|key| ObjectIdentifier::builder().key(key).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| AppError::Internal(format!("naming evidence files: {e}")))?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| AppError::Internal(format!("naming evidence files: {e}")))?;
            let answer = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(delete)
                .send()
                .await
                .map_err(dependency("removing evidence files"))?;
            if let Some(failed) = answer.errors().first() {
                return Err(AppError::Dependency(format!(
                    "removing evidence files: {} ({})",
                    failed.code().unwrap_or("error"),
                    failed.message().unwrap_or_default()
                )));
            }
        }
        Ok(())
    }
}

/// One upload as stored.
#[derive(Debug, Clone)]
pub struct StoredObject {
    pub bytes: Vec<u8>,
    pub content_type: String,
    /// The S3 version id (or ETag where versioning is off).
    pub version: String,
    version_id: Option<String>,
}

/// What names one upload: its S3 version id (the bucket keeps versions, so a
/// replacement at the same key is a new one), or its ETag where versioning is
/// off — which a download then cannot ask for, so it fails closed.
fn object_version(version_id: Option<&str>, e_tag: Option<&str>) -> String {
    version_id.or(e_tag).unwrap_or_default().trim_matches('"').to_string()
}

/// A copy source keeps its `/` and the `?versionId=` query readable.
const COPY_SOURCE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'?').remove(b'=');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_files_are_kept_outside_the_watched_prefix() {
        assert_eq!(quarantine_key("evidence/claims/35929/lines/l/f"), "quarantine/claims/35929/lines/l/f");
    }

    #[test]
    fn object_keys_name_their_claim_line_and_attachment() {
        let key = object_key(35929, "0193-line", "0193-file");
        assert_eq!(key, "evidence/claims/35929/lines/0193-line/0193-file");
        assert_eq!(parse_object_key(&key), Some((35929, "0193-line".into(), "0193-file".into())));
        assert_eq!(parse_object_key("evidence/claims/x/lines/a/b"), None);
        assert_eq!(parse_object_key("evidence/claims/1/lines/a/b/c"), None);
        assert_eq!(parse_object_key("other/claims/1/lines/a/b"), None);
    }
}
