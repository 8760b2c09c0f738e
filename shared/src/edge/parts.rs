//! What a step takes from its request, said by the types of its arguments:
//!
//! ```ignore
//! shared::serve_http!(POST "/claims/{id}/submit" => submit);
//! async fn submit(app: &App, caller: SignedIn, Path(id): Path<ClaimId>, form: Json<ConfirmForm>) -> HttpResult
//! ```
//!
//! The step never sees the raw request, so what it reads is what its signature
//! says — the sample event's test and the route's description come from the
//! same types. The path is read first (an address that names nothing is a 404);
//! the query and the body are read when the step asks (`read()`), after it has
//! judged the caller, so a refused caller is told only that.

use crate::access::caller::{Credentials, SignedIn};
use crate::app::App;
use crate::edge::openapi::{path_parameter, Answer, Answered, Describe, FormSchema, Operation};
use crate::edge::request::{csv_text, field_error_in_plain_words, json_form};
use crate::edge::HttpResult;
use crate::error::AppError;
use lambda_http::{Body, Request, RequestExt};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::marker::PhantomData;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::{ObjectBuilder, RefOr, Schema};

/// A part of the request a step takes as an argument, and what it adds to the
/// route's description.
pub trait FromRequest: Sized + Send + Describe {
    /// Takes the part from the request (the body is moved out, not copied).
    fn from_request(request: &mut Request) -> Result<Self, AppError>;

    /// Panics, naming the sample event, when the sample lacks this part or
    /// holds one the step would refuse.
    fn check_sample(event: &str, request: &Request);
}

/// One value of the address (`/claims/{id}`), read as `T`.
pub trait PathValue: Sized + Send {
    /// The name of the value in the route (`id`, `lineId`, …).
    const NAME: &'static str;
    fn parse(raw: &str) -> Result<Self, AppError>;

    /// What the value may be, for the description: an id is up to 100
    /// characters, and anything else names nothing (404).
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(100))
            .into()
    }
}

/// The values of the address, each of its own type.
pub struct Path<T>(pub T);

/// The address's values as the tuple of them the route names.
pub trait PathValues: Sized + Send {
    fn names() -> Vec<&'static str>;
    fn describe(operation: &mut Operation);
    fn from_values(value: impl Fn(&'static str) -> Result<String, AppError>) -> Result<Self, AppError>;
}

macro_rules! path_values {
    ($($value:ident),+) => {
        impl<$($value: PathValue),+> PathValues for ($($value,)+) {
            fn names() -> Vec<&'static str> {
                vec![$($value::NAME),+]
            }
            fn describe(operation: &mut Operation) {
                $(path_parameter::<Schemed<$value>>(operation, $value::NAME);)+
            }
            fn from_values(value: impl Fn(&'static str) -> Result<String, AppError>) -> Result<Self, AppError> {
                Ok(($($value::parse(&value($value::NAME)?)?,)+))
            }
        }
    };
}
path_values!(A);
path_values!(A, B);
path_values!(A, B, C);

impl<T: PathValue> PathValues for T {
    fn names() -> Vec<&'static str> {
        vec![T::NAME]
    }
    fn describe(operation: &mut Operation) {
        path_parameter::<Schemed<T>>(operation, T::NAME);
    }
    fn from_values(value: impl Fn(&'static str) -> Result<String, AppError>) -> Result<Self, AppError> {
        T::parse(&value(T::NAME)?)
    }
}

/// A path value's schema, as utoipa takes it.
struct Schemed<T>(PhantomData<T>);

impl<T: PathValue> utoipa::PartialSchema for Schemed<T> {
    fn schema() -> RefOr<Schema> {
        T::schema()
    }
}

impl<T: PathValues> Describe for Path<T> {
    fn describe(operation: &mut Operation) {
        T::describe(operation);
    }
}

fn path_value(request: &Request, name: &str) -> Result<String, AppError> {
    request
        .path_parameters_ref()
        .and_then(|params| params.first(name))
        .map(str::to_string)
        .ok_or_else(|| AppError::NotFound(format!("No {name} was given in the address")))
}

impl<T: PathValues> FromRequest for Path<T> {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        T::from_values(|name| path_value(request, name)).map(Path)
    }

    fn check_sample(event: &str, request: &Request) {
        for name in T::names() {
            if let Err(error) = path_value(request, name) {
                panic!("events/{event}.json has no path parameter `{name}`, which this step reads: {error}");
            }
        }
    }
}

/// The query string, read as `T` (its fields are the parameters, each
/// optional unless the step needs it) when the step asks.
pub struct Query<T> {
    /// The parameters as sent (the first of each name), encoded again.
    encoded: String,
    wanted: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Query<T> {
    /// The parameters; one that is not as `T` says is a 422 on that parameter.
    pub fn read(&self) -> Result<T, AppError> {
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(self.encoded.as_bytes()));
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let path = error.path().to_string();
            let (field, detail) = field_error_in_plain_words(&path, &error.into_inner().to_string());
            AppError::invalid_field(&field, detail)
        })
    }

    fn of(request: &Request) -> Self {
        let params = request.query_string_parameters();
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (name, value) in params.iter() {
            if !pairs.iter().any(|(seen, _)| *seen == name) {
                pairs.push((name, value));
            }
        }
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        Query { encoded, wanted: PhantomData }
    }
}

