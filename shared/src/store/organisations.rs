//! Organisations (read side; the catalogue issue adds their management).

use super::records::OrganisationRecord;
use super::{keys, Store};
use crate::domain::ods::OdsCode;
use crate::domain::organisation::Organisation;
use crate::error::AppError;

impl Store {
    pub async fn organisation(&self, code: &OdsCode) -> Result<Option<Organisation>, AppError> {
        let record: Option<OrganisationRecord> = self.get(keys::organisation(code), keys::PROFILE).await?;
        Ok(record.map(|r| Organisation { code: r.code, name: r.name, kind: r.kind, commissioner: r.commissioner }))
    }

    pub async fn put_organisation(&self, organisation: &Organisation) -> Result<(), AppError> {
        let record = OrganisationRecord {
            pk: keys::organisation(&organisation.code),
            sk: keys::PROFILE.to_string(),
            code: organisation.code.clone(),
            name: organisation.name.clone(),
            kind: organisation.kind,
            commissioner: organisation.commissioner.clone(),
        };
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(Self::to_item(&record)?))
            .send()
            .await
            .map_err(crate::error::dependency("saving the organisation"))?;
        Ok(())
    }
}
