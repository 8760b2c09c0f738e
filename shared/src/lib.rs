//! Local Claims shared library: the domain (pure rules), the ports it needs, and
//! the AWS adapters (DynamoDB, SQS, SES v2, Cognito) every function uses.

pub mod admin;
pub mod app;
pub mod catalogue;
pub mod catalogue_views;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod identity;
pub mod links;
pub mod mail;
pub mod schedule;
pub mod store;
pub mod telemetry;
pub mod views;

pub use app::App;
pub use error::AppError;
