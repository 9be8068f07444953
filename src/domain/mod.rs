//! Types that parse once: a value of one of these types is known to be valid.

mod email;
pub mod password;
mod session;
mod token;

pub use email::{Email, EmailError};
pub use password::{Password, PasswordError, PasswordPolicy};
pub use session::{AuthSession, SessionPolicy};
pub use token::{Token, TokenError, TokenParts};
