//! One extractor for every route: JSON body, path and query parameters.

use crate::error::AppError;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;

/// Forms are small; anything larger is a mistake or an attack.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn json_body<T: DeserializeOwned>(request: &Request) -> Result<T, AppError> {
    if let Some(content_type) = request.headers().get("content-type") {
        let is_json = content_type
            .to_str()
            .map(|value| {
                let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
    }
    let bytes: &[u8] = request.body().as_ref();
    if bytes.len() > MAX_BODY_BYTES {
        return Err(AppError::TooLarge);
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(AppError::Malformed("The request has no body: send the form as a JSON object".into())),
        Some(b'{') => {}
        Some(_) => return Err(AppError::Malformed("The request body must be a JSON object".into())),
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_data() {
            AppError::invalid_field(&path.replace('.', "/"), format!("This value is of the wrong type ({inner})"))
        } else {
            AppError::Malformed(format!(
                "The request body is not valid JSON (line {}, column {})",
                inner.line(),
                inner.column()
            ))
        }
    })
}

/// A CSV file sent as the body (`text/csv`, or as spreadsheet programs label
/// it), as text; at most `max_bytes`.
pub fn csv_body(request: &Request, max_bytes: usize) -> Result<String, AppError> {
    let essence = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(essence.as_str(), "text/csv" | "application/csv" | "application/vnd.ms-excel" | "text/plain") {
        return Err(AppError::invalid_field(
            "file",
            "Upload the sheet as a CSV file (in a spreadsheet program: Save As, CSV UTF-8)",
        ));
    }
    let bytes: &[u8] = request.body().as_ref();
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

pub fn path_param(request: &Request, name: &str) -> Result<String, AppError> {
    request
        .path_parameters_ref()
        .and_then(|params| params.first(name))
        .map(str::to_string)
        .ok_or_else(|| AppError::NotFound(format!("No {name} was given in the address")))
}

pub fn query_param(request: &Request, name: &str) -> Option<String> {
    request.query_string_parameters_ref().and_then(|params| params.first(name)).map(str::to_string)
}

/// An optional query parameter read by `parse`; a bad value is a 422 on that parameter.
pub fn query_parsed<T>(
    request: &Request,
    name: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, AppError> {
    query_param(request, name)
        .map(|raw| parse(&raw).map_err(|detail| AppError::invalid_field(name, detail)))
        .transpose()
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
