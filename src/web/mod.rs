//! What the handlers in [`crate::routes`] share, so that none calls another: extractors
//! for the request's user and form, the pages several flows render, and formatting.

pub mod account_area;
pub mod api_caller;
pub mod confirm;
pub mod extract;
pub mod for_writes;
pub mod format;
pub mod guard;
pub mod link_page;
pub mod sign_in;

pub use api_caller::{ApiCaller, Credential};
pub use extract::{Form, Json, NoticeParam, Page, Path, Query};
