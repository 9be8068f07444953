//! Forward auth: a reverse proxy (nginx `auth_request`, Caddy `forward_auth`, Traefik
//! `ForwardAuth`) asks, for each request to an app behind it, whether to let it through
//! and as whom. The answer comes from the access rules ([`rules`]) and from the request's
//! credential: the session cookie (shared with the apps through `SESSION_COOKIE_DOMAIN`),
//! a bearer token or HTTP Basic.
//!
//! Every request to a protected app passes through here, so the session path reads its
//! rows through the store's read cache and writes nothing but the once-a-minute touch.

pub mod original;
#[cfg(test)]
mod properties;
pub mod rules;

use axum::http::{HeaderMap, header};

use crate::accounts::{Client, sessions};
use crate::domain::{Role, Scope};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::store::users::User;
use crate::web::api_caller::{self, Credential};
pub use original::{OriginalRequest, Unclear};
pub use rules::{AccessRules, Policy, ReturnRefused};

/// The answer to "may this request through?".
#[derive(Debug)]
// Made once per check and moved a few times: a move of the user row costs less than
// boxing it on this, the hottest path.
#[allow(clippy::large_enum_variant)]
pub enum Verdict {
    /// Yes; as this account, unless the rule asks nobody (`bypass`).
    Allow(Option<User>),
    /// Not without signing in (no credential came).
    SignIn,
    /// A credential came and is worth nothing: the caller is a program, never redirected.
    BadCredential,
    /// No: the rules refuse this request, or this account.
    Deny(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No trusted proxy said which request it is asking about.
    UnknownRequest,
    /// The rule is `deny`.
    ByRule,
    /// The account has none of the rule's roles.
    MissingRole,
    /// A read-only token asked for a request that changes something.
    ReadOnlyCredential,
    /// The rule is `two_factor` and this sign-in passed one.
    SecondFactorNeeded,
}

/// Who the credential shows, and how strongly.
struct Identity {
    user: User,
    second_factor: bool,
    read_only: bool,
}

#[allow(clippy::large_enum_variant)] // as `Verdict`
enum Caller {
    Nobody,
    Refused,
    Known(Identity),
}

/// Decides about `asked` (`None` when no trusted proxy described it) for the caller
/// whose headers these are; `client` is asked for only when a credential's check needs it.
pub async fn decide(
    state: &AppState,
    asked: Option<&OriginalRequest>,
    headers: &HeaderMap,
    client: impl FnOnce() -> Client,
) -> Result<Verdict> {
    let Some(asked) = asked else { return Ok(Verdict::Deny(Refusal::UnknownRequest)) };
    let (policy, roles) = state.access_rules().for_request(asked);
    match policy {
        Policy::Bypass => return Ok(Verdict::Allow(None)),
        Policy::Deny => return Ok(Verdict::Deny(Refusal::ByRule)),
        Policy::OneFactor | Policy::TwoFactor => {}
    }
    let identity = match identify(state, headers, client).await? {
        Caller::Nobody => return Ok(Verdict::SignIn),
        Caller::Refused => return Ok(Verdict::BadCredential),
        Caller::Known(identity) => identity,
    };
    let refusal = if identity.read_only && !asked.method.is_safe() {
        Some(Refusal::ReadOnlyCredential)
    } else if !roles.is_empty() && !roles.iter().any(|role: &Role| identity.user.has_role(role.as_str())) {
        Some(Refusal::MissingRole)
    } else if policy == Policy::TwoFactor && !identity.second_factor {
        Some(Refusal::SecondFactorNeeded)
    } else {
        None
    };
    if let Some(refusal) = refusal {
        tracing::info!(event = "forward_auth_denied", user_id = identity.user.id, host = asked.host(), reason = ?refusal);
        return Ok(Verdict::Deny(refusal));
    }
    Ok(Verdict::Allow(Some(identity.user)))
}

/// The credential in `Authorization` if there is one (a program's), else the session cookie.
async fn identify(state: &AppState, headers: &HeaderMap, client: impl FnOnce() -> Client) -> Result<Caller> {
    let Some(authorization) = headers.get(header::AUTHORIZATION) else { return from_cookie(state, headers).await };
    let caller = match api_caller::from_authorization(state, authorization, &client()).await {
        Ok(caller) => caller,
        Err(AppError::Unauthorized(_) | AppError::Forbidden(_)) => return Ok(Caller::Refused),
        Err(other) => return Err(other),
    };
    let second_factor = matches!(caller.credential, Credential::AccessToken { second_factor: true, .. });
    let read_only = caller.scope == Scope::Read;
    Ok(Caller::Known(Identity { user: caller.user, second_factor, read_only }))
}

/// The signed-in session the cookie names: this answer never sets a cookie, and it is the
/// hottest path there is.
async fn from_cookie(state: &AppState, headers: &HeaderMap) -> Result<Caller> {
    Ok(match sessions::signed_in_by_cookie(state.store(), headers, state.session_cookie_name()).await? {
        Some((user, auth)) => {
            Caller::Known(Identity { user, second_factor: auth.amr.is_multi_factor(), read_only: false })
        }
        None => Caller::Nobody,
    })
}
