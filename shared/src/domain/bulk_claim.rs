//! Bulk claims: a commissioner's Tier 1 enters one service's claims for many
//! practices at once from a spreadsheet (CSV). The template has a row per
//! practice that accepted the service and has not claimed the period, and a
//! column per component that takes units; the upload is read back against the
//! same columns and every row is judged on its own, so one bad row never
//! stops the good ones and the report says what happened to each.

use super::claim_line::ClaimLine;
use super::component::Payment;
use super::ods::OdsCode;
use super::spreadsheet::{as_typed, Sheet, SheetError};
use std::collections::HashSet;

pub const ODS_HEADER: &str = "ODS code";
pub const PRACTICE_HEADER: &str = "Practice";
/// The most rows one upload may carry (a commissioner has a few hundred practices).
pub const MAX_ROWS: usize = 1_000;
/// The most a file may weigh.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Units beyond this are a typing slip whatever the component says.
const UNITS_CEILING: u32 = 1_000_000;

/// A column of units: one per component that is paid per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitsColumn {
    pub component_id: String,
    /// The component's name, as the column's heading.
    pub header: String,
    pub max_units: u32,
}

/// The units columns of a service's lines (as made for any one practice).
pub fn units_columns(lines: &[ClaimLine]) -> Vec<UnitsColumn> {
    lines
        .iter()
        .filter_map(|line| match &line.payment {
            Payment::PerUnit { max_units, .. } => Some(UnitsColumn {
                component_id: line.component_id.clone(),
                header: line.name.clone(),
                max_units: max_units.unwrap_or(UNITS_CEILING),
            }),
            _ => None,
        })
        .collect()
}

/// The template: a heading row, then one row per practice with empty units.
pub fn template_csv(columns: &[UnitsColumn], practices: &[(OdsCode, String)]) -> Result<Sheet, SheetError> {
    let mut heading = vec![ODS_HEADER.to_string(), PRACTICE_HEADER.to_string()];
    heading.extend(columns.iter().map(|c| c.header.clone()));
    let mut sheet = Sheet::with_heading(heading)?;
    for (code, name) in practices {
        let mut row = vec![code.to_string(), name.clone()];
        row.extend(columns.iter().map(|_| String::new()));
        sheet.row(row)?;
    }
    Ok(sheet)
}

/// One row of an uploaded sheet: its number as a spreadsheet shows it (the
/// heading is row 1), the ODS code as typed, and the units cells in column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub number: usize,
    pub ods_code: String,
    pub units: Vec<String>,
}

/// Reads an upload against the service's columns. A problem with the file as
/// a whole (no heading, a column missing or unknown, too many rows) is said in
/// one sentence; row problems are for `check_row`.
pub fn read_sheet(text: &str, columns: &[UnitsColumn]) -> Result<Vec<SheetRow>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let heading: Vec<String> = reader
        .headers()
        .map_err(|_| "The file is not a CSV file: download the template and fill it in".to_string())?
        .iter()
        .map(|heading| as_typed(heading).to_string())
        .collect();
    let find = |wanted: &str| heading.iter().position(|h| h.eq_ignore_ascii_case(wanted));
    let ods_at = find(ODS_HEADER)
        .ok_or_else(|| format!("The file has no \"{ODS_HEADER}\" column: download the template and fill it in"))?;
    let mut unit_positions = Vec::new();
    for column in columns {
        let at = find(&column.header)
            .ok_or_else(|| format!("The file has no \"{}\" column: download the template again", column.header))?;
        unit_positions.push(at);
    }
    for (i, header) in heading.iter().enumerate() {
        let known = i == ods_at || unit_positions.contains(&i) || header.eq_ignore_ascii_case(PRACTICE_HEADER);
        if !known && !header.is_empty() {
            return Err(format!("\"{header}\" is not a component of this service that takes units: remove the column"));
        }
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("Row {} cannot be read: {e}", index + 2))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(format!("Upload at most {MAX_ROWS} rows at a time"));
        }
        let cell = |at: usize| as_typed(record.get(at).unwrap_or_default()).to_string();
        let number = record.position().map(|p| p.line() as usize).unwrap_or(index + 2);
        rows.push(SheetRow {
            number,
            ods_code: cell(ods_at),
            units: unit_positions.iter().map(|&at| cell(at)).collect(),
        });
    }
    if rows.is_empty() {
        return Err("The file has no rows of units: fill in the template and upload it again".into());
    }
    Ok(rows)
}

/// Where a practice stands with the service, as the commissioner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// One of the commissioner's practices that accepted the service.
    Accepted,
    /// Offered, but not accepted (yet, or declined).
    NotAccepted,
    /// A practice of another commissioner, or one never offered the service.
    NotOffered,
    /// No practice has this ODS code.
    Unknown,
}

