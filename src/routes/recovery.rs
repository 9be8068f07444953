//! Forgotten passwords: a one-hour, single-use link by email.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use serde::Deserialize;

use super::auth::{EmailForm, LinkKind, TokenErrorPage, TokenParam};
use super::{Form, Page, Query};
use crate::app::AppState;
use crate::domain::{Email, Password, Token};
use crate::error::Result;
use crate::mail::messages;
use crate::security::client_ip::ClientIp;
use crate::store::events::{self, EventKind};
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::{self, sessions, users};

#[derive(Template, WebTemplate)]
#[template(path = "forgot_password.html")]
pub struct ForgotPage {
    page: Page,
    sent: bool,
}

pub async fn forgot_page(page: Page) -> ForgotPage {
    ForgotPage { page, sent: false }
}

/// Answers the same whatever the address; only a known one gets a link.
pub async fn forgot(State(state): State<AppState>, page: Page, Form(form): Form<EmailForm>) -> Result<ForgotPage> {
    if let Ok(email) = Email::parse(&form.email)
        && let Some(user) = users::find_by_email(state.store().pool(), &email).await?
        && state.within_mail_budget(&email).await?
    {
        let token = Token::generate();
        let now = store::now();
        let mut tx = state.store().begin().await?;
        tokens::insert(&mut *tx, &token, Purpose::ResetPassword, user.id, &user.email, now).await?;
        state.outbox().enqueue(&mut tx, &messages::reset_password(state.links(), &email, &token)).await?;
        tx.commit().await?;
        state.outbox().wake();
        tracing::info!(event = "password_reset_requested", user_id = user.id, "reset link sent");
    }
    Ok(ForgotPage { page, sent: true })
}

#[derive(Template, WebTemplate)]
#[template(path = "reset_password.html")]
pub struct ResetPage {
    page: Page,
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
}

async fn lookup(state: &AppState, raw: &str) -> Result<(Option<Token>, Lookup)> {
    let Ok(token) = Token::parse(raw) else { return Ok((None, Lookup::Unknown)) };
    let lookup = tokens::lookup(state.store().pool(), &token, Purpose::ResetPassword, store::now()).await?;
    Ok((Some(token), lookup))
}

/// Shows the form; the token is used only when the form is sent.
pub async fn reset_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    match lookup(&state, &param.token).await? {
        (_, Lookup::Valid(_)) => {
            let form =
                ResetPage { page, token: param.token, error: None, min_length: state.config().password_min_length };
            let headers = super::TOKEN_PAGE_HEADERS;
            Ok((headers, form).into_response())
        }
        (_, refused) => Ok(TokenErrorPage::for_lookup(page, &refused, LinkKind::PasswordReset)),
    }
}

/// Sets the new password, confirms the address (the link proved it) and ends every session.
pub async fn reset(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    page: Page,
    Form(form): Form<ResetForm>,
) -> Result<Response> {
    let (token, found) = lookup(&state, &form.token).await?;
    let (Some(token), Lookup::Valid(_)) = (token, &found) else {
        return Ok(TokenErrorPage::for_lookup(page, &found, LinkKind::PasswordReset));
    };
    let password = match Password::parse(SecretString::from(form.password), state.config().password_policy()) {
        Ok(password) => password,
        Err(error) => {
            let min_length = state.config().password_min_length;
            let again = ResetPage { page, token: form.token, error: Some(error.to_string()), min_length };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response());
        }
    };
    let password_hash = state.hasher().hash(password.expose()).await?;

    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match tokens::redeem(&mut tx, &token, Purpose::ResetPassword, now).await? {
        Lookup::Valid(row) => row,
        refused => return Ok(TokenErrorPage::for_lookup(page, &refused, LinkKind::PasswordReset)),
    };
    // A link sent to an address the account no longer has is worth nothing.
    let Some(user) = users::find_by_id(&mut *tx, row.user_id).await?.filter(|user| user.email == row.email) else {
        return Ok(TokenErrorPage::for_lookup(page, &Lookup::Unknown, LinkKind::PasswordReset));
    };
    users::set_password_hash(&mut *tx, user.id, &password_hash).await?;
    users::mark_verified(&mut *tx, user.id, &user.email, now).await?;
    tokens::revoke_for_user(&mut *tx, user.id, Purpose::ResetPassword, now).await?;
    sessions::delete_for_user(&mut *tx, user.id).await?;
    store::refresh_tokens::revoke_for_user(&mut *tx, user.id, now).await?;
    events::record(&mut *tx, user.id, EventKind::PasswordReset, &ip.to_string(), "", now).await?;
    let email = user.address()?;
    state.outbox().enqueue(&mut tx, &messages::password_was_reset(state.links(), &email)).await?;
    tx.commit().await?;
    state.outbox().wake();
    tracing::info!(event = "password_reset", user_id = user.id, "password reset; all sessions ended");
    Ok(ResetDonePage { page }.into_response())
}
