//! What an evidence file really is, read from its bytes (never from what the
//! browser said): its type sniffed from its magic numbers (`infer`), active
//! content that has no place in evidence (programs whatever their name, Office
//! macros, PDF scripts, launch actions and embedded files), and NHS numbers in
//! the text of documents (`evidence_text`). The checks run in the order the
//! scan step calls them: the file's form first, then the malware engine's
//! verdict (clamd, an adapter), then patient data.

use super::component::EvidenceRequirement;
use super::evidence_text::{text_of, TextKind};
use super::nhs_number::contains_nhs_number;

/// Why a file cannot be accepted, in words a practice manager understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentRefusal {
    /// The object's size or type differ from what was declared when attaching.
    NotAsDescribed,
    TooBig {
        max_bytes: u64,
    },
    NotAcceptedType {
        found: String,
    },
    TypeMismatch {
        extension: String,
        found: String,
    },
    Program,
    Macros,
    PdfActiveContent(&'static str),
    PatientData,
    /// The malware engine's finding, by the name of what it found.
    Malware {
        found: String,
    },
}

impl ContentRefusal {
    pub fn reason(&self) -> String {
        match self {
            ContentRefusal::NotAsDescribed => {
                "the file that arrived is not the one described when it was attached (its size or type differ)".into()
            }
            ContentRefusal::TooBig { max_bytes } => {
                format!("it is larger than the {} allowed", super::component::describe_size(*max_bytes))
            }
            ContentRefusal::NotAcceptedType { found } => {
                format!("it is a {found} file, which this evidence does not accept")
            }
            ContentRefusal::TypeMismatch { extension, found } => {
                format!("it is named .{extension} but is really a {found} file")
            }
            ContentRefusal::Program => "it is a program, not a document".into(),
            ContentRefusal::Macros => "it contains macros; save it without macros and attach it again".into(),
            ContentRefusal::PdfActiveContent(what) => {
                format!("the PDF contains {what}; print it to a new PDF and attach that")
            }
            ContentRefusal::PatientData => {
                "it contains an NHS number: patient identifiable data must never be uploaded".into()
            }
            ContentRefusal::Malware { found } => {
                format!("the anti-malware check found harmful content in it ({found}); do not open the original")
            }
        }
    }
}

const PROGRAM_TYPES: [&str; 3] =
    ["application/vnd.microsoft.portable-executable", "application/x-executable", "application/x-mach-binary"];

/// What the bytes turned out to be, for the checks that follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    /// The content type read from the bytes ("text/plain" for text).
    pub found: String,
    /// Where the words are, if it is a kind of file that has them.
    pub text: Option<TextKind>,
}

/// The file's form, on its stored bytes: size within the rule, not a program
/// whatever its name, a type the rule accepts and that matches its extension,
/// no macros, no PDF scripts, launches or embedded files.
pub fn check_form(bytes: &[u8], file_name: &str, rule: &EvidenceRequirement) -> Result<Sniffed, ContentRefusal> {
    if bytes.len() as u64 > rule.max_bytes {
        return Err(ContentRefusal::TooBig { max_bytes: rule.max_bytes });
    }
    let sniffed = infer::get(bytes).map(|t| t.mime_type().to_string());
    if sniffed.as_deref().is_some_and(|t| PROGRAM_TYPES.contains(&t)) || looks_like_program(bytes) {
        return Err(ContentRefusal::Program);
    }
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let declared = rule.accepted.iter().find(|t| t.extension.eq_ignore_ascii_case(&extension));
    let found = sniffed.clone().unwrap_or_else(|| if is_text(bytes) { "text/plain".into() } else { "unknown".into() });
    let matches = |content_type: &str| {
        content_type.eq_ignore_ascii_case(&found)
            || (found == "text/plain" && content_type.starts_with("text/"))
            || (found == "application/zip" && content_type.contains("openxmlformats"))
    };
    match declared {
        None => return Err(ContentRefusal::NotAcceptedType { found }),
        Some(wanted) if !matches(&wanted.content_type) => {
            return Err(if rule.accepted.iter().any(|t| matches(&t.content_type)) {
                ContentRefusal::TypeMismatch { extension, found }
            } else {
                ContentRefusal::NotAcceptedType { found }
            })
        }
        Some(_) => {}
    }
    if has_macros(bytes) {
        return Err(ContentRefusal::Macros);
    }
    if found == "application/pdf" {
        if let Some(what) = pdf_active_content(bytes) {
            return Err(ContentRefusal::PdfActiveContent(what));
        }
    }
    let text = TextKind::of(&found, &extension);
    Ok(Sniffed { found, text })
}