impl<T: utoipa::IntoParams> Describe for Query<T> {
    fn describe(operation: &mut Operation) {
        operation.refuses(&[422]);
        for parameter in T::into_params(|| Some(ParameterIn::Query)) {
            operation.parameter(parameter);
        }
    }
}

impl<T: DeserializeOwned + utoipa::IntoParams> FromRequest for Query<T> {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        Ok(Query::of(request))
    }

    fn check_sample(event: &str, request: &Request) {
        if let Err(error) = Query::<T>::of(request).read() {
            panic!("events/{event}.json has a query this step refuses: {error:?}");
        }
    }
}

/// The JSON body, read as `T` when the step asks.
pub struct Json<T> {
    content_type: Option<String>,
    body: Body,
    wanted: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Json<T> {
    /// The form; one that is not JSON, or not as `T` says, is refused with
    /// what is wrong at each field.
    pub fn read(&self) -> Result<T, AppError> {
        json_form(self.content_type.as_deref(), self.body.as_ref())
    }

    /// What the body asks, whatever its spacing and key order: the same
    /// request sent again has the same one (an `Idempotency-Key`'s request).
    pub fn fingerprint(&self) -> String {
        let bytes = self.body.as_ref();
        let canonical = serde_json::from_slice::<serde_json::Value>(bytes).map(|v| v.to_string().into_bytes());
        fingerprint_of(canonical.as_deref().unwrap_or(bytes))
    }
}

/// A short digest of a request's body, to know the same request sent again.
fn fingerprint_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn content_type(request: &Request) -> Option<String> {
    request.headers().get("content-type").map(|v| v.to_str().unwrap_or("unreadable").to_string())
}

impl<T: FormSchema> Describe for Json<T> {
    fn describe(operation: &mut Operation) {
        operation.refuses(&[400, 413, 415, 422]);
        let schema = T::body_schema(operation);
        operation.body("application/json", schema, true);
    }
}

impl<T: DeserializeOwned + FormSchema> FromRequest for Json<T> {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        let content_type = content_type(request);
        let body = std::mem::take(request.body_mut());
        Ok(Json { content_type, body, wanted: PhantomData })
    }

    fn check_sample(event: &str, request: &Request) {
        if let Err(error) = json_form::<T>(content_type(request).as_deref(), request.body().as_ref()) {
            panic!("events/{event}.json's body is not the form this step reads: {error:?}");
        }
    }
}

/// A CSV file sent as the body, read (as text, at most `MAX` bytes) when the step asks.
pub struct CsvFile<const MAX: usize> {
    content_type: Option<String>,
    body: Body,
}

