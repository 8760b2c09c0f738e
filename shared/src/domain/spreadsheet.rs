//! CSV files that finance staff and practices open in a spreadsheet. Every CSV
//! the service writes goes through [`Sheet`], which neutralises each cell that
//! a spreadsheet would run as a formula (OWASP's "CSV injection": a cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return) by putting a
//! `'` before it — so a practice named `=HYPERLINK(…)` is shown as typed and
//! never runs. Reading a sheet back ([`as_typed`]) takes the `'` off again.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as it is safe to write: prefixed with `'` if it would run.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell read back from a sheet this service wrote, as it was typed.
pub fn as_typed(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Why a sheet could not be written (only ever a bug: it is written to memory).
#[derive(Debug, thiserror::Error)]
#[error("writing a spreadsheet: {0}")]
pub struct SheetError(String);

impl From<csv::Error> for SheetError {
    fn from(error: csv::Error) -> Self {
        SheetError(error.to_string())
    }
}

/// A CSV file being written, a row at a time, every cell neutralised.
pub struct Sheet {
    writer: csv::Writer<Vec<u8>>,
}

impl Sheet {
    /// A sheet whose first row is `heading`.
    pub fn with_heading<I, S>(heading: I) -> Result<Self, SheetError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut sheet = Sheet { writer: csv::Writer::from_writer(Vec::new()) };
        sheet.row(heading)?;
        Ok(sheet)
    }

    pub fn row<I, S>(&mut self, cells: I) -> Result<(), SheetError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let safe: Vec<String> = cells.into_iter().map(|cell| neutralised(cell.as_ref()).into_owned()).collect();
        self.writer.write_record(&safe)?;
        Ok(())
    }

    /// The file's text.
    pub fn finish(self) -> Result<String, SheetError> {
        let bytes = self.writer.into_inner().map_err(|e| SheetError(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| SheetError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_typed_runs_as_a_formula() {
        for typed in ["=HYPERLINK(\"http://x\",\"Click\")", "@SUM(1)", "+1", "-1+1", "\tx", "\rx"] {
            assert_eq!(neutralised(typed), format!("'{typed}"));
            assert_eq!(as_typed(&neutralised(typed)), typed);
        }
        for plain in ["The Densham Surgery", "2321.04", "O'Neill", "'quoted", ""] {
            assert_eq!(neutralised(plain), plain);
            assert_eq!(as_typed(plain), plain);
        }
    }

    #[test]
    fn a_sheet_neutralises_every_cell_and_quotes_as_csv_does() {
        let mut sheet = Sheet::with_heading(["Practice", "=Heading"]).unwrap();
        sheet.row(["=1+1", "a, \"b\""]).unwrap();
        assert_eq!(sheet.finish().unwrap(), "Practice,'=Heading\n'=1+1,\"a, \"\"b\"\"\"\n");
    }
}
