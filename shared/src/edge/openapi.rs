//! A route's description, read off its step's signature: each part the step
//! takes ([`parts`](super::parts)) says what it adds to the operation — a path
//! or query parameter, a header, the body, the bearer token — and the answer
//! the step's return type names ([`Answer`]) is its success. Each function's
//! binary prints its operation with `--openapi`; `infra/openapi.py` joins them
//! into `docs/openapi.yaml`, so the document is never written by hand.

pub mod fields;

use crate::error::AppError;
use lambda_http::{Body, Response};
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{OneOfBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, ObjectBuilder, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required,
    ResponseBuilder, ServerBuilder,
};
use utoipa::{PartialSchema, ToSchema};

/// What one route takes and answers, gathered from its step's parts.
#[derive(Default)]
pub struct Operation {
    parameters: Vec<Parameter>,
    body: Option<(bool, BTreeMap<&'static str, RefOr<Schema>>)>,
    answers: BTreeMap<u16, BTreeMap<&'static str, RefOr<Schema>>>,
    refusals: BTreeSet<u16>,
    schemas: Vec<(String, RefOr<Schema>)>,
    /// Schemas that say more than utoipa's model can (`not`), as JSON Schema.
    written: Vec<(String, serde_json::Value)>,
    signed_in: bool,
}

impl Operation {
    /// `T`'s schema as a reference, its definition (and those it names) kept
    /// for the document's components.
    pub fn schema_of<T: ToSchema>(&mut self) -> RefOr<Schema> {
        T::schemas(&mut self.schemas);
        let name = T::name();
        if name.is_empty() {
            return T::schema();
        }
        self.schemas.push((name.to_string(), T::schema()));
        Ref::from_schema_name(name).into()
    }

    /// A schema given as JSON Schema, by name; answers a reference to it.
    pub fn schema_written(&mut self, name: &str, schema: serde_json::Value) -> RefOr<Schema> {
        self.written.push((name.to_string(), schema));
        Ref::from_schema_name(name).into()
    }

    pub fn parameter(&mut self, parameter: Parameter) {
        self.parameters.retain(|p| !(p.name == parameter.name && p.parameter_in == parameter.parameter_in));
        self.parameters.push(parameter);
    }

    /// A parameter of the given place and schema.
    pub fn parameter_of(&mut self, name: &str, place: ParameterIn, required: bool, about: &str, schema: RefOr<Schema>) {
        self.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(place)
                .required(if required { Required::True } else { Required::False })
                .description(Some(about).filter(|a| !a.is_empty()))
                .schema(Some(schema))
                .build(),
        );
    }

    /// The body, in a content type (more than one may be named).
    pub fn body(&mut self, content_type: &'static str, schema: RefOr<Schema>, required: bool) {
        let (needed, contents) = self.body.get_or_insert_with(|| (required, BTreeMap::new()));
        *needed |= required;
        contents.insert(content_type, schema);
    }

    /// A successful answer; a second schema for the same status and content
    /// type makes the answer one of them.
    pub fn answer(&mut self, status: u16, content_type: &'static str, schema: RefOr<Schema>) {
        let contents = self.answers.entry(status).or_default();
        let joined = match contents.remove(content_type) {
            None => schema,
            Some(RefOr::T(Schema::OneOf(mut one_of))) => {
                one_of.items.push(schema);
                RefOr::T(Schema::OneOf(one_of))
            }
            Some(first) => OneOfBuilder::new().item(first).item(schema).into(),
        };
        contents.insert(content_type, joined);
    }

    /// Refusals (4xx) the route can answer, each with its problem.
    pub fn refuses(&mut self, statuses: &[u16]) {
        self.refusals.extend(statuses);
    }

    /// The route needs a bearer token.
    pub fn signed_in(&mut self) {
        self.signed_in = true;
        self.refuses(&[401, 403]);
    }

