//! "Needs role R": the one check in front of every route that needs a role, and the
//! fresh sign-in their changes ask for.
//!
//! [`needs_role`] is a layer over a whole group of routes, so a page added to the group
//! cannot forget it; its handlers take the checked user as [`Privileged`], which only this
//! layer provides (a handler of that type outside the group fails closed with a 500).
//! The role is read with the user on every request, like the disabled flag, so a revoked
//! role ends access on the next request, on every instance.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::accounts::password;
use crate::accounts::sessions::{CurrentUser, recently_authenticated};
use crate::domain::AuthSession;
use crate::error::{AppError, Result};
use crate::security::csrf;
use crate::state::AppState;
use crate::store;
use crate::web::Page;
use crate::web::account_area::{Reentered, password_error};

/// The signed-in user of a route behind [`needs_role`], who holds its role.
#[derive(Clone)]
pub struct Privileged(pub CurrentUser);

/// Refuses the request unless its signed-in user holds `role`: `401` (the login page)
/// without a sign-in, `403` with one.
pub async fn needs_role(
    State((state, role)): State<(AppState, &'static str)>,
    request: Request,
    next: Next,
) -> Result<Response> {
    let (mut parts, body) = request.into_parts();
    let current = CurrentUser::from_request_parts(&mut parts, &state).await?;
    if !current.user.has_role(role) {
        tracing::warn!(event = "role_refused", user_id = current.user.id, role, "a page needs a role the user lacks");
        // The page header (who is signed in) is added by `routes::errors::keep_page_header`.
        return Err(AppError::Forbidden("error-missing-role"));
    }
    parts.extensions.insert(Privileged(current));
    Ok(next.run(Request::from_parts(parts, body)).await)
}

impl FromRequestParts<AppState> for Privileged {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Self>().cloned().ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("a handler takes Privileged but its route is not behind needs_role"))
        })
    }
}

/// The form field that carries the password on the page [`fresh_sign_in`] shows.
const CONFIRM_FIELD: &str = "confirm_password";

/// Changes made behind [`needs_role`] (and deleting a passkey) need a sign-in within the
/// last ten minutes. Older:
/// a page asks for the password again and posts the same form once more with it; the
/// right password renews the sign-in and lets the change through in that one step.
pub async fn fresh_sign_in(State(state): State<AppState>, request: Request, next: Next) -> Result<Response> {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return Ok(next.run(request).await);
    }
    let (mut parts, body) = request.into_parts();
    // Behind `needs_role` the user is loaded already.
    let current = match parts.extensions.get::<Privileged>().cloned() {
        Some(Privileged(current)) => current,
        None => CurrentUser::from_request_parts(&mut parts, &state).await?,
    };
    if recently_authenticated(&current.auth) {
        return Ok(next.run(Request::from_parts(parts, body)).await);
    }
    let bytes = to_bytes(body, crate::config::BODY_LIMIT).await.map_err(|_| AppError::PayloadTooLarge)?;
    let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    let typed = fields.iter().find(|(name, _)| name == CONFIRM_FIELD).map(|(_, value)| value.as_str());
    let refused = match typed {
        None => None,
        Some(typed) if password::reconfirm(&state, &current.user, typed).await? => {
            renew(&current).await?;
            return Ok(next.run(Request::from_parts(parts, Body::from(bytes))).await);
        }
        Some(typed) => Some(typed.to_owned()),
    };
    let page = Page::from_request_parts(&mut parts.clone(), &state).await?;
    let error = refused.and_then(|typed| password_error(page.lang, &typed, false, Reentered::Password));
    let resend = fields.into_iter().filter(|(name, _)| name != CONFIRM_FIELD && name != csrf::FIELD).collect();
    let action = parts.uri.path().to_owned();
    let confirm = ConfirmPage { page, back: page_of(&action), action, fields: resend, error };
    Ok((StatusCode::UNAUTHORIZED, confirm).into_response())
}

/// The page a form posting to `action` was on, for "Cancel": up to its id
/// (`/admin/users/7/roles/grant` was on `/admin/users/7`), else its parent
/// (`/account/passkeys/delete` was on `/account/passkeys`).
fn page_of(action: &str) -> String {
    // Linking a sign-in provider is done from the account page.
    if action.starts_with("/account/links/") {
        return "/account".to_owned();
    }
    let segments: Vec<&str> = action.split('/').collect();
    let end = match segments.iter().position(|segment| segment.parse::<i64>().is_ok()) {
        Some(id) => id + 1,
        None => segments.len().saturating_sub(1),
    };
    segments[..end].join("/")
}

/// Counts the password just re-entered as a sign-in now, for the ten minutes that follow.
async fn renew(current: &CurrentUser) -> Result<()> {
    let auth = AuthSession { authenticated_at: store::now(), ..current.auth.clone() };
    current.session.insert(AuthSession::KEY, &auth).await?;
    tracing::info!(event = "reauthenticated", user_id = current.user.id, "password re-entered for an admin change");
    Ok(())
}

/// "Enter your password again", with the form it interrupted kept in hidden fields.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "confirm_password.html")]
pub struct ConfirmPage {
    page: Page,
    action: String,
    back: String,
    fields: Vec<(String, String)>,
    error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn cancel_goes_back_to_the_page_the_form_was_on() {
        assert_eq!(page_of("/admin/users/7/disable"), "/admin/users/7");
        assert_eq!(page_of("/admin/users/7/roles/grant"), "/admin/users/7");
        assert_eq!(page_of("/account/passkeys/delete"), "/account/passkeys");
        assert_eq!(page_of("/account/links/corp"), "/account");
    }
}
