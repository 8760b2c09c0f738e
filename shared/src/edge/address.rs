//! The values an address names (`/claims/{id}/lines/{lineId}`), each a type of
//! its own, so a step's `Path<(ClaimId, LineId)>` says what it reads and a
//! claim's id cannot be handed where a service's is wanted.

use crate::edge::parts::PathValue;
use crate::error::AppError;

/// A claim's number: digits only, else there is no such claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimId(pub u64);

impl PathValue for ClaimId {
    const NAME: &'static str = "id";
    fn parse(raw: &str) -> Result<Self, AppError> {
        raw.trim().parse().map(ClaimId).map_err(|_| crate::access::claims::no_such_claim())
    }
}

/// Ids that are text, as the address gives them (trimmed by the step where
/// it looks them up).
macro_rules! text_id {
    ($(#[$doc:meta] $id:ident = $name:literal $(as $schema:path)?;)*) => {
        $(
            #[$doc]
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub struct $id(pub String);

            impl PathValue for $id {
                const NAME: &'static str = $name;
                fn parse(raw: &str) -> Result<Self, AppError> {
                    Ok($id(raw.to_string()))
                }
                $(
                    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
                        $schema().into()
                    }
                )?
            }

            impl PartialEq<$id> for String {
                fn eq(&self, other: &$id) -> bool {
                    *self == other.0
                }
            }

            impl std::fmt::Display for $id {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(&self.0)
                }
            }

            impl std::ops::Deref for $id {
                type Target = str;
                fn deref(&self) -> &str {
                    &self.0
                }
            }
        )*
    };
}

text_id! {
    /// A service's id (`/services/{id}`).
    ServiceId = "id";
    /// A component of a service (`/services/{id}/components/{componentId}`).
    ComponentId = "componentId";
    /// A claim period of a service's year (`/services/{id}/windows/{period}`).
    PeriodKey = "period" as period_as_addressed;
    /// A line of a claim (`/claims/{id}/lines/{lineId}`).
    LineId = "lineId";
    /// A file of evidence on a claim line.
    AttachmentId = "attachmentId";
    /// A person's account (`/users/{id}`).
    UserId = "id";
    /// An organisation's ODS code (`/organisations/{code}`).
    OrganisationCode = "code" as ods_code;
    /// The organisation of a membership (`/users/{id}/memberships/{organisationCode}`).
    MembershipOrganisation = "organisationCode" as ods_code;
    /// An invitation (`/invitations/{id}`).
    InvitationId = "id";
    /// A registration (`/registrations/{id}`).
    RegistrationId = "id";
    /// A request for access (`/access-requests/{id}`).
    AccessRequestId = "id";
    /// A service offered to a practice (`/offers/{id}`: the service's id and the practice's code).
    OfferId = "id";
    /// A payment run (`/payment-runs/{id}`).
    PaymentRunId = "id";
    /// A payment run named from a practice's remittances (`/organisations/{code}/remittances/{runId}`).
    RemittanceRunId = "runId";
}

/// An organisation in the address is named by its ODS code.
fn ods_code() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
    <crate::domain::ods::OdsCode as utoipa::PartialSchema>::schema()
}

/// A window's period, as listed (2026-27-Q2) or short (Q2).
fn period_as_addressed() -> utoipa::openapi::Schema {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(Some(1))
        .max_length(Some(20))
        .description(Some("The window's period, as listed (2026-27-Q2) or short (Q2)"))
        .into()
}

/// An id the service made, as a filter names it: a UUID written as the
/// service writes them (lowercase, hyphenated), the API document's `Id`
/// pattern. Anything else names nothing, and is refused rather than matching
/// nothing.
fn made_id(raw: &str) -> Result<String, String> {
    match uuid::Uuid::try_parse(raw) {
        Ok(id) if id.hyphenated().to_string() == raw => Ok(raw.to_string()),
        _ => Err("This is not an id the service gave: choose one from its list".to_string()),
    }
}

crate::edge::openapi::fields::described_as!(ServiceId => Id, UserId => Id, PeriodKey => PeriodKey);

impl crate::edge::parts::QueryValue for ServiceId {
    fn parse(raw: &str) -> Result<Self, String> {
        made_id(raw).map(ServiceId)
    }
}

impl crate::edge::parts::QueryValue for UserId {
    fn parse(raw: &str) -> Result<Self, String> {
        made_id(raw).map(UserId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edge::parts::QueryValue;

    #[test]
    fn a_filter_names_an_id_as_the_service_writes_it() {
        let made = "01a24c7b-130f-7387-ac5b-11696480bc16";
        assert_eq!(<ServiceId as QueryValue>::parse(made).unwrap().0, made);
        for odd in [
            "",
            "0000",
            "01A24C7B-130F-7387-AC5B-11696480BC16",
            "01a24c7b130f7387ac5b11696480bc16",
            " 01a24c7b-130f-7387-ac5b-11696480bc16",
        ] {
            assert!(<UserId as QueryValue>::parse(odd).is_err(), "{odd}");
        }
    }
}
