//! Types that parse once: a value of one of these types is known to be valid.

mod authorization;
mod email;
pub mod password;
mod scope;
mod session;
mod token;

pub use authorization::{API_TOKEN_PREFIX, Authorization, AuthorizationError};
pub use email::{Email, EmailError};
pub use password::{Password, PasswordError, PasswordPolicy};
pub use scope::Scope;
pub use session::{AuthSession, SessionPolicy};
pub use token::{Token, TokenError, TokenParts};
