//! One extractor for every route: JSON body, path and query parameters.

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use lambda_http::Request;
use serde::de::DeserializeOwned;

/// Forms are small; anything larger is a mistake or an attack.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[cfg(test)]
fn json_body<T: DeserializeOwned>(request: &Request) -> Result<T, AppError> {
    let content_type = request.headers().get("content-type").map(|v| v.to_str().unwrap_or("unreadable").to_string());
    json_form(content_type.as_deref(), request.body().as_ref())
}

/// A form sent as JSON (`content_type` as sent, if it was).
pub fn json_form<T: DeserializeOwned>(content_type: Option<&str>, bytes: &[u8]) -> Result<T, AppError> {
    if let Some(content_type) = content_type {
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if !(essence == "application/json" || essence.ends_with("+json")) {
            return Err(AppError::UnsupportedMediaType);
        }
    }
    if bytes.len() > MAX_BODY_BYTES {
        return Err(AppError::TooLarge);
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(AppError::Malformed("The request has no body: send the form as a JSON object".into())),
        Some(b'{') => {}
        Some(_) => return Err(AppError::Malformed("The request body must be a JSON object".into())),
    }
    // API Gateway hands over a body that is not text base64-encoded; the
    // runtime decodes it, so bytes that are not UTF-8 arrive here.
    if std::str::from_utf8(bytes).is_err() {
        return Err(AppError::Malformed(
            "The request body is not readable text: send the form as JSON in UTF-8".to_string(),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let form = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        // A few wrong types (a number where a choice belongs) come as syntax
        // errors although the JSON is sound: they are the field's problem.
        if !inner.is_data() && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
            return AppError::Malformed(format!(
                "The request body is not valid JSON (line {}, column {})",
                inner.line(),
                inner.column()
            ));
        }
        let (field, message) = field_error_in_plain_words(&path, &inner.to_string());
        AppError::invalid_field(&field, message)
    })?;
    refuse_unreadable_values::<T>(bytes)?;
    Ok(form)
}

/// Text with invisible control characters (a NUL, an escape, DEL, the C1
/// controls U+0080–U+009F…) is refused in any field the form reads, however it
/// is written; line breaks and tabs stay, for the fields that are several
/// lines. So is `null`: no form gives it a meaning (a field is left out
/// instead), and the API document allows it nowhere. Fields the form does not
/// know are ignored, as everything else about them is. JSON carries C0
/// controls only escaped (`\u0000`), while DEL and C1 may come escaped or as
/// raw UTF-8 (`0x7F`, `0xC2 0x80`–`0xC2 0x9F`): a body with none of those, and
/// no `null`, is read no further.
fn refuse_unreadable_values<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), AppError> {
    let may_hold_one =
        bytes.windows(2).any(|pair| pair == b"\\u" || (pair[0] == 0xC2 && (0x80..=0x9F).contains(&pair[1])))
            || bytes.contains(&0x7F)
            || memchr::memmem::find(bytes, b"null").is_some();
    if !may_hold_one {
        return Ok(());
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| AppError::Malformed("The request body is not valid JSON".into()))?;
    let mut ignored = Vec::new();
    // The form was read from these bytes already; this reading only learns
    // which fields it passed over.
    let _ = serde_ignored::deserialize(&value, |path| ignored.push(pointer_of(&path))) as Result<T, _>;
    for pointer in ignored {
        remove_at(&mut value, &pointer);
    }
    let mut errors = FieldErrors::new();
    find_unreadable_values(&value, String::new(), &mut errors);
    errors.into_result().map_err(AppError::from)
}

/// The steps from the body's root to a field the form passed over.
fn pointer_of(path: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => [pointer_of(parent), vec![index.to_string()]].concat(),
        Path::Map { parent, key } => [pointer_of(parent), vec![key.clone()]].concat(),
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => pointer_of(parent),
    }
}

fn remove_at(value: &mut serde_json::Value, steps: &[String]) {
    let Some((last, parents)) = steps.split_last() else {
        *value = serde_json::Value::Bool(false);
        return;
    };
    let mut at = value;
    for step in parents {
        at = match at {
            serde_json::Value::Object(fields) => match fields.get_mut(step) {
                Some(inner) => inner,
                None => return,
            },
            serde_json::Value::Array(items) => match step.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(inner) => inner,
                None => return,
            },
            _ => return,
        };
    }
    match at {
        serde_json::Value::Object(fields) => {
            fields.remove(last);
        }
        serde_json::Value::Array(items) => {
            // Kept in place so later items keep their positions, as a value with nothing to judge.
            if let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *item = serde_json::Value::Bool(false);
            }
        }
        _ => {}
    }
}

