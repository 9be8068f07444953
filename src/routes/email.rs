//! Changing the email address: the request from the account page, and the link that
//! confirms the new address.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::email_change::{self, Confirmation};
use crate::accounts::sessions::CurrentUser;
use crate::accounts::{Client, links, password};
use crate::domain::Email;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::store::tokens::{Lookup, Purpose};
use crate::web::account_area::{Reentered, SettingsErrors, SettingsPage, password_error};
use crate::web::link_page::{self, LinkKind, TokenParam};
use crate::web::{Form, Page, Query};

#[derive(Deserialize)]
pub struct ChangeEmailForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    client: Client,
    current: CurrentUser,
    page: Page,
    Form(form): Form<ChangeEmailForm>,
) -> Result<Response> {
    let user = &current.user;
    let right = password::reconfirm(&state, user, &form.password).await?;
    let new_email = Email::parse(&form.new_email).map_err(|e| page.lang.email_error(e)).and_then(|email| {
        if email.as_str() == user.email { Err(page.lang.t("error-already-your-address")) } else { Ok(email) }
    });
    let new_email = match (right, new_email) {
        (true, Ok(email)) => email,
        (right, new_email) => {
            let errors = SettingsErrors {
                email_password: password_error(page.lang, &form.password, right, Reentered::Password),
                new_email: new_email.err(),
                new_email_value: form.new_email,
                ..Default::default()
            };
            return Ok(SettingsPage::with_errors(&current, page, errors));
        }
    };
    email_change::request(&state, user, &new_email, &client).await?;
    Ok(Redirect::to("/account/settings?notice=email-change-sent").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm_email.html")]
pub struct ConfirmEmailPage {
    page: Page,
    email: String,
    token: String,
    done: bool,
}

/// Like `/verify-email`: following the link only shows a button.
pub async fn confirm_email_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    match links::look_up(state.store(), &param.token, Purpose::ChangeEmail).await? {
        Lookup::Valid(row) => {
            Ok(link_page::showing_link(ConfirmEmailPage { page, email: row.email, token: param.token, done: false }))
        }
        refused => Ok(link_page::refused(page, &refused, LinkKind::EmailChange)),
    }
}

pub async fn confirm_email(
    State(state): State<AppState>,
    page: Page,
    Form(form): Form<TokenParam>,
) -> Result<Response> {
    match email_change::confirm(&state, &form.token).await? {
        Confirmation::Changed(email) => {
            Ok(ConfirmEmailPage { page, email, token: String::new(), done: true }.into_response())
        }
        Confirmation::Refused(refused) => Ok(link_page::refused(page, &refused, LinkKind::EmailChange)),
        Confirmation::Taken => Err(AppError::Conflict("error-address-taken")),
    }
}
