//! The schemas of form fields, from the rules that judge them: the same
//! constants and patterns the domain's parsers use, so a field is described as
//! it is judged. Named ones are components of the document (`OdsCode`,
//! `PersonName`, …), every document holding them all.

use crate::domain::money::Money;
use crate::domain::{financial_year, password, person};
use utoipa::openapi::schema::{AnyOfBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, ObjectBuilder, Ref, RefOr, SchemaFormat};

/// No control characters (tabs and line breaks aside).
pub const PLAIN: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";
/// As [`PLAIN`], with at least one character that is not a space.
pub const NOT_BLANK: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";

fn text() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// Text of up to `MAX` characters, perhaps empty.
pub fn plain<const MAX: usize>() -> Schema {
    text().max_length(Some(MAX)).pattern(Some(PLAIN)).into()
}

/// Text with no length of its own (a code the step judges).
pub fn plain_any() -> Schema {
    text().pattern(Some(PLAIN)).into()
}

/// Text that must say something, of up to `MAX` characters.
pub fn named<const MAX: usize>() -> Schema {
    text().min_length(Some(1)).max_length(Some(MAX)).pattern(Some(NOT_BLANK)).into()
}

/// A day, `2026-12-15`.
pub fn date() -> Schema {
    text().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))).into()
}

/// A code of letters, digits and hyphens (a cost centre, a subjective code).
pub fn ledger_code() -> Schema {
    text().max_length(Some(20)).pattern(Some("^[A-Za-z0-9-]*$")).into()
}

/// A password as the user pool's policy takes it.
pub fn new_password() -> Schema {
    text()
        .pattern(Some(password::pattern()))
        .description(Some(format!(
            "{} to {} characters: a capital and a lower-case letter (A–Z, a–z), a number and a symbol; no space at \
             either end, no tabs or line breaks.",
            password::MIN_LENGTH,
            password::MAX_LENGTH
        )))
        .into()
}

/// The secret from an emailed link.
pub fn link_token() -> Schema {
    text()
        .min_length(Some(1))
        .max_length(Some(200))
        .pattern(Some("^[A-Za-z0-9_-]+$"))
        .description(Some("The secret from the emailed link."))
        .into()
}

/// One of the words given.
pub fn one_of(words: &[&str]) -> Schema {
    text().enum_values(Some(words.iter().copied())).into()
}

/// A reference to a named component.
pub fn named_component(name: &str) -> RefOr<Schema> {
    Ref::from_schema_name(name).into()
}

fn component<T: utoipa::ToSchema>() -> (String, RefOr<Schema>) {
    (T::name().into_owned(), T::schema())
}

