//! Local Claims shared library, in layers (each a folder):
//!
//! - `domain` — pure types and rules, no I/O;
//! - `access` — who may act where (reads through the store, never answers HTTP);
//! - `store`, `mail`, `identity`, `files` — the AWS adapters (DynamoDB, SQS + SES v2, Cognito, S3);
//! - `edge` — a Lambda invocation in, a step run, problem+json or JSON out;
//! - `views` — the JSON shapes the routes return;
//! - `workflow` — steps more than one function takes (a claim after its evidence is checked).
//!
//! `App` (settings and clients, built once per process) and `AppError` (the one
//! error type) are used by all of them.

pub mod access;
pub mod app;
pub mod config;
pub mod domain;
pub mod edge;
pub mod error;
pub mod files;
pub mod identity;
pub mod mail;
pub mod store;
pub mod views;
pub mod vocabulary;
pub mod workflow;

pub use app::App;
pub use domain::timestamp::Timestamp;
pub use error::{AppError, ConflictKind};
