//! Gatehouse: password accounts people can trust, in one binary.

pub mod admin;
pub mod app;
pub mod config;
pub mod domain;
pub mod error;
pub mod mail;
pub mod metrics;
pub mod routes;
pub mod security;
pub mod store;

pub use app::{AppState, Application, router};
pub use config::Config;
