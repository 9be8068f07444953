//! Forgotten passwords: a one-hour, single-use link by email.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use serde::Deserialize;

use crate::accounts::deferred::{self, Ask};
use crate::accounts::{Client, links, recovery};
use crate::domain::{Email, Password};
use crate::error::Result;
use crate::state::AppState;
use crate::store::tokens::{Lookup, Purpose};
use crate::web::link_page::{self, LinkKind, TokenParam};
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "forgot_password.html")]
pub struct ForgotPage {
    page: Page,
    sent: bool,
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_page(page: Page) -> ForgotPage {
    ForgotPage { page, sent: false }
}

/// Answers the same whatever the address; only a known one gets a link.
pub async fn forgot(State(state): State<AppState>, page: Page, Form(form): Form<EmailForm>) -> Result<ForgotPage> {
    if let Ok(email) = Email::parse(&form.email) {
        deferred::ask(&state, Ask::PasswordReset, &email).await?;
    }
    Ok(ForgotPage { page, sent: true })
}

#[derive(Template, WebTemplate)]
#[template(path = "reset_password.html")]
pub struct ResetPage {
    page: Page,
    /// The account's address, for password managers to file the new password under.
    email: String,
    token: String,
    error: Option<String>,
    min_length: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "reset_done.html")]
pub struct ResetDonePage {
    page: Page,
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    /// A checkbox, ticked in the form: revoke every API token too.
    #[serde(default)]
    revoke_api_tokens: Option<String>,
}

/// Shows the form; the token is used only when the form is sent.
pub async fn reset_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    match links::look_up(state.store(), &param.token, Purpose::ResetPassword).await? {
        Lookup::Valid(row) => {
            let min_length = state.config().password_min_length;
            let form = ResetPage { page, email: row.email, token: param.token, error: None, min_length };
            Ok(link_page::showing_link(form))
        }
        refused => Ok(link_page::refused(page, &refused, LinkKind::PasswordReset)),
    }
}

/// Sets the new password, confirms the address (the link proved it) and ends every session.
pub async fn reset(
    State(state): State<AppState>,
    client: Client,
    page: Page,
    Form(form): Form<ResetForm>,
) -> Result<Response> {
    // A dead link is said so before anything is asked of the password.
    let email = match links::look_up(state.store(), &form.token, Purpose::ResetPassword).await? {
        Lookup::Valid(row) => row.email,
        refused => return Ok(link_page::refused(page, &refused, LinkKind::PasswordReset)),
    };
    let password = match Password::parse(SecretString::from(form.password), state.config().password_policy()) {
        Ok(password) => password,
        Err(error) => {
            let min_length = state.config().password_min_length;
            let error = Some(page.lang.password_error(error));
            let again = ResetPage { page, email, token: form.token, error, min_length };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response());
        }
    };
    match recovery::reset(&state, &form.token, &password, form.revoke_api_tokens.is_some(), &client).await? {
        Lookup::Valid(_) => Ok(ResetDonePage { page }.into_response()),
        refused => Ok(link_page::refused(page, &refused, LinkKind::PasswordReset)),
    }
}