    /// The document of this one route: its operation and every schema it names.
    pub fn document(mut self, method: &str, path: &str, operation_id: &str, tag: &str) -> serde_json::Value {
        self.refuses(&[503]);
        let problem = self.schema_of::<Problem>();
        let mut operation = OperationBuilder::new()
            .operation_id(Some(camel_case(operation_id)))
            .summary(Some(sentence(operation_id)))
            .tag(tag)
            .parameters(Some(self.parameters));
        if let Some((required, contents)) = self.body {
            let mut body =
                RequestBodyBuilder::new().required(Some(if required { Required::True } else { Required::False }));
            for (content_type, schema) in contents {
                body = body.content(content_type, ContentBuilder::new().schema(Some(schema)).build());
            }
            operation = operation.request_body(Some(body.build()));
        }
        let answer_name = format!("{}Answer", pascal_case(operation_id));
        for (status, contents) in self.answers {
            let mut response = ResponseBuilder::new().description(success(status));
            for (content_type, schema) in contents {
                let schema = if content_type == "application/json" {
                    self.schemas.push((answer_name.clone(), schema));
                    Ref::from_schema_name(&answer_name).into()
                } else {
                    schema
                };
                response = response.content(content_type, ContentBuilder::new().schema(Some(schema)).build());
            }
            operation = operation.response(status.to_string(), response.build());
        }
        for status in self.refusals {
            let mut response = ResponseBuilder::new().description(refusal(status)).content(
                super::problem::PROBLEM_CONTENT_TYPE,
                ContentBuilder::new().schema(Some(problem.clone())).build(),
            );
            if status == 401 {
                let scheme = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["Bearer"]));
                response = response.header("WWW-Authenticate", utoipa::openapi::header::Header::new(scheme));
            }
            if status == 503 {
                let seconds = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0));
                response = response.header("Retry-After", utoipa::openapi::header::Header::new(seconds));
            }
            operation = operation.response(status.to_string(), response.build());
        }
        operation = if self.signed_in {
            operation.security(SecurityRequirement::new("bearer", Vec::<String>::new()))
        } else {
            operation.securities(Some(Vec::new()))
        };
        let method = match method {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            "PUT" => HttpMethod::Put,
            "PATCH" => HttpMethod::Patch,
            _ => HttpMethod::Delete,
        };
        let mut schemas: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        let derived = self.schemas.into_iter().map(|(name, schema)| (name, serde_json::to_value(schema)));
        let written = self.written.into_iter().map(|(name, schema)| (name, Ok(schema)));
        let vocabulary = fields::components().into_iter().map(|(name, schema)| (name, serde_json::to_value(schema)));
        for (name, schema) in derived.chain(written).chain(vocabulary) {
            let schema = schema.unwrap_or_default();
            if let Some(other) = schemas.get(&name).filter(|other| **other != schema) {
                panic!("two schemas are named {name}: {other} and {schema}");
            }
            schemas.insert(name, schema);
        }
        let bearer = SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "A Cognito access or ID token of the user pool (locally, `infra/signin.py <email>`).",
                ))
                .build(),
        );
        let document = OpenApiBuilder::new()
            .info(
                InfoBuilder::new()
                    .title("Local Claims API")
                    .version("1.0.0")
                    .description(Some(ABOUT))
                    .license(Some(utoipa::openapi::LicenseBuilder::new().name("MIT").identifier(Some("MIT")).build()))
                    .build(),
            )
            .servers(Some([
                ServerBuilder::new()
                    .url("http://127.0.0.1:9000")
                    .description(Some("The local stack (`bash infra/run.sh`)"))
                    .build(),
                ServerBuilder::new()
                    .url("https://{apiId}.execute-api.eu-west-2.amazonaws.com")
                    .description(Some("AWS (the stack's `ApiUrl` output)"))
                    .parameter("apiId", utoipa::openapi::server::ServerVariableBuilder::new().default_value("example"))
                    .build(),
            ]))
            .paths(PathsBuilder::new().path(path, PathItem::new(method, operation.build())))
            .components(Some(ComponentsBuilder::new().security_scheme("bearer", bearer).build()))
            .build();
        let mut document = serde_json::to_value(document).unwrap_or_default();
        document["components"]["schemas"] = serde_json::to_value(schemas).unwrap_or_default();
        document
    }
}

const ABOUT: &str = "The HTTP API behind the Local Claims web client, generated from the code: each function's step \
says by its signature what it takes and answers (`shared::edge::openapi`), and `infra/openapi.py` joins them. \
`docs/API.md` tells the rules behind each route in words.\n\n\
Bodies are JSON (`Content-Type: application/json`, at most 64 KiB) unless an operation says otherwise. Protected \
routes take `Authorization: Bearer <Cognito access or ID token>`; each checks who the caller is, that their account \
is active, and that they hold the role in that organisation. Every refusal is `application/problem+json` (RFC 9457) \
in words a practice manager understands, with field errors pointing at their field (`/lines/0/units`). Money is text \
with two decimal places (`\"193.42\"`).\n\n\
`/problems/internal-error` (500) is never expected: it means a defect, and says nothing about its cause.";

fn camel_case(name: &str) -> String {
    let mut words = name.split('-');
    let first = words.next().unwrap_or_default().to_string();
    words.fold(first, |mut id, word| {
        let mut letters = word.chars();
        id.extend(letters.next().map(|c| c.to_ascii_uppercase()));
        id.extend(letters);
        id
    })
}

fn pascal_case(name: &str) -> String {
    let id = camel_case(name);
    let mut letters = id.chars();
    letters.next().map(|c| c.to_ascii_uppercase().to_string() + letters.as_str()).unwrap_or_default()
}

