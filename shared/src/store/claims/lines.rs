//! A claim's lines: added with the services a claim takes in, saved as the
//! practice enters units and answers, removed with their evidence.

use super::*;

impl Store {
    pub(super) fn line_put(
        &self, claim_id: u64, line: &ClaimLine, only_if_new: bool,
    ) -> Result<TransactWriteItem, AppError> {
        let record =
            LineRecord { pk: keys::claim(claim_id), sk: keys::claim_line(&line.id), claim_id, line: line.clone() };
        self.put(&record, only_if_new)
    }

    /// Takes services into the claim and adds lines (new components only).
    pub async fn add_to_claim(
        &self, claim: &ClaimRecord, services: &[ClaimService], lines: &[ClaimLine], now: Timestamp,
    ) -> Result<(), AppError> {
        let ids: Vec<&str> = services.iter().map(|s| s.service_id.as_str()).collect();
        let periods: Vec<&str> = services.iter().map(|s| s.period.as_str()).collect();
        let mut items = vec![Self::built(
            self.claim_update(claim, now)
                .update_expression(
                    "SET services = :services, serviceIds = :ids, periods = :periods, version = :next, updatedAt = :at",
                )
                .expression_attribute_values(":services", Self::to_attribute(&services)?)
                .expression_attribute_values(":ids", Self::to_attribute(&ids)?)
                .expression_attribute_values(":periods", Self::to_attribute(&periods)?),
        )?];
        for line in lines {
            items.push(self.line_put(claim.id, line, true)?);
        }
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))
    }

    /// Saves one edited line.
    pub async fn save_line(&self, claim: &ClaimRecord, line: &ClaimLine, now: Timestamp) -> Result<(), AppError> {
        let items = vec![
            Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?,
            self.line_put(claim.id, line, false)?,
        ];
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))
    }

    /// Removes lines (and their files) from a claim; the services stay.
    pub async fn remove_lines(
        &self, document: &ClaimDocument, line_ids: &[String], now: Timestamp,
    ) -> Result<(), AppError> {
        let claim = &document.claim;
        let mut items =
            vec![Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?];
        for id in line_ids {
            items.push(self.delete_item(claim.pk.clone(), keys::claim_line(id))?);
            for file in document.files_of(id) {
                items.push(self.delete_item(file.pk.clone(), file.sk.clone())?);
            }
        }
        self.transact_in_order(items).await
    }
}
