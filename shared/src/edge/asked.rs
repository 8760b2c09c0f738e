//! Queries that several lists ask alike: whose list it is, when the caller
//! acts for more than one organisation.

use serde::Deserialize;

/// `?commissioner=`: which commissioner's (needed only when you act for several).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForCommissioner {
    #[param(value_type = Option<crate::domain::ods::OdsCode>)]
    pub commissioner: Option<String>,
}

/// `?organisation=`: which organisation's (needed only when you act for several).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForOrganisation {
    #[param(value_type = Option<crate::domain::ods::OdsCode>)]
    pub organisation: Option<String>,
}
