//! Personal API tokens from the account page.

use axum::extract::State;
use axum::response::{Redirect, Response};
use serde::Deserialize;

use crate::accounts::api_tokens::{self, BAD_EXPIRY, NewApiToken};
use crate::accounts::password;
use crate::accounts::sessions::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::web::account_page::{AccountPage, FormErrors};
use crate::web::{Form, Page};

#[derive(Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    expires_in_days: String,
    #[serde(default)]
    password: String,
}

/// Creates a token and shows it this once; the password makes it a recent authentication.
pub async fn create_token(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<NewTokenForm>,
) -> Result<Response> {
    let right = password::is_current(&state, &current.user, form.password).await?;
    let days = match form.expires_in_days.trim() {
        "" => Ok(None),
        days => days.parse::<i64>().map(Some).map_err(|_| BAD_EXPIRY),
    };
    let new = days.and_then(|days| NewApiToken::parse(&form.name, &form.scope, days));
    let new = match (right, new) {
        (true, Ok(new)) => new,
        (right, new) => {
            let errors = FormErrors {
                token_password: (!right).then(|| "That is not your password.".to_owned()),
                token: new.err().map(str::to_owned),
                ..Default::default()
            };
            return AccountPage::with_errors(&state, &current, page, errors).await;
        }
    };
    let (_, secret) = api_tokens::create(state.store(), current.user.id, &new).await?;
    AccountPage::with_new_token(&state, &current, page, secret).await
}

#[derive(Deserialize)]
pub struct RevokeTokenForm {
    #[serde(default)]
    token_id: i64,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    current: CurrentUser,
    Form(form): Form<RevokeTokenForm>,
) -> Result<Redirect> {
    api_tokens::revoke(state.store(), current.user.id, form.token_id).await?;
    Ok(Redirect::to("/account?notice=token-revoked"))
}