/// The named components every document holds: the vocabulary of forms and
/// queries (a query's parameters name them, and cannot add them themselves).
pub fn components() -> Vec<(String, RefOr<Schema>)> {
    let amount = |max: i64, positive: bool, example: &str, about: &str| -> RefOr<Schema> {
        text()
            .pattern(Some(Money::pattern(max, positive)))
            .description(Some(about))
            .examples([serde_json::Value::from(example)])
            .into()
    };
    vec![
        component::<crate::domain::ods::OdsCode>(),
        component::<crate::domain::claim::ClaimStatus>(),
        component::<crate::domain::audit_action::AuditAction>(),
        component::<crate::domain::offer::OfferStatus>(),
        component::<crate::domain::account::MembershipStatus>(),
        component::<crate::domain::claim_window::WindowState>(),
        component::<crate::domain::review::Stage>(),
        component::<crate::domain::report::GroupBy>(),
        (
            "PersonName".into(),
            text()
                .min_length(Some(1))
                .max_length(Some(person::NAME_MAX))
                .pattern(Some(person::name_pattern()))
                .description(Some(
                    "Letters of any alphabet, spaces, hyphens, apostrophes and full stops (no digits or other symbols).",
                ))
                .into(),
        ),
        (
            "Email".into(),
            text()
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
                .max_length(Some(crate::domain::email::MAX_LENGTH))
                .examples([serde_json::Value::from("jo.bloggs@nhs.net")])
                .into(),
        ),
        (
            "Reason".into(),
            text()
                .max_length(Some(crate::domain::registration::REASON_MAX))
                .pattern(Some(PLAIN))
                .description(Some("In plain words, no patient data (up to 500 characters)."))
                .into(),
        ),
        (
            "Price".into(),
            amount(
                1_000_000,
                true,
                "193.42",
                "An amount in pounds, as text with up to 2 decimal places (\"193.42\"), from £0.01 to £1,000,000.00.",
            ),
        ),
        (
            "FinanceThreshold".into(),
            amount(
                10_000_000,
                true,
                "15000.00",
                "An amount in pounds, as text with up to 2 decimal places (\"15000.00\"), from £0.01 to £10,000,000.00.",
            ),
        ),
        (
            "Budget".into(),
            AnyOfBuilder::new()
                .item(text().pattern(Some(Money::pattern(100_000_000, false))))
                .item(text().max_length(Some(0)))
                .description(Some(
                    "An amount in pounds, as text with up to 2 decimal places (\"120000.00\"), up to £100,000,000.00; \
                     \"\" removes it.",
                ))
                .examples([serde_json::Value::from("120000.00"), serde_json::Value::from("")])
                .into(),
        ),
        (
            "RequestableRole".into(),
            text()
                .enum_values(Some(
                    crate::domain::role::Role::ALL.iter().filter(|r| r.open_to_registration()).map(|r| r.code()),
                ))
                .description(Some("A role a person may ask for (the Service Desk is appointed, not asked for)."))
                .into(),
        ),
        (
            "FinancialYear".into(),
            text()
                .pattern(Some(financial_year::FinancialYear::pattern()))
                .description(Some("A financial year, April to March: `2026/27` (or `2026-27`)."))
                .examples([serde_json::Value::from("2026/27")])
                .into(),
        ),
        (
            "PeriodKey".into(),
            text()
                .pattern(Some(financial_year::Period::key_pattern()))
                .description(Some("A claim period's key, its financial year and then Q1–Q4 or M01–M12."))
                .examples([serde_json::Value::from("2026-27-Q2"), serde_json::Value::from("2026-27-M05")])
                .into(),
        ),
        (
            "PeriodOfTheYear".into(),
            text()
                .pattern(Some(format!(
                    "^(({})-)?(Q[1-4]|M(0[1-9]|1[0-2]))$",
                    financial_year::FinancialYear::every().map(|y| y.key()).collect::<Vec<_>>().join("|")
                )))
                .description(Some("A period of the service's year, Q1–Q4 or M01–M12 (or its full key, 2026-27-Q2)"))
                .examples([serde_json::Value::from("Q2")])
                .into(),
        ),
        (
            "Id".into(),
            text()
                .pattern(Some("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))
                .description(Some("An id the service gave (a UUID, lowercase, hyphenated)."))
                .examples([serde_json::Value::from("01a24c7b-130f-7387-ac5b-11696480bc16")])
                .into(),
        ),
    ]
}

/// Markers for the named components, for `#[schema(value_type = …)]`.
macro_rules! component_markers {
    ($($marker:ident),*) => {
        $(
            #[doc = concat!("The `", stringify!($marker), "` component.")]
            pub enum $marker {}

            impl utoipa::PartialSchema for $marker {
                fn schema() -> RefOr<Schema> {
                    let mut all = components();
                    let at = all.iter().position(|(name, _)| name == stringify!($marker));
                    match at {
                        Some(at) => all.swap_remove(at).1,
                        None => unreachable!("every marker names a component"),
                    }
                }
            }

            impl utoipa::ToSchema for $marker {}
        )*
    };
}
component_markers!(
    PersonName,
    Email,
    Reason,
    Price,
    FinanceThreshold,
    Budget,
    RequestableRole,
    FinancialYear,
    PeriodKey,
    PeriodOfTheYear,
    Id
);

fn integer(minimum: Option<i64>, maximum: Option<i64>) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Integer).minimum(minimum).maximum(maximum)
}

fn list(items: impl Into<RefOr<Schema>>) -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new().items(items.into())
}

/// Ids or names as listed (the step says which it does not know).
pub fn plain_list() -> Schema {
    list(plain_any()).into()
}

/// A claim period as listed: Q1–Q4 or M01–M12, or its key.
pub fn period_as_listed() -> Schema {
    text()
        .pattern(Some(PLAIN))
        .description(Some("Q1–Q4, or M01–M12 for a monthly service (or its key, 2026-27-Q2)"))
        .examples([serde_json::Value::from("Q2")])
        .into()
}

