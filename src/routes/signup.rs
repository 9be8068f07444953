//! Sign-up and email verification.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::SecretString;
use serde::Deserialize;

use crate::accounts::deferred::{self, Ask};
use crate::accounts::{links, signup};
use crate::domain::{Email, Password, SignupMode};
use crate::error::Result;
use crate::state::AppState;
use crate::store::tokens::{Lookup, Purpose};
use crate::web::link_page::{self, LinkKind, TokenParam};
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate, Default)]
#[template(path = "register.html")]
pub struct RegisterPage {
    page: Page,
    email: String,
    email_error: Option<String>,
    password_error: Option<String>,
    min_length: usize,
    /// Why this server takes no sign-ups (the key of the words), instead of the form.
    closed: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_email.html")]
pub struct CheckEmailPage {
    page: Page,
}

pub async fn register_page(State(state): State<AppState>, page: Page) -> RegisterPage {
    let closed = closed_because(state.config().signup);
    RegisterPage { page, min_length: state.config().password_min_length, closed, ..Default::default() }
}

/// The words for a server that takes no sign-ups at all, whoever asks.
fn closed_because(mode: SignupMode) -> Option<&'static str> {
    match mode {
        SignupMode::Open => None,
        SignupMode::Invite => Some("register-by-invitation"),
        SignupMode::Closed => Some("register-closed"),
    }
}

pub async fn register(State(state): State<AppState>, page: Page, Form(form): Form<RegisterForm>) -> Result<Response> {
    let policy = state.config().signup_policy();
    // Refused before the form is even read: the answer is the same for every address.
    if let Some(closed) = closed_because(policy.mode) {
        let page = RegisterPage { page, closed: Some(closed), ..Default::default() };
        return Ok((StatusCode::FORBIDDEN, page).into_response());
    }
    let email = Email::parse(&form.email).map_err(Some).and_then(|email| match policy.admits(&email) {
        Ok(()) => Ok(email),
        Err(_) => Err(None),
    });
    let password = Password::parse(SecretString::from(form.password), state.config().password_policy());
    let (email, password) = match (email, password) {
        (Ok(email), Ok(password)) => (email, password),
        (email, password) => {
            let lang = page.lang;
            let form_again = RegisterPage {
                page,
                email: form.email,
                email_error: email.err().map(|error| match error {
                    Some(error) => lang.email_error(error),
                    None => lang.t1("register-domain-not-allowed", "domains", policy.allowed_domains.join(", ")),
                }),
                password_error: password.err().map(|e| lang.password_error(e)),
                min_length: state.config().password_min_length,
                closed: None,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, form_again).into_response());
        }
    };
    signup::register(&state, &email, &password, page.lang).await?;
    Ok(Redirect::to("/check-email").into_response())
}

pub async fn check_email(page: Page) -> CheckEmailPage {
    CheckEmailPage { page }
}

#[derive(Template, WebTemplate)]
#[template(path = "verify_confirm.html")]
pub struct VerifyConfirmPage {
    page: Page,
    email: String,
    token: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "verify_done.html")]
pub struct VerifyDonePage {
    page: Page,
    email: String,
    /// Confirmed before, with this same link: say so instead of offering a new link.
    earlier: bool,
}

/// A refused verification link, unless it was used to confirm this very address before.
async fn refused(state: &AppState, page: Page, lookup: Lookup) -> Result<Response> {
    if signup::already_confirmed(state, &lookup).await?
        && let Lookup::Used { email, .. } = lookup
    {
        return Ok(link_page::showing_link(VerifyDonePage { page, email, earlier: true }));
    }
    Ok(link_page::refused(page, &lookup, LinkKind::Verification))
}

/// Shows a button and does not use the token: mail scanners fetch links nobody clicked.
pub async fn verify_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    match links::look_up(state.store(), &param.token, Purpose::VerifyEmail).await? {
        Lookup::Valid(row) => {
            Ok(link_page::showing_link(VerifyConfirmPage { page, email: row.email, token: param.token }))
        }
        other => refused(&state, page, other).await,
    }
}

pub async fn verify(State(state): State<AppState>, page: Page, Form(form): Form<TokenParam>) -> Result<Response> {
    match signup::verify(&state, &form.token).await? {
        Lookup::Valid(row) => Ok(VerifyDonePage { page, email: row.email, earlier: false }.into_response()),
        other => refused(&state, page, other).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "resend_sent.html")]
pub struct ResendSentPage {
    page: Page,
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Answers the same whatever the address, so it tells nobody which accounts exist.
pub async fn resend_verification(
    State(state): State<AppState>,
    page: Page,
    Form(form): Form<EmailForm>,
) -> Result<ResendSentPage> {
    if let Ok(email) = Email::parse(&form.email) {
        deferred::ask(&state, Ask::VerificationLink, &email).await?;
    }
    Ok(ResendSentPage { page })
}
