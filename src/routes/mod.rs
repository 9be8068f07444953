//! HTTP handlers, thin and one file per flow: each parses its request, calls the
//! account rules in [`crate::accounts`] and picks a page or JSON. None calls another;
//! what they share is in [`crate::web`].

pub mod account;
pub mod admin;
pub mod api;
pub mod apps;
pub mod assets;
pub mod deletion;
pub mod email;
pub mod email_code;
pub mod errors;
pub mod external;
pub mod forward_auth;
pub mod health;
pub mod home;
pub mod invitation;
pub mod jwks;
pub mod login;
pub mod oidc;
pub mod passkey_login;
pub mod passkeys;
pub mod password;
pub mod profile;
pub mod recovery;
pub mod second_step;
pub mod sessions;
pub mod sign_in_alert;
pub mod signup;
pub mod tokens;
pub mod two_factor;