/// How many days each generated window stays open.
pub fn days_open() -> Schema {
    integer(Some(1), Some(crate::domain::claim_window::OPEN_FOR_DAYS_MAX.into()))
        .default(Some(crate::domain::claim_window::OPEN_FOR_DAYS_DEFAULT.into()))
        .into()
}

/// The practices a service is offered to.
pub fn providers() -> Schema {
    list(named_component("OdsCode"))
        .min_items(Some(1))
        .max_items(Some(crate::domain::offer::PROVIDERS_MAX))
        .unique_items(true)
        .into()
}

/// The commissioners a service is shared with.
pub fn shared_with() -> Schema {
    list(named_component("OdsCode")).max_items(Some(crate::domain::service::SHARED_WITH_MAX)).unique_items(true).into()
}

/// When a window opens or closes: a day, or a day and time in England.
pub fn window_time() -> Schema {
    text()
        .pattern(Some(PLAIN))
        .description(Some("A day (YYYY-MM-DD) or a day and time in England (YYYY-MM-DDTHH:MM)"))
        .examples([serde_json::Value::from("2026-10-01"), serde_json::Value::from("2026-10-25T23:59")])
        .into()
}

/// Sent when the person ticked the confirmation.
pub fn confirmed() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .description(Some("Sent when the person ticked the confirmation."))
        .into()
}

/// `true`: answer the email that would be sent, and send nothing.
pub fn preview() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .description(Some("true: answer the email that would be sent, and send nothing"))
        .into()
}

/// A reviewer's notes on lines, when returning or rejecting.
pub fn line_notes() -> Schema {
    let note = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("lineId", plain_any())
        .property("reason", named_component("Reason"))
        .required("lineId")
        .required("reason");
    list(note)
        .max_items(Some(crate::domain::review::LINE_NOTES_MAX))
        .description(Some("Notes on lines when returning or rejecting"))
        .into()
}

/// An evidence file's name, as on the practice's computer.
pub fn file_name() -> Schema {
    named::<{ crate::domain::claim_line::FILE_NAME_MAX }>()
}

/// An evidence file's type, as the browser says it.
pub fn content_type() -> Schema {
    text().pattern(Some(PLAIN)).examples([serde_json::Value::from("application/pdf")]).into()
}

/// An evidence file's size in bytes.
pub fn file_size() -> Schema {
    integer(Some(1), Some(crate::domain::component::MAX_EVIDENCE_BYTES as i64)).into()
}

/// Units claimed on a line.
pub fn units() -> Schema {
    integer(Some(0), Some(crate::domain::claim_line::UNITS_CEILING.into())).into()
}

/// A line's answers, by question id.
pub fn answers() -> Schema {
    let answer = ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::Boolean, Type::String, Type::Number]))
        .pattern(Some(PLAIN));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(answer))
        .description(Some("Answers by question id"))
        .into()
}

/// A registration or access request's review.
pub fn approve_or_reject() -> Schema {
    one_of(&["approve", "reject"])
}

/// The day a payment run is paid.
pub fn payment_date() -> Schema {
    text()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .examples([serde_json::Value::from("2026-12-15")])
        .into()
}

/// A service's VAT code.
pub fn vat_code() -> Schema {
    one_of(crate::domain::service::VatCode::CODES)
}

/// How a service's year is divided into claim periods.
pub fn claim_periods() -> Schema {
    text().enum_values(Some(["quarterly", "monthly"])).default(Some("quarterly".into())).into()
}

/// A type of the service's own, described as one of the named components:
/// `described_as!(ServiceId => Id)`.
macro_rules! described_as {
    ($($ty:ty => $component:ident),* $(,)?) => {
        $(
            impl utoipa::PartialSchema for $ty {
                fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
                    <$crate::edge::openapi::fields::$component as utoipa::PartialSchema>::schema()
                }
            }

            impl utoipa::ToSchema for $ty {
                fn name() -> std::borrow::Cow<'static, str> {
                    stringify!($component).into()
                }
            }
        )*
    };
}
pub(crate) use described_as;

/// A closed list of words, described as the words it takes.
macro_rules! described_as_words {
    ($($ty:ty => $words:expr),* $(,)?) => {
        $(
            impl utoipa::PartialSchema for $ty {
                fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
                    $crate::edge::openapi::fields::one_of($words).into()
                }
            }

            impl utoipa::ToSchema for $ty {}
        )*
    };
}
pub(crate) use described_as_words;
