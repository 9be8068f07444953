//! Types that parse once: a value of one of these types is known to be valid.

mod amr;
mod authorization;
mod email;
pub mod login_code;
pub mod password;
mod profile;
mod role;
mod scope;
mod second_factor;
mod session;
pub mod signup;
mod token;

pub use amr::{Amr, Factor};
pub use authorization::{API_TOKEN_PREFIX, Authorization, AuthorizationError};
pub use email::{Email, EmailError};
pub use login_code::LoginCode;
pub use password::{Password, PasswordError, PasswordPolicy};
pub use profile::{DisplayName, ProfileError, Username};
pub use role::{Role, RoleError};
pub use scope::Scope;
pub use second_factor::{RECOVERY_ALPHABET, RECOVERY_LEN, SecondFactorCode, show_recovery_code};
pub use session::{AuthSession, SessionPolicy};
pub use signup::{SignupMode, SignupPolicy, SignupRefusal};
pub use token::{Token, TokenError, TokenParts};
