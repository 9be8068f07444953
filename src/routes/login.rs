//! Logging in and out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use secrecy::SecretString;
use serde::Deserialize;
use tower_sessions::Session;

use crate::accounts::password::{self, DISABLED, PasswordCheck};
use crate::accounts::{Client, sessions};
use crate::error::{AppError, Result};
use crate::security::device;
use crate::state::AppState;
use crate::web::format::local_path;
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate, Default)]
#[template(path = "login.html")]
pub struct LoginPage {
    page: Page,
    email: String,
    next: String,
    error: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "login_unverified.html")]
pub struct UnverifiedPage {
    page: Page,
    email: String,
}

#[derive(Deserialize)]
pub struct NextParam {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    remember: Option<String>,
    #[serde(default)]
    next: String,
}

pub async fn login_page(page: Page, Query(param): Query<NextParam>) -> LoginPage {
    LoginPage { page, next: local_path(&param.next).unwrap_or_default().to_owned(), ..Default::default() }
}

pub async fn login(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    page: Page,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let next = local_path(&form.next).unwrap_or_default().to_owned();
    if form.password.is_empty() {
        let error = Some("Enter your password.");
        let again = LoginPage { page, email: form.email, next, error };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response());
    }
    let user = match password::check(&state, &form.email, SecretString::from(form.password), &client).await? {
        PasswordCheck::Accepted(user) => user,
        PasswordCheck::Refused => {
            let error = Some("The email or password is incorrect.");
            return Ok((StatusCode::UNAUTHORIZED, LoginPage { page, email: form.email, next, error }).into_response());
        }
        PasswordCheck::Throttled { retry_after_secs } => {
            return Ok(AppError::TooManyRequests { retry_after_secs }.into_response());
        }
        PasswordCheck::Disabled(_) => return Err(AppError::Forbidden(DISABLED)),
        PasswordCheck::Unverified(user) => {
            return Ok((StatusCode::FORBIDDEN, UnverifiedPage { page, email: user.email }).into_response());
        }
    };
    let remember = form.remember.is_some_and(|value| !matches!(value.as_str(), "" | "0" | "false" | "off"));
    sessions::make_room(&state, user.id).await?;
    sessions::start(&session, &sessions::signed_in(&user, remember, &client)).await?;
    let target = if next.is_empty() { "/account".to_owned() } else { next };
    let known_device = device::cookie(state.signing_key(), &user, state.secure_cookies());
    Ok((CookieJar::new().add(known_device), Redirect::to(&target)).into_response())
}

/// Also tells the browser to forget this site (OWASP's advice for logout): its cache,
/// its cookies (the "known device" one too: logging out says "forget me here") and its
/// storage. Chromium keeps `no-store` pages in its back/forward cache and, over plain
/// http, brings the account page back on Back unless its cookies are cleared (tested).
pub async fn logout(State(state): State<AppState>, session: Session) -> Result<Response> {
    sessions::log_out(&state, &session).await?;
    let forget = [(CLEAR_SITE_DATA, "\"cache\", \"cookies\", \"storage\"")];
    Ok((forget, Redirect::to("/?notice=signed-out")).into_response())
}

const CLEAR_SITE_DATA: axum::http::HeaderName = axum::http::HeaderName::from_static("clear-site-data");
