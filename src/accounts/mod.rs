//! The account rules, each written once, for every way in: the pages, the JSON API and
//! the operator's commands (and the second step, passkeys and OpenID Connect to come).
//! A handler parses its request, calls one of these and picks a page or JSON for the
//! outcome. Nothing here knows HTTP; storage stays in [`crate::store`].

pub mod api_tokens;
pub mod deferred;
pub mod deletion;
pub mod devices;
pub mod email_change;
pub mod email_codes;
pub mod invitations;
pub mod links;
pub mod notices;
pub mod password;
pub mod password_change;
pub mod profile;
pub mod program_tokens;
pub mod recovery;
pub mod sessions;
pub mod signup;

use std::net::IpAddr;

/// Who is asking, as far as the rules care: where from, with what browser (for the
/// activity log) and whether that browser signed in here before (for the throttle).
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: IpAddr,
    pub user_agent: String,
    /// The value of the "known device" cookie, if the browser sent one.
    pub device_cookie: Option<String>,
}

impl Client {
    pub fn ip(&self) -> String {
        self.ip.to_string()
    }
}
