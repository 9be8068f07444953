//! The account area: pages under `/account`, each with one job, sharing a menu. The
//! settings page (password and email) is here because two flows render it; the other
//! pages live beside the one flow that owns them.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Page;
use crate::accounts::sessions::CurrentUser;

/// The pages of the account area, in the menu's order: (path, label).
pub const SECTIONS: [(&str, &str); 10] = [
    ("/account", "Overview"),
    ("/account/profile", "Profile"),
    ("/account/settings", "Email and password"),
    ("/account/2fa", "Two-step login"),
    ("/account/passkeys", "Passkeys"),
    ("/account/sessions", "Sessions"),
    ("/account/tokens", "API tokens"),
    ("/account/apps", "Apps with access"),
    ("/account/activity", "Activity"),
    ("/account/delete", "Delete account"),
];

/// The notice a redirect asked for with `?notice=`, shown at the top of the page the
/// form was on.
pub fn notice_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "password-changed" => "Your password was changed. Every other session was signed out.",
        "email-change-sent" => "Check the inbox of the new address: your email changes when you confirm it there.",
        "session-revoked" => "That session was signed out.",
        "others-revoked" => "Every other session was signed out.",
        "token-revoked" => "The API token was revoked.",
        "passkey-added" => "The passkey was added. You can now log in with it, without your password.",
        "provider-linked" => "The provider is linked: signing in with it now signs in to this account.",
        "provider-unlinked" => "The provider is no longer linked to this account.",
        "app-revoked" => "The app no longer has access. It must ask you again to sign you in.",
        "passkey-renamed" => "The passkey was renamed.",
        "passkey-deleted" => "The passkey was deleted. It can no longer be used to log in.",
        "two-factor-off" => "Two-step login is off. Signing in asks for your password only.",
        "profile-saved" => "Your profile was saved. Apps see it the next time you sign in to them.",
        _ => return None,
    })
}

/// The message for a password re-entry (`field`: "password", "current password") that
/// was refused: left empty, or not the user's.
pub fn password_error(typed: &str, is_current: bool, field: &str) -> Option<String> {
    match (typed.is_empty(), is_current) {
        (true, _) => Some(format!("Enter your {field}.")),
        (false, false) => Some(format!("That is not your {field}.")),
        (false, true) => None,
    }
}

/// `/account/settings`: change the password, change the email address.
#[derive(Template, WebTemplate)]
#[template(path = "account/settings.html")]
pub struct SettingsPage {
    pub page: Page,
    pub section: &'static str,
    pub email: String,
    pub notice: Option<&'static str>,
    pub errors: SettingsErrors,
}

/// Messages beside the fields of the settings page's two forms, and what was typed.
#[derive(Default)]
pub struct SettingsErrors {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
    pub new_email: Option<String>,
    pub new_email_value: String,
    pub email_password: Option<String>,
}

impl SettingsPage {
    pub fn new(current: &CurrentUser, page: Page, notice: Option<&'static str>) -> Self {
        let errors = SettingsErrors::default();
        Self { page, section: "/account/settings", email: current.user.email.clone(), notice, errors }
    }

    /// The page again with what was wrong, answered `422`.
    pub fn with_errors(current: &CurrentUser, page: Page, errors: SettingsErrors) -> Response {
        (StatusCode::UNPROCESSABLE_ENTITY, Self { errors, ..Self::new(current, page, None) }).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_password_is_asked_for_not_called_wrong() {
        assert_eq!(password_error("", false, "password").as_deref(), Some("Enter your password."));
        let wrong = password_error("guess", false, "current password");
        assert_eq!(wrong.as_deref(), Some("That is not your current password."));
        assert_eq!(password_error("right", true, "password"), None);
    }
}
