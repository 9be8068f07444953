//! Logging in and out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use secrecy::SecretString;
use serde::Deserialize;
use tower_sessions::Session;

use crate::accounts::password::{self, DISABLED, PasswordCheck, SignedInWith};
use crate::accounts::{Client, sessions};
use crate::domain::Amr;
use crate::error::{AppError, Result};
use crate::oidc;
use crate::security::headers;
use crate::state::AppState;
use crate::two_factor::pending::PendingSignIn;
use crate::web::format::{SECOND_STEP, after_sign_in, local_path};
use crate::web::sign_in::start_session;
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate, Default)]
#[template(path = "login.html")]
pub struct LoginPage {
    page: Page,
    email: String,
    next: String,
    /// An app behind forward auth to return to (checked by [`return_address`]).
    rd: String,
    /// The key of the words that say what went wrong ([`crate::i18n`]).
    error: Option<&'static str>,
    /// "Continue with …" for each sign-in provider: (its path, `oidc/corp` say, name,
    /// reachable now).
    providers: Vec<(String, String, bool)>,
    /// The OpenID Connect app the sign-in continues to, by name.
    app: Option<String>,
    /// Whether to offer "email me a code" (`EMAIL_CODE_LOGIN`).
    email_code: bool,
}

impl LoginPage {
    /// The host of the app the sign-in returns to, for the page to name.
    fn app_host(&self) -> Option<String> {
        url::Url::parse(&self.rd).ok().and_then(|url| url.host_str().map(str::to_owned))
    }
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
    #[serde(default)]
    rd: String,
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
    #[serde(default)]
    rd: String,
}

/// The form, even for a browser already signed in: sending that browser on to `rd` at once
/// would loop forever when the app never receives the cookie (a cookie-domain mistake).
pub async fn login_page(State(state): State<AppState>, page: Page, Query(param): Query<NextParam>) -> Result<Response> {
    let next = local_path(&param.next).unwrap_or_default().to_owned();
    let (policy, app) = form_policy_and_app(&state, &next).await?;
    let rd = return_address(&state, &param.rd);
    let email_code = state.config().email_code_login;
    let page = LoginPage { page, next, rd, providers: providers(&state), app, email_code, ..Default::default() };
    Ok((policy, page).into_response())
}

fn providers(state: &AppState) -> Vec<(String, String, bool)> {
    let all = state.providers().all().iter();
    all.map(|provider| {
        let path = format!("{}/{}", provider.settings.kind(), provider.settings.id);
        (path, provider.settings.name.clone(), provider.is_available())
    })
    .collect()
}

type Policy = Option<[(HeaderName, HeaderValue); 1]>;

/// When the sign-in continues to an OpenID Connect app (`next` is its authorization
/// request), the sign-in form's policy also lets the form's redirects reach the app.
pub async fn form_policy(state: &AppState, next: &str) -> Result<Policy> {
    Ok(form_policy_and_app(state, next).await?.0)
}

/// [`form_policy`], and the name of the app, for the page to say where the person goes.
async fn form_policy_and_app(state: &AppState, next: &str) -> Result<(Policy, Option<String>)> {
    let Some(to) = oidc::continues_to(state, next).await? else { return Ok((None, None)) };
    let mut targets = state.sign_in_form_sources();
    targets.push(to.origin);
    Ok((Some([(header::CONTENT_SECURITY_POLICY, headers::sign_in_form_policy(&targets))]), Some(to.app)))
}

pub async fn login(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    page: Page,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let next = local_path(&form.next).unwrap_or_default().to_owned();
    let rd = return_address(&state, &form.rd);
    let (policy, app) = form_policy_and_app(&state, &next).await?;
    if form.password.is_empty() {
        let error = Some("login-error-password-missing");
        let email_code = state.config().email_code_login;
        let again =
            LoginPage { page, email: form.email, next, rd, error, providers: providers(&state), app, email_code };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, policy, again).into_response());
    }
    // Where the sign-in ends: back at the app, else the page the user was going to.
    let destination = if rd.is_empty() { next.clone() } else { rd.clone() };
    let remember = form.remember.is_some_and(|value| !matches!(value.as_str(), "" | "0" | "false" | "off"));
    let user = match password::check(&state, &form.email, SecretString::from(form.password), &client).await? {
        PasswordCheck::Accepted(user) => user,
        PasswordCheck::SecondStepNeeded(user) => {
            let second_step = second_step_address(&next);
            PendingSignIn::new(user.id, remember, destination).begin(&session).await?;
            return Ok(Redirect::to(&second_step).into_response());
        }
        PasswordCheck::Refused => {
            let error = Some("login-error-refused");
            let email_code = state.config().email_code_login;
            let again =
                LoginPage { page, email: form.email, next, rd, error, providers: providers(&state), app, email_code };
            return Ok((StatusCode::UNAUTHORIZED, policy, again).into_response());
        }
        PasswordCheck::Throttled { retry_after_secs } => {
            return Ok(AppError::TooManyRequests { retry_after_secs }.into_response());
        }
        PasswordCheck::Disabled(_) => return Err(AppError::Forbidden(DISABLED)),
        PasswordCheck::Unverified(user) => {
            return Ok((StatusCode::FORBIDDEN, UnverifiedPage { page, email: user.email }).into_response());
        }
    };
    let auth = sessions::signed_in(&user, remember, Amr::password(), &client);
    let known_device = start_session(&state, &session, &user, (&auth, SignedInWith::Password), &client).await?;
    Ok((CookieJar::new().add(known_device), Redirect::to(after_sign_in(&destination))).into_response())
}

/// `rd` when a sign-in may return there (see [`AccessRules::return_address`]), else empty.
///
/// [`AccessRules::return_address`]: crate::forward_auth::AccessRules::return_address
/// A refused `rd` is logged with the reason, since the person only sees that the sign-in
/// did not return them to their app.
pub fn return_address(state: &AppState, rd: &str) -> String {
    if rd.is_empty() {
        return String::new();
    }
    match state.access_rules().return_address(rd) {
        Ok(url) => url.into(),
        Err(reason) => {
            tracing::warn!(event = "return_address_refused", %reason, "the sign-in will not return to this rd");
            String::new()
        }
    }
}

/// `/login/2fa`, keeping where the user was going.
fn second_step_address(next: &str) -> String {
    if next.is_empty() {
        return SECOND_STEP.to_owned();
    }
    let query: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", next).finish();
    format!("{SECOND_STEP}?{query}")
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