fn sentence(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut letters = words.chars();
    letters.next().map(|c| c.to_ascii_uppercase().to_string() + letters.as_str()).unwrap_or_default()
}

fn success(status: u16) -> &'static str {
    match status {
        201 => "Created",
        _ => "Done",
    }
}

/// What each refusal means, naming its problem types.
fn refusal(status: u16) -> String {
    let conflicts = || {
        crate::ConflictKind::ALL
            .iter()
            .map(|kind| format!("`/problems/{}`", kind.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match status {
        400 => "`/problems/malformed-request`: the body is not JSON, or a page link (`cursor`) is not one an answer gave".into(),
        401 => "`/problems/unauthenticated`: no token, or one that fails verification; `/problems/sign-in-refused` \
                (the email address or password is wrong); `/problems/sign-in-first` (an invitation for someone with an account)"
            .into(),
        403 => "`/problems/forbidden`: not a role that may do this, here; `/problems/account-disabled`, \
                `/problems/account-not-active`, `/problems/mfa-required`"
            .into(),
        404 => "`/problems/not-found`: nothing of that id, or not one you may see".into(),
        409 => format!("Cannot do this now, as the record stands — one of {}", conflicts()),
        410 => "`/problems/link-expired`: the link has expired or was withdrawn".into(),
        412 => "`/problems/stale-version`: changed since you loaded it (`If-Match`)".into(),
        413 => "`/problems/request-too-large`: the body is over its limit".into(),
        415 => "`/problems/unsupported-media-type`: the body is not of a type this route takes".into(),
        422 => "`/problems/validation`: what was entered is not right; `errors` says what at each field".into(),
        _ => "`/problems/temporarily-unavailable`: AWS failed; nothing was changed; try again".into(),
    }
}

/// A route as its function's `serve_http!` names it.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    /// The function's crate (`submit-claim`): the operation's id and summary.
    pub function: &'static str,
    /// The function's folder (`functions/claims/submit-claim`): its resource is the tag.
    pub folder: &'static str,
    /// Refusals the step makes that its parts do not say (a GET that finds a
    /// file unchecked, a link that has expired).
    pub refusing: &'static [u16],
}

impl Route {
    /// The document of this one route, as JSON.
    pub fn describe<P>(&self, step: &impl super::parts::Step<P>) -> serde_json::Value {
        let mut operation = Operation::default();
        if self.method != "GET" {
            // A change may find its record gone, or moved on by someone else.
            operation.refuses(&[404, 409]);
        }
        operation.refuses(self.refusing);
        step.describe(&mut operation);
        let resource = std::path::Path::new(self.folder)
            .parent()
            .and_then(|p| p.file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        operation.document(self.method, self.path, self.function, &resource)
    }
}

/// A part of a request, or an answer, that adds to the route's description.
pub trait Describe {
    fn describe(operation: &mut Operation);
}

/// A step's success: its HTTP response, and the type of its body as the
/// step's signature names it (`Answered<ClaimSummary<'static>>`, `Answered<Csv>`).
pub struct Answer<S, const STATUS: u16 = 200> {
    response: Response<Body>,
    shape: PhantomData<fn() -> S>,
}

/// What a step returns: its answer, or the error the edge turns into a problem.
pub type Answered<S, const STATUS: u16 = 200> = Result<Answer<S, STATUS>, AppError>;

impl<S, const STATUS: u16> Answer<S, STATUS> {
    pub fn new(response: Response<Body>) -> Self {
        Answer { response, shape: PhantomData }
    }

    pub fn into_response(self) -> Response<Body> {
        self.response
    }
}

/// What an answer's body is, for the description.
pub trait AnswerBody {
    fn describe(operation: &mut Operation, status: u16);
}

impl<S: AnswerBody, const STATUS: u16> Describe for Answer<S, STATUS> {
    fn describe(operation: &mut Operation) {
        S::describe(operation, STATUS);
    }
}

/// A request body's schema: derived, or written beside the form where JSON
/// Schema says more than utoipa's model can.
pub trait FormSchema {
    fn body_schema(operation: &mut Operation) -> RefOr<Schema>;
}

impl<T: ToSchema> FormSchema for T {
    fn body_schema(operation: &mut Operation) -> RefOr<Schema> {
        operation.schema_of::<T>()
    }
}

/// An answer's schema is written out in full (named for its operation when
/// the document is made: `SubmitClaimAnswer`), so a generic view
/// (`Listed<OfProvider, ClaimRow>`) is described as what it is.
impl<T: ToSchema> AnswerBody for T {
    fn describe(operation: &mut Operation, status: u16) {
        T::schemas(&mut operation.schemas);
        operation.answer(status, "application/json", T::schema());
    }
}

/// A CSV file to save.
pub enum Csv {}

impl AnswerBody for Csv {
    fn describe(operation: &mut Operation, status: u16) {
        operation.answer(status, "text/csv", ObjectBuilder::new().schema_type(Type::String).into());
    }
}

/// A page to print.
pub enum Html {}

impl AnswerBody for Html {
    fn describe(operation: &mut Operation, status: u16) {
        operation.answer(status, "text/html", ObjectBuilder::new().schema_type(Type::String).into());
    }
}

/// One of two answers, as the request asks.
pub struct OneOf<A, B>(PhantomData<(A, B)>);

impl<A: AnswerBody, B: AnswerBody> AnswerBody for OneOf<A, B> {
    fn describe(operation: &mut Operation, status: u16) {
        A::describe(operation, status);
        B::describe(operation, status);
    }
}

/// Created (the status named), or 200 when nothing needed making.
pub struct OrDone<S>(PhantomData<S>);

impl<S: AnswerBody> AnswerBody for OrDone<S> {
    fn describe(operation: &mut Operation, status: u16) {
        S::describe(operation, status);
        S::describe(operation, 200);
    }
}

/// A problem (RFC 9457), as every refusal is answered.
#[derive(ToSchema)]
#[allow(dead_code)]
struct Problem {
    /// `/problems/<kind>`: what kind of refusal, for a program to act on.
    #[schema(rename = "type", pattern = "^/problems/[a-z-]+$")]
    kind: String,
    title: String,
    #[schema(minimum = 400, maximum = 599)]
    status: u16,
    /// In words a practice manager understands.
    #[schema(min_length = 1)]
    detail: String,
    /// What is wrong at each field (422).
    errors: Option<Vec<crate::domain::validation::FieldError>>,
}

/// A text field of at most `MAX` characters, with no control characters.
pub fn plain_text<const MAX: usize>() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX))
        .pattern(Some(r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"))
        .into()
}

/// A schema written as text (`^[0-9]+$`), for types whose text is checked by a pattern.
pub fn text_matching(pattern: &str, about: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(about))
        .examples([serde_json::Value::from(example)])
        .into()
}

/// The schema of a route's path value, named for the document.
pub fn path_parameter<T: PartialSchema>(operation: &mut Operation, name: &str) {
    operation.refuses(&[404]);
    operation.parameter(
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(T::schema()))
            .build(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_is_named_from_its_function() {
        assert_eq!(camel_case("submit-claim"), "submitClaim");
        assert_eq!(sentence("submit-claim"), "Submit claim");
    }

    #[test]
    fn two_answers_for_one_status_are_one_of_them() {
        let mut operation = Operation::default();
        <OneOf<crate::views::sessions::SignedOut, Csv> as AnswerBody>::describe(&mut operation, 200);
        <String as AnswerBody>::describe(&mut operation, 200);
        let document = operation.document("GET", "/x", "get-x", "x");
        let content = &document["paths"]["/x"]["get"]["responses"]["200"]["content"];
        assert_eq!(content["text/csv"]["schema"]["type"], "string");
        assert_eq!(content["application/json"]["schema"]["$ref"], "#/components/schemas/GetXAnswer");
        let answer = &document["components"]["schemas"]["GetXAnswer"];
        assert_eq!(answer["oneOf"].as_array().map(Vec::len), Some(2), "{answer}");
        assert_eq!(document["paths"]["/x"]["get"]["security"], serde_json::json!([]));
        assert!(document["components"]["schemas"]["Problem"].is_object());
    }
}

/// Schemas for query values that are text the step reads itself.
pub mod query {
    pub use super::fields::date;
    use super::fields::one_of as words;
    use utoipa::openapi::schema::{Schema, Type};
    use utoipa::openapi::ObjectBuilder;

    /// `asc` or `desc`.
    pub fn order() -> Schema {
        words(&["asc", "desc"])
    }

    /// An ODS code, or `service-desk` for the Service Desk's own queue.
    pub fn review_queue() -> Schema {
        ObjectBuilder::new().schema_type(Type::String).max_length(Some(20)).into()
    }

    /// How pending registrations are sorted.
    pub fn pending_sort() -> Schema {
        words(&["submittedAt", "name", "organisation"])
    }

    /// People are listed by name, the only order there is.
    pub fn by_name() -> Schema {
        words(&["name"])
    }

    /// JSON (the default) or a CSV file.
    pub fn json_or_csv() -> Schema {
        words(&["json", "csv"])
    }

    /// JSON (the default), a CSV file or a page to print.
    pub fn json_csv_or_html() -> Schema {
        words(&["json", "csv", "html"])
    }
}