impl<const MAX: usize> CsvFile<MAX> {
    pub fn read(&self) -> Result<String, AppError> {
        csv_text(self.content_type.as_deref(), self.body.as_ref(), MAX)
    }

    /// The file's digest: the same file sent again has the same one.
    pub fn fingerprint(&self) -> String {
        fingerprint_of(self.body.as_ref())
    }
}

impl<const MAX: usize> Describe for CsvFile<MAX> {
    fn describe(operation: &mut Operation) {
        operation.refuses(&[400, 413, 415, 422]);
        for content_type in ["text/csv", "application/vnd.ms-excel", "text/plain"] {
            let file = ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).max_length(Some(MAX));
            operation.body(content_type, file.into(), true);
        }
    }
}

impl<const MAX: usize> FromRequest for CsvFile<MAX> {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        let content_type = content_type(request);
        Ok(CsvFile { content_type, body: std::mem::take(request.body_mut()) })
    }

    fn check_sample(event: &str, request: &Request) {
        if let Err(error) = csv_text(content_type(request).as_deref(), request.body().as_ref(), MAX) {
            panic!("events/{event}.json's body is not the file this step reads: {error:?}");
        }
    }
}

/// A request header the step reads, if it was sent.
pub trait HeaderName {
    const NAME: &'static str;
    /// How the header is described (`Cookie` is the browser's own, and is not).
    fn describe(operation: &mut Operation);
}

impl<H: HeaderName> Describe for Header<H> {
    fn describe(operation: &mut Operation) {
        H::describe(operation);
    }
}

/// The value of header `H`, if sent (a value that is not visible text is kept as sent, lossily).
pub struct Header<H> {
    pub value: Option<String>,
    named: PhantomData<fn() -> H>,
}

impl<H: HeaderName> FromRequest for Header<H> {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        let value = request.headers().get(H::NAME).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        Ok(Header { value, named: PhantomData })
    }

    fn check_sample(_event: &str, _request: &Request) {}
}

/// `Idempotency-Key`: a retry of a creating request that says it is one.
pub enum IdempotencyKeyHeader {}
impl HeaderName for IdempotencyKeyHeader {
    const NAME: &'static str = "idempotency-key";
    fn describe(operation: &mut Operation) {
        operation.parameter_of(
            "Idempotency-Key",
            ParameterIn::Header,
            false,
            "A key of your own for this request (up to 100 letters, digits and symbols); the same request sent again \
             with it, after an answer that never arrived, is answered as the first was and changes nothing more.",
            ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .min_length(Some(1))
                .max_length(Some(100))
                .pattern(Some("^[!-~]+$"))
                .into(),
        );
    }
}

impl Header<IdempotencyKeyHeader> {
    /// The key sent, checked: visible characters, at most 100.
    pub fn key(&self) -> Result<Option<&str>, AppError> {
        let Some(value) = &self.value else { return Ok(None) };
        let key = value.trim();
        if key.is_empty() || key.len() > 100 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AppError::invalid_field(
                "Idempotency-Key",
                "Send a key of up to 100 letters, digits and symbols",
            ));
        }
        Ok(Some(key))
    }
}

/// `If-Match`: the version of the record the change was made to.
pub enum IfMatchHeader {}
impl HeaderName for IfMatchHeader {
    const NAME: &'static str = "if-match";
    fn describe(operation: &mut Operation) {
        operation.refuses(&[412]);
        operation.parameter_of(
            "If-Match",
            ParameterIn::Header,
            false,
            "The claim's `version` as loaded, quoted (`\"3\"`): the change is refused (412) if the claim has changed since",
            ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).into(),
        );
    }
}

/// `Cookie`: the browser session's cookie.
pub enum CookieHeader {}
impl HeaderName for CookieHeader {
    const NAME: &'static str = "cookie";
    /// The browser's own: not a parameter a caller sets.
    fn describe(_operation: &mut Operation) {}
}

impl Describe for SignedIn {
    fn describe(operation: &mut Operation) {
        operation.signed_in();
        operation.refuses(&[404, 422]);
    }
}