fn find_unreadable_values(value: &serde_json::Value, at: String, errors: &mut FieldErrors) {
    let join = |step: &str| {
        let step = crate::domain::validation::pointer_segment(step);
        if at.is_empty() {
            step.into_owned()
        } else {
            format!("{at}/{step}")
        }
    };
    match value {
        serde_json::Value::String(text) if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) => {
            errors.add(&at, "Remove the invisible control characters from this text (they can come with copied text)");
        }
        serde_json::Value::Null => errors.add(&at, "Enter a value here, or leave it out"),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_unreadable_values(item, join(&i.to_string()), errors);
            }
        }
        serde_json::Value::Object(fields) => {
            for (name, item) in fields {
                find_unreadable_values(item, join(name), errors);
            }
        }
        _ => {}
    }
}

/// A value of the wrong type or form, said as a person filling the form would
/// understand it (the parser says "invalid type: string \"yes\", expected a
/// boolean at line 1 column 20"), with the field it is about. A missing
/// field is reported on itself, not on the object around it.
pub(crate) fn field_error_in_plain_words(path: &str, parser_says: &str) -> (String, String) {
    let said = parser_says.split(" at line ").next().unwrap_or(parser_says);
    let field = |name: Option<&str>| {
        let whole = match (path, name) {
            (".", Some(name)) | ("", Some(name)) => name.to_string(),
            (path, Some(name)) => format!("{path}.{name}"),
            (path, None) => path.to_string(),
        };
        // "lines[0].units" → "lines/0/units", a JSON pointer's steps.
        whole.replace(['.', '['], "/").replace(']', "")
    };
    if let Some(name) = said.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        return (field(Some(name)), "This is required".to_string());
    }
    if let Some(choices) = said.strip_prefix("unknown variant `").and_then(|rest| rest.split_once("`, expected ")) {
        let options: Vec<&str> = choices.1.split('`').skip(1).step_by(2).collect();
        return (field(None), format!("Choose one of: {}", options.join(", ")));
    }
    let expected = said.split_once(", expected ").map(|(_, expected)| expected);
    let message = match expected {
        Some("a boolean") => "Enter true or false".to_string(),
        Some("u8" | "u16" | "u32" | "u64" | "usize") => "Enter a whole number, 0 or more".to_string(),
        Some("i8" | "i16" | "i32" | "i64" | "isize") => "Enter a whole number".to_string(),
        Some("f32" | "f64") => "Enter a number".to_string(),
        Some("a string" | "a borrowed string" | "string") => "Enter this as text".to_string(),
        Some(e) if e.starts_with("a sequence") || e.starts_with("a list") => "Give a list".to_string(),
        Some(e) if e.starts_with("a map") || e.starts_with("struct ") => "Give the details as an object".to_string(),
        // A type of our own says what it expects in the practice's words.
        Some(e) if e.starts_with(char::is_uppercase) => e.to_string(),
        _ if !said.starts_with("invalid ") && said.starts_with(char::is_uppercase) => said.to_string(),
        _ => "This is not in the form expected here".to_string(),
    };
    (field(None), message)
}

/// A CSV file sent as the body (`text/csv`, or as spreadsheet programs label
/// it), as text; at most `max_bytes`.
#[cfg(test)]
fn csv_body(request: &Request, max_bytes: usize) -> Result<String, AppError> {
    let content_type = request.headers().get("content-type").and_then(|v| v.to_str().ok());
    csv_text(content_type, request.body().as_ref(), max_bytes)
}

/// A CSV file's text (`content_type` as sent, if it was), at most `max_bytes`.
pub fn csv_text(content_type: Option<&str>, bytes: &[u8], max_bytes: usize) -> Result<String, AppError> {
    let essence =
        content_type.map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()).unwrap_or_default();
    if !matches!(essence.as_str(), "text/csv" | "application/csv" | "application/vnd.ms-excel" | "text/plain") {
        return Err(AppError::invalid_field(
            "file",
            "Upload the sheet as a CSV file (in a spreadsheet program: Save As, CSV UTF-8)",
        ));
    }
    if bytes.len() > max_bytes {
        return Err(AppError::invalid_field(
            "file",
            format!("The file is larger than {} KB: upload fewer rows at a time", max_bytes / 1024),
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        AppError::invalid_field("file", "Save the file as CSV UTF-8 (comma delimited) and upload it again")
    })
}

