//! The words inside an evidence file, so the patient-data check can read
//! them: plain text as it is, Word and Excel (OOXML) from their XML parts,
//! PDFs from their pages where the text can be extracted (`lopdf`). Pure: bytes
//! in, text out. Archives are read with a cap, so a zip bomb costs nothing.

use std::io::Read;

/// The most text read out of one file's parts; more than any real evidence.
const TEXT_LIMIT: u64 = 64 * 1024 * 1024;

/// What kind of text-bearing file this is, from its sniffed type and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Plain,
    Word,
    Excel,
    Pdf,
}

impl TextKind {
    /// `found` is the type sniffed from the bytes; OOXML sniffs as a zip, so
    /// the extension (already checked against the bytes) says which one.
    pub fn of(found: &str, extension: &str) -> Option<Self> {
        match (found, extension) {
            ("text/plain", _) => Some(TextKind::Plain),
            ("application/pdf", _) => Some(TextKind::Pdf),
            (_, "docx" | "docm" | "dotx") => Some(TextKind::Word),
            (_, "xlsx" | "xlsm" | "xltx") => Some(TextKind::Excel),
            _ => None,
        }
    }
}

/// The file's text, or None when it cannot be read (an unreadable PDF, a
/// damaged archive): the check then has nothing to find.
pub fn text_of(bytes: &[u8], kind: TextKind) -> Option<String> {
    match kind {
        TextKind::Plain => Some(String::from_utf8_lossy(bytes).into_owned()),
        TextKind::Word => ooxml_text(bytes, |name| {
            name.starts_with("word/") && name.ends_with(".xml") && !name.starts_with("word/theme/")
        }),
        TextKind::Excel => ooxml_text(bytes, |name| {
            name == "xl/sharedStrings.xml" || (name.starts_with("xl/worksheets/") && name.ends_with(".xml"))
        }),
        TextKind::Pdf => pdf_text(bytes),
    }
}

fn ooxml_text(bytes: &[u8], wanted: impl Fn(&str) -> bool) -> Option<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let names: Vec<String> = archive.file_names().filter(|n| wanted(n)).map(str::to_string).collect();
    let mut text = String::new();
    let mut budget = TEXT_LIMIT;
    for name in names {
        let mut xml = String::new();
        let entry = archive.by_name(&name).ok()?;
        let read = entry.take(budget).read_to_string(&mut xml).ok()?;
        budget = budget.saturating_sub(read as u64);
        text.push_str(&xml_text(&xml));
        text.push('\n');
        if budget == 0 {
            break;
        }
    }
    Some(text)
}

/// Text between tags. Word splits a paragraph into runs (`<w:r>`, `<w:t>`),
/// which join without a gap; every other tag (paragraph, cell, tab) ends a
/// piece of text, so numbers in neighbouring cells never run together.
fn xml_text(xml: &str) -> String {
    let mut text = String::with_capacity(xml.len() / 2);
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        text.push_str(&unescape(&rest[..open]));
        let Some(close) = rest[open..].find('>') else { break };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
        if !matches!(name, "w:r" | "w:t" | "w:rPr" | "w:proofErr") && !name.starts_with("w:rPr") {
            text.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(&unescape(rest));
    text
}

fn unescape(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    raw.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn pdf_text(bytes: &[u8]) -> Option<String> {
    let document = lopdf::Document::load_mem(bytes).ok()?;
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text_chunks(&pages).into_iter().filter_map(Result::ok).collect::<Vec<_>>().join("\n");
    Some(text)
}

#[cfg(test)]
pub(crate) mod samples {
    //! Small real documents built in code, for these tests and the content checks'.
    use std::io::Write;

    pub fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, body) in parts {
            writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            writer.write_all(body.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    pub fn docx(paragraph_xml: &str) -> Vec<u8> {
        let body =
            format!(r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>{paragraph_xml}</w:body></w:document>"#);
        zip_of(&[("[Content_Types].xml", "<Types/>"), ("word/document.xml", &body)])
    }

    /// A one-page PDF whose page says `text` (uncompressed, Helvetica).
    pub fn pdf_saying(text: &str) -> Vec<u8> {
        use lopdf::content::{Content, Operation};
        use lopdf::{dictionary, Document, Object, Stream};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 720.into()]),
                Operation::new("Tj", vec![Object::string_literal(text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    #[test]
    fn word_runs_join_and_paragraphs_do_not() {
        let docx = docx(
            "<w:p><w:r><w:t>NHS 943</w:t></w:r><w:r><w:t>4765919</w:t></w:r></w:p><w:p><w:r><w:t>12</w:t></w:r></w:p>",
        );
        let text = text_of(&docx, TextKind::Word).unwrap();
        assert!(text.contains("NHS 9434765919"), "{text:?}");
        assert!(!text.contains("4765919 12") && !text.contains("476591912"), "{text:?}");
    }

    #[test]
    fn excel_cells_stay_apart_and_entities_are_read() {
        let sheet = r#"<worksheet><sheetData><row><c><v>943</v></c><c><v>476</v></c><c><v>5919</v></c></row></sheetData></worksheet>"#;
        let xlsx = zip_of(&[
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", "<sst><si><t>A &amp; B 943 476 5919</t></si></sst>"),
        ]);
        let text = text_of(&xlsx, TextKind::Excel).unwrap();
        assert!(text.contains("A & B 943 476 5919"));
        assert!(text.contains("943\n") && !text.contains("9434765919") && !text.contains("943 476\n"), "{text:?}");
    }

    #[test]
    fn pdf_page_text_is_extracted_and_damage_is_no_text() {
        let pdf = pdf_saying("Patient 943 476 5919");
        assert!(text_of(&pdf, TextKind::Pdf).unwrap().contains("943 476 5919"));
        assert_eq!(text_of(b"%PDF-1.4 not really", TextKind::Pdf), None);
        assert_eq!(text_of(b"PK\x03\x04 broken", TextKind::Word), None);
    }

    #[test]
    fn kinds_come_from_the_sniffed_type_then_the_extension() {
        assert_eq!(TextKind::of("text/plain", "csv"), Some(TextKind::Plain));
        assert_eq!(TextKind::of("application/zip", "docx"), Some(TextKind::Word));
        assert_eq!(TextKind::of("application/zip", "xlsx"), Some(TextKind::Excel));
        assert_eq!(TextKind::of("image/png", "png"), None);
    }
}
