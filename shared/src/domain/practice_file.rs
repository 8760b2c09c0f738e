//! The NHS ODS practice file (`epraccur.csv`) that ICBs download: one row per
//! GP practice, no heading, 27 columns of which these matter — 1 the ODS code,
//! 2 the name, 4 the ICB (high level health geography), 13 the status
//! (A active, C closed, D dormant, P proposed), 15 the commissioner (the
//! sub-ICB location), 26 the prescribing setting (4 a GP practice). A short
//! file of three columns (code, name, commissioner) is read too, as people
//! make one by hand. Each row is judged on its own, for a per-row report.

use crate::domain::ods::OdsCode;
use crate::domain::organisation::{NewOrganisation, OrganisationForm};

/// The national file is about 2 MB; a Lambda takes at most 6 MB.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// Rows one upload may hold: the whole of England's practices, with room.
pub const MAX_ROWS: usize = 20_000;

/// One row of the file, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRow {
    /// A practice the file names, with the new organisation it would become.
    Practice { line: usize, practice: Box<NewOrganisation>, icb: Option<OdsCode>, active: bool },
    /// A row that is not a practice: why, in words.
    Malformed { line: usize, code: Option<String>, detail: String },
}

/// What became of a row, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PracticeRowOutcome)]
pub enum RowOutcome {
    Added,
    AlreadyHere,
    AnotherCommissioners,
    NotActive,
    Malformed,
}

impl FileRow {
    pub fn line(&self) -> usize {
        match self {
            Self::Practice { line, .. } | Self::Malformed { line, .. } => *line,
        }
    }

    /// Whether the file places this practice with `commissioner`, by its
    /// commissioner or its ICB column.
    pub fn belongs_to(&self, commissioner: &OdsCode) -> bool {
        match self {
            Self::Practice { practice, icb, .. } => {
                practice.organisation.commissioner.as_ref() == Some(commissioner) || icb.as_ref() == Some(commissioner)
            }
            Self::Malformed { .. } => false,
        }
    }
}

/// Reads every row; refused as a whole only when it is not a CSV file at all
/// or holds more rows than one upload may.
pub fn read(text: &str, importing_for: &OdsCode) -> Result<Vec<FileRow>, String> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 1;
        if line > MAX_ROWS {
            return Err(format!("The file has more than {MAX_ROWS} rows: upload your ICB's practices only"));
        }
        let record = record.map_err(|e| format!("Row {line} could not be read as CSV: {e}"))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows.push(read_row(line, &record, importing_for));
    }
    if rows.is_empty() {
        return Err("The file has no rows: upload the practice file (epraccur.csv)".to_string());
    }
    Ok(rows)
}

fn read_row(line: usize, record: &csv::StringRecord, importing_for: &OdsCode) -> FileRow {
    let column = |n: usize| record.get(n - 1).map(str::trim).filter(|v| !v.is_empty());
    let code = column(1).map(str::to_string);
    let (commissioner, icb, active, setting) = match record.len() {
        3 => (column(3), None, true, None),
        n if n >= 15 => (column(15), column(4), column(13).is_none_or(|s| s.eq_ignore_ascii_case("A")), column(26)),
        n => {
            return FileRow::Malformed {
                line,
                code,
                detail: format!(
                    "This row has {n} columns: the practice file has 27 (or give code, name and commissioner)"
                ),
            }
        }
    };
    // A practice is added under the commissioner importing it, whichever column names it.
    let icb = icb.and_then(|raw| OdsCode::parse(raw).ok());
    let named = commissioner.and_then(|raw| OdsCode::parse(raw).ok());
    let home = if icb.as_ref() == Some(importing_for) { Some(importing_for.clone()) } else { named };
    // Prescribing setting 4 is a GP practice; the file also lists walk-in centres and the like.
    let organisation_type = if setting.is_none_or(|s| s == "4") { "gp_practice" } else { "other" };
    let form = OrganisationForm {
        code: code.clone(),
        name: column(2).map(str::to_string),
        organisation_type: Some(organisation_type.to_string()),
        commissioner: home.map(|c| c.as_str().to_string()).or(commissioner.map(str::to_string)),
        claim_submission: None,
    };
    match form.validate() {
        Ok(practice) => FileRow::Practice { line, practice: Box::new(practice), icb, active },
        Err(errors) => FileRow::Malformed {
            line,
            code,
            detail: errors.iter().map(|e| e.detail.as_str()).collect::<Vec<_>>().join("; "),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qhm() -> OdsCode {
        OdsCode::parse("QHM").unwrap()
    }

    /// A row as the national file has it: 27 columns.
    fn national(code: &str, name: &str, icb: &str, status: &str, commissioner: &str, setting: &str) -> String {
        let mut columns = vec![""; 27];
        columns[0] = code;
        columns[1] = name;
        columns[2] = "Y63";
        columns[3] = icb;
        columns[9] = "NE1 1AA";
        columns[12] = status;
        columns[13] = "B";
        columns[14] = commissioner;
        columns[25] = setting;
        columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(",")
    }

    #[test]
    fn reads_the_national_layout_and_the_short_one() {
        let text = [
            national("A81001", "THE DENSHAM SURGERY", "QHM", "A", "16C", "4"),
            national("A81002", "QUEENS PARK MEDICAL CENTRE", "QHM", "C", "16C", "4"),
            national("B81001", "ELSEWHERE SURGERY", "QOQ", "A", "02Y", "4"),
            national("Y00001", "WALK IN CENTRE", "QHM", "A", "16C", "1"),
            "A81003,Short Layout Surgery,QHM".to_string(),
            "A81004,Too Few".to_string(),
            ",No Code,QHM".to_string(),
            String::new(),
        ]
        .join("\n");
        let rows = read(&text, &qhm()).unwrap();
        assert_eq!(rows.len(), 7, "the blank line is skipped");
        let FileRow::Practice { practice, active, .. } = &rows[0] else { panic!("{:?}", rows[0]) };
        assert_eq!(
            (practice.organisation.code.as_str(), practice.organisation.commissioner.as_ref(), *active),
            ("A81001", Some(&qhm()), true),
            "a practice of the ICB is added under the ICB, whatever sub-ICB location the file gives"
        );
        assert!(matches!(&rows[1], FileRow::Practice { active: false, .. }));
        assert!(rows[0].belongs_to(&qhm()) && !rows[2].belongs_to(&qhm()));
        let FileRow::Practice { practice, .. } = &rows[3] else { panic!() };
        assert_eq!(practice.organisation_type, crate::domain::organisation::OrganisationType::Other);
        assert!(rows[4].belongs_to(&qhm()));
        assert!(matches!(&rows[5], FileRow::Malformed { line: 6, detail, .. } if detail.contains("2 columns")));
        assert!(matches!(&rows[6], FileRow::Malformed { line: 7, code: None, .. }));
    }

    #[test]
    fn an_empty_file_or_one_too_long_is_refused_whole() {
        assert!(read("\n\n", &qhm()).is_err());
        let long = "A81003,Surgery,QHM\n".repeat(MAX_ROWS + 1);
        assert!(read(&long, &qhm()).unwrap_err().contains("more than"));
    }
}