impl Describe for Option<Credentials> {
    fn describe(operation: &mut Operation) {
        operation.refuses(&[401, 403]);
    }
}

/// The caller of a signed-in route, whose token the edge has verified.
impl FromRequest for SignedIn {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        request
            .extensions_mut()
            .remove::<SignedIn>()
            .ok_or(AppError::Unauthenticated("the route was not served as a signed-in one"))
    }

    fn check_sample(event: &str, request: &Request) {
        assert!(
            request.headers().contains_key("authorization"),
            "events/{event}.json has no Authorization header, which this signed-in route needs"
        );
    }
}

/// On a public route, the bearer token if one was sent (not yet verified).
impl FromRequest for Option<Credentials> {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        if !request.headers().contains_key("authorization") {
            return Ok(None);
        }
        crate::edge::bearer_token(request).map(|token| Some(Credentials::new(token)))
    }

    fn check_sample(_event: &str, _request: &Request) {}
}

/// A step: a function of the app and the parts of the request it names.
pub trait Step<Parts>: Sync {
    fn call(&self, app: &'static App, request: Request) -> impl Future<Output = HttpResult> + Send;

    /// Panics unless the sample event holds every part the step takes.
    fn check_sample(&self, event: &str, request: &Request);

    /// What the route takes and answers, from the step's parts and answer.
    fn describe(&self, operation: &mut Operation);
}

macro_rules! step_taking {
    ($($part:ident),*) => {
        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, Fut, S, const STATUS: u16, $($part: FromRequest),*> Step<(Answer<S, STATUS>, $($part,)*)> for F
        where
            F: Fn(&'static App, $($part),*) -> Fut + Sync,
            Fut: Future<Output = Answered<S, STATUS>> + Send,
            Answer<S, STATUS>: Describe,
        {
            fn call(&self, app: &'static App, mut request: Request) -> impl Future<Output = HttpResult> + Send {
                async move {
                    let ($($part,)*) = ($($part::from_request(&mut request)?,)*);
                    self(app, $($part),*).await.map(Answer::into_response)
                }
            }

            fn check_sample(&self, event: &str, request: &Request) {
                $($part::check_sample(event, request);)*
            }

            fn describe(&self, operation: &mut Operation) {
                $($part::describe(operation);)*
                <Answer<S, STATUS>>::describe(operation);
            }
        }
    };
}
step_taking!();
step_taking!(A);
step_taking!(A, B);
step_taking!(A, B, C);
step_taking!(A, B, C, D);
step_taking!(A, B, C, D, E);

/// `If-Match`, if sent.
pub type IfMatch = Header<IfMatchHeader>;
/// `Idempotency-Key`, if sent.
pub type IdempotencyKey = Header<IdempotencyKeyHeader>;
/// `Cookie`, if sent.
pub type Cookies = Header<CookieHeader>;

/// A query value read by its type's own `parse`, refused in its words.
pub trait QueryValue: Sized {
    fn parse(raw: &str) -> Result<Self, String>;
}

/// For `#[serde(default, deserialize_with = "query_value")]` on a query's field.
pub fn query_value<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: QueryValue,
{
    let raw: Option<String> = serde::Deserialize::deserialize(deserializer)?;
    raw.map(|raw| T::parse(&raw).map_err(serde::de::Error::custom)).transpose()
}

macro_rules! query_values {
    ($($value:ty),*) => {
        $(impl QueryValue for $value {
            fn parse(raw: &str) -> Result<Self, String> {
                <$value>::parse(raw)
            }
        })*
    };
}
query_values!(
    crate::domain::claim::ClaimStatus,
    crate::domain::offer::OfferStatus,
    crate::domain::review::Stage,
    crate::domain::financial_year::FinancialYear,
    crate::domain::claim_window::WindowState,
    crate::domain::account::MembershipStatus,
    crate::domain::report::GroupBy
);

impl QueryValue for crate::edge::address::PeriodKey {
    fn parse(raw: &str) -> Result<Self, String> {
        crate::domain::financial_year::period_key(raw).map(crate::edge::address::PeriodKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claim::ClaimStatus;
    use crate::edge::address::{ClaimId, LineId};
    use lambda_http::request::from_str;
    use serde::Deserialize;

    fn request(path: &str, query: &str, body: &str) -> Request {
        let event = serde_json::json!({
            "version": "2.0", "routeKey": "POST /claims/{id}/lines/{lineId}", "rawPath": "/x", "rawQueryString": query,
            "headers": {"content-type": "application/json", "if-match": "\"3\""},
            "pathParameters": serde_json::from_str::<serde_json::Value>(path).unwrap(),
            "requestContext": {"accountId": "1", "apiId": "a", "domainName": "d", "domainPrefix": "d",
                "http": {"method": "POST", "path": "/x", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
                "requestId": "r", "routeKey": "POST /x", "stage": "$default", "time": "27/Nov/2026:18:00:00 +0000",
                "timeEpoch": 0},
            "body": body, "isBase64Encoded": false
        });
        from_str(&event.to_string()).unwrap()
    }

    #[derive(Debug, Deserialize, utoipa::IntoParams)]
    struct Wanted {
        #[serde(default, deserialize_with = "query_value")]
        status: Option<ClaimStatus>,
        limit: Option<String>,
    }

    fn field_error(error: AppError) -> (String, String) {
        match error {
            AppError::Validation { errors, .. } => {
                let first = errors.iter().next().unwrap();
                (first.pointer.clone(), first.detail.clone())
            }
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn the_address_is_read_as_its_types_and_a_claim_number_must_be_digits() {
        let mut ok = request(r#"{"id": "42", "lineId": "L1"}"#, "", "");
        let Path((claim, line)) = Path::<(ClaimId, LineId)>::from_request(&mut ok).unwrap();
        assert_eq!((claim, line.0.as_str()), (ClaimId(42), "L1"));
        let mut letters = request(r#"{"id": "4x"}"#, "", "");
        assert!(matches!(Path::<ClaimId>::from_request(&mut letters), Err(AppError::NotFound(_))));
        let mut missing = request(r#"{"id": "42"}"#, "", "");
        assert!(matches!(Path::<(ClaimId, LineId)>::from_request(&mut missing), Err(AppError::NotFound(_))));
    }

    #[test]
    fn the_query_is_read_when_asked_and_a_bad_value_is_refused_on_its_parameter() {
        let mut good = request("{}", "status=approved&limit=5&other=1", "");
        let wanted = Query::<Wanted>::from_request(&mut good).unwrap().read().unwrap();
        assert_eq!((wanted.status, wanted.limit.as_deref()), (Some(ClaimStatus::Approved), Some("5")));
        let mut bad = request("{}", "status=lost", "");
        let query = Query::<Wanted>::from_request(&mut bad).expect("nothing is read until the step asks");
        let (field, detail) = field_error(query.read().unwrap_err());
        assert_eq!(field, "/status");
        assert!(!detail.is_empty() && !detail.contains("line 1"), "{detail}");
    }

    #[test]
    fn a_list_takes_its_paging_as_a_part_beside_its_own_parameters() {
        let mut sent = request("{}", "status=approved&limit=5&cursor=abc", "");
        let wanted = Query::<Wanted>::from_request(&mut sent).unwrap().read().unwrap();
        let paging = Paging::from_request(&mut sent).unwrap();
        assert_eq!(wanted.status, Some(ClaimStatus::Approved));
        assert_eq!((paging.size().unwrap(), paging.cursor()), (5, Some("abc")));
        let mut none = request("{}", "", "");
        let paging = Paging::from_request(&mut none).unwrap();
        assert!(paging.size().unwrap() > 0 && paging.cursor().is_none());
        let mut bad = request("{}", "limit=lots", "");
        let paging = Paging::from_request(&mut bad).expect("nothing is judged until the step asks");
        assert_eq!(field_error(paging.size().unwrap_err()).0, "/limit");
    }

    #[test]
    fn a_step_is_described_by_its_parts_and_its_answer() {
        async fn step(
            _app: &App, _who: SignedIn, _at: Path<ClaimId>, _q: Query<Wanted>, _p: Paging,
        ) -> Answered<String, 201> {
            unreachable!("described, not run")
        }
        let route = crate::edge::openapi::Route {
            method: "GET",
            path: "/claims/{id}",
            function: "get-thing",
            folder: "functions/things/get-thing",
            refusing: &[],
        };
        let document = route.describe(&step);
        let operation = &document["paths"]["/claims/{id}"]["get"];
        let names: Vec<&str> =
            operation["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["id", "status", "limit", "cursor"]);
        assert_eq!(operation["tags"][0], "things");
        assert_eq!(operation["operationId"], "getThing");
        assert_eq!(
            operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/GetThingAnswer"
        );
        for refusal in ["401", "403", "404", "422", "503"] {
            assert!(operation["responses"][refusal].is_object(), "{refusal}");
        }
        assert!(operation["responses"]["409"].is_null(), "a GET changes nothing, so meets no conflict");
        assert_eq!(operation["security"][0]["bearer"], serde_json::json!([]));
    }

    #[test]
    fn the_body_is_moved_out_and_read_when_asked() {
        #[derive(Debug, Deserialize, utoipa::ToSchema)]
        struct Form {
            confirm: bool,
        }
        let mut sent = request("{}", "", r#"{"confirm": true}"#);
        let form = Json::<Form>::from_request(&mut sent).unwrap();
        assert!(sent.body().is_empty(), "the body is taken, not copied");
        assert!(form.read().unwrap().confirm);
        let mut wrong = request("{}", "", r#"{"confirm": "yes"}"#);
        let (field, _) = field_error(Json::<Form>::from_request(&mut wrong).unwrap().read().unwrap_err());
        assert_eq!(field, "/confirm");
    }

    #[test]
    fn headers_are_read_if_sent() {
        let mut sent = request("{}", "", "");
        assert_eq!(IfMatch::from_request(&mut sent).unwrap().value.as_deref(), Some("\"3\""));
        assert_eq!(IdempotencyKey::from_request(&mut sent).unwrap().value, None);
    }

    #[test]
    fn a_signed_in_route_without_a_verified_caller_is_refused() {
        let mut sent = request("{}", "", "");
        assert!(matches!(SignedIn::from_request(&mut sent), Err(AppError::Unauthenticated(_))));
    }
}

/// `?limit=&cursor=`: how many a page, and where the page before ended — a
/// part of its own, beside the list's own query.
#[derive(Debug, Default)]
pub struct Paging {
    limit: Option<String>,
    cursor: Option<String>,
}

impl Paging {
    /// How many a page: as asked, or the list's default; refused on `limit` otherwise.
    pub fn size(&self) -> Result<i32, AppError> {
        Ok(crate::domain::listing::ListOptions::parse(None, None, self.limit.as_deref())?.limit)
    }

    pub fn limit(&self) -> Option<&str> {
        self.limit.as_deref()
    }

    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
}

impl FromRequest for Paging {
    fn from_request(request: &mut Request) -> Result<Self, AppError> {
        let params = request.query_string_parameters();
        Ok(Paging {
            limit: params.first("limit").map(str::to_string),
            cursor: params.first("cursor").map(str::to_string),
        })
    }

    fn check_sample(_event: &str, _request: &Request) {}
}

impl Describe for Paging {
    fn describe(operation: &mut Operation) {
        use crate::domain::listing::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
        operation.refuses(&[400, 422]);
        let limit = ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(1))
            .maximum(Some(MAX_PAGE_SIZE))
            .default(Some(DEFAULT_PAGE_SIZE.into()));
        operation.parameter_of("limit", ParameterIn::Query, false, "Items on a page", limit.into());
        let cursor = ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).max_length(Some(2000));
        operation.parameter_of("cursor", ParameterIn::Query, false, "`nextCursor` from the page before", cursor.into());
    }
}
