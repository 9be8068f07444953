//! The account area: pages under `/account`, each with one job, sharing a menu. The
//! settings page (password and email) is here because two flows render it; the other
//! pages live beside the one flow that owns them.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Page;
use crate::accounts::sessions::CurrentUser;
use crate::i18n::Language;

/// The pages of the account area, in the menu's order: (path, the key of its label).
pub const SECTIONS: [(&str, &str); 10] = [
    ("/account", "account-nav-overview"),
    ("/account/profile", "account-nav-profile"),
    ("/account/settings", "account-nav-settings"),
    ("/account/2fa", "account-nav-two-factor"),
    ("/account/passkeys", "account-nav-passkeys"),
    ("/account/sessions", "account-nav-sessions"),
    ("/account/tokens", "account-nav-tokens"),
    ("/account/apps", "account-nav-apps"),
    ("/account/activity", "account-nav-activity"),
    ("/account/delete", "account-nav-delete"),
];

/// The notice a redirect asked for with `?notice=`, shown at the top of the page the
/// form was on: the key of its words ([`crate::i18n`]).
pub fn notice_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "password-changed" => "notice-password-changed",
        "email-change-sent" => "notice-email-change-sent",
        "session-revoked" => "notice-session-revoked",
        "others-revoked" => "notice-others-revoked",
        "token-revoked" => "notice-token-revoked",
        "passkey-added" => "notice-passkey-added",
        "provider-linked" => "notice-provider-linked",
        "provider-unlinked" => "notice-provider-unlinked",
        "app-revoked" => "notice-app-revoked",
        "passkey-renamed" => "notice-passkey-renamed",
        "passkey-deleted" => "notice-passkey-deleted",
        "two-factor-off" => "notice-two-factor-off",
        "profile-saved" => "notice-profile-saved",
        "language-saved" => "notice-language-saved",
        "welcome" => "notice-welcome",
        "alerts-saved" => "notice-alerts-saved",
        "add-a-passkey" => "notice-add-a-passkey",
        _ => return None,
    })
}

/// Which password a form asked to have re-entered.
#[derive(Debug, Clone, Copy)]
pub enum Reentered {
    Password,
    CurrentPassword,
}

/// The message for a password re-entry that was refused: left empty, or not the user's.
pub fn password_error(lang: Language, typed: &str, is_current: bool, field: Reentered) -> Option<String> {
    let key = match (typed.is_empty(), is_current, field) {
        (false, true, _) => return None,
        (true, _, Reentered::Password) => "error-enter-password",
        (true, _, Reentered::CurrentPassword) => "error-enter-current-password",
        (false, false, Reentered::Password) => "error-not-your-password",
        (false, false, Reentered::CurrentPassword) => "error-not-your-current-password",
    };
    Some(lang.t(key))
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
        let english = Language::english();
        let empty = password_error(english, "", false, Reentered::Password);
        assert_eq!(empty.as_deref(), Some("Enter your password."));
        let wrong = password_error(english, "guess", false, Reentered::CurrentPassword);
        assert_eq!(wrong.as_deref(), Some("That is not your current password."));
        assert_eq!(password_error(english, "right", true, Reentered::Password), None);
    }
}
