//! `/login/2fa`: the second step of a login, for an account with two-step login. The
//! browser arrives here from the login form in the pending state (see
//! [`PendingSignIn`]); a right code signs it in under a new session id.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use tower_sessions::Session;

use crate::accounts::sessions::{self, CurrentUser};
use crate::accounts::{Client, password};
use crate::error::{AppError, Result};
use crate::passkeys;
use crate::routes::login::{form_policy, return_address};
use crate::state::AppState;
use crate::two_factor::pending::PendingSignIn;
use crate::two_factor::{self, Verdict};
use crate::web::format::after_sign_in;
use crate::web::sign_in::start_session;
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "login_2fa.html")]
pub struct SecondStepPage {
    page: Page,
    error: Option<&'static str>,
    /// Whether to offer the account's passkeys instead of a code.
    passkey: bool,
    /// A field for a recovery code (letters and digits) rather than the app's digits,
    /// whose phone keyboard has no letters.
    recovery: bool,
}

impl SecondStepPage {
    async fn new(state: &AppState, pending: &PendingSignIn, page: Page, error: Option<&'static str>) -> Result<Self> {
        let passkey = page.passkeys && passkeys::has_any(state, pending.user_id).await?;
        Ok(Self { page, error, passkey, recovery: false })
    }
}

#[derive(Deserialize)]
pub struct WithParam {
    #[serde(default)]
    with: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    /// An app behind forward auth to return to, instead of where the login form said.
    #[serde(default)]
    rd: String,
}

pub async fn second_step_page(
    State(state): State<AppState>,
    session: Session,
    page: Page,
    signed_in: Option<CurrentUser>,
    Query(param): Query<WithParam>,
) -> Result<Response> {
    if let Some(pending) = PendingSignIn::of(&session).await? {
        let policy = form_policy(&state, &pending.next).await?;
        let mut shown = SecondStepPage::new(&state, &pending, page, None).await?;
        shown.recovery = param.with == "recovery-code";
        return Ok((policy, shown).into_response());
    }
    Ok(elsewhere(signed_in.is_some()))
}

/// With no second step to take: the account, or the login form to start one.
fn elsewhere(signed_in: bool) -> Response {
    Redirect::to(if signed_in { "/account" } else { "/login" }).into_response()
}

pub async fn second_step(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    page: Page,
    signed_in: Option<CurrentUser>,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    // No pending sign-in: another tab finished it, it expired, or there never was one.
    let Some(pending) = PendingSignIn::of(&session).await? else { return Ok(elsewhere(signed_in.is_some())) };
    let Some(user) = pending.user(&state).await? else {
        PendingSignIn::finish(&session).await?;
        return Ok(Redirect::to("/login").into_response());
    };
    let with = match two_factor::check_code(&state, &user, &form.code, &client).await? {
        Verdict::Accepted { by_recovery_code: true } => password::SignedInWith::PasswordAndRecoveryCode,
        Verdict::Accepted { by_recovery_code: false } => password::SignedInWith::PasswordAndCode,
        Verdict::Wrong => {
            let error = Some("second-step-wrong-code");
            let mut again = SecondStepPage::new(&state, &pending, page, error).await?;
            again.recovery = form.code.chars().any(|c| c.is_ascii_alphabetic());
            let policy = form_policy(&state, &pending.next).await?;
            return Ok((StatusCode::UNAUTHORIZED, policy, again).into_response());
        }
        Verdict::Throttled { retry_after_secs } => return Err(AppError::TooManyRequests { retry_after_secs }),
    };
    PendingSignIn::finish(&session).await?;
    let auth = sessions::signed_in(&user, pending.remember, pending.with_code(), &client);
    let known_device = start_session(&state, &session, &user, (&auth, with), &client).await?;
    let rd = return_address(&state, &form.rd);
    let destination = if rd.is_empty() { pending.next } else { rd };
    Ok((CookieJar::new().add(known_device), Redirect::to(after_sign_in(&destination))).into_response())
}