/// No NHS number in the file's words, where it has words that can be read.
pub fn check_patient_data(bytes: &[u8], sniffed: &Sniffed) -> Result<(), ContentRefusal> {
    let text = sniffed.text.and_then(|kind| text_of(bytes, kind));
    if text.is_some_and(|text| contains_nhs_number(&text)) {
        return Err(ContentRefusal::PatientData);
    }
    Ok(())
}

fn looks_like_program(bytes: &[u8]) -> bool {
    bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF")
}

fn is_text(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

/// SIMD substring search (`memchr`): a 25 MB file is read in milliseconds.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && memchr::memmem::find(haystack, needle).is_some()
}

/// OOXML with a VBA project (its part name is stored as plain text in the zip's
/// directory), or a legacy Office file with a VBA storage (UTF-16 names).
fn has_macros(bytes: &[u8]) -> bool {
    let utf16 = |s: &str| s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>();
    contains(bytes, b"vbaProject.bin") || contains(bytes, &utf16("_VBA_PROJECT")) || contains(bytes, &utf16("Macros"))
}

/// PDF names that run or carry something, with `#xx` escapes undone so
/// `/J#61vaScript` is found too.
fn pdf_active_content(bytes: &[u8]) -> Option<&'static str> {
    const ACTIVE: [(&str, &str); 5] = [
        ("JavaScript", "JavaScript"),
        ("JS", "JavaScript"),
        ("Launch", "an action that launches a program"),
        ("EmbeddedFile", "an embedded file"),
        ("RichMedia", "embedded media"),
    ];
    let mut i = 0;
    while let Some(slash) = memchr::memchr(b'/', &bytes[i..]) {
        let mut name = Vec::new();
        let mut j = i + slash + 1;
        // The longest name looked for, every letter escaped, is 36 bytes.
        while j < bytes.len() && is_name_char(bytes[j]) && name.len() <= 36 {
            if bytes[j] == b'#' && j + 2 < bytes.len() {
                if let Ok(byte) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[j + 1..j + 3]), 16) {
                    name.push(byte);
                    j += 3;
                    continue;
                }
            }
            name.push(bytes[j]);
            j += 1;
        }
        if let Some((_, what)) = ACTIVE.iter().find(|(n, _)| n.as_bytes() == name.as_slice()) {
            return Some(what);
        }
        i = j;
    }
    None
}

