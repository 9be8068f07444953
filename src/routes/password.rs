//! Changing the password, from the account area's settings page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::SecretString;
use serde::Deserialize;

use crate::accounts::sessions::CurrentUser;
use crate::accounts::{Client, password, password_change};
use crate::domain::Password;
use crate::error::Result;
use crate::state::AppState;
use crate::web::account_area::{Reentered, SettingsErrors, SettingsPage, password_error};
use crate::web::{Form, Page};

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    /// A checkbox, ticked in the form: revoke every API token too.
    #[serde(default)]
    revoke_api_tokens: Option<String>,
}

pub async fn change_password(
    State(state): State<AppState>,
    client: Client,
    current: CurrentUser,
    page: Page,
    Form(form): Form<ChangePasswordForm>,
) -> Result<Response> {
    let right = password::reconfirm(&state, &current.user, &form.current_password).await?;
    let new_password = Password::parse(SecretString::from(form.new_password), state.config().password_policy());
    let new_password = match (right, new_password) {
        (true, Ok(password)) => password,
        (right, new_password) => {
            let errors = SettingsErrors {
                current_password: password_error(page.lang, &form.current_password, right, Reentered::CurrentPassword),
                new_password: new_password.err().map(|e| page.lang.password_error(e)),
                ..Default::default()
            };
            return Ok(SettingsPage::with_errors(&current, page, errors));
        }
    };
    let revoke_api_tokens = form.revoke_api_tokens.is_some();
    password_change::change(&state, &current, &new_password, revoke_api_tokens, &client).await?;
    Ok(Redirect::to("/account/settings?notice=password-changed").into_response())
}
