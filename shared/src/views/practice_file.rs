//! What importing a practice file answers: the count of each outcome, and
//! line by line what became of each practice.

use crate::domain::ods::OdsCode;
use crate::domain::practice_file::{FileRow, RowOutcome};
use serde::Serialize;

/// One line of the file: the practice it names, what became of it, and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportedRow<'a> {
    pub line: usize,
    pub code: Option<String>,
    pub name: Option<&'a str>,
    pub outcome: RowOutcome,
    pub detail: Option<String>,
}

impl<'a> ImportedRow<'a> {
    pub fn of(row: &'a FileRow, outcome: RowOutcome, detail: Option<String>) -> Self {
        let (code, name) = match row {
            FileRow::Practice { practice, .. } => {
                (Some(practice.organisation.code.to_string()), Some(practice.organisation.name.as_str()))
            }
            FileRow::Malformed { code, .. } => (code.clone(), None),
        };
        ImportedRow { line: row.line(), code, name, outcome, detail }
    }
}

/// The whole import: for which commissioner, how many of each outcome, every line.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PracticeFileImported<'a> {
    pub commissioner: &'a OdsCode,
    pub added: usize,
    pub already_here: usize,
    pub another_commissioners: usize,
    pub not_active: usize,
    pub malformed: usize,
    pub rows: Vec<ImportedRow<'a>>,
}

impl<'a> PracticeFileImported<'a> {
    pub fn of(commissioner: &'a OdsCode, rows: Vec<ImportedRow<'a>>) -> Self {
        let count = |outcome| rows.iter().filter(|r| r.outcome == outcome).count();
        PracticeFileImported {
            commissioner,
            added: count(RowOutcome::Added),
            already_here: count(RowOutcome::AlreadyHere),
            another_commissioners: count(RowOutcome::AnotherCommissioners),
            not_active: count(RowOutcome::NotActive),
            malformed: count(RowOutcome::Malformed),
            rows,
        }
    }
}
