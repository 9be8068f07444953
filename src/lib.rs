//! Gatehouse: password accounts people can trust, in one binary.
//!
//! Requests come in through [`router`] to a handler in [`routes`], which calls the
//! account rules in [`accounts`]; those keep their data through [`store`] and send mail
//! through [`mail`]. The operator's commands ([`cli`]) call the same rules.

pub mod accounts;
pub mod admin;
pub mod branding;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod external;
pub mod forward_auth;
pub mod i18n;
pub mod listener;
pub mod mail;
pub mod metrics;
pub mod oidc;
pub mod passkeys;
pub mod router;
pub mod routes;
pub mod security;
pub mod server;
pub mod state;
pub mod store;
pub mod two_factor;
pub mod web;

pub use config::Config;
pub use router::router;
pub use server::Application;
pub use state::AppState;