pub fn bearer_token(request: &Request) -> Result<&str, AppError> {
    let header = request.headers().get("authorization").ok_or(AppError::Unauthenticated("no authorization header"))?;
    let value = header.to_str().map_err(|_| AppError::Unauthenticated("unreadable authorization header"))?;
    let (scheme, token) =
        value.split_once(' ').ok_or(AppError::Unauthenticated("authorization header is not a bearer token"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AppError::Unauthenticated("authorization header is not a bearer token"));
    }
    Ok(token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::Body;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Form {
        #[allow(dead_code)]
        name: Option<String>,
    }

    fn request(content_type: Option<&str>, body: &str) -> Request {
        let mut builder = http::Request::builder().method("POST").uri("/x");
        if let Some(value) = content_type {
            builder = builder.header("content-type", value);
        }
        builder.body(Body::from(body.to_string())).unwrap()
    }

    #[test]
    fn a_csv_upload_is_utf8_text_of_a_spreadsheet_type_within_its_size() {
        let csv = |content_type: &str, body: Vec<u8>| {
            http::Request::builder()
                .method("POST")
                .uri("/x")
                .header("content-type", content_type)
                .body(Body::from(body))
        };
        let ok = csv("text/csv; charset=utf-8", b"ODS code\nA81001\n".to_vec()).unwrap();
        assert_eq!(csv_body(&ok, 100).unwrap(), "ODS code\nA81001\n");
        assert!(
            csv_body(&csv("application/vnd.ms-excel", b"a".to_vec()).unwrap(), 100).is_ok(),
            "as Windows labels it"
        );
        let field = |r: Result<String, AppError>| match r {
            Err(AppError::Validation { errors, .. }) => errors.pointers().join(","),
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(field(csv_body(&csv("application/json", b"{}".to_vec()).unwrap(), 100)), "/file");
        assert_eq!(field(csv_body(&csv("text/csv", vec![0xff, 0xfe, 0]).unwrap(), 100)), "/file");
        assert_eq!(field(csv_body(&csv("text/csv", vec![b'a'; 101]).unwrap(), 100)), "/file");
    }

    #[test]
    fn reads_a_json_object() {
        assert!(json_body::<Form>(&request(Some("application/json; charset=utf-8"), r#"{"name":"x"}"#)).is_ok());
    }

    #[test]
    fn refuses_other_media_types_empty_bodies_and_bad_json() {
        assert!(matches!(json_body::<Form>(&request(Some("text/plain"), "{}")), Err(AppError::UnsupportedMediaType)));
        assert!(matches!(json_body::<Form>(&request(None, "  ")), Err(AppError::Malformed(_))));
        assert!(matches!(json_body::<Form>(&request(None, "{\"name\":")), Err(AppError::Malformed(_))));
        assert!(matches!(json_body::<Form>(&request(None, "[1]")), Err(AppError::Malformed(_))));
        let big = format!("{{\"name\":\"{}\"}}", "a".repeat(MAX_BODY_BYTES));
        assert!(matches!(json_body::<Form>(&request(None, &big)), Err(AppError::TooLarge)));
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Rule {
        name: Option<String>,
        required_from_units: Option<u32>,
        confirm: Option<bool>,
        organisation_code: Option<String>,
        lines: Option<Vec<Line>>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Line {
        units: i64,
        note: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        PerUnit,
        Retainer,
    }

    fn field_error(body: &str) -> (String, String) {
        match json_body::<Rule>(&request(None, body)) {
            Err(AppError::Validation { errors, .. }) => {
                let error = errors.iter().next().unwrap();
                (error.pointer.clone(), error.detail.clone())
            }
            other => panic!("expected a field error for {body}, got {other:?}"),
        }
    }

    #[test]
    fn type_errors_are_in_plain_words_on_their_field() {
        let said = |body: &str| field_error(body);
        let pair = |p: &str, m: &str| (p.to_string(), m.to_string());
        assert_eq!(said(r#"{"requiredFromUnits": -1}"#), pair("/requiredFromUnits", "Enter a whole number, 0 or more"));
        assert_eq!(
            said(r#"{"requiredFromUnits": "x"}"#),
            pair("/requiredFromUnits", "Enter a whole number, 0 or more")
        );
        assert_eq!(said(r#"{"confirm": "yes"}"#), pair("/confirm", "Enter true or false"));
        assert_eq!(said(r#"{"organisationCode": 123}"#), pair("/organisationCode", "Enter this as text"));
        assert_eq!(said(r#"{"lines": {}}"#), pair("/lines", "Give a list"));
        assert_eq!(said(r#"{"lines": [{"units": 1.5, "note": ""}]}"#), pair("/lines/0/units", "Enter a whole number"));
        assert_eq!(said(r#"{"lines": [{"units": 1}]}"#), pair("/lines/0/note", "This is required"));
        assert_eq!(said(r#"{"kind": "monthly"}"#), pair("/kind", "Choose one of: per_unit, retainer"));
        for body in [r#"{"requiredFromUnits": 99999999999}"#, r#"{"lines": [5]}"#, r#"{"kind": 5}"#] {
            let (_, message) = said(body);
            assert!(!message.contains("invalid") && !message.contains("line 1"), "{body}: {message}");
        }
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_bad_request_in_plain_words() {
        let event = serde_json::json!({
            "version": "2.0", "routeKey": "POST /x", "rawPath": "/x", "rawQueryString": "",
            "headers": {"content-type": "application/json"},
            "requestContext": {"accountId": "1", "apiId": "a", "domainName": "d", "domainPrefix": "d",
                "http": {"method": "POST", "path": "/x", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
                "requestId": "r", "routeKey": "POST /x", "stage": "$default", "time": "27/Nov/2026:18:00:00 +0000",
                "timeEpoch": 0},
            // {"name":"<0xff>"} as API Gateway hands a body it cannot pass as text.
            "body": "eyJuYW1lIjoi/yJ9", "isBase64Encoded": true
        });
        let request = lambda_http::request::from_str(&event.to_string()).unwrap();
        match json_body::<Form>(&request) {
            Err(error @ AppError::Malformed(_)) => {
                assert!(error.to_string().contains("not readable text"), "{error}");
                assert_eq!(crate::edge::problem::Problem::from(&error).status, 400);
            }
            other => panic!("expected a 400, got {other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused_where_they_are_and_line_breaks_kept() {
        let body = r#"{"name": "Pr\u0000obe", "lines": [{"units": 1, "note": "a\u001b[31m"}], "kind": "per_unit"}"#;
        match json_body::<Rule>(&request(None, body)) {
            Err(AppError::Validation { errors, .. }) => assert_eq!(errors.pointers(), ["/lines/0/note", "/name"]),
            other => panic!("expected field errors, got {other:?}"),
        }
        let lines = r#"{"lines": [{"units": 1, "note": "First line\nSecond\tline \u00e9"}]}"#;
        assert!(json_body::<Rule>(&request(None, lines)).is_ok());
    }

    #[test]
    fn null_is_refused_where_the_form_reads_it_and_ignored_elsewhere() {
        match json_body::<Rule>(&request(None, r#"{"name": null, "lines": [{"units": 1, "note": "n"}]}"#)) {
            Err(AppError::Validation { errors, .. }) => assert_eq!(errors.pointers(), ["/name"]),
            other => panic!("expected a field error, got {other:?}"),
        }
        assert!(json_body::<Rule>(&request(None, r#"{"name": "Nullman", "other": null}"#)).is_ok());
    }

    #[test]
    fn control_characters_in_fields_the_form_does_not_read_are_ignored_with_them() {
        let unknown =
            r#"{"name": "Probe", "x\u0001": ["\u0002"], "lines": [{"units": 1, "note": "n", "y": "\u0003"}]}"#;
        assert!(json_body::<Rule>(&request(None, unknown)).is_ok());
        let known = r#"{"name": "Pr\u0000obe", "extra": "\u0002"}"#;
        match json_body::<Rule>(&request(None, known)) {
            Err(AppError::Validation { errors, .. }) => assert_eq!(errors.pointers(), ["/name"]),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn del_and_c1_controls_are_refused_raw_or_escaped_and_pointers_escape_their_keys() {
        for control in ['\u{7f}', '\u{80}', '\u{9b}', '\u{9f}'] {
            let raw = format!("{{\"name\": \"Pr{control}obe\"}}");
            let escaped = format!("{{\"name\": \"Pr\\u{:04x}obe\"}}", u32::from(control));
            for body in [raw, escaped] {
                match json_body::<Rule>(&request(None, &body)) {
                    Err(AppError::Validation { errors, .. }) => assert_eq!(errors.pointers(), ["/name"], "{body}"),
                    other => panic!("expected a field error for {body:?}, got {other:?}"),
                }
            }
        }
        assert!(
            json_body::<Rule>(&request(None, r#"{"name": "Caf\u00e9 \u00a0 é"}"#)).is_ok(),
            "U+00A0 and é are text"
        );
        let keyed = r#"{"answers": {"a/b~c": "x\u0007"}}"#;
        let mut errors = FieldErrors::new();
        find_unreadable_values(&serde_json::from_str(keyed).unwrap(), String::new(), &mut errors);
        assert_eq!(errors.pointers(), ["/answers/a~1b~0c"]);
    }

    #[test]
    fn a_wrong_type_points_at_its_field() {
        match json_body::<Form>(&request(None, r#"{"name": 5}"#)) {
            Err(AppError::Validation { errors, .. }) => {
                assert_eq!(errors.iter().next().unwrap().pointer, "/name");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn bearer_tokens_are_read_from_the_header() {
        let with = |value: &str| http::Request::builder().header("authorization", value).body(Body::Empty).unwrap();
        assert_eq!(bearer_token(&with("Bearer abc")).unwrap(), "abc");
        assert_eq!(bearer_token(&with("bearer abc")).unwrap(), "abc");
        assert!(bearer_token(&with("Basic abc")).is_err());
        assert!(bearer_token(&with("Bearer ")).is_err());
        assert!(bearer_token(&http::Request::builder().body(Body::Empty).unwrap()).is_err());
    }
}
