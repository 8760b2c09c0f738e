//! An organisation as every view names it: its ODS code and its name.

use crate::domain::ods::OdsCode;
use crate::domain::organisation::Organisation;
use crate::store::records::OrganisationRecord;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Party<'a> {
    pub code: &'a OdsCode,
    pub name: &'a str,
}

impl<'a> Party<'a> {
    pub fn new(code: &'a OdsCode, name: &'a str) -> Self {
        Party { code, name }
    }
}

impl<'a> From<&'a OrganisationRecord> for Party<'a> {
    fn from(organisation: &'a OrganisationRecord) -> Self {
        Party { code: &organisation.code, name: &organisation.name }
    }
}

impl<'a> From<&'a Organisation> for Party<'a> {
    fn from(organisation: &'a Organisation) -> Self {
        Party { code: &organisation.code, name: &organisation.name }
    }
}
