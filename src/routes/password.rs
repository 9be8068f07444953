//! Changing the password from the account page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::SecretString;
use serde::Deserialize;

use crate::accounts::sessions::CurrentUser;
use crate::accounts::{Client, password, password_change};
use crate::domain::Password;
use crate::error::Result;
use crate::state::AppState;
use crate::web::account_page::{AccountPage, FormErrors};
use crate::web::{Form, Page};

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    client: Client,
    current: CurrentUser,
    page: Page,
    Form(form): Form<ChangePasswordForm>,
) -> Result<Response> {
    let right = password::is_current(&state, &current.user, form.current_password).await?;
    let new_password = Password::parse(SecretString::from(form.new_password), state.config().password_policy());
    let new_password = match (right, new_password) {
        (true, Ok(password)) => password,
        (right, new_password) => {
            let errors = FormErrors {
                current_password: (!right).then(|| "That is not your current password.".to_owned()),
                new_password: new_password.err().map(|e| e.to_string()),
                ..Default::default()
            };
            return AccountPage::with_errors(&state, &current, page, errors).await;
        }
    };
    password_change::change(&state, &current, &new_password, &client).await?;
    Ok(Redirect::to("/account?notice=password-changed").into_response())
}