fn is_name_char(byte: u8) -> bool {
    !byte.is_ascii_whitespace() && !b"/[]<>(){}%".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every check that needs no malware engine, in the scan's order.
    fn check_content(bytes: &[u8], file_name: &str, rule: &EvidenceRequirement) -> Result<(), ContentRefusal> {
        let sniffed = check_form(bytes, file_name, rule)?;
        check_patient_data(bytes, &sniffed)
    }
    use crate::domain::component::FileType;

    fn rule(types: &[(&str, &str)]) -> EvidenceRequirement {
        EvidenceRequirement {
            required_from_units: 1,
            guidance: "The list".into(),
            accepted: types
                .iter()
                .map(|(e, c)| FileType { extension: (*e).into(), content_type: (*c).into() })
                .collect(),
            max_bytes: 1024 * 1024,
        }
    }

    const PDF: &[u8] =
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

    #[test]
    fn a_clean_pdf_and_a_clean_text_file_pass() {
        assert_eq!(check_content(PDF, "list.pdf", &rule(&[("pdf", "application/pdf")])), Ok(()));
        let csv = rule(&[("csv", "text/csv")]);
        assert_eq!(check_content(b"practice,count\nA81001,12\n", "counts.csv", &csv), Ok(()));
    }

    #[test]
    fn a_declared_pdf_that_is_a_png_is_refused() {
        let refused = check_content(PNG, "scan.pdf", &rule(&[("pdf", "application/pdf"), ("png", "image/png")]));
        assert_eq!(refused, Err(ContentRefusal::TypeMismatch { extension: "pdf".into(), found: "image/png".into() }));
        let only_pdf = check_content(PNG, "scan.pdf", &rule(&[("pdf", "application/pdf")]));
        assert_eq!(only_pdf, Err(ContentRefusal::NotAcceptedType { found: "image/png".into() }));
    }

    #[test]
    fn programs_are_refused_whatever_their_name() {
        let mut exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
        exe.extend_from_slice(&[0; 64]);
        assert_eq!(
            check_content(&exe, "report.pdf", &rule(&[("pdf", "application/pdf")])),
            Err(ContentRefusal::Program)
        );
        assert_eq!(
            check_content(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", "a.pdf", &rule(&[("pdf", "application/pdf")])),
            Err(ContentRefusal::Program)
        );
    }

    #[test]
    fn pdf_scripts_launches_and_embedded_files_are_refused_even_escaped() {
        let pdf = rule(&[("pdf", "application/pdf")]);
        let script = b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF";
        assert_eq!(check_content(script, "a.pdf", &pdf), Err(ContentRefusal::PdfActiveContent("JavaScript")));
        let escaped = b"%PDF-1.7\n1 0 obj << /S /J#61vaScript >> endobj\n%%EOF";
        assert_eq!(check_content(escaped, "a.pdf", &pdf), Err(ContentRefusal::PdfActiveContent("JavaScript")));
        let launch = b"%PDF-1.7\n1 0 obj << /A << /S /Launch /F (cmd.exe) >> >> endobj\n%%EOF";
        assert!(matches!(check_content(launch, "a.pdf", &pdf), Err(ContentRefusal::PdfActiveContent(_))));
        let embedded = b"%PDF-1.7\n1 0 obj << /Type /EmbeddedFile >> endobj\n%%EOF";
        assert!(matches!(check_content(embedded, "a.pdf", &pdf), Err(ContentRefusal::PdfActiveContent(_))));
    }

    #[test]
    fn office_macros_are_refused() {
        let mut docm = b"PK\x03\x04\x14\0\0\0\x08\0".to_vec();
        docm.extend_from_slice(&[0; 16]);
        docm.extend_from_slice(b"word/vbaProject.bin");
        let xlsx = rule(&[("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]);
        assert_eq!(check_content(&docm, "letter.docx", &xlsx), Err(ContentRefusal::Macros));
    }

    #[test]
    fn a_text_file_with_a_valid_nhs_number_is_refused_and_too_big_is_too_big() {
        let csv = rule(&[("csv", "text/csv"), ("txt", "text/plain")]);
        assert_eq!(check_content(b"patient 943 476 5919\n", "list.txt", &csv), Err(ContentRefusal::PatientData));
        assert_eq!(check_content(b"reference 943 476 5918\n", "list.txt", &csv), Ok(()), "not a valid NHS number");
        let big = vec![b'a'; 1024 * 1024 + 1];
        assert!(matches!(check_content(&big, "big.txt", &csv), Err(ContentRefusal::TooBig { .. })));
        assert!(ContentRefusal::PatientData.reason().contains("NHS number"));
    }

    #[test]
    fn nhs_numbers_are_found_in_word_excel_and_pdf_text() {
        use crate::domain::evidence_text::samples::{docx, pdf_saying, zip_of};
        let word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        let excel = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let office = rule(&[("docx", word), ("xlsx", excel), ("pdf", "application/pdf")]);
        let letter = docx("<w:p><w:r><w:t>Seen: 943 476 5919</w:t></w:r></w:p>");
        assert_eq!(check_content(&letter, "letter.docx", &office), Err(ContentRefusal::PatientData));
        let clean = docx("<w:p><w:r><w:t>12 patients seen in April</w:t></w:r></w:p>");
        assert_eq!(check_content(&clean, "letter.docx", &office), Ok(()));
        let sheet = zip_of(&[("xl/worksheets/sheet1.xml", "<row><c><v>9434765919</v></c></row>")]);
        assert_eq!(check_content(&sheet, "list.xlsx", &office), Err(ContentRefusal::PatientData));
        let pdf = pdf_saying("NHS number 943 476 5919");
        assert_eq!(check_content(&pdf, "scan.pdf", &office), Err(ContentRefusal::PatientData));
        assert_eq!(check_content(&pdf_saying("Clinic list, April"), "scan.pdf", &office), Ok(()));
    }
}