/// A problem in one cell, by its column's heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub column: String,
    pub detail: String,
}

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowCheck {
    /// Good: a claim is made with these units, by component id.
    Ready {
        provider: OdsCode,
        units: Vec<(String, u32)>,
    },
    /// Every units cell empty: nothing to claim for this practice.
    Skipped {
        provider: String,
    },
    Invalid {
        provider: String,
        problems: Vec<CellProblem>,
    },
    /// The practice already has a claim for the service and period.
    AlreadyClaimed {
        provider: OdsCode,
        claim_id: String,
    },
}

/// Judges one row: its practice (`standing`), whether it is already claimed
/// (`claimed`: the claim's id) or named earlier in the file (`seen`), and each
/// units cell (a whole number, within the component's maximum).
pub fn check_row(
    row: &SheetRow, columns: &[UnitsColumn], standing: impl Fn(&OdsCode) -> Standing,
    claimed: impl Fn(&OdsCode) -> Option<String>, seen: &mut HashSet<OdsCode>,
) -> RowCheck {
    let typed = row.ods_code.clone();
    let invalid = |column: &str, detail: String| RowCheck::Invalid {
        provider: typed.clone(),
        problems: vec![CellProblem { column: column.to_string(), detail }],
    };
    let code = match OdsCode::parse(row.ods_code.trim()) {
        Ok(code) => code,
        Err(_) if row.ods_code.is_empty() => return invalid(ODS_HEADER, "Enter the practice's ODS code".into()),
        Err(_) => return invalid(ODS_HEADER, format!("\"{}\" is not an ODS code", row.ods_code)),
    };
    match standing(&code) {
        Standing::Accepted => {}
        Standing::NotAccepted => return invalid(ODS_HEADER, format!("{code} has not accepted this service")),
        Standing::NotOffered => {
            return invalid(ODS_HEADER, format!("{code} is not one of your practices offered this service"))
        }
        Standing::Unknown => return invalid(ODS_HEADER, format!("There is no practice with the ODS code {code}")),
    }
    if !seen.insert(code.clone()) {
        return invalid(ODS_HEADER, format!("{code} is on an earlier row: claim for each practice once"));
    }
    if let Some(claim_id) = claimed(&code) {
        return RowCheck::AlreadyClaimed { provider: code, claim_id };
    }
    let mut problems = Vec::new();
    let mut units = Vec::new();
    for (column, raw) in columns.iter().zip(&row.units) {
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<u32>() {
            Ok(n) if n <= column.max_units => units.push((column.component_id.clone(), n)),
            Ok(_) => problems.push(CellProblem {
                column: column.header.clone(),
                detail: format!("Enter {} units or fewer", column.max_units),
            }),
            Err(_) => problems.push(CellProblem {
                column: column.header.clone(),
                detail: format!("\"{raw}\" is not a number of units: enter a whole number, 0 or more"),
            }),
        }
    }
    if !problems.is_empty() {
        return RowCheck::Invalid { provider: code.to_string(), problems };
    }
    if units.is_empty() {
        return RowCheck::Skipped { provider: code.to_string() };
    }
    // A units cell left empty beside filled ones means none of those.
    for column in columns {
        if !units.iter().any(|(id, _)| id == &column.component_id) {
            units.push((column.component_id.clone(), 0));
        }
    }
    RowCheck::Ready { provider: code, units }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<UnitsColumn> {
        vec![
            UnitsColumn { component_id: "c1".into(), header: "Complex Care Plans".into(), max_units: 500 },
            UnitsColumn { component_id: "c2".into(), header: "Ear Irrigation".into(), max_units: UNITS_CEILING },
        ]
    }

    fn code(raw: &str) -> OdsCode {
        OdsCode::parse(raw).unwrap()
    }

    fn check(row: &SheetRow, seen: &mut HashSet<OdsCode>) -> RowCheck {
        check_row(
            row,
            &columns(),
            |c| match c.as_str() {
                "A81001" | "A81002" => Standing::Accepted,
                "A81003" => Standing::NotAccepted,
                "B82001" => Standing::NotOffered,
                _ => Standing::Unknown,
            },
            |c| (c.as_str() == "A81002").then(|| "35930".to_string()),
            seen,
        )
    }

    fn row(number: usize, ods: &str, units: [&str; 2]) -> SheetRow {
        SheetRow { number, ods_code: ods.into(), units: units.iter().map(|u| u.to_string()).collect() }
    }

    #[test]
    fn the_template_reads_back_as_its_own_rows() {
        let practices =
            vec![(code("A81001"), "The Densham Surgery".to_string()), (code("A81002"), "Queens, Park".into())];
        let text = template_csv(&columns(), &practices).unwrap().finish().unwrap();
        assert!(text.starts_with("ODS code,Practice,Complex Care Plans,Ear Irrigation\n"));
        assert!(text.contains("\"Queens, Park\""), "a comma in a name is quoted");
        let rows = read_sheet(&text, &columns()).unwrap();
        assert_eq!(rows, vec![row(2, "A81001", ["", ""]), row(3, "A81002", ["", ""])]);
    }

    #[test]
    fn a_name_that_would_run_as_a_formula_is_written_inert_and_read_back_as_typed() {
        let mut formula = columns();
        formula[0].header = "=HYPERLINK(\"http://x\",\"Click\")".into();
        let practices = vec![(code("A81001"), "@SUM(1)".to_string())];
        let text = template_csv(&formula, &practices).unwrap().finish().unwrap();
        assert!(text.contains("\"'=HYPERLINK(") && text.contains(",'@SUM(1),"), "{text}");
        let filled = text.replace(",'@SUM(1),,", ",'@SUM(1),12,");
        assert_eq!(read_sheet(&filled, &formula).unwrap(), vec![row(2, "A81001", ["12", ""])]);
    }

    #[test]
    fn columns_are_found_by_heading_in_any_order_and_a_stranger_is_refused() {
        let text = "\u{feff}Ear Irrigation,ods code,Complex Care Plans\n4,A81001,12\n\n";
        assert_eq!(read_sheet(text, &columns()).unwrap(), vec![row(2, "A81001", ["12", "4"])]);
        let missing = read_sheet("ODS code,Complex Care Plans\nA81001,1\n", &columns()).unwrap_err();
        assert!(missing.contains("no \"Ear Irrigation\" column"));
        let stranger = read_sheet("ODS code,Complex Care Plans,Ear Irrigation,Bonus\nA81001,1,1,1\n", &columns());
        assert!(stranger.unwrap_err().contains("\"Bonus\" is not a component"));
        assert!(read_sheet("ODS code,Complex Care Plans,Ear Irrigation\n", &columns()).is_err(), "no rows");
        let many = format!("ODS code,Complex Care Plans,Ear Irrigation\n{}", "A81001,1,1\n".repeat(MAX_ROWS + 1));
        assert!(read_sheet(&many, &columns()).unwrap_err().contains("at most 1000 rows"));
    }

    #[test]
    fn each_row_is_judged_on_its_own() {
        let mut seen = HashSet::new();
        assert_eq!(
            check(&row(2, "A81001", ["12", ""]), &mut seen),
            RowCheck::Ready { provider: code("A81001"), units: vec![("c1".into(), 12), ("c2".into(), 0)] }
        );
        let again = check(&row(3, "A81001", ["1", "1"]), &mut seen);
        assert!(matches!(again, RowCheck::Invalid { ref problems, .. } if problems[0].detail.contains("earlier row")));
        assert_eq!(
            check(&row(4, "A81002", ["1", "1"]), &mut seen),
            RowCheck::AlreadyClaimed { provider: code("A81002"), claim_id: "35930".into() }
        );
        let details = |r: RowCheck| match r {
            RowCheck::Invalid { problems, .. } => problems.into_iter().map(|p| p.detail).collect::<Vec<_>>(),
            other => panic!("expected problems, got {other:?}"),
        };
        assert_eq!(details(check(&row(5, "A81003", ["1", ""]), &mut seen)), ["A81003 has not accepted this service"]);
        assert!(details(check(&row(6, "B82001", ["1", ""]), &mut seen))[0].contains("not one of your practices"));
        assert!(details(check(&row(7, "Y99999", ["1", ""]), &mut seen))[0].contains("no practice with"));
        assert!(details(check(&row(8, "not ods!", ["1", ""]), &mut seen))[0].contains("is not an ODS code"));
        assert_eq!(details(check(&row(9, "", ["1", ""]), &mut seen)), ["Enter the practice's ODS code"]);
        let mut fresh = HashSet::new();
        let cells = details(check(&row(10, "A81001", ["501", "twelve"]), &mut fresh));
        assert_eq!(cells[0], "Enter 500 units or fewer");
        assert!(cells[1].contains("\"twelve\" is not a number of units"));
        let mut fresh = HashSet::new();
        assert_eq!(check(&row(11, "A81001", ["", ""]), &mut fresh), RowCheck::Skipped { provider: "A81001".into() });
        let mut fresh = HashSet::new();
        assert!(matches!(check(&row(12, "A81001", ["-1", ""]), &mut fresh), RowCheck::Invalid { .. }));
    }
}
